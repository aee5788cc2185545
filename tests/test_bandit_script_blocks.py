"""bandit's issues in a module's `if __name__ == "__main__":` block (a developer's local run of
the handler with a sample event) are notices that say where they are: Lambda imports the module
under its own name and never runs that block. The same call in the block's `else`, which is what
runs on import, keeps its severity."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.test_bandit_engine import bandit_findings, scan

_TEMPLATE = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      CallRecordFunction:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: ctr.lambda_handler
          CodeUri: src/
    """

_HANDLER = """\
    import os

    def lambda_handler(event, context):
        os.popen("gzip -k /tmp/" + event["file"])
        return event

    if __name__ == "__main__":
        sample = {"file": "interim/call-0001.json"}
        os.popen("cp /tmp/copy-" + sample["file"] + " /tmp/" + sample["file"])
        lambda_handler(sample, "")
    else:
        os.popen("rm -f /tmp/" + os.environ.get("STALE_FILE", "x"))
    """


def test_an_issue_in_the_local_run_block_is_a_notice_saying_so(tmp_path: Path) -> None:
    for rel, text in {"template.yaml": _TEMPLATE, "src/ctr.py": _HANDLER}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    found = {finding["line"]: finding for finding in bandit_findings(scan(tmp_path), "B605")}
    # (line 4, event data reaching the shell, is LR306's, which takes bandit's place)
    assert {line: finding["severity"] for line, finding in found.items()} == {9: "notice", 12: "error"}
    assert "`if __name__ == \"__main__\":` block" in found[9]["message"]
    assert "__main__" not in found[12]["message"]
