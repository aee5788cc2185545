"""A pull request that edits only the TypeScript source of a function deployed from build output
not in the repository brings that function into the review, as it brings one whose code folder it
edits: the source folder its package's tsconfig compiles into the build folder, and the modules
its handler imports from outside it (a shared layer's sources), are the code the review reads.

Shaped like a CDK app whose construct helper deploys `runtime/<entry>/dist/<entry>/src` (compiled
in CI, never committed) for two functions, whose handlers import a shared layer's sources by a
relative path, and like a Serverless service whose handler is `.out/handlers/main.handler`. The
pull requests are real commits reviewed by the real pipeline.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from scenario import git

from reviewer.analyzers.interface import AnalysisContext, ChangeFocus
from reviewer.cli import main
from reviewer.config import Settings
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

RUNTIME_FUNCTION = """\
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as path from 'path';

export interface RuntimeFunctionProps {
  entry: string;
  handler: string;
}

export class RuntimeFunction extends Construct {
  public readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: RuntimeFunctionProps) {
    super(scope, id);
    this.fn = new lambda.Function(this, 'runtime-function', {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'runtime', props.entry, 'dist', props.entry, 'src')),
      handler: props.handler,
      runtime: lambda.Runtime.NODEJS_22_X,
    });
  }
}
"""

DELIVERY_STACK = """\
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RuntimeFunction } from '../constructs/runtime-function';

export class DeliveryStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new RuntimeFunction(this, 'Courier', { entry: 'courier', handler: 'handler.handler' });
    new RuntimeFunction(this, 'Ledger', { entry: 'ledger', handler: 'handler.handler' });
  }
}
"""

TSCONFIG = '{"compilerOptions": {"module": "commonjs", "outDir": "./dist"}}\n'

COURIER = """\
import { execSync } from 'child_process';
import { parcelIds } from '../../layers/common/src/parcels';

export const handler = async (event: { Records: { body: string }[] }): Promise<number> => {
  return parcelIds(event.Records).length;
};
"""

LEDGER = """\
export const handler = async (event: { total: number }): Promise<number> => event.total;
"""

PARCELS = """\
export const parcelIds = (records: { body: string }[]): string[] => records.map((record) => record.body);
"""

CDK_FILES = {
    "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
    "lib/constructs/runtime-function.ts": RUNTIME_FUNCTION,
    "lib/stacks/delivery-stack.ts": DELIVERY_STACK,
    "runtime/courier/tsconfig.json": TSCONFIG,
    "runtime/courier/src/handler.ts": COURIER,
    "runtime/ledger/tsconfig.json": TSCONFIG,
    "runtime/ledger/src/handler.ts": LEDGER,
    "runtime/layers/common/src/parcels.ts": PARCELS,
    "runtime/layers/common/src/parcels.spec.ts": "import { parcelIds } from './parcels';\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _committed(root: Path, files: dict[str, str], changes: dict[str, str]) -> tuple[str, str]:
    _write(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD").strip()
    _write(root, changes)
    git(root, "commit", "-q", "-am", "head")
    return base, git(root, "rev-parse", "HEAD").strip()


def _review(root: Path, base: str, head: str) -> dict:
    out = io.StringIO()
    code = main(["review", str(root), "--base", base, "--head", head, "--audit", "off", "--format", "json",
                 "--reference-date", "2026-12-07", "--fail-on", "never"], stdout=out, stderr=io.StringIO())
    assert code == 0
    return json.loads(out.getvalue())


def _read_functions(report: dict) -> list[str]:
    return [entry["function"] for entry in report["summary"]["loop_coverage"] if entry["read"]]


def test_a_change_to_the_source_a_cdk_build_output_mirrors_reviews_its_function(tmp_path: Path) -> None:
    logged = COURIER.replace("  return parcelIds", "  execSync(`logger -t courier ${event.Records[0].body}`);\n"
                             "  return parcelIds")
    base, head = _committed(tmp_path, CDK_FILES, {"runtime/courier/src/handler.ts": logged})
    report = _review(tmp_path, base, head)
    assert _read_functions(report) == ["Courier"]
    found = [(finding["rule_id"], finding["function"], finding["new"]) for finding in report["findings"]
             if finding["path"] == "runtime/courier/src/handler.ts"]
    assert found == [("LR306", "Courier", True)]


def test_a_change_to_a_shared_module_reviews_the_functions_whose_handlers_import_it(tmp_path: Path) -> None:
    trimmed = PARCELS.replace("record.body)", "record.body.trim())")
    base, head = _committed(tmp_path, CDK_FILES, {"runtime/layers/common/src/parcels.ts": trimmed})
    assert _read_functions(_review(tmp_path, base, head)) == ["Courier"]


def _focused(root: Path, changed: set[str]) -> list[str]:
    workspace = Workspace(root)
    context = AnalysisContext(workspace, build_inventory(workspace), Settings(), focus=ChangeFocus(frozenset(changed)))
    return [function.name for function in context.focused_functions]


def test_files_no_handler_reads_bring_no_function_in(tmp_path: Path) -> None:
    _write(tmp_path, CDK_FILES)
    assert _focused(tmp_path, {"runtime/layers/common/src/parcels.spec.ts"}) == []
    assert _focused(tmp_path, {"runtime/ledger/src/unused.ts"}) == []
    assert _focused(tmp_path, {"lib/stacks/types.ts"}) == []
    assert _focused(tmp_path, {"runtime/ledger/src/handler.ts"}) == ["Ledger"]


SERVERLESS_FILES = {
    "serverless.yml": (
        "service: courier\n"
        "provider:\n  name: aws\n  runtime: nodejs22.x\n"
        "functions:\n"
        "  courier:\n"
        "    handler: .out/handlers/main.handler\n"
        "    events:\n"
        "      - sqs: arn:aws:sqs:eu-west-1:123456789012:parcels\n"),
    "tsconfig.json": '{"compilerOptions": {"outDir": ".out", "rootDir": "src"}}\n',
    "src/handlers/main.ts": COURIER.replace("../../layers/common/src/parcels", "../lib/parcels"),
    "src/lib/parcels.ts": PARCELS,
}


def test_a_change_to_the_source_of_a_serverless_handler_in_a_build_folder_reviews_its_function(tmp_path: Path) -> None:
    trimmed = PARCELS.replace("record.body)", "record.body.trim())")
    base, head = _committed(tmp_path, SERVERLESS_FILES, {"src/lib/parcels.ts": trimmed})
    assert _read_functions(_review(tmp_path, base, head)) == ["courier"]


def test_lr306_of_a_serverless_handler_in_a_build_folder_is_its_functions(tmp_path: Path) -> None:
    """The untrusted-input check reads the handler where the loop check does (its source, by the
    tsconfig), so the flow is the function's, judged by its trigger, not a handler-shaped file's."""
    logged = SERVERLESS_FILES["src/handlers/main.ts"].replace(
        "  return parcelIds", "  execSync(`logger -t courier ${event.Records[0].body}`);\n  return parcelIds")
    base, head = _committed(tmp_path, SERVERLESS_FILES, {"src/handlers/main.ts": logged})
    found = [(finding["rule_id"], finding["function"], finding["new"]) for finding in _review(tmp_path, base, head)["findings"]
             if finding["path"] == "src/handlers/main.ts"]
    assert found == [("LR306", "courier", True)]


def test_a_cdk_file_of_the_app_is_no_shared_handler_code(tmp_path: Path) -> None:
    """A stack or construct of the app (it imports aws-cdk-lib) is infrastructure no handler
    ships: its change does not have every Node.js function's code read on both sides."""
    from reviewer.code.source_changes import shared_code_changes

    queue = ("import * as sqs from 'aws-cdk-lib/aws-sqs';\nimport { Construct } from 'constructs';\n\n"
             "export class ParcelQueue extends Construct {}\n")
    _write(tmp_path, {**CDK_FILES, "lib/constructs/parcel-queue.ts": queue})
    workspace = Workspace(tmp_path)
    functions = build_inventory(workspace).functions
    changed = {"lib/constructs/parcel-queue.ts", "runtime/layers/common/src/parcels.ts"}
    assert shared_code_changes(workspace, functions, changed) == {"runtime/layers/common/src/parcels.ts"}


