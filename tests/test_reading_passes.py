"""The shortcuts that keep reading handler code cheap, each shown to give the answer the long way gives.

The /tmp reader walks a module once and passes over calls no check acts on; statement walks and
the program index dispatch on node classes; a method called on an unknown receiver is looked up in
a table; the workspace lists a folder only when its parent lists it as one. Each test fails when
its shortcut stops working or starts answering differently.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from reviewer.code import tmp_files
from reviewer.code.modules import _statements, load_modules
from reviewer.code.program import Program, build_program
from reviewer.code.taint_python_sinks import import_statements
from reviewer.code.tmp_files import tmp_usage
from reviewer.workspace import DirectoryTree, Workspace

ROOT = Path(__file__).parent.parent
SOURCES = sorted(ROOT.joinpath("reviewer").rglob("*.py"))[::5]


def _parse(source: str) -> ast.Module:
    return ast.parse(textwrap.dedent(source))


# -- /tmp reader --------------------------------------------------------------------------------


def test_the_tmp_reader_walks_each_module_once(monkeypatch):
    walks: list[ast.AST] = []
    real = tmp_files.nodes

    def counted(node, sort_into=None):
        walks.append(node)
        return real(node, sort_into)

    monkeypatch.setattr(tmp_files, "nodes", counted)
    # Three rounds of bindings (A, then B from A, then C from B) still take one walk.
    tree = _parse("""
        C = B + '/c'
        B = A + '/b'
        A = '/tmp/a'
        def handler(event, context):
            open(C, 'w')
    """)
    usage = tmp_usage([("app.py", tree)])
    assert walks == [tree]
    assert [(write.call, write.target) for write in usage.writes] == [("open", "C")]


@pytest.mark.parametrize("source, call", [
    ("from shutil import copyfile as keep\nkeep(src, '/tmp/x')", "shutil.copyfile"),
    ("from tempfile import mkstemp as make\nmake()", "tempfile.mkstemp"),
    ("import io as stream\nstream.open('/tmp/x', 'w')", "io.open"),
    ("from urllib.request import urlretrieve as fetch\nfetch(url, '/tmp/page')", "urllib.request.urlretrieve"),
    ("frame().to_csv('/tmp/out.csv')", "to_csv"),
])
def test_calls_known_only_through_an_alias_or_a_method_are_still_read(source, call):
    assert [write.call for write in tmp_usage([("app.py", _parse(source))]).writes] == [call]


@pytest.mark.parametrize("cleanup", [
    "from os import remove as drop\ndrop(path)",
    "from shutil import rmtree as wipe\nwipe(folder)",
    "holder().cleanup()",
])
def test_a_removal_known_only_through_an_alias_or_a_method_still_counts(cleanup):
    usage = tmp_usage([("app.py", _parse(cleanup + "\nopen('/tmp/x', 'w')"))])
    assert usage.removes


def test_every_name_a_check_acts_on_is_looked_at():
    """The names the reader keeps are the last parts of every callee and method it knows."""
    groups = (tmp_files._OPEN_FUNCTIONS, tmp_files._COPY_FUNCTIONS, tmp_files._TEMP_CREATORS,
              tmp_files._NAMED_TEMP, tmp_files._REMOVERS, tmp_files._TEMP_DIRECTORY)
    for group in groups:
        for name in group:
            assert name.rpartition(".")[2] in tmp_files._DECIDING_NAMES
    for method in (*tmp_files._WRITING_PATH_METHODS, *tmp_files._SAVING_METHODS, *tmp_files._REMOVING_METHODS):
        assert method in tmp_files._DECIDING_NAMES


# -- statement walks ---------------------------------------------------------------------------


def _statements_the_long_way(tree: ast.Module) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        stmt = pending.pop()
        found.append(stmt)
        for name in ("body", "orelse", "finalbody"):
            pending.extend(getattr(stmt, name, None) or [])
        for handler in getattr(stmt, "handlers", None) or []:
            pending.extend(handler.body)
        for case in getattr(stmt, "cases", None) or []:
            pending.extend(case.body)
    return found


def _imports_the_long_way(tree: ast.Module) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            found.append(stmt)
            continue
        for name in ("body", "orelse", "finalbody"):
            pending.extend(getattr(stmt, name, None) or [])
        for handler in getattr(stmt, "handlers", None) or []:
            pending.extend(handler.body)
    return found


MATCHING = """
import a
match x:
    case 1:
        import b
