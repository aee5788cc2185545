"""A CDK role's `inlinePolicies` (`inline_policies` in Python) are its statements, as much as the
ones `addToPolicy` adds: every function given the role holds them (`cdk/policies.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cdk_shared_roles import role_findings, scan


def _app(root: Path, command: str) -> None:
    (root / "cdk.json").write_text('{"app": "%s"}' % command)
    (root / "handlers").mkdir()


def test_a_field_role_with_inline_policies_reaches_the_functions_given_it(tmp_path):
    """A construct stores `new Role(..., {inlinePolicies: {...}})` in a field and gives it to two
    functions: the broad statement of its documents (one written in place, one held in a variable)
    is one LR300 naming both, the `*` write statement one LR301; a scoped statement is silent, and
    a role whose inline policy is read from JSON (`fromJson`) adds nothing."""
    _app(tmp_path, "npx ts-node bin/app.ts")
    (tmp_path / "tasks-construct.ts").write_text(
        "import { Construct } from 'constructs';\n"
        "import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';\n"
        "import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';\n"
        "\n"
        "export class TasksConstruct extends Construct {\n"
        "  private readonly tasksRole: Role;\n"
        "\n"
        "  constructor(scope: Construct, id: string, props: { poolArn: string }) {\n"
        "    super(scope, id);\n"
        "    const auditPolicy = new PolicyDocument({\n"
        "      statements: [\n"
        "        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }),\n"
        "      ],\n"
        "    });\n"
        "    this.tasksRole = new Role(this, 'TasksRole', {\n"
        "      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),\n"
        "      inlinePolicies: {\n"
        "        UserPoolPolicy: new PolicyDocument({\n"
        "          statements: [\n"
        "            new PolicyStatement({\n"
        "              effect: Effect.ALLOW,\n"
        "              actions: ['*'],\n"
        "              resources: [props.poolArn],\n"
        "            }),\n"
        "            new PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['arn:aws:logs:*:*:*'] }),\n"
        "          ],\n"
        "        }),\n"
        "        AuditPolicy: auditPolicy,\n"
        "      },\n"
        "    });\n"
        "    new Function(this, 'CreateTask', {\n"
        "      runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset('handlers'),\n"
        "      role: this.tasksRole,\n"
        "    });\n"
        "    new Function(this, 'DeleteTask', {\n"
        "      runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset('handlers'),\n"
        "      role: this.tasksRole,\n"
        "    });\n"
        "    const taggerRole = new Role(this, 'TaggerRole', {\n"
        "      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),\n"
        "      inlinePolicies: { Tagging: PolicyDocument.fromJson({ Statement: [] }) },\n"
        "    });\n"
        "    new Function(this, 'Tagger', {\n"
        "      runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset('handlers'),\n"
        "      role: taggerRole,\n"
        "    });\n"
        "  }\n"
        "}\n")
    assert role_findings(scan(tmp_path)) == [
        ("LR300", 20, "`CreateTask` and `DeleteTask`"),
        ("LR301", 12, "`CreateTask` and `DeleteTask`"),
    ]


def test_python_inline_policies_of_roles_helper_methods_return(tmp_path):
    """`self.role = self._build_role(...)` (the method returns `iam.Role(..., inline_policies={...},
    managed_policies=[...])`), passed to the helper that makes the function: its inline statement
    with `*` on write actions is the function's LR301; another helper's role, scoped, is silent."""
    _app(tmp_path, "python3 app.py")
    (tmp_path / "api_construct.py").write_text(
        "from aws_cdk import aws_iam as iam, aws_lambda as _lambda\n"
        "from constructs import Construct\n"
        "\n"
        "\n"
        "class ApiConstruct(Construct):\n"
        "    def __init__(self, scope: Construct, id: str, table_arn: str) -> None:\n"
        "        super().__init__(scope, id)\n"
        "        self.create_role = self._build_create_role(table_arn)\n"
        "        self.create_func = self._add_function('CreateOrder', self.create_role)\n"
        "        self.get_role = self._build_get_role(table_arn)\n"
        "        self.get_func = self._add_function('GetOrder', self.get_role)\n"
        "\n"
        "    def _build_create_role(self, table_arn: str) -> iam.Role:\n"
        "        return iam.Role(\n"
        "            self,\n"
        "            'CreateOrderRole',\n"
        "            assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'),\n"
        "            inline_policies={\n"
        "                'configuration': iam.PolicyDocument(\n"
        "                    statements=[\n"
        "                        iam.PolicyStatement(\n"
        "                            actions=['dynamodb:PutItem', 'dynamodb:DeleteItem'],\n"
        "                            resources=['*'],\n"
        "                            effect=iam.Effect.ALLOW,\n"
        "                        )\n"
        "                    ]\n"
        "                ),\n"
        "            },\n"
        "            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(\n"
        "                'service-role/AWSLambdaBasicExecutionRole')],\n"
        "        )\n"
        "\n"
        "    def _build_get_role(self, table_arn: str) -> iam.Role:\n"
        "        return iam.Role(\n"
        "            self,\n"
        "            'GetOrderRole',\n"
        "            assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'),\n"
        "            inline_policies={\n"
        "                'table': iam.PolicyDocument(statements=[\n"
        "                    iam.PolicyStatement(actions=['dynamodb:GetItem'], resources=[table_arn]),\n"
        "                ]),\n"
        "            },\n"
        "        )\n"
        "\n"
        "    def _add_function(self, name: str, role: iam.Role) -> _lambda.Function:\n"
        "        return _lambda.Function(\n"
        "            self,\n"
        "            name,\n"
        "            runtime=_lambda.Runtime.PYTHON_3_13,\n"
        "            handler='index.handler',\n"
        "            code=_lambda.Code.from_asset('handlers'),\n"
        "            role=role,\n"
        "        )\n")
    assert role_findings(scan(tmp_path)) == [("LR301", 21, "CreateOrder")]


def test_python_a_role_passed_to_a_method_called_once_that_makes_one_function(tmp_path):
    """Each `_add_*_integration(resource, self.x_role)` is called once and makes one function with a
    literal id and `role=role`: the parameter is what that one call passes, so the inline
    `dynamodb:*` is `ListOrders`' LR300 and the managed policy named by keyword
    (`managed_policy_name='AdministratorAccess'`) `AuditOrders`' LR300; a method called twice
    with different roles follows neither."""
    _app(tmp_path, "python3 app.py")
    (tmp_path / "orders_construct.py").write_text(
        "from aws_cdk import aws_iam as iam, aws_lambda as _lambda\n"
        "from constructs import Construct\n"
        "\n"
        "\n"
        "class OrdersConstruct(Construct):\n"
        "    def __init__(self, scope: Construct, id_: str, table_arn: str) -> None:\n"
        "        super().__init__(scope, id_)\n"
        "        self.list_role = self._build_list_role(table_arn)\n"
        "        self.list_func = self._add_list_integration('orders', self.list_role)\n"
        "        self.audit_func = self._add_audit_integration('audit', role=self._build_audit_role())\n"
        "        self._add_report_integration(self.list_role)\n"
        "        self._add_report_integration(self._build_audit_role())\n"
        "\n"
        "    def _build_list_role(self, table_arn: str) -> iam.Role:\n"
        "        return iam.Role(\n"
        "            self,\n"
        "            'ListOrdersRole',\n"
        "            assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'),\n"
        "            inline_policies={\n"
        "                'table': iam.PolicyDocument(statements=[\n"
        "                    iam.PolicyStatement(actions=['dynamodb:*'], resources=[table_arn]),\n"
        "                ]),\n"
        "            },\n"
        "        )\n"
        "\n"
        "    def _build_audit_role(self) -> iam.Role:\n"
        "        return iam.Role(\n"
        "            self,\n"
        "            'AuditRole',\n"
        "            assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'),\n"
        "            managed_policies=[\n"
        "                iam.ManagedPolicy.from_aws_managed_policy_name(managed_policy_name='AdministratorAccess'),\n"
        "            ],\n"
        "        )\n"
        "\n"
        "    def _add_list_integration(self, resource: str, role: iam.Role) -> _lambda.Function:\n"
        "        return _lambda.Function(\n"
        "            self, 'ListOrders', runtime=_lambda.Runtime.PYTHON_3_13, handler='index.handler',\n"
        "            code=_lambda.Code.from_asset('handlers'), role=role,\n"
        "        )\n"
        "\n"
        "    def _add_audit_integration(self, resource: str, role: iam.Role) -> _lambda.Function:\n"
        "        return _lambda.Function(\n"
        "            self, 'AuditOrders', runtime=_lambda.Runtime.PYTHON_3_13, handler='index.handler',\n"
        "            code=_lambda.Code.from_asset('handlers'), role=role,\n"
        "        )\n"
        "\n"
        "    def _add_report_integration(self, role: iam.Role) -> _lambda.Function:\n"
        "        return _lambda.Function(\n"
        "            self, 'Report', runtime=_lambda.Runtime.PYTHON_3_13, handler='index.handler',\n"
        "            code=_lambda.Code.from_asset('handlers'), role=role,\n"
        "        )\n")
    assert role_findings(scan(tmp_path)) == [("LR300", 21, "ListOrders"), ("LR300", 32, "AuditOrders")]


def test_a_role_passed_to_a_method_called_once_reaches_its_function(tmp_path):
    """`this.addListIntegration('orders', listRole)` is the one call of a method that makes one
    function with `role`: the parameter is that call's argument, so the inline `dynamodb:*` of
    the role `buildListRole` returns is `ListOrders`' LR300."""
    _app(tmp_path, "npx ts-node bin/app.ts")
    (tmp_path / "orders.ts").write_text(
        "import { Construct } from 'constructs';\n"
        "import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';\n"
        "import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';\n"
        "\n"
        "export class Orders extends Construct {\n"
        "  constructor(scope: Construct, id: string, tableArn: string) {\n"
        "    super(scope, id);\n"
        "    const listRole = this.buildListRole(tableArn);\n"
        "    this.addListIntegration('orders', listRole);\n"
        "  }\n"
        "\n"
        "  private buildListRole(tableArn: string): Role {\n"
        "    return new Role(this, 'ListRole', {\n"
        "      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),\n"
        "      inlinePolicies: {\n"
        "        table: new PolicyDocument({ statements: [new PolicyStatement({ actions: ['dynamodb:*'], resources: [tableArn] })] }),\n"
        "      },\n"
        "    });\n"
        "  }\n"
        "\n"
        "  private addListIntegration(resource: string, role: Role): Function {\n"
        "    return new Function(this, 'ListOrders', {\n"
        "      runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset('handlers'), role,\n"
        "    });\n"
        "  }\n"
        "}\n"
    )
    assert role_findings(scan(tmp_path)) == [("LR300", 16, "ListOrders")]


