"""Serverless Framework services: every function, its runtime at the line that declares it, and
its code, environment, events, IAM and URL as the review needs them."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from inventory_helpers import line_containing, scan_report

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat, lambda_logical_id
from reviewer.inventory.serverless.variables import VariableResolver
from reviewer.located import load_yaml
from reviewer.model import Function, ResourceRef
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "serverless" / "orders-service"
DAY = "2026-11-22"

SERVICE = """\
service: billing
frameworkVersion: '3'

provider:
  name: aws
  runtime: python3.12
  region: eu-west-1

functions:
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _service(root: Path, functions: str, rel: str = "serverless.yml", head: str = SERVICE) -> Path:
    return _write(root, {rel: head + textwrap.indent(textwrap.dedent(functions), "  ")})


def _read(root: Path):
    return ServerlessFormat().scan(Workspace(root))


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in _read(root).functions}


def _line(root: Path, rel: str, snippet: str) -> int:
    return line_containing(root, rel, snippet)


def _scan(root: Path) -> dict:
    return scan_report(root, DAY)


# -- runtime -------------------------------------------------------------------------------------------


def test_provider_runtime_is_the_default_and_a_function_runtime_overrides_it(tmp_path):
    _service(tmp_path, """
        invoice:
          handler: handler.invoice
        legacy:
          handler: handler.legacy
          runtime: python3.8
        """)
    functions = _functions(tmp_path)
    invoice, legacy = functions["invoice"], functions["legacy"]
    assert invoice.format == "serverless" and invoice.runtime == "python3.12"
    assert invoice.where("Runtime").line == _line(tmp_path, "serverless.yml", "runtime: python3.12")
    assert legacy.runtime == "python3.8"
    assert legacy.where("Runtime").line == _line(tmp_path, "serverless.yml", "runtime: python3.8")
    assert invoice.location.line == _line(tmp_path, "serverless.yml", "invoice:")
    assert invoice.properties["logical_id"] == "InvoiceLambdaFunction"


def test_a_self_reference_resolves_to_the_line_that_holds_the_value(tmp_path):
    _write(tmp_path, {"serverless.yml": textwrap.dedent("""\
        service: billing
        custom:
          runtimes:
            python: python3.9
          chosen: ${self:custom.runtimes.python}
        provider:
          name: aws
          runtime: ${self:custom.chosen}
        functions:
          invoice:
            handler: handler.invoice
        """)})
    invoice = _functions(tmp_path)["invoice"]
    assert invoice.runtime == "python3.9"
    assert invoice.where("Runtime").line == _line(tmp_path, "serverless.yml", "runtime: ${self:custom.chosen}")
    assert invoice.locations["Runtime.Default"].line == _line(tmp_path, "serverless.yml", "python: python3.9")
    (finding,) = [f for f in _scan(tmp_path)["findings"] if f["rule_id"] == "LR100"]
    assert finding["line"] == _line(tmp_path, "serverless.yml", "python: python3.9")
    assert finding["suggestion"] == "    python: python3.14"


def test_a_runtime_from_the_command_line_is_unresolved_and_not_guessed(tmp_path):
    _service(tmp_path, """
        invoice:
          handler: handler.invoice
          runtime: ${opt:runtime}
        report:
          handler: handler.report
          runtime: ${env:REPORT_RUNTIME}-x
        """)
    functions = _functions(tmp_path)
    assert functions["invoice"].runtime is None
    assert functions["invoice"].unresolved["Runtime"] == "depends on ${opt:runtime}"
    assert functions["report"].unresolved["Runtime"] == "depends on ${env:REPORT_RUNTIME}"
    assert not [f for f in _scan(tmp_path)["findings"] if f["rule_id"].startswith("LR10")]


def test_a_fallback_written_in_the_file_is_what_deploys_and_is_judged(tmp_path):
    _service(tmp_path, """
        invoice:
          handler: handler.invoice
          runtime: ${opt:runtime, 'nodejs14.x'}
        """)
    invoice = _functions(tmp_path)["invoice"]
    assert invoice.runtime == "nodejs14.x" and invoice.properties["runtime_fallback_of"] == "${opt:runtime}"
    (finding,) = [f for f in _scan(tmp_path)["findings"] if f["rule_id"] == "LR101"]
    assert finding["line"] == _line(tmp_path, "serverless.yml", "nodejs14.x")


