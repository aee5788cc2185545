"""A project generator's template (a cookiecutter or copier folder named by a placeholder still to
be filled, `{{cookiecutter.technology_slug}}`) deploys nothing as it is: the review leaves it out,
so its functions are neither listed nor judged (a stale runtime in it is no deployed function's).

The fixture is shaped like a repository that deploys its functions with Terraform and ships a
cookiecutter template for adding a new monitored technology as a Serverless service.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.workspace import skipped_directory

MAIN_TF = """\
resource "aws_lambda_function" "collector" {
  function_name = "tracker-collector"
  role          = "arn:aws:iam::123456789012:role/tracker"
  handler       = "tracker.collector.handler"
  runtime       = "python3.12"
  filename      = "build/tracker.zip"
}
"""

TEMPLATE_SERVERLESS = """\
service: "{{cookiecutter.technology_slug}}-tracker"
provider:
  name: aws
  runtime: python3.6
functions:
  Poller:
    handler: "{{cookiecutter.technology_slug}}.poller.handler"
  Differ:
    handler: "{{cookiecutter.technology_slug}}.differ.handler"
"""


def _write(root: Path) -> None:
    (root / "infra").mkdir()
    (root / "infra" / "main.tf").write_text(MAIN_TF)
    (root / "tracker").mkdir()
    (root / "tracker" / "collector.py").write_text("def handler(event, context):\n    return event\n")
    template = root / "generator" / "tracker_{{cookiecutter.technology_slug}}"
    (template / "{{cookiecutter.technology_slug}}").mkdir(parents=True)
    (root / "generator" / "cookiecutter.json").write_text('{"technology_slug": "vpc"}\n')
    (template / "serverless.yaml").write_text(TEMPLATE_SERVERLESS)
    (template / "{{cookiecutter.technology_slug}}" / "poller.py").write_text(
        "def handler(event, context):\n    return []\n")


def test_a_generator_template_s_functions_are_not_listed_or_judged(tmp_path):
    _write(tmp_path)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    report = json.loads(out.getvalue())
    assert [function["name"] for function in report["functions"]] == ["aws_lambda_function.collector"]
    assert not [finding for finding in report["findings"] if "cookiecutter" in (finding.get("path") or "")]


def test_only_a_placeholder_name_marks_a_template_folder():
    assert skipped_directory("historical_{{cookiecutter.technology_slug}}")
    assert skipped_directory("{{ project_name }}")
    assert skipped_directory("node_modules")
    assert not skipped_directory("historical-cookiecutter")
    assert not skipped_directory("templates")
