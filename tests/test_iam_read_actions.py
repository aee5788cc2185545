"""LR301 on the actions whose verb reads like a write but that only read (`appconfig:StartConfigurationSession`,
`logs:StartQuery`, `bedrock:InvokeModel`): reviewer/data/iam_read_actions.json, IAM's access levels."""

from __future__ import annotations

from pathlib import Path

from tests.test_cdk_shared_roles import scan


def _write_app(root: Path) -> None:
    (root / "cdk.json").write_text('{"app": "python3 app.py"}')
    (root / "orders").mkdir()
    (root / "orders" / "create.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "app.py").write_text(
        "from aws_cdk import App, Stack\n"
        "from aws_cdk import aws_iam as iam\n"
        "from aws_cdk import aws_lambda as _lambda\n"
        "\n"
        "\n"
        "class OrdersStack(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        role = self._service_role()\n"
        "        _lambda.Function(self, 'CreateOrder', runtime=_lambda.Runtime.PYTHON_3_13,\n"
        "                         handler='create.handler', code=_lambda.Code.from_asset('orders'), role=role)\n"
        "\n"
        "    def _service_role(self) -> iam.Role:\n"
        "        return iam.Role(\n"
        "            self, 'ServiceRole',\n"
        "            assumed_by=iam.ServicePrincipal('lambda.amazonaws.com'),\n"
        "            inline_policies={\n"
        "                'feature_flags': iam.PolicyDocument(statements=[\n"
        "                    iam.PolicyStatement(\n"
        "                        actions=['appconfig:GetLatestConfiguration', 'appconfig:StartConfigurationSession'],\n"
        "                        resources=['*'],\n"
        "                    ),\n"
        "                ]),\n"
        "                'insights': iam.PolicyDocument(statements=[\n"
        "                    iam.PolicyStatement(actions=['logs:StartQuery', 'logs:GetQueryResults',\n"
        "                                                 'bedrock:InvokeModel'], resources=['*']),\n"
        "                ]),\n"
        "                'rollout': iam.PolicyDocument(statements=[\n"
        "                    iam.PolicyStatement(actions=['appconfig:StartDeployment'], resources=['*']),\n"
        "                ]),\n"
        "            },\n"
        "        )\n"
        "\n"
        "\n"
        "app = App()\n"
        "OrdersStack(app, 'Orders')\n"
        "app.synth()\n")


def test_a_configuration_session_and_read_style_actions_on_every_resource_are_no_writes(tmp_path):
    """The cookbook's shape: a dynamic-configuration statement on `*` reads the deployed
    configuration (AWS's read-only AppConfig policy holds both actions), and a query or a model call
    reads too; the deployment statement beside them is the one write on every resource."""
    _write_app(tmp_path)
    findings = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR301"]
    assert [f["line"] for f in findings] == [29]
    assert "`appconfig:StartDeployment`" in findings[0]["message"]
    assert "StartConfigurationSession" not in findings[0]["message"]
