"""The calls of a CDK helper that is an instance method of a class (`cdk/class_factories.py`'s
`method_factory`), in TypeScript and JavaScript.

An app may make its functions through a factory object handed down to its constructs:

    // lib/function-factory.ts
    export abstract class FunctionFactory { abstract createFunction(...): Function; }
    export class PythonFunctionFactory extends FunctionFactory { createFunction(...) {...} }
    export class TestFunctionFactory extends FunctionFactory { createFunction(...) {...} }

    // lib/stack.ts
    const factory = props.factory ?? new PythonFunctionFactory();

    // lib/orders.ts
    import { FunctionFactory } from "./function-factory";
    export interface OrdersProps { readonly factory: FunctionFactory; }
    ... props.factory.createFunction(scope, "Orders", { index: "orders.py", handler: "handle" });

A call counts when the name it is made through (`factory`, the last name before the method) is
declared in the calling file with a type that reaches the method's class: the class itself, or a
class or interface it extends or implements, imported from the class's module (or the class's own
file). The type names several classes when several subclasses write the method; the call is then
the one class's that the app's code makes with `new` (its tests are not read: a factory made only
in tests makes no deployed function), and nothing when that is not a single class. A class whose
sibling (a subclass of the same base) the app makes while it makes this one nowhere deploys
nothing: its own construct is no function either.

Nothing is run: declared types are read as written, never inferred (`const f = props.factory` is
not followed), so a call through an untyped name is left out rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call

if TYPE_CHECKING:
    from typing import Callable

    from reviewer.inventory.cdk.factories import Arguments, Factory
    from reviewer.model import Function

Node = tree_sitter.Node
Key = tuple[str, str]   # (file of the class, `Class.method`)

# What the whole app may hold: calls through a typed name, and the files' `new` of a factory class.
MAX_TYPED_CALLS = 50
MAX_MADE = 200
# Declarations whose name and type annotation say what a name holds.
_NAMED = {"property_signature": "name", "public_field_definition": "name", "variable_declarator": "name",
          "required_parameter": "pattern", "optional_parameter": "pattern"}
# Imported names: local name → (the files the module may be, the name exported there; None for the
# whole module, `import * as f from './f'`).
Imported = dict[str, tuple[list[str], "str | None"]]


@dataclass
class MethodCalls:
    """What the app's files say of its method helpers, gathered file by file, then resolved once
    every file is read (a class made in one file decides the calls of another)."""

    found: dict[Key, tuple["Factory", "Function"]]
    calls: list[tuple[list[Key], str, int, "Arguments"]] = field(default_factory=list)
    made: set[tuple[str, str]] = field(default_factory=set)   # (file, class) some file makes with `new`

    def marks(self) -> set[str]:
        """The names a file must hold to be read for these helpers: their classes' own names (a
        `new` of one) and the method's (a call of it)."""
        return {part for key in self.found if self.found[key][0].types for part in key[1].split(".")}

    def read(self, rel: str, root: Node, imported: Imported, arguments: "Callable[[list[Node]], Arguments]") -> None:
        """The file's calls of a method helper through a typed name, and the factory classes it makes."""
        methods = [key for key, (factory, _) in self.found.items() if factory.types]
        if not methods:
            return
        names = {key[1].partition(".")[2] for key in methods}
        typed: dict[str, str] = {}   # name in the file → its declared type, as written
        method_calls: list[Call] = []
        for node in st.walk(root):
            kind = node.type
            if kind in _NAMED:
                name = node.child_by_field_name(_NAMED[kind])
                declared = _declared_type(node)
                if name is not None and name.type in ("identifier", "property_identifier") and declared:
                    typed[st.text(name)] = declared
            elif kind in CALL_TYPES:
                call = as_call(node)
                if call is None or not call.callee:
                    continue
                if call.is_new:
                    for key in _reached(call.callee, rel, imported, methods, self.found, own_class=True):
                        if len(self.made) < MAX_MADE:
                            self.made.add((key[0], key[1].partition(".")[0]))
                elif len(call.callee) >= 2 and call.callee[-1] in names and len(method_calls) < MAX_TYPED_CALLS:
                    method_calls.append(call)
        for call in method_calls:   # the name's declaration may come after the call
            if call.callee[-2] not in typed or len(self.calls) >= MAX_TYPED_CALLS:
                continue
            reached = _reached(typed[call.callee[-2]].split("."), rel, imported, methods, self.found)
            candidates = [key for key in reached if key[1].partition(".")[2] == call.callee[-1]]
            if candidates:
                self.calls.append((candidates, rel, st.line(call.node), arguments(call.args)))

    def sites(self) -> list[tuple[str, tuple[Key, int, "Arguments"]]]:
        """Each call with the one helper it runs: (calling file, (helper, line, what it passes))."""
        resolved = []
        for candidates, rel, line, arguments in self.calls:
            key = self._pick(candidates)
            if key is not None:
                resolved.append((rel, (key, line, arguments)))
        return resolved

    def unmade(self) -> set[Key]:
        """The method helpers of a class the app never makes while it makes a sibling (a class of
        the same file that shares a base with it): no deployed function is theirs."""
        methods = [key for key, (factory, _) in self.found.items() if factory.types]
        made_bases: dict[tuple[str, str], set[str]] = {}   # (file, base) → the classes of it the app makes
        for key in methods:
            owner = key[1].partition(".")[0]
            if (key[0], owner) in self.made:
                for base in self.found[key][0].types[1:]:
                    made_bases.setdefault((key[0], base), set()).add(owner)
        unmade: set[Key] = set()
        for key in methods:
            owner = key[1].partition(".")[0]
            if (key[0], owner) not in self.made and any(
                    made_bases.get((key[0], base), set()) - {owner} for base in self.found[key][0].types[1:]):
                unmade.add(key)
        return unmade

    def _pick(self, candidates: list[Key]) -> Key | None:
        if len(candidates) == 1:
            return candidates[0]
        live = [key for key in candidates if (key[0], key[1].partition(".")[0]) in self.made]
        return live[0] if len(live) == 1 else None


