"""A `Resource` that is `*` only through a deploy-time input's default (a SAM parameter's `Default`,
a Terraform root variable's `default`, a Serverless `${param:x, '*'}` fallback) is what deploys when
nobody passes a value: LR301 reports it as a warning, as a written `*`, and its words name the input
and the line of its default."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "guardrails"


def lr301(name: str) -> dict[int, dict]:
    out = io.StringIO()
    main(["scan", str(FIXTURES / name), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out)
    return {f["line"]: f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR301"}


def line_of(path: Path, needle: str) -> int:
    return next(number for number, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


def test_sam_parameter_default_star_in_a_policy_resource_is_every_resource():
    template = FIXTURES / "sam-tuner-defaults" / "template.yaml"
    findings = lr301("sam-tuner-defaults")
    reconfigure = findings[line_of(template, "- Effect: Allow")]
    assert reconfigure["function"] == "Reconfigure"
    assert reconfigure["severity"] == "warning"
    assert "`lambda:UpdateFunctionConfiguration`, `lambda:PublishVersion` on every resource" in reconfigure["message"]
    assert f"`!Ref TargetFunctions`, whose default `*` (`template.yaml:{line_of(template, chr(39) + '*' + chr(39))}`)" \
        in reconfigure["message"]
    assert "reported as a written `*` would be" in reconfigure["message"]
    # A `*` written beside the parameter is the statement's own: the plain words, once.
    measure = [f for f in findings.values() if f["function"] == "Measure"]
    assert [f["message"].count('(`Resource: "*"`)') for f in measure] == [1]
    assert "default" not in measure[0]["message"]
    # A parameter whose default is an ARN, or that has no default, is not a wildcard.
    assert {f["function"] for f in findings.values()} == {"Reconfigure", "Measure"}


def test_terraform_root_variable_default_star_is_every_resource_unless_tfvars_sets_it():
    root = FIXTURES / "terraform-tuner-defaults"
    findings = lr301("terraform-tuner-defaults")
    # The jsonencode statement from its opening brace; the data source's from its block.
    assert set(findings) == {line_of(root / "main.tf", "      {"), line_of(root / "main.tf", "statement {")}
    default_line = line_of(root / "variables.tf", 'default     = "*"')
    for finding in findings.values():
        assert finding["severity"] == "warning"
        assert f"`var.target_functions`, whose default `*` (`variables.tf:{default_line}`)" in finding["message"]


def test_serverless_variable_fallback_star_is_every_resource_and_a_written_star_says_so_plainly():
    config = FIXTURES / "serverless-tuner-defaults" / "serverless.yml"
    findings = lr301("serverless-tuner-defaults")
    by_action = {f["message"].split(" allows ")[1].split(" on every")[0]: f for f in findings.values()}
    assert set(by_action) == {"`lambda:UpdateFunctionConfiguration`, `lambda:PublishVersion`",
                              "`lambda:InvokeFunction`", "`sns:Publish`"}
    tune = by_action["`lambda:UpdateFunctionConfiguration`, `lambda:PublishVersion`"]["message"]
    assert (f"`${{self:custom.targetFunctions}}`, whose default `*` "
            f"(`serverless.yml:{line_of(config, 'targetFunctions: ${param')}`)") in tune
    invoke = by_action["`lambda:InvokeFunction`"]["message"]
    assert f"(`serverless.yml:{line_of(config, 'invokeTargets')}`)" in invoke
    # `custom.archiveTopic: '*'` is the file's own value, not a default.
    assert '(`Resource: "*"`)' in by_action["`sns:Publish`"]["message"]
    assert all(f["severity"] == "warning" for f in findings.values())


def test_a_service_wildcard_on_a_defaulted_resource_names_the_default_after_the_actions():
    out = io.StringIO()
    main(["scan", str(FIXTURES / "serverless-tuner-defaults"), "--format", "json", "--audit", "off",
          "--fail-on", "never", "--reference-date", "2026-12-07"], stdout=out)
    config = FIXTURES / "serverless-tuner-defaults" / "serverless.yml"
    [finding] = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR300"]
    assert finding["severity"] == "error"
    assert finding["message"].startswith(
        "A policy statement on the execution role of `tune` (provider.iam.role.statements) allows "
        "`dynamodb:*` (every action of the service) on every resource: it names "
        f"`${{param:resultsTable, '*'}}`, whose default `*` (`serverless.yml:{line_of(config, 'resultsTable')}`) "
        "is what deploys when the deployment passes no value of its own. The code,")
