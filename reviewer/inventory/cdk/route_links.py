"""CDK routes whose function is declared in another file, for LR305 (Python in `route_links_python.py`).

Real apps often construct their functions in one file and their API in another, and hand the
function (or a `LambdaIntegration` of it) over through an object:

- a construct property: `this.handler = new lambda.Function(...)` in `LambdaStack` (or a
  `Functions` construct), read as `lambdaStack.handler` / `this.functions.orders` where
  `const lambdaStack = new LambdaStack(...)`;
- a stack's props: `new LambdaIntegration(props.handler)` in `ApiStack`, with
  `new ApiStack(app, 'Api', { handler: lambdaStack.handler })` in `bin/app.ts`.

`routes.py` hands back each route whose function is named that way and not constructed in the
route's file (a `PendingRoute`); this module follows the name, one step at a time, to exactly one
function construct of the inventory. It links conservatively, because a wrong link is a wrong
finding: a class must be declared once in the app's sources, a property assigned once, and every
`new ApiStack(...)` must hand over the same function; anything else (two candidates, a value
computed at synth time, a props object built elsewhere) leaves the route unlinked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.route_links_python import link_python_routes
from reviewer.content_cache import ContentCache
from reviewer.model import Function, HttpRoute

_MAX_STEPS = 24
_ASSIGNMENTS = ("variable_declarator", "assignment_expression", "public_field_definition")
_CLASSES = ("class_declaration", "class", "abstract_class_declaration")


@dataclass(frozen=True)
class PendingRoute:
    """A route read in `rel` whose function is the value of `target` (`props.handler`), not built there."""

    rel: str
    target: str
    route: HttpRoute


@dataclass
class _Source:
    """One TypeScript/JavaScript source of an app and the classes it declares."""

    rel: str
    root: Any
    classes: dict[str, Any] = field(default_factory=dict)      # class name -> declaration node


@dataclass
class _Index:
    """The app's sources, classes, constructions and functions, for following routes across files."""

    sources: dict[str, _Source]
    classes: dict[str, list[tuple[_Source, Any]]]            # class name -> its declarations
    creations: dict[str, list[tuple[_Source, Any]]]          # class name -> `new Name(...)` nodes
    functions: dict[tuple[str, int], Function]               # (file, construct line) -> function


def link_cross_file_routes(pending: list[PendingRoute], texts: dict[str, str], functions: list[Function],
                           parsed: ContentCache) -> None:
    """Add each pending route to the one function its target names, when that is certain.
    `parsed` is the run's cache: the sources are parsed once, by whichever reader comes first."""
    in_python = [waiting for waiting in pending if waiting.rel.endswith(".py")]
    if in_python:
        link_python_routes(in_python, {rel: text for rel, text in texts.items() if rel.endswith(".py")}, functions,
                           parsed)
    pending = [waiting for waiting in pending if not waiting.rel.endswith(".py")]
    if not pending:
        return
    index = _index({rel: text for rel, text in texts.items() if not rel.endswith(".py")}, functions, parsed)
    for waiting in pending:
        source = index.sources.get(waiting.rel)
        if source is None:
            continue
        found = _Resolver(index).name(source, _class_at(source, waiting.route.location.line), waiting.target)
        if found is not None:
            found.routes.append(waiting.route)


def _index(texts: dict[str, str], functions: list[Function], parsed: ContentCache) -> _Index:
    index = _Index({}, {}, {}, {(f.location.path, f.location.line): f for f in functions})
    for rel, text in texts.items():
        try:
            tree = parsed.derived("source-tree", (rel, text), partial(st.parse_file, rel, text))
        except (ValueError, RecursionError, MemoryError):
            continue
        if tree is None:
            continue
        source = _Source(rel, tree.root_node)
        index.sources[rel] = source
        for node in st.walk(tree.root_node):
            if node.type in _CLASSES and (name := st.text(node.child_by_field_name("name"))):
                source.classes[name] = node
                index.classes.setdefault(name, []).append((source, node))
            elif node.type == "new_expression":
                index.creations.setdefault(_short(st.call_name(node)), []).append((source, node))
    return index


