"""A Python construct class whose `__init__` makes its function in a method of its own
(`self.function = self._create_function(handler, code_dir)`), the Python form of the TypeScript
ingestion template of aws-solutions' discovering-hot-topics-using-machine-learning: each
instantiation of the class in the stack's module is one function, with the handler and code its
caller gives; a class whose method is handed only literals stays one function, as written."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace

INGESTION = """\
from aws_cdk import Duration
from aws_cdk import aws_lambda as _lambda
from constructs import Construct


class FeedIngestion(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, handler: str, code_dir: str) -> None:
        super().__init__(scope, construct_id)
        self.function = self._create_function(handler, code_dir)

    def _create_function(self, handler: str, code_dir: str) -> _lambda.Function:
        return _lambda.Function(
            self,
            "Ingest",
            runtime=_lambda.Runtime.PYTHON_3_12,
            handler=handler,
            code=_lambda.Code.from_asset(code_dir),
            timeout=Duration.minutes(5),
        )


class Housekeeping(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.function = self._create_function("sweep.handler")

    def _create_function(self, handler: str) -> _lambda.Function:
        return _lambda.Function(self, "Sweep", runtime=_lambda.Runtime.PYTHON_3_12, handler=handler,
                                code=_lambda.Code.from_asset("lambda/sweep"))
"""

STACK = """\
from aws_cdk import Stack
from constructs import Construct

from stacks.ingestion import FeedIngestion, Housekeeping


class FeedsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        FeedIngestion(self, "News", handler="news.handler", code_dir="lambda/news")
        FeedIngestion(self, "Forum", handler="forum.handler", code_dir="lambda/forum")
        Housekeeping(self, "Sweeper")
"""


def _functions(root: Path) -> dict[str, Function]:
    files = {
        "cdk.json": '{"app": "python3 app.py"}\n',
        "stacks/__init__.py": "",
        "stacks/ingestion.py": INGESTION,
        "stacks/feeds_stack.py": STACK,
        "lambda/news/news.py": "def handler(event, context):\n    return event\n",
        "lambda/forum/forum.py": "def handler(event, context):\n    return event\n",
        "lambda/sweep/sweep.py": "def handler(event, context):\n    return event\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_each_instantiation_is_a_function_with_what_its_caller_gives(tmp_path: Path) -> None:
    functions = _functions(tmp_path)
    news, forum = functions["News"], functions["Forum"]
    assert (news.location.path, news.location.line) == ("stacks/feeds_stack.py", 10)
    assert (news.runtime, news.handler, news.code_path) == ("python3.12", "news.handler", "lambda/news")
    assert (forum.location.line, forum.handler, forum.code_path) == (11, "forum.handler", "lambda/forum")
    assert not any(fn.location.path == "stacks/ingestion.py" and fn.name != "Sweep" for fn in functions.values())


def test_a_method_given_only_literals_stays_as_written(tmp_path: Path) -> None:
    functions = _functions(tmp_path)
    sweep = functions["Sweep"]
    assert (sweep.location.path, sweep.handler, sweep.code_path) == ("stacks/ingestion.py", "sweep.handler",
                                                                      "lambda/sweep")
