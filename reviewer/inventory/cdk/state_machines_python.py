"""The state machines of a Python CDK file whose tasks invoke its functions, read with `ast`
(`state_machines.py` says what is read and why; the same constructs in Python's spelling):

- `tasks.LambdaInvoke(self, "Id", lambda_function=fn, payload=...)`, CDK v1's
  `sfn.Task(self, "Id", task=tasks.RunLambdaTask(fn, payload=...))`, and
  `tasks.CallAwsService(self, "Id", service="lambda", action="invoke", parameters={"FunctionName": ...})`;
- `sfn.StateMachine(self, "Id", definition=chain)` or `definition_body=sfn.DefinitionBody.from_chainable(chain)`;
- `targets.SfnStateMachine(machine)` in a rule's `targets=[...]` or `rule.add_target(...)`,
  `StepFunctionsStartExecution(machine)`, `apigw.StepFunctionsIntegration.start_execution(machine)`,
  `StepFunctionsRestApi(..., state_machine=machine)`, `HttpStepFunctionsIntegration(..., state_machine=machine)`,
  and a `CfnIntegration` with `integration_subtype="StepFunctions-StartExecution"`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from reviewer.inventory.cdk.file_calls import FileCalls, python_stored_name
from reviewer.inventory.cdk.state_machine_parts import (
    API_CONSTRUCTS, AWS_SERVICE_TASKS, LAMBDA_TASKS, MACHINES, MAX_PAYLOAD_NODES, MAX_STATES, NAMES, RULE_TARGETS,
    SCHEDULE_TARGETS, V1_TASKS, VERSIONS, Machine, Reading, Task, linked,
)

_Span = tuple[tuple[int, int], tuple[int, int]]


def read_python(calls: FileCalls) -> Reading[ast.AST]:
    assert calls.tree is not None
    tasks: list[Task] = []
    machines: list[Machine] = []
    starters: list[tuple[str, str]] = []
    edges: dict[str, list[ast.AST]] = {}
    chained: dict[str, list[ast.AST]] = {}
    ruled: set[int] = set()     # the `SfnStateMachine(...)` calls a rule's targets hold
    read: set[int] = set()      # the `RunLambdaTask(...)` calls read with the `sfn.Task` around them
    stored: dict[int, str] = {}     # a construct call → the name it is assigned to
    for node in ast.walk(calls.tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = python_stored_name(target)
                if name is not None and len(edges.get(name, ())) < MAX_STATES:
                    edges.setdefault(name, []).append(node.value)
                    stored[id(node.value)] = name
        if not isinstance(node, ast.Call) or id(node) in read:
            continue
        _add_edges(node, chained)
        name = _last(node.func)
        keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}
        if name in LAMBDA_TASKS | AWS_SERVICE_TASKS or (name in ("jsonata", "json_path") and isinstance(
                node.func, ast.Attribute) and _last(node.func.value) == "LambdaInvoke"):
            tasks.extend(_task(node, keywords, "LambdaInvoke" if name not in AWS_SERVICE_TASKS else str(name)))
        elif name in V1_TASKS and node.args:
            tasks.extend(_v1_task(node, keywords, str(name)))
        elif name == "Task" and isinstance(keywords.get("task"), ast.Call):
            inner = keywords["task"]
            assert isinstance(inner, ast.Call)
            if _last(inner.func) in V1_TASKS and inner.args:
                tasks.extend(_v1_task(inner, {k.arg: k.value for k in inner.keywords if k.arg}, str(_last(inner.func)),
                                      state=node))
                read.add(id(inner))
        elif name in MACHINES and len(node.args) >= 2:
            machines.append(_machine(node, keywords, stored.get(id(node)), tasks))
        elif name in ("Rule", "add_target"):
            starters.extend(_rule_starters(node, keywords, calls, ruled))
        elif name in SCHEDULE_TARGETS and node.args:
            starters.append((_holder(node.args[0])[0], "schedule"))
        elif name == "start_execution" and isinstance(node.func, ast.Attribute) \
                and _last(node.func.value) == "StepFunctionsIntegration" and node.args:
            starters.append((_holder(node.args[0])[0], "api"))
        elif name in API_CONSTRUCTS and "state_machine" in keywords:
            starters.append((_holder(keywords["state_machine"])[0], "api"))
        elif name == "CfnIntegration":
            starters.extend(_api_integration(keywords))
    # a `SfnStateMachine(...)` no rule of the file holds (a pipe's, a list built apart) starts it too
    for node in ast.walk(calls.tree):
        if isinstance(node, ast.Call) and _last(node.func) in RULE_TARGETS and node.args and id(node) not in ruled:
            starters.append((_holder(node.args[0])[0], "eventbridge"))
    tasks = [task for task in tasks if task.function]
    returned = _returned(calls.tree)
    for machine in machines:
        machine.returned_by = returned.get(machine.line)
        if machine.returned_by is not None:
            machine.aliases = {name for name, values in edges.items()
                               if any(isinstance(value, ast.Call) and _last(value.func) == machine.returned_by
                                      for value in values)}
    scopes = _scopes(calls.tree)
    return Reading(tasks, machines, starters, linked(edges, chained), _names_in, _span,
                   lambda node: scopes.get(id(node)))


def _returned(tree: ast.Module) -> dict[int, str]:
    """The line of each `return sfn.StateMachine(...)` → the name of the method that returns it."""
    found: dict[int, str] = {}
    for scope in ast.walk(tree):
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(scope):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Call) \
                        and _last(node.value.func) in MACHINES:
                    found[node.value.lineno] = scope.name
    return found


def _scopes(tree: ast.Module) -> dict[int, int]:
    """Each node → the function around it (its `id`), the innermost one winning (walked outer first)."""
    found: dict[int, int] = {}
    for scope in ast.walk(tree):
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(scope):
                if node is not scope:
                    found[id(node)] = id(scope)
    return found


def _task(node: ast.Call, keywords: dict[str, ast.expr], kind: str) -> list[Task]:
    task_id = _string(node.args[1]) if len(node.args) >= 2 else None
    name = f"{kind} {task_id}" if task_id else kind
    if kind in AWS_SERVICE_TASKS:
        if _string(keywords.get("service")) != "lambda" or (_string(keywords.get("action")) or "").lower() != "invoke":
            return []
        parameters = keywords.get("parameters")
        if not isinstance(parameters, ast.Dict):
            return []
        entries = {key.value: value for key, value in zip(parameters.keys, parameters.values, strict=True)
                   if isinstance(key, ast.Constant) and isinstance(key.value, str)}
        if "FunctionName" not in entries:
            return []
        holder, qualified = _holder(entries["FunctionName"])
        fixed = "Payload.$" not in entries and ("Payload" not in entries or _constant(entries["Payload"]))
    else:
        function = keywords.get("lambda_function")
        if function is None:
            return []
        holder, qualified = _holder(function)
        payload = keywords.get("payload")
        fixed = payload is not None and _fixed_input(payload)
    return [Task(holder, node.lineno, name, _span(node), fixed, qualified)]


def _v1_task(node: ast.Call, keywords: dict[str, ast.expr], kind: str, state: ast.Call | None = None
             ) -> list[Task]:
    """`RunLambdaTask(fn, payload=...)`, read with the `sfn.Task` state around it when there is one."""
    holder, qualified = _holder(node.args[0])
    payload = keywords.get("payload")
    fixed = payload is not None and (_fixed_input(payload) if kind == "RunLambdaTask" else _constant(payload))
    around = state or node
    task_id = _string(around.args[1]) if state is not None and len(around.args) >= 2 else None
    return [Task(holder, around.lineno, f"{kind} {task_id}" if task_id else kind, _span(around), fixed,
                 qualified)]


def _machine(node: ast.Call, keywords: dict[str, ast.expr], variable: str | None, tasks: list[Task]) -> Machine:
    """The machine, and a task for each function its `definition_substitutions` name."""
    definition: list[ast.AST] = [value for key, value in keywords.items() if key in ("definition", "definition_body")]
    machine = Machine(variable, _string(node.args[1]) or "", node.lineno, definition)
    substitutions = keywords.get("definition_substitutions")
    if isinstance(substitutions, ast.Dict):
        for key, value in list(zip(substitutions.keys, substitutions.values, strict=True))[:MAX_STATES]:
            holder, qualified = _holder(value)
            if holder and isinstance(key, ast.Constant) and isinstance(key.value, str):
                tasks.append(Task(holder, value.lineno, f"definition_substitutions.{key.value}", _span(value),
                                  qualified=qualified, machine=machine))
    return machine


def _rule_starters(node: ast.Call, keywords: dict[str, ast.expr], calls: FileCalls,
                   ruled: set[int]) -> list[tuple[str, str]]:
    """The machines a rule targets: `Rule(..., schedule=..., targets=[SfnStateMachine(m)])` or `rule.add_target(...)`."""
    if _last(node.func) == "add_target":
        if not isinstance(node.func, ast.Attribute) or not node.args:
            return []
        made = calls.values.get(python_stored_name(node.func.value) or "", [])
        rule = made[0] if len(made) == 1 and isinstance(made[0], ast.Call) and _last(made[0].func) == "Rule" else None
        items: list[ast.expr] = list(node.args[:1])
        rule_keywords = {k.arg for k in rule.keywords if k.arg} if rule is not None else set()
    else:
        listed = keywords.get("targets")
        items = list(listed.elts) if isinstance(listed, (ast.List, ast.Tuple)) else []
        rule_keywords = {key for key in keywords if key}
    kind = "schedule" if "schedule" in rule_keywords and "event_pattern" not in rule_keywords else "eventbridge"
    found: list[tuple[str, str]] = []
    for item in items[:MAX_STATES]:
        if isinstance(item, ast.Call) and _last(item.func) in RULE_TARGETS and item.args:
            ruled.add(id(item))
            found.append((_holder(item.args[0])[0], kind))
    return found


def _api_integration(keywords: dict[str, ast.expr]) -> list[tuple[str, str]]:
    """A `CfnIntegration` of an HTTP API starting the machine its `StateMachineArn` names."""
    parameters = keywords.get("request_parameters")
    if not (_string(keywords.get("integration_subtype")) or "").startswith("StepFunctions-Start") \
            or not isinstance(parameters, ast.Dict):
        return []
    for key, value in zip(parameters.keys, parameters.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == "StateMachineArn":
            return [(_holder(value)[0], "api")]
    return []


def _holder(node: ast.expr | None) -> tuple[str, bool]:
    """`fn`, `self.fn`, `fn.function_name` → `fn`; `fn.current_version` → `fn`, qualified."""
    qualified = False
    for _ in range(3):
        if isinstance(node, ast.Attribute) and node.attr in VERSIONS | NAMES and \
                not (isinstance(node.value, ast.Name) and node.value.id == "self"):
            qualified = qualified or node.attr in VERSIONS
            node = node.value
    name = python_stored_name(node) if node is not None else None
    return (name, qualified) if name is not None else ("", False)


def _fixed_input(node: ast.expr) -> bool:
    """`sfn.TaskInput.from_object({...})` or `from_text("...")` of constants only."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in ("from_object", "from_text") and _last(node.func.value) == "TaskInput" \
        and len(node.args) == 1 and not node.keywords and _constant(node.args[0])


