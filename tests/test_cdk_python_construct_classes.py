"""Python CDK construct classes that wrap a Lambda construct (`class ServiceFunction(Construct)`
whose `__init__` makes `_lambda.Function(self, "Fn", handler=handler, runtime=runtime, ...)`, or a
subclass of `_lambda.Function` fixing some properties in `super().__init__`): each instantiation is
one function at its call, named by the id the call passes, with the runtime, handler and code
folder the call passes or the constructor's defaults; the class's own construct is none of its own
(`cdk/python_construct_classes.py`)."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

WRAPPER = (
    "from aws_cdk import aws_lambda as _lambda\n"
    "from constructs import Construct\n"
    "\n"
    "\n"
    "class ServiceFunction(Construct):\n"
    "    def __init__(self, scope: Construct, id: str, *, handler: str,\n"
    "                 runtime: _lambda.Runtime = _lambda.Runtime.PYTHON_3_12, code_dir: str = \"src\",\n"
    "                 **kwargs) -> None:\n"
    "        super().__init__(scope, id)\n"
    "        self.fn = _lambda.Function(\n"
    "            self, \"Fn\",\n"
    "            handler=handler,\n"
    "            runtime=runtime,\n"
    "            code=_lambda.Code.from_asset(code_dir),\n"
    "            **kwargs,\n"
    "        )\n"
    "\n"
    "\n"
    "class TracedFunction(_lambda.Function):\n"
    "    def __init__(self, scope, id, **kwargs):\n"
    "        super().__init__(scope, id, runtime=_lambda.Runtime.PYTHON_3_11,\n"
    "                         tracing=_lambda.Tracing.ACTIVE, **kwargs)\n")

STACK = (
    "from aws_cdk import Stack, aws_lambda as _lambda\n"
    "from infra.shared.functions import ServiceFunction, TracedFunction\n"
    "\n"
    "\n"
    "class ApiStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs) -> None:\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        ServiceFunction(self, \"Orders\", handler=\"orders.handler\")\n"
    "        ServiceFunction(self, \"Legacy\", handler=\"legacy.handler\", runtime=_lambda.Runtime.PYTHON_3_8,\n"
    "                        code_dir=\"legacy\")\n"
    "        TracedFunction(self, \"Audit\", handler=\"audit.handler\", code=_lambda.Code.from_asset(\"audit\"))\n")

SAME_MODULE = (
    "from aws_cdk import Stack, aws_lambda as _lambda\n"
    "from constructs import Construct\n"
    "\n"
    "\n"
    "class Worker(Construct):\n"
    "    def __init__(self, scope, construct_id, handler, runtime=_lambda.Runtime.PYTHON_3_13):\n"
    "        super().__init__(scope, construct_id)\n"
    "        _lambda.Function(self, \"Fn\", handler=handler, runtime=runtime,\n"
    "                         code=_lambda.Code.from_asset(\"jobs\"))\n"
    "\n"
    "\n"
    "class JobsStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        Worker(self, \"Nightly\", \"nightly.handler\")\n"
    "        Worker(self, \"Hourly\", \"hourly.handler\", runtime=_lambda.Runtime.PYTHON_3_9)\n")

UNCALLED = (
    "from aws_cdk import aws_lambda as _lambda\n"
    "from constructs import Construct\n"
    "\n"
    "\n"
    "class Spare(Construct):\n"
    "    def __init__(self, scope, construct_id, handler=\"spare.handler\",\n"
    "                 runtime=_lambda.Runtime.PYTHON_3_12):\n"
    "        super().__init__(scope, construct_id)\n"
    "        _lambda.Function(self, \"Fn\", handler=handler, runtime=runtime,\n"
    "                         code=_lambda.Code.from_asset(\"spare\"))\n")


def _write(root: Path, files: dict[str, str]) -> None:
    (root / "cdk.json").write_text("{}")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    for folder in ("src", "legacy", "audit", "jobs", "spare"):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "app.py").write_text("def handler(event, context):\n    return event\n")


def _functions(root: Path) -> tuple[dict[str, tuple], list[tuple]]:
    result = build_inventory(Workspace(root))
    functions = {fn.name: (f"{fn.location.path}:{fn.location.line}", fn.runtime,
                           str(fn.locations["Runtime"]) if "Runtime" in fn.locations else None,
                           fn.handler, fn.code_path) for fn in result.functions}
    return functions, [(n.rule_id, n.path, n.line) for n in result.notices]


def test_each_instantiation_of_a_construct_class_of_another_module_is_one_function_at_its_call(tmp_path):
    """`ServiceFunction(self, "Orders", handler=...)` from a stack: the call's id, handler and code
    folder, the constructor's default runtime where the call passes none (the class's runtime
    line), the call's where it passes one; a `_lambda.Function` subclass's callers fill in its
    handler and code. Neither class is a function of its own, nor is a call given a runtime twice."""
    _write(tmp_path, {"infra/shared/functions.py": WRAPPER, "infra/api.py": STACK})
    functions, notices = _functions(tmp_path)
    assert functions == {
        "Orders": ("infra/api.py:8", "python3.12", "infra/shared/functions.py:13", "orders.handler", "src"),
        "Legacy": ("infra/api.py:9", "python3.8", "infra/api.py:9", "legacy.handler", "legacy"),
        "Audit": ("infra/api.py:11", "python3.11", "infra/shared/functions.py:21", "audit.handler", "audit"),
    }
    assert not notices


def test_a_construct_class_of_the_same_module_and_one_no_call_reaches(tmp_path):
    """Made in its own module, each `Worker(self, "Nightly", ...)` is one function at the call; a
    class no call reaches stays one function, read with its constructor's defaults."""
    _write(tmp_path, {"infra/jobs.py": SAME_MODULE, "infra/spare.py": UNCALLED})
    functions, notices = _functions(tmp_path)
    assert functions == {
        "Nightly": ("infra/jobs.py:15", "python3.13", "infra/jobs.py:8", "nightly.handler", "jobs"),
        "Hourly": ("infra/jobs.py:16", "python3.9", "infra/jobs.py:8", "hourly.handler", "jobs"),
        "Fn": ("infra/spare.py:9", "python3.12", "infra/spare.py:9", "spare.handler", "spare"),
    }
    assert not notices