# The handler imports the layer by the path Lambda mounts it at; the package's tsconfig maps that
# path to the layer's sources (with the comments and trailing commas tsc accepts), as a layer's
# services are compiled and tested with the function that imports them.
ALIASED_TSCONFIG = """\
{
  "compilerOptions": {
    "module": "commonjs",
    "outDir": "./dist",
    // the layer's sources, at the path Lambda mounts the layer at
    "paths": {
      "/opt/nodejs/src/services": ["./../layers/common/src/services"],
      "/opt/nodejs/src/utils/*": ["../layers/common/src/utils/*"],
    },
  }
}
"""

ALIASED_COURIER = """\
import { dispatch } from '/opt/nodejs/src/services';
import { label } from '/opt/nodejs/src/utils/labels';

export const handler = async (event: { Records: { body: string }[] }): Promise<void> => {
  for (const record of event.Records) {
    dispatch(label(record.body));
  }
};
"""

LAYER_SERVICES = "export * from './dispatch.service';\n"

DISPATCH_SERVICE = """\
import { execSync } from 'child_process';

export const dispatch = (parcel: string): void => {
  execSync(`logger -t courier ${parcel}`);
};
"""

LABELS = "export const label = (body: string): string => body;\n"

ALIASED_FILES = {
    **{rel: text for rel, text in CDK_FILES.items() if not rel.startswith("runtime/layers/")},
    "runtime/courier/tsconfig.json": ALIASED_TSCONFIG,
    "runtime/courier/src/handler.ts": ALIASED_COURIER,
    "runtime/layers/common/src/services/index.ts": LAYER_SERVICES,
    "runtime/layers/common/src/services/dispatch.service.ts": DISPATCH_SERVICE,
    "runtime/layers/common/src/utils/labels.ts": LABELS,
}


def test_a_change_to_a_layer_imported_through_tsconfig_paths_reviews_the_function(tmp_path: Path) -> None:
    """`import ... from '/opt/nodejs/src/services'`, mapped by the package's `paths` to the layer's
    sources: a change there changes what the function runs."""
    _write(tmp_path, ALIASED_FILES)
    assert _focused(tmp_path, {"runtime/layers/common/src/utils/labels.ts"}) == ["Courier"]
    assert _focused(tmp_path, {"runtime/layers/common/src/services/dispatch.service.ts"}) == ["Courier"]
    assert _focused(tmp_path, {"runtime/layers/common/src/services/unused.service.ts"}) == []
