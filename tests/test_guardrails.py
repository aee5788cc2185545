"""Guardrails from the Lambda security guidance (LR300–LR304, LR400–LR402), end to end through the CLI."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "guardrails"
GUARDRAIL_RULES = {"LR300", "LR301", "LR302", "LR303", "LR304", "LR400", "LR401", "LR402"}


def scan(root: Path, *extra: str, fmt: str = "json") -> str:
    out = io.StringIO()
    main(["scan", str(root), "--format", fmt, "--reference-date", "2026-11-22", *extra], stdout=out)
    return out.getvalue()


def guardrail_findings(root: Path, *extra: str) -> list[dict]:
    report = json.loads(scan(root, *extra))
    return [f for f in report["findings"] if f["rule_id"] in GUARDRAIL_RULES]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `needle`, so tests say which line they mean."""
    seen = 0
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if needle in text:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def found(findings: list[dict]) -> set[tuple[str, str | None, str, int]]:
    return {(f["rule_id"], f["function"], f["path"], f["line"]) for f in findings}


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


# -- SAM -------------------------------------------------------------------------------------------


def test_sam_app_gets_each_guardrail_finding_on_the_line_that_causes_it():
    root = FIXTURES / "sam-app"
    template = root / "template.yaml"
    t = "template.yaml"
    expected = {
        ("LR300", "AdminFunction", t, line_of(template, "policy/AdministratorAccess")),
        ("LR300", "AdminFunction", t, line_of(template, "Effect: Allow", 1)),
        ("LR301", "WriterFunction", t, line_of(template, "Effect: Allow", 2)),
        ("LR302", "PublicFunction", t, line_of(template, "AuthType: NONE")),
        ("LR304", "SecretsFunction", t, line_of(template, "DB_PASSWORD:")),
        ("LR304", "SecretsFunction", t, line_of(template, "LEGACY_KEY:")),
        ("LR304", "SecretsFunction", t, line_of(template, "REPORTS_DB_URL:")),
        ("LR304", "SecretsFunction", t, line_of(template, "Default: tok-")),
        ("LR401", "PublicFunction", t, line_of(template, "PublicFunction:")),
        ("LR402", "ReportsFunction", "src/reports/report.py", line_of(root / "src/reports/report.py", "download_file")),
        ("LR402", "ReportsFunction", "src/reports/report.py", line_of(root / "src/reports/report.py", '"w"')),
        ("LR402", "ReportsFunction", "src/reports/render.py", line_of(root / "src/reports/render.py", "write_text")),
    } | {
        ("LR400", name, t, line_of(template, f"  {name}:"))
        for name in ("AdminFunction", "WriterFunction", "PublicFunction", "SecretsFunction", "ReportsFunction")
    }
    assert found(guardrail_findings(root)) == expected


def test_policy_statement_findings_span_the_statement_and_name_the_actions():
    findings = {f["rule_id"] + (f["function"] or ""): f for f in guardrail_findings(FIXTURES / "sam-app")
                if f["rule_id"] in ("LR300", "LR301") and "statement" in f["message"]}
    wildcard = findings["LR300AdminFunction"]
    assert wildcard["end_line"] == wildcard["line"] + 3
    assert "`dynamodb:*`" in wildcard["message"] and wildcard["severity"] == "error"
    writes = findings["LR301WriterFunction"]
    assert "`sqs:SendMessage`" in writes["message"] and "`iam:PassRole`" in writes["message"]
    assert "administrator role" in writes["message"]  # the PassRole consequence is spelled out
    assert writes["severity"] == "warning"


def test_basic_execution_logging_and_read_actions_on_star_are_not_flagged():
    messages = " ".join(f["message"] for f in guardrail_findings(FIXTURES / "sam-app") if f["rule_id"] == "LR301")
    for action in ("logs:PutLogEvents", "xray:PutTraceSegments", "s3:GetObject", "s3:ListBucket"):
        assert action not in messages


