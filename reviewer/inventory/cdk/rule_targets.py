"""EventBridge rules that invoke CDK functions, for the loop check (every CDK language).

Read from the source file that constructs the function, without running it:

- `new events.Rule(this, 'Id', {eventPattern, eventBus, schedule, targets: [new LambdaFunction(fn)]})`
  and `rule.addTarget(new targets.LambdaFunction(fn))`, in each language's spelling
  (`Rule.Builder.create(this, "Id")...build()`, `awsevents.NewRule(...)`, `AddTarget`,
  `awseventstargets.NewLambdaFunction(fn, nil)`; Python: `events.Rule(self, "Id", targets=[...])`,
  `rule.add_target(...)`).

A rule on a schedule is a `schedule` trigger; any other an `eventbridge` trigger on the bus its
`eventBus` names (the construct kept in that variable, as `triggers.py` names resources), or the
account's default bus. Its pattern's `source` and `detail-type` are kept as written; a value the
file computes is kept as None, which the verdict counts as undecided, never as a match or a miss.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name
from reviewer.inventory.cdk.function_urls import NOT_FOLLOWED
from reviewer.inventory.cdk.syntax import CALL_TYPES, IDENTIFIER_TYPES, as_call, chain_end, value_before
from reviewer.inventory.cdk.triggers import MAX_CHAIN, items_of, made_by, resource_of, resource_ref
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import PUBLISHED_VERSIONS_KEY, Function, Location, Trigger

_RULES = frozenset({"Rule", "NewRule"})
_LAMBDA_TARGET = frozenset({"LambdaFunction"})
_ADD_TARGET = frozenset({"addTarget", "add_target"})
# The pattern fields the loop check compares with what a handler puts on the bus.
_FIELDS = {"source": "source", "detailType": "detail-type", "detail_type": "detail-type"}
_OTHER_FIELDS = frozenset({"account", "region", "resources", "detail", "id", "time", "version"})


@dataclass
class _Target:
    """A rule's Lambda target: the function's variable and the rule's reading."""

    function: str
    line: int
    rule: str
    bus: str = ""
    schedule: str | None = None
    pattern: dict[str, Any] | None = field(default_factory=dict)   # None: the pattern is not read


