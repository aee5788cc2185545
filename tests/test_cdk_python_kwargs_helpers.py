"""Python CDK helpers that pass their `**kwargs` on to a Lambda construct, with defaults of their own
for the keys a caller leaves out: one function per call (`cdk/python_kwargs.py`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

HELPER = (
    "from aws_cdk import Duration, aws_ec2 as ec2, aws_lambda as _lambda\n"
    "\n"
    "\n"
    "class Helpers:\n"
    "    def build_function(self, fn_id: str, **kwargs):\n"
    "        if \"runtime\" not in kwargs:\n"
    "            kwargs[\"runtime\"] = _lambda.Runtime.PYTHON_3_12\n"
    "        kwargs.setdefault(\"code\", _lambda.Code.from_asset(\"backend\"))\n"
    "        if \"timeout\" not in kwargs:\n"
    "            kwargs[\"timeout\"] = Duration.seconds(30)\n"
    "        if \"vpc\" in kwargs:\n"
    "            if \"vpc_subnets\" not in kwargs:\n"
    "                kwargs[\"vpc_subnets\"] = ec2.SubnetSelection()\n"
    "        return _lambda.Function(\n"
    "            self,\n"
    "            fn_id,\n"
    "            **kwargs\n"
    "        )\n")

CALLER = (
    "from aws_cdk import Stack, aws_lambda as lambda_\n"
    "from infra.helpers import Helpers\n"
    "\n"
    "\n"
    "class SearchStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        name = f\"{construct_id}-Search\"\n"
    "        Helpers.build_function(self, name,\n"
    "                handler=\"search.handler\",\n"
    "                code=lambda_.Code.from_asset(\"backend\"),\n"
    "                environment={\"INDEX\": \"docs\"})\n"
    "        Helpers.build_function(self, \"Ingest\", handler=\"ingest.handler\",\n"
    "                runtime=lambda_.Runtime.PYTHON_3_9,\n"
    "                code=lambda_.Code.from_asset(\"jobs\"),\n"
    "                code_signing_config=signing)\n")


def _write(root: Path, files: dict[str, str]) -> None:
    (root / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    for folder in ("backend", "jobs", "infra"):
        (root / folder).mkdir(exist_ok=True)
    (root / "infra" / "__init__.py").write_text("")
    for rel, text in files.items():
        (root / rel).write_text(text)


def _functions(root: Path) -> dict[str, tuple[str, str | None, str, str | None, str | None]]:
    return {fn.name: (str(fn.location), fn.runtime, str(fn.where("Runtime")), fn.handler, fn.code_path)
            for fn in build_inventory(Workspace(root)).functions}


def _findings(root: Path) -> list[tuple[str, str, int]]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return sorted((f["rule_id"], f["path"], f["line"]) for f in json.loads(out.getvalue())["findings"]
                  if f["rule_id"] in ("LR400", "LR904", "LR100", "LR101", "LR102"))


def test_a_helper_class_method_passing_kwargs_on_is_one_function_per_call_of_another_module(tmp_path):
    """`Helpers.build_function(self, name, handler=..., code=...)` from a stack: each call is a
    function at the call, with the runtime its call passes or the helper's default (at the
    default's line), its handler and code folder; the helper's own construct is none, and is no
    LR904 about `**kwargs`."""
    _write(tmp_path, {"infra/helpers.py": HELPER, "infra/search.py": CALLER})
    assert _functions(tmp_path) == {
        "Helpers.build_function at infra/search.py:9": (
            "infra/search.py:9", "python3.12", "infra/helpers.py:7", "search.handler", "backend"),
        "Ingest": ("infra/search.py:13", "python3.9", "infra/search.py:14", "ingest.handler", "jobs"),
    }
    # the signed call is no LR400; python3.9 is past its deprecation at the reference date
    assert _findings(tmp_path) == [("LR100", "infra/search.py", 14), ("LR400", "infra/search.py", 9)]


def test_a_kwargs_helper_of_the_same_module_and_its_uncalled_construct(tmp_path):
    """Called as `self._worker("Id", handler=...)` in its own module, the helper's calls are the
    functions; a helper no call reaches stays one function, with the runtime its default names."""
    _write(tmp_path, {"infra/stack.py": (
        "from aws_cdk import Stack, aws_lambda as _lambda\n"
        "\n"
        "\n"
        "class Jobs(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        self._worker(\"Nightly\", handler=\"nightly.handler\")\n"
        "        self._worker(\"Hourly\", handler=\"hourly.handler\", runtime=_lambda.Runtime.PYTHON_3_13,\n"
        "                     code=_lambda.Code.from_asset(\"jobs\"))\n"
        "\n"
        "    def _worker(self, name, **kwargs):\n"
        "        kwargs.setdefault(\"runtime\", _lambda.Runtime.PYTHON_3_11)\n"
        "        return _lambda.Function(self, name, code=kwargs.pop(\"code\", _lambda.Code.from_asset(\"backend\")),\n"
        "                                **kwargs)\n"), "infra/unused.py": (
        "from aws_cdk import aws_lambda as _lambda\n"
        "\n"
        "\n"
        "def spare(scope, name, **props):\n"
        "    props[\"runtime\"] = _lambda.Runtime.PYTHON_3_12\n"
        "    return _lambda.Function(scope, name, handler=\"spare.handler\", **props)\n")})
    assert _functions(tmp_path) == {
        "Nightly": ("infra/stack.py:7", "python3.11", "infra/stack.py:12", "nightly.handler", "backend"),
        "Hourly": ("infra/stack.py:8", "python3.13", "infra/stack.py:8", "hourly.handler", "jobs"),
        "Function at infra/unused.py:6": (
            "infra/unused.py:6", "python3.12", "infra/unused.py:5", "spare.handler", None),
    }
    assert not [f for f in _findings(tmp_path) if f[0] == "LR904"]


def test_a_runtime_the_helper_forces_is_not_the_callers(tmp_path):
    """`kwargs["runtime"] = ...` unconditionally: the helper's runtime, whatever a call passes; a
    default set only under an unrelated condition is not read as one."""
    _write(tmp_path, {"infra/helpers.py": (
        "from aws_cdk import aws_lambda as _lambda\n"
        "\n"
        "\n"
        "def make(scope, name, debug=False, **kwargs):\n"
        "    kwargs[\"runtime\"] = _lambda.Runtime.PYTHON_3_12\n"
        "    if debug:\n"
        "        kwargs.setdefault(\"handler\", \"debug.handler\")\n"
        "    return _lambda.Function(scope, name, code=_lambda.Code.from_asset(\"backend\"), **kwargs)\n"),
        "infra/api.py": (
        "from aws_cdk import Stack, aws_lambda as _lambda\n"
        "from infra import helpers\n"
        "\n"
        "\n"
        "class Api(Stack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id, **kwargs)\n"
        "        helpers.make(self, \"Orders\", runtime=_lambda.Runtime.PYTHON_3_8, handler=\"orders.handler\")\n")})
    assert _functions(tmp_path) == {
        "Orders": ("infra/api.py:8", "python3.12", "infra/helpers.py:5", "orders.handler", "backend"),
    }
