"""A Python CDK helper class kept in a package of the repository that the app installs from a path
(AWS Solutions' `cdk_solution_helper_py`), whose function's handler is made from the file its
caller names (`kwargs["handler"] = f"{entrypoint.stem}.{function}"`): each call is one function
with the handler `<file's module>.<function>`, the code the file's folder, and the runtime the call
passes or the helper's default; neither the helper's own construct nor a construct of the
installed package no app uses is a function (`cdk/python_entrypoints.py`,
`cdk/python_path_dependencies.py`)."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

HELPER = (
    "from pathlib import Path\n"
    "\n"
    "from aws_cdk.aws_lambda import Code, Function, Runtime\n"
    "from constructs import Construct\n"
    "\n"
    "FALLBACK_RUNTIME = Runtime.PYTHON_3_11\n"
    "\n"
    "\n"
    "class PackagedPythonFunction(Function):\n"
    "    \"\"\"Bundles the entry file's folder.\"\"\"\n"
    "\n"
    "    def __init__(self, scope: Construct, construct_id: str, entrypoint: Path, function: str, **kwargs):\n"
    "        self.folder = entrypoint.parent\n"
    "        if not kwargs.get(\"runtime\"):\n"
    "            kwargs[\"runtime\"] = FALLBACK_RUNTIME\n"
    "        if kwargs.get(\"handler\"):\n"
    "            raise ValueError(\"pass entrypoint and function instead of handler\")\n"
    "        else:\n"
    "            kwargs[\"handler\"] = f\"{entrypoint.stem}.{function}\"\n"
    "        kwargs[\"code\"] = Code.from_asset(str(self.folder))\n"
    "        super().__init__(scope, construct_id, **kwargs)\n")

# A helper class of the installed package no module of the app names: none of the app's functions.
JAVA_HELPER = (
    "from aws_cdk.aws_lambda import Code, Function, Runtime\n"
    "\n"
    "\n"
    "class PackagedJavaFunction(Function):\n"
    "    def __init__(self, scope, construct_id, jar, **kwargs):\n"
    "        kwargs.setdefault(\"runtime\", Runtime.JAVA_11)\n"
    "        super().__init__(scope, construct_id, code=Code.from_asset(jar), **kwargs)\n")

# A construct of the installed package itself: a function only for an app that uses it.
LIBRARY_CONSTRUCT = (
    "from pathlib import Path\n"
    "\n"
    "from constructs import Construct\n"
    "\n"
    "from acme_kit.cdk.python_function import PackagedPythonFunction\n"
    "\n"
    "\n"
    "class UsageReporter(Construct):\n"
    "    def __init__(self, scope, construct_id):\n"
    "        super().__init__(scope, construct_id)\n"
    "        PackagedPythonFunction(self, \"Reporter\", entrypoint=Path(__file__).parent / \"src\" / \"usage.py\",\n"
    "                               function=\"handler\")\n")

PATHS = (
    "from pathlib import Path\n"
    "\n"
    "FUNCTIONS_PATH = Path(__file__).absolute().parents[1] / \"functions\"\n")

STACK = (
    "from pathlib import Path\n"
    "\n"
    "from aws_cdk import Stack, aws_lambda\n"
    "from acme_kit.cdk.python_function import PackagedPythonFunction\n"
    "from ingest.paths import FUNCTIONS_PATH\n"
    "import ingest.paths as paths\n"
    "\n"
    "\n"
    "class IngestStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        PackagedPythonFunction(\n"
    "            self,\n"
    "            \"Loader\",\n"
    "            FUNCTIONS_PATH / \"loader\" / \"load_batch.py\",\n"
    "            \"event_handler\",\n"
    "            runtime=aws_lambda.Runtime.PYTHON_3_12,\n"
    "        )\n"
    "        PackagedPythonFunction(self, \"Summary\",\n"
    "                               entrypoint=Path(__file__).parent.parent / \"reports\" / \"summarize.py\",\n"
    "                               function=\"handler\")\n"
    "        PackagedPythonFunction(self, \"Purge\", paths.FUNCTIONS_PATH / \"purge\" / \"purge_old.py\", \"on_event\")\n")


def _write(root: Path, dependency: dict[str, str]) -> None:
    files = {
        "source/helpers/cdk_kit/acme_kit/__init__.py": "",
        "source/helpers/cdk_kit/acme_kit/cdk/__init__.py": "",
        "source/helpers/cdk_kit/acme_kit/cdk/python_function.py": HELPER,
        "source/helpers/cdk_kit/acme_kit/cdk/java_function.py": JAVA_HELPER,
        "source/helpers/cdk_kit/acme_kit/cdk/usage/reporter.py": LIBRARY_CONSTRUCT,
        "source/helpers/cdk_kit/acme_kit/cdk/usage/src/usage.py": "def handler(event, context):\n    return {}\n",
        "source/infrastructure/cdk.json": "{\"app\": \"python3 app.py\"}",
        "source/infrastructure/ingest/__init__.py": "",
        "source/infrastructure/ingest/paths.py": PATHS,
        "source/infrastructure/ingest/stack.py": STACK,
        "source/infrastructure/functions/loader/load_batch.py": "def event_handler(event, context):\n    return 1\n",
        "source/infrastructure/functions/purge/purge_old.py": "def on_event(event, context):\n    return 1\n",
        "source/infrastructure/reports/summarize.py": "def handler(event, context):\n    return 1\n",
        **dependency,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _functions(root: Path) -> dict[str, tuple]:
    result = build_inventory(Workspace(root))
    return {fn.name: (f"{fn.location.path}:{fn.location.line}", fn.runtime, fn.handler, fn.code_path)
            for fn in result.functions}


EXPECTED = {
    "Loader": ("source/infrastructure/ingest/stack.py:12", "python3.12", "load_batch.event_handler",
               "source/infrastructure/functions/loader"),
    "Summary": ("source/infrastructure/ingest/stack.py:19", "python3.11", "summarize.handler",
                "source/infrastructure/reports"),
    "Purge": ("source/infrastructure/ingest/stack.py:22", "python3.11", "purge_old.on_event",
              "source/infrastructure/functions/purge"),
}


def test_a_helper_installed_from_a_poetry_path_dependency_makes_one_function_per_call(tmp_path):
    """The helper's module is found through `source/pyproject.toml`'s path dependency; each call's
    handler is its file's module and function, its code the file's folder (through a path constant
    of another module of the app, imported by name or through its module, or `Path(__file__)`
    arithmetic), its runtime the call's or the helper's default."""
    _write(tmp_path, {"source/pyproject.toml": (
        "[tool.poetry]\nname = \"ingest\"\nversion = \"1.0.0\"\n\n"
        "[tool.poetry.dependencies]\npython = \"^3.11\"\n"
        "acme-kit = {path = \"helpers/cdk_kit\", develop = true}\n")})
    assert _functions(tmp_path) == EXPECTED


def test_a_helper_installed_from_an_editable_requirement(tmp_path):
    """`-e helpers/cdk_kit` in the requirements file beside the app's parent folder does the same."""
    _write(tmp_path, {"source/requirements-dev.txt": "aws-cdk-lib==2.150.0\n-e helpers/cdk_kit\n"})
    assert _functions(tmp_path) == EXPECTED