def test_no_runtime_anywhere_is_reported_as_unresolved(tmp_path):
    _service(tmp_path, "invoice:\n  handler: handler.invoice\n", head=SERVICE.replace("  runtime: python3.12\n", ""))
    invoice = _functions(tmp_path)["invoice"]
    assert invoice.runtime is None and "framework version" in invoice.unresolved["Runtime"]


def test_self_references_that_loop_stay_unresolved(tmp_path):
    _write(tmp_path, {"serverless.yml": textwrap.dedent("""\
        service: billing
        custom:
          a: ${self:custom.b}
          b: ${self:custom.a}
        provider:
          name: aws
          runtime: ${self:custom.a}
        functions:
          invoice:
            handler: handler.invoice
        """)})
    invoice = _functions(tmp_path)["invoice"]
    assert invoice.runtime is None and "refers to itself" in invoice.unresolved["Runtime"]


# -- code -------------------------------------------------------------------------------------------------


def test_handler_points_at_the_code_directory_and_file_next_to_the_service():
    functions = _functions(FIXTURE)
    assert functions["createOrder"].code_path == "src/orders"
    assert functions["createOrder"].properties["handler_file"] == "src/orders/app.py"
    assert functions["notify"].properties["handler_file"] == "src/notify/handler.js"
    assert functions["createOrder"].handler == "src/orders/app.create_order"


def test_a_service_in_a_subdirectory_has_repo_relative_paths(tmp_path):
    _service(tmp_path, "invoice:\n  handler: src/invoice.handler\n", rel="services/billing/serverless.yaml")
    _write(tmp_path, {"services/billing/src/invoice.py": "def handler(e, c):\n    return e\n"})
    invoice = _functions(tmp_path)["invoice"]
    assert invoice.location.path == "services/billing/serverless.yaml"
    assert invoice.code_path == "services/billing/src"
    assert invoice.properties["handler_file"] == "services/billing/src/invoice.py"


def test_package_artifact_is_the_code_of_the_function(tmp_path):
    _service(tmp_path, """
        invoice:
          handler: bootstrap
          runtime: provided.al2023
          package:
            artifact: build/invoice.zip
        """)
    invoice = _functions(tmp_path)["invoice"]
    assert invoice.code_path == "build/invoice.zip"
    assert invoice.locations["Artifact"].line == _line(tmp_path, "serverless.yml", "artifact:")


def test_image_functions_by_uri_and_by_provider_ecr_image(tmp_path):
    head = SERVICE.replace("  region: eu-west-1\n", "  region: eu-west-1\n  ecr:\n    images:\n"
                                                      "      worker:\n        path: ./worker\n")
    _service(tmp_path, """
        fromUri:
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs@sha256:6bb600b4d6e1d7cf521097177dd0c4e9ea373edb91984a505333be8ac9455d38
        fromContext:
          image:
            name: worker
            command:
              - app.handler
        """, head=head)
    _write(tmp_path, {"worker/Dockerfile": "FROM public.ecr.aws/lambda/python:3.8\nCOPY app.py ./\n"
                                           'CMD ["app.handler"]\n'})
    functions = _functions(tmp_path)
    by_uri = functions["fromUri"]
    assert by_uri.package_type == "Image" and by_uri.runtime is None
    assert by_uri.image_uri.startswith("123456789012.dkr.ecr")
    built = functions["fromContext"]
    assert built.package_type == "Image" and built.code_path == "worker"
    assert built.properties["Dockerfile"] == "worker/Dockerfile"
    assert built.runtime == "python3.8"  # the base image's runtime, not provider.runtime


def test_environment_merges_provider_and_function_and_keeps_lines():
    functions = _functions(FIXTURE)
    upload = functions["processUpload"]
    assert upload.environment["TABLE_NAME"] == "orders-orders"
    assert upload.environment["POWERTOOLS_SERVICE_NAME"] == "orders"
    assert upload.environment["API_KEY"] == ResourceRef("unresolved", "${ssm:/orders/api-key}")
    assert upload.environment["OUTPUT_BUCKET"] == ResourceRef("unresolved", "orders-${sls:stage}-uploads")
    assert upload.locations["Environment.API_KEY"].line == _line(FIXTURE, "serverless.yml", "API_KEY:")
    assert upload.locations["Environment.TABLE_NAME"].line == _line(FIXTURE, "serverless.yml", "TABLE_NAME:")
    assert "OUTPUT_BUCKET" not in functions["createOrder"].environment
    value, where = upload.environment_defaults["LOG_LEVEL"]
    assert value == "INFO" and where.line == _line(FIXTURE, "serverless.yml", "LOG_LEVEL:")


