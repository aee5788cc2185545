"""A Serverless function ships the files its package settings choose, not every file of the service.

A service that packages each function on its own (`package.individually: true`), excludes
everything (`exclude: ./**`) and includes one file per function ships that file alone: a deploy
script beside it, or a Python file of the repository root, is no function's code, and bandit's
findings there must not name the function whose handler is not found (its code path is then the
service's folder). Glob semantics follow the Framework's (micromatch: `**`, `!`, last match wins),
and a setting the review cannot read exactly leaves the function shipping every file, as before.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.code.ownership import UNPACKAGED, python_sources
from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.review.summary import left_out_note
from reviewer.workspace import Workspace

ROOT_SERVICE = """service: shop
provider:
  name: aws
  runtime: python3.12
package:
  individually: true
  exclude:
    - ./**
functions:
  - ${file(api/admin/functions.yml):functions}
"""

ADMIN_FUNCTIONS = """functions:
  AdminReport:
    handler: api/admin/report.handler
    package:
      include:
        - api/admin/report.py
  AdminConsole:
    handler: console.handler
    package:
      include:
        - api/admin/console.js
"""

FILES = {
    "serverless.yml": ROOT_SERVICE,
    "api/admin/functions.yml": ADMIN_FUNCTIONS,
    "api/admin/report.py": "import os\n\ndef handler(event, context):\n    return os.system(event['cmd'])\n",
    "api/admin/console.js": "exports.handler = async () => ({});\n",
    "api/admin/legacy/console.py": "def handler(event, context):\n    return eval(event['x'])\n",
    "deploy/seed.py": "import os\nos.system('aws s3 ls')\n",
}


def _write(tmp_path: Path, files: dict[str, str]) -> Workspace:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return Workspace(tmp_path)


def _functions(workspace: Workspace) -> dict[str, Function]:
    return {function.name: function for function in build_inventory(workspace).functions}


def test_an_individual_package_ships_only_the_files_it_includes(tmp_path: Path) -> None:
    workspace = _write(tmp_path, FILES)
    functions = _functions(workspace)
    assert functions["AdminConsole"].code_path == "."          # its handler module is not found
    sources = python_sources(workspace, list(functions.values()), cache={})
    assert sources.owners == {"api/admin/report.py": ("AdminReport",)}
    assert sources.left_out["deploy/seed.py"] == UNPACKAGED
    assert sources.left_out["api/admin/legacy/console.py"] == UNPACKAGED
    note = left_out_note(sources.left_out)
    assert "2 files the package settings leave out" in note and "no handler imports" not in note


def _holds(tmp_path: Path, service: str, files: dict[str, str], name: str = "api") -> dict[str, bool]:
    workspace = _write(tmp_path, {"svc/serverless.yml": service, **{f"svc/{rel}": text for rel, text in files.items()}})
    package = _functions(workspace)[name].package_contents
    assert package is not None
    return {rel: package.holds(f"svc/{rel}") for rel in files}


SERVICE = """service: orders
provider:
  name: aws
  runtime: python3.12
{package}
functions:
  api:
    handler: src/app.handler
{function_package}
"""

TREE = {"src/app.py": "", "src/tests/test_app.py": "", "src/util/db.py": "", "scripts/build.py": "",
        ".hidden/tool.py": "", "lib/a.py": "", "vendor/b.py": ""}


def test_patterns_apply_in_order_the_last_match_deciding(tmp_path: Path) -> None:
    service = SERVICE.format(package="package:\n  patterns:\n    - '!**'\n    - 'src/**'\n    - '!src/**/test_*.py'\n"
                                     "    - '{lib,vendor}/*.py'", function_package="")
    assert _holds(tmp_path, service, TREE) == {
        "src/app.py": True, "src/tests/test_app.py": False, "src/util/db.py": True, "scripts/build.py": False,
        ".hidden/tool.py": False, "lib/a.py": True, "vendor/b.py": True}


def test_excludes_come_before_includes_and_a_negated_exclude_puts_back(tmp_path: Path) -> None:
    service = SERVICE.format(package="package:\n  exclude:\n    - '**/*.py'\n    - '!lib/**'\n  include:\n"
                                     "    - src/app.py", function_package="")
    assert _holds(tmp_path, service, TREE) == {
        "src/app.py": True, "src/tests/test_app.py": False, "src/util/db.py": False, "scripts/build.py": False,
        ".hidden/tool.py": False, "lib/a.py": True, "vendor/b.py": False}


def test_a_functions_own_settings_count_only_when_it_is_packaged_on_its_own(tmp_path: Path) -> None:
    own = "    package:\n      patterns:\n        - '!scripts/**'"
    together = SERVICE.format(package="package:\n  patterns:\n    - '!vendor/**'", function_package=own)
    held = _holds(tmp_path / "together", together, TREE)
    assert held["scripts/build.py"] and not held["vendor/b.py"]
    alone = SERVICE.format(package="package:\n  individually: true\n  patterns:\n    - '!vendor/**'",
                           function_package=own)
    held = _holds(tmp_path / "alone", alone, TREE)
    assert not held["scripts/build.py"] and not held["vendor/b.py"] and held["src/app.py"]


def test_a_resolved_variable_counts_and_an_unresolved_one_leaves_every_file(tmp_path: Path) -> None:
    resolved = SERVICE.format(package="custom:\n  skip: scripts/**\npackage:\n  patterns:\n    - '!${self:custom.skip}'",
                              function_package="")
    assert not _holds(tmp_path / "resolved", resolved, TREE)["scripts/build.py"]
    for package in ("package:\n  patterns:\n    - '!${opt:skip}'",        # known at deploy time only
                    "package:\n  patterns:\n    - '!scripts'",           # a bare folder: versions differ
                    "package:\n  patterns:\n    - '!../shared/**'",      # outside the service
                    "package:\n  patterns:\n    - '!src/+(a|b).py'",     # an extglob
                    "package:\n  artifact: dist/api.zip"):
        workspace = _write(tmp_path / str(abs(hash(package))), {
            "svc/serverless.yml": SERVICE.format(package=package, function_package=""), "svc/scripts/x.py": ""})
        assert _functions(workspace)["api"].package_contents is None, package


def test_a_plugin_that_builds_the_package_leaves_every_file(tmp_path: Path) -> None:
    service = SERVICE.format(package="plugins:\n  - serverless-esbuild\npackage:\n  patterns:\n    - '!scripts/**'",
                             function_package="")
    workspace = _write(tmp_path, {"svc/serverless.yml": service, "svc/scripts/x.py": ""})
    assert _functions(workspace)["api"].package_contents is None
