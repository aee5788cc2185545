"""The CDK state machines whose tasks invoke a function of the file, and what starts them
(TypeScript, JavaScript, Java, Kotlin, C#, Go with tree-sitter; Python in `state_machines_python.py`).

A state machine invokes a function through its role, with no permission to show it, so without
this a function only a workflow runs counts as invoked by no one, and LR306 says whoever in the
account invokes it writes its event (`analyzers/untrusted_writers.py`). Read from the source file
that constructs the function:

- the tasks: `new tasks.LambdaInvoke(this, 'Id', {lambdaFunction: fn, payload})` (and
  `LambdaInvoke.jsonata(...)`/`.jsonPath(...)`), CDK v1's `new sfn.Task(this, 'Id', {task: new
  tasks.RunLambdaTask(fn, {payload})})` (`InvokeFunction` too), and `new tasks.CallAwsService(this, 'Id',
  {service: 'lambda', action: 'invoke', parameters: {FunctionName: fn.functionName, Payload}})`;
- the state machines: `new sfn.StateMachine(this, 'Id', {definition})` or `{definitionBody:
  sfn.DefinitionBody.fromChainable(chain)}`. A task belongs to the machines whose definition reaches
  it: written inside it, or through the variables it names (`Chain.start(a).next(b)`, `const b = new
  Choice(...).when(cond, c)`, `a.addCatch(d)`, followed across the file). A task no machine of the
  file reaches belongs to the file's one machine, or to a machine the file does not show;
- what starts a machine: an EventBridge rule's `new targets.SfnStateMachine(machine)` (`schedule`
  when the rule has a `schedule` and no pattern, else `eventbridge`; a pipe's is `other`), a
  scheduler's `StepFunctionsStartExecution(machine)` (`schedule`), and the APIs that start it
  (`api`): `StepFunctionsIntegration.startExecution(machine)`, `new StepFunctionsRestApi(..., {stateMachine})`,
  `new HttpStepFunctionsIntegration(..., {stateMachine})`, a `CfnIntegration` whose
  `integrationSubtype` is `StepFunctions-StartExecution` (or `-StartSyncExecution`) and whose
  `requestParameters.StateMachineArn` names the machine. A grant (`machine.grantStartExecution(fn)`)
  is not read: the other formats do not read roles' statements either.

A task's `payload` decides what reaches the function: none, or one with a path into the state
(`TaskInput.fromJsonPathAt('$')`, `JsonPath.stringAt(...)`, a `"x.$"` key, JSONata's `{% ... %}`),
gives it the state; `TaskInput.fromObject({...})` or `fromText(...)` written with constants only
(strings without `$`, numbers, other constructs' attributes) gives it what the definition fixes,
which no execution's input reaches (the trigger's `payload` is `fixed`). A payload held in a
variable, built by a call or written otherwise is taken as the state.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls
from reviewer.inventory.cdk.rule_targets import rule_of
from reviewer.inventory.cdk.state_machine_parts import (
    API_CONSTRUCTS, AWS_SERVICE_TASKS, KIND, LAMBDA_TASKS, MACHINES, MARKERS, MAX_PAYLOAD_NODES, MAX_REACH_NODES,
    MAX_STATES, NAMES, RULE_TARGETS, SCHEDULE_TARGETS, V1_TASKS, VERSIONS, Machine, Reading, Task, linked,
)
from reviewer.inventory.cdk.state_machines_python import read_python
from reviewer.inventory.cdk.syntax import CALL_TYPES, IDENTIFIER_TYPES, MEMBER_TYPES, Call, as_call, assigned_name, \
    chain_end, enclosing_body, holder_parts
from reviewer.inventory.cdk.triggers import MAX_CHAIN, resource_ref
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import Function, Location, Trigger


def attach_state_machines(rel: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Give the functions this file constructs the state machines whose tasks invoke them."""
    if not functions or not any(marker in text for marker in MARKERS):
        return
    if calls.tree is not None:
        reading: Reading[Any] = read_python(calls)
    else:
        reading = _tree_sitter(calls)
    if not reading.tasks:
        return
    for each in reading.machines:
        each.name = each.name or each.variable or f"StateMachine at {rel}:{each.line}"
        each.starters = [kind for variable, kind in reading.starters
                         if variable and (variable == each.variable or variable in each.aliases)]
    budget = [MAX_REACH_NODES]
    reached = [_Spans(_reach(machine, reading, budget)) for machine in reading.machines]
    by_line = by_construct_line(functions)
    invoked: dict[tuple[int, str], tuple[Function, Task, Machine | None, bool, bool]] = {}
    for task in reading.tasks[:MAX_STATES]:
        machine: Machine | None
        for machine in _machines_of(task, reading, reached):
            for function in by_line.get(calls.stored.get(task.function, AMBIGUOUS), []):
                key = (id(function), machine.name if machine is not None else "")
                known = invoked.get(key)
                # one trigger per function and machine; fixed or qualified only when every task is
                fixed = task.fixed and (known is None or known[3])
                qualified = task.qualified and (known is None or known[4])
                invoked[key] = (function, known[1] if known else task, machine, fixed, qualified)
    for function, task, machine, fixed, qualified in invoked.values():
        target = resource_ref(rel, machine.variable) if machine is not None and machine.variable else None
        function.triggers.append(Trigger(KIND, Location(rel, task.line), target, {
            "name": task.name, "machine": machine.name if machine is not None else "",
            "starters": list(machine.starters) if machine is not None else [], "qualified": qualified,
            "payload": "fixed" if fixed else "state"}))


