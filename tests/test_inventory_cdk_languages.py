"""CDK apps in C#, Go, Kotlin, Java (helper-built props), TypeScript (EdgeFunction, wrapper helpers)
and Python read from their syntax trees: every construct, its runtime at the line that names it,
and a notice where a declaration cannot be read statically."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.model import ResourceRef
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "cdk"
DAY = "2026-11-22"


def scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never"], stdout=out)
    return json.loads(out.getvalue())


def runtime_findings(report: dict) -> list[tuple[str, str, int, str | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["function"]) for f in report["findings"]
                  if f["rule_id"] in ("LR100", "LR101", "LR102", "LR103", "LR904", "LR901"))


def named_at(function) -> int:
    """The line that names the runtime: where findings land."""
    return function.locations.get("Runtime.Default", function.where("Runtime")).line


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_csharp_object_initializers_helper_methods_and_edge_functions():
    fns = inventory(FIXTURES / "csharp-app")
    assert {name: (fn.runtime, str(fn.where("Runtime"))) for name, fn in fns.items()} == {
        "Refunds": ("dotnet6", "src/Payments/PaymentsStack.cs:15"),
        "Ledger": ("provided.al2", "src/Payments/PaymentsStack.cs:35"),   # in LedgerProps(...)
        "HeaderRewrite": ("nodejs16.x", "src/Payments/PaymentsStack.cs:25"),
    }
    refunds = fns["Refunds"]
    assert refunds.handler == "Refunds::Refunds.Function::FunctionHandler"
    assert refunds.code_path == "src/Functions/Refunds" and refunds.location.line == 13
    assert fns["HeaderRewrite"].properties["Construct"] == "EdgeFunction"


def test_csharp_app_findings_land_on_the_lines_that_name_the_runtime():
    assert runtime_findings(scan(FIXTURES / "csharp-app")) == [
        ("LR100", "src/Payments/PaymentsStack.cs", 15, "Refunds"),
        ("LR100", "src/Payments/PaymentsStack.cs", 25, "HeaderRewrite"),
        ("LR100", "src/Payments/PaymentsStack.cs", 35, "Ledger"),
    ]


def test_go_struct_literals_on_one_line_in_a_variable_and_alpha_constructs():
    fns = inventory(FIXTURES / "go-app")
    assert {name: (fn.runtime, fn.where("Runtime").line) for name, fn in fns.items()} == {
        "Audit": ("python3.9", 14), "Thumbnails": ("nodejs16.x", 17), "Resizer": ("provided.al2023", 25)}
    audit = fns["Audit"]
    assert (audit.handler, audit.code_path) == ("app.handler", "lambda/audit")
    assert fns["Resizer"].properties["Construct"] == "GoFunction"
    report = scan(FIXTURES / "go-app")
    assert runtime_findings(report) == [
        ("LR100", "media.go", 14, "Audit"), ("LR100", "media.go", 17, "Thumbnails")]
    thumbnails = next(f for f in report["findings"] if f["function"] == "Thumbnails" and f["rule_id"] == "LR100")
    assert thumbnails["suggestion"] == "\t\tRuntime: awslambda.Runtime_NODEJS_24_X(),"


def test_kotlin_builders_and_props_from_an_expression_bodied_helper():
    fns = inventory(FIXTURES / "kotlin-app")
    path = "src/main/kotlin/com/example/ReportsStack.kt"
    assert {name: (fn.runtime, str(fn.where("Runtime"))) for name, fn in fns.items()} == {
        "MonthlyReport": ("java8", f"{path}:14"), "DailyDigest": ("java11", f"{path}:24")}
    assert fns["MonthlyReport"].handler == "com.example.reports.Monthly::handleRequest"
    assert runtime_findings(scan(FIXTURES / "kotlin-app")) == [("LR101", path, 14, "MonthlyReport")]


def test_java_props_built_in_a_helper_reach_all_five_functions_and_edge_function_builders():
    fns = inventory(FIXTURES / "java-helpers-app")
    path = "src/main/java/com/example/WorkersStack.java"
    workers = ["Ingest", "Enrich", "Score", "Archive", "Notify"]
    assert sorted(fns) == sorted(workers + ["AuthAtEdge"])
    for name in workers:
        assert (fns[name].runtime, str(fns[name].where("Runtime"))) == ("java8", f"{path}:34")
        assert fns[name].handler == f"com.example.{name}::handle"
    assert (fns["AuthAtEdge"].runtime, fns["AuthAtEdge"].where("Runtime").line) == ("nodejs14.x", 26)
    report = scan(FIXTURES / "java-helpers-app")
    blocked = [f for f in report["findings"] if f["rule_id"] == "LR101"]
    assert sorted((f["line"], f["severity"]) for f in blocked) == [(26, "error"), (34, "error")]
    shared = next(f for f in blocked if f["line"] == 34)
    assert all(name in shared["message"] for name in workers)   # one finding names the five functions


def test_typescript_edge_functions_wrapper_helpers_and_unreadable_props():
    root = FIXTURES / "typescript-edge-app"
    fns = inventory(root)
    assert {name: (fn.runtime, named_at(fn)) for name, fn in fns.items() if fn.runtime} == {
        "SecurityHeaders": ("nodejs16.x", 15), "Sitemap": ("nodejs14.x", 20), "Search": ("nodejs22.x", 21)}
    assert fns["Sitemap"].location.line == 20 and fns["Sitemap"].code_path is None   # workers/ is not there
    assert fns["Imported"].runtime is None
    assert runtime_findings(scan(root)) == [
        ("LR100", "lib/site-stack.ts", 15, "SecurityHeaders"),
        ("LR101", "lib/site-stack.ts", 20, "Sitemap"),
        ("LR102", "lib/site-stack.ts", 21, "Search"),
        ("LR904", "lib/site-stack.ts", 24, None),
    ]
    notice = next(f for f in scan(root)["findings"] if f["rule_id"] == "LR904")
    assert "props.workerProps" in notice["message"] and "Imported" in notice["message"]


def test_python_edge_functions_go_functions_helper_props_and_wrapper_helpers(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import Stack, aws_cloudfront as cloudfront, aws_lambda as _lambda\n"
        "from aws_cdk.aws_lambda_go_alpha import GoFunction\n"
        "\n"
        "class SiteStack(Stack):\n"
        "    def __init__(self, scope, id, props):\n"
        "        super().__init__(scope, id)\n"
        "        cloudfront.experimental.EdgeFunction(\n"
        "            self, 'Rewrite',\n"
        "            runtime=_lambda.Runtime.NODEJS_16_X,\n"
        "            handler='index.handler', code=_lambda.Code.from_asset('edge'))\n"
        "        GoFunction(self, 'Resizer', entry='cmd/resizer', runtime=_lambda.Runtime.GO_1_X)\n"
        "        _lambda.Function(self, 'Shared', **self._defaults(), handler='a.b',\n"
        "                         code=_lambda.Code.from_asset('src'))\n"
        "        self._worker('Billing', _lambda.Runtime.PYTHON_3_8)\n"
        "        self._worker('Search', _lambda.Runtime.PYTHON_3_13)\n"
        "        _lambda.Function(self, 'Passed', **props)\n"
        "\n"
        "    def _defaults(self):\n"
        "        return dict(runtime=_lambda.Runtime.PYTHON_3_9, memory_size=256)\n"
        "\n"
        "    def _worker(self, name, runtime):\n"
        "        return _lambda.Function(self, name, runtime=runtime, handler='w.h',\n"
        "                                code=_lambda.Code.from_asset('workers'))\n")
    fns = inventory(tmp_path)
    assert {name: (fn.runtime, named_at(fn)) for name, fn in fns.items() if fn.runtime} == {
        "Rewrite": ("nodejs16.x", 9), "Resizer": ("go1.x", 11), "Shared": ("python3.9", 19),
        "Billing": ("python3.8", 14), "Search": ("python3.13", 15)}
    assert fns["Billing"].location.line == 14
    notices = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR904"]
    assert [(f["path"], f["line"]) for f in notices] == [("stack.py", 16)]


def test_a_source_without_a_construct_name_is_not_parsed_and_grammars_load_lazily(tmp_path):
    (tmp_path / "util.go").write_text('package util\nimport "github.com/aws/aws-cdk-go/awscdk/v2"\nvar _ = awscdk.NewApp\n')
    (tmp_path / "Handler.cs").write_text("namespace H { public class Handler { } }\n")
    assert build_inventory(Workspace(tmp_path)).functions == []


def test_broken_source_that_declares_no_readable_construct_is_a_notice(tmp_path):
    (tmp_path / "Stack.cs").write_text(
        "using Amazon.CDK.AWS.Lambda;\nclass S {\n  void M() {\n    new Function(this, \"X\", new FunctionProps {{{ \n")
    report = scan(tmp_path)
    assert [(f["rule_id"], f["path"]) for f in report["findings"]] == [("LR901", "Stack.cs")]


def test_constructs_of_other_libraries_given_a_lambda_runtime_and_l1_functions(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "api-stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as synthetics from 'aws-cdk-lib/aws-synthetics';\n"
        "import { ApiFunction } from './constructs/api-function';\n"
        "new ApiFunction(this, 'Orders', { runtime: lambda.Runtime.NODEJS_14_X, entry: 'src/orders.ts' });\n"
        "new synthetics.Canary(this, 'Probe', { runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_3_9 });\n"
        "new lambda.LayerVersion(this, 'Deps', { compatibleRuntimes: [lambda.Runtime.NODEJS_14_X] });\n"
        "new lambda.CfnFunction(this, 'Raw', { runtime: 'python3.7', handler: 'a.b', role: 'r', code: {} });\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n"
        "from shared.constructs import ServiceFunction\n"
        "DEFAULTS = dict(runtime=_lambda.Runtime.PYTHON_3_9)\n"
        "ServiceFunction(self, 'Billing', runtime=_lambda.Runtime.PYTHON_3_8, entry='billing')\n"
        "_lambda.CfnFunction(self, 'Legacy', runtime='nodejs12.x', handler='a.b', role='r', code={})\n")
    fns = inventory(tmp_path)
    assert {name: (fn.runtime, str(fn.where("Runtime")), fn.properties["Construct"]) for name, fn in fns.items()} == {
        "Orders": ("nodejs14.x", "lib/api-stack.ts:4", "ApiFunction"),
        "Raw": ("python3.7", "lib/api-stack.ts:7", "CfnFunction"),
        "Billing": ("python3.8", "stack.py:4", "ServiceFunction"),
        "Legacy": ("nodejs12.x", "stack.py:5", "CfnFunction"),
    }


def grammars_loaded(root: Path) -> set[str]:
    """The tree-sitter grammar packages a scan of `root` imports, in a fresh interpreter."""
    import subprocess
    import sys
    program = (
        "import io, sys\nfrom reviewer.cli import main\n"
        f"main(['inventory', {str(root)!r}], stdout=io.StringIO(), stderr=io.StringIO())\n"
        "print(' '.join(sorted({n.split('.')[0] for n in sys.modules if n.startswith('tree_sitter_')})))\n")
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    return set(completed.stdout.split())


def test_a_grammar_is_loaded_only_when_a_file_of_its_language_declares_constructs():
    assert grammars_loaded(FIXTURES / "python-app") == set()
    assert grammars_loaded(FIXTURES / "go-app") == {"tree_sitter_go"}
    assert grammars_loaded(FIXTURES / "csharp-app") == {"tree_sitter_c_sharp"}


def test_code_objects_and_merged_props_held_in_variables(tmp_path):
    (tmp_path / "cdk").mkdir()
    (tmp_path / "cdk" / "cdk.json").write_text('{"app": "dotnet run"}')
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "Dockerfile").write_text("FROM public.ecr.aws/lambda/dotnet:6\n")
    (tmp_path / "cdk" / "Stack.cs").write_text(
        "using Amazon.CDK.AWS.Lambda;\n"
        "class S {\n"
        "  void M() {\n"
        "    DockerImageCode image = DockerImageCode.FromImageAsset(\"../lambda\");\n"
        "    new DockerImageFunction(this, \"Thumbnails\", new DockerImageFunctionProps { Code = image });\n"
        "  }\n"
        "}\n")
    (tmp_path / "cdk" / "construct.py").write_text(
        "from aws_cdk import aws_lambda as lambda_\n"
        "__all__ = ['make']\n"
        "def make(scope, handler, code, **kwargs):\n"
        "    merged = {**DEFAULTS, **kwargs}\n"
        "    return lambda_.Function(scope, 'Function', handler=handler, code=code, **merged)\n")
    fns = inventory(tmp_path)
    assert (fns["Thumbnails"].runtime, str(fns["Thumbnails"].where("Runtime"))) == ("dotnet6", "lambda/Dockerfile:1")
    assert fns["Function"].runtime is None
    notices = [(f["rule_id"], f["path"], f["line"]) for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR904"]
    assert notices == [("LR904", "cdk/construct.py", 5)]


def test_a_runtime_with_a_default_is_reported_at_the_default(tmp_path):
    (tmp_path / "worker.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "export class Worker extends Construct {\n"
        "  constructor(scope: Construct, id: string, props: WorkerProps) {\n"
        "    super(scope, id);\n"
        "    new lambda.Function(this, 'Fn', {\n"
        "      runtime: props.runtime ?? lambda.Runtime.NODEJS_16_X,\n"
        "      handler: 'index.handler',\n"
        "    });\n"
        "  }\n"
        "}\n")
    function = inventory(tmp_path)["Fn"]
    assert (function.runtime, function.where("Runtime").line) == ("nodejs16.x", 6)


WRAPPER_HELPERS = {
    "workers.go": (
        'package main\nimport (\n\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"\n'
        '\t"github.com/aws/jsii-runtime-go"\n)\n'
        "func newWorker(stack awscdk.Stack, name string, runtime awslambda.Runtime) awslambda.Function {\n"
        '\treturn awslambda.NewFunction(stack, jsii.String(name), &awslambda.FunctionProps{Runtime: runtime})\n}\n'
        "func build(stack awscdk.Stack) {\n"
        '\tnewWorker(stack, "Billing", awslambda.Runtime_GO_1_X())\n'
        '\tnewWorker(stack, "Search", awslambda.Runtime_PROVIDED_AL2023())\n}\n'),
    "Workers.cs": (
        "using Amazon.CDK.AWS.Lambda;\nclass S {\n  S() {\n"
        '    MakeFunction("Billing", Runtime.DOTNET_6);\n    MakeFunction("Search", Runtime.DOTNET_8);\n  }\n'
        "  private Function MakeFunction(string name, Runtime runtime) {\n"
        '    return new Function(this, name, new FunctionProps { Runtime = runtime, Handler = "h" });\n  }\n}\n'),
    "Workers.java": (
        "import software.amazon.awscdk.services.lambda.*;\nclass S {\n  S() {\n"
        '    createFn("Billing", Runtime.JAVA_8);\n    this.createFn("Search", Runtime.JAVA_21);\n  }\n'
        "  private Function createFn(String name, Runtime runtime) {\n"
        '    return Function.Builder.create(this, name).runtime(runtime).handler("h").build();\n  }\n}\n'),
}


def test_helpers_that_take_the_runtime_make_one_function_per_call_in_every_language(tmp_path):
    for name, text in WRAPPER_HELPERS.items():
        (tmp_path / name).write_text(text)
    found = {(fn.location.path, fn.name): (fn.runtime, named_at(fn)) for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        ("workers.go", "Billing"): ("go1.x", 10), ("workers.go", "Search"): ("provided.al2023", 11),
        ("Workers.cs", "Billing"): ("dotnet6", 4), ("Workers.cs", "Search"): ("dotnet8", 5),
        ("Workers.java", "Billing"): ("java8", 4), ("Workers.java", "Search"): ("java21", 5),
    }


SUBCLASSES = {
    "audit.ts": (
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "export class AuditFunction extends lambda.Function {\n"
        "  constructor(scope: Construct, id: string) {\n"
        "    super(scope, id, {\n      runtime: lambda.Runtime.NODEJS_12_X,\n      handler: 'audit.handler',\n    });\n"
        "  }\n}\n", 5, "nodejs12.x"),
    "AuditFunction.java": (
        "import software.amazon.awscdk.services.lambda.*;\npublic class AuditFunction extends Function {\n"
        "  public AuditFunction(Construct scope, String id) {\n"
        '    super(scope, id, FunctionProps.builder().runtime(Runtime.JAVA_8).handler("a::b").build());\n'
        "  }\n}\n", 4, "java8"),
    "AuditFunction.cs": (
        "using Amazon.CDK.AWS.Lambda;\npublic class AuditFunction : Function {\n"
        "  public AuditFunction(Construct scope, string id)\n"
        "      : base(scope, id, new FunctionProps { Runtime = Runtime.DOTNET_6 }) { }\n}\n", 4, "dotnet6"),
    "AuditFunction.kt": (
        "import software.amazon.awscdk.services.lambda.*\n"
        "class AuditFunction(scope: Construct, id: String) :\n"
        "    Function(scope, id, FunctionProps.builder().runtime(Runtime.JAVA_11).build())\n", 3, "java11"),
}


def test_subclasses_pass_their_runtime_to_the_construct_in_every_language(tmp_path):
    for name, (text, _, _) in SUBCLASSES.items():
        (tmp_path / name).write_text(text)
    found = {fn.location.path: (fn.name, fn.runtime, fn.where("Runtime").line)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {name: ("AuditFunction", runtime, line) for name, (_, line, runtime) in SUBCLASSES.items()}


def test_constructs_made_in_a_loop_over_a_literal_list_are_one_function_per_element(tmp_path):
    (tmp_path / "services.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "const services = [\n"
        "  { name: 'Orders', runtime: lambda.Runtime.NODEJS_14_X },\n"
        "  { name: 'Billing', runtime: lambda.Runtime.NODEJS_22_X },\n"
        "];\n"
        "export class S extends Stack {\n"
        "  constructor(scope: Construct, id: string) {\n"
        "    super(scope, id);\n"
        "    for (const service of services) {\n"
        "      new lambda.Function(this, service.name, { runtime: service.runtime, handler: 'index.handler' });\n"
        "    }\n"
        "    [{ id: 'Audit', rt: lambda.Runtime.PYTHON_3_8 }].forEach(({ id, rt }) => {\n"
        "      new lambda.Function(this, id, { runtime: rt, handler: 'a.b' });\n"
        "    });\n"
        "  }\n"
        "}\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n"
        "SERVICES = [\n"
        "    {'name': 'Reports', 'runtime': _lambda.Runtime.PYTHON_3_9},\n"
        "]\n"
        "for service in SERVICES:\n"
        "    _lambda.Function(self, service['name'], runtime=service['runtime'], handler='a.b')\n"
        "for name, runtime in [('Feed', _lambda.Runtime.NODEJS_16_X), ('Ping', _lambda.Runtime.PYTHON_3_13)]:\n"
        "    _lambda.Function(self, name, runtime=runtime, handler='a.b')\n")
    found = {fn.name: (fn.location.path, fn.runtime, named_at(fn)) for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "Orders": ("services.ts", "nodejs14.x", 3), "Billing": ("services.ts", "nodejs22.x", 4),
        "Audit": ("services.ts", "python3.8", 12),
        "Reports": ("stack.py", "python3.9", 3), "Feed": ("stack.py", "nodejs16.x", 7), "Ping": ("stack.py", "python3.13", 7),
    }


def test_an_image_built_by_a_helper_with_an_interpolated_dockerfile_is_the_function_not_a_second_one(tmp_path):
    """`Code = BuildImage("Create")` with `File = $"{name}/Dockerfile"`: the Dockerfile is claimed."""
    (tmp_path / "cdk.json").write_text('{"app": "dotnet run --project src/Items/Items.csproj"}')
    for name in ("Create", "GetOne"):
        (tmp_path / "src" / "Lambdas" / name).mkdir(parents=True)
        (tmp_path / "src" / "Lambdas" / name / "Dockerfile").write_text(
            "FROM public.ecr.aws/lambda/dotnet:6\nCOPY bin/ ${LAMBDA_TASK_ROOT}\n")
    (tmp_path / "src" / "Items").mkdir()
    (tmp_path / "src" / "Items" / "ItemsStack.cs").write_text(
        "using Amazon.CDK;\nusing Amazon.CDK.AWS.Lambda;\n\nnamespace Items\n{\n"
        "  public class ItemsStack : Stack\n  {\n"
        "    internal ItemsStack(Construct scope, string id) : base(scope, id)\n    {\n"
        "      var create = new DockerImageFunction(this, \"createItemFunction\", new DockerImageFunctionProps\n"
        "      {\n        Code = BuildImage(\"Create\"),\n      });\n"
        "      var getOne = new DockerImageFunction(this, \"getOneItemFunction\", new DockerImageFunctionProps\n"
        "      {\n        Code = BuildImage(\"GetOne\"),\n      });\n    }\n\n"
        "    private DockerImageCode BuildImage(string name) =>\n"
        "      DockerImageCode.FromImageAsset(\"src/Lambdas\", new AssetImageCodeProps\n"
        "      {\n        File = $\"{name}/Dockerfile\"\n      });\n  }\n}\n")
    fns = inventory(tmp_path)
    assert sorted(fns) == ["createItemFunction", "getOneItemFunction"]
    assert str(fns["getOneItemFunction"].where("Runtime")) == "src/Lambdas/GetOne/Dockerfile:1"
    assert fns["createItemFunction"].runtime == "dotnet6"


def test_a_code_signing_config_on_the_construct_silences_lr400_in_every_language(tmp_path):
    """`codeSigningConfig` (TypeScript, Java builders), `code_signing_config` (Python) and
    `CodeSigningConfig` (Go): the function deploys only signed packages. Left out, or set to
    nothing, LR400 stays and names the construct's property rather than CloudFormation's."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "const csc = new lambda.CodeSigningConfig(this, 'Csc', { signingProfiles: [profile] });\n"
        "new lambda.Function(this, 'SignedTs', {\n"
        "  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "  codeSigningConfig: csc,\n"
        "});\n"
        "new lambda.Function(this, 'UnsignedTs', {\n"
        "  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "  codeSigningConfig: undefined,\n"
        "});\n")
    (tmp_path / "lib" / "stack.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n"
        "_lambda.Function(self, 'SignedPy', runtime=_lambda.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=_lambda.Code.from_asset('src'), code_signing_config=csc)\n"
        "_lambda.Function(self, 'UnsignedPy', runtime=_lambda.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=_lambda.Code.from_asset('src'), code_signing_config=None)\n")
    (tmp_path / "lib" / "Stack.java").write_text(
        "import software.amazon.awscdk.services.lambda.*;\n"
        "class S { void m() {\n"
        "  Function.Builder.create(this, \"SignedJava\").runtime(Runtime.JAVA_21).handler(\"a.B::h\")\n"
        "      .code(Code.fromAsset(\"src\")).codeSigningConfig(csc).build();\n"
        "} }\n")
    (tmp_path / "lib" / "stack.go").write_text(
        "package main\n"
        "import \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "func f() {\n"
        "  awslambda.NewFunction(stack, jsii.String(\"SignedGo\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.Code_FromAsset(jsii.String(\"src\"), nil), CodeSigningConfig: csc,\n"
        "  })\n"
        "}\n")
    (tmp_path / "src").mkdir()
    fns = inventory(tmp_path)
    signed = {name: str(fn.code_signing) for name, fn in fns.items() if fn.code_signing is not None}
    assert signed == {"SignedTs": "lib/stack.ts:5", "SignedPy": "lib/stack.py:3", "SignedJava": "lib/Stack.java:4",
                      "SignedGo": "lib/stack.go:6"}
    unsigned = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR400"]
    assert sorted(f["function"] for f in unsigned) == ["UnsignedPy", "UnsignedTs"]
    assert all("`codeSigningConfig` property" in f["message"] and "CodeSigningConfigArn" not in f["message"]
               for f in unsigned)


def test_a_nodejs_function_left_to_its_default_runtime_is_read_as_javascript(tmp_path):
    """No `runtime`: the CDK default applies (the runtime stays unresolved), and the handler is the
    entry's JavaScript, not a `handler.py` the review would look for in vain."""
    from reviewer.code.reader import read_function_code

    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "new NodejsFunction(this, 'ReadStream', { entry: 'fns/read/handler.js', handler: 'handler' });\n")
    (tmp_path / "fns" / "read").mkdir(parents=True)
    (tmp_path / "fns" / "read" / "handler.js").write_text("exports.handler = async (event) => event;\n")
    workspace = Workspace(tmp_path)
    [function] = build_inventory(workspace).functions
    assert function.runtime is None and "Runtime" in function.unresolved
    reading = read_function_code(workspace, function)
    assert (reading.skipped, reading.language, reading.handler_path) == (None, "javascript", "fns/read/handler.js")


