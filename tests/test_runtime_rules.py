"""Every runtime identifier Lambda accepts gets the right verdict on 2026-11-22 (LR100–LR105)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

# Written out by hand from AWS's lifecycle table as of 2026-11-22 (../shared/reference), so the
# test does not derive its expectations from the data file it checks.
EXPECTED = {
    "custom": set(), "dotnet10": set(), "dotnet6": {"LR100"}, "dotnet8": {"LR100"},
    "dotnetcore1.0": {"LR101"}, "dotnetcore2.0": {"LR101"}, "dotnetcore2.1": {"LR101"},
    "dotnetcore3.1": {"LR101"}, "go1.x": {"LR101"},
    "java11": set(), "java11.al2023": set(), "java17": set(), "java17.al2023": set(), "java21": set(),
    "java25": set(), "java8": {"LR101"}, "java8.al2": set(), "java8.al2023": set(),
    "nodejs": {"LR101"}, "nodejs10.x": {"LR101"}, "nodejs12.x": {"LR101"}, "nodejs14.x": {"LR101"},
    "nodejs16.x": {"LR100"}, "nodejs18.x": {"LR100"}, "nodejs20.x": {"LR100"}, "nodejs22.x": {"LR102"},
    "nodejs24.x": set(), "nodejs26.x": set(), "nodejs4.3": {"LR101"}, "nodejs4.3-edge": {"LR101"},
    "nodejs6.10": {"LR101"}, "nodejs8.10": {"LR101"},
    "provided": {"LR101"}, "provided.al2": {"LR100"}, "provided.al2023": {"LR104"},
    "python2.7": {"LR101"}, "python3.10": {"LR100"}, "python3.11": set(), "python3.12": set(),
    "python3.13": set(), "python3.14": set(), "python3.15": set(), "python3.6": {"LR101"},
    "python3.7": {"LR101"}, "python3.8": {"LR100"}, "python3.9": {"LR100"},
    "ruby2.5": {"LR101"}, "ruby2.7": {"LR101"}, "ruby3.2": {"LR100"}, "ruby3.3": {"LR102"},
    "ruby3.4": set(), "ruby4.0": set(),
}
UPDATE_BLOCKED = {"nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",
                  "python2.7", "python3.6", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1",
                  "ruby2.5"}
NOT_ACCEPTED = ["pyhton3.12", "python3.1O", "nodejs20", "dotnet9", "java8.al2022"]


def _logical_id(runtime: str) -> str:
    return "Fn" + "".join(ch if ch.isalnum() else "X" for ch in runtime)


def _scan(tmp_path: Path, runtimes: list[str], *extra: str) -> dict:
    resources = "".join(
        f"  {_logical_id(r)}:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        f"      Runtime: {r}\n      Handler: index.handler\n      Code: {{ZipFile: 'x'}}\n      Role: arn:aws:iam::123456789012:role/r\n"
        for r in runtimes
    )
    (tmp_path / "stack.yaml").write_text(f"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{resources}")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", *extra], stdout=out)
    return json.loads(out.getvalue())


def _rules_by_function(report: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        found.setdefault(finding["function"], set()).add(finding["rule_id"])
    return found


def test_every_botocore_runtime_identifier_gets_the_right_verdict(tmp_path):
    from botocore.loaders import create_loader

    enum = create_loader().load_service_model("lambda", "service-2")["shapes"]["Runtime"]["enum"]
    assert set(enum) == set(EXPECTED), "botocore's enum changed: add the new identifiers to EXPECTED"

    report = _scan(tmp_path, sorted(enum))
    found = _rules_by_function(report)
    for runtime, rules in EXPECTED.items():
        assert found.get(_logical_id(runtime), set()) == rules, runtime


def test_update_blocked_and_create_blocked_say_what_stops_working_when(tmp_path):
    report = _scan(tmp_path, ["python3.6", "python3.7"])
    messages = {f["function"]: f["message"] for f in report["findings"] if f["rule_id"] == "LR101"}
    assert "blocks both creating and updating" in messages[_logical_id("python3.6")]
    assert "2022-08-29" in messages[_logical_id("python3.6")]
    create_only = messages[_logical_id("python3.7")]
    assert "blocks creating functions" in create_only and "until 2027-03-03" in create_only
    assert all(_logical_id(r) in {f["function"] for f in _scan(tmp_path, sorted(UPDATE_BLOCKED))["findings"]}
               for r in UPDATE_BLOCKED)


def test_deprecated_message_gives_dates_and_successor_with_a_one_line_suggestion(tmp_path):
    report = _scan(tmp_path, ["python3.10", "dotnet8", "provided.al2", "nodejs20.x"])
    by_function = {f["function"]: f for f in report["findings"] if f["rule_id"] == "LR100"}
    python310 = by_function[_logical_id("python3.10")]
    assert "2026-10-31" in python310["message"] and "2027-02-01" in python310["message"]
    assert "2027-03-03" in python310["message"] and "`python3.14`" in python310["message"]
    assert python310["suggestion"] == "      Runtime: python3.14"
    assert "2026-11-10" in by_function[_logical_id("dotnet8")]["message"]
    assert by_function[_logical_id("provided.al2")]["suggestion"] == "      Runtime: provided.al2023"
    assert "2026-04-30" in by_function[_logical_id("nodejs20.x")]["message"]


def test_identifiers_lambda_does_not_accept_are_errors_with_close_matches(tmp_path):
    report = _scan(tmp_path, NOT_ACCEPTED)
    found = _rules_by_function(report)
    assert all(found[_logical_id(r)] == {"LR103"} for r in NOT_ACCEPTED)
    typo = next(f for f in report["findings"] if f["function"] == _logical_id("pyhton3.12"))
    assert "`python3.12`" in typo["message"]
    image_only = next(f for f in report["findings"] if f["function"] == _logical_id("dotnet9"))
    assert "container base image" in image_only["message"]


def test_warning_window_is_configurable(tmp_path):
    (tmp_path / ".lambda-review.yml").write_text("runtime-warning-days: 365\n")
    found = _rules_by_function(_scan(tmp_path, ["python3.11", "nodejs24.x"]))
    assert found.get(_logical_id("python3.11")) == {"LR102"}
    assert _logical_id("nodejs24.x") not in found


def test_manual_runtime_updates_are_flagged_on_the_update_runtime_on_line(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.13\n      Handler: a.h\n      CodeUri: src\n"
        "      RuntimeManagementConfig:\n        UpdateRuntimeOn: Manual\n"
        "  Auto:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n"
        "      RuntimeManagementConfig:\n        UpdateRuntimeOn: Auto\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22"], stdout=out)
    findings = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR1")]
    assert [(f["rule_id"], f["line"], f["function"]) for f in findings] == [("LR105", 10, "Fn")]


def test_stale_lifecycle_data_is_said_in_the_summary(tmp_path):
    report = _scan(tmp_path, ["python3.13"], "--fail-on", "never")
    assert report["summary"]["lifecycle_data_stale"] is False
    later = _scan(tmp_path, ["python3.13"], "--reference-date", "2027-06-01")
    assert later["summary"]["lifecycle_data_stale"] is True
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "markdown", "--reference-date", "2027-06-01"], stdout=out)
    assert "may have moved" in out.getvalue()


def test_successor_advice_says_what_the_move_takes(tmp_path):
    """java8 → java8.al2023 keeps the Java version, go1.x → provided.al2023 needs a `bootstrap` build."""
    report = _scan(tmp_path, ["java8", "go1.x", "python3.7"])
    by_function = {f["function"]: f for f in report["findings"] if f["rule_id"] == "LR101"}
    java8 = by_function[_logical_id("java8")]
    assert "`java8.al2023` is the same Java version on Amazon Linux 2023" in java8["message"]
    assert "current runtime of the Java family" not in java8["message"]
    assert java8["suggestion"] == "      Runtime: java8.al2023"
    go = by_function[_logical_id("go1.x")]
    assert "no longer has a managed Go runtime" in go["message"] and "`bootstrap`" in go["message"]
    assert "current runtime of the Go family" not in go["message"]
    assert go["suggestion"] is None  # the runtime line alone would leave Lambda no bootstrap to start
    python37 = by_function[_logical_id("python3.7")]
    assert "The current runtime of the Python family is `python3.14`" in python37["message"]


def test_go_runtime_of_a_serverless_provider_gets_no_one_line_suggestion(tmp_path):
    (tmp_path / "serverless.yml").write_text(
        "service: greeter\nprovider:\n  name: aws\n  runtime: go1.x\n"
        "functions:\n  greet:\n    handler: bin/greet\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22"], stdout=out)
    [finding] = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR101"]
    assert (finding["path"], finding["line"], finding["suggestion"]) == ("serverless.yml", 4, None)
    assert "`provided.al2023`" in finding["message"]


def test_a_deprecated_os_only_runtime_from_globals_is_not_also_called_patched(tmp_path):
    """A SAM native-image template sets `provided` in Globals: LR101 says it gets no patches, so an
    LR104 saying Lambda patches its operating system would contradict it on the same line."""
    (tmp_path / "template.native.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: provided\n"
        "Resources:\n  ListThingsFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      CodeUri: build/function.zip\n      Handler: not.used\n")
    report = _scan(tmp_path, ["provided.al2023"])
    rules = {(f["rule_id"], f["path"], f["line"]) for f in report["findings"] if f["rule_id"].startswith("LR10")}
    assert ("LR101", "template.native.yaml", 4) in rules
    assert not any(rule == "LR104" and path == "template.native.yaml" for rule, path, _ in rules)
    assert ("LR104", "stack.yaml", 6) in rules  # a current OS-only runtime keeps its notice
