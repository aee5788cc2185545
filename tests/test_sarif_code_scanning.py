"""SARIF that code scanning uses fully, and bandit's tests explained (issue 19)."""

from __future__ import annotations

import io

from reviewer.cli import main
from reviewer.findings import Finding, Severity
from reviewer.publish.sarif import to_sarif


def _finding(rule_id: str, severity: Severity, message: str = "m", engine: str = "lambda-review") -> Finding:
    return Finding(rule_id=rule_id, severity=severity, title=f"title {rule_id}", message=message,
                   path="requirements.txt", line=1, engine=engine, evidence=rule_id)


def test_the_category_comes_from_upload_sarif_unless_one_is_given():
    assert "automationDetails" not in to_sarif([])["runs"][0]
    assert to_sarif([], category="matrix-py313")["runs"][0]["automationDetails"] == {"id": "matrix-py313/"}


def test_rules_carry_security_severity_and_cwe_tags():
    findings = [_finding("LR304", Severity.ERROR),
                _finding("bandit/B602", Severity.ERROR, "shell=True.\n\n[CWE-78](https://cwe.mitre.org/data/"
                                                        "definitions/78.html)", engine="bandit")]
    rules = {rule["id"]: rule for rule in to_sarif(findings)["runs"][0]["tool"]["driver"]["rules"]}
    assert "external/cwe/cwe-798" in rules["LR304"]["properties"]["tags"]
    assert "external/cwe/cwe-78" in rules["bandit/B602"]["properties"]["tags"]
    for rule in rules.values():
        assert 0.0 < float(rule["properties"]["security-severity"]) <= 10.0


def test_an_engine_that_did_not_run_is_a_notification_not_an_alert():
    run = to_sarif([_finding("LR900", Severity.NOTICE, "Dependency audit did not run: unreachable."),
                    _finding("LR500", Severity.ERROR)])["runs"][0]
    assert [result["ruleId"] for result in run["results"]] == ["LR500"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["descriptor"] == {"id": "LR900"} and "did not run" in notification["message"]["text"]


def _explain(rule: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["explain", rule], stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def test_explain_knows_every_bandit_test():
    from reviewer.analyzers.bandit_plugins import load_bandit

    load_bandit()
    from bandit.core import extension_loader

    ids = set(extension_loader.MANAGER.plugins_by_id) | set(extension_loader.MANAGER.blacklist_by_id)
    assert len(ids) > 50
    for test_id in sorted(ids):
        code, text = _explain(f"bandit/{test_id}")
        assert code == 0 and text.startswith(f"bandit/{test_id}: "), text
    code, text = _explain("bandit/B602")
    assert "What to do instead" in text and "shlex.quote" in text and "# nosec B602" in text
    assert _explain("bandit/B999")[0] == 2


def test_the_sarif_category_input_reaches_the_report(tmp_path):
    import json

    from scenario import build_scenario, run_action

    scenario = build_scenario(tmp_path, padding_files=0)
    run = run_action(tmp_path, scenario.workspace, event_name="push", event_path=None, api_url="http://127.0.0.1:9",
                     token="", inputs={"SARIF-CATEGORY": "lambda-review-py313", "AUDIT": "off"})
    assert run.exit_code == 1, run.stdout + run.stderr
    sarif = json.loads((scenario.workspace / "lambda-review.sarif").read_text())
    assert sarif["runs"][0]["automationDetails"] == {"id": "lambda-review-py313/"}
