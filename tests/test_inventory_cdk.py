"""AWS CDK apps, read without synthesizing: construct runtimes in Python, TypeScript, JavaScript and
Java source, and synthesized `cdk.out` templates mapped back to their constructs."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.data.lifecycle import load_lifecycle
from reviewer.inventory import build_inventory
from reviewer.inventory.cdk.constructs import (
    CONSTANT_EXCEPTIONS, constant_for_identifier, identifier_for_constant, runtime_from_expression,
)
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "cdk"
PYTHON_APP, TYPESCRIPT_APP, JAVA_APP = FIXTURES / "python-app", FIXTURES / "typescript-app", FIXTURES / "java-app"
DAY = "2026-11-22"

# Every `Runtime` constant of aws-cdk-lib's aws-lambda/lib/runtime.ts (aws/aws-cdk main, 2026), written
# out by hand with the identifier CDK gives it, so the rule is checked against CDK rather than itself.
CDK_RUNTIME_CONSTANTS = {
    "NODEJS": "nodejs", "NODEJS_4_3": "nodejs4.3", "NODEJS_6_10": "nodejs6.10", "NODEJS_8_10": "nodejs8.10",
    "NODEJS_10_X": "nodejs10.x", "NODEJS_12_X": "nodejs12.x", "NODEJS_14_X": "nodejs14.x",
    "NODEJS_16_X": "nodejs16.x", "NODEJS_18_X": "nodejs18.x", "NODEJS_20_X": "nodejs20.x",
    "NODEJS_22_X": "nodejs22.x", "NODEJS_24_X": "nodejs24.x",
    "PYTHON_2_7": "python2.7", "PYTHON_3_6": "python3.6", "PYTHON_3_7": "python3.7", "PYTHON_3_8": "python3.8",
    "PYTHON_3_9": "python3.9", "PYTHON_3_10": "python3.10", "PYTHON_3_11": "python3.11",
    "PYTHON_3_12": "python3.12", "PYTHON_3_13": "python3.13", "PYTHON_3_14": "python3.14",
    "JAVA_8": "java8", "JAVA_8_CORRETTO": "java8.al2", "JAVA_11": "java11", "JAVA_17": "java17",
    "JAVA_21": "java21", "JAVA_25": "java25", "JAVA_8_AL2023": "java8.al2023", "JAVA_11_AL2023": "java11.al2023",
    "JAVA_17_AL2023": "java17.al2023",
    "DOTNET_6": "dotnet6", "DOTNET_8": "dotnet8", "DOTNET_9": "dotnet9", "DOTNET_10": "dotnet10",
    "DOTNET_CORE_1": "dotnetcore1.0", "DOTNET_CORE_2": "dotnetcore2.0", "DOTNET_CORE_2_1": "dotnetcore2.1",
    "DOTNET_CORE_3_1": "dotnetcore3.1", "GO_1_X": "go1.x",
    "RUBY_2_5": "ruby2.5", "RUBY_2_7": "ruby2.7", "RUBY_3_2": "ruby3.2", "RUBY_3_3": "ruby3.3",
    "RUBY_3_4": "ruby3.4", "RUBY_4_0": "ruby4.0",
    "PROVIDED": "provided", "PROVIDED_AL2": "provided.al2", "PROVIDED_AL2023": "provided.al2023",
}


def scan(root: Path, *extra: str) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never", *extra], stdout=out)
    return json.loads(out.getvalue())


def runtime_findings(report: dict) -> list[tuple[str, str, int, str | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["function"]) for f in report["findings"]
                  if f["rule_id"].startswith("LR1") or f["rule_id"] in ("LR901", "LR902"))


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


# --- runtime constants -------------------------------------------------------------------------


@pytest.mark.parametrize("constant, identifier", sorted(CDK_RUNTIME_CONSTANTS.items()))
def test_every_cdk_runtime_constant_maps_to_the_identifier_cdk_gives_it(constant, identifier):
    assert identifier_for_constant(constant).identifier == identifier
    assert load_lifecycle().get(identifier) is not None
    assert constant_for_identifier(identifier) == constant


def test_the_exceptions_table_holds_only_names_the_rule_cannot_derive():
    for constant, identifier in CONSTANT_EXCEPTIONS.items():
        assert CDK_RUNTIME_CONSTANTS[constant] == identifier


def test_constants_that_move_with_the_cdk_version_are_unresolved_not_guessed():
    latest = identifier_for_constant("NODEJS_LATEST")
    assert latest.identifier is None and "aws-cdk-lib version" in latest.note
    assert identifier_for_constant("FROM_IMAGE").image
    assert identifier_for_constant("PYTHON_3_99").identifier is None
    assert runtime_from_expression("lambda.determineLatestNodeRuntime(this)").identifier is None
    assert runtime_from_expression("new lambda.Runtime('nodejs22.x', lambda.RuntimeFamily.NODEJS)").identifier == "nodejs22.x"
    assert runtime_from_expression('_lambda.Runtime("python3.13")').identifier == "python3.13"
    assert "props.runtime" in runtime_from_expression("props.runtime").note


# --- Python ------------------------------------------------------------------------------------


def test_python_constructs_are_named_by_construct_id_with_the_runtime_argument_line():
    fns = inventory(PYTHON_APP)
    assert set(fns) == {"OrdersApi", "Reports", "Ingest", "Thumbnails"}  # no CloudFront function, no test
    orders = fns["OrdersApi"]
    assert (orders.format, orders.runtime, str(orders.location), str(orders.where("Runtime"))) == (
        "cdk", "python3.8", "orders/orders_stack.py:24", "orders/orders_stack.py:26")
    assert orders.handler == "handler.main" and orders.code_path == "lambda/orders"
    assert orders.properties["Construct"] == "Function"


def test_python_runtime_from_a_props_dict_or_a_module_constant_points_at_where_it_is_written():
    fns = inventory(PYTHON_APP)
    reports = fns["Reports"]
    assert (reports.runtime, reports.where("Runtime").line) == ("python3.9", 13)
    assert reports.code_path == "lambda/reports"  # os.path.join(os.path.dirname(__file__), "..", ...)
    ingest = fns["Ingest"]
    assert (ingest.runtime, ingest.where("Runtime").line, ingest.locations["Runtime.Default"].line) == (
        "python3.12", 42, 10)
    assert ingest.properties["Construct"] == "PythonFunction"


def test_docker_image_function_takes_the_runtime_of_its_dockerfile_and_is_listed_once():
    functions = build_inventory(Workspace(PYTHON_APP)).functions
    assert [fn.name for fn in functions].count("Thumbnails") == 1
    assert not any(fn.format == "container" for fn in functions)  # image/Dockerfile is claimed
    thumbnails = next(fn for fn in functions if fn.name == "Thumbnails")
    assert (thumbnails.package_type, thumbnails.runtime, str(thumbnails.where("Runtime"))) == (
        "Image", "python3.9", "image/Dockerfile:1")


def test_python_app_findings_land_on_the_exact_lines():
    report = scan(PYTHON_APP)
    assert runtime_findings(report) == [
        ("LR100", "orders/orders_stack.py", 13, "Reports"),
        ("LR100", "orders/orders_stack.py", 26, "OrdersApi"),
        ("LR106", "image/Dockerfile", 1, "Thumbnails"),
    ]
    orders = next(f for f in report["findings"] if f["function"] == "OrdersApi")
    assert orders["suggestion"] == "            runtime=_lambda.Runtime.PYTHON_3_14,"


def test_python_import_styles_subclasses_and_computed_runtimes(tmp_path):
    (tmp_path / "stack.py").write_text(
        "import aws_cdk as cdk\n"
        "from aws_cdk import core, aws_lambda as _lambda\n"
        "from aws_cdk.aws_lambda import Function as LambdaFunction, Runtime\n"
        "from aws_cdk.aws_lambda_nodejs import NodejsFunction\n"
        "\n"
        "class Audit(_lambda.Function):\n"
        "    def __init__(self, scope, id):\n"
        "        super().__init__(scope, id, runtime=_lambda.Runtime.RUBY_3_2, handler='a.b',\n"
        "                         code=_lambda.Code.from_inline('x'))\n"
        "\n"
        "class Stack(core.Stack):\n"
        "    def __init__(self, scope, id, props):\n"
        "        super().__init__(scope, id)\n"
        "        cdk.aws_lambda.Function(self, 'Rooted', runtime=cdk.aws_lambda.Runtime.NODEJS_20_X,\n"
        "                                handler='i.h', code=_lambda.Code.from_inline('x'))\n"
        "        LambdaFunction(self, 'Aliased', runtime=Runtime.JAVA_11, handler='h', code=props.code)\n"
        "        LambdaFunction(self, f'{id}-Dynamic', runtime=props.runtime, handler='h', code=props.code)\n"
        "        NodejsFunction(self, 'Bundled', entry='lambda/index.ts')\n"
        "        NodejsFunction(self, 'Latest', runtime=_lambda.Runtime.NODEJS_LATEST)\n")
    fns = inventory(tmp_path)
    assert {name: fn.runtime for name, fn in fns.items()} == {
        "Audit": "ruby3.2", "Rooted": "nodejs20.x", "Aliased": "java11", "Function at stack.py:17": None,
        "Bundled": None, "Latest": None}
    assert fns["Audit"].where("Runtime").line == 8
    assert "props.runtime" in fns["Function at stack.py:17"].unresolved["Runtime"]
    assert "NODEJS_16_X" in fns["Bundled"].unresolved["Runtime"]
    assert "no package.json, requirements.txt or lock file of the app names its aws-cdk-lib release" in \
        fns["Latest"].unresolved["Runtime"]


def test_a_python_cdk_file_that_does_not_parse_is_a_notice_and_the_scan_goes_on(tmp_path):
    shutil.copytree(PYTHON_APP, tmp_path / "app")
    (tmp_path / "app" / "orders" / "broken_stack.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n\ndef oops(:\n    pass\n")
    report = scan(tmp_path)
    notice = next(f for f in report["findings"] if f["rule_id"] == "LR901")
    assert (notice["path"], notice["line"]) == ("app/orders/broken_stack.py", 3)
    assert ("LR100", "app/orders/orders_stack.py", 26, "OrdersApi") in runtime_findings(report)


# --- TypeScript / JavaScript -------------------------------------------------------------------


def test_typescript_constructs_with_spreads_comments_and_non_lambda_functions():
    fns = inventory(TYPESCRIPT_APP)
    assert set(fns) == {"LegacyExport", "Checkout", "Health", "Renderer",
                        "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"}
    legacy = fns["LegacyExport"]
    assert (legacy.runtime, str(legacy.where("Runtime")), legacy.code_path) == (
        "nodejs14.x", "lib/checkout-stack.ts:23", "lambda/legacy")
    health = fns["Health"]
    assert (health.runtime, health.where("Runtime").line) == ("nodejs22.x", 11)  # from ...apiDefaults
    assert fns["Checkout"].code_path == "lambda/checkout.ts"


def test_synthesized_templates_are_mapped_back_to_the_construct_and_reported_once():
    fns = inventory(TYPESCRIPT_APP)
    legacy = fns["LegacyExport"]
    assert legacy.properties["aws:cdk:paths"] == ["CheckoutStack/LegacyExport/Resource"]
    assert legacy.properties["SynthesizedAt"] == ["cdk.out/CheckoutStack.template.json:15"]
    # The source leaves Checkout's runtime to the CDK default; the synthesized template says what it was.
    checkout = fns["Checkout"]
    assert (checkout.runtime, str(checkout.where("Runtime"))) == (
        "nodejs16.x", "cdk.out/CheckoutStack.template.json:45")
    assert "NodejsFunction" in checkout.properties["RuntimeSource"]
    # A function CDK adds itself keeps its template location and construct path.
    log_retention = fns["LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"]
    assert (log_retention.format, log_retention.location.path) == ("cdk", "cdk.out/CheckoutStack.template.json")
    assert log_retention.properties["LogicalId"] == "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A"
    # The image asset copy in cdk.out is not a second Renderer.
    assert fns["Renderer"].where("Runtime").path == "renderer/Dockerfile"


def test_typescript_app_findings_land_on_the_exact_lines():
    report = scan(TYPESCRIPT_APP)
    assert runtime_findings(report) == [
        ("LR100", "cdk.out/CheckoutStack.template.json", 45, "Checkout"),
        ("LR100", "cdk.out/CheckoutStack.template.json", 75, "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"),
        ("LR101", "lib/checkout-stack.ts", 23, "LegacyExport"),
        ("LR102", "lib/checkout-stack.ts", 11, "Health"),
        ("LR106", "renderer/Dockerfile", 1, "Renderer"),
    ]
    by_line = {(f["path"], f["line"]): f for f in report["findings"]}
    assert by_line[("lib/checkout-stack.ts", 23)]["suggestion"] == "      runtime: lambda.Runtime.NODEJS_24_X,"
    assert by_line[("cdk.out/CheckoutStack.template.json", 45)]["suggestion"] is None  # generated file


def test_without_cdk_out_a_nodejs_function_without_runtime_says_it_depends_on_the_cdk_version(tmp_path):
    shutil.copytree(TYPESCRIPT_APP, tmp_path / "app", ignore=shutil.ignore_patterns("cdk.out"))
    checkout = inventory(tmp_path)["Checkout"]
    assert checkout.runtime is None and "depends on the aws-cdk-lib version" in checkout.unresolved["Runtime"]
    config = json.loads((tmp_path / "app" / "cdk.json").read_text())
    config["context"]["@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion"] = True
    (tmp_path / "app" / "cdk.json").write_text(json.dumps(config))
    checkout = inventory(tmp_path)["Checkout"]   # the default is then NODEJS_LATEST: nodejs18.x in the pinned 2.170.0
    assert checkout.runtime == "nodejs18.x" and checkout.locations["Runtime.Release"].path == "app/package.json"


def test_javascript_require_forms_and_the_global_function_constructor(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "node bin/app.js"}')
    (tmp_path / "stack.js").write_text(
        "const cdk = require('aws-cdk-lib');\n"
        "const lambda = require('aws-cdk-lib/aws-lambda');\n"
        "const { Function: LambdaFunction, Runtime } = require('aws-cdk-lib/aws-lambda');\n"
        "const { aws_lambda: awsLambda } = require('aws-cdk-lib');\n"
        "class Stack extends cdk.Stack {\n"
        "  constructor(scope, id) {\n"
        "    super(scope, id);\n"
        "    new lambda.Function(this, 'Thumbs', { runtime: lambda.Runtime.NODEJS_18_X, handler: 'i.h' });\n"
        "    new LambdaFunction(this, \"Renamed\", {\n"
        "      handler: 'i.h',\n"
        "      runtime: Runtime.PYTHON_3_13,\n"
        "    });\n"
        "    new awsLambda.Function(this, 'Destructured', { runtime: awsLambda.Runtime.RUBY_3_4 });\n"
        "    const evaluate = new Function('a', 'return a + 1');\n"
        "    const text = \"new lambda.Function(this, 'InString', { runtime: lambda.Runtime.NODEJS_12_X })\";\n"
        "  }\n"
        "}\n")
    fns = inventory(tmp_path)
    assert {name: (fn.runtime, fn.where("Runtime").line) for name, fn in fns.items()} == {
        "Thumbs": ("nodejs18.x", 8), "Renamed": ("python3.13", 11), "Destructured": ("ruby3.4", 13)}


def test_compiled_javascript_beside_its_typescript_is_not_read_twice(tmp_path):
    shutil.copytree(TYPESCRIPT_APP, tmp_path / "app", ignore=shutil.ignore_patterns("cdk.out"))
    compiled = (tmp_path / "app" / "lib" / "checkout-stack.ts").read_text().replace("import * as", "// import")
    (tmp_path / "app" / "lib" / "checkout-stack.js").write_text(compiled)
    assert [fn.name for fn in build_inventory(Workspace(tmp_path)).functions].count("LegacyExport") == 1


# --- Java --------------------------------------------------------------------------------------


def test_java_builders_and_props_builders_are_read():
    fns = inventory(JAVA_APP)
    assert set(fns) == {"Invoices", "Ledger"}  # src/test is skipped; java.util.function.Function ignored
    invoices, ledger = fns["Invoices"], fns["Ledger"]
    assert (invoices.runtime, invoices.location.line, invoices.where("Runtime").line) == ("java8", 21, 22)
    assert invoices.handler == "com.myorg.invoices.Handler::handleRequest"
    assert (ledger.runtime, ledger.where("Runtime").line, ledger.locations["Runtime.Default"].line) == (
        "java21", 30, 14)


def test_java_app_findings_land_on_the_exact_lines():
    report = scan(JAVA_APP)
    assert runtime_findings(report) == [("LR101", "src/main/java/com/myorg/BillingStack.java", 22, "Invoices")]
    assert report["findings"][0]["suggestion"] == "                .runtime(Runtime.JAVA_8_AL2023)"


# --- synthesized templates alone ---------------------------------------------------------------


def test_cdk_out_templates_belong_to_the_cdk_reader_and_are_not_counted_twice(tmp_path):
    shutil.copytree(TYPESCRIPT_APP / "cdk.out", tmp_path / "cdk.out")
    functions = build_inventory(Workspace(tmp_path)).functions
    assert sorted(fn.name for fn in functions) == [
        "Checkout", "LegacyExport", "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a", "Renderer"]
    assert {fn.format for fn in functions} == {"cdk"}
    renderer = next(fn for fn in functions if fn.name == "Renderer")
    # Only the image asset copy in cdk.out is there to say which base image the image uses.
    assert renderer.runtime == "nodejs20.x" and renderer.where("Runtime").path.startswith("cdk.out/asset.")
    out = io.StringIO()
    main(["inventory", str(tmp_path)], stdout=out)
    assert "LegacyExport  [cdk]  cdk.out/CheckoutStack.template.json:15" in out.getvalue()


def test_a_malformed_synthesized_template_is_a_notice(tmp_path):
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "Broken.template.json").write_text('{\n "Resources": {\n  "Fn": {"Type": "AWS::Lambda::Function",\n')
    report = scan(tmp_path)
    assert runtime_findings(report) == [("LR901", "cdk.out/Broken.template.json", 4, None)]


def test_hostile_cdk_sources_are_read_in_bounded_work(tmp_path):
    header = "import * as lambda from 'aws-cdk-lib/aws-lambda';\nconst shared = {...shared};\n"
    (tmp_path / "spam.ts").write_text(header + "new lambda.Function(this, 'X', {...shared});\n" * 3000
                                      + "import {" * 20000 + "class A extends lambda.Function {" * 5000)
    (tmp_path / "Spam.java").write_text("import software.amazon.awscdk.services.lambda.*;\n" + "a." * 100000)
    functions = build_inventory(Workspace(tmp_path)).functions
    assert len(functions) == 500 and {fn.runtime for fn in functions} == {None}


def test_python_assets_named_by_keyword_are_found_like_positional_ones(tmp_path):
    """`Code.from_asset(path=...)` and `DockerImageCode.from_image_asset(directory=...)`: keyword spellings
    of the same argument, so the code is read and the Dockerfile belongs to its construct, not listed apart."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "jobs_stack.py").write_text(
        "import aws_cdk as cdk\n"
        "from aws_cdk import aws_lambda as _lambda\n"
        "\n"
        "class JobsStack(cdk.Stack):\n"
        "    def __init__(self, scope, id, **kwargs):\n"
        "        super().__init__(scope, id, **kwargs)\n"
        "        _lambda.Function(\n"
        "            scope=self,\n"
        "            id='Scheduler',\n"
        "            runtime=_lambda.Runtime.PYTHON_3_12,\n"
        "            handler='main.handle',\n"
        "            code=_lambda.Code.from_asset(\n"
        "                path='functions/scheduler/',\n"
        "            ),\n"
        "        )\n"
        "        _lambda.DockerImageFunction(\n"
        "            scope=self,\n"
        "            id='Renderer',\n"
        "            code=_lambda.DockerImageCode.from_image_asset(directory='functions/renderer/'),\n"
        "        )\n")
    (tmp_path / "functions" / "scheduler").mkdir(parents=True)
    (tmp_path / "functions" / "scheduler" / "main.py").write_text("def handle(event, context):\n    return 1\n")
    (tmp_path / "functions" / "renderer").mkdir(parents=True)
    (tmp_path / "functions" / "renderer" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD [\"app.handler\"]\n")
    functions = build_inventory(Workspace(tmp_path)).functions
    assert sorted(fn.name for fn in functions) == ["Renderer", "Scheduler"]
    by_name = {fn.name: fn for fn in functions}
    assert by_name["Scheduler"].code_path == "functions/scheduler"
    assert (by_name["Renderer"].runtime, str(by_name["Renderer"].where("Runtime"))) == (
        "python3.12", "functions/renderer/Dockerfile:1")


def test_a_synthesized_template_committed_beside_the_app_joins_its_constructs(tmp_path):
    """`cdk synth > template.yaml` committed next to cdk.json is the app's output, not a second
    deployment: its functions join the constructs that declare them (the source runtime wins over
    a stale synthesized one), and only the functions CDK adds itself keep their template line."""
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "shop" / "shop_stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n"
        "class ShopStack(Stack):\n"
        "    def __init__(self, scope, id, **kwargs):\n"
        "        super().__init__(scope, id, **kwargs)\n"
        "        _lambda.Function(self, 'Orders', runtime=_lambda.Runtime.PYTHON_3_12,\n"
        "                         handler='orders.handler', code=_lambda.Code.from_asset('lambda_fns'))\n")
    (tmp_path / "shop" / "template.yaml").write_text(
        "Resources:\n"
        "  Orders1A2B3C4D:\n"
        "    Type: AWS::Lambda::Function\n"
        "    Properties:\n"
        "      Handler: orders.handler\n"
        "      Runtime: nodejs12.x\n"
        "      Role: arn:aws:iam::123456789012:role/orders\n"
        "      Code:\n        S3Bucket: assets\n        S3Key: orders.zip\n"
        "    Metadata:\n      aws:cdk:path: shop/Orders/Resource\n"
        "  BucketNotificationsHandler050a0587b7544547bf325f094a3db8347ECC3691:\n"
        "    Type: AWS::Lambda::Function\n"
        "    Properties:\n"
        "      Handler: index.handler\n"
        "      Runtime: python3.9\n"
        "      Role: arn:aws:iam::123456789012:role/notifications\n"
        "      Code:\n        ZipFile: 'def handler(event, context): pass'\n"
        "    Metadata:\n      aws:cdk:path: shop/BucketNotificationsHandler050a0587b7544547bf325f094a3db8347/Resource\n")
    functions = build_inventory(Workspace(tmp_path)).functions
    assert sorted((fn.name, fn.format, str(fn.location), fn.runtime) for fn in functions) == [
        ("BucketNotificationsHandler050a0587b7544547bf325f094a3db8347", "cdk", "shop/template.yaml:13", "python3.9"),
        ("Orders", "cdk", "shop/shop_stack.py:6", "python3.12"),
    ]
    orders = next(fn for fn in functions if fn.name == "Orders")
    assert orders.properties["SynthesizedAt"] == ["shop/template.yaml:2"]