class _Spans:
    """Spans sorted by start, with the furthest end reached so far: whether one of them holds a
    span is a binary search, not a walk over all of them."""

    def __init__(self, spans: list[tuple[Any, Any]]) -> None:
        spans.sort()
        self.starts = [start for start, _ in spans]
        self.ends: list[Any] = []
        for _, end in spans:
            self.ends.append(end if not self.ends or self.ends[-1] < end else self.ends[-1])

    def hold(self, span: tuple[Any, Any]) -> bool:
        index = bisect_right(self.starts, span[0]) - 1
        return index >= 0 and self.ends[index] >= span[1]


def _machines_of(task: Task, reading: Reading[Any], reached: list[_Spans]) -> list[Machine | None]:
    """The machines whose definition reaches the task; the file's one machine, or an unknown one, else."""
    if task.machine is not None:
        return [task.machine]
    found: list[Machine | None] = [machine for machine, spans in zip(reading.machines, reached, strict=True)
                                   if spans.hold(task.span)]
    if found:
        return found
    return [reading.machines[0]] if len(reading.machines) == 1 else [None]


def _reach(machine: Machine, reading: Reading[Any], budget: list[int]) -> list[tuple[Any, Any]]:
    """The spans of the expressions a machine's definition reaches, itself and those its names
    stand for, followed name by name (a task written inside one is the definition's); `budget`:
    the names the file's machines may still walk."""
    pending = list(machine.definition)
    names: set[str] = set()
    spans: dict[tuple[Any, Any], None] = {reading.span(node): None for node in pending}
    seen: set[tuple[Any, Any]] = set()
    while pending and budget[0] > 0:
        node = pending.pop()
        span = reading.span(node)
        if span in seen:
            continue
        seen.add(span)
        spans[span] = None
        scope = None
        for name in reading.names_in(node):
            budget[0] -= 1
            if name in names:
                continue
            names.add(name)
            values = reading.edges.get(name, ())
            if len(values) > 1:
                # `const chain = ...` in two methods: the one written where the name is used
                budget[0] -= len(values)
                scope = reading.scope(node) if scope is None else scope
                values = [value for value in values if reading.scope(value) == scope] or values
            pending.extend(values)
    return list(spans)


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ----------------------------------------------------


def _tree_sitter(calls: FileCalls) -> Reading[Any]:
    reader = calls.reader
    assert reader is not None
    tasks: list[Task] = []
    machines: list[Machine] = []
    starters: list[tuple[str, str]] = []
    edges: dict[str, list[Any]] = {}
    chained: dict[str, list[Any]] = {}
    constructs: dict[str, list[Call]] = {}     # each class → the calls of the file that make one
    for call in calls.calls:
        if len(call.args) >= 3 and len(constructs.setdefault(_class_name(call), [])) < MAX_STATES:
            constructs[_class_name(call)].append(call)
    for call in calls.calls:
        name = _class_name(call)
        _add_edges(call, edges, chained)
        if name in LAMBDA_TASKS | AWS_SERVICE_TASKS or (call.callee[-2:-1] == ["LambdaInvoke"]
                                                        and call.callee[-1] in ("jsonata", "jsonPath")):
            tasks.extend(_task(reader, call, "LambdaInvoke" if name not in AWS_SERVICE_TASKS else name, constructs))
        elif name in V1_TASKS and call.args:
            tasks.extend(_v1_task(reader, call, name))
        elif name in MACHINES and len(call.args) >= 2:
            machines.append(_machine(reader, call, tasks))
        elif name in RULE_TARGETS and call.args:
            starters.append((_holder(call.args[0])[0], _rule_kind(reader, call)))
        elif name in SCHEDULE_TARGETS and call.args:
            starters.append((_holder(call.args[0])[0], "schedule"))
        elif call.callee[-2:] in (["StepFunctionsIntegration", "startExecution"],
                                  ["StepFunctionsIntegration", "StartExecution"]) and call.args:
            starters.append((_holder(call.args[0])[0], "api"))
        elif name in API_CONSTRUCTS or name == "CfnIntegration":
            starters.extend(_api_starter(reader, call, name))
    for machine in machines:
        if machine.returned_by is not None:
            machine.aliases = {name for name, values in edges.items()
                               if any((made := as_call(value)) is not None and made.method == machine.returned_by
                                      for value in values)}
    return Reading(tasks, machines, starters, linked(edges, chained), _names_in, _span, _scope)


