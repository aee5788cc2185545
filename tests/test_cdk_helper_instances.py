"""A construct made in a helper that uses the helper's parameters is one function per call of the
helper, listed at the call; what the helper does with it next to the construct (a URL, a role
statement, an event source) is still that function's."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from scenario import committed_copy, git

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

GO_APP = """package main

import (
\t"github.com/aws/aws-cdk-go/awscdk/v2"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
\t"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
\t"github.com/aws/jsii-runtime-go"
)

func NewAppStack(scope awscdk.App, id string) awscdk.Stack {
\tstack := awscdk.NewStack(scope, &id, nil)
\tsettings := map[string]*string{"MODE": jsii.String("web")}
\tnewWeb(stack, settings)
\tnewWorker(stack, settings)
\treturn stack
}

func newWeb(stack awscdk.Stack, environment map[string]*string) awslambda.Function {
\tweb := awslambda.NewFunction(stack, jsii.String("web"), &awslambda.FunctionProps{
\t\tRuntime:     awslambda.Runtime_PROVIDED_AL2023(),
\t\tHandler:     jsii.String("bootstrap"),
\t\tCode:        awslambda.Code_FromAsset(jsii.String("dist/web"), nil),
\t\tEnvironment: &environment,
\t})
\tweb.AddFunctionUrl(&awslambda.FunctionUrlOptions{
\t\tAuthType: awslambda.FunctionUrlAuthType_NONE,
\t})
\tweb.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
\t\tActions:   &[]*string{jsii.String("s3:*")},
\t\tResources: &[]*string{jsii.String("*")},
\t}))
\treturn web
}

func newWorker(stack awscdk.Stack, environment map[string]*string) awslambda.Function {
\tworker := awslambda.NewFunction(stack, jsii.String("worker"), &awslambda.FunctionProps{
\t\tRuntime:     awslambda.Runtime_PROVIDED_AL2023(),
\t\tHandler:     jsii.String("bootstrap"),
\t\tCode:        awslambda.Code_FromAsset(jsii.String("dist/worker"), nil),
\t\tEnvironment: &environment,
\t})
\tjobs := awssqs.NewQueue(stack, jsii.String("Jobs"), nil)
\tworker.AddEventSource(awslambdaeventsources.NewSqsEventSource(jobs, nil))
\treturn worker
}

