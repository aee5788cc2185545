"""A Python CDK helper that takes the construct's properties as one props object and spreads a copy
of it into the construct (`settings = dict(props._values)`, `PythonFunction(scope, id, **settings)`):
each call's `PythonFunctionProps(...)` gives that call's function its runtime, entry, index, handler
and environment, over the helper's own settings. Shaped like a shop's API whose helper module adds
tracing and a default memory size to every function."""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

HELPERS = """\
from aws_cdk import aws_lambda as _lambda
from aws_cdk.aws_lambda_python_alpha import PythonFunction, PythonFunctionProps


def instrumented_function(scope, id, props: PythonFunctionProps) -> PythonFunction:
    settings = dict(props._values)
    settings["tracing"] = _lambda.Tracing.ACTIVE
    if "memory_size" not in settings:
        settings["memory_size"] = 512
    return PythonFunction(scope, id, **settings)
"""

SHOP_STACK = """\
from aws_cdk import Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as _lambda
from aws_cdk.aws_lambda_python_alpha import PythonFunctionProps

import helpers


class ShopStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        carts = dynamodb.Table(self, "Carts", partition_key=dynamodb.Attribute(
            name="id", type=dynamodb.AttributeType.STRING))
        helpers.instrumented_function(
            scope=self,
            id="checkout",
            props=PythonFunctionProps(
                entry="src/checkout",
                index="checkout.py",
                handler="handler",
                runtime=_lambda.Runtime.PYTHON_3_12,
                environment={"CARTS_TABLE": carts.table_name},
            ),
        )
        helpers.instrumented_function(self, "refund", PythonFunctionProps(
            entry="src/refund", index="refund.py", handler="main", runtime=_lambda.Runtime.PYTHON_3_13))
"""

APP = """\
import aws_cdk as cdk

from shop_stack import ShopStack

app = cdk.App()
ShopStack(app, "Shop")
app.synth()
"""


def test_each_calls_props_object_makes_its_function(tmp_path):
    files = {"cdk.json": '{"app": "python3 cdk/app.py"}', "cdk/app.py": APP, "cdk/helpers.py": HELPERS,
             "cdk/shop_stack.py": SHOP_STACK,
             "src/checkout/checkout.py": "def handler(event, context):\n    return {}\n",
             "src/refund/refund.py": "def main(event, context):\n    return {}\n"}
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert sorted(functions) == ["checkout", "refund"]     # not the helper's own construct, unread
    checkout, refund = functions["checkout"], functions["refund"]
    assert (checkout.runtime, checkout.handler, checkout.code_path) == ("python3.12", "checkout.handler", "src/checkout")
    assert (refund.runtime, refund.handler, refund.code_path) == ("python3.13", "refund.main", "src/refund")
    assert "CARTS_TABLE" in checkout.environment
    assert checkout.location.path == "cdk/shop_stack.py"
    assert not checkout.unresolved.get("Runtime")


def test_a_call_in_the_helpers_own_module_reads_its_props_object_too(tmp_path):
    stack = HELPERS + SHOP_STACK.split("import helpers\n", 1)[1].replace("helpers.instrumented_function", "instrumented_function")
    stack = stack.replace("from aws_cdk.aws_lambda_python_alpha import PythonFunction, PythonFunctionProps\n",
                          "from aws_cdk import Stack\nfrom aws_cdk import aws_dynamodb as dynamodb\n"
                          "from aws_cdk.aws_lambda_python_alpha import PythonFunction, PythonFunctionProps\n")
    for rel, text in {"cdk.json": '{"app": "python3 app.py"}', "shop_stack.py": stack,
                      "src/refund/refund.py": "def main(event, context):\n    return {}\n"}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert sorted(functions) == ["checkout", "refund"]
    assert (functions["refund"].runtime, functions["refund"].handler, functions["refund"].code_path) == \
        ("python3.13", "refund.main", "src/refund")
