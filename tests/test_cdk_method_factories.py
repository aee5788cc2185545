"""CDK apps that make their functions through a factory object's method (`cdk/class_factories.py`'s
`method_factory`, `cdk/method_factories.py`): each call through a name typed as the factory's class
or its base is one function, named by the caller's id, with what the caller passes."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_FACTORIES = (
    "import { PythonFunction, PythonFunctionProps } from '@aws-cdk/aws-lambda-python-alpha';\n"
    "import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';\n"
    "import { Construct } from 'constructs';\n"
    "import * as path from 'path';\n"
    "\n"
    "export interface JobProps extends Omit<PythonFunctionProps, 'entry' | 'runtime'> {\n"
    "  readonly index: string;\n"
    "  readonly handler: string;\n"
    "}\n"
    "\n"
    "export abstract class JobFactory {\n"
    "  abstract makeJob(scope: Construct, id: string, props: JobProps): LambdaFunction;\n"
    "}\n"
    "\n"
    "export class PythonJobFactory extends JobFactory {\n"
    "  override makeJob(scope: Construct, id: string, props: JobProps): LambdaFunction {\n"
    "    const job = new PythonFunction(scope, id, {\n"
    "      entry: path.join(__dirname, '..', 'jobs'),\n"
    "      runtime: Runtime.PYTHON_3_12,\n"
    "      ...props,\n"
    "    });\n"
    "    return job;\n"
    "  }\n"
    "}\n"
    "\n"
    "export class StubJobFactory extends JobFactory {\n"
    "  override makeJob(scope: Construct, id: string, props: JobProps): LambdaFunction {\n"
    "    return new LambdaFunction(scope, id, {\n"
    "      code: Code.fromAsset(path.join(__dirname, '..', 'test', 'stub')),\n"
    "      runtime: Runtime.PYTHON_3_11,\n"
    "      ...props,\n"
    "    });\n"
    "  }\n"
    "}\n"
)


def _app(root: Path) -> None:
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    for folder in ("lib", "bin", "test", "jobs/cleanup", "test/stub"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "jobs" / "cleanup" / "__init__.py").write_text("")
    (root / "jobs" / "cleanup" / "sweep.py").write_text("def run(event, context):\n    return event\n")
    (root / "jobs" / "report.py").write_text("def handler(event, context):\n    return event\n")
    (root / "lib" / "job-factory.ts").write_text(_FACTORIES)
    (root / "lib" / "cleanup.ts").write_text(
        "import { Duration } from 'aws-cdk-lib';\n"
        "import { Construct } from 'constructs';\n"
        "import { JobFactory } from './job-factory';\n"
        "\n"
        "export interface CleanupProps {\n"
        "  readonly factory: JobFactory;\n"
        "}\n"
        "\n"
        "export class Cleanup extends Construct {\n"
        "  constructor(scope: Construct, id: string, props: CleanupProps) {\n"
        "    super(scope, id);\n"
        "    props.factory.makeJob(this, 'SweepJob', {\n"
        "      index: 'cleanup/sweep.py',\n"
        "      handler: 'run',\n"
        "      timeout: Duration.minutes(5),\n"
        "    });\n"
        "    props.factory.makeJob(this, 'ReportJob', { index: 'report.py', handler: 'handler' });\n"
        "  }\n"
        "}\n")
    (root / "lib" / "stack.ts").write_text(
        "import { Stack, StackProps } from 'aws-cdk-lib';\n"
        "import { Construct } from 'constructs';\n"
        "import { Cleanup } from './cleanup';\n"
        "import { JobFactory, PythonJobFactory } from './job-factory';\n"
        "\n"
        "export interface JobsStackProps extends StackProps {\n"
        "  readonly factory?: JobFactory;\n"
        "}\n"
        "\n"
        "export class JobsStack extends Stack {\n"
        "  constructor(scope: Construct, id: string, props: JobsStackProps = {}) {\n"
        "    super(scope, id, props);\n"
        "    const factory = props.factory ?? new PythonJobFactory();\n"
        "    new Cleanup(this, 'Cleanup', { factory });\n"
        "  }\n"
        "}\n")
    (root / "test" / "stack.test.ts").write_text(
        "import { App } from 'aws-cdk-lib';\n"
        "import { StubJobFactory } from '../lib/job-factory';\n"
        "import { JobsStack } from '../lib/stack';\n"
        "\n"
        "test('synth', () => {\n"
        "  new JobsStack(new App(), 'Jobs', { factory: new StubJobFactory() });\n"
        "});\n")


def test_each_call_through_the_factorys_base_type_is_one_function_of_the_factory_the_app_makes(
        tmp_path: Path) -> None:
    _app(tmp_path)
    found = {fn.name: (str(fn.location), fn.runtime, fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {
        "SweepJob": ("lib/cleanup.ts:12", "python3.12", "cleanup.sweep.run", "jobs"),
        "ReportJob": ("lib/cleanup.ts:17", "python3.12", "report.handler", "jobs"),
    }


def test_a_call_through_a_name_typed_as_a_factory_made_by_several_deployed_classes_is_left_out(
        tmp_path: Path) -> None:
    _app(tmp_path)
    stack = tmp_path / "lib" / "stack.ts"
    stack.write_text(stack.read_text().replace(
        "new PythonJobFactory()", "(process.env.STUB ? new StubJobFactory() : new PythonJobFactory())").replace(
        "{ JobFactory, PythonJobFactory }", "{ JobFactory, PythonJobFactory, StubJobFactory }"))
    names = sorted(fn.name for fn in build_inventory(Workspace(tmp_path)).functions)
    assert "SweepJob" not in names and "ReportJob" not in names
    assert len(names) == 2   # each class's construct, as written: which one a call runs is not known


def test_a_factory_held_in_a_variable_made_with_new_is_called_through_it(tmp_path: Path) -> None:
    _app(tmp_path)
    (tmp_path / "lib" / "cleanup.ts").unlink()
    (tmp_path / "lib" / "stack.ts").write_text(
        "import { Stack } from 'aws-cdk-lib';\n"
        "import { Construct } from 'constructs';\n"
        "import * as jobs from './job-factory';\n"
        "\n"
        "export class JobsStack extends Stack {\n"
        "  constructor(scope: Construct, id: string) {\n"
        "    super(scope, id);\n"
        "    const factory = new jobs.PythonJobFactory();\n"
        "    factory.makeJob(this, 'ReportJob', { index: 'report.py', handler: 'handler' });\n"
        "  }\n"
        "}\n")
    found = {fn.name: (str(fn.location), fn.handler, fn.code_path)
             for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {"ReportJob": ("lib/stack.ts:9", "report.handler", "jobs")}


def test_a_python_function_helper_joins_its_callers_handler_to_its_own_index(tmp_path: Path) -> None:
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def main(event, context):\n    return event\n")
    (tmp_path / "lib" / "make.ts").write_text(
        "import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';\n"
        "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
        "import { Construct } from 'constructs';\n"
        "\n"
        "export function makePython(scope: Construct, id: string, handler: string) {\n"
        "  return new PythonFunction(scope, id, {\n"
        "    entry: 'src', index: 'app.py', handler, runtime: Runtime.PYTHON_3_12,\n"
        "  });\n"
        "}\n")
    (tmp_path / "lib" / "stack.ts").write_text(
        "import { Stack } from 'aws-cdk-lib';\n"
        "import { makePython } from './make';\n"
        "\n"
        "export class Api extends Stack {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id);\n"
        "    makePython(this, 'Main', 'main');\n"
        "  }\n"
        "}\n")
    found = {fn.name: (fn.handler, fn.code_path) for fn in build_inventory(Workspace(tmp_path)).functions}
    assert found == {"Main": ("app.main", "src")}
