"""`python_sources` works per folder and lists the workspace once per scan.

bandit's engine calls it twice on each side of a review (its broad start, then its choice once
the imports are read); at 1,200 functions the per-file walk up every ancestor folder was a tenth
of a second. These tests pin its answer on a small tree (owners from the imports, or from every ancestor
code path; tests left out) and that the second call reuses the first one's listing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.code.ownership import python_sources
from reviewer.code.test_files import is_test_file
from reviewer.model import Function, Location
from reviewer.workspace import Workspace

FILES = {
    "services/__init__.py": "",
    "services/orders/__init__.py": "",
    "services/orders/handler.py": "from shared.db import run\n\ndef main(event, context):\n    return run(event)\n",
    "services/orders/tests/test_handler.py": "assert True\n",
    "services/orders/Testing/helpers.py": "",
    "services/billing/app.py": "def main(event, context):\n    return None\n",
    "services/billing/conftest.py": "",
    "services/billing/app_test.py": "",
    "shared/__init__.py": "",
    "shared/db.py": "def run(event):\n    return event\n",
    "scripts/seed.py": "",
    "single/job.py": "def main(event, context):\n    return None\n",
    "single/other.py": "",
    "top.py": "",
    "web/index.js": "exports.handler = async () => ({});\n",
}


def _functions() -> list[Function]:
    where = Location("template.yaml", 1)
    return [
        Function("Orders", "sam", where, runtime="python3.13", handler="services.orders.handler.main", code_path="."),
        Function("Billing", "sam", where, runtime="python3.13", handler="app.main", code_path="services/billing"),
        Function("Job", "sam", where, runtime="python3.13", handler="job.main", code_path="single/job.py"),
        Function("Web", "sam", where, runtime="nodejs22.x", handler="index.handler", code_path="web"),
        Function("Missing", "sam", where, runtime="python3.13", handler="nope.main", code_path="services/orders"),
    ]


@pytest.fixture()
def workspace(tmp_path: Path) -> Workspace:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return Workspace(tmp_path)


def test_owners_follow_the_imports_and_the_folders(workspace: Workspace) -> None:
    found = python_sources(workspace, _functions(), cache={})
    assert found.owners == {
        "services/__init__.py": ("Orders",), "services/billing/app.py": ("Billing",),
        # Missing's handler is not found: it ships every non-test file of its folder.
        "services/orders/__init__.py": ("Missing", "Orders"), "services/orders/handler.py": ("Missing", "Orders"),
        "shared/__init__.py": ("Orders",), "shared/db.py": ("Orders",), "single/job.py": ("Job",),
    }
    assert found.left_out == {
        "top.py": "not imported by any handler", "scripts/seed.py": "not imported by any handler",
        "single/other.py": "not imported by any handler",
        "services/billing/app_test.py": "a test", "services/billing/conftest.py": "a test",
        "services/orders/Testing/helpers.py": "a test", "services/orders/tests/test_handler.py": "a test",
    }
    everything = python_sources(workspace, _functions(), scan_all=True, cache={})
    assert everything.left_out == {}
    assert everything.owners["top.py"] == () and everything.owners["single/job.py"] == ("Job",)


def test_without_following_imports_only_tests_are_left_out(workspace: Workspace) -> None:
    found = python_sources(workspace, _functions(), cache={}, follow_imports=lambda function: False)
    assert found.left_out == {
        "services/billing/app_test.py": "a test", "services/billing/conftest.py": "a test",
        "services/orders/Testing/helpers.py": "a test", "services/orders/tests/test_handler.py": "a test",
    }
    assert found.owners["scripts/seed.py"] == ("Orders",)
    assert found.owners["services/billing/app.py"] == ("Billing", "Orders")
    assert found.owners["services/orders/handler.py"] == ("Missing", "Orders")
    assert found.owners["single/job.py"] == ("Job", "Orders")
    assert all(not is_test_file(rel) for rel in found.owners)


def test_the_second_call_of_a_scan_reuses_the_listing(workspace: Workspace,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    listed = []
    original = Workspace.iter_files

    def counting(self: Workspace, suffixes: tuple[str, ...] | None = None):   # type: ignore[no-untyped-def]
        listed.append(suffixes)
        return original(self, suffixes)

    monkeypatch.setattr(Workspace, "iter_files", counting)
    cache: dict = {}
    first = python_sources(workspace, _functions(), cache=cache, follow_imports=lambda function: False)
    second = python_sources(workspace, _functions(), cache=cache)
    assert len(listed) == 1
    assert set(first.owners) | set(first.left_out) == set(second.owners) | set(second.left_out)
    other = Workspace(workspace.root)            # another workspace is listed for itself
    python_sources(other, _functions(), cache=cache)
    assert len(listed) == 2


@pytest.mark.parametrize("rel", ["a.py", "a/b.py", "a/b/c/d.py", "./a/b.py", "a//b.py", "a/./b.py", "/a/b.py",
                                 "a/b/", "../a.py", "a/../b.py", "", ".hidden/a.py"])
def test_parent_folders_are_pathlibs_parents(rel: str) -> None:
    from pathlib import PurePosixPath

    from reviewer.code.ownership import _parent_folders

    assert list(_parent_folders(rel)) == [str(parent) for parent in PurePosixPath(rel).parents]


def test_a_package_ships_its_init_files_up_to_the_code_directory(tmp_path: Path) -> None:
    files = {"app/handler.py": "from pkg.sub import deep\n\ndef main(event, context):\n    return deep.run()\n",
             "app/pkg/__init__.py": "", "app/pkg/sub/__init__.py": "", "app/pkg/sub/deep.py": "def run():\n    return 1\n",
             "app/pkg/sub/other.py": "", "__init__.py": ""}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    function = Function("Deep", "sam", Location("template.yaml", 1), runtime="python3.13", handler="handler.main",
                        code_path="app")
    found = python_sources(Workspace(tmp_path), [function], cache={})
    assert sorted(found.owners) == ["app/handler.py", "app/pkg/__init__.py", "app/pkg/sub/__init__.py",
                                    "app/pkg/sub/deep.py"]


def test_python_files_are_not_the_code_of_a_function_that_runs_no_python(tmp_path: Path) -> None:
    """A Node.js function and a Python one share a folder (DVSA's `backend/functions/admin/`):
    the Python files are the Python function's code or nobody's (left out, and named so), never
    the Node.js one's; a Java image built from the whole repository owns none of its Python
    scripts either. A custom runtime may run Python: its files still count."""
    for rel, text in {"admin/get_orders.py": "def handler(event, context):\n    return []\n",
                      "admin/tweet.py": "import os\n",
                      "admin/shell.js": "exports.handler = async () => ({});\n",
                      "tools/seed.py": "", "custom/bootstrap.py": ""}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    where = Location("template.yaml", 1)
    functions = [
        Function("GetOrders", "sam", where, runtime="python3.12", handler="get_orders.handler", code_path="admin"),
        Function("Shell", "sam", where, runtime="nodejs18.x", handler="shell.handler", code_path="admin"),
        Function("Connector", "container", where, runtime="java11.al2023", code_path="."),
        Function("Custom", "sam", where, runtime="provided.al2023", handler="bootstrap", code_path="custom"),
    ]
    found = python_sources(Workspace(tmp_path), functions, cache={})
    assert found.owners == {"admin/get_orders.py": ("GetOrders",), "custom/bootstrap.py": ("Custom",)}
    assert found.left_out == {"admin/tweet.py": "not imported by any handler",      # named, not scanned
                              "tools/seed.py": "not imported by any handler"}
