"""Role statements and managed policies of CDK apps in Java, Kotlin, C# and Go reach LR300/LR301,
with advice spelled in the app's own language."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main


def scan(root: Path) -> dict:
    out = root / "report.json"
    main(["scan", str(root), "--format", "json", "--output", str(out), "--fail-on", "never", "--audit", "off",
          "--reference-date", "2026-12-07"], stdout=io.StringIO())
    return json.loads(out.read_text())


def iam_findings(report: dict) -> list[tuple[str, str, str, int]]:
    return sorted((f["rule_id"], f["function"] or "", f["path"], f["line"]) for f in report["findings"]
                  if f["rule_id"] in ("LR300", "LR301"))


def test_java_builders_initial_policy_add_to_role_policy_and_the_function_s_role(tmp_path):
    """`.initialPolicy(List.of(PolicyStatement.Builder.create()...build()))`, a statement kept in a
    variable, one built step by step, `fn.getRole().addManagedPolicy(...)`; a DENY grants nothing."""
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    (tmp_path / "Stack.java").write_text(
        "import java.util.Arrays;\n"
        "import java.util.List;\n"
        "import software.amazon.awscdk.services.iam.*;\n"
        "import software.amazon.awscdk.services.lambda.Code;\n"
        "import software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "public class Stack {\n"
        "  public Stack() {\n"
        "    Function orders = Function.Builder.create(this, \"Orders\")\n"
        "        .runtime(Runtime.JAVA_21).handler(\"app.Orders::handleRequest\").code(Code.fromAsset(\"app\"))\n"
        "        .initialPolicy(List.of(PolicyStatement.Builder.create()\n"
        "            .actions(Arrays.asList(\"s3:*\")).resources(List.of(\"*\")).build()))\n"
        "        .build();\n"
        "    PolicyStatement send = PolicyStatement.Builder.create().effect(Effect.ALLOW)\n"
        "        .actions(List.of(\"sqs:SendMessage\")).resources(List.of(\"*\")).build();\n"
        "    orders.addToRolePolicy(send);\n"
        "    orders.addToRolePolicy(PolicyStatement.Builder.create().effect(Effect.DENY)\n"
        "        .actions(List.of(\"*\")).resources(List.of(\"*\")).build());\n"
        "    PolicyStatement tables = new PolicyStatement();\n"
        "    tables.addActions(\"dynamodb:*\");\n"
        "    tables.addAllResources();\n"
        "    orders.addToRolePolicy(tables);\n"
        "    orders.getRole().addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName(\"AmazonSQSFullAccess\"));\n"
        "  }\n"
        "}\n")
    report = scan(tmp_path)
    assert iam_findings(report) == [("LR300", "Orders", "Stack.java", 11), ("LR300", "Orders", "Stack.java", 19),
                                    ("LR300", "Orders", "Stack.java", 23), ("LR301", "Orders", "Stack.java", 14)]
    messages = [f["message"] for f in report["findings"] if f["rule_id"] in ("LR300", "LR301")]
    assert all("grant_read" not in m and "queue.queueArn" not in m for m in messages)
    assert any("`queue.getQueueArn()`" in m for m in messages)


def test_csharp_role_given_to_the_function_and_statement_props(tmp_path):
    """`Role = role` with `role.AddManagedPolicy(ManagedPolicy.FromAwsManagedPolicyName(...))` and
    `role.AddToPolicy(new PolicyStatement(new PolicyStatementProps {...}))`, `InitialPolicy = new[]
    {...}` and `fn.AddToRolePolicy(...)`: C# spells the methods with a capital."""
    (tmp_path / "cdk.json").write_text('{"app": "dotnet run --project src/App/App.csproj"}')
    (tmp_path / "Stack.cs").write_text(
        "using Amazon.CDK;\n"
        "using Amazon.CDK.AWS.IAM;\n"
        "using Amazon.CDK.AWS.Lambda;\n"
        "public class AppStack : Stack {\n"
        "  internal AppStack(Construct scope, string id) : base(scope, id) {\n"
        "    var role = new Role(this, \"Exec\", new RoleProps { AssumedBy = new ServicePrincipal(\"lambda.amazonaws.com\") });\n"
        "    role.AddManagedPolicy(ManagedPolicy.FromAwsManagedPolicyName(\"AmazonS3FullAccess\"));\n"
        "    role.AddToPolicy(new PolicyStatement(new PolicyStatementProps {\n"
        "      Actions = new [] { \"events:PutEvents\" }, Resources = new [] { \"*\" } }));\n"
        "    var billing = new Function(this, \"Billing\", new FunctionProps {\n"
        "      Runtime = Runtime.DOTNET_8, Handler = \"Billing::Billing.Function::Handler\",\n"
        "      Code = Code.FromAsset(\"billing\"), Role = role,\n"
        "      InitialPolicy = new[] { new PolicyStatement(new PolicyStatementProps {\n"
        "        Actions = new[] { \"kms:*\" }, Resources = new[] { \"*\" } }) } });\n"
        "    billing.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps {\n"
        "      Effect = Effect.ALLOW, Actions = new List<string> { \"iam:PassRole\" }, Resources = new[] { \"*\" } }));\n"
        "  }\n"
        "}\n")
    report = scan(tmp_path)
    assert iam_findings(report) == [("LR300", "Billing", "Stack.cs", 7), ("LR300", "Billing", "Stack.cs", 13),
                                    ("LR301", "Billing", "Stack.cs", 8), ("LR301", "Billing", "Stack.cs", 15)]
    passes = next(f["message"] for f in report["findings"] if f["rule_id"] == "LR301" and f["line"] == 15)
    assert "(CDK `AddToRolePolicy`)" in passes and "`queue.QueueArn`" in passes