# -- events -----------------------------------------------------------------------------------------------


def test_every_event_form_becomes_a_trigger(tmp_path):
    _service(tmp_path, """
        all:
          handler: handler.all
          events:
            - s3:
                bucket: acme-photos
                event: s3:ObjectCreated:Put
                existing: true
                rules:
                  - prefix: uploads/
                  - suffix: .jpg
            - s3: acme-raw
            - sqs: arn:aws:sqs:eu-west-1:123456789012:jobs
            - sqs:
                arn:
                  Fn::GetAtt: [JobsQueue, Arn]
                batchSize: 10
            - sns: arn:aws:sns:eu-west-1:123456789012:alerts
            - sns:
                topicName: order-events
                filterPolicy:
                  type: [created]
            - stream: arn:aws:kinesis:eu-west-1:123456789012:stream/clicks
            - stream:
                type: dynamodb
                arn: !GetAtt OrdersTable.StreamArn
            - eventBridge:
                eventBus: arn:aws:events:eu-west-1:123456789012:event-bus/orders
                pattern:
                  source: [orders]
            - eventBridge:
                schedule: rate(10 minutes)
            - cloudwatchEvent:
                event:
                  source: [aws.ec2]
            - http:
                path: invoices
                method: get
            - httpApi: 'POST /invoices'
            - schedule: cron(0 3 * * ? *)
            - alexaSkill: amzn1.ask.skill.xx
        """)
    triggers = _functions(tmp_path)["all"].triggers
    kinds = [t.kind for t in triggers]
    assert kinds == ["s3", "s3", "sqs", "sqs", "sns", "sns", "kinesis", "dynamodb", "eventbridge", "schedule",
                     "eventbridge", "api", "api", "schedule", "other"]
    photos, raw, sqs_arn, sqs_ref, sns_arn, sns_name = triggers[:6]
    assert photos.target == ResourceRef("name", "acme-photos")
    assert photos.attributes["events"] == ["s3:ObjectCreated:Put"] and photos.attributes["existing"] is True
    assert (photos.attributes["prefix"], photos.attributes["suffix"]) == ("uploads/", ".jpg")
    assert "logical_id" not in photos.attributes  # an existing bucket is not created by the service
    assert raw.attributes["logical_id"] == "S3BucketAcmeraw" and raw.attributes["events"] == ["s3:ObjectCreated:*"]
    assert sqs_arn.target == ResourceRef("arn", "arn:aws:sqs:eu-west-1:123456789012:jobs")
    assert sqs_ref.target == ResourceRef("logical-id", "JobsQueue") and sqs_ref.attributes["batchSize"] == 10
    assert sns_arn.target.kind == "arn"
    assert sns_name.target == ResourceRef("name", "order-events")
    assert sns_name.attributes["logical_id"] == "SNSTopicOrderevents"
    assert triggers[7].target == ResourceRef("logical-id", "OrdersTable")
    bus = triggers[8]
    assert bus.attributes["pattern"] == {"source": ["orders"]} and bus.target.kind == "arn"
    assert triggers[10].attributes["pattern"] == {"source": ["aws.ec2"]}
    assert triggers[12].attributes["path"] == "/invoices"
    assert triggers[0].location.line == _line(tmp_path, "serverless.yml", "bucket: acme-photos") - 1


def test_fixture_triggers_resolve_self_variables_and_logical_ids():
    functions = _functions(FIXTURE)
    (upload,) = functions["processUpload"].triggers
    assert upload.kind == "s3" and upload.target == ResourceRef("unresolved", "orders-${sls:stage}-uploads")
    assert (upload.attributes["prefix"], upload.attributes["suffix"]) == ("incoming/", ".csv")
    (stream,) = functions["ordersStream"].triggers
    assert stream.kind == "dynamodb" and stream.target == ResourceRef("logical-id", "OrdersTable")
    sns, bridge = functions["notify"].triggers
    assert bridge.attributes["pattern"] == {"source": ["orders.service"], "detail-type": ["OrderPlaced"]}
    assert bridge.attributes["bus"] == "default"


# -- IAM, URL, versions -------------------------------------------------------------------------------


