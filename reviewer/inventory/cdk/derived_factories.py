"""The app's subclasses of a construct class that makes a function for its callers
(`cdk/class_factories.py`), in TypeScript and JavaScript.

An app wraps a library's Lambda construct in a class of its own, and specialises that class again:

    export class SrLambda extends GuLambdaFunction {            // cdk/lib/cdk/SrLambda.ts
      constructor(scope: SrStack, id: string, props: SrLambdaProps) {
        super(scope, id, { ...getLambdaDefaultProps(scope), ...props.lambdaOverrides });
      }
    }
    export class SrApiLambda extends SrLambda {                 // cdk/lib/cdk/SrApiLambda.ts
      constructor(scope: SrStack, id: string, props: SrApiLambdaProps) {
        const finalProps = { lambdaOverrides: { ...defaultProps, ...props.lambdaOverrides } };
        super(scope, id, finalProps);
      }
    }

Each `new SrApiLambda(this, 'Lambda', {...})` of a stack is one function, as a `new SrLambda(...)`
is: the subclass is a construct class whose constructor passes its callers' id and settings on to
its base's through `super(...)`. What the base's construct takes from its caller (`id`,
`props.lambdaOverrides.runtime`) is mapped through the `super` arguments to what the subclass takes
from its own (`id`, `props.lambdaOverrides.runtime`), a few levels of subclass deep. What does not
map (a value the subclass computes) stays as the base writes it.
"""

from __future__ import annotations

from typing import Callable, Protocol, TypeVar

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.class_factories import declared_in, parameter_names, parameter_ref, parameter_refs
from reviewer.inventory.cdk.syntax import literal_entries, superclass
from reviewer.model import Function

Node = tree_sitter.Node


class _Factory(Protocol):
    """What this module needs of `factories.Factory` (which imports it)."""

    @property
    def parameters(self) -> tuple[str, ...]: ...
    @property
    def bound(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def constructed(self) -> bool: ...
    @property
    def inputs(self) -> tuple[str, ...]: ...
    def place(self, ref: str) -> tuple[str | None, int, str | None]: ...


F = TypeVar("F", bound=_Factory)
# Subclasses of subclasses followed (`SrApiLambda` of `SrLambda` of `GuLambdaFunction`).
MAX_LEVELS = 4
# Object literals, variables and keys followed to map one role through a `super(...)` call.
MAX_MAP_DEPTH = 6
MAX_DERIVED = 100
_LANGUAGES = ("typescript", "tsx", "javascript")
_CLASSES = ("class_declaration", "class", "abstract_class_declaration")

# The subclass's factory: (the base's, its name, parameters, roles, input files) → the subclass's.
Derive = Callable[[F, str, tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]], F]


def derive_factories(sources: dict[str, str], found: dict[tuple[str, str], tuple[F, Function]],
                     module_files: Callable[[str, str], list[str]], derive: Derive[F]) -> None:
    """Add to `found` a construct class for each top-level class of `sources` that extends one of
    `found` (imported from a relative module, `module_files(file, module)` its candidate files, or
    declared in the same file), with the base's construct made from what the subclass's callers
    pass (`derive` makes it: `factories.Factory` imports this module)."""
    roots: dict[str, Node] = {}
    for _ in range(MAX_LEVELS):
        bases = {name for (_, name), (factory, _) in found.items() if factory.constructed}
        added = 0
        for rel, text in sources.items():
            if st.language_for(rel) not in _LANGUAGES or not any(f"extends {name}" in text for name in bases):
                continue
            if rel not in roots:
                roots[rel] = st.parse(st.language_for(rel) or "typescript", text).root_node
            for declaration, base in _subclasses(roots[rel]):
                name = declaration.child_by_field_name("name")
                key = (rel, st.text(name)) if name is not None else None
                parent = _base_key(roots[rel], rel, base, found, module_files)
                if key is None or key in found or parent is None or len(found) >= MAX_DERIVED + len(bases):
                    continue
                shape = _through_super(declaration, found[parent][0])
                if shape is None:
                    continue
                params, bound = shape
                inputs = tuple(sorted({rel, *found[parent][0].inputs}))
                found[key] = (derive(found[parent][0], key[1], params, bound, inputs), found[parent][1])
                added += 1
        if not added:
            return


