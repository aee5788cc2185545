"""A Python CDK helper's construct that writes `environment=environment` (its parameter, or a key of
its `**kwargs`) takes the dict each call passes (`cdk/python_environment.py`): a secret written
there is reported (LR304) and the loop check knows which bucket a variable names."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.model import ResourceRef
from reviewer.workspace import Workspace

# A module of helpers the stacks import, as apps that keep `create_lambda`, `create_table` and
# `create_role` side by side write it: the environment is an optional parameter.
SHARED = (
    "import aws_cdk as cdk\n"
    "from aws_cdk import aws_lambda as lambda_\n"
    "\n"
    "\n"
    "def create_lambda(self, name, layers=None, environment=None, timeout=10, memory_size=128):\n"
    "    \"\"\"One function of the API, named after its folder.\"\"\"\n"
    "    return lambda_.Function(\n"
    "        self,\n"
    "        id=f\"fn-{name}\",\n"
    "        code=lambda_.Code.from_asset(\"back/lambdas\"),\n"
    "        handler=f\"{name}.handler\",\n"
    "        runtime=lambda_.Runtime.PYTHON_3_12,\n"
    "        layers=layers,\n"
    "        environment=environment,\n"
    "        timeout=cdk.Duration.seconds(timeout),\n"
    "        memory_size=memory_size,\n"
    "    )\n")

STACK = (
    "from aws_cdk import Stack, aws_s3 as s3\n"
    "from infra.shared import create_lambda\n"
    "\n"
    "\n"
    "class ReportsStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        self.exports = s3.Bucket(self, \"Exports\")\n"
    "        create_lambda(\n"
    "            self,\n"
    "            \"export\",\n"
    "            environment={\n"
    "                \"EXPORT_BUCKET\": self.exports.bucket_name,\n"
    "                \"MAILER_TOKEN\": \"sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf\",\n"
    "            },\n"
    "        )\n"
    "        create_lambda(self, \"health\")\n")

# A helper class of the stack's own module that passes its `**kwargs` on to the construct.
KWARGS_STACK = (
    "from aws_cdk import Stack, aws_lambda as _lambda, aws_sqs as sqs\n"
    "\n"
    "\n"
    "class IngestStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        jobs = sqs.Queue(self, \"Jobs\")\n"
    "        self.build_function(\"Ingest\", handler=\"ingest.handler\",\n"
    "                            environment={\"JOBS_QUEUE\": jobs.queue_url, \"STAGE\": \"prod\"})\n"
    "        self.build_function(\"Audit\", handler=\"audit.handler\")\n"
    "\n"
    "    def build_function(self, fn_id, **kwargs):\n"
    "        kwargs.setdefault(\"runtime\", _lambda.Runtime.PYTHON_3_12)\n"
    "        kwargs.setdefault(\"code\", _lambda.Code.from_asset(\"src\"))\n"
    "        return _lambda.Function(self, fn_id, **kwargs)\n")


def _write(root: Path, files: dict[str, str]) -> None:
    (root / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    for folder in ("back/lambdas", "src", "infra"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "infra" / "__init__.py").write_text("")
    for rel, text in files.items():
        (root / rel).write_text(text)


def _secrets(root: Path) -> list[tuple[str, int]]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return sorted((f["path"], f["line"]) for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR304")


def test_a_helper_of_another_module_gives_each_function_the_environment_its_call_passes(tmp_path):
    _write(tmp_path, {"infra/shared.py": SHARED, "infra/reports.py": STACK})
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    export, health = functions["fn-export"], functions["fn-health"]
    assert export.environment == {"EXPORT_BUCKET": ResourceRef("cdk", "infra/reports.py#exports"),
                                  "MAILER_TOKEN": "sk_live_51Hq8ZtKp3xYv7WmN2bRc9dLf"}
    assert str(export.where("Environment.MAILER_TOKEN")) == "infra/reports.py:14"
    assert "Environment" not in export.unresolved
    assert health.environment == {} and "Environment" not in health.unresolved   # `environment=None`
    assert _secrets(tmp_path) == [("infra/reports.py", 14)]


def test_a_kwargs_helper_of_the_same_module_gives_each_function_the_environment_its_call_passes(tmp_path):
    _write(tmp_path, {"infra/ingest.py": KWARGS_STACK})
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert functions["Ingest"].environment == {"JOBS_QUEUE": ResourceRef("cdk", "infra/ingest.py#jobs"),
                                               "STAGE": "prod"}
    assert str(functions["Ingest"].where("Environment.STAGE")) == "infra/ingest.py:9"
    assert functions["Audit"].environment == {}
    assert not functions["Ingest"].unresolved.get("Environment")


def test_a_same_module_helper_with_an_environment_parameter_reads_each_calls_dict(tmp_path):
    stack = KWARGS_STACK.replace("def build_function(self, fn_id, **kwargs):",
                                 "def build_function(self, fn_id, handler, environment=None, **kwargs):") \
        .replace("return _lambda.Function(self, fn_id, **kwargs)",
                 "return _lambda.Function(self, fn_id, handler=handler, environment=environment, **kwargs)")
    _write(tmp_path, {"infra/ingest.py": stack})
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert functions["Ingest"].environment["STAGE"] == "prod"
    assert "Environment" not in functions["Ingest"].unresolved
    assert "Environment" not in functions["Audit"].unresolved and functions["Audit"].environment == {}
