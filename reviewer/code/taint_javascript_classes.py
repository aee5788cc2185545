"""The names a JavaScript/TypeScript file binds to modules and to its own classes, for LR306.

Mixed into the reader of reviewer/code/taint_javascript_flow.py. An import binds a name to the
dotted name of what it imports (`./adapters.SqsAllInputAdapter`). `new X(...)` of a class the
file writes or imports from a relative module is an instance of it (kind "instance", `qual` the
class), so a call of its method (`adapter.handleRecord(record)`, `this.parse(record)`) is read
into that method with what it is handed, within the bounds every call is read within: a method
of the file's own class in place, one of an imported class from that call, as a function of a
relative import is (`JavaScriptTaint.note_passed`), under the name `Class.method`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.javascript_handlers import class_method
from reviewer.code.taint_common import Val, first_flow

if TYPE_CHECKING:
    from reviewer.code.taint_javascript import JavaScriptTaint

Node = tree_sitter.Node
INSTANCE = "instance"


class JavaScriptNames:
    """Imports and the file's own classes (mixed into the JavaScript reader)."""

    taint: JavaScriptTaint
    env: dict[str, Val]
    depth: int

    def import_statement(self, node: Node) -> None:
        source = node.child_by_field_name("source")
        module = module_name(st.string_value(source) or "")
        if not module:
            return
        self.taint.imports.add(module)
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    self.env[st.text(part)] = Val(qual=module)
                elif part.type == "namespace_import":
                    for alias_node in part.named_children:
                        self.env[st.text(alias_node)] = Val(qual=module)
                elif part.type == "named_imports":
                    for specifier in part.named_children:
                        name = specifier.child_by_field_name("name")
                        alias = specifier.child_by_field_name("alias") or name
                        if name is not None and alias is not None:
                            self.env[st.text(alias)] = Val(qual=f"{module}.{st.text(name)}")

    def declare_class(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        if name is not None:
            self.taint.classes[st.text(name)] = node

    def instance(self, qual: str | None, args: list[Val]) -> Val | None:
        """What `new <qual>(...)` makes, when `qual` is a class the reader can open: the file's own
        or one of a relative import (`./adapters.SqsAllInputAdapter`). Event data handed to the
        constructor stays in the instance, as it did in the value `new` gave before."""
        if qual is None:
            return None
        module, dot, name = qual.rpartition(".")
        if qual in self.taint.classes or (dot and module.startswith(".") and name.isidentifier()):
            return Val(first_flow(args), kind=INSTANCE, qual=qual)
        return None

    def method_call(self, receiver: Val, method: str, args: list[Val]) -> Val | None:
        """What a method of an instance returns, read from that call; None when the method is
        not one the reader can open (the caller keeps its usual answer)."""
        assert receiver.qual is not None
        owner = self.taint.classes.get(receiver.qual)
        if owner is None:                       # a class of a relative import: read from this call
            if args and args[0].flow is not None:
                module, _, name = receiver.qual.rpartition(".")
                self.taint.hand_over(module, f"{name}.{method}", args[0])
            return None
        target = class_method(owner, method)
        if target is None:
            return None
        return self.taint.call_function(target, args, self.depth + 1, self.taint.module_env)


def owning_class(function: Node, classes: dict[str, Node]) -> str | None:
    """The name of the file's class whose method `function` is, for what `this` holds in it."""
    body = function.parent
    declaration = body.parent if body is not None and body.type == "class_body" else None
    name = declaration.child_by_field_name("name") if declaration is not None else None
    known = classes.get(st.text(name)) if name is not None else None
    return st.text(name) if known is not None and declaration is not None and known.id == declaration.id else None


def module_name(raw: str) -> str:
    return raw.removeprefix("node:")
