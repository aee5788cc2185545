"""`cdk synth` templates committed beside `cdk.json`, one per stack, whose stacks reuse a construct
id: each synthesized function is a copy of one construct of the app, never a second function."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

STACK = """from aws_cdk import Stack, aws_lambda as _lambda


class {cls}(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        _lambda.Function(self, "sumHandler", runtime=_lambda.Runtime.PYTHON_3_8,
                         handler="{handler}", code=_lambda.Code.from_asset("{code}"))
"""

TEMPLATE = """Resources:
  sumHandlerServiceRole0A1B2C3D:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
    Metadata:
      aws:cdk:path: {stack}/sumHandler/ServiceRole/Resource
  sumHandler4E5F6A7B:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        S3Bucket:
          Ref: AssetParameters0123S3Bucket
        S3Key: asset.zip
      Handler: {handler}
      Role:
        Fn::GetAtt:
          - sumHandlerServiceRole0A1B2C3D
          - Arn
      Runtime: python3.8
    Metadata:
      aws:cdk:path: {stack}/sumHandler/Resource
      aws:asset:path: asset.0123
"""


def _app(root: Path, stacks: dict[str, tuple[str, str, str]]) -> None:
    """stacks: module name → (class, handler, code folder); the stack's id is its class name."""
    (root / "calculator").mkdir(parents=True)
    (root / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    for module, (cls, handler, code) in stacks.items():
        (root / "calculator" / f"{module}.py").write_text(STACK.format(cls=cls, handler=handler, code=code))
        (root / f"{cls}.yml").write_text(TEMPLATE.format(stack=cls, handler=handler))
        (root / code).mkdir(parents=True, exist_ok=True)
        (root / code / f"{handler.split('.')[0]}.py").write_text("def handler(event, context):\n    return 1\n")


def test_stacks_that_reuse_a_construct_id_are_told_apart_by_the_handler(tmp_path):
    _app(tmp_path, {"fat_stack": ("FatStack", "calc.add", "fns/fat"),
                    "single_stack": ("SingleStack", "add.handler", "fns/single")})
    functions = build_inventory(Workspace(tmp_path)).functions
    assert sorted((str(fn.location), fn.properties.get("SynthesizedAt")) for fn in functions) == [
        ("calculator/fat_stack.py:7", ["FatStack.yml:13"]),
        ("calculator/single_stack.py:7", ["SingleStack.yml:13"]),
    ]


def test_stacks_alike_but_for_their_code_are_told_apart_by_the_stack_id(tmp_path):
    """The same handler and runtime in both stacks: the stack id (`OrdersStack`) is the name of the
    file that declares it (`orders_stack.py`)."""
    _app(tmp_path, {"orders_stack": ("OrdersStack", "index.handler", "fns/orders"),
                    "billing_stack": ("BillingStack", "index.handler", "fns/billing")})
    functions = build_inventory(Workspace(tmp_path)).functions
    assert sorted((str(fn.location), fn.properties.get("SynthesizedAt")) for fn in functions) == [
        ("calculator/billing_stack.py:7", ["BillingStack.yml:13"]),
        ("calculator/orders_stack.py:7", ["OrdersStack.yml:13"]),
    ]


def test_a_copy_that_nothing_tells_apart_is_still_no_second_function(tmp_path):
    """Two stacks alike in everything the template says: the synthesized function is one of the
    app's constructs, which are listed already, whichever it is."""
    _app(tmp_path, {"east": ("Regional", "index.handler", "fns/east"),
                    "west": ("Regional2", "index.handler", "fns/west")})
    (tmp_path / "Regional2.yml").unlink()
    (tmp_path / "Other.yml").write_text(TEMPLATE.format(stack="Other", handler="index.handler"))
    functions = build_inventory(Workspace(tmp_path)).functions
    assert sorted(str(fn.location) for fn in functions) == ["calculator/east.py:7", "calculator/west.py:7"]