def test_sam_policy_templates_and_scoped_policies_are_not_flagged():
    flagged = " ".join(f["message"] for f in guardrail_findings(FIXTURES / "sam-app") if f["rule_id"] == "LR300")
    assert "DynamoDBReadPolicy" not in flagged


def test_variables_that_point_to_secrets_are_not_flagged():
    flagged = {f["message"].split("`")[1] for f in guardrail_findings(FIXTURES / "sam-app") if f["rule_id"] == "LR304"}
    assert flagged == {"DB_PASSWORD", "LEGACY_KEY", "REPORTS_DB_URL", "API_TOKEN"}


def test_public_url_message_points_to_api_gateway_or_iam_and_suggests_aws_iam():
    (finding,) = [f for f in guardrail_findings(FIXTURES / "sam-app") if f["rule_id"] == "LR302"]
    assert "API Gateway" in finding["message"] and "AWS_IAM" in finding["message"]
    assert finding["suggestion"] == "        AuthType: AWS_IAM"


def test_latest_only_finding_explains_immutability_rollback_and_audit_trail():
    (finding,) = [f for f in guardrail_findings(FIXTURES / "sam-app") if f["rule_id"] == "LR401"]
    message = finding["message"]
    assert "immutable" in message and "return to" in message and "record of what ran" in message
    assert "the function URL (line" in message
    assert finding["related"]


def test_clean_sam_function_gets_no_guardrail_findings():
    """Policy templates, an IAM-auth URL, code signing, AutoPublishAlias and Secrets Manager references."""
    report = json.loads(scan(FIXTURES / "sam-clean"))
    assert [f["name"] for f in report["functions"]] == ["HealthFunction"]
    assert [f for f in report["findings"] if f["rule_id"] in GUARDRAIL_RULES] == []


def test_removing_code_signing_or_the_alias_from_the_clean_function_is_noticed(tmp_path):
    root = copy_fixture("sam-clean", tmp_path)
    template = root / "template.yaml"
    text = template.read_text()
    template.write_text(text.replace("      CodeSigningConfigArn: !Ref SigningConfig\n", "")
                        .replace("      AutoPublishAlias: live\n", ""))
    rules = sorted(f["rule_id"] for f in guardrail_findings(root))
    assert rules == ["LR400", "LR401"]


# -- CloudFormation --------------------------------------------------------------------------------


def test_cloudformation_role_policies_urls_and_permissions_are_followed_to_the_function():
    root = FIXTURES / "cloudformation"
    stack = root / "stack.yaml"
    s, u = "stack.yaml", "url.json"
    url = root / "url.json"
    expected = {
        ("LR300", "ProcessorFunction", s, line_of(stack, "policy/PowerUserAccess")),
        ("LR300", "ProcessorFunction", s, line_of(stack, "- Effect: Allow", 2)),   # Action: "*" in the role
        ("LR301", "ProcessorFunction", s, line_of(stack, "- Effect: Allow", 3)),   # s3:PutObject in UploadPolicy
        ("LR301", "ProcessorFunction", s, line_of(stack, "Effect: Allow", 4)),     # iam:PassRole in PassRolePolicy
        ("LR302", "ProcessorFunction", s, line_of(stack, "AuthType: NONE")),
        ("LR303", "ProcessorFunction", s, line_of(stack, "Principal: s3.amazonaws.com")),
        ("LR303", "ProcessorFunction", s, line_of(stack, "Principal: sns.amazonaws.com")),
        ("LR303", "ProcessorFunction", s, line_of(stack, 'Principal: "*"', 2)),
        ("LR304", "ProcessorFunction", s, line_of(stack, "TLS_BUNDLE:")),
        ("LR400", "ProcessorFunction", s, line_of(stack, "  ProcessorFunction:")),
        ("LR401", "ProcessorFunction", s, line_of(stack, "  ProcessorFunction:")),
        ("LR302", "WebhookFunction", u, line_of(url, '"AuthType": "NONE"')),
        ("LR304", "WebhookFunction", u, line_of(url, "GITHUB_WEBHOOK_SECRET")),
        ("LR400", "WebhookFunction", u, line_of(url, '"WebhookFunction": {')),
        ("LR401", "WebhookFunction", u, line_of(url, '"WebhookFunction": {')),
    }
    assert found(guardrail_findings(root)) == expected


