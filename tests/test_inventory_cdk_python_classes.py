"""Python CDK constructs written as classes: a runtime kept as a class attribute and read through
`self` (or the class), and a code folder built from a name each method sets again
(`here = os.path.dirname(__file__)`), are followed to what the file writes."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def line_of(root: Path, rel: str, text: str) -> int:
    lines = (root / rel).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


CLASS_RUNTIME = """\
from aws_cdk import aws_lambda as _lambda
from constructs import Construct


class BillingConstruct(Construct):
    FUNCTION_RUNTIME = _lambda.Runtime.PYTHON_3_12

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        self.charge = self._charge()
        self.refund = self._refund()

    def _charge(self) -> _lambda.Function:
        return _lambda.Function(
            self,
            "Charge",
            runtime=self.FUNCTION_RUNTIME,
            code=_lambda.Code.from_asset("billing"),
            handler="charge.handler",
        )

    def _refund(self) -> _lambda.Function:
        return _lambda.Function(
            self,
            "Refund",
            runtime=BillingConstruct.FUNCTION_RUNTIME,
            code=_lambda.Code.from_asset("billing"),
            handler="refund.handler",
        )
"""


def test_a_runtime_kept_as_a_class_attribute_is_read_through_self_and_the_class(tmp_path):
    root = write(tmp_path, {"cdk.json": '{"app": "python3 app.py"}', "infra/billing.py": CLASS_RUNTIME,
                            "billing/charge.py": "def handler(event, context):\n    return {}\n",
                            "billing/refund.py": "def handler(event, context):\n    return {}\n"})
    functions = inventory(root)
    charge, refund = functions["Charge"], functions["Refund"]
    assert charge.runtime == refund.runtime == "python3.12"
    assert "Runtime" not in charge.unresolved and "Runtime" not in refund.unresolved
    assert charge.where("Runtime").line == line_of(root, "infra/billing.py", "runtime=self.FUNCTION_RUNTIME")
    default = charge.locations["Runtime.Default"]
    assert (default.path, default.line) == ("infra/billing.py", line_of(root, "infra/billing.py", "FUNCTION_RUNTIME ="))


OVERRIDDEN = """\
from aws_cdk import aws_lambda as _lambda
from constructs import Construct


class BaseWorker(Construct):
    RUNTIME = _lambda.Runtime.PYTHON_3_9

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        _lambda.Function(self, "Worker", runtime=self.RUNTIME,
                         code=_lambda.Code.from_asset("worker"), handler="app.handler")


class NewerWorker(BaseWorker):
    RUNTIME = _lambda.Runtime.PYTHON_3_13


class Tuned(Construct):
    SETTING = _lambda.Runtime.PYTHON_3_10

    def __init__(self, scope: Construct, id_: str, newer: bool) -> None:
        super().__init__(scope, id_)
        if newer:
            self.SETTING = _lambda.Runtime.PYTHON_3_13
        _lambda.Function(self, "Tuned", runtime=self.SETTING,
                         code=_lambda.Code.from_asset("worker"), handler="app.handler")
"""


def test_a_class_attribute_a_subclass_or_the_instance_sets_again_is_not_guessed(tmp_path):
    root = write(tmp_path, {"cdk.json": '{"app": "python3 app.py"}', "infra/workers.py": OVERRIDDEN})
    functions = inventory(root)
    assert functions["Worker"].runtime is None and "Runtime" in functions["Worker"].unresolved
    assert functions["Tuned"].runtime is None and "Runtime" in functions["Tuned"].unresolved


PER_METHOD_FOLDER = """\
import os

import aws_cdk.aws_lambda as lambda_
from constructs import Construct


class ShopFunctions(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.cart = self.make_cart()
        self.orders = self.make_orders()

    def make_cart(self):
        here = os.path.dirname(os.path.abspath(__file__))
        return lambda_.Function(
            self, "Cart", runtime=lambda_.Runtime.PYTHON_3_12, handler="cart.handler",
            code=lambda_.Code.from_asset(os.path.join(here, "handlers")),
        )

    def make_orders(self):
        here = os.path.dirname(os.path.abspath(__file__))
        return lambda_.Function(
            self, "Orders", runtime=lambda_.Runtime.PYTHON_3_12, handler="orders.handler",
            code=lambda_.Code.from_asset(os.path.join(here, "handlers")),
        )
"""


def test_a_code_folder_built_from_a_name_each_method_sets_again(tmp_path):
    root = write(tmp_path, {"cdk.json": '{"app": "python3 app.py"}', "infra/shop/functions.py": PER_METHOD_FOLDER,
                            "infra/shop/handlers/cart.py": "def handler(event, context):\n    return {}\n",
                            "infra/shop/handlers/orders.py": "def handler(event, context):\n    return {}\n"})
    functions = inventory(root)
    assert functions["Cart"].code_path == functions["Orders"].code_path == "infra/shop/handlers"
    assert "Code" not in functions["Cart"].unresolved