class _Resolver:
    """Follows a name to the function construct it holds, or to None when that is not certain."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.steps = 0

    def name(self, source: _Source, klass: Any, name: str) -> Function | None:
        """`this.a.b`, `props.a.b` or `local.a.b` read inside `klass` (None: outside any class)."""
        self.steps += 1
        parts = name.split(".")
        if self.steps > _MAX_STEPS or not all(parts):
            return None
        head, rest = parts[0], parts[1:]
        if head == "this":
            if klass is None or not rest:
                return None
            value = _single(_field_values(klass, rest[0]))
            return self.member(source, klass, value, rest[1:]) if value is not None else None
        if klass is not None and (position := _constructor_parameter(klass, head)) is not None:
            # the parameter itself, and nothing else of that name in the class
            return self.props(klass, position, rest) if len(_local_values(klass, head)) == 1 else None
        values = _local_values(klass, head) if klass is not None else []
        found = _single(values or _local_values(source.root, head))
        return self.member(source, klass, found[0], found[1] + rest) if found is not None else None

    def props(self, klass: Any, position: int, rest: list[str]) -> Function | None:
        """`props.key...` in a constructor: what every `new Klass(...)` of the app passes as `key`
        (or, for a parameter used whole, passes in its place)."""
        class_name = st.text(klass.child_by_field_name("name"))
        if len(self.index.classes.get(class_name, [])) != 1:
            return None
        creations = self.index.creations.get(class_name, [])
        found: set[int] = set()
        result: Function | None = None
        for source, creation in creations:
            arguments = st.arguments(creation)
            value = arguments[position] if len(arguments) > position else None
            if value is not None and rest:
                value = _property(value, rest[0])
            if value is None:
                return None
            function = self.member(source, _class_around(source, creation), value, rest[1:])
            if function is None:
                return None
            found.add(id(function))
            result = function
        return result if len(found) == 1 else None

    def member(self, source: _Source, klass: Any, value: Any, rest: list[str]) -> Function | None:
        """The function `value.rest...` holds."""
        value = st.unwrap(value)
        if value is None:
            return None
        if value.type in ("identifier", "member_expression", "this", "shorthand_property_identifier"):
            name = st.text(value) if value.type == "shorthand_property_identifier" else _dotted(value)
            return self.name(source, klass, ".".join([name, *rest])) if name else None
        if value.type != "new_expression":
            return None
        kind = _short(st.call_name(value))
        if not rest:
            if kind.endswith("LambdaIntegration"):
                arguments = st.arguments(value)
                at = 1 if kind.startswith("Http") else 0
                return self.member(source, klass, arguments[at], []) if len(arguments) > at else None
            return self.index.functions.get((source.rel, st.line(value)))
        declarations = self.index.classes.get(kind, [])
        if len(declarations) != 1:
            return None
        owner, declaration = declarations[0]
        assigned = _single(_field_values(declaration, rest[0]))
        return self.member(owner, declaration, assigned, rest[1:]) if assigned is not None else None


def _short(name: str) -> str:
    return name.rpartition(".")[2]


def _single(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else None


def _dotted(node: Any) -> str:
    """`a.b.c`, and `this.a.b` (a construct kept on the class)."""
    node = st.unwrap(node)
    if node is None:
        return ""
    if node.type == "this":
        return "this"
    if node.type == "member_expression":
        base = _dotted(node.child_by_field_name("object"))
        prop = node.child_by_field_name("property")
        return f"{base}.{st.text(prop)}" if base and prop is not None else ""
    return st.dotted(node) if node.type == "identifier" else ""


def _field_values(klass: Any, name: str) -> list[Any]:
    """Every value assigned to `this.name` in the class (a field initialiser counts too)."""
    values: list[Any] = []
    for node in st.walk(klass):
        if node.type == "public_field_definition" and st.text(node.child_by_field_name("name")) == name:
            if (value := node.child_by_field_name("value")) is not None:
                values.append(value)
        elif node.type == "assignment_expression" and _dotted(node.child_by_field_name("left")) == f"this.{name}":
            values.append(node.child_by_field_name("right"))
        elif node.type == "augmented_assignment_expression" and \
                _dotted(node.child_by_field_name("left")) == f"this.{name}":
            values.append(node)                          # `this.x ??= ...`: not one value
    return values


def _local_values(scope: Any, name: str) -> list[tuple[Any, list[str]]]:
    """Every value a variable of that name is given in the scope (`const x = ...`, `x = ...`), with
    the property it is read from when destructured (`const { x } = props` is `props.x`)."""
    values: list[tuple[Any, list[str]]] = []
    for node in st.walk(scope):
        if node.type == "variable_declarator":
            target = node.child_by_field_name("name")
            if st.text(target) == name:
                values.append((node.child_by_field_name("value"), []))
            elif target is not None and target.type in ("object_pattern", "array_pattern"):
                values.extend((node.child_by_field_name("value"), key) for key in _destructured(target, name))
        elif node.type in ("assignment_expression", "augmented_assignment_expression") and \
                st.text(node.child_by_field_name("left")) == name:
            values.append((node.child_by_field_name("right"), []))
        elif _binds(node, name):
            values.append((None, []))                    # a parameter, a loop variable: not one value
    return values


def _binds(node: Any, name: str) -> bool:
    """Whether `node` is a parameter or a loop/catch variable that binds `name`."""
    field = {"required_parameter": "pattern", "optional_parameter": "pattern", "for_in_statement": "left",
             "catch_clause": "parameter"}.get(node.type)
    bound = node.child_by_field_name(field) if field is not None else None
    if node.type == "identifier" and node.parent is not None and (
            node.parent.type == "formal_parameters"      # JavaScript: `constructor(scope, id, props)`
            or node.parent.type == "arrow_function" and node.parent.child_by_field_name("parameter") == node):
        bound = node
    return bound is not None and any(st.text(child) == name for child in st.walk(bound)
                                     if child.type in ("identifier", "shorthand_property_identifier_pattern"))


def _destructured(pattern: Any, name: str) -> list[list[str]]:
    """[[key]] when an object pattern binds `name` from property `key`; [[]] when it binds it otherwise."""
    for entry in pattern.named_children if pattern.type == "object_pattern" else []:
        if entry.type == "shorthand_property_identifier_pattern" and st.text(entry) == name:
            return [[name]]
        if entry.type == "pair_pattern" and st.text(entry.child_by_field_name("value")) == name:
            return [[st.text(entry.child_by_field_name("key"))]]
    bound = any(st.text(child) == name for child in st.walk(pattern)
                if child.type in ("identifier", "shorthand_property_identifier_pattern"))
    return [["*"]] if bound else []


def _constructor_parameter(klass: Any, name: str) -> int | None:
    """The position of the class constructor's parameter called `name`."""
    for node in st.walk(klass):
        if node.type != "method_definition" or st.text(node.child_by_field_name("name")) != "constructor":
            continue
        parameters = node.child_by_field_name("parameters")
        for position, parameter in enumerate(parameters.named_children if parameters is not None else []):
            pattern = parameter.child_by_field_name("pattern") or parameter.child_by_field_name("left")
            if st.text(pattern if pattern is not None else parameter) == name:
                return position
        return None
    return None


def _property(node: Any, key: str) -> Any:
    """The value an object literal gives `key` (`{handler: fn}`, `{handler}`)."""
    node = st.unwrap(node)
    if node is None or node.type != "object":
        return None
    found = None
    for entry in node.named_children:
        name = entry.child_by_field_name("key")
        if entry.type == "pair" and key in (st.text(name), st.string_value(name)):
            found = entry.child_by_field_name("value")
        elif entry.type == "shorthand_property_identifier" and st.text(entry) == key:
            found = entry
        elif entry.type == "spread_element":
            found = None                                 # `{handler, ...other}`: the spread may replace it
    return found


def _class_around(source: _Source, node: Any) -> Any:
    for ancestor in st.ancestors(node):
        if ancestor.type in _CLASSES:
            return ancestor
    return None


def _class_at(source: _Source, line: int) -> Any:
    """The innermost class whose lines hold `line`."""
    around = None
    for klass in source.classes.values():
        if st.line(klass) <= line <= st.end_line(klass):
            if around is None or st.line(klass) >= st.line(around):
                around = klass
    return around
