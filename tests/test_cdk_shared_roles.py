"""A role made once and given to many CDK functions: its statements belong to every function given
it, whichever shape makes and passes it (`cdk/role_keys.py`, `cdk/python_role_keys.py`), and one
finding names them all."""

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


def role_findings(report: dict) -> list[tuple[str, int, str]]:
    """(rule, line, the function or the functions the message names, in order)."""
    return sorted((f["rule_id"], f["line"], f["function"] or f["message"].split(" (CDK")[0].split(" of the functions ")[-1])
                  for f in report["findings"] if f["rule_id"] in ("LR300", "LR301"))


def _app(root: Path) -> None:
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (root / "handlers").mkdir()


def test_a_role_a_helper_method_returns_reaches_every_function_given_it(tmp_path):
    """`const role = this.makeRole()` (the method adds the statements to its own `role` and returns
    it), given whole to one construct and inside the options a function-making helper spreads
    (`...options`) to two more: one LR300 names the three; a function given its own role is not named."""
    _app(tmp_path)
    (tmp_path / "api-stack.ts").write_text(
        "import { Stack } from 'aws-cdk-lib';\n"
        "import { NodejsFunction, NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
        "import { Role, ServicePrincipal, PolicyStatement, Effect } from 'aws-cdk-lib/aws-iam';\n"
        "export class ApiStack extends Stack {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id);\n"
        "    const role = this.makeRole();\n"
        "    this.makeFunction('status', { timeout: 30, role });\n"
        "    this.makeFunction('orders', { role, memorySize: 512 });\n"
        "    new NodejsFunction(this, 'proxy', { runtime: Runtime.NODEJS_22_X, entry: 'handlers/proxy.ts', role });\n"
        "    const archiveRole = new Role(this, 'ArchiveRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });\n"
        "    archiveRole.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));\n"
        "    this.makeFunction('archive', { role: archiveRole });\n"
        "  }\n"
        "\n"
        "  private makeFunction(name: string, options: Partial<NodejsFunctionProps>): NodejsFunction {\n"
        "    return new NodejsFunction(this, `${name}Function`, {\n"
        "      runtime: Runtime.NODEJS_22_X,\n"
        "      entry: `handlers/${name}.ts`,\n"
        "      ...options,\n"
        "    });\n"
        "  }\n"
        "\n"
        "  private makeRole(): Role {\n"
        "    const role = new Role(this, 'LambdaRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });\n"
        "    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:*'], resources: ['*'] }));\n"
        "    return role;\n"
        "  }\n"
        "}\n")
    assert role_findings(scan(tmp_path)) == [
        ("LR300", 27, "`statusFunction`, `ordersFunction` and `proxy`"),
    ]


def test_two_methods_each_with_a_local_role_keep_their_own_statements(tmp_path):
    """`role` in two methods names two roles: the broad statement of one is not the other's."""
    _app(tmp_path)
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "class Jobs {\n"
        "  reports() {\n"
        "    const role = new iam.Role(this, 'ReportsRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });\n"
        "    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));\n"
        "    new lambda.Function(this, 'Reports', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',\n"
        "      code: lambda.Code.fromAsset('handlers'), role });\n"
        "  }\n"
        "  mailer() {\n"
        "    const role = new iam.Role(this, 'MailerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });\n"
        "    role.addToPolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: ['arn:aws:ses:::x'] }));\n"
        "    new lambda.Function(this, 'Mailer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler',\n"
        "      code: lambda.Code.fromAsset('handlers'), role });\n"
        "  }\n"
        "}\n")
    assert role_findings(scan(tmp_path)) == [("LR300", 6, "Reports")]


def test_a_role_field_another_function_s_role_and_add_to_role_policy_on_a_sharer(tmp_path):
    """`this.role = new Role(...)` read as `role: this.role` in another method; `role: first.role`
    (the role CDK made for `first`); `worker.addToRolePolicy(...)` on a function given the shared
    role adds to that role, so every function given it holds the statement."""
    _app(tmp_path)
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as iam from 'aws-cdk-lib/aws-iam';\n"
        "export class Workers {\n"
        "  private readonly role: iam.Role;\n"
        "  constructor() {\n"
        "    this.role = new iam.Role(this, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });\n"
        "    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:*'], resources: ['*'] }));\n"
        "    this.functions();\n"
        "  }\n"
        "  private functions() {\n"
        "    const worker = new lambda.Function(this, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "      handler: 'index.handler', code: lambda.Code.fromAsset('handlers'), role: this.role });\n"
        "    new lambda.Function(this, 'Sweeper', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "      handler: 'index.handler', code: lambda.Code.fromAsset('handlers'), role: this.role });\n"
        "    worker.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));\n"
        "    const first = new lambda.Function(this, 'First', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "      handler: 'index.handler', code: lambda.Code.fromAsset('handlers') });\n"
        "    first.addToRolePolicy(new iam.PolicyStatement({ actions: ['kinesis:*'], resources: ['*'] }));\n"
        "    new lambda.Function(this, 'Second', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "      handler: 'index.handler', code: lambda.Code.fromAsset('handlers'), role: first.role });\n"
        "  }\n"
        "}\n")
    assert role_findings(scan(tmp_path)) == [
        ("LR300", 7, "`Worker` and `Sweeper`"),
        ("LR300", 18, "`First` and `Second`"),
        ("LR301", 15, "`Worker` and `Sweeper`"),
    ]


def test_python_a_role_a_method_returns_passed_through_a_helper_and_a_field(tmp_path):
    """Python: `role = self._lambda_role()` passed to a helper whose construct writes `role=role`
    (its parameter) and to one that takes `**kwargs`; `self.role` read in another method."""
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "handlers").mkdir()
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import Stack, aws_iam as iam, aws_lambda as _lambda\n"
        "\n"
        "class Api(Stack):\n"
        "    def __init__(self, scope, id):\n"
        "        super().__init__(scope, id)\n"
        "        role = self._lambda_role()\n"
        "        self._function('orders', role)\n"
        "        self._function('payments', role=role)\n"
        "        self._loose('refunds', role=role, timeout=None)\n"
        "        self.role = iam.Role(self, 'Audit', assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'))\n"
        "        self.role.add_to_policy(iam.PolicyStatement(actions=['logs:*'], resources=['*']))\n"
        "        self._audit()\n"
        "\n"
        "    def _lambda_role(self):\n"
        "        role = iam.Role(self, 'LambdaRole', assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'))\n"
        "        role.add_to_policy(iam.PolicyStatement(actions=['dynamodb:*'], resources=['*']))\n"
        "        return role\n"
        "\n"
        "    def _function(self, name, role):\n"
        "        return _lambda.Function(self, name, runtime=_lambda.Runtime.PYTHON_3_13, handler=f'{name}.handler',\n"
        "                                code=_lambda.Code.from_asset('handlers'), role=role)\n"
        "\n"
        "    def _loose(self, name, **kwargs):\n"
        "        return _lambda.Function(self, name, runtime=_lambda.Runtime.PYTHON_3_13, handler=f'{name}.handler',\n"
        "                                code=_lambda.Code.from_asset('handlers'), **kwargs)\n"
        "\n"
        "    def _audit(self):\n"
        "        _lambda.Function(self, 'Audit', runtime=_lambda.Runtime.PYTHON_3_13, handler='audit.handler',\n"
        "                         code=_lambda.Code.from_asset('handlers'), role=self.role)\n")
    assert role_findings(scan(tmp_path)) == [
        ("LR300", 11, "Audit"),
        ("LR300", 16, "`orders`, `payments` and `refunds`"),
    ]