def test_confused_deputy_messages_name_what_is_missing():
    messages = {f["line"]: f["message"] for f in guardrail_findings(FIXTURES / "cloudformation")
                if f["rule_id"] == "LR303"}
    stack = FIXTURES / "cloudformation" / "stack.yaml"
    s3 = messages[line_of(stack, "Principal: s3.amazonaws.com")]
    assert "without `SourceAccount`" in s3 and "another account" in s3
    assert "without `SourceArn`" in messages[line_of(stack, "Principal: sns.amazonaws.com")]
    assert "any AWS account" in messages[line_of(stack, 'Principal: "*"', 2)]


def test_signed_published_and_inline_functions_get_no_deployment_notices():
    names = {f["function"] for f in guardrail_findings(FIXTURES / "cloudformation")}
    assert "SignedFunction" not in names and "InlineFunction" not in names


def test_guardrail_facts_are_read_into_the_inventory():
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    functions = {f.name: f for f in build_inventory(Workspace(FIXTURES / "cloudformation")).functions}
    processor, signed = functions["ProcessorFunction"], functions["SignedFunction"]
    assert processor.url is not None and processor.url.auth_type == "NONE"
    assert {p.principal for p in processor.permissions} == {"*", "s3.amazonaws.com", "sns.amazonaws.com"}
    assert [m.name for m in processor.managed_policies][:2] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess",
    ]
    assert {s.source for s in processor.policy_statements} == {
        "AWS::IAM::Role ProcessorRole", "AWS::IAM::ManagedPolicy UploadPolicy", "AWS::IAM::Policy PassRolePolicy"}
    assert signed.published and signed.code_signing is not None
    assert [(p.principal, p.qualifier) for p in signed.permissions] == [("events.amazonaws.com", "live")]
    assert not processor.published and processor.code_signing is None


@pytest.mark.parametrize("policies", [
    "Policies: 42", "Policies: [[], {}, null, {Statement: 7}, {Statement: [1, 'x', {Action: {a: b}}]}]",
    "Role: !GetAtt Missing.Arn", "Role: {'Fn::GetAtt': []}", "FunctionUrlConfig: [NONE]",
    "Environment: {Variables: [1, 2]}", "CodeSigningConfigArn: !Ref AWS::NoValue",
])
def test_odd_guardrail_shapes_never_break_the_scan(tmp_path, policies):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Odd:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        f"      Runtime: python3.13\n      Handler: app.handler\n      {policies}\n"
        "  Perm:\n    Type: AWS::Lambda::Permission\n    Properties: {FunctionName: {'Fn::Sub': [1]}, Principal: [x]}\n"
        "  Url:\n    Type: AWS::Lambda::Url\n    Properties: {TargetFunctionArn: {'Fn::Join': ['', 5]}}\n"
    )
    report = json.loads(scan(tmp_path))
    assert [f["name"] for f in report["functions"]] == ["Odd"]


# -- secrets never leave the repository --------------------------------------------------------------

SECRET_VALUES = ("s3cr3t-Pa55w0rd-FIXTURE", "AKIAIOSFODNN7EXAMPLE", "hunter2-FIXTURE", "tok-4f9a2c1e8b7d",
                 "MIIEfixture", "whsec-fixture-0000")


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "text"])
def test_secret_values_appear_in_no_scan_output(fmt):
    for fixture in ("sam-app", "cloudformation"):
        output = scan(FIXTURES / fixture, fmt=fmt)
        assert "LR304" in output
        for secret in SECRET_VALUES:
            assert secret not in output, (fixture, fmt, secret)


