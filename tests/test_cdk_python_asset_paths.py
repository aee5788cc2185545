"""A Python CDK app's code folder written relative to the stack's own file, with `pathlib`
(`str(Path(__file__).parent.joinpath("runtime").resolve())`, `HERE.parent / "functions"`) or with
`os.path` (`dirname(dirname(__file__))`), and an image built by `Code.from_asset_image(directory, file=)`:
each names the folder in the repository, so the handler's code is read and the Dockerfile found."""

from __future__ import annotations

import ast

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.inventory.cdk.python_paths import asset_path
from reviewer.workspace import Workspace

_CONSTRUCT = """\
from pathlib import Path

from aws_cdk.aws_lambda import Runtime
from aws_cdk.aws_lambda_python_alpha import PythonFunction
from constructs import Construct


class Ingest(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.function = PythonFunction(
            self,
            "IngestFunction",
            runtime=Runtime.PYTHON_3_12,
            entry=str(Path(__file__).parent.joinpath("runtime").resolve()),
            index="ingest.py",
            handler="lambda_handler",
        )
"""

_STACK = """\
import os
import pathlib

from aws_cdk import Stack
from aws_cdk import aws_lambda as _lambda

HERE = pathlib.Path(__file__).resolve().parent
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ReportsStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        _lambda.Function(self, "Reports", runtime=_lambda.Runtime.PYTHON_3_12, handler="report.handler",
                         code=_lambda.Code.from_asset(str(HERE.parent / "functions" / "reports")))
        _lambda.Function(self, "Audit", runtime=_lambda.Runtime.PYTHON_3_12, handler="audit.handler",
                         code=_lambda.Code.from_asset(os.path.join(ROOT, "functions", "audit")))
        _lambda.Function(self, "Web", runtime=_lambda.Runtime.FROM_IMAGE, handler=_lambda.Handler.FROM_IMAGE,
                         code=_lambda.Code.from_asset_image(
                             directory=os.path.join(os.path.dirname(__file__), "web"), file="Dockerfile"))
"""


def _app(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "app.py").write_text("import aws_cdk as cdk\napp = cdk.App()\napp.synth()\n")
    ingest = tmp_path / "services" / "ingest"
    (ingest / "runtime").mkdir(parents=True)
    (ingest / "infrastructure.py").write_text(_CONSTRUCT)
    (ingest / "runtime" / "ingest.py").write_text("def lambda_handler(event, context):\n    return event\n")
    stacks = tmp_path / "infra" / "stacks"
    (stacks / "web").mkdir(parents=True)
    (stacks / "reports_stack.py").write_text(_STACK)
    (stacks / "web" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD [\"app.handler\"]\n")
    (stacks / "web" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    for name in ("reports", "audit"):
        (tmp_path / "infra" / "functions" / name).mkdir(parents=True)
    (tmp_path / "infra" / "functions" / "reports" / "report.py").write_text("def handler(event, context):\n    pass\n")
    (tmp_path / "infra" / "functions" / "audit" / "audit.py").write_text("def handler(event, context):\n    pass\n")
    return Workspace(tmp_path)


def test_a_pathlib_entry_beside_the_construct_is_its_code_folder(tmp_path):
    workspace = _app(tmp_path)
    fns = {fn.name: fn for fn in build_inventory(workspace).functions}
    ingest = fns["IngestFunction"]
    assert (ingest.code_path, ingest.handler) == ("services/ingest/runtime", "ingest.lambda_handler")
    assert read_function_code(workspace, ingest).handler_path == "services/ingest/runtime/ingest.py"


def test_folders_above_the_stack_file_are_followed_through_module_names(tmp_path):
    fns = {fn.name: fn for fn in build_inventory(_app(tmp_path)).functions}
    assert fns["Reports"].code_path == "infra/functions/reports"
    assert fns["Audit"].code_path == "infra/functions/audit"   # not infra/stacks/functions/audit


def test_an_image_asset_made_by_from_asset_image_is_read_from_its_dockerfile(tmp_path):
    web = {fn.name: fn for fn in build_inventory(_app(tmp_path)).functions}["Web"]
    assert (web.runtime, web.code_path) == ("python3.12", "infra/stacks/web")
    assert "Runtime" not in web.unresolved


def test_paths_the_file_does_not_write_fold_to_nothing():
    def fold(text: str) -> tuple[str | None, str]:
        return asset_path(ast.parse(text, mode="eval").body)

    assert fold('Path(__file__).parents[1] / "src"') == ("../src", "file")
    assert fold('os.path.join(os.path.dirname(__file__), "..", "lambda")') == ("../lambda", "file")
    assert fold('os.path.dirname(__file__) + "/lambda"') == ("lambda", "file")
    assert fold("f'{os.path.dirname(__file__)}/etl_job_auditor'") == ("etl_job_auditor", "file")
    assert fold('f"{Path(__file__).parent.parent}/functions/audit"') == ("../functions/audit", "file")
    assert fold('f"{os.path.dirname(__file__)}"') == (".", "file")
    assert fold('f"{os.path.dirname(__file__)}-lambda"') == (None, "app")   # a sibling's name, not a folder in it
    assert fold('f"{HANDLERS}/orders"') == (None, "app")
    assert fold('f"lambda/{name}"') == (None, "app")
    assert fold('"lambda/orders"') == ("lambda/orders", "app")
    assert fold("__file__") == (None, "app")                      # a file, not a folder
    assert fold('os.path.join(os.getcwd(), "lambda")') == (None, "app")
    assert fold('Path(os.environ["CODE"]) / "x"') == (None, "app")
    assert fold('Path("/opt") / "x"') == ("/opt/x", "app")