func main() {
\tapp := awscdk.NewApp(nil)
\tNewAppStack(app, "App")
\tapp.Synth(nil)
}
"""


def test_a_helper_instance_keeps_the_url_statements_and_event_sources_written_beside_its_construct(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "go mod download && go run app.go"}')
    (tmp_path / "app.go").write_text(GO_APP)
    fns = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    web, worker = fns["web"], fns["worker"]
    assert (web.location.line, worker.location.line) == (15, 16)     # listed at the helper's calls
    assert web.url is not None and (web.url.auth_type, web.url.location.line) == ("NONE", 28)
    assert [s.actions for s in web.policy_statements] == [("s3:*",)]
    assert [t.kind for t in worker.triggers] == ["sqs"]
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    rules = sorted((f["rule_id"], f["line"]) for f in json.loads(out.getvalue())["findings"]
                   if f["rule_id"].startswith("LR3"))
    assert ("LR302", 28) in rules and ("LR300", 30) in rules


KOTLIN_APP = Path(__file__).parent / "fixtures" / "cdk" / "kotlin-helper-app"
PRESS_STACK = "src/main/kotlin/com/example/press/PressStack.kt"


def test_a_helper_instance_whose_id_the_caller_computes_is_named_by_the_callers_variable(tmp_path):
    """`val uploadFn = buildHandler(id = "${stage}-upload", ...)`: the function is `uploadFn`, a
    name that stays when lines move, not the helper's construct and the call's line."""
    fns = {fn.name: fn for fn in build_inventory(Workspace(KOTLIN_APP)).functions}
    assert sorted(fns) == ["EdgeFunction at src/main/kotlin/com/example/press/CdnStack.kt:19", "renderFn", "uploadFn"]
    assert (fns["uploadFn"].location.line, fns["renderFn"].location.line) == (20, 27)
    assert fns["renderFn"].handler == "com.example.press.RenderHandler"
    assert [t.kind for t in fns["renderFn"].triggers] == ["sqs"]


def test_a_helper_that_keeps_its_construct_in_a_local_variable_does_not_give_each_instance_that_name(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/stack.ts").write_text(TS_STACK)
    names = sorted(fn.name for fn in build_inventory(Workspace(tmp_path)).functions)
    assert names == ["ordersFn", "paymentsFn"]


TS_STACK = """import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class ShopStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const stage = props?.stackName ?? 'dev';
    const ordersFn = this.makeFunction(`${stage}-orders`, 'functions/orders');
    const paymentsFn = this.makeFunction(`${stage}-payments`, 'functions/payments');
  }

  private makeFunction(id: string, folder: string): lambda.Function {
    const fn = new lambda.Function(this, id, {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(folder),
    });
    return fn;
  }
}
"""


def test_lines_moved_above_a_helper_call_leave_its_functions_findings_pre_existing(tmp_path):
    root, base = committed_copy(KOTLIN_APP, tmp_path / "press")
    stack = (root / PRESS_STACK).read_text()
    (root / PRESS_STACK).write_text(stack.replace("    init {\n", "    init {\n        // queues first\n\n", 1))
    git(root, "commit", "-qam", "a comment above the helper's calls")
    out = io.StringIO()
    main(["review", str(root), "--base", base, "--head", "HEAD", "--format", "json", "--audit", "off",
          "--reference-date", "2026-11-22", "--fail-on", "never"], stdout=out)
    report = json.loads(out.getvalue())
    assert report["findings"], "the fixture has findings (LR400, LR206)"
    assert report["summary"]["new"] == 0


CDN_STACK = "src/main/kotlin/com/example/press/CdnStack.kt"


def test_a_kotlin_dollar_template_is_not_read_as_the_literal_text(tmp_path):
    """`"press-rewrite-$stage"` is a template: the id is not the text as written (the function is
    named by its place), and a template whose names the file gives is read (`"$jars/orders.jar"`)."""
    fns = {fn.name: fn for fn in build_inventory(Workspace(KOTLIN_APP)).functions}
    assert "press-rewrite-$stage" not in fns
    root = tmp_path / "app"
    shutil.copytree(KOTLIN_APP, root)
    (root / "edge-rewrite-v2").mkdir()
    (root / "edge-rewrite-v2/index.mjs").write_text("export const handler = async (event) => event;\n")
    stack = (root / CDN_STACK).read_text()
    stack = stack.replace('private val stage: String = props?.stackName ?: "dev"', 'private val edge = "edge-rewrite"')
    stack = stack.replace('Code.fromAsset("./edge-rewrite")', 'Code.fromAsset("./$edge-v2")')
    stack = stack.replace('"press-rewrite-$stage"', '"press-${edge}"')
    (root / CDN_STACK).write_text(stack)
    fns = {fn.name: fn for fn in build_inventory(Workspace(root)).functions}
    assert fns["press-edge-rewrite"].code_path == "edge-rewrite-v2"


def test_lines_moved_above_a_function_named_by_its_place_leave_its_findings_pre_existing(tmp_path):
    """`EdgeFunction at CdnStack.kt:19` is `EdgeFunction at CdnStack.kt:21` once two lines are
    added above it: the same function, whose findings (LR100, LR400) are not new."""
    root, base = committed_copy(KOTLIN_APP, tmp_path / "press")
    stack = (root / CDN_STACK).read_text()
    (root / CDN_STACK).write_text(stack.replace("    init {\n", "    init {\n        // edge first\n\n", 1))
    git(root, "commit", "-qam", "a comment above the edge function")
    out = io.StringIO()
    main(["review", str(root), "--base", base, "--head", "HEAD", "--format", "json", "--audit", "off",
          "--reference-date", "2026-11-22", "--fail-on", "never"], stdout=out)
    report = json.loads(out.getvalue())
    assert any(f["function"] == "EdgeFunction at src/main/kotlin/com/example/press/CdnStack.kt:21"
               for f in report["findings"])
    assert report["summary"]["new"] == 0