SAME_MODULE = (
    "from pathlib import Path\n"
    "\n"
    "from aws_cdk import Stack, aws_lambda\n"
    "\n"
    "HERE = Path(__file__).parent\n"
    "\n"
    "\n"
    "class EntryFunction(aws_lambda.Function):\n"
    "    def __init__(self, scope, construct_id, entrypoint, function, **kwargs):\n"
    "        kwargs[\"handler\"] = f\"{entrypoint.stem}.{function}\"\n"
    "        kwargs[\"code\"] = aws_lambda.Code.from_asset(str(entrypoint.parent))\n"
    "        super().__init__(scope, construct_id, runtime=aws_lambda.Runtime.PYTHON_3_13, **kwargs)\n"
    "\n"
    "\n"
    "class JobsStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        EntryFunction(self, \"Nightly\", HERE / \"jobs\" / \"nightly.py\", \"run\")\n")


def test_a_helper_class_called_in_its_own_module(tmp_path):
    """Called in the module that writes it, the class's calls are read there the same way."""
    (tmp_path / "cdk.json").write_text("{}")
    (tmp_path / "infra" / "jobs").mkdir(parents=True)
    (tmp_path / "infra" / "stack.py").write_text(SAME_MODULE)
    (tmp_path / "infra" / "jobs" / "nightly.py").write_text("def run(event, context):\n    return 1\n")
    assert _functions(tmp_path) == {
        "Nightly": ("infra/stack.py:18", "python3.13", "nightly.run", "infra/jobs"),
    }