def _class_name(call: Call) -> str:
    """The class a construct call makes, in any language's spelling (`new X`, Go's `NewX`, a builder)."""
    if call.callee[-2:] == ["Builder", "create"] and len(call.callee) >= 3:
        return call.callee[-3]
    last = call.callee[-1] if call.callee else ""
    return last[3:] if last.startswith("New") and last[3:4].isupper() else last


def _options(reader: ValueReader, call: Call, index: int = 2) -> dict[str, Any]:
    """The properties of `new X(scope, id, {...})` (or of its builder chain), keyed in camel case."""
    if call.callee[-2:] == ["Builder", "create"]:
        top = chain_end(call.node, MAX_CHAIN)
        props = reader.props(top, Env()) if top is not call.node else Props()
    else:
        props = reader.props(call.args[index], Env()) if len(call.args) > index else Props()
    return {_camel(key): entry for key, entry in props.entries.items()}


def _task(reader: ValueReader, call: Call, kind: str, constructs: dict[str, list[Call]]) -> list[Task]:
    options = _options(reader, call)
    task_id = reader.string(call.args[1], Env()) if len(call.args) >= 2 else None
    name = f"{kind} {task_id}" if task_id else kind
    if kind in AWS_SERVICE_TASKS:
        service = options.get("service")
        action = options.get("action")
        if service is None or action is None or reader.string(service.value, Env()) != "lambda" \
                or (reader.string(action.value, Env()) or "").lower() != "invoke" or "parameters" not in options:
            return []
        parameters = {key: entry for key, entry in reader.props(options["parameters"].value, Env()).entries.items()}
        function = parameters.get("FunctionName")
        if function is None:
            return []
        holder, qualified = _holder(function.value)
        payload = parameters.get("Payload")
        fixed = "Payload.$" not in parameters and (payload is None or _constant(payload.value))
    else:
        function = options.get("lambdaFunction")
        if function is None:
            return []
        holder, qualified = _holder(function.value)
        payload = options.get("payload")
        fixed = payload is not None and _fixed_input(payload.value)
    if not holder:
        return []
    made = _made_with(reader, function.value, holder, constructs)
    if made is not None:
        return [Task(function, line, name, _span(at), fixed, qualified or versioned)
                for function, line, at, versioned in made]
    return [Task(holder, st.line(call.node), name, _span(call.node), fixed, qualified)]


def _made_with(reader: ValueReader, value: Any, key: str, constructs: dict[str, list[Call]]
               ) -> list[tuple[str, int, Any, bool]] | None:
    """A task of a construct class that takes its function from its properties
    (`lambdaFunction: props.lambdaFunction` in a `StateMachineFragment`): the function each `new
    MyJob(this, 'Id', {lambdaFunction: fn})` of the file passes, where it passes it, and the call,
    which is the state a definition names. None when the function is not read from properties."""
    node = st.unwrap(value)
    parts = holder_parts(node) if node is not None and node.type in MEMBER_TYPES else []
    if node is None or len(parts) != 2 or parts[0] not in _PROPS:
        return None
    owner = next((scope for scope in list(st.ancestors(node))[:MAX_CHAIN]
                  if scope.type in ("class_declaration", "class")), None)
    named = owner.child_by_field_name("name") if owner is not None else None
    if named is None:
        return None
    found: list[tuple[str, int, Any, bool]] = []
    for outer in constructs.get(st.text(named), []):
        entry = _options(reader, outer).get(key)
        holder, qualified = _holder(entry.value) if entry is not None else ("", False)
        if holder and entry is not None and len(found) < MAX_STATES:
            found.append((holder, entry.line, outer.node, qualified))
    return found


