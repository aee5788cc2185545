"""SAM beyond one template: several templates in a repository, nested applications, image functions."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "sam"
DAY = "2026-11-22"


def scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never"], stdout=out)
    return json.loads(out.getvalue())


def runtime_findings(report: dict) -> list[tuple[str, str, int, str | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["function"]) for f in report["findings"]
                  if f["rule_id"].startswith("LR1") or f["rule_id"] in ("LR901", "LR902"))


def inventory(root: Path) -> dict:
    functions = build_inventory(Workspace(root)).functions
    assert len({(fn.location.path, fn.name) for fn in functions}) == len(functions), "a function counted twice"
    return {fn.name: fn for fn in functions}


def test_every_template_of_a_monorepo_is_reviewed():
    fns = inventory(FIXTURES / "monorepo")
    assert {name: fn.location.path for name, fn in fns.items()} == {
        "CreateOrderFunction": "services/orders/template.yaml",
        "ListOrdersFunction": "services/orders/template.yaml",
        "InvoiceFunction": "services/billing/template.yml",
    }
    report = scan(FIXTURES / "monorepo")
    # One finding on the shared Globals line names both functions that use it.
    assert runtime_findings(report) == [("LR100", "services/orders/template.yaml", 7, None)]
    shared = next(f for f in report["findings"] if f["rule_id"] == "LR100")
    assert "`CreateOrderFunction` and `ListOrdersFunction`" in shared["message"]


def test_nested_application_functions_carry_the_parent_path_and_are_counted_once():
    fns = inventory(FIXTURES / "nested")
    assert set(fns) == {"StorefrontFunction", "ChargeFunction", "ScoreFunction"}
    charge = fns["ChargeFunction"]
    assert charge.properties["NestedApplicationPath"] == "PaymentsApp/ChargeFunction"
    assert charge.properties["NestedApplicationPaths"] == ["PaymentsApp/ChargeFunction", "RefundsApp/ChargeFunction"]
    assert "NestedApplicationPath" not in fns["StorefrontFunction"].properties


def test_a_nested_template_the_file_walk_would_not_read_is_scanned_through_its_parent():
    score = inventory(FIXTURES / "nested")["ScoreFunction"]
    assert score.location.path == "apps/payments/fraud/fraud.sam"
    assert score.properties["NestedApplicationPath"] == "PaymentsApp/FraudApp/ScoreFunction"
    assert runtime_findings(scan(FIXTURES / "nested")) == [
        ("LR100", "apps/payments/fraud/fraud.sam", 9, "ScoreFunction"),
        ("LR100", "apps/payments/payments.yaml", 13, "ChargeFunction"),
    ]


def test_nested_application_cycles_and_paths_outside_the_workspace_end_quietly(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  B:\n    Type: AWS::Serverless::Application\n    Properties: {Location: b.yaml}\n"
        "  Outside:\n    Type: AWS::Serverless::Application\n    Properties: {Location: ../../etc/passwd}\n"
        "  FnA:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.13, Handler: a.h, InlineCode: x}\n")
    (tmp_path / "b.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  A:\n    Type: AWS::Serverless::Application\n    Properties: {Location: a.yaml}\n"
        "  FnB:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.13, Handler: a.h, InlineCode: x}\n")
    fns = inventory(tmp_path)
    assert set(fns) == {"FnA", "FnB"}
    assert fns["FnB"].properties["NestedApplicationPath"].endswith("B/FnB")


def test_sam_image_functions_take_the_runtime_of_the_dockerfile_they_are_built_from():
    fns = inventory(FIXTURES / "image")
    assert set(fns) == {"HelloWorldFunction", "ReportFunction", "ArchiveFunction"}  # no Dockerfile entries
    hello = fns["HelloWorldFunction"]
    assert (hello.package_type, hello.runtime, str(hello.where("Runtime"))) == (
        "Image", "python3.9", "hello_world/Dockerfile:1")
    assert hello.properties["Dockerfile"] == "hello_world/Dockerfile"
    assert str(hello.where("Dockerfile")) == "template.yaml:24"
    report = fns["ReportFunction"]  # DockerBuildTarget picks the Lambda stage, not the last one
    assert (report.runtime, report.properties["BuildStage"], report.image_uri) == (
        "nodejs20.x", "lambda", "reportfunction:latest")


def test_lambda_function_with_package_type_image_keeps_its_image_uri_and_no_runtime():
    archive = inventory(FIXTURES / "image")["ArchiveFunction"]
    assert (archive.format, archive.package_type, archive.runtime) == ("cloudformation", "Image", None)
    assert archive.image_uri == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/archive:1.4.2"


def test_image_function_findings_are_lr106_on_the_dockerfile_line_named_by_the_function():
    report = scan(FIXTURES / "image")
    assert runtime_findings(report) == [
        ("LR106", "hello_world/Dockerfile", 1, "HelloWorldFunction"),
        ("LR106", "report/Dockerfile.report", 1, "ReportFunction"),
    ]


def test_a_runtime_written_on_an_image_function_is_not_judged_as_a_zip_runtime(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.6\n"
        "Resources:\n  Img:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {PackageType: Image, ImageUri: repo/img:1}\n")
    img = inventory(tmp_path)["Img"]
    assert img.runtime is None and "base image" in img.unresolved["Runtime"]
    assert runtime_findings(scan(tmp_path)) == []


def test_a_missing_or_unreadable_dockerfile_is_said_and_the_scan_goes_on(tmp_path):
    shutil.copytree(FIXTURES / "image", tmp_path / "app")
    (tmp_path / "app" / "hello_world" / "Dockerfile").write_bytes(b"FROM public.ecr.aws/lambda/python:3.9\n\x00")
    (tmp_path / "app" / "report" / "Dockerfile.report").unlink()
    fns = inventory(tmp_path)
    assert fns["ReportFunction"].runtime is None
    assert "not in the repository" in fns["ReportFunction"].unresolved["Dockerfile"]
    report = scan(tmp_path)
    assert ("LR901", "app/hello_world/Dockerfile", 1, None) in runtime_findings(report)


def test_templates_a_unit_test_expects_are_not_deployed_functions(tmp_path):
    """A CDK Java app keeps the synthesized template its test compares with in `src/test/resources`."""
    expected = ('{"Resources": {"WidgetHandlerF8A613CA": {"Type": "AWS::Lambda::Function",'
                ' "Properties": {"Runtime": "nodejs10.x", "Handler": "widgets.main"}}}}\n')
    for folder in ("src/test/resources/com/example", "test/resources", "lib/__snapshots__", "stacks/tests/fixtures"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "StackExpected.json").write_text(expected)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "template.json").write_text(expected.replace("WidgetHandlerF8A613CA", "Widgets"))
    report = scan(tmp_path)
    assert [f["name"] for f in report["functions"]] == ["Widgets"]
    assert {f["path"] for f in report["findings"] if f["rule_id"].startswith("LR1")} == {"deploy/template.json"}


def test_a_template_in_a_data_folder_anywhere_below_a_test_suite_is_test_data(tmp_path):
    """A CLI's tests load a template with a placeholder runtime from a fixtures folder a few
    packages below `tests/` (`source/cli/tests/<package>/fixtures/`): not a deployment, so no
    LR103 on `Runtime: mock`. A stack kept in `tests/` itself, or a `fixtures` folder outside any
    test suite, is still read."""
    template = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  {name}:\n    Type: AWS::Lambda::Function\n"
                "    Properties:\n      Runtime: {runtime}\n      Handler: index.handler\n"
                "      Role: arn:aws:iam::123456789012:role/x\n      Code: {{ZipFile: 'exports.handler = 1'}}\n")
    files = {
        "source/cli/tests/aws_solutions/bot/fixtures/bot-test-template.yaml": template.format(name="Proxy", runtime="mock"),
        "source/lambda/export/test/unit/testdata/stack.yaml": template.format(name="Export", runtime="mock"),
        "web/__tests__/api/mocks/stack.yaml": template.format(name="Web", runtime="mock"),
        "tests/integration/template.yaml": template.format(name="IntegrationStack", runtime="nodejs20.x"),
        "deploy/fixtures/template.yaml": template.format(name="Seeder", runtime="nodejs20.x"),
        "mocks/tests/template.yaml": template.format(name="MockApi", runtime="nodejs20.x"),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    report = scan(tmp_path)
    assert sorted(f["name"] for f in report["functions"]) == ["IntegrationStack", "MockApi", "Seeder"]
    assert not [f for f in report["findings"] if f["rule_id"] == "LR103"]


def test_the_templates_a_dotnet_test_project_compares_with_are_test_data(tmp_path):
    """A .NET library's source generator tests compare what they generate with the templates kept
    in the test project's `Snapshots/` folder (aws-lambda-dotnet keeps 36, 72 functions): not a
    deployment. The app its integration tests deploy, beside them in `test/`, is still read, and
    so is a `snapshots` folder outside any test suite."""
    template = ('{{"Transform": "AWS::Serverless-2016-10-31", "Resources": {{"{name}": {{'
                '"Type": "AWS::Serverless::Function", "Properties": {{"Runtime": "dotnet8", '
                '"Handler": "Orders::Orders.Functions::{name}", "CodeUri": "."}}}}}}}}\n')
    files = {
        "Libraries/test/Orders.Annotations.Tests/Snapshots/ServerlessTemplates/get.template": "SnapshotGet",
        "Libraries/test/Orders.Annotations.Tests/Snapshots/ServerlessTemplates/put.template": "SnapshotPut",
        "src/Orders.UnitTests/Snapshots/orders.template": "UnitSnapshot",
        "Libraries/test/OrdersIntegrationApp/serverless.template": "IntegrationGet",
        "snapshots/serverless.template": "Restore",
    }
    for rel, name in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(template.format(name=name))
    report = scan(tmp_path)
    assert sorted(f["name"] for f in report["functions"]) == ["IntegrationGet", "Restore"]


def test_the_templates_and_apps_of_cdk_integration_tests_are_not_deployed_functions(tmp_path):
    """integ-runner keeps each integration test's synthesized templates in
    `test/integ.<test>.js.snapshot/` (construct libraries hold hundreds), beside the test apps
    (`test/integ.<test>.ts`) and the tests' helpers: none is the repository's deployment. The
    same holds for a synthesized template a unit test expects, inside a CDK app."""
    template = ('{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Metadata": {"aws:cdk:path": "S/Fn/Resource"},'
                ' "Properties": {"Runtime": "nodejs16.x", "Handler": "index.handler"}}}}\n')
    construct = ("import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
                 "new lambda.Function(this, '{name}', {{ runtime: lambda.Runtime.NODEJS_16_X, handler: 'index.handler',"
                 " code: lambda.Code.fromInline('x') }});\n")
    files = {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/stack.ts": construct.format(name="Deployed"),
        "test/integ.api.ts": construct.format(name="IntegOnly"),
        "test/helpers.ts": construct.format(name="HelperOnly"),
        "test/integ.api.js.snapshot/ApiStack.template.json": template,
        "test/resources/Expected.template.json": template,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    report = scan(tmp_path)
    assert [(f["name"], f["path"]) for f in report["functions"]] == [("Deployed", "lib/stack.ts")]


def test_a_packaged_copy_beside_its_template_is_not_listed_again(tmp_path):
    """`sam package --output-template-file packaged.yaml` committed beside `template.yaml`: the same
    functions with `CodeUri: s3://...`. A template of uploaded code with no such neighbour, or one
    declaring other functions, is a template of its own."""
    source = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::Function\n"
              "    Properties:\n      Runtime: python3.9\n      Handler: app.handler\n      CodeUri: {code}\n"
              "  Audit:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.9\n"
              "      Handler: audit.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code: {audit}\n")
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "template.yaml").write_text(source.format(code="src/", audit="audit/"))
    (tmp_path / "service" / "packaged.yaml").write_text(
        source.format(code="s3://deploy-bucket/4f1d0e2c9b", audit="{S3Bucket: deploy-bucket, S3Key: 9a8b7c}"))
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "vendor.yaml").write_text(
        source.format(code="s3://vendor-bucket/orders.zip", audit="{S3Bucket: vendor-bucket, S3Key: audit.zip}"))
    report = scan(tmp_path)
    assert sorted((f["name"], f["path"]) for f in report["functions"]) == [
        ("Audit", "service/template.yaml"), ("Audit", "shared/vendor.yaml"),
        ("Orders", "service/template.yaml"), ("Orders", "shared/vendor.yaml")]
    assert not [f for f in report["findings"] if f["path"] == "service/packaged.yaml"]