def test_provider_iam_role_statements_and_managed_policies_apply_to_every_function():
    functions = _functions(FIXTURE)
    statements = functions["queueWorker"].policy_statements
    assert [(s.actions, s.resources) for s in statements] == [
        (("dynamodb:PutItem", "dynamodb:GetItem"), ("${OrdersTable.Arn}",)), (("s3:*",), ("*",))]
    assert statements[1].location.line == _line(FIXTURE, "serverless.yml", "Action: s3:*") - 1
    assert statements[0].source == "provider.iam.role.statements"
    assert [p.name for p in functions["notify"].managed_policies] == ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]


def test_legacy_iam_role_statements_and_per_function_roles(tmp_path):
    head = SERVICE.replace("  region: eu-west-1\n", "  region: eu-west-1\n  iamRoleStatements:\n"
                                                  "    - Effect: Allow\n      Action: ['sqs:*']\n"
                                                  "      Resource: '*'\n  iamManagedPolicies:\n"
                                                  "    - arn:aws:iam::aws:policy/AdministratorAccess\n")
    _service(tmp_path, """
        inherits:
          handler: handler.a
        ownStatements:
          handler: handler.b
          iamRoleStatements:
            - Effect: Allow
              Action: dynamodb:Query
              Resource: arn:aws:dynamodb:eu-west-1:123456789012:table/orders
        customRole:
          handler: handler.c
          role: ReportsRole
        """, head=head)
    (tmp_path / "serverless.yml").write_text((tmp_path / "serverless.yml").read_text() + textwrap.dedent("""\
        resources:
          Resources:
            ReportsRole:
              Type: AWS::IAM::Role
              Properties:
                ManagedPolicyArns:
                  - arn:aws:iam::aws:policy/ReadOnlyAccess
                Policies:
                  - PolicyName: reports
                    PolicyDocument:
                      Statement:
                        - Effect: Allow
                          Action: s3:GetObject
                          Resource: arn:aws:s3:::reports/*
        """))
    functions = _functions(tmp_path)
    inherits = functions["inherits"]
    assert [(s.actions, s.source) for s in inherits.policy_statements] == [(("sqs:*",), "provider.iamRoleStatements")]
    assert [p.name for p in inherits.managed_policies] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    own = functions["ownStatements"]
    assert [s.actions for s in own.policy_statements] == [("dynamodb:Query",)] and own.managed_policies == []
    custom = functions["customRole"]
    assert [s.actions for s in custom.policy_statements] == [("s3:GetObject",)]
    assert [p.name for p in custom.managed_policies] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]


def test_function_urls_are_public_unless_the_iam_authorizer_is_set(tmp_path):
    _service(tmp_path, """
        public:
          handler: handler.a
          url: true
        private:
          handler: handler.b
          url:
            authorizer: aws_iam
            cors: true
        none:
          handler: handler.c
        """)
    functions = _functions(tmp_path)
    assert functions["public"].url.auth_type == "NONE"
    assert functions["public"].url.location.line == _line(tmp_path, "serverless.yml", "url: true")
    assert functions["private"].url.auth_type == "AWS_IAM"
    assert functions["none"].url is None


def test_versions_are_published_unless_switched_off(tmp_path):
    _service(tmp_path, """
        versioned:
          handler: handler.a
        unversioned:
          handler: handler.b
          versionFunction: false
        """)
    functions = _functions(tmp_path)
    assert functions["versioned"].published is True and functions["unversioned"].published is False


# -- resources: CloudFormation inside serverless.yml ------------------------------------------------------


def test_resources_are_exposed_as_a_template_with_variables_resolved():
    result = _read(FIXTURE)
    template = result.documents["serverless.yml"]
    assert template["Resources"]["OrdersTable"]["Properties"]["TableName"] == "orders-orders"
    assert template["Resources"]["JobsQueue"]["Properties"]["QueueName"] == "orders-jobs"
    assert template["Resources"].line_of("JobsQueue") == _line(FIXTURE, "serverless.yml", "JobsQueue:")