def _declared_type(node: Node) -> str | None:
    """`FunctionFactory` (or `f.FunctionFactory`) of `factory: FunctionFactory` or `factory?: ...`;
    what a variable is made as, `const f = new PythonFunctionFactory()`; None for anything else."""
    annotation = node.child_by_field_name("type")
    if annotation is not None and annotation.type == "type_annotation":
        written = next((c for c in annotation.named_children if c.type != "comment"), None)
        return st.text(written) if written is not None and written.type in (
            "type_identifier", "nested_type_identifier") else None
    value = node.child_by_field_name("value") if node.type == "variable_declarator" else None
    value = st.unwrap(value) if value is not None else None
    call = as_call(value) if value is not None and value.type in CALL_TYPES else None
    return ".".join(call.callee) if call is not None and call.is_new and call.callee else None


def _reached(parts: list[str], rel: str, imported: Imported, methods: list[Key],
             found: dict[Key, tuple["Factory", "Function"]], own_class: bool = False) -> list[Key]:
    """The method helpers a type or class name of the file reaches: through what the file imports
    (`FunctionFactory`, `f.FunctionFactory` after `import * as f`) or a class of the file itself;
    `own_class` only the class named (a `new` makes that class, not its bases)."""
    if len(parts) == 1 and parts[0] in imported and imported[parts[0]][1] is not None:
        files, name = imported[parts[0]][0], imported[parts[0]][1]
    elif len(parts) == 2 and parts[0] in imported and imported[parts[0]][1] is None:
        files, name = imported[parts[0]][0], parts[1]
    elif len(parts) == 1:
        files, name = [rel], parts[0]
    else:
        return []
    return [key for key in methods if key[0] in files
            and (key[1].partition(".")[0] == name if own_class else name in found[key][0].types)]


__all__ = ["MethodCalls"]
