"""A serverless service whose `functions:` the review cannot read (loaded by a script,
`${file(lambdas/loader.js)}`) is reviewed once through one function named after the service, for
the provider's runtime. That function has no handler of its own, and the recursion check's list
says so rather than that "the function declares no handler", which a reader takes for a fault of
a real function."""

from __future__ import annotations

import io
from pathlib import Path

from reviewer.cli import main

SERVICE = """service: jobs-board
provider:
  name: aws
  runtime: nodejs20.x
  region: eu-west-1
functions: ${file(resources/lambdas/merge.js)}
"""

# Merges the YAML files of its folder when the Framework runs it.
MERGE = """module.exports = () => {
  const fs = require('fs');
  return fs.readdirSync(__dirname).filter((name) => name.endsWith('.yml'));
};
"""


def test_the_service_s_stand_in_is_not_said_to_declare_no_handler(tmp_path: Path) -> None:
    (tmp_path / "resources" / "lambdas").mkdir(parents=True)
    (tmp_path / "serverless.yml").write_text(SERVICE)
    (tmp_path / "resources" / "lambdas" / "merge.js").write_text(MERGE)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "markdown", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-06-01"], stdout=out, stderr=io.StringIO())
    report = out.getvalue()
    assert ("- **jobs-board** at `serverless.yml:4`: **not read**, it stands for the service's functions, which "
            "the review could not read \\(an LR904 notice says why\\)") in report
    assert "declares no handler" not in report
