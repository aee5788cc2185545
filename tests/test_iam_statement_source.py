"""LR300/LR301 name where a statement comes from; a CDK statement's source quotes the method or
property that adds it ("CDK `addToRolePolicy`"). The message shows that name as a code span, not
as escaped backticks, while the fingerprint keeps the source's text (a TypeScript stack that adds
a wildcard statement to its function's role, as a chatbot sample does)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from reviewer.config import Settings
from reviewer.scan import scan_checkout
from reviewer.wording import finding_message

STACK = """import * as lambda from "aws-cdk-lib/aws-lambda";
import * as iam from "aws-cdk-lib/aws-iam";
import { Stack } from "aws-cdk-lib";

export class ChatStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const fn = new lambda.Function(this, "Handler", {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: "index.handler",
      code: lambda.Code.fromAsset("functions/chat"),
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["bedrock:*"], resources: ["*"] }));
  }
}
"""


def _app(root: Path) -> Path:
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (root / "lib").mkdir()
    (root / "lib" / "stack.ts").write_text(STACK)
    (root / "functions" / "chat").mkdir(parents=True)
    (root / "functions" / "chat" / "index.py").write_text("def handler(event, context):\n    return 1\n")
    return root


def test_a_cdk_statement_s_method_is_a_code_span(tmp_path):
    finding = next(f for f in scan_checkout(_app(tmp_path), Settings()).findings if f.rule_id == "LR300")
    assert "(CDK `addToRolePolicy`)" in finding.message
    assert "\\`" not in finding.message
    assert "CDK `addToRolePolicy`" in finding.evidence


def test_a_source_without_quoted_names_stays_text():
    message = finding_message("iam", "writes_on_every_resource", subject=Markup("`Orders`"),
                              source="functions.my_fn.iamRoleStatements", actions=("s3:PutObject",),
                              passes_roles=False, named="the bucket's ARN")
    assert "(functions.my\\_fn.iamRoleStatements)" in message