# The names a construct class's properties parameter is given.
_PROPS = frozenset({"props", "properties", "options", "opts"})


def _v1_task(reader: ValueReader, call: Call, kind: str) -> list[Task]:
    """CDK v1's `new sfn.Task(this, 'Id', {task: new tasks.RunLambdaTask(fn, {payload})})`: the
    `sfn.Task` around it is the state the definition names."""
    holder, qualified = _holder(call.args[0])
    if not holder:
        return []
    options = _options(reader, call, 1)
    payload = options.get("payload")
    fixed = payload is not None and (_fixed_input(payload.value) if kind == "RunLambdaTask"
                                     else _constant(payload.value))
    state = call.node
    for parent in list(st.ancestors(call.node))[:8]:
        outer = as_call(parent) if parent.type in CALL_TYPES else None
        if outer is not None and _class_name(outer) == "Task":
            state = parent
            break
    task_id = None
    outer_call = as_call(state) if state is not call.node else None
    if outer_call is not None and len(outer_call.args) >= 2:
        task_id = reader.string(outer_call.args[1], Env())
    return [Task(holder, st.line(state), f"{kind} {task_id}" if task_id else kind, _span(state),
                 fixed, qualified)]


def _machine(reader: ValueReader, call: Call, tasks: list[Task]) -> Machine:
    """The machine, and a task for each function its `definitionSubstitutions` name (a definition
    kept in a file, `DefinitionBody.fromFile`, whose `${WorkerArn}` a task's `Resource` is)."""
    options = _options(reader, call)
    definition = [entry.value for key, entry in options.items() if key in ("definition", "definitionBody")]
    machine = Machine(_stored(call.node), reader.string(call.args[1], Env()) or "", st.line(call.node), definition,
                      _returned_by(call.node))
    substitutions = options.get("definitionSubstitutions")
    entries = reader.props(substitutions.value, Env()).entries if substitutions is not None else {}
    for key, entry in list(entries.items())[:MAX_STATES]:
        holder, qualified = _holder(entry.value)
        if holder:
            tasks.append(Task(holder, entry.line, f"definitionSubstitutions.{key}", _span(entry.value),
                              qualified=qualified, machine=machine))
    return machine


def _returned_by(node: Any) -> str | None:
    """The method or function whose `return` the construct is, when it is."""
    parent = chain_end(node, MAX_CHAIN).parent
    if parent is None or parent.type != "return_statement":
        return None
    for scope in list(st.ancestors(parent))[:MAX_CHAIN]:
        if scope.type in ("method_definition", "function_declaration", "method_declaration"):
            name = scope.child_by_field_name("name")
            return st.text(name) if name is not None else None
    return None


def _stored(node: Any) -> str | None:
    """The variable a construct (or the method chain it starts) is kept in."""
    return assigned_name(chain_end(node, MAX_CHAIN))


def _rule_kind(reader: ValueReader, call: Call) -> str:
    """`schedule` for a rule on a schedule alone, `other` for a pipe's target, else `eventbridge`."""
    for parent in list(st.ancestors(call.node))[:12]:
        outer = as_call(parent) if parent.type in CALL_TYPES else None
        if outer is None:
            continue
        method = _camel(outer.method or "")
        rule = rule_of(reader, outer.receiver) if method == "addTarget" and outer.receiver is not None \
            else rule_of(reader, parent) if _class_name(outer) in ("Rule", "NewRule") else None
        if rule is not None:
            entries = {_camel(key) for key in rule[0].entries}
            return "schedule" if "schedule" in entries and "eventPattern" not in entries else "eventbridge"
        if _class_name(outer) == "Pipe":
            return "other"
    return "eventbridge"


def _api_starter(reader: ValueReader, call: Call, name: str) -> list[tuple[str, str]]:
    # `new HttpStepFunctionsIntegration('Id', {stateMachine})` takes no scope
    options = _options(reader, call, 1 if name == "HttpStepFunctionsIntegration" else 2)
    if name in API_CONSTRUCTS:
        machine = options.get("stateMachine")
        return [(_holder(machine.value)[0], "api")] if machine is not None else []
    subtype = options.get("integrationSubtype")
    parameters = options.get("requestParameters")
    if subtype is None or parameters is None or \
            not (reader.string(subtype.value, Env()) or "").startswith("StepFunctions-Start"):
        return []
    arn = reader.props(parameters.value, Env()).entries.get("StateMachineArn")
    return [(_holder(arn.value)[0], "api")] if arn is not None else []