def attach_rule_targets(rel: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Give the functions constructed in this file the EventBridge rules the file points at them."""
    if "LambdaFunction" not in text or not functions:
        return
    found = _python(calls) if calls.tree is not None else _tree_sitter(calls)
    by_line = by_construct_line(functions)
    for target in found:
        for function in by_line.get(calls.stored.get(target.function, AMBIGUOUS), []):
            _add_target(rel, target, function)


def _add_target(rel: str, target: _Target, function: Function) -> None:
    """The trigger an EventBridge rule written in the file gives `function`."""
    attributes: dict[str, Any] = {"name": target.rule, "type": "events.Rule"}
    if target.schedule is not None:
        attributes["schedule"] = target.schedule
        function.triggers.append(Trigger("schedule", Location(rel, target.line), None, attributes))
    else:
        attributes["pattern"] = target.pattern if target.pattern is not None else "not read"
        attributes["bus"] = resource_ref(rel, target.bus).value if target.bus else "default"
        function.triggers.append(Trigger("eventbridge", Location(rel, target.line),
                                         resource_ref(rel, target.bus) if target.bus else None, attributes))
    function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ----------------------------------------------------


def _tree_sitter(calls: FileCalls) -> list[_Target]:
    reader = calls.reader
    assert reader is not None
    found: list[_Target] = []
    for call in calls.calls:
        method = (call.method or "")[:1].lower() + (call.method or "")[1:]
        if method in _ADD_TARGET and call.receiver is not None and call.args:
            made = made_by(reader, call.args[0], _LAMBDA_TARGET)
            rule = rule_of(reader, call.receiver)
            if made is not None and rule is not None:
                found.append(_target(reader, rule[0], made[1].args[0], st.line(call.node), rule[1]))
            continue
        rule = rule_of(reader, call.node)
        if rule is None:
            continue
        listed = _entries(rule[0]).get("targets")
        for item in items_of(listed.value) if listed is not None else []:
            made = made_by(reader, item, _LAMBDA_TARGET)
            if made is not None:
                found.append(_target(reader, rule[0], made[1].args[0], st.line(item), rule[1]))
    return found


def rule_of(reader: ValueReader, node: Any) -> tuple[Props, str] | None:
    """The properties and the name of the `Rule` construct `node` makes (or the variable it is kept
    in names): `Rule <construct id>`."""
    node = st.unwrap(node)
    if node is not None and node.type in IDENTIFIER_TYPES | {"member_expression", "field_access",
                                                              "member_access_expression", "navigation_expression",
                                                              "selector_expression"}:
        name = st.text(node).rpartition(".")[2]
        latest = value_before(reader.root, name, node)        # a variable given one rule, then another
        bound = (latest, Env()) if latest is not None else reader.follow_name(name, Env(), near=node)
        node = st.unwrap(bound[0]) if bound is not None else None
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or not call.callee:
        return None
    literal = reader.string(call.args[1], Env()) if len(call.args) >= 2 else None
    name = f"Rule {literal}" if literal else "Rule"
    if call.callee[-1] in _RULES and len(call.args) >= 3:
        return reader.props(call.args[2], Env()), name
    if call.callee[-3:] == ["Rule", "Builder", "create"] and len(call.args) == 2:
        top = chain_end(call.node, MAX_CHAIN)
        return (reader.props(top, Env()) if top is not call.node else Props()), name
    return None


def _entries(props: Props) -> dict:
    return {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}


def _target(reader: ValueReader, props: Props, function: Any, line: int, rule: str) -> _Target:
    entries = _entries(props)
    name = st.text(st.unwrap(function) or function).rpartition(".")[2]
    found = _Target(name, line, rule)
    if "schedule" in entries:
        found.schedule = " ".join(st.text(entries["schedule"].value).split())[:120]
        return found
    if "eventBus" in entries:
        found.bus = resource_of(entries["eventBus"].value)
    pattern = entries.get("eventPattern")
    if pattern is None:
        return found
    written = reader.props(pattern.value, pattern.env)
    if written.unread is not None:
        found.pattern = None
        return found
    assert found.pattern is not None
    for key, entry in _entries(written).items():
        if key in _FIELDS:
            values = items_of(entry.value)
            found.pattern[_FIELDS[key]] = [reader.string(item, entry.env) for item in values] or [None]
        elif key in _OTHER_FIELDS:
            found.pattern[key] = {}
    return found


# -- Python ---------------------------------------------------------------------------------------


def _python(calls: FileCalls) -> list[_Target]:
    assert calls.tree is not None
    found: list[_Target] = []
    for node in ast.walk(calls.tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "add_target" and node.args:
            rule = python_stored_name(node.func.value)
            made = calls.values.get(rule or "", [])
            function = _py_lambda_target(node.args[0])
            if rule is not None and len(made) == 1 and isinstance(made[0], ast.Call) and function is not None:
                found.append(_py_target(made[0], function, node.lineno, _py_rule_name(made[0])))
            continue
        if _last(node.func) != "Rule":
            continue
        listed = next((k.value for k in node.keywords if k.arg == "targets"), None)
        for item in listed.elts if isinstance(listed, (ast.List, ast.Tuple)) else []:
            function = _py_lambda_target(item)
            if function is not None:
                found.append(_py_target(node, function, item.lineno, _py_rule_name(node)))
    return found


def _py_rule_name(rule: ast.Call) -> str:
    """`Rule <construct id>`, as the other languages name it."""
    written = rule.args[1] if len(rule.args) >= 2 else None
    return f"Rule {written.value}" if isinstance(written, ast.Constant) and isinstance(written.value, str) \
        else "Rule"


def _py_lambda_target(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call) and _last(node.func) == "LambdaFunction" and node.args:
        return python_stored_name(node.args[0])
    return None


def _py_target(rule: ast.Call, function: str, line: int, name: str) -> _Target:
    keywords = {k.arg: k.value for k in rule.keywords if k.arg}
    found = _Target(function, line, name)
    if "schedule" in keywords:
        found.schedule = ast.unparse(keywords["schedule"])[:120]
        return found
    bus = keywords.get("event_bus")
    found.bus = (python_stored_name(bus) or "") if bus is not None else ""
    pattern = keywords.get("event_pattern")
    if pattern is None:
        return found
    if not isinstance(pattern, ast.Call):
        found.pattern = None
        return found
    assert found.pattern is not None
    for keyword in pattern.keywords:
        if keyword.arg in _FIELDS:
            items = keyword.value.elts if isinstance(keyword.value, (ast.List, ast.Tuple)) else []
            found.pattern[_FIELDS[keyword.arg]] = [
                item.value if isinstance(item, ast.Constant) and isinstance(item.value, str) else None
                for item in items] or [None]
        elif keyword.arg in _OTHER_FIELDS:
            found.pattern[str(keyword.arg)] = {}
    return found


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
