"""A handler's bare import of a package of the repository's own npm, Yarn or pnpm workspace (in the
shape of distributed-load-testing-on-aws, whose root package.json lists `source/common` among its
workspaces and whose handlers import `@amzn/dlt-common`): the import loads the member's `main`, so
the shared code is read with the handler, and a change to it brings the function into a review."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.javascript_aliases import aliased_module
from reviewer.code.javascript_program import load_program
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _found(root: Path, importer: str, specifier: str) -> str | None:
    workspace = Workspace(root)

    def resolve(base: str) -> str | None:
        for candidate in (base, base + ".ts", base + "/index.ts"):
            if workspace.exists(candidate) and not workspace.is_dir(candidate):
                return candidate
        return None

    return aliased_module(workspace, importer, specifier, resolve, {})


_NPM = {
    "package.json": '{"name": "load-testing", "private": true,\n'
                    ' "workspaces": ["source/shared", "source/handlers/*", "!source/handlers/legacy"]}',
    "source/shared/package.json": '{"name": "@acme/load-shared", "main": "src/index.ts"}',
    "source/shared/src/index.ts": "export * from './runs';\n",
    "source/shared/src/runs.ts": "export const RUNS_TABLE = 'runs';\n",
    "source/shared/src/clock.ts": "export const now = () => Date.now();\n",
    "source/handlers/runner/package.json": '{"name": "runner", "dependencies": {"@acme/load-shared": "*"}}',
    "source/handlers/runner/src/index.ts": "import { RUNS_TABLE } from '@acme/load-shared';\n"
                                           "export const handler = async () => RUNS_TABLE;\n",
    "source/handlers/poller/package.json": '{"name": "@acme/poller"}',
    "source/handlers/poller/index.ts": "export const poll = 1;\n",
}


def test_a_workspace_package_is_its_main_and_a_subpath_its_file(tmp_path: Path) -> None:
    _write(tmp_path, _NPM)
    importer = "source/handlers/runner/src/index.ts"
    assert _found(tmp_path, importer, "@acme/load-shared") == "source/shared/src/index.ts"
    assert _found(tmp_path, importer, "@acme/load-shared/src/clock") == "source/shared/src/clock.ts"
    assert _found(tmp_path, importer, "@acme/poller") == "source/handlers/poller/index.ts"   # `source/handlers/*`
    assert _found(tmp_path, importer, "@aws-sdk/client-dynamodb") is None                  # from the registry


def test_a_pnpm_workspace_is_read_from_its_yaml(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pnpm-workspace.yaml": "packages:\n  - 'libs/*'\n  - handlers/orders\n",
        "libs/events/package.json": '{"name": "@shop/events"}',
        "libs/events/src/index.ts": "export const ORDER_PLACED = 'placed';\n",
        "handlers/orders/package.json": '{"name": "orders"}',
        "handlers/orders/app.ts": "import { ORDER_PLACED } from '@shop/events';\n",
    })
    assert _found(tmp_path, "handlers/orders/app.ts", "@shop/events") == "libs/events/src/index.ts"


def test_no_workspace_no_package(tmp_path: Path) -> None:
    _write(tmp_path, {
        "package.json": '{"name": "single"}',
        "shared/package.json": '{"name": "@acme/load-shared", "main": "index.ts"}',
        "shared/index.ts": "",
        "src/handler.ts": "",
    })
    assert _found(tmp_path, "src/handler.ts", "@acme/load-shared") is None


def test_a_handlers_program_reads_the_shared_package(tmp_path: Path) -> None:
    _write(tmp_path, _NPM)
    program = load_program(Workspace(tmp_path), "source/handlers/runner/src/index.ts", "handler")
    assert list(program.files) == ["source/handlers/runner/src/index.ts", "source/shared/src/index.ts",
                                   "source/shared/src/runs.ts"]
