"""A function the pull request removes is named in the summary, with the findings that went with it.

Shaped on a SAM app retiring a legacy export function (its template entry and its code folder
deleted) while the API function stays: the export's deprecated runtime and its `/tmp` file were
pre-existing findings that simply stopped being reported, and the summary said nothing of why.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.publish.render import render
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified

API = """\
  OrdersApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/api/
      Handler: app.handler
      Runtime: python3.12
"""

EXPORT = """\
  LegacyExportFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/export/
      Handler: export.handler
      Runtime: python3.8
"""

HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _review(root: Path, base: str, head: str):  # type: ignore[no-untyped-def]
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, reference_date="2026-12-07", audit="off")
    return review_change(root, settings, diff, base_rev=base, head_rev=head)


def _app(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "orders"
    (root / "src" / "api").mkdir(parents=True)
    (root / "src" / "export").mkdir(parents=True)
    (root / "template.yaml").write_text(HEADER + API + EXPORT, encoding="utf-8")
    (root / "src" / "api" / "app.py").write_text("def handler(event, context):\n    return {'orders': []}\n")
    (root / "src" / "export" / "export.py").write_text(
        "def handler(event, context):\n    with open('/tmp/orders.csv', 'w') as out:\n        out.write('id')\n")
    return root, first_commit(root)


def test_a_removed_function_is_named_with_the_findings_that_went_with_it(tmp_path):
    root, base = _app(tmp_path)
    (root / "template.yaml").write_text(HEADER + API, encoding="utf-8")
    git(root, "rm", "-q", "-r", "src/export")
    git(root, "commit", "-q", "-am", "retire the legacy export")
    head = git(root, "rev-parse", "HEAD").strip()

    outcome = _review(root, base, head)

    (removed,) = outcome.facts.removed_functions
    assert (removed.name, removed.location) == ("LegacyExportFunction", "template.yaml:10")
    assert removed.findings >= 2          # its deprecated runtime (LR10x) and its /tmp file (LR402)
    summary = render("summary.md.j2", facts=outcome.facts)
    assert ("This change removes 1 function; the findings the base commit had for it are no longer "
            "reported:\n- `LegacyExportFunction`, declared at `template.yaml:10`, with "
            f"{removed.findings} pre-existing findings") in summary


def test_a_function_whose_template_no_longer_parses_is_not_said_to_be_removed(tmp_path):
    root, base = _app(tmp_path)
    (root / "template.yaml").write_text(HEADER + API + EXPORT + "  Broken: [\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "half an edit")
    head = git(root, "rev-parse", "HEAD").strip()

    outcome = _review(root, base, head)

    assert outcome.facts.removed_functions == []
    assert "This change removes" not in render("summary.md.j2", facts=outcome.facts)


def test_a_renamed_function_is_not_removed(tmp_path):
    root, base = _app(tmp_path)
    (root / "template.yaml").write_text(HEADER + API + EXPORT.replace("LegacyExportFunction", "ExportFunction"),
                                        encoding="utf-8")
    git(root, "commit", "-q", "-am", "rename the export")
    head = git(root, "rev-parse", "HEAD").strip()

    assert _review(root, base, head).facts.removed_functions == []


REPORT = """\
  WeeklyReportFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/report/
      Handler: report.handler
      Runtime: python3.12
"""


def test_each_removed_function_is_a_line_of_its_own(tmp_path):
    """Seen on keithrozario/Klayers, whose change retired four container functions: the four
    items were written on one line, `- \u0060build310\u0060, declared at ...- \u0060build310Arm64\u0060 ...`,
    one paragraph in the rendered comment: each item ended in a template tag that took the line's
    end with it."""
    root, _ = _app(tmp_path)
    (root / "src" / "report").mkdir()
    (root / "src" / "report" / "report.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "template.yaml").write_text(HEADER + API + REPORT + EXPORT, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "add the weekly report")
    base = git(root, "rev-parse", "HEAD").strip()
    (root / "template.yaml").write_text(HEADER + API, encoding="utf-8")
    git(root, "rm", "-q", "-r", "src/export", "src/report")
    git(root, "commit", "-q", "-am", "retire the export and the report")
    head = git(root, "rev-parse", "HEAD").strip()

    summary = render("summary.md.j2", facts=_review(root, base, head).facts)

    lines = [line for line in summary.splitlines() if line.startswith("- `")]
    assert len(lines) == 2
    assert lines[0].startswith("- `LegacyExportFunction`, declared at `template.yaml:16`, with ")
    assert lines[0].endswith("pre-existing findings")
    assert lines[1].startswith("- `WeeklyReportFunction`, declared at `template.yaml:10`")