def test_a_template_beside_a_cdk_app_without_construct_paths_stays_a_template_of_its_own(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Mailer:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: app.handler\n      Runtime: python3.12\n      CodeUri: mailer/\n")
    [mailer] = build_inventory(Workspace(tmp_path)).functions
    assert (mailer.name, mailer.format) == ("Mailer", "sam")


def test_typescript_import_equals_require_names_the_lambda_module(tmp_path):
    """`import lambda = require('@aws-cdk/aws-lambda')` (TypeScript's import-equals form, common in
    CDK v1 apps) binds the module like `import * as lambda from ...`."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "fanout-stack.ts").write_text(
        "import * as cdk from '@aws-cdk/core';\n"
        "import lambda = require('@aws-cdk/aws-lambda');\n\n"
        "export class FanoutStack extends cdk.Stack {\n"
        "  constructor(scope: cdk.Construct, id: string, props?: cdk.StackProps) {\n"
        "    super(scope, id, props);\n"
        "    const consumer = new lambda.Function(this, 'QueueConsumer', {\n"
        "      runtime: lambda.Runtime.NODEJS_12_X,\n"
        "      code: lambda.Code.fromAsset('lambda-fns'),\n"
        "      handler: 'consumer.handler',\n"
        "    });\n  }\n}\n")
    fns = inventory(tmp_path)
    assert [(name, fn.runtime, str(fn.where("Runtime"))) for name, fn in fns.items()] == [
        ("QueueConsumer", "nodejs12.x", "lib/fanout-stack.ts:8")]


def test_python_asset_folder_built_from_the_stack_files_folder_in_a_variable(tmp_path):
    """`folder = os.path.dirname(os.path.realpath(__file__)) + "/../model"` then
    `from_image_asset(folder)`: the Dockerfile there belongs to the construct."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "model_stack.py").write_text(
        "import os\n"
        "from aws_cdk import core, aws_lambda as _lambda\n\n"
        "class ModelStack(core.Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        model_folder = os.path.dirname(os.path.realpath(__file__)) + '/../model'\n"
        "        _lambda.DockerImageFunction(self, 'Scorer',\n"
        "                                    code=_lambda.DockerImageCode.from_image_asset(model_folder))\n")
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD [\"app.handler\"]\n")
    functions = build_inventory(Workspace(tmp_path)).functions
    assert [(fn.name, fn.runtime, str(fn.where("Runtime"))) for fn in functions] == [
        ("Scorer", "python3.12", "model/Dockerfile:1")]


