"""One walk of a module serves the program index and the /tmp reader, and gives each what its own
walks gave: the index, each statement's calls and names in the order a walk of each of the
statement's expressions meets them; the /tmp reader, the module's calls, imports and assignments
in the order a walk of the whole module meets them."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from reviewer.code import module_walk
from reviewer.code.module_walk import ASSIGNING, walk_module
from reviewer.code.modules import ModuleSet, SourceModule
from reviewer.code.program import _own_expressions, build_program
from reviewer.code.syntax_walk import nodes
from reviewer.code.tmp_files import tmp_usage
from reviewer.content_cache import ContentCache

ROOT = Path(__file__).parent.parent
SOURCES = sorted([*ROOT.joinpath("reviewer").rglob("*.py"), *ROOT.joinpath("tests", "fixtures").rglob("*.py")])[::3]

EVERY_STATEMENT = """
from . import a as b
import c.d
@dec(call())
async def f(p=default(), *q, k=kw(), **r) -> ann():
    async for i in source(x):
        use(i)
    async with m(y) as (n, o), other(z) as w:
        enter(n)
    match subject(p):
        case {'k': [1, *rest]} if guard(rest):
            matched(rest)
    try:
        attempt(p)
    except error_type() as e:
        raise wrap(e) from e
    else:
        after(p)
    finally:
        last(p)
    while more(p):
        step(p)
    if test(p) and (t := walrus(p)):
        yes(t)
    elif other_test(p):
        no([g(v) for v in q if keep(v)], lambda s=1: inner(s))
    return {**r, 'key': value(f'{fmt(p)!r:>{width()}}')}
class K(base()):
    attribute = make()
    def method(self): return self.helper(x)
x: int = annotated()
y += augmented()
del y[index()], z.a
assert check(), message()
"""


def _trees() -> list[tuple[str, ast.Module]]:
    trees = [("every statement", ast.parse(textwrap.dedent(EVERY_STATEMENT)))]
    for path in SOURCES:
        try:
            trees.append((str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
    return trees


TREES = _trees()


def test_there_is_code_to_walk():
    assert len(TREES) > 50


@pytest.mark.parametrize("tree", [tree for _, tree in TREES], ids=[name for name, _ in TREES])
def test_each_statement_gets_what_walks_of_its_own_expressions_give(tree):
    walk = walk_module(tree)
    expected_calls: dict[int, list[int]] = {}
    expected_names: dict[int, list[int]] = {}
    for stmt in (node for node in ast.walk(tree) if isinstance(node, ast.stmt)):
        for expression in _own_expressions(stmt):
            met = nodes(expression)
            if calls := [id(node) for node in met if isinstance(node, ast.Call)]:
                expected_calls[id(expression)] = calls
            if names := [id(node) for node in met if isinstance(node, ast.Name)]:
                expected_names[id(expression)] = names
    assert {id(root): [id(call) for call in calls] for root, calls in walk.own_calls.items()} == expected_calls
    assert {id(root): [id(name) for name in names] for root, names in walk.own_names.items()} == expected_names


@pytest.mark.parametrize("tree", [tree for _, tree in TREES], ids=[name for name, _ in TREES])
def test_the_module_lists_are_a_walk_of_the_whole_module(tree):
    calls: list[ast.AST] = []
    imports: list[ast.AST] = []
    assignments: list[ast.AST] = []
    kinds: dict[type, list] = {ast.Call: calls, ast.Import: imports, ast.ImportFrom: imports}
    kinds.update(dict.fromkeys(ASSIGNING, assignments))
    nodes(tree, sort_into=kinds)
    walk = walk_module(tree)
    assert [id(node) for node in walk.calls] == [id(node) for node in calls]
    assert [id(node) for node in walk.imports] == [id(node) for node in imports]
    assert [id(node) for node in walk.assignments] == [id(node) for node in assignments]


def test_the_index_and_the_tmp_reader_share_one_walk_per_module(monkeypatch):
    walked: list[ast.AST] = []
    real = module_walk.walk_module

    def counted(tree):
        walked.append(tree)
        return real(tree)

    monkeypatch.setattr(module_walk, "walk_module", counted)
    cache = ContentCache()
    text = "import boto3\nPATH = '/tmp/out'\ndef handler(event, context):\n    open(PATH, 'w').write(str(event))\n"
    tree = cache.python(text, "a/app.py")
    module_set = ModuleSet("a", "app", "handler")
    module_set.modules["app"] = SourceModule("app", "a/app.py", tree)
    program = build_program(module_set, cache)
    usage = tmp_usage([("a/app.py", tree)], cache)
    assert walked == [tree]
    assert cache.parses["module-walk"] == 1 and cache.hits["module-walk"] == 1
    assert [call.func.id for call, _ in program.modules["app"].functions["handler"].calls
            if isinstance(call.func, ast.Name)] == ["str", "open"]
    assert [(write.line, write.call) for write in usage.writes] == [(4, "open")]