try:
    import c
except* E:
    import d
else:
    import e
finally:
    import f
while y:
    import g
else:
    import h
"""


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_statement_walks_keep_the_order_of_the_generic_walk(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert [id(stmt) for stmt in _statements(tree)] == [id(stmt) for stmt in _statements_the_long_way(tree)]
    assert [id(stmt) for stmt in import_statements(tree)] == [id(stmt) for stmt in _imports_the_long_way(tree)]


def test_statement_walks_look_into_every_kind_of_block():
    tree = ast.parse(MATCHING)
    assert [id(stmt) for stmt in _statements(tree)] == [id(stmt) for stmt in _statements_the_long_way(tree)]
    assert [stmt.names[0].name for stmt in import_statements(tree)] == \
        [stmt.names[0].name for stmt in _imports_the_long_way(tree)]   # `match` cases are not looked into


# -- program index -----------------------------------------------------------------------------


def test_methods_on_unknown_receivers_are_the_methods_of_every_class_in_order(tmp_path):
    (tmp_path / "app.py").write_text(textwrap.dedent("""
        import helpers
        class Store:
            def save(self): pass
            def load(self): pass
        def save(): pass
        def handler(event, context):
            event.save()
    """))
    (tmp_path / "helpers.py").write_text("class Other:\n    def save(self):\n        pass\n")
    module_set = load_modules(Workspace(tmp_path), ".", "app.handler")
    assert not isinstance(module_set, str)
    program: Program = build_program(module_set)
    expected = [info for info in program.all_functions() if info.is_method and info.node.name == "save"]
    assert [info.qualname for info in program.methods_named("save")] == ["Store.save", "Other.save"]
    assert program.methods_named("save") == expected
    assert program.methods_named("missing") == []


def test_the_index_keeps_each_statement_kind(tmp_path):
    (tmp_path / "app.py").write_text(textwrap.dedent("""
        import boto3
        client = boto3.client("lambda")
        def handler(event, context):
            global counter
            for item in event["items"]:
                client.invoke(FunctionName=item)
            with open("x") as handle:
                handle.read()
            while event.get("more"):
                client.invoke(FunctionName="a")
            try:
                counter = 1
            except ValueError:
                total = 2
            if event.get("stop"):
                return None
            return client
    """))
    module_set = load_modules(Workspace(tmp_path), ".", "app.handler")
    assert not isinstance(module_set, str)
    handler = build_program(module_set).function("app", "handler")
    assert handler is not None
    assert handler.global_names == {"counter"}
    assert sorted(handler.bindings) == ["handle", "item", "total"]
    assert [binding.kind for binding in handler.bindings["item"]] == ["element"]
    assert [binding.kind for binding in handler.bindings["handle"]] == ["context"]
    assert len(handler.calls) == 6 and len(handler.returns) == 2 and len(handler.early_exits) == 1
    assert [len(guards) for _, guards in handler.calls if isinstance(_.func, ast.Attribute)
            and _.func.attr == "invoke"] == [1, 0]


# -- workspace listings ------------------------------------------------------------------------


class CountingTree(DirectoryTree):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.listed: list[str] = []

    def entries(self, directory: str) -> dict[str, str]:
        self.listed.append(directory)
        return super().entries(directory)


def test_a_folder_is_listed_only_when_its_parent_lists_it(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("import json\nimport boto3\nimport helpers\n")
    (tmp_path / "src" / "helpers.py").write_text("X = 1\n")
    (tmp_path / "src" / "data.txt").write_text("x")
    counting = CountingTree(tmp_path)
    workspace = Workspace(tmp_path, tree=counting)
    module_set = load_modules(workspace, "src", "app.handler")
    assert not isinstance(module_set, str)
    assert sorted(module_set.modules) == ["app", "helpers"]
    assert not workspace.exists("src/json/__init__.py") and not workspace.exists("src/data.txt/x")
    assert workspace.exists("src/helpers.py")
    assert sorted(counting.listed) == ["", "src"]          # never src/json, src/boto3 or src/data.txt


def test_a_linked_folder_is_never_listed(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "mod.py").write_text("X = 1\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "linked").symlink_to(tmp_path / "real")
    counting = CountingTree(tmp_path)
    workspace = Workspace(tmp_path, tree=counting)
    assert not workspace.exists("src/linked/mod.py")
    assert workspace.is_symlink("src/linked") and not workspace.is_symlink("src/linked/mod.py")
    assert "src/linked" not in counting.listed


def test_normal_paths_resolve_to_themselves_and_others_are_normalised(tmp_path):
    workspace = Workspace(tmp_path)
    assert workspace.resolve("src/app.py") == "src/app.py"
    assert workspace.resolve("src//app.py") == "src/app.py"
    assert workspace.resolve("./src/app.py") == "src/app.py"
    assert workspace.resolve("src\\app.py") == "src/app.py"
    assert workspace.resolve("src/../../x") is None and workspace.resolve("/etc/passwd") is None
    assert workspace.resolve("") == "."


def _module_tree(root: Path) -> None:
    (root / "src" / "pkg" / "sub").mkdir(parents=True)
    (root / "src" / "app.py").write_text("X = 1\n")
    (root / "src" / "pkg" / "__init__.py").write_text("")
    (root / "src" / "pkg" / "sub" / "deep.py").write_text("")
    (root / "src" / "folder_only").mkdir()
    (root / "src" / "notes.py").mkdir()                  # a folder named like a module
    (root / "outside").mkdir()
    (root / "outside" / "mod.py").write_text("")
    (root / "outside" / "shared").mkdir()
    (root / "outside" / "shared" / "__init__.py").write_text("")
    (root / "src" / "linked.py").symlink_to(root / "outside" / "mod.py")
    (root / "src" / "shared").symlink_to(root / "outside" / "shared")
    (root / "src" / "via_link").symlink_to(root / "outside")
    (root / "lib").mkdir()
    (root / "lib" / "helper.py").write_text("")


NAMES = ["app", "pkg", "pkg.sub", "pkg.sub.deep", "pkg.missing", "folder_only", "notes", "linked", "shared",
         "via_link.mod", "helper", "json", "boto3", "os.path", "", "a..b", "café"]
BASES = [("src", None), ("src", "lib/caller.py"), (".", None), ("src/via_link", None), ("src/../lib", None),
         ("missing", "src/app.py"), ("src/app.py", None)]


@pytest.mark.parametrize("code_root, near", BASES)
def test_module_paths_are_the_ones_every_candidate_check_gives(tmp_path, code_root, near, monkeypatch):
    """The folder-listing shortcut finds the same file (or none) as checking each candidate."""
    from reviewer.code.modules import _Loader

    _module_tree(tmp_path)
    quick = _Loader(Workspace(tmp_path), code_root, {})
    found = [quick.path_of(name, near) for name in NAMES]
    monkeypatch.setattr(_Loader, "_lacks", lambda self, base, head: False)
    full = _Loader(Workspace(tmp_path), code_root, {})
    assert found == [full.path_of(name, near) for name in NAMES]
    if code_root == "src" and near is None:
        assert found[:4] == ["src/app.py", "src/pkg/__init__.py", None, "src/pkg/sub/deep.py"]
        assert found[7:9] == ["src/linked.py", None]


def test_a_module_the_folder_does_not_list_is_not_looked_for_file_by_file(tmp_path, monkeypatch):
    _module_tree(tmp_path)
    workspace = Workspace(tmp_path)
    asked: list[str] = []
    real = Workspace.is_symlink

    def counted(self, rel):
        asked.append(rel)
        return real(self, rel)

    monkeypatch.setattr(Workspace, "is_symlink", counted)
    from reviewer.code.modules import _Loader

    loader = _Loader(workspace, "src", {})
    assert [loader.path_of(name) for name in ("json", "boto3", "os.path", "app")] == [None, None, None, "src/app.py"]
    assert "src/json.py" not in asked and "src/boto3/__init__.py" not in asked and "src/os/path.py" not in asked
    assert "src/app.py" in asked
