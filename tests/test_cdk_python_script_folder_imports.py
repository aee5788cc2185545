"""A Python CDK app run as `python3 cdk/app.py` keeps its stacks and helpers beside the script, in
`cdk/`, which Python puts first on the import path: they import each other by their bare names
(`import lambdas`), and a helper called that way makes one function per call. Shaped like an app
whose `cdk/lambdas.py` wraps the Lambda construct with the team's defaults."""

from __future__ import annotations


from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

LAMBDAS = """\
from aws_cdk import Duration
from aws_cdk import aws_lambda as _lambda


def python_function(scope, id, **kwargs):
    kwargs.setdefault("runtime", _lambda.Runtime.PYTHON_3_12)
    kwargs.setdefault("timeout", Duration.seconds(10))
    return _lambda.Function(scope, id, **kwargs)
"""

ORDERS_STACK = """\
from aws_cdk import Stack
from aws_cdk import aws_lambda as _lambda

import lambdas


class OrdersStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        lambdas.python_function(self, "CreateOrder", handler="create.handler",
                                code=_lambda.Code.from_asset("src/orders"))
        lambdas.python_function(self, "ListOrders", handler="list_orders.handler",
                                code=_lambda.Code.from_asset("src/orders"),
                                runtime=_lambda.Runtime.PYTHON_3_13)
"""

APP = """\
import aws_cdk as cdk

from orders_stack import OrdersStack

app = cdk.App()
OrdersStack(app, "Orders")
app.synth()
"""


def test_a_helper_imported_by_its_bare_name_beside_the_script_makes_each_calls_function(tmp_path):
    files = {"cdk.json": '{"app": "python3 cdk/app.py"}', "cdk/app.py": APP, "cdk/lambdas.py": LAMBDAS,
             "cdk/orders_stack.py": ORDERS_STACK, "src/orders/create.py": "def handler(event, context):\n    return 1\n",
             "src/orders/list_orders.py": "def handler(event, context):\n    return []\n"}
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    functions = build_inventory(Workspace(tmp_path)).functions
    made = {(fn.name, fn.location.path, fn.runtime, fn.handler, fn.code_path) for fn in functions}
    assert made == {("CreateOrder", "cdk/orders_stack.py", "python3.12", "create.handler", "src/orders"),
                    ("ListOrders", "cdk/orders_stack.py", "python3.13", "list_orders.handler", "src/orders")}
