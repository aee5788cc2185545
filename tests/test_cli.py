"""The command line as a user runs it: formats, exit codes, review preview, inventory, rules."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.rules import RULES
from scenario import build_scenario

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sam-app"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_scan_json_has_findings_functions_and_summary_with_the_design_fields():
    code, out, _ = run("scan", str(EXAMPLE), "--format", "json", "--reference-date", "2026-11-22")
    report = json.loads(out)
    assert set(report) == {"findings", "functions", "summary"}
    assert code == 1 and report["summary"]["conclusion"] == "failure"
    finding = next(f for f in report["findings"] if f["rule_id"] == "LR101")
    assert {"rule_id", "severity", "title", "message", "path", "line", "end_line", "function", "engine",
            "fingerprint", "suggestion", "help_url"} <= set(finding)
    assert (finding["path"], finding["line"], finding["function"]) == ("template.yaml", 46, "ReportFunction")
    names = {f["name"] for f in report["functions"]}
    assert {"ThumbnailFunction", "ReportFunction", "OrdersFunction", "HealthFunction"} <= names


@pytest.mark.parametrize("fail_on, expected", [("error", 1), ("warning", 1), ("never", 0)])
def test_exit_code_follows_fail_on(fail_on, expected):
    code, _, _ = run("scan", str(EXAMPLE), "--fail-on", fail_on, "--reference-date", "2026-11-22")
    assert code == expected


def test_a_clean_repository_exits_0(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.14, Handler: a.h, InlineCode: 'x'}\n")
    code, out, _ = run("scan", str(tmp_path), "--reference-date", "2026-11-22")
    assert code == 0 and "none at or above fail-on=error" in out


def test_fail_on_never_is_reported_as_nothing_failing():
    code, out, _ = run("scan", str(EXAMPLE), "--fail-on", "never", "--reference-date", "2026-11-22")
    assert code == 0 and "none fails with fail-on=never." in out and "at or above fail-on=never" not in out


def test_sarif_output_is_2_1_0_with_rules_and_fingerprints(tmp_path):
    target = tmp_path / "out.sarif"
    run("scan", str(EXAMPLE), "--format", "sarif", "--output", str(target), "--reference-date", "2026-11-22")
    sarif = json.loads(target.read_text())
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    driver = sarif["runs"][0]["tool"]["driver"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    for result in sarif["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["partialFingerprints"]["lambdaReview/v1"]
    assert "LR101" in rule_ids


def test_fingerprints_survive_unrelated_lines_moving(tmp_path):
    template = (EXAMPLE / "template.yaml").read_text()
    (tmp_path / "template.yaml").write_text(template)
    _, before, _ = run("scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22")
    (tmp_path / "template.yaml").write_text(template.replace("Resources:\n", "Resources:\n  Extra:\n    Type: AWS::SNS::Topic\n\n"))
    _, after, _ = run("scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22")
    lines_before = {f["fingerprint"]: f["line"] for f in json.loads(before)["findings"]}
    lines_after = {f["fingerprint"]: f["line"] for f in json.loads(after)["findings"]}
    assert lines_before.keys() == lines_after.keys()
    assert all(lines_after[fp] == line + 3 for fp, line in lines_before.items())


def test_review_previews_inline_comments_with_diff_context_and_the_summary(tmp_path):
    scenario = build_scenario(tmp_path, padding_files=0)
    code, out, err = run("review", str(scenario.workspace), "--base", scenario.base_sha, "--head", scenario.head_sha,
                         "--reference-date", "2026-11-22")
    assert code == 1, err
    inline, summary = out.split("# Summary comment")
    assert "# Inline comments (2)" in inline
    assert "## `template.yaml:25`" in inline and "+      Runtime: nodejs14.x" in inline
    assert "## `stacks/big.yaml:6`" in inline   # locally the big template has a diff, unlike on GitHub
    assert "Pre-existing findings (1)" in summary


def test_review_json_lists_inline_bodies_and_summary(tmp_path):
    scenario = build_scenario(tmp_path, padding_files=0)
    code, out, _ = run("review", str(scenario.workspace), "--base", scenario.base_sha, "--format", "json",
                       "--reference-date", "2026-11-22")
    document = json.loads(out)
    assert [(c["path"], c["line"]) for c in document["inline"]] == [("stacks/big.yaml", 6), ("template.yaml", 25)]
    assert document["summary_comment"].startswith("<!-- lambda-review:summary -->")
    assert document["summary"]["new"] == 2
    assert sum(finding["new"] for finding in document["findings"]) == 2
    assert {(finding["path"], finding["new"]) for finding in document["findings"]
            if finding["path"] in ("stacks/big.yaml", "template.yaml") and finding["rule_id"] == "LR101"} >= {
        ("stacks/big.yaml", True), ("template.yaml", True)}


def test_review_of_an_unknown_revision_is_a_usage_error(tmp_path):
    scenario = build_scenario(tmp_path, padding_files=0)
    code, out, err = run("review", str(scenario.workspace), "--base", "no-such-branch")
    assert code == 2 and out == "" and err.startswith("lambda-review: error:") and "Traceback" not in err


def test_inventory_lists_functions_with_declaration_lines():
    code, out, _ = run("inventory", str(EXAMPLE), "--format", "json")
    functions = {f["name"]: f for f in json.loads(out)["functions"]}
    assert code == 0
    report = functions["ReportFunction"]
    assert report["runtime"] == "python3.7" and report["handler"] == "report.handler"
    assert report["code_path"] == "src/reports" and report["format"] == "sam"
    assert report["declarations"]["Runtime"] == {"path": "template.yaml", "line": 46}
    assert functions["ThumbnailFunction"]["declarations"]["Timeout"] == {"path": "template.yaml", "line": 9}
    _, text, _ = run("inventory", str(EXAMPLE))
    assert "ReportFunction  [sam]  template.yaml:43" in text


def test_rules_lists_every_rule_and_explain_documents_one():
    _, out, _ = run("rules")
    assert all(rule_id in out for rule_id in RULES)
    code, out, _ = run("explain", "lr105")
    assert code == 0 and "UpdateRuntimeOn" in out and "Flagged" in out and "Not flagged" in out


@pytest.mark.parametrize("args, message", [
    (["explain", "LR999"], "unknown rule"),
    (["scan", "/no/such/dir"], "is not a directory"),
    (["scan", ".", "--reference-date", "tomorrow"], "reference-date"),
    (["scan", ".", "--config", "missing.yml"], "does not exist"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    code, out, err = run(*args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_invalid_config_names_the_key_and_line(tmp_path):
    (tmp_path / ".lambda-review.yml").write_text("fail-on: error\nfial-on: warning\n")
    code, _, err = run("scan", str(tmp_path))
    assert code == 2 and ".lambda-review.yml:2: unknown key 'fial-on'" in err
    (tmp_path / ".lambda-review.yml").write_text("severity:\n  LR104: loud\n")
    code, _, err = run("scan", str(tmp_path))
    assert code == 2 and ":2: severity.LR104" in err


def test_config_can_silence_a_rule_and_accept_a_finding_with_a_reason(tmp_path):
    (tmp_path / "template.yaml").write_text((EXAMPLE / "template.yaml").read_text())
    (tmp_path / ".lambda-review.yml").write_text(
        "severity:\n  LR104: off\nignore:\n  - rule: LR105\n    path: template.yaml\n    reason: rollback in progress\n")
    _, out, _ = run("scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22")
    report = json.loads(out)
    rules = {f["rule_id"] for f in report["findings"]}
    assert "LR104" not in rules and "LR105" not in rules
    assert report["summary"]["suppressed"][0]["reason"] == "rollback in progress"


def test_inline_ignore_comment_accepts_a_finding(tmp_path):
    template = (EXAMPLE / "template.yaml").read_text().replace(
        "      Runtime: python3.9\n", "      # lambda-review: ignore[LR100] thumbnails retire next sprint\n      Runtime: python3.9\n")
    (tmp_path / "template.yaml").write_text(template)
    _, out, _ = run("scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22")
    report = json.loads(out)
    assert not any(f["rule_id"] == "LR100" and f["function"] == "ThumbnailFunction" for f in report["findings"])
    assert report["summary"]["suppressed"][0]["reason"] == "thumbnails retire next sprint"


def test_python_dash_m_and_version_work():
    completed = subprocess.run([sys.executable, "-m", "reviewer", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0 and completed.stdout.startswith("lambda-review ")


def test_sarif_carries_the_other_end_of_a_loop_as_a_related_location(tmp_path):
    target = tmp_path / "out.sarif"
    run("scan", str(EXAMPLE), "--format", "sarif", "--output", str(target), "--reference-date", "2026-11-22")
    results = json.loads(target.read_text())["runs"][0]["results"]
    loop = next(r for r in results if r["ruleId"] == "LR201")
    related = [(place["physicalLocation"]["artifactLocation"]["uri"], place["physicalLocation"]["region"]["startLine"])
               for place in loop["relatedLocations"]]
    assert ("template.yaml", 36) in related


def test_the_json_report_written_in_pieces_to_output_is_what_stdout_gets(tmp_path, monkeypatch):
    from reviewer import output_files
    from reviewer.publish import json_text

    monkeypatch.setattr(json_text, "PIECES_PER_JOIN", 16)
    writes: list[str] = []
    write = output_files.OutputStream.write
    monkeypatch.setattr(output_files.OutputStream, "write", lambda self, text: writes.append(text) or write(self, text))
    target = tmp_path / "report.json"
    args = ("scan", str(EXAMPLE), "--format", "json", "--reference-date", "2026-11-22")

    _, out, _ = run(*args)
    code, nothing, _ = run(*args, "--output", str(target))

    assert code == 1 and nothing == "" and len(writes) > 2
    assert target.read_text(encoding="utf-8") == out == json.dumps(json.loads(out), indent=2) + "\n"


def test_an_output_that_cannot_be_written_is_a_usage_error(tmp_path):
    (tmp_path / "report.json").mkdir()      # a directory where the report goes: open fails
    code, _, err = run("scan", str(EXAMPLE), "--format", "json", "--reference-date", "2026-11-22",
                       "--output", str(tmp_path / "report.json"))
    assert code == 2 and "could not be written" in err


@pytest.mark.parametrize("through_a_link", [False, True])
def test_an_output_that_is_a_pipe_is_written_through_and_stays_a_pipe(tmp_path, through_a_link):
    """`--output /dev/null`, `/dev/stdout` (a link to the process's pipe) or a named pipe a later
    step reads: the report goes into it. A rename onto it would replace the device or pipe with a
    file (as root, `--output /dev/null` once replaced the machine's `/dev/null` with a report)."""
    pipe = tmp_path / "report.fifo"
    os.mkfifo(pipe)
    target = pipe
    if through_a_link:
        target = tmp_path / "stdout"
        target.symlink_to(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    try:
        code, _, err = run("scan", str(EXAMPLE), "--format", "json", "--reference-date", "2026-11-22",
                           "--fail-on", "never", "--output", str(target))
    finally:
        if reader.is_alive():
            # The review never opened it: let the reader end. Not a blocking open, which waits
            # for a reader, when the reader may have just read everything and be gone.
            with suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert not through_a_link or os.path.islink(target)
    assert json.loads(received[0])["findings"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted({pipe.name, target.name})


def test_a_report_that_fails_part_way_leaves_the_previous_output_whole(tmp_path, monkeypatch):
    """`--output` is written beside its name and renamed when complete: a disk that fills up
    half way leaves the earlier report as it was and no partial file behind."""
    from reviewer import output_files
    from reviewer.publish import json_text

    monkeypatch.setattr(json_text, "PIECES_PER_JOIN", 16)
    target = tmp_path / "report.json"
    target.write_text('{"earlier": "report"}\n', encoding="utf-8")
    write = output_files.OutputStream.write
    calls: list[int] = []

    def fill_up(self, text):
        calls.append(1)
        if len(calls) > 2:
            raise output_files.OutputFileError(f"{self.path} could not be written (No space left on device)")
        write(self, text)

    monkeypatch.setattr(output_files.OutputStream, "write", fill_up)
    code, _, err = run("scan", str(EXAMPLE), "--format", "json", "--reference-date", "2026-11-22",
                       "--output", str(target))

    assert code == 2 and "No space left on device" in err
    assert target.read_text(encoding="utf-8") == '{"earlier": "report"}\n'
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"]