def _subclasses(root: Node) -> list[tuple[Node, str]]:
    """The classes of the file's top level (exported or not) that extend a class named by an identifier."""
    found: list[tuple[Node, str]] = []
    for node in root.named_children:
        if node.type == "export_statement":
            node = node.child_by_field_name("declaration") or node
        base = superclass(node) if node.type in _CLASSES else None
        if base is not None and base.type == "identifier":
            found.append((node, st.text(base)))
    return found


def _base_key(root: Node, rel: str, base: str, found: dict[tuple[str, str], tuple[F, Function]],
              module_files: Callable[[str, str], list[str]]) -> tuple[str, str] | None:
    """The construct class of `found` that `base` names in the file: its own, or one it imports
    from a relative module (`import { SrLambda } from './SrLambda'`) or one its tsconfig maps."""
    if (rel, base) in found and found[(rel, base)][0].constructed:
        return rel, base
    for node in root.named_children:
        source = node.child_by_field_name("source") if node.type == "import_statement" else None
        module = st.string_value(source) if source is not None else None
        if not module:   # a relative module, or one the app's tsconfig maps (`module_files` says)
            continue
        for item in st.walk(node):
            if item.type != "import_specifier":
                continue
            written, alias = item.child_by_field_name("name"), item.child_by_field_name("alias")
            if written is None or st.text(alias if alias is not None else written) != base:
                continue
            for path in module_files(rel, module):
                key = (path, st.text(written))
                if key in found and found[key][0].constructed:
                    return key
    return None


def _through_super(declaration: Node, parent: _Factory) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    """The subclass's constructor parameters and, for each role the base takes from its caller, what
    the subclass's caller passes for it, as the constructor's `super(...)` arguments say; None
    without a constructor calling `super`. A class without a constructor takes its base's."""
    body = declaration.child_by_field_name("body")
    constructor = next((m for m in (body.named_children if body is not None else [])
                        if m.type == "method_definition" and (n := m.child_by_field_name("name")) is not None
                        and st.text(n) == "constructor"), None)
    if constructor is None:   # the base's constructor, as the caller calls it
        return parent.parameters, parent.bound
    call = next((n for n in st.walk(constructor) if n.type == "call_expression" and n.named_children
                 and n.named_children[0].type == "super"), None)
    if call is None:
        return None
    args = st.arguments(call)
    params = parameter_names(constructor)
    refs = parameter_refs(constructor, params)
    bound: list[tuple[str, str]] = []
    for role, ref in parent.bound:
        _, position, key = parent.place(ref)
        if not 0 <= position < len(args):
            continue
        mapped = _map(args[position], key.split(".") if key else [], constructor, refs, params, 0)
        if mapped is not None:
            bound.append((role, mapped))
    return tuple(params), tuple(bound)


def _map(node: Node, keys: list[str], constructor: Node, refs: dict[str, str], params: list[str],
         depth: int) -> str | None:
    """What the subclass's caller passes that `node`'s member `keys` holds: `id` → "id",
    `finalProps` (a variable of the constructor) with keys `lambdaOverrides.runtime` → through
    `{ lambdaOverrides: { ...defaultProps, ...props.lambdaOverrides } }` to
    "props.lambdaOverrides.runtime"; None when the value is the subclass's own."""
    node = st.unwrap(node) or node
    if depth > MAX_MAP_DEPTH:
        return None
    ref = parameter_ref(st.text(node), refs, params) if node.type in ("identifier", "member_expression") else None
    if ref is not None:
        return ".".join([ref, *keys])
    if node.type == "identifier":
        held = declared_in(constructor, st.text(node))
        return _map(held, keys, constructor, refs, params, depth + 1) if held is not None else None
    entries = literal_entries(node) if node.type == "object" and keys else None
    for key, _, value in reversed(entries or []):   # the last writer of the key wins
        if key == keys[0]:
            return _map(value, keys[1:], constructor, refs, params, depth + 1)
        if key == "...":   # the caller's settings, or what the class spreads of its own: it may write the key
            return _map(value, keys, constructor, refs, params, depth + 1)
    return None
