"""A CDK app's own CloudFormation custom resources invoke its functions: a database bootstrapper
named by a `CustomResource`'s `service_token` (Python), and a schema migrator that a custom
resource provider's `onEventHandler` runs (TypeScript). CloudFormation sends them the
`ResourceProperties` the stack's template sets, so what such a handler does with them is a
notice of LR306, not the warning of a function whose invoker is unknown."""

from __future__ import annotations

from pathlib import Path

from reviewer.analyzers.untrusted_writers import EventWriter, function_writer
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_untrusted_input import scan

PYTHON_CONSTRUCT = """\
from aws_cdk import CustomResource, Duration, aws_lambda
from constructs import Construct


class DatabaseBootstrap(Construct):
    def __init__(self, scope: Construct, construct_id: str, schema_version: str) -> None:
        super().__init__(scope, construct_id)
        bootstrapper = aws_lambda.Function(
            self,
            "bootstrapper-fn",
            handler="handler.handler",
            runtime=aws_lambda.Runtime.PYTHON_3_12,
            code=aws_lambda.Code.from_asset("database/runtime"),
            timeout=Duration.minutes(5),
        )
        CustomResource(
            scope=scope,
            id="bootstrap",
            service_token=bootstrapper.function_arn,
            properties={"schema_version": schema_version, "dbname": "catalog"},
        )
"""

PYTHON_HANDLER = """\
import psycopg


def handler(event, context):
    properties = event["ResourceProperties"]
    with psycopg.connect() as conn:
        conn.execute(f"CREATE DATABASE {properties['dbname']}")
    return {"PhysicalResourceId": properties["dbname"]}
"""

TS_STACK = """\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export class SchemaStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const migrator = new lambda.Function(this, 'Migrator', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'migrate.handler',
      code: lambda.Code.fromAsset('migrations'),
    });
    const provider = new cr.Provider(this, 'MigrationProvider', { onEventHandler: migrator });
    new cdk.CustomResource(this, 'Migration', {
      serviceToken: provider.serviceToken,
      properties: { table: 'orders' },
    });
  }
}
"""

TS_HANDLER = """\
import sqlite3


def handler(event, context):
    table = event["ResourceProperties"]["table"]
    sqlite3.connect("/tmp/schema.db").execute(f"CREATE TABLE {table} (id TEXT)")
"""


def _python_app(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (root / "database" / "infrastructure").mkdir(parents=True)
    (root / "database" / "runtime").mkdir(parents=True)
    (root / "database" / "infrastructure" / "construct.py").write_text(PYTHON_CONSTRUCT)
    (root / "database" / "runtime" / "handler.py").write_text(PYTHON_HANDLER)
    return root


def _typescript_app(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (root / "lib").mkdir()
    (root / "migrations").mkdir()
    (root / "lib" / "schema-stack.ts").write_text(TS_STACK)
    (root / "migrations" / "migrate.py").write_text(TS_HANDLER)
    return root


def test_a_custom_resource_s_service_token_and_a_provider_s_handler_are_the_function_s_triggers(tmp_path):
    (python,) = build_inventory(Workspace(_python_app(tmp_path / "py"))).functions
    (typescript,) = build_inventory(Workspace(_typescript_app(tmp_path / "ts"))).functions
    for function, line, how in ((python, 16, "CustomResource"), (typescript, 14, "Provider.onEventHandler")):
        (trigger,) = function.triggers
        assert (trigger.kind, trigger.attributes["type"], trigger.location.line, trigger.attributes["name"]) == (
            "other", "CustomResource", line, how)
        assert function_writer(function) is EventWriter.STACK


def test_lr306_for_properties_a_custom_resource_sends_is_a_notice(tmp_path):
    for root, path in ((_python_app(tmp_path / "py"), "database/runtime/handler.py"),
                       (_typescript_app(tmp_path / "ts"), "migrations/migrate.py")):
        (finding,) = [f for f in scan(root)["findings"] if f["rule_id"] == "LR306"]
        assert (finding["path"], finding["severity"]) == (path, "notice")
        assert "Only the app's CloudFormation custom resources invoke the function" in finding["message"]
        assert "No trigger of the function is declared" not in finding["message"]


def test_a_custom_resource_naming_the_unpublished_function_is_no_lr401(tmp_path):
    for root in (_python_app(tmp_path / "py"), _typescript_app(tmp_path / "ts")):
        assert not [f for f in scan(root)["findings"] if f["rule_id"] == "LR401"]