def test_secret_values_appear_in_no_fingerprint_input_or_suggestion():
    from reviewer.config import Settings
    from reviewer.scan import scan_checkout

    for fixture in ("sam-app", "cloudformation"):
        result = scan_checkout(FIXTURES / fixture, Settings())
        for finding in [f for f in result.findings if f.rule_id == "LR304"]:
            exposed = " ".join([finding.evidence, finding.message, finding.suggestion or "", finding.title])
            assert not any(secret in exposed for secret in SECRET_VALUES)
            assert finding.evidence.startswith("plain-secret")


def test_secret_values_appear_in_no_review_preview(tmp_path):
    from scenario import git

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("orders\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    shutil.copytree(FIXTURES / "sam-app", root, dirs_exist_ok=True)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "head")
    for fmt in ("markdown", "json"):
        out = io.StringIO()
        main(["review", str(root), "--base", "HEAD~1", "--format", fmt, "--reference-date", "2026-11-22"], stdout=out)
        assert "LR304" in out.getvalue()
        assert not any(secret in out.getvalue() for secret in SECRET_VALUES), fmt


# -- configuration, suppression, catalogue ------------------------------------------------------------


def test_code_signing_notice_can_be_raised_to_a_warning_in_config(tmp_path):
    root = copy_fixture("sam-app", tmp_path)
    (root / ".lambda-review.yml").write_text("severity:\n  LR400: warning\n")
    severities = {f["severity"] for f in guardrail_findings(root) if f["rule_id"] == "LR400"}
    assert severities == {"warning"}
    out = io.StringIO()
    assert main(["scan", str(root), "--fail-on", "warning", "--config", str(root / ".lambda-review.yml")],
                stdout=out) == 1


def test_public_url_can_be_accepted_inline_and_in_config(tmp_path):
    root = copy_fixture("sam-app", tmp_path)
    template = root / "template.yaml"
    template.write_text(template.read_text().replace(
        "        AuthType: NONE\n", "        AuthType: NONE  # lambda-review: ignore[LR302] public status page\n"))
    report = json.loads(scan(root))
    assert "LR302" not in {f["rule_id"] for f in report["findings"]}
    assert [(s["rule_id"], s["reason"]) for s in report["summary"]["suppressed"] if s["rule_id"] == "LR302"] == [
        ("LR302", "public status page")]

    root2 = copy_fixture("cloudformation", tmp_path / "second")
    (root2 / ".lambda-review.yml").write_text(
        "ignore:\n  - rule: LR303\n    path: stack.yaml\n    reason: partner account integration\n")
    report = json.loads(scan(root2))
    assert "LR303" not in {f["rule_id"] for f in report["findings"]}
    assert len([s for s in report["summary"]["suppressed"] if s["rule_id"] == "LR303"]) == 3


def test_guardrail_rules_are_listed_explained_and_described_in_sarif():
    out = io.StringIO()
    main(["rules"], stdout=out)
    for rule_id in GUARDRAIL_RULES:
        assert rule_id in out.getvalue()
    out = io.StringIO()
    main(["explain", "lr304"], stdout=out)
    assert "Secret in a plain environment variable" in out.getvalue()
    assert "{{resolve:secretsmanager:" in out.getvalue()
    sarif = json.loads(scan(FIXTURES / "sam-app", fmt="sarif"))
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert GUARDRAIL_RULES - {"LR303"} <= set(rules)
    assert rules["LR400"]["defaultConfiguration"]["level"] == "note"
    assert rules["LR300"]["helpUri"].startswith("https://docs.aws.amazon.com/")


def test_shared_role_statement_gives_one_finding_that_names_every_function(tmp_path):
    (tmp_path / "stack.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
        "  SharedRole:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n"
        "        - PolicyName: all\n          PolicyDocument:\n            Statement:\n"
        "              - {Effect: Allow, Action: 'lambda:*', Resource: '*'}\n"
        + "".join(
            f"  {name}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n"
            f"      Handler: app.handler\n      Role: !GetAtt SharedRole.Arn\n      Code: {{ZipFile: 'x'}}\n"
            for name in ("First", "Second"))
    )
    (finding,) = [f for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR300"]
    assert finding["function"] is None
    assert "`First`" in finding["message"] and "`Second`" in finding["message"]


def test_hostile_variable_names_stay_inside_code_spans(tmp_path):
    from reviewer.markdown import code

    name = "@admins`<img src=x>`_PASSWORD"
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.13\n      Handler: app.handler\n"
        f"      Environment:\n        Variables:\n          '{name}': 'hunter22-xyz'\n"
    )
    (finding,) = [f for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR304"]
    assert str(code(name)) in finding["message"]
    assert finding["message"].count("<img") == 1 and "hunter22-xyz" not in finding["message"]


# -- Serverless and Terraform: the same rules on the facts their readers record --------------------------


def test_serverless_service_gets_the_guardrail_findings():
    root = FIXTURES / "serverless"
    config = root / "serverless.yml"
    s = "serverless.yml"
    expected = {
        ("LR300", None, s, line_of(config, "- Effect: Allow", 1)),          # lambda:* for both functions
        ("LR300", None, s, line_of(config, "AmazonDynamoDBFullAccess")),
        ("LR301", None, s, line_of(config, "- Effect: Allow", 2)),          # sns:Publish on *
        ("LR302", "invoice", s, line_of(config, "url: true")),
        ("LR304", "invoice", s, line_of(config, "STRIPE_SECRET_KEY")),
        ("LR400", "invoice", s, line_of(config, "  invoice:")),
        ("LR400", "healthcheck", s, line_of(config, "  healthcheck:")),
    }
    assert found(guardrail_findings(root)) == expected
    shared = [f for f in guardrail_findings(root) if f["function"] is None]
    assert all("`invoice`" in f["message"] and "`healthcheck`" in f["message"] for f in shared)


def test_terraform_module_gets_the_guardrail_findings():
    root = FIXTURES / "terraform"
    main_tf = root / "main.tf"
    fn, m = "aws_lambda_function.webhook", "main.tf"
    expected = {
        ("LR300", fn, m, line_of(main_tf, 'policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"')),
        ("LR301", fn, m, line_of(main_tf, "      {")),   # the statement inside jsonencode
        ("LR302", fn, m, line_of(main_tf, 'authorization_type = "NONE"')),
        ("LR303", fn, m, line_of(main_tf, 'principal     = "sns.amazonaws.com"')),
        ("LR304", fn, m, line_of(main_tf, "SLACK_TOKEN")),
        ("LR400", fn, m, line_of(main_tf, 'resource "aws_lambda_function" "webhook"')),
        ("LR401", fn, m, line_of(main_tf, 'resource "aws_lambda_function" "webhook"')),
    }
    assert found(guardrail_findings(root)) == expected
    (url,) = [f for f in guardrail_findings(root) if f["rule_id"] == "LR302"]
    assert url["suggestion"] == '  authorization_type = "AWS_IAM"'


@pytest.mark.parametrize("fixture, secret", [("serverless", "sk-fixture-serverless-0001"),
                                             ("terraform", "xoxb-fixture-terraform-0002")])
def test_secret_values_never_appear_for_serverless_and_terraform(fixture, secret):
    for fmt in ("json", "sarif", "markdown", "text"):
        output = scan(FIXTURES / fixture, fmt=fmt)
        assert "LR304" in output and secret not in output


def test_no_signing_notice_when_the_reader_cannot_tell(tmp_path):
    """A reader that cannot see code signing (CDK source, say) records why; LR400 then stays silent."""
    from reviewer.analyzers.deployment import DeploymentAnalyzer
    from reviewer.analyzers.interface import AnalysisContext
    from reviewer.config import Settings
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    workspace = Workspace(FIXTURES / "sam-app")
    inventory = build_inventory(workspace)
    assert "LR400" in {f.rule_id for f in DeploymentAnalyzer().analyze(AnalysisContext(workspace, inventory, Settings()))}
    for function in inventory.functions:
        function.unresolved["CodeSigningConfigArn"] = "the construct's codeSigningConfig is not read"
    rules = {f.rule_id for f in DeploymentAnalyzer().analyze(AnalysisContext(workspace, inventory, Settings()))}
    assert "LR400" not in rules and "LR401" in rules


def test_huge_hostile_environment_values_are_judged_quickly(tmp_path):
    import time

    from reviewer.analyzers.secrets import secret_reason

    started = time.monotonic()
    assert secret_reason("NOTES", "a" * 1_000_000, literal=True) is None
    assert secret_reason("NOTES", "x://" + "u" * 500_000 + ":" * 3, literal=True) is None
    assert secret_reason("DB_PASSWORD", "p" * 1_000_000, literal=True) is not None
    assert time.monotonic() - started < 2


_SERVICE_PERMISSION = """\
Resources:
  AgentFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/agent
      Code: {{ZipFile: "def handler(event, context): return event"}}
  AgentPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref AgentFunction
      Action: lambda:InvokeFunction
      Principal: {principal}
{extra}"""


@pytest.mark.parametrize("principal", ["bedrock.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com"])
def test_a_service_permission_limited_to_the_account_is_not_a_confused_deputy(tmp_path, principal):
    (tmp_path / "template.yaml").write_text(_SERVICE_PERMISSION.format(
        principal=principal, extra="      SourceAccount: !Ref AWS::AccountId\n"))
    assert [f for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR303"] == []


def test_a_service_permission_with_no_source_at_all_is_still_reported(tmp_path):
    (tmp_path / "template.yaml").write_text(_SERVICE_PERMISSION.format(principal="bedrock.amazonaws.com",
                                                                      extra=""))
    [finding] = [f for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR303"]
    assert finding["function"] == "AgentFunction" and "without `SourceArn`" in finding["message"]
    assert "`SourceAccount` alone" in finding["message"]


def test_terraform_functions_of_one_module_call_share_notices_in_terraform_terms(tmp_path):
    # Two functions of a local module land on the one `module` block: one notice names both, with
    # plural verbs, and says the Terraform argument rather than the CloudFormation property.
    (tmp_path / "modules/jobs").mkdir(parents=True)
    (tmp_path / "modules/jobs/main.tf").write_text("".join(
        f'resource "aws_lambda_function" "{name}" {{\n  function_name = "{name}"\n  runtime = "python3.13"\n'
        f'  handler = "app.handler"\n  role = "arn:aws:iam::123456789012:role/jobs"\n  filename = "jobs.zip"\n}}\n'
        f'resource "aws_lambda_function_url" "{name}" {{\n'
        f'  function_name = aws_lambda_function.{name}.function_name\n  authorization_type = "AWS_IAM"\n}}\n'
        for name in ("export", "import")))
    (tmp_path / "main.tf").write_text('module "jobs" {\n  source = "./modules/jobs"\n}\n')
    messages = {f["rule_id"]: f["message"] for f in guardrail_findings(tmp_path) if f["function"] is None}
    assert "have no code signing configuration" in messages["LR400"]
    assert "`code_signing_config_arn`" in messages["LR400"] and "CodeSigningConfigArn" not in messages["LR400"]
    assert " are invoked through " in messages["LR401"]
    assert "`publish = true`" in messages["LR401"] and "AutoPublishAlias" not in messages["LR401"]


def test_serverless_provisioned_concurrency_publishes_a_version_even_with_versioning_off(tmp_path):
    """Serverless publishes a version and a `provisioned` alias for a function with
    `provisionedConcurrency`, whatever `versionFunctions` says, and points its events at the alias."""
    (tmp_path / "serverless.yml").write_text(
        "service: quotes\nprovider:\n  name: aws\n  runtime: java21\n  versionFunctions: false\n"
        "functions:\n"
        "  warm:\n    handler: quotes.Warm\n    provisionedConcurrency: 2\n"
        "    events:\n      - http:\n          path: warm\n          method: get\n"
        "  cold:\n    handler: quotes.Cold\n"
        "    events:\n      - http:\n          path: cold\n          method: get\n")
    unpublished = [f["function"] for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR401"]
    assert unpublished == ["cold"]


def test_cdk_inline_code_gets_no_code_signing_notice(tmp_path):
    """Code signing applies to .zip packages; CDK inline code (`Code.fromInline`, `from_inline`,
    Java's `new InlineCode(...)`) is synthesized as `ZipFile` and cannot be signed."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "hooks-stack.ts").write_text(
        "import * as cdk from 'aws-cdk-lib';\nimport * as lambda from 'aws-cdk-lib/aws-lambda';\n\n"
        "export class HooksStack extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n"
        "    super(scope, id);\n"
        "    new lambda.Function(this, 'Ping', {\n      runtime: lambda.Runtime.NODEJS_22_X,\n"
        "      handler: 'index.handler',\n      code: lambda.Code.fromInline('exports.handler = async () => 1;'),\n"
        "    });\n"
        "    new lambda.Function(this, 'Packaged', {\n      runtime: lambda.Runtime.NODEJS_22_X,\n"
        "      handler: 'index.handler',\n      code: lambda.Code.fromAsset('hooks'),\n    });\n  }\n}\n")
    (tmp_path / "hooks_stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n"
        "class HooksStack(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
        "        _lambda.Function(self, 'Echo', runtime=_lambda.Runtime.PYTHON_3_12, handler='index.handler',\n"
        "                         code=_lambda.Code.from_inline('def handler(event, context):\\n    return event'))\n")
    (tmp_path / "src" / "main" / "java" / "hooks").mkdir(parents=True)
    (tmp_path / "src" / "main" / "java" / "hooks" / "HooksStack.java").write_text(
        "package hooks;\n\nimport software.amazon.awscdk.Stack;\nimport software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.InlineCode;\nimport software.amazon.awscdk.services.lambda.Runtime;\n"
        "import software.constructs.Construct;\n\npublic class HooksStack extends Stack {\n"
        "    public HooksStack(final Construct scope, final String id) {\n        super(scope, id);\n"
        "        Function.Builder.create(this, \"Hello\")\n            .runtime(Runtime.NODEJS_22_X)\n"
        "            .handler(\"index.handler\")\n"
        "            .code(new InlineCode(\"exports.handler = _ => 'Hello';\"))\n            .build();\n    }\n}\n")
    unsigned = sorted(f["function"] or f["message"] for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR400")
    assert unsigned == ["Packaged"]


def test_an_invoke_permission_is_told_its_conditions_as_its_own_file_names_them(tmp_path):
    """LR303 names the conditions a permission lacks as the file that declares it writes them:
    Terraform's `source_arn`/`source_account` on an `aws_lambda_permission`, a template's `SourceArn`."""
    (tf,) = [f for f in guardrail_findings(FIXTURES / "terraform") if f["rule_id"] == "LR303"]
    assert "without `source_arn`" in tf["message"] and "`SourceArn`" not in tf["message"]
    (tmp_path / "main.tf").write_text(
        'resource "aws_lambda_function" "thumbs" {\n  function_name = "thumbs"\n  runtime = "python3.12"\n'
        '  handler = "app.handler"\n  filename = "app.zip"\n  role = "arn:aws:iam::123456789012:role/thumbs"\n}\n'
        'resource "aws_lambda_permission" "from_bucket" {\n  action = "lambda:InvokeFunction"\n'
        '  function_name = aws_lambda_function.thumbs.function_name\n  principal = "s3.amazonaws.com"\n'
        '  source_arn = "arn:aws:s3:::uploads"\n}\n')
    (s3,) = [f for f in guardrail_findings(tmp_path) if f["rule_id"] == "LR303"]
    assert "without `source_account`" in s3["message"] and "S3 needs `source_account` as well" in s3["message"]
    assert "SourceAccount" not in s3["message"]
    stack = [f for f in guardrail_findings(FIXTURES / "cloudformation") if f["rule_id"] == "LR303"]
    assert stack and all("`SourceArn`" in f["message"] or "`PrincipalOrgID`" in f["message"] for f in stack)