def test_extensions_and_cloudformation_resources_inside_serverless_yml(tmp_path):
    _service(tmp_path, """
        resize-image:
          handler: handler.resize
        """)
    (tmp_path / "serverless.yml").write_text((tmp_path / "serverless.yml").read_text() + textwrap.dedent("""\
        resources:
          extensions:
            ResizeDashimageLambdaFunction:
              Properties:
                RecursiveLoop: Allow
          Resources:
            ResizeUrlPermission:
              Type: AWS::Lambda::Permission
              Properties:
                Action: lambda:InvokeFunction
                FunctionName: !GetAtt ResizeDashimageLambdaFunction.Arn
                Principal: '*'
            LegacyFunction:
              Type: AWS::Lambda::Function
              Properties:
                Runtime: nodejs12.x
                Handler: index.handler
                Role: arn:aws:iam::123456789012:role/legacy
                Code:
                  ZipFile: "exports.handler = async () => 1"
        """))
    assert lambda_logical_id("resize-image") == "ResizeDashimageLambdaFunction"
    functions = _functions(tmp_path)
    resize = functions["resize-image"]
    assert resize.recursive_loop == "Allow"
    assert resize.locations["RecursiveLoop"].line == _line(tmp_path, "serverless.yml", "RecursiveLoop: Allow")
    assert [p.principal for p in resize.permissions] == ["*"]
    legacy = functions["LegacyFunction"]
    assert legacy.runtime == "nodejs12.x" and legacy.where("Runtime").path == "serverless.yml"
    found = {(f["rule_id"], f["line"]) for f in _scan(tmp_path)["findings"]}
    assert ("LR101", _line(tmp_path, "serverless.yml", "Runtime: nodejs12.x")) in found


# -- which files, and bad input -----------------------------------------------------------------------------


def test_json_and_yaml_spellings_are_found_and_other_clouds_are_not(tmp_path):
    _write(tmp_path, {
        "a/serverless.json": json.dumps({"service": "a", "provider": {"name": "aws", "runtime": "python3.12"},
                                         "functions": {"fromJson": {"handler": "h.main"}}}, indent=2),
        "b/serverless.yaml": SERVICE + "  fromYaml:\n    handler: h.main\n",
        "c/serverless.yml": "service: c\nprovider:\n  name: google\n  runtime: python39\n"
                            "functions:\n  gcf:\n    handler: main\n",
        "d/not-serverless.yml": SERVICE + "  ignored:\n    handler: h.main\n",
    })
    functions = _functions(tmp_path)
    assert set(functions) == {"fromJson", "fromYaml"}
    assert functions["fromJson"].where("Runtime").line == _line(tmp_path, "a/serverless.json", '"runtime"')


def test_a_malformed_file_gives_a_notice_naming_it_and_the_scan_goes_on(tmp_path):
    _write(tmp_path, {"broken/serverless.yml": "service: x\nprovider:\n  name: aws\n  runtime: [python3.8\n",
                      "list/serverless.yml": "- just\n- a list\n",
                      "good/serverless.yml": SERVICE + "  ok:\n    handler: h.main\n"})
    result = _read(tmp_path)
    notices = {n.path: n for n in result.notices}
    assert set(notices) == {"broken/serverless.yml", "list/serverless.yml"}
    assert all(n.rule_id == "LR901" and f"`{n.path}`" in n.message for n in notices.values())
    assert [fn.name for fn in result.functions] == ["ok"]


def test_functions_included_from_a_file_that_is_not_there_are_said_to_be_unread(tmp_path):
    _write(tmp_path, {"serverless.yml": SERVICE.replace("functions:\n", "functions: ${file(./functions.yml)}\n")})
    (notice,) = _read(tmp_path).notices
    assert notice.rule_id == "LR904" and "functions.yml" in notice.message   # an unread declaration, not a parse error
    assert "${file(./functions.yml)}" in notice.evidence
    assert notice.line == _line(tmp_path, "serverless.yml", "functions:")


def test_functions_from_a_javascript_file_name_the_variable_as_code_and_the_rest_as_prose(tmp_path):
    """`functions: ${file(helpers/main.js):getFunctions}` is computed by a script: the notice quotes
    the variable (and the forms the review does resolve) as code, not the whole sentence."""
    _write(tmp_path, {"serverless.yml": SERVICE.replace("functions:\n", "functions: ${file(helpers/main.js):getFunctions}\n")})
    (notice,) = _read(tmp_path).notices
    assert notice.rule_id == "LR904"
    assert "functions from `${file(helpers/main.js):getFunctions}`, which the review does not resolve" in notice.message
    assert "resolves `${self:...}` variables and `${file(...)}` of a YAML" in notice.message