ROLE_STACK = (
    "from aws_cdk import Stack, aws_iam as iam, aws_lambda\n"
    "from acme_kit.cdk.python_function import PackagedPythonFunction\n"
    "from ingest.paths import FUNCTIONS_PATH\n"
    "\n"
    "\n"
    "class CleanupStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        cleanup_role = iam.Role(\n"
    "            self, \"CleanupRole\",\n"
    "            assumed_by=iam.ServicePrincipal(\"lambda.amazonaws.com\"),\n"
    "            inline_policies={\"Interfaces\": iam.PolicyDocument(statements=[\n"
    "                iam.PolicyStatement(actions=[\"ec2:DetachNetworkInterface\"], resources=[\"*\"]),\n"
    "            ])},\n"
    "        )\n"
    "        PackagedPythonFunction(self, \"Cleanup\", FUNCTIONS_PATH / \"purge\" / \"purge_old.py\", \"on_event\",\n"
    "                               runtime=aws_lambda.Runtime.PYTHON_3_12, role=cleanup_role)\n")


def test_what_the_calling_file_gives_the_construct_stays_with_the_function(tmp_path):
    """The role the call passes, with its inline statements, read by the calling file, is the made
    function's: its statements are still checked (LR301)."""
    _write(tmp_path, {"source/requirements.txt": "-e helpers/cdk_kit\n",
                      "source/infrastructure/ingest/cleanup.py": ROLE_STACK})
    result = build_inventory(Workspace(tmp_path))
    cleanup = next(fn for fn in result.functions if fn.name == "Cleanup")
    assert (cleanup.handler, cleanup.code_path) == ("purge_old.on_event", "source/infrastructure/functions/purge")
    assert [s.actions for s in cleanup.policy_statements] == [("ec2:DetachNetworkInterface",)]


def test_a_helper_of_the_installed_package_the_app_only_subclasses_is_a_notice_at_the_subclass(tmp_path):
    """The app subclasses the package's helper (`class Builder(PackagedJavaFunction)`), whose
    calls are not followed: the helper's own construct deploys nothing, so it is not listed with
    its defaults; an LR904 notice at the subclass says its functions are not read."""
    _write(tmp_path, {"source/requirements.txt": "-e helpers/cdk_kit\n",
                      "source/infrastructure/ingest/builder.py": (
                          "from aws_cdk import Duration\nfrom acme_kit.cdk.java_function import PackagedJavaFunction\n\n\n"
                          "class Builder(PackagedJavaFunction):\n"
                          "    def __init__(self, scope, construct_id, **kwargs):\n"
                          "        super().__init__(scope, construct_id, \"build/builder.jar\", timeout=Duration.minutes(1), **kwargs)\n")})
    result = build_inventory(Workspace(tmp_path))
    assert "PackagedJavaFunction" not in {fn.name for fn in result.functions}
    assert [(n.rule_id, n.path, n.line) for n in result.notices if n.rule_id == "LR904"] == [
        ("LR904", "source/infrastructure/ingest/builder.py", 5)]
