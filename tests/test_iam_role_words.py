"""LR300/LR301 on one line shared by several functions: "the execution role" when they share one
role, "the execution roles" when the line adds to each function's own role (a statement kept in a
variable and added to every function with `addToRolePolicy`)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cdk_shared_roles import scan

STACK = """import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Effect, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';

export class EtlStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const putEvents = new PolicyStatement({ effect: Effect.ALLOW, resources: ['*'], actions: ['events:PutEvents'] });
    for (const step of ['extract', 'transform', 'load']) {
      const fn = new Function(this, `${step}Handler`, {
        runtime: Runtime.NODEJS_22_X, handler: `${step}.handler`, code: Code.fromAsset('lambdas'),
      });
      fn.addToRolePolicy(putEvents);
    }
    const reportsRole = new Role(this, 'ReportsRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    reportsRole.addToPolicy(new PolicyStatement({ resources: ['*'], actions: ['sqs:SendMessage'] }));
    reportsRole.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('AmazonS3FullAccess'));
    new Function(this, 'DailyReport', {
      runtime: Runtime.NODEJS_22_X, handler: 'daily.handler', code: Code.fromAsset('lambdas'), role: reportsRole,
    });
    new Function(this, 'WeeklyReport', {
      runtime: Runtime.NODEJS_22_X, handler: 'weekly.handler', code: Code.fromAsset('lambdas'), role: reportsRole,
    });
  }
}
"""


def _messages(root: Path) -> dict[int, str]:
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (root / "lambdas").mkdir()
    (root / "lib").mkdir()
    (root / "lib" / "etl-stack.ts").write_text(STACK)
    return {f["line"]: f["message"] for f in scan(root)["findings"] if f["rule_id"] in ("LR300", "LR301")}


def test_a_statement_added_to_each_function_s_own_role_names_their_roles(tmp_path):
    message = _messages(tmp_path)[9]
    assert message.startswith("A policy statement on the execution roles of the functions ")


def test_a_role_the_functions_share_stays_one_role(tmp_path):
    messages = _messages(tmp_path)
    assert messages[17].startswith("A policy statement on the execution role of the functions ")
    assert messages[18].startswith("The execution role of the functions ")
    assert " attaches the AWS managed policy " in messages[18] and "keeps the role to what" in messages[18]