def test_an_alias_bomb_is_skipped_with_a_notice(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    _write(tmp_path, {"serverless.yml": bomb})
    (notice,) = _read(tmp_path).notices
    assert notice.rule_id == "LR902"


VARIABLE_PIECES = st.sampled_from(["${", "}", "self:", "custom.", "a", "b", "opt:stage", ", ", "'dev'", '"x,y"',
                                   "file(", ")", "sls:stage", "${self:custom.a}", "${self:custom.b}", ".", "-"])


@settings(max_examples=300, deadline=None)
@given(st.lists(VARIABLE_PIECES, max_size=30).map("".join), st.lists(VARIABLE_PIECES, max_size=30).map("".join))
def test_any_variable_text_resolves_or_stays_unresolved_without_error(first, second):
    document = load_yaml("custom:\n  a: x\n  b: y\n")
    document["custom"]["a"], document["custom"]["b"] = first, second
    resolver = VariableResolver(document)
    for value in (first, second):
        resolution = resolver.resolve(value)
        assert resolution.resolved or resolution.reason().startswith("depends on ")


# -- end to end ----------------------------------------------------------------------------------------------


def test_scan_reports_runtime_findings_at_the_declaring_lines():
    findings = [f for f in _scan(FIXTURE)["findings"] if f["rule_id"] in ("LR100", "LR101", "LR102", "LR103")]
    at = {(f["rule_id"], f["line"]): f for f in findings}
    shared = at[("LR100", _line(FIXTURE, "serverless.yml", "pythonRuntime: python3.9"))]
    assert "`createOrder`" in shared["message"] and "`nightlyReport`" in shared["message"]
    assert shared["suggestion"] == "  pythonRuntime: python3.14"
    assert ("LR100", _line(FIXTURE, "serverless.yml", "runtime: python3.8")) in at
    assert ("LR100", _line(FIXTURE, "serverless.yml", "runtime: nodejs16.x")) in at
    assert len(findings) == 3  # ordersStream's ${opt:streamRuntime} is not judged


def test_inventory_json_lists_serverless_functions_with_their_format():
    out = io.StringIO()
    assert main(["inventory", str(FIXTURE), "--format", "json"], stdout=out) == 0
    listed = {fn["name"]: fn for fn in json.loads(out.getvalue())["functions"]}
    assert set(listed) == {"createOrder", "processUpload", "ordersStream", "queueWorker", "notify", "nightlyReport"}
    assert {fn["format"] for fn in listed.values()} == {"serverless"}
    assert listed["ordersStream"]["unresolved"]["Runtime"] == "depends on ${opt:streamRuntime}"
    assert listed["createOrder"]["declarations"]["Runtime.Default"]["line"] == _line(
        FIXTURE, "serverless.yml", "pythonRuntime: python3.9")


def test_functions_included_with_a_file_variable_are_read_from_that_file(tmp_path):
    """`functions: ${file(./functions.yml)}`, and list items mixing `${file(...)}` with functions
    written in place: each function is read from the file it is written in (its findings point
    there); a file the review cannot read leaves a notice, not a parse error, and the provider's
    runtime is still judged once."""
    _write(tmp_path, {
        "api/serverless.yml": SERVICE.replace("python3.12", "python3.8") + "  ${file(./functions.yml)}\n",
        "api/functions.yml": "create:\n  handler: src/create.handler\n  events:\n    - http: {path: items, method: post}\n",
        "jobs/serverless.yml": SERVICE + "  - ${file(./jobs.yml):functions}\n  - nightly:\n      handler: src/nightly.handler\n",
        "jobs/jobs.yml": "functions:\n  hourly:\n    handler: src/hourly.handler\n    runtime: nodejs16.x\n",
        "lost/serverless.yml": SERVICE.replace("billing", "lost") + "  ${file(../../outside.yml)}\n",
    })
    fns = {(fn.name, str(fn.location)): fn.runtime for fn in _read(tmp_path).functions}
    assert fns == {("create", "api/functions.yml:1"): "python3.8",
                   ("hourly", "jobs/jobs.yml:2"): "nodejs16.x",
                   ("nightly", "jobs/serverless.yml:11"): "python3.12",
                   ("lost", "lost/serverless.yml:6"): "python3.12"}    # the service, at its provider's runtime
    report = _scan(tmp_path)
    rules = sorted((f["rule_id"], f["path"], f["line"]) for f in report["findings"]
                   if f["rule_id"] in ("LR100", "LR305", "LR901", "LR904"))
    assert rules == [("LR100", "api/serverless.yml", 6), ("LR100", "jobs/jobs.yml", 4),
                     ("LR305", "api/functions.yml", 4), ("LR904", "lost/serverless.yml", 9)]