def test_function_urls_with_auth_type_none_are_lr302_in_every_language(tmp_path):
    """`addFunctionUrl` on a stored construct and `FunctionUrl` constructs, in TypeScript, Python,
    Java, C# and Go. `authType` left out is CDK's default, `AWS_IAM`. LR302 lands on the line that
    sets `NONE`; LR401 stays silent, since the app's versions and aliases are not followed."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "src").mkdir()
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "const openTs = new lambda.Function(this, 'OpenTs', {\n"
        "  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "});\n"
        "openTs.addFunctionUrl({\n"
        "  authType: lambda.FunctionUrlAuthType.NONE,\n"
        "});\n"
        "const iamTs = new lambda.Function(this, 'IamTs', {\n"
        "  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "});\n"
        "iamTs.addFunctionUrl();\n"
        "new lambda.FunctionUrl(this, 'Url', { function: openTs, authType: lambda.FunctionUrlAuthType.AWS_IAM });\n")
    (lib / "stack.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n"
        "class S:\n"
        "    def __init__(self):\n"
        "        self.open_py = _lambda.Function(self, 'OpenPy', runtime=_lambda.Runtime.PYTHON_3_13,\n"
        "                                        handler='app.handler', code=_lambda.Code.from_asset('src'))\n"
        "        _lambda.FunctionUrl(self, 'Url', function=self.open_py,\n"
        "                            auth_type=_lambda.FunctionUrlAuthType.NONE)\n")
    (lib / "Stack.java").write_text(
        "import software.amazon.awscdk.services.lambda.*;\n"
        "class S { void m() {\n"
        "  Function openJava = Function.Builder.create(this, \"OpenJava\").runtime(Runtime.JAVA_21)\n"
        "      .handler(\"a.B::h\").code(Code.fromAsset(\"src\")).build();\n"
        "  openJava.addFunctionUrl(FunctionUrlOptions.builder()\n"
        "      .authType(FunctionUrlAuthType.NONE).build());\n"
        "} }\n")
    (lib / "Stack.cs").write_text(
        "using Amazon.CDK.AWS.Lambda;\n"
        "class S { void M() {\n"
        "  var openCs = new Function(this, \"OpenCs\", new FunctionProps { Runtime = Runtime.DOTNET_8,\n"
        "      Handler = \"A::B::C\", Code = Code.FromAsset(\"src\") });\n"
        "  openCs.AddFunctionUrl(new FunctionUrlOptions { AuthType = FunctionUrlAuthType.NONE });\n"
        "} }\n")
    (lib / "stack.go").write_text(
        "package main\n"
        "import \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "func f() {\n"
        "  openGo := awslambda.NewFunction(stack, jsii.String(\"OpenGo\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.Code_FromAsset(jsii.String(\"src\"), nil),\n"
        "  })\n"
        "  awslambda.NewFunctionUrl(stack, jsii.String(\"Url\"), &awslambda.FunctionUrlProps{\n"
        "    Function: openGo, AuthType: awslambda.FunctionUrlAuthType_NONE,\n"
        "  })\n"
        "}\n")
    urls = {name: (fn.url.auth_type, str(fn.url.location)) for name, fn in inventory(tmp_path).items()
            if fn.url is not None}
    assert urls == {"OpenTs": ("NONE", "lib/stack.ts:6"), "IamTs": ("AWS_IAM", "lib/stack.ts:11"),
                    "OpenPy": ("NONE", "lib/stack.py:7"), "OpenJava": ("NONE", "lib/Stack.java:6"),
                    "OpenCs": ("NONE", "lib/Stack.cs:5"), "OpenGo": ("NONE", "lib/stack.go:9")}
    findings = scan(tmp_path)["findings"]
    public = sorted((f["function"], f["path"], f["line"]) for f in findings if f["rule_id"] == "LR302")
    assert public == [("OpenCs", "lib/Stack.cs", 5), ("OpenGo", "lib/stack.go", 9), ("OpenJava", "lib/Stack.java", 6),
                      ("OpenPy", "lib/stack.py", 7), ("OpenTs", "lib/stack.ts", 6)]
    assert not [f for f in findings if f["rule_id"] == "LR401"]


def test_props_named_alike_in_two_helpers_are_each_read_in_their_own_helper(tmp_path):
    """`props` declared in the helper that makes the function and again in one that makes its URL
    or alias: each use reads the declaration of its own function body (TypeScript, Go, Python).
    Go's `&props` is the struct `props` holds."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "function makeFn(scope) {\n"
        "  const props = { runtime: lambda.Runtime.NODEJS_16_X, handler: 'index.handler',\n"
        "                  code: lambda.Code.fromAsset('src') };\n"
        "  return new lambda.Function(scope, 'OldNode', props);\n"
        "}\n"
        "function makeUrl(scope, fn) {\n"
        "  const props = { function: fn, authType: lambda.FunctionUrlAuthType.AWS_IAM };\n"
        "  return new lambda.FunctionUrl(scope, 'Url', props);\n"
        "}\n")
    (tmp_path / "stack.go").write_text(
        "package main\n"
        "import \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "func makeFn(scope constructs.Construct) awslambda.Function {\n"
        "  props := awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_GO_1_X(),\n"
        "    Handler: jsii.String(\"main\"), Code: awslambda.Code_FromAsset(jsii.String(\"bin\"), nil),\n"
        "  }\n"
        "  return awslambda.NewFunction(scope, jsii.String(\"OldGo\"), &props)\n"
        "}\n"
        "func makeUrl(scope constructs.Construct, fn awslambda.Function) {\n"
        "  props := &awslambda.FunctionUrlProps{Function: fn, AuthType: awslambda.FunctionUrlAuthType_AWS_IAM}\n"
        "  awslambda.NewFunctionUrl(scope, jsii.String(\"Url\"), props)\n"
        "}\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_\n"
        "class S:\n"
        "    def make_fn(self):\n"
        "        props = dict(runtime=lambda_.Runtime.PYTHON_3_7, handler='index.handler',\n"
        "                     code=lambda_.Code.from_asset('src'))\n"
        "        return lambda_.Function(self, 'OldPython', **props)\n"
        "    def make_alias(self, fn):\n"
        "        props = dict(alias_name='live', version=fn.current_version)\n"
        "        return lambda_.Alias(self, 'Live', **props)\n")
    fns = inventory(tmp_path)
    assert {name: (fn.runtime, str(fn.where("Runtime"))) for name, fn in fns.items()} == {
        "OldNode": ("nodejs16.x", "stack.ts:3"), "OldGo": ("go1.x", "stack.go:5"),
        "OldPython": ("python3.7", "stack.py:4")}
    assert not [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR904"]


def test_a_python_asset_path_joined_to_the_file_s_folder_kept_in_a_name(tmp_path):
    """`HERE = os.path.dirname(__file__)`, then `Code.from_asset(os.path.join(HERE, "src"))` or
    `HERE + "/src"`: the code is the `src` folder beside the file, so its handler is scanned."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "infra" / "src").mkdir()
    (tmp_path / "infra" / "app.py").write_text(
        "import os\n"
        "from aws_cdk import aws_lambda as lambda_\n"
        "HERE = os.path.dirname(os.path.realpath(__file__))\n"
        "lambda_.Function(stack, 'Joined', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=lambda_.Code.from_asset(os.path.join(HERE, 'src')))\n"
        "lambda_.Function(stack, 'Added', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=lambda_.Code.from_asset(HERE + '/src'))\n")
    fns = inventory(tmp_path)
    assert {name: fn.code_path for name, fn in fns.items()} == {"Joined": "infra/src", "Added": "infra/src"}


def test_literal_environment_values_of_cdk_constructs_are_judged_as_secrets(tmp_path):
    """`environment: {...}` (TypeScript) and `environment={...}` (Python) written as literals are
    the function's environment, each at its own line: a live key or a password is LR304. A value
    that names a construct of the file (`table.tableName`) is a reference to it, never a secret."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "new lambda.Function(this, 'Payments', {\n"
        "  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "  environment: {\n"
        "    STRIPE_SECRET_KEY: 'sk_live_51HxYzAbCdEfGhIjKlMnOpQr',\n"
        "    TABLE: table.tableName,\n"
        "    STAGE: 'prod',\n"
        "  },\n"
        "});\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_\n"
        "env = {'DB_PASSWORD': 's3cr3t-Pa55w0rd-9f8e', 'BUCKET': bucket.bucket_name}\n"
        "lambda_.Function(self, 'Reports', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=lambda_.Code.from_asset('src'), environment=env)\n")
    fns = inventory(tmp_path)
    assert fns["Payments"].environment == {"STRIPE_SECRET_KEY": "sk_live_51HxYzAbCdEfGhIjKlMnOpQr", "STAGE": "prod",
                                           "TABLE": ResourceRef("cdk", "stack.ts#table")}
    assert fns["Reports"].environment == {"DB_PASSWORD": "s3cr3t-Pa55w0rd-9f8e",
                                          "BUCKET": ResourceRef("cdk", "stack.py#bucket")}
    secrets = sorted((f["function"], f["path"], f["line"], f["severity"]) for f in scan(tmp_path)["findings"]
                     if f["rule_id"] == "LR304")
    assert secrets == [("Payments", "stack.ts", 5, "error"), ("Reports", "stack.py", 2, "error")]


def test_policy_statements_given_to_a_cdk_function_s_role_are_judged(tmp_path):
    """`initialPolicy` / `initial_policy` and `addToRolePolicy` / `add_to_role_policy` on a stored
    construct (a statement may sit in a variable): `s3:*` on `*` is LR300, `sqs:SendMessage` on `*`
    LR301; a statement scoped to a resource or a `DENY` is not. The advice speaks CDK."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "const worker = new lambda.Function(this, 'Worker', {\n"
        "  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset('src'),\n"
        "  initialPolicy: [\n"
        "    new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }),\n"
        "    new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] }),\n"
        "  ],\n"
        "});\n"
        "const sendAnywhere = new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] });\n"
        "worker.addToRolePolicy(sendAnywhere);\n"
        "worker.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] }));\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_, aws_iam as iam\n"
        "class S:\n"
        "    def __init__(self):\n"
        "        self.fn = lambda_.Function(self, 'Reports', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                                   code=lambda_.Code.from_asset('src'),\n"
        "                                   initial_policy=[iam.PolicyStatement(actions=['dynamodb:*'], resources=['*'])])\n"
        "        self.fn.add_to_role_policy(iam.PolicyStatement(actions=['iam:PassRole'], resources=['*']))\n")
    findings = [f for f in scan(tmp_path)["findings"] if f["rule_id"] in ("LR300", "LR301")]
    assert sorted((f["rule_id"], f["function"], f["path"], f["line"]) for f in findings) == [
        ("LR300", "Reports", "stack.py", 6), ("LR300", "Worker", "stack.ts", 6),
        ("LR301", "Reports", "stack.py", 7), ("LR301", "Worker", "stack.ts", 10)]
    for finding in findings:
        assert "SAM policy template" not in finding["message"] and "!GetAtt" not in finding["message"]
    assert all("grant method" in f["message"] for f in findings if f["rule_id"] == "LR300")


def test_an_entry_joined_to_the_file_s_folder_with_a_leading_slash_and_an_unread_location(tmp_path):
    """`path.join(__dirname, `/../lambda/index.ts`)` is `../lambda/index.ts` from the file (a later
    piece's slash only separates); a location the app computes is said so, not "not in the repository"."""
    from reviewer.code.reader import read_function_code

    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "lambda" / "index").mkdir(parents=True)
    (tmp_path / "lambda" / "index" / "index.ts").write_text("export const handler = async () => 1;\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import * as path from 'path';\n"
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "new NodejsFunction(this, 'Index', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "  entry: path.join(__dirname, `/../lambda/index/index.ts`), handler: 'handler' });\n"
        "new lambda.Function(this, 'Computed', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',\n"
        "  code: lambda.Code.fromAsset(path.join(root, name)) });\n")
    workspace = Workspace(tmp_path)
    fns = {fn.name: fn for fn in build_inventory(workspace).functions}
    assert (fns["Index"].code_path, fns["Index"].handler) == ("lambda/index", "index.handler")
    reading = read_function_code(workspace, fns["Computed"])
    assert reading.skipped == ("its code location is not known statically: the code location "
                               "`path.join(root, name)` is computed when the app runs")


def test_cdk_statements_keep_their_conditions_and_not_actions(tmp_path):
    """A tag condition scopes `*` (no LR301, as in SAM); `notActions` on `*` allows everything
    else (LR300); in Python too."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "const reaper = new lambda.Function(this, 'Reaper', {\n"
        "  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset('src') });\n"
        "reaper.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:TerminateInstances'], resources: ['*'],\n"
        "  conditions: { StringEquals: { 'aws:ResourceTag/team': 'batch' } } }));\n"
        "reaper.addToRolePolicy(new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] }));\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_, aws_iam as iam\n"
        "fn = lambda_.Function(self, 'Passer', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                      code=lambda_.Code.from_asset('src'))\n"
        "fn.add_to_role_policy(iam.PolicyStatement(actions=['iam:PassRole'], resources=['*'],\n"
        "                      conditions={'StringEquals': {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}}))\n")
    (tmp_path / "src").mkdir()
    findings = sorted((f["rule_id"], f["function"], f["line"]) for f in scan(tmp_path)["findings"]
                      if f["rule_id"] in ("LR300", "LR301"))
    assert findings == [("LR300", "Reaper", 7)]


def test_a_role_given_to_a_cdk_function_brings_its_managed_policies_and_statements(tmp_path):
    """`role: role` with `role.addManagedPolicy(...)`, `managedPolicies` on the `Role`,
    `role.addToPolicy(...)`, and `fn.role?.addManagedPolicy(...)`: the function's role is broad
    (LR300 for `...FullAccess` and AdministratorAccess), in TypeScript and Python."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),\n"
        "  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3FullAccess')] });\n"
        "role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchLogsFullAccess'));\n"
        "role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:*'], resources: ['*'] }));\n"
        "new lambda.Function(this, 'WithRole', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',\n"
        "  code: lambda.Code.fromAsset('src'), role: role });\n"
        "const own = new lambda.Function(this, 'OwnRole', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "  handler: 'index.handler', code: lambda.Code.fromAsset('src') });\n"
        "own.role?.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_, aws_iam as iam\n"
        "role = iam.Role(self, 'PyRole', assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'))\n"
        "role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name('AmazonDynamoDBFullAccess'))\n"
        "lambda_.Function(self, 'PyWithRole', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                 code=lambda_.Code.from_asset('src'), role=role)\n")
    broad = sorted((f["function"], f["line"]) for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR300")
    assert broad == [("OwnRole", 11), ("PyWithRole", 3), ("WithRole", 4), ("WithRole", 5), ("WithRole", 6)]


def test_a_computed_location_written_as_a_template_literal_is_not_quoted_as_code(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "new lambda.Function(this, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',\n"
        "  code: lambda.Code.fromAsset(`${root}/lambda`) });\n")
    [function] = inventory(tmp_path).values()
    assert function.unresolved["Code"] == "the code location is computed when the app runs"


def test_go_asset_code_built_by_its_constructor_is_the_code_location(tmp_path):
    """Go writes `new AssetCode(dir)` as `awslambda.NewAssetCode(dir, &opts)` (and inline code as
    `NewInlineCode`): the directory is the function's code, as `Code_FromAsset` gives it."""
    (tmp_path / "cdk.json").write_text('{"app": "go mod download && go run app.go"}')
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "main.go").write_text("package main\n")
    (tmp_path / "app.go").write_text(
        "package main\n"
        "import \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "func f() {\n"
        "  awslambda.NewFunction(stack, jsii.String(\"Api\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.NewAssetCode(jsii.String(\"api\"), &awss3assets.AssetOptions{}),\n"
        "  })\n"
        "  awslambda.NewFunction(stack, jsii.String(\"Hello\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_NODEJS_22_X(), Handler: jsii.String(\"index.handler\"),\n"
        "    Code: awslambda.NewInlineCode(jsii.String(\"exports.handler = async () => 1\")),\n"
        "  })\n"
        "}\n")
    fns = inventory(tmp_path)
    assert fns["Api"].code_path == "api" and "Code" not in fns["Api"].unresolved
    assert fns["Hello"].properties.get("CodeInline") is True


def test_a_statement_built_step_by_step_is_judged_with_what_is_added_to_it(tmp_path):
    """`const s = new iam.PolicyStatement(); s.addActions('dynamodb:*'); s.addAllResources()`
    (and Python's `add_actions`/`add_resources`): the statement is what the calls made it; a read
    action on `*` is not LR301."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "const worker = new lambda.Function(this, 'Worker', {\n"
        "  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset('src') });\n"
        "const statement = new iam.PolicyStatement();\n"
        "statement.addActions('dynamodb:*');\n"
        "statement.addAllResources();\n"
        "worker.addToRolePolicy(statement);\n"
        "const detect = new iam.PolicyStatement();\n"
        "detect.addActions('rekognition:DetectLabels');\n"
        "detect.addResources('*');\n"
        "worker.addToRolePolicy(detect);\n")
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import aws_lambda as lambda_, aws_iam as iam\n"
        "fn = lambda_.Function(self, 'Sender', runtime=lambda_.Runtime.PYTHON_3_13, handler='app.handler',\n"
        "                      code=lambda_.Code.from_asset('src'))\n"
        "send = iam.PolicyStatement()\n"
        "send.add_actions('sns:Publish')\n"
        "send.add_resources('*')\n"
        "fn.add_to_role_policy(send)\n")
    findings = sorted((f["rule_id"], f["function"], f["path"], f["line"]) for f in scan(tmp_path)["findings"]
                      if f["rule_id"] in ("LR300", "LR301"))
    assert findings == [("LR300", "Worker", "stack.ts", 5), ("LR301", "Sender", "stack.py", 4)]


def test_a_long_computed_code_location_is_quoted_with_an_ellipsis_where_it_is_cut(tmp_path):
    """A code location built by the app's own bundling helper, longer than a sentence quotes, is
    cut with an ellipsis: never mid-call as if the expression ended there (TypeScript and Python)."""
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import * as path from 'path';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "new lambda.Function(this, 'Handler', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler',\n"
        "  code: props.shared.assets.packageWithSharedLibraries(\n"
        "    path.join(__dirname, './functions/request-handler'),\n  ) });\n")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "infra" / "stack.py").write_text(
        "from aws_cdk import aws_lambda as _lambda\n"
        "_lambda.Function(self, 'PyHandler', runtime=_lambda.Runtime.PYTHON_3_12, handler='index.handler',\n"
        "    code=_lambda.Code.from_asset(self.shared_assets.package_with_shared_libraries(HERE, 'functions', 'request_handler', 'python')))\n")
    fns = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    said = fns["Handler"].unresolved["Code"]
    assert said == ("the code location `props.shared.assets.packageWithSharedLibraries( path.join(__dirname, "
                    "'./functio…` is computed when the app runs")
    assert fns["PyHandler"].unresolved["Code"].endswith("…` is computed when the app runs")