def _constant(node: ast.expr) -> bool:
    """Literals (a string without `$` or `{%`), dicts and lists of them, other constructs' attributes."""
    walked = 0
    held = {id(current.value) for current in ast.walk(node) if isinstance(current, ast.Attribute)}
    for current in ast.walk(node):
        walked += 1
        if walked > MAX_PAYLOAD_NODES:
            return False
        if isinstance(current, ast.Constant):
            if isinstance(current.value, str) and ("$" in current.value or "{%" in current.value):
                return False
        elif isinstance(current, ast.Attribute):
            if "json_path" in ast.unparse(current).lower() or "jsonpath" in ast.unparse(current).lower():
                return False
        elif not isinstance(current, (ast.Dict, ast.List, ast.Tuple, ast.Name, ast.Load, ast.UnaryOp, ast.USub)):
            return False
        elif isinstance(current, ast.Name) and id(current) not in held:
            return False        # a variable's value is not followed
    return True


def _add_edges(node: ast.Call, chained: dict[str, list[ast.AST]]) -> None:
    """The arguments of a method called on a name (`a.add_catch(b)`, `choice.when(cond, c)`, the
    root of `a.next(b).next(c)`), which its state reaches."""
    receiver: ast.expr | None = node.func.value if isinstance(node.func, ast.Attribute) else None
    for _ in range(200):
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
            receiver = receiver.func.value
        else:
            break
    name = python_stored_name(receiver) if receiver is not None else None
    if name is None or len(chained.get(name, ())) >= MAX_STATES:
        return
    chained.setdefault(name, []).extend([*node.args, *(keyword.value for keyword in node.keywords)])


def _names_in(node: ast.AST) -> Iterable[str]:
    """The names an expression mentions (`self.a` → `a`)."""
    for current in ast.walk(node):
        if isinstance(current, ast.Name):
            yield current.id
        elif isinstance(current, ast.Attribute) and isinstance(current.value, ast.Name) and current.value.id == "self":
            yield current.attr


def _span(node: ast.AST) -> _Span:
    return ((getattr(node, "lineno", 0), getattr(node, "col_offset", 0)),
            (getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0))


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