def _holder(node: Any) -> tuple[str, bool]:
    """The variable a function or machine is named by (`fn`, `this.fn`, `props.fn`, `fn.functionName`
    → `fn`), and whether it is named through a version (`fn.currentVersion`)."""
    node = st.unwrap(node)
    if node is None:
        return "", False
    parts = holder_parts(node) if node.type in MEMBER_TYPES else [st.text(node)]
    qualified = bool(parts) and parts[-1] in VERSIONS
    while parts and parts[-1] in VERSIONS | NAMES:
        parts = parts[:-1]
    name = parts[-1] if parts else ""
    return (name, qualified) if name.replace("_", "a").isalnum() else ("", False)


def _fixed_input(node: Any) -> bool:
    """`TaskInput.fromObject({...})` or `TaskInput.fromText('...')` of constants only."""
    node = st.unwrap(node)
    call = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if call is None or len(call.callee) < 2 or call.callee[-2] != "TaskInput" or len(call.args) != 1 \
            or _camel(call.callee[-1]) not in ("fromObject", "fromText"):
        return False
    return _constant(call.args[0])


# Literal nodes of the tree-sitter grammars read here, and the containers walked into.
_LITERALS = frozenset({"number", "true", "false", "null", "integer_literal", "decimal_integer_literal",
                       "real_literal", "boolean_literal", "int_literal", "float_literal", "null_literal"})
_STRINGS = frozenset({"string", "string_literal", "interpreted_string_literal", "raw_string_literal",
                      "string_fragment", "template_string", "verbatim_string_literal"})
_CONTAINERS = frozenset({"object", "array", "pair", "property_assignment"})


def _constant(node: Any) -> bool:
    """Whether a payload is written with constants only: literals (a string without `$` or `{%`),
    objects and lists of them, and other constructs' attributes (`bucket.bucketName`)."""
    pending = [st.unwrap(node)]
    walked = 0
    while pending:
        current = pending.pop()
        walked += 1
        if current is None or walked > MAX_PAYLOAD_NODES:
            return False
        kind = current.type
        if kind in _STRINGS:
            written = st.text(current)
            if "$" in written or "{%" in written:
                return False
        elif kind in MEMBER_TYPES:
            if "jsonpath" in st.text(current).lower():
                return False
        elif kind in _CONTAINERS:
            children = [child for child in current.named_children if child.type != "comment"]
            if kind in ("pair", "property_assignment"):
                children = children[1:]     # the key: `"x.$"` is the value's path
                key = current.named_children[0] if current.named_children else None
                if key is not None and "$" in st.text(key):
                    return False
            pending.extend(st.unwrap(child) for child in children)
        elif kind not in _LITERALS:
            return False
    return True


def _names_in(node: Any) -> Iterable[str]:
    """The identifiers an expression mentions (`this.a` → `a`), nested functions included."""
    for current in st.walk(node):
        if current.type in IDENTIFIER_TYPES:
            yield st.text(current)


def _add_edges(call: Call, edges: dict[str, list[Any]], chained: dict[str, list[Any]]) -> None:
    """What a name stands for: the value assigned to it (`const chain = a.next(b)`), and the
    arguments of a method called on it (`a.addCatch(c)`, `choice.when(cond, d)`)."""
    variable = assigned_name(call.node)
    if variable is not None and len(edges.get(variable, ())) < MAX_STATES:
        edges.setdefault(variable, []).append(call.node)
    receiver = st.unwrap(call.receiver) if call.args and not call.is_new else None
    for _ in range(MAX_CHAIN):          # `a.next(b).next(c)`: down the chain to `a`
        inner = as_call(receiver) if receiver is not None and receiver.type in CALL_TYPES else None
        if inner is None:
            break
        receiver = st.unwrap(inner.receiver)
    if receiver is not None and receiver.type in IDENTIFIER_TYPES | MEMBER_TYPES:
        parts = holder_parts(receiver) if receiver.type in MEMBER_TYPES else [st.text(receiver)]
        # a class's static method (`sfn.Chain.start(a)`) links nothing: every chain starts so
        if parts and len(chained.get(parts[-1], ())) < MAX_STATES:
            chained.setdefault(parts[-1], []).extend(call.args)


def _scope(node: Any) -> tuple[int, int] | None:
    body = enclosing_body(node)
    return (body.start_byte, body.end_byte) if body is not None else None


def _span(node: Any) -> tuple[int, int]:
    return node.start_byte, node.end_byte


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


__all__ = ["attach_state_machines"]
