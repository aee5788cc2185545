"""A TypeScript CDK app makes its quote responders in a loop (`'QuoteResponder_' + i.toString()`)
and keeps the synthesized template beside `cdk.json` (step-functions-workflows-collection's
scatter-gather keeps `out.yaml`): each synthesized `QuoteResponder_<n>` is that one construct, not
a function of its own (there were six functions, five with an LR100 of their own at the
template's lines). A synthesized function whose handler no looped construct deploys stays."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

STACK = """import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class QuotesStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    for (let i = 1; i <= 3; i++) {
      new lambda.Function(this, %s, {
        runtime: lambda.Runtime.NODEJS_20_X,
        code: lambda.Code.fromAsset('lambda'),
        handler: 'quote.handler',
        environment: { PROVIDER: i.toString() },
      });
    }
  }
}
"""

FUNCTION = """  Quote{n}{suffix}:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        S3Bucket: cdk-hnb659fds-assets-123456789012-eu-west-1
        S3Key: 0f3c.zip
      Handler: {handler}
      Role: arn:aws:iam::123456789012:role/quote
      Runtime: nodejs20.x
    Metadata:
      aws:cdk:path: QuotesStack/{construct}{n}/Resource
"""


def _functions(root: Path, construct_id: str, handler: str = "quote.handler", construct: str = "Quote_") -> list:
    (root / "lib").mkdir(parents=True)
    (root / "lambda").mkdir()
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/quotes.ts"}\n')
    (root / "lib" / "quotes-stack.ts").write_text(STACK % construct_id)
    (root / "lambda" / "quote.js").write_text("exports.handler = async () => ({ price: 42 });\n")
    (root / "out.yaml").write_text("Resources:\n" + "".join(
        FUNCTION.format(n=n, suffix="A1B2", handler=handler, construct=construct) for n in (1, 2, 3)))
    return build_inventory(Workspace(root)).functions


def test_the_functions_a_loop_synthesizes_are_its_one_construct(tmp_path: Path) -> None:
    [function] = _functions(tmp_path, "'Quote_' + i.toString()")
    assert str(function.location) == "lib/quotes-stack.ts:9"
    assert function.properties["SynthesizedAt"] == ["out.yaml:2", "out.yaml:13", "out.yaml:24"]


def test_a_template_literal_id_is_read_alike(tmp_path: Path) -> None:
    [function] = _functions(tmp_path, "`Quote_${i}`")
    assert str(function.location) == "lib/quotes-stack.ts:9"


def test_a_synthesized_function_of_another_handler_stays(tmp_path: Path) -> None:
    functions = _functions(tmp_path, "'Quote_' + i.toString()", handler="legacy.handler")
    assert sorted(str(function.location) for function in functions) == [
        "lib/quotes-stack.ts:9", "out.yaml:13", "out.yaml:2", "out.yaml:24"]
