"""A helper's own construct is no function when nothing the review reads makes it
(`cdk/uncalled_helpers.py`): an exported TypeScript helper no file of the app calls, and a helper
class of a package the app installs that the app only subclasses (an LR904 notice at the subclass)."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.inventory.cdk.uncalled_helpers import mentions
from reviewer.workspace import Workspace

# An exported helper left in a shared folder of the app; the stacks make no function with it.
FACTORY = (
    "import { Duration } from 'aws-cdk-lib';\n"
    "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
    "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n"
    "import { IRole } from 'aws-cdk-lib/aws-iam';\n"
    "import { Construct } from 'constructs';\n"
    "\n"
    "export interface HandlerSettings {\n"
    "  name: string;\n"
    "  folder: string;\n"
    "  role: IRole;\n"
    "}\n"
    "\n"
    "export const makeHandler = (scope: Construct, settings: HandlerSettings, stage: string): NodejsFunction => {\n"
    "  return new NodejsFunction(scope, settings.name, {\n"
    "    runtime: Runtime.NODEJS_18_X,\n"
    "    timeout: Duration.seconds(10),\n"
    "    bundling: { minify: stage === 'prod' },\n"
    "    entry: `src/handlers/${settings.folder}/main.ts`,\n"
    "    role: settings.role,\n"
    "  });\n"
    "};\n")

TABLE_STACK = (
    "import { Stack, StackProps } from 'aws-cdk-lib';\n"
    "import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';\n"
    "import { Construct } from 'constructs';\n"
    "\n"
    "export class ArticlesTable extends Stack {\n"
    "  constructor(scope: Construct, id: string, props?: StackProps) {\n"
    "    super(scope, id, props);\n"
    "    new Table(this, 'Articles', { partitionKey: { name: 'id', type: AttributeType.STRING } });\n"
    "  }\n"
    "}\n")

APP = (
    "import { App } from 'aws-cdk-lib';\n"
    "import { ArticlesTable } from './stacks/articles-table';\n"
    "\n"
    "const app = new App();\n"
    "new ArticlesTable(app, 'ArticlesTable');\n")

# A construct of the app that calls the helper while importing only `constructs`.
API_CONSTRUCT = (
    "import { Construct } from 'constructs';\n"
    "import { makeHandler } from '../shared/make-handler';\n"
    "\n"
    "export class ArticlesApi extends Construct {\n"
    "  constructor(scope: Construct, id: string, role: any) {\n"
    "    super(scope, id);\n"
    "    makeHandler(this, { name: 'listArticles', folder: 'list', role }, 'dev');\n"
    "  }\n"
    "}\n")


def _script_app(root: Path, extra: dict[str, str]) -> None:
    files = {
        "infra/cdk.json": "{\"app\": \"npx ts-node src/app.ts\"}",
        "infra/src/app.ts": APP,
        "infra/src/stacks/articles-table.ts": TABLE_STACK,
        "infra/src/shared/make-handler.ts": FACTORY,
        **extra,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def test_an_exported_helper_no_file_of_the_app_calls_makes_no_function(tmp_path):
    _script_app(tmp_path, {})
    result = build_inventory(Workspace(tmp_path))
    assert [fn.name for fn in result.functions] == []
    assert not [n for n in result.notices if n.path == "infra/src/shared/make-handler.ts"]


def test_a_helper_called_from_a_file_that_names_no_cdk_package_stays_listed(tmp_path):
    """The call is not read (its file imports only `constructs`), but the helper is called: its
    construct stays listed as written rather than the app showing no function."""
    _script_app(tmp_path, {"infra/src/constructs/articles-api.ts": API_CONSTRUCT})
    names = [fn.name for fn in build_inventory(Workspace(tmp_path)).functions]
    assert len(names) == 1 and names[0].startswith("NodejsFunction at infra/src/shared/make-handler.ts")


def test_a_helper_its_own_module_uses_stays_listed(tmp_path):
    own_use = FACTORY + "\nexport const makeDefault = (scope: Construct, role: IRole) =>\n" \
                        "  makeHandler(scope, { name: 'fallback', folder: 'fallback', role }, 'dev');\n"
    _script_app(tmp_path, {"infra/src/shared/make-handler.ts": own_use})
    assert build_inventory(Workspace(tmp_path)).functions


def test_a_default_export_is_left_alone(tmp_path):
    default = FACTORY.replace("export const makeHandler", "const makeHandler") + "export default makeHandler;\n"
    _script_app(tmp_path, {"infra/src/shared/make-handler.ts": default})
    assert build_inventory(Workspace(tmp_path)).functions


# A solution's helper package, installed from a folder of the repository, whose function class
# defaults to an old runtime; the app only subclasses it, each subclass choosing its own settings.
SOLUTION_FUNCTION = (
    "from pathlib import Path\n"
    "\n"
    "from aws_cdk.aws_lambda import Code, Function, Runtime\n"
    "from constructs import Construct\n"
    "\n"
    "FALLBACK = Runtime.PYTHON_3_7\n"
    "\n"
    "\n"
    "class KitPythonFunction(Function):\n"
    "    def __init__(self, scope: Construct, construct_id: str, entrypoint: Path, function: str, **kwargs):\n"
    "        if not kwargs.get(\"runtime\"):\n"
    "            kwargs[\"runtime\"] = FALLBACK\n"
    "        kwargs[\"handler\"] = f\"{entrypoint.stem}.{function}\"\n"
    "        kwargs[\"code\"] = Code.from_asset(str(entrypoint.parent))\n"
    "        super().__init__(scope, construct_id, **kwargs)\n")

UPLOAD_HANDLER = (
    "from pathlib import Path\n"
    "\n"
    "from aws_cdk.aws_lambda import Runtime, RuntimeFamily\n"
    "\n"
    "from solution_kit.cdk.lambdas.python_function import KitPythonFunction\n"
    "\n"
    "\n"
    "class UploadListener(KitPythonFunction):\n"
    "    def __init__(self, scope, construct_id, machine, **kwargs):\n"
    "        entrypoint = Path(__file__).absolute().parents[3] / \"lambdas\" / \"upload\" / \"listener.py\"\n"
    "        kwargs[\"runtime\"] = Runtime(\"python3.12\", RuntimeFamily.PYTHON)\n"
    "        super().__init__(scope, construct_id, entrypoint, \"on_upload\", **kwargs)\n"
    "        machine.grant_start_execution(self)\n")

SOLUTION_STACK = (
    "from aws_cdk import Stack\n"
    "from aws_cdk.aws_stepfunctions import Pass, StateMachine, DefinitionBody\n"
    "\n"
    "from planner.functions.upload import UploadListener\n"
    "\n"
    "\n"
    "class PlannerStack(Stack):\n"
    "    def __init__(self, scope, construct_id, **kwargs):\n"
    "        super().__init__(scope, construct_id, **kwargs)\n"
    "        machine = StateMachine(self, \"Plan\", definition_body=DefinitionBody.from_chainable(Pass(self, \"Go\")))\n"
    "        UploadListener(self, \"UploadListener\", machine=machine)\n")


def test_a_solution_helper_the_app_only_subclasses_is_no_function_of_its_own(tmp_path):
    files = {
        "source/requirements-build.txt": "-e solution_kit_py/helpers_cdk\n",
        "source/solution_kit_py/helpers_cdk/solution_kit/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/lambdas/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/lambdas/python_function.py": SOLUTION_FUNCTION,
        "source/infrastructure/cdk.json": "{\"app\": \"python3 deploy.py\"}",
        "source/infrastructure/planner/__init__.py": "",
        "source/infrastructure/planner/stack.py": SOLUTION_STACK,
        "source/infrastructure/planner/functions/__init__.py": "",
        "source/infrastructure/planner/functions/upload.py": UPLOAD_HANDLER,
        "source/lambdas/upload/listener.py": "def on_upload(event, context):\n    return event\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = build_inventory(Workspace(tmp_path))
    assert result.functions == []
    assert [(n.rule_id, n.path, n.line) for n in result.notices if n.rule_id == "LR904"] == [
        ("LR904", "source/infrastructure/planner/functions/upload.py", 8)]


def test_mentions_counts_whole_names_only():
    text = "makeHandler(makeHandlerFor, _makeHandler, $makeHandler) makeHandler"
    assert mentions(text, "makeHandler") == 2
    assert mentions(text, "makeHandler", 1) == 1
    assert mentions("nothing here", "makeHandler") == 0


# The package's step construct makes its function with the helper, through a nested subclass of
# it; the app's notification step subclasses the step (improving-forecast's `Notifications(SolutionStep)`).
SOLUTION_STEP = (
    "from aws_cdk.aws_lambda import Runtime, RuntimeFamily\n"
    "from constructs import Construct\n"
    "\n"
    "from solution_kit.cdk.lambdas.python_function import KitPythonFunction\n"
    "\n"
    "\n"
    "class KitStep(Construct):\n"
    "    def __init__(self, scope, construct_id, function=\"handler\", entrypoint=None, **kwargs):\n"
    "        super().__init__(scope, f\"{construct_id} Step\")\n"
    "        self.function = self._StepFunction(self, \"fn\", entrypoint=entrypoint, function=function, **kwargs)\n"
    "\n"
    "    class _StepFunction(KitPythonFunction):\n"
    "        def __init__(self, scope, construct_id, **kwargs):\n"
    "            entrypoint = kwargs.pop(\"entrypoint\")\n"
    "            function = kwargs.pop(\"function\")\n"
    "            kwargs[\"runtime\"] = Runtime(\"python3.12\", RuntimeFamily.PYTHON)\n"
    "            super().__init__(scope, construct_id, entrypoint, function, **kwargs)\n")

NOTIFY_STEP = (
    "from pathlib import Path\n"
    "\n"
    "from aws_cdk.aws_sns import Topic\n"
    "\n"
    "from solution_kit.cdk.steps.kit_step import KitStep\n"
    "\n"
    "\n"
    "class NotifyStep(KitStep):\n"
    "    def __init__(self, scope, construct_id, topic: Topic, **kwargs):\n"
    "        entrypoint = Path(__file__).absolute().parents[3] / \"lambdas\" / \"notify\" / \"handler.py\"\n"
    "        super().__init__(scope, construct_id, function=\"notify\", entrypoint=entrypoint, **kwargs)\n")


def test_an_app_subclass_of_a_package_class_making_its_function_with_the_helper_is_named(tmp_path):
    files = {
        "source/requirements-build.txt": "-e solution_kit_py/helpers_cdk\n",
        "source/solution_kit_py/helpers_cdk/solution_kit/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/lambdas/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/lambdas/python_function.py": SOLUTION_FUNCTION,
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/steps/__init__.py": "",
        "source/solution_kit_py/helpers_cdk/solution_kit/cdk/steps/kit_step.py": SOLUTION_STEP,
        "source/infrastructure/cdk.json": "{\"app\": \"python3 deploy.py\"}",
        "source/infrastructure/planner/__init__.py": "",
        "source/infrastructure/planner/stack.py": SOLUTION_STACK,
        "source/infrastructure/planner/functions/__init__.py": "",
        "source/infrastructure/planner/functions/upload.py": UPLOAD_HANDLER,
        "source/infrastructure/planner/functions/notify.py": NOTIFY_STEP,
        "source/lambdas/upload/listener.py": "def on_upload(event, context):\n    return event\n",
        "source/lambdas/notify/handler.py": "def notify(event, context):\n    return event\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = build_inventory(Workspace(tmp_path))
    assert result.functions == []
    assert sorted((n.path, n.line) for n in result.notices if n.rule_id == "LR904") == [
        ("source/infrastructure/planner/functions/notify.py", 8),
        ("source/infrastructure/planner/functions/upload.py", 8)]
