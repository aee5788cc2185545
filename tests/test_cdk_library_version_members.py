"""Which aws-cdk-lib release an example app kept inside a construct library installs: the
library's own lock at the repository's root is not the examples' (a Python example installs from
PyPI, a TypeScript example with a package of its own is no member of the library's workspace),
while a member of a pnpm, npm or Yarn workspace still takes the workspace's lock. Shaped like a
construct library publishing to npm and PyPI with one example app per language."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.inventory.cdk.library_version import LibraryVersion, library_version
from reviewer.workspace import Workspace

ROOT_PNPM_LOCK = """\
lockfileVersion: '9.0'

importers:

  .:
    devDependencies:
      aws-cdk-lib:
        specifier: 2.190.0
        version: 2.190.0(constructs@10.4.2)

packages:

  aws-cdk-lib@2.190.0:
    resolution: {integrity: sha512-AAAA}
"""

WORKSPACE_PNPM_LOCK = ROOT_PNPM_LOCK.replace("""packages:
""", """  apps/portal:
    dependencies:
      aws-cdk-lib:
        specifier: ^2.180.0
        version: 2.190.0(constructs@10.4.2)

packages:
""")

STACK_PY = "import aws_cdk as cdk\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def library(root: Path, lock: str = ROOT_PNPM_LOCK) -> Workspace:
    return Workspace(write(root, {
        "package.json": json.dumps({"name": "@acme/runner-constructs", "devDependencies": {"aws-cdk-lib": "2.190.0"}}),
        "pnpm-lock.yaml": lock,
        "examples/python/selector/cdk.json": '{"app": "python3 app.py"}',
        "examples/python/selector/app.py": STACK_PY,
        "examples/python/selector/requirements.txt": "aws-cdk-lib>=2.155.0\nconstructs>=10.0.5\n",
        "examples/typescript/selector/cdk.json": '{"app": "npx ts-node app.ts"}',
        "examples/typescript/selector/package.json": json.dumps(
            {"name": "selector-example", "dependencies": {"aws-cdk-lib": "^2.0.0"}}),
        "apps/portal/cdk.json": '{"app": "npx ts-node bin/portal.ts"}',
        "apps/portal/package.json": json.dumps({"name": "portal", "dependencies": {"aws-cdk-lib": "^2.180.0"}}),
    }))


def test_a_python_example_takes_its_requirements_not_the_librarys_npm_lock(tmp_path):
    found = library_version(library(tmp_path), "examples/python/selector")
    assert found == LibraryVersion(written=">=2.155.0", path="examples/python/selector/requirements.txt", line=1)


def test_a_typescript_example_outside_the_librarys_workspace_takes_its_own_range(tmp_path):
    found = library_version(library(tmp_path), "examples/typescript/selector")
    assert found.version is None
    assert found.written == "^2.0.0" and found.path == "examples/typescript/selector/package.json"


def test_the_library_itself_and_a_listed_pnpm_member_take_the_lock(tmp_path):
    workspace = library(tmp_path, lock=WORKSPACE_PNPM_LOCK)
    assert library_version(workspace, ".").version == "2.190.0"
    assert library_version(workspace, "apps/portal").version == "2.190.0"


def test_an_npm_workspace_member_takes_the_root_lock_and_a_stranger_does_not(tmp_path):
    lock = {"lockfileVersion": 3, "packages": {
        "": {"name": "root", "workspaces": ["apps/*"]},
        "apps/portal": {"name": "portal", "dependencies": {"aws-cdk-lib": "^2.180.0"}},
        "node_modules/aws-cdk-lib": {"version": "2.185.0"},
    }}
    workspace = library(tmp_path)
    (tmp_path / "pnpm-lock.yaml").unlink()
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    assert library_version(workspace, "apps/portal").version == "2.185.0"
    assert library_version(workspace, "examples/typescript/selector").version is None


def test_a_yarn_workspace_member_takes_the_root_lock(tmp_path):
    workspace = library(tmp_path)
    (tmp_path / "pnpm-lock.yaml").unlink()
    (tmp_path / "package.json").write_text(json.dumps({"name": "root", "private": True, "workspaces": ["apps/*"]}))
    (tmp_path / "yarn.lock").write_text('"aws-cdk-lib@^2.180.0":\n  version "2.187.0"\n')
    assert library_version(workspace, "apps/portal").version == "2.187.0"
    assert library_version(workspace, "examples/typescript/selector").version is None