def test_go_struct_props_jsii_strings_and_a_role_s_managed_policies(tmp_path):
    """`awsiam.NewRole(..., &awsiam.RoleProps{ManagedPolicies: &[]awsiam.IManagedPolicy{
    awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String(...))}})` given as `Role:`,
    `InitialPolicy: &[]awsiam.PolicyStatement{...}`, `fn.AddToRolePolicy(...)` with `jsii.Strings`;
    `awsiam.Effect_DENY` grants nothing, an ARN the code computes is not `*`."""
    (tmp_path / "cdk.json").write_text('{"app": "go mod download && go run app.go"}')
    (tmp_path / "app.go").write_text(
        "package main\n"
        "import (\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awsiam\"\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "  \"github.com/aws/jsii-runtime-go\"\n"
        ")\n"
        "func NewAppStack(stack awscdk.Stack) {\n"
        "  role := awsiam.NewRole(stack, jsii.String(\"Exec\"), &awsiam.RoleProps{\n"
        "    AssumedBy: awsiam.NewServicePrincipal(jsii.String(\"lambda.amazonaws.com\"), nil),\n"
        "    ManagedPolicies: &[]awsiam.IManagedPolicy{\n"
        "      awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String(\"AmazonDynamoDBFullAccess\")),\n"
        "    },\n"
        "  })\n"
        "  ingest := awslambda.NewFunction(stack, jsii.String(\"Ingest\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.Code_FromAsset(jsii.String(\"ingest\"), nil), Role: role,\n"
        "    InitialPolicy: &[]awsiam.PolicyStatement{\n"
        "      awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{\n"
        "        Actions: &[]*string{jsii.String(\"sns:Publish\")}, Resources: &[]*string{jsii.String(\"*\")},\n"
        "      }),\n"
        "    },\n"
        "  })\n"
        "  ingest.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{\n"
        "    Actions: jsii.Strings(\"s3:PutObject\"), Resources: jsii.Strings(*bucket.BucketArn()),\n"
        "  }))\n"
        "  ingest.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{\n"
        "    Effect: awsiam.Effect_DENY, Actions: jsii.Strings(\"*\"), Resources: jsii.Strings(\"*\"),\n"
        "  }))\n"
        "}\n")
    report = scan(tmp_path)
    assert iam_findings(report) == [("LR300", "Ingest", "app.go", 11), ("LR301", "Ingest", "app.go", 18)]
    advice = next(f["message"] for f in report["findings"] if f["rule_id"] == "LR300")
    assert "`bucket.GrantRead(fn, nil)`" in advice


def test_kotlin_add_to_role_policy_with_list_of(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "./gradlew run"}')
    (tmp_path / "Stack.kt").write_text(
        "import software.amazon.awscdk.services.iam.PolicyStatement\n"
        "import software.amazon.awscdk.services.lambda.Code\n"
        "import software.amazon.awscdk.services.lambda.Function\n"
        "import software.amazon.awscdk.services.lambda.FunctionProps\n"
        "import software.amazon.awscdk.services.lambda.Runtime\n"
        "class AppStack {\n"
        "  init {\n"
        "    val fn = Function(this, \"Streams\", FunctionProps.builder().runtime(Runtime.JAVA_21)\n"
        "      .handler(\"app.Handler\").code(Code.fromAsset(\"app\")).build())\n"
        "    fn.addToRolePolicy(PolicyStatement.Builder.create()\n"
        "      .actions(listOf(\"kinesis:*\")).resources(listOf(\"*\")).build())\n"
        "  }\n"
        "}\n")
    assert iam_findings(scan(tmp_path)) == [("LR300", "Streams", "Stack.kt", 10)]