def _constants_app(root: Path) -> None:
    """A Python CDK app whose construct ids and asset folder live in a constants module; the
    asset folder is made by the build (`pip install -t .build/lambdas && cp -r orders ...`)."""
    (root / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (root / "infrastructure" / "orders").mkdir(parents=True)
    (root / "infrastructure" / "__init__.py").write_text("")
    (root / "infrastructure" / "orders" / "__init__.py").write_text("")
    (root / "infrastructure" / "orders" / "constants.py").write_text(
        "CREATE_LAMBDA = 'CreateOrder'\nCANCEL_LAMBDA: str = 'CancelOrder'\nBUILD_FOLDER = '.build/lambdas/'\n"
        "SOURCE_FOLDER = 'orders_src'\n")
    (root / "infrastructure" / "orders" / "api_construct.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n"
        "from constructs import Construct\n"
        "from infrastructure.orders import constants\n"
        "from .constants import CANCEL_LAMBDA, SOURCE_FOLDER\n\n"
        "class OrdersApi(Construct):\n"
        "    def __init__(self, scope, id_):\n"
        "        super().__init__(scope, id_)\n"
        "        create = _lambda.Function(\n"
        "            self,\n"
        "            constants.CREATE_LAMBDA,\n"
        "            runtime=_lambda.Runtime.PYTHON_3_13,\n"
        "            code=_lambda.Code.from_asset(constants.BUILD_FOLDER),\n"
        "            handler='orders.handlers.create_order.lambda_handler',\n"
        "        )\n"
        "        cancel = _lambda.Function(self, CANCEL_LAMBDA, runtime=_lambda.Runtime.PYTHON_3_13,\n"
        "                                  code=_lambda.Code.from_asset(SOURCE_FOLDER), handler='cancel.handler')\n")
    (root / "orders" / "handlers").mkdir(parents=True)
    (root / "orders" / "__init__.py").write_text("")
    (root / "orders" / "handlers" / "__init__.py").write_text("")
    (root / "orders" / "handlers" / "create_order.py").write_text(
        "import boto3\n\ndef lambda_handler(event, context):\n"
        "    boto3.client('lambda').invoke(FunctionName=context.function_name, InvocationType='Event')\n")
    (root / "orders_src").mkdir()
    (root / "orders_src" / "cancel.py").write_text("def handler(event, context):\n    return {}\n")


def test_python_construct_ids_and_assets_held_in_an_imported_constants_module(tmp_path):
    _constants_app(tmp_path)
    found = inventory(tmp_path)
    assert sorted(found) == ["CancelOrder", "CreateOrder"]
    assert found["CancelOrder"].code_path == "orders_src"
    assert found["CreateOrder"].code_path is None and "Code" not in found["CreateOrder"].unresolved


def test_a_package_handler_built_into_a_missing_folder_is_read_from_where_the_package_is(tmp_path):
    """`.build/lambdas/` is not committed; `orders.handlers.create_order` is at the repository root."""
    _constants_app(tmp_path)
    report = scan(tmp_path, "--audit", "off")
    loops = [(f["rule_id"], f["path"], f["function"]) for f in report["findings"] if f["rule_id"].startswith("LR20")]
    assert loops == [("LR200", "orders/handlers/create_order.py", "CreateOrder")]


def test_aws_solutions_constructs_create_their_function_from_lambda_function_props(tmp_path):
    """`LambdaToDynamoDB(self, 'Id', lambda_function_props=FunctionProps(...))`, a dict, and the
    TypeScript forms: the props literal in the call, or in a typed `const` above it."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "index.py").write_text("def handler(event, context):\n    return {}\n")
    (tmp_path / "app_stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n"
        "from aws_solutions_constructs.aws_lambda_dynamodb import LambdaToDynamoDB\n"
        "from aws_solutions_constructs.aws_s3_lambda import S3ToLambda\n\n"
        "class AppStack(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        LambdaToDynamoDB(self, 'OrdersWriter',\n"
        "                         lambda_function_props=_lambda.FunctionProps(\n"
        "                             code=_lambda.Code.from_asset('lambda'),\n"
        "                             runtime=_lambda.Runtime.PYTHON_3_8,\n"
        "                             handler='index.handler'))\n"
        "        S3ToLambda(self, 'Thumbnails', lambda_function_props={\n"
        "            'code': _lambda.Code.from_asset('lambda'), 'runtime': _lambda.Runtime.PYTHON_3_12,\n"
        "            'handler': 'index.handler'})\n"
        "        LambdaToDynamoDB(self, 'Existing', existing_lambda_obj=None)\n")
    (tmp_path / "queue_stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { LambdaToSqs } from '@aws-solutions-constructs/aws-lambda-sqs';\n"
        "import { LambdaToDynamoDB, LambdaToDynamoDBProps } from '@aws-solutions-constructs/aws-lambda-dynamodb';\n"
        "export class QueueStack extends Stack {\n"
        "  constructor(scope: Construct, id: string) {\n"
        "    super(scope, id);\n"
        "    new LambdaToSqs(this, 'Producer', {\n"
        "      lambdaFunctionProps: {\n"
        "        runtime: lambda.Runtime.NODEJS_16_X,\n"
        "        handler: 'index.handler',\n"
        "        code: lambda.Code.fromAsset(`${__dirname}/lambda`)\n"
        "      }\n"
        "    });\n"
        "    const props: LambdaToDynamoDBProps = {\n"
        "      lambdaFunctionProps: {\n"
        "        code: lambda.Code.fromAsset(__dirname + '/lambda'),\n"
        "        runtime: lambda.Runtime.NODEJS_14_X,\n"
        "        handler: 'index.handler'\n"
        "      },\n"
        "    };\n"
        "    new LambdaToDynamoDB(this, 'Table', props);\n"
        "  }\n"
        "}\n")
    (tmp_path / "QueueStack.java").write_text(
        "import software.amazon.awscdk.services.lambda.Code;\n"
        "import software.amazon.awscdk.services.lambda.FunctionProps;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "import software.amazon.awsconstructs.services.lambdasqs.LambdaToSqs;\n"
        "public class QueueStack extends Stack {\n"
        "    public QueueStack(final Construct scope, final String id) {\n"
        "        super(scope, id);\n"
        "        new LambdaToSqs(this, \"JavaProducer\", new LambdaToSqsProps.Builder()\n"
        "                .lambdaFunctionProps(new FunctionProps.Builder()\n"
        "                        .runtime(Runtime.NODEJS_16_X)\n"
        "                        .code(Code.fromAsset(\"lambda\"))\n"
        "                        .handler(\"index.handler\")\n"
        "                        .build())\n"
        "                .build());\n"
        "    }\n"
        "}\n")
    found = {fn.name: (fn.runtime, str(fn.where("Runtime")), fn.code_path, fn.location.line)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "JavaProducer": ("nodejs16.x", "QueueStack.java:10", "lambda", 8),
        "OrdersWriter": ("python3.8", "app_stack.py:11", "lambda", 8),
        "Thumbnails": ("python3.12", "app_stack.py:14", "lambda", 13),
        "Producer": ("nodejs16.x", "queue_stack.ts:9", "lambda", 7),
        "Table": ("nodejs14.x", "queue_stack.ts:17", "lambda", 21),
    }


def test_typescript_asset_folders_built_from_dirname_by_a_template_or_a_sum(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "functions").mkdir()
    (tmp_path / "lib" / "lambda").mkdir()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "const runtime = lambda.Runtime.NODEJS_20_X;\n"
        "new lambda.Function(this, 'Up', {runtime, handler: 'index.handler',\n"
        "  code: lambda.Code.fromAsset(`${__dirname}/../functions`)});\n"
        "new lambda.Function(this, 'Beside', {runtime, handler: 'index.handler',\n"
        "  code: lambda.Code.fromAsset(__dirname + '/lambda')});\n"
        "new lambda.Function(this, 'FromEnv', {runtime, handler: 'index.handler',\n"
        "  code: lambda.Code.fromAsset(`${__dirname}/${process.env.TARGET}`)});\n")
    found = {fn.name: fn.code_path for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {"Up": "functions", "Beside": "lib/lambda", "FromEnv": None}


def test_a_python_helper_given_the_construct_id_and_handler_is_one_function_per_call(tmp_path):
    """`self._make("Orders", "orders.handler")`: the runtime is written in the helper, the id and
    handler at each call (TypeScript helpers were already read this way)."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n"
        "class Api(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        self._make('Orders', 'orders.handler')\n"
        "        self._make(handler='payments.handler', name='Payments')\n\n"
        "    def _make(self, name, handler):\n"
        "        return _lambda.Function(self, name, runtime=_lambda.Runtime.PYTHON_3_9, handler=handler,\n"
        "                                code=_lambda.Code.from_asset('src'))\n")
    found = {fn.name: (fn.location.line, fn.runtime, str(fn.where("Runtime")), fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {"Orders": (6, "python3.9", "stack.py:10", "orders.handler", "src"),
                     "Payments": (7, "python3.9", "stack.py:10", "payments.handler", "src")}
    # one runtime line for both: one finding there, used by both functions
    assert runtime_findings(scan(tmp_path, "--audit", "off")) == [("LR100", "stack.py", 10, None)]


def test_a_python_helper_module_that_makes_functions_for_other_modules(tmp_path):
    """`create_function(self, "Orders", _lambda.Runtime.PYTHON_3_9, "orders.handler")` with the helper
    in `stacks/utils.py`: one function per call, declared at the call, with the helper's code; the
    helper's own construct is not a function of its own, and its LR904 notice goes with it."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "__init__.py").write_text("")
    (tmp_path / "stacks" / "utils.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n\n\n"
        "def create_function(scope, construct_id, runtime, handler, environment=None):\n"
        "    return _lambda.Function(scope, construct_id, runtime=runtime, handler=handler,\n"
        "                            code=_lambda.Code.from_asset('src'), environment=environment or {})\n")
    (tmp_path / "stacks" / "api.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n"
        "from stacks.utils import create_function\n"
        "from stacks import utils\n\n"
        "class Api(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        create_function(self, 'Orders', runtime=_lambda.Runtime.PYTHON_3_9, handler='orders.handler')\n"
        "        create_function(self, 'Payments', _lambda.Runtime.PYTHON_3_12, 'payments.handler')\n"
        "        utils.create_function(self, 'Refunds', _lambda.Runtime.PYTHON_3_13, 'refunds.handler')\n")
    (tmp_path / "stacks" / "jobs.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n"
        "from .utils import create_function\n\n"
        "class Jobs(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        create_function(self, 'Nightly', _lambda.Runtime.PYTHON_3_8, 'nightly.handler')\n")
    (tmp_path / "stacks" / "helpers.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n\n\n"
        "class Helpers:\n"
        "    @staticmethod\n"
        "    def create(scope, id, handler_path):\n"
        "        return _lambda.Function(scope, id, runtime=_lambda.Runtime.PYTHON_3_11, handler='main.handler',\n"
        "                                code=_lambda.Code.from_asset(handler_path))\n")
    (tmp_path / "stacks" / "tools.py").write_text(
        "from aws_cdk import Stack\n"
        "from stacks.helpers import Helpers\n\n"
        "class Tools(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        Helpers.create(self, 'Export', 'tools/export')\n")
    (tmp_path / "tools" / "export").mkdir(parents=True)
    found = {fn.name: (str(fn.location), fn.runtime, str(fn.where("Runtime")), fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "Export": ("stacks/tools.py:7", "python3.11", "stacks/helpers.py:7", "main.handler", "tools/export"),
        "Orders": ("stacks/api.py:8", "python3.9", "stacks/api.py:8", "orders.handler", "src"),
        "Payments": ("stacks/api.py:9", "python3.12", "stacks/api.py:9", "payments.handler", "src"),
        "Refunds": ("stacks/api.py:10", "python3.13", "stacks/api.py:10", "refunds.handler", "src"),
        "Nightly": ("stacks/jobs.py:7", "python3.8", "stacks/jobs.py:7", "nightly.handler", "src"),
    }
    report = scan(tmp_path, "--audit", "off")
    assert not [f for f in report["findings"] if f["path"] == "stacks/utils.py"]
    assert ("LR100", "stacks/jobs.py", 7, "Nightly") in runtime_findings(report)


def test_a_typescript_helper_module_that_makes_functions_for_other_modules(tmp_path):
    """`export function createFunction(scope, id, handler)` in `lib/utils.ts`, imported by name, by
    namespace or through `require` (JavaScript): one function per call; the helper's own construct
    is no function of its own."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "utils.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { Construct } from 'constructs';\n\n"
        "export function createFunction(scope: Construct, id: string, handler: string): lambda.Function {\n"
        "  return new lambda.Function(scope, id, {\n"
        "    runtime: lambda.Runtime.NODEJS_18_X,\n"
        "    handler,\n"
        "    code: lambda.Code.fromAsset('src'),\n"
        "  });\n"
        "}\n\n"
        "export const createWorker = (scope: Construct, id: string, runtime: lambda.Runtime) =>\n"
        "  new lambda.Function(scope, id, { runtime, handler: 'worker.handler', code: lambda.Code.fromAsset('src') });\n\n"
        "export function createLambda(props: CreateLambdaProps): lambda.Function {\n"
        "  return new lambda.Function(props.scope, props.id, { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "    handler: 'index.handler', code: lambda.Code.fromAsset(props.assetPath) });\n"
        "}\n\n"
        "export function makeFn({ scope, id, file }: { scope: Construct; id: string; file: string }) {\n"
        "  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_20_X,\n"
        "    handler: 'index.handler', code: lambda.Code.fromAsset(file) });\n"
        "}\n")
    (tmp_path / "lambda" / "users").mkdir(parents=True)
    (tmp_path / "lambda" / "jobs").mkdir(parents=True)
    (tmp_path / "lib" / "api.ts").write_text(
        "import { Stack } from 'aws-cdk-lib';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import { createFunction } from './utils';\n"
        "import * as utils from './utils';\n\n"
        "export class Api extends Stack {\n"
        "  constructor(scope: Construct, id: string) {\n"
        "    super(scope, id);\n"
        "    createFunction(this, 'Orders', 'orders.handler');\n"
        "    utils.createWorker(this, 'Nightly', lambda.Runtime.NODEJS_16_X);\n"
        "    utils.createLambda({ scope: this, id: 'Users', assetPath: 'lambda/users' });\n"
        "    utils.makeFn({ scope: this, id: 'Jobs', file: 'lambda/jobs' });\n"
        "  }\n"
        "}\n")
    (tmp_path / "lib" / "jobs.js").write_text(
        "const { Stack } = require('aws-cdk-lib');\n"
        "const { createFunction } = require('./utils');\n"
        "class Jobs extends Stack {\n"
        "  constructor(scope, id) {\n"
        "    super(scope, id);\n"
        "    createFunction(this, 'Refunds', 'refunds.handler');\n"
        "  }\n"
        "}\n")
    found = {fn.name: (str(fn.location), fn.runtime, str(fn.where("Runtime")), fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "Orders": ("lib/api.ts:9", "nodejs18.x", "lib/utils.ts:6", "orders.handler", "src"),
        "Nightly": ("lib/api.ts:10", "nodejs16.x", "lib/api.ts:10", "worker.handler", "src"),
        "Refunds": ("lib/jobs.js:6", "nodejs18.x", "lib/utils.ts:6", "refunds.handler", "src"),
        "Users": ("lib/api.ts:11", "nodejs22.x", "lib/utils.ts:16", "index.handler", "lambda/users"),
        "Jobs": ("lib/api.ts:12", "nodejs20.x", "lib/utils.ts:21", "index.handler", "lambda/jobs"),
    }


@pytest.mark.parametrize(("header", "suggested"), [
    ("from aws_cdk import core\nfrom aws_cdk import aws_lambda as _lambda\n", False),            # CDK v1
    ("import aws_cdk.core as cdk\nimport aws_cdk.aws_lambda as _lambda\n", False),               # CDK v1
    ("from aws_cdk import (\n    core as cdk,\n    aws_lambda as _lambda,\n)\n", False),           # CDK v1
    ("from aws_cdk import Stack\nfrom aws_cdk import aws_lambda as _lambda\n", True),            # CDK v2
])
def test_a_cdk_v1_app_is_not_told_to_use_a_constant_its_packages_lack(tmp_path, header, suggested):
    """CDK v1 (end of support June 2023) has no `Runtime.PYTHON_3_14`: the line moved to it would not
    run, so a v1 app gets the successor named in the message and no one-line suggestion."""
    (tmp_path / "app.py").write_text(
        header + "\n\nclass Stack1:\n    def __init__(self, scope):\n"
        "        _lambda.Function(self, 'Reports', runtime=_lambda.Runtime.PYTHON_3_7, handler='app.handler',\n"
        "                         code=_lambda.Code.from_asset('src'))\n")
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    [finding] = [f for f in scan(tmp_path)["findings"] if f["rule_id"].startswith("LR10")]
    assert "python3.14" in finding["message"]
    assert (finding["suggestion"] is not None) is suggested