def test_go_and_java_inline_policies(tmp_path):
    """Go's `InlinePolicies: &map[string]awsiam.PolicyDocument{"Queue": awsiam.NewPolicyDocument(...)}`
    and Java's `.inlinePolicies(Map.of("Queue", PolicyDocument.Builder.create().statements(...).build()))`
    are read as TypeScript's are."""
    go = tmp_path / "go"
    go.mkdir()
    (go / "cdk.json").write_text('{"app": "go mod download && go run app.go"}')
    (go / "app.go").write_text(
        "package main\n"
        "import (\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awsiam\"\n"
        "  \"github.com/aws/aws-cdk-go/awscdk/v2/awslambda\"\n"
        "  \"github.com/aws/jsii-runtime-go\"\n"
        ")\n"
        "func NewAppStack(stack awscdk.Stack) {\n"
        "  role := awsiam.NewRole(stack, jsii.String(\"Exec\"), &awsiam.RoleProps{\n"
        "    AssumedBy: awsiam.NewServicePrincipal(jsii.String(\"lambda.amazonaws.com\"), nil),\n"
        "    InlinePolicies: &map[string]awsiam.PolicyDocument{\n"
        "      \"Queue\": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{\n"
        "        Statements: &[]awsiam.PolicyStatement{\n"
        "          awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{\n"
        "            Actions: jsii.Strings(\"sqs:*\"), Resources: jsii.Strings(\"*\"),\n"
        "          }),\n"
        "        },\n"
        "      }),\n"
        "    },\n"
        "  })\n"
        "  awslambda.NewFunction(stack, jsii.String(\"Ingest\"), &awslambda.FunctionProps{\n"
        "    Runtime: awslambda.Runtime_PROVIDED_AL2023(), Handler: jsii.String(\"bootstrap\"),\n"
        "    Code: awslambda.Code_FromAsset(jsii.String(\"ingest\"), nil), Role: role,\n"
        "  })\n"
        "}\n"
    )
    assert role_findings(scan(go)) == [("LR300", 13, "Ingest")]
    java = tmp_path / "java"
    (java / "src" / "main" / "java" / "app").mkdir(parents=True)
    (java / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    (java / "src" / "main" / "java" / "app" / "AppStack.java").write_text(
        "package app;\n"
        "import software.amazon.awscdk.services.iam.*;\n"
        "import software.amazon.awscdk.services.lambda.*;\n"
        "import java.util.List;\n"
        "import java.util.Map;\n"
        "public class AppStack extends Stack {\n"
        "  public AppStack(final Construct scope, final String id) {\n"
        "    super(scope, id);\n"
        "    Role role = Role.Builder.create(this, \"Exec\")\n"
        "        .assumedBy(new ServicePrincipal(\"lambda.amazonaws.com\"))\n"
        "        .inlinePolicies(Map.of(\"Queue\", PolicyDocument.Builder.create()\n"
        "            .statements(List.of(PolicyStatement.Builder.create()\n"
        "                .actions(List.of(\"sqs:*\")).resources(List.of(\"*\")).build()))\n"
        "            .build()))\n"
        "        .build();\n"
        "    Function.Builder.create(this, \"Ingest\")\n"
        "        .runtime(Runtime.JAVA_21).handler(\"app.Handler\").code(Code.fromAsset(\"target/app.jar\"))\n"
        "        .role(role).build();\n"
        "  }\n"
        "}\n"
    )
    assert role_findings(scan(java)) == [("LR300", 12, "Ingest")]
