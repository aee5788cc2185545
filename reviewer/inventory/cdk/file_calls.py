"""The calls of one CDK source file, read once for the readers that follow a function past its
construct: its URL (`function_urls.py`), its role's statements (`policies.py`) and its event
sources and environment additions (`triggers.py`).

Each of them finds method calls on a variable (`fn.addFunctionUrl(...)`) and needs the construct
that variable holds: `stored` maps each variable or field a construct call is assigned to
(`const fn = new Function(...)`, `self.fn = Function(...)`) to the line of that call, which is the
line the inventory's function is declared at. A name two constructs of the file are given (`handler`
in two stacks) maps to -1: a call on it could be either function's, so it is given to none.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call, assigned_name
from reviewer.inventory.cdk.go_packages import GoPackages
from reviewer.inventory.cdk.script_modules import ScriptModules
from reviewer.inventory.cdk.values import ValueReader
from reviewer.python_downgrade import parse_python

AMBIGUOUS = -1


@dataclass
class FileCalls:
    """One file's calls (tree-sitter languages: `reader` and `calls`; Python: `tree` and `values`),
    and `stored`, each construct variable's line (see the module)."""

    stored: dict[str, int] = field(default_factory=dict)
    reader: ValueReader | None = None
    calls: list[Call] = field(default_factory=list)
    tree: ast.Module | None = None
    values: dict[str, list[ast.expr]] = field(default_factory=dict)   # Python: each name's assigned values


def file_calls(language: str, text: str, modules: ScriptModules | None = None, rel: str | None = None,
               go_packages: GoPackages | None = None) -> FileCalls:
    """Parse the file once; SyntaxError (Python) or ValueError/RecursionError when it cannot be read.

    `modules` and `rel` let a TypeScript/JavaScript reader follow a name the file imports from
    another module of the repository (a rule's pattern written with an imported `enum`), and
    `go_packages` a Go reader one of its module's packages, as the reader of its constructs does."""
    return _python(text) if language == "python" else _tree_sitter(language, text, modules, rel, go_packages)


def remember_construct(stored: dict[str, int], name: str, line: int) -> None:
    """Keep the line of the construct a variable holds; a second construct makes it ambiguous."""
    stored[name] = line if stored.get(name, line) == line else AMBIGUOUS


def python_stored_name(node: ast.expr) -> str | None:
    """`fn` or `self.fn` → the name the construct is kept under."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def receiver_name(call: Call) -> str:
    """The variable a method is called on (`this.fn.addFunctionUrl` → `fn`); "" for a plain call."""
    if call.receiver is None:
        return ""
    return st.text(st.unwrap(call.receiver) or call.receiver).rpartition(".")[2]


def _tree_sitter(language: str, text: str, modules: ScriptModules | None, rel: str | None,
                 go_packages: GoPackages | None) -> FileCalls:
    root = st.parse(language, text).root_node
    found = FileCalls(reader=ValueReader(language, root, cdk_modules.symbols_of(language, root), modules, rel,
                                         go_packages))
    for node in st.walk(root):
        if node.type not in CALL_TYPES:
            continue
        call = as_call(node)
        if call is None:
            continue
        found.calls.append(call)
        if len(call.args) >= 2 and (variable := assigned_name(node)) is not None:
            remember_construct(found.stored, variable, st.line(node))
    return found


def _python(text: str) -> FileCalls:
    tree = parse_python(text)
    found = FileCalls(tree=tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        name = python_stored_name(target)
        if name is None:
            continue
        found.values.setdefault(name, []).append(value)
        if isinstance(value, ast.Call):
            remember_construct(found.stored, name, value.lineno)
    return found
