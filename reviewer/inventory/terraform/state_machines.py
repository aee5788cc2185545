"""The Terraform state machines whose tasks invoke a function, and what starts them.

A state machine invokes a function through its role, with no `aws_lambda_permission` to show it,
so without this a function only a workflow runs counts as one the account invokes directly
(`analyzers/untrusted_writers.py`). An `aws_sfn_state_machine` (or a call of the registry's
terraform-aws-modules/step-functions module) names the function in its `definition`:

- `jsonencode({...})`, written in place or in locals (`merge(local.base_states, ...)`): a task's
  `Resource`, or the `FunctionName` of its `Parameters` or `Arguments`, is a reference to the
  function (`aws_lambda_function.x.arn`, `module.x.lambda_function_arn`, an alias of it);
- `templatefile(path, vars)` (under `yamldecode`, `replace` or `jsonencode` too), or a
  `data "template_file"`'s `rendered` text: the template's `"Resource": "${fn_arn}"` (or
  `FunctionName`) names a variable whose value in `vars` is the function;
- a heredoc or string whose `"Resource": "${aws_lambda_function.x.arn}"` names it in place.

Locals and the `jsonencode` structures are walked as written, both branches of a condition and
the body of a `for` included: a function the configuration does not create is not found, so only
the tasks of functions that exist become triggers. What starts a state machine is read from the
resources that target it: an EventBridge rule's target (`schedule` when its rule has only a
`schedule_expression`), an EventBridge Scheduler schedule, a pipe, and an HTTP API integration
whose `request_parameters` name it (`StepFunctions-StartExecution`).
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.inventory.terraform.count import iterations
from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.service_links import ServiceLinks
from reviewer.inventory.terraform.values import JsonDocument, Literal, Reference, Scope, Structure, Value
from reviewer.located import key_line, line_of
from reviewer.model import Function, Location, ResourceRef, Trigger

KIND = "stepfunctions"
STATE_MACHINE = "aws_sfn_state_machine"
# How many mappings, lists and expressions of one definition are walked: a real one has a few hundred.
MAX_DEFINITION_NODES = 5_000
MAX_TEMPLATE_CHARS = 256 * 1024
_STEP_FUNCTIONS_MODULES = ("terraform-aws-modules/step-functions", "terraform-aws-modules/terraform-aws-step-functions")
_INVOKING_KEYS = ("Resource", "FunctionName")
# A task's `Resource` or `FunctionName` in a template's text (JSON or YAML), and what it is set to.
_TASK_VALUE = re.compile(r"""["']?\b(?:Resource|FunctionName)["']?[ \t]*:[ \t]*["']?([^"'\n]{0,300})""")
# A template's variable (`${fn_arn}`), or a reference a heredoc interpolates (`${aws_lambda_function.x.arn}`).
_TEMPLATE_VARIABLE = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_-]{0,127}(?:\.[A-Za-z_][A-Za-z0-9_-]{0,127}){0,4})\s*\}")
# The text before an interpolation that makes it a task's function: `"Resource": "` at its end.
_INVOKING_TAIL = re.compile(r"""\b(?:Resource|FunctionName)["']?[ \t]*:[ \t]*["']?$""")
_QUALIFIED_ATTRIBUTES = ("qualified_arn", "qualified_invoke_arn", "version")
_STARTED_BY_RULE = "aws_cloudwatch_event_target"


class StateMachineLinks(ServiceLinks):
    """Attaches a `stepfunctions` trigger to each function a state machine's definition names."""

    _machine_starters: dict[tuple[str, str], list[str]] | None = None

    def _link(self, instance: Instance) -> None:
        super()._link(instance)
        for name, block in instance.module.modules.items():
            source = block.get("source")
            if not isinstance(source, str) or not any(known in source.lower() for known in _STEP_FUNCTIONS_MODULES):
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                self._state_machine(instance.address(f"module.{name}"), iteration.suffix, block,
                                    Scope(instance, block.path, iteration))

    def _link_aws_sfn_state_machine(self, address: str, block: Block, scope: Scope) -> None:
        base = address.rsplit("[", 1)[0] if address.endswith("]") else address
        self._state_machine(base, address[len(base):], block, scope)

    def _state_machine(self, address: str, suffix: str, block: Block, scope: Scope) -> None:
        if "definition" not in block.attributes:
            return
        found = _DefinitionReader(self).read(block.attributes["definition"], scope)
        if not found:
            return
        started = self._starters(scope.instance.root_directory, address)
        for function, location, qualified in found:
            function.triggers.append(Trigger(KIND, location, ResourceRef("terraform", address + suffix), {
                "name": address + suffix, "machine": address + suffix, "starters": list(started),
                "qualified": qualified}))

    # -- what starts a state machine -------------------------------------------------------------

    def _starters(self, root: str, address: str) -> list[str]:
        """The kinds of what the configuration says starts the state machine at `address`."""
        if self._machine_starters is None:
            self._machine_starters = {}
            for instance in self.instances:
                for (type_, _), block in instance.module.resources.items():
                    self._starter(instance, type_, block)
        return self._machine_starters.get((root, address), [])

    def _starter(self, instance: Instance, type_: str, block: Block) -> None:
        scope = Scope(instance, block.path)
        if type_ == _STARTED_BY_RULE:
            self._started(self.evaluator.evaluate(block.get("arn"), scope), self._rule_kind(block, scope))
        elif type_ == "aws_scheduler_schedule":
            for target in block.blocks_named("target"):
                self._started(self.evaluator.evaluate(target.get("arn"), scope.at(target.path)), "schedule")
        elif type_ == "aws_pipes_pipe":
            self._started(self.evaluator.evaluate(block.get("target"), scope), "other")
        elif type_ == "aws_apigatewayv2_integration":
            parameters = self.evaluator.evaluate(block.get("request_parameters"), scope)
            if isinstance(parameters, Structure) and isinstance(parameters.value, dict) \
                    and "StateMachineArn" in parameters.value:
                self._started(self.evaluator.evaluate(parameters.value["StateMachineArn"], parameters.scope), "api")

    def _rule_kind(self, target: Block, scope: Scope) -> str:
        """`schedule` for a target whose rule has a `schedule_expression` and no `event_pattern`."""
        rule = self.evaluator.evaluate(target.get("rule"), scope)
        found = self._block(rule) if isinstance(rule, Reference) else None
        if found is None:
            return "eventbridge"
        attributes = found[0].attributes
        return "schedule" if "schedule_expression" in attributes and "event_pattern" not in attributes \
            else "eventbridge"

    def _started(self, target: Value, kind: str) -> None:
        if not isinstance(target, Reference) or target.resource_type not in (STATE_MACHINE, "module"):
            return
        root = target.scope.instance.root_directory if target.scope is not None else ""
        assert self._machine_starters is not None
        self._machine_starters.setdefault((root, target.ref.value), []).append(kind)


class _DefinitionReader:
    """The functions one definition names, each with where it is named and whether every task
    names a version or an alias of it."""

    def __init__(self, links: StateMachineLinks) -> None:
        self.links = links
        self.evaluator = links.evaluator
        # id of the function → (the function, where a task first names it, whether every task is qualified)
        self.found: dict[int, tuple[Function, Location, bool]] = {}
        self.walked = 0
        self.locals_seen: set[str] = set()

    def read(self, definition: Any, scope: Scope) -> list[tuple[Function, Location, bool]]:
        pending: list[tuple[Any, Scope]] = [(definition, scope)]
        while pending and self.walked < MAX_DEFINITION_NODES:
            node, where = pending.pop()
            self.walked += 1
            if isinstance(node, (Structure, JsonDocument)):
                pending.append((node.value, node.scope))
            elif isinstance(node, dict):
                for key in _INVOKING_KEYS:
                    if key in node:
                        self._task_value(node[key], where, Location(where.path, key_line(node, key, 1)))
                pending.extend((value, where) for key, value in node.items() if key not in _INVOKING_KEYS)
            elif isinstance(node, list):
                pending.extend((value, where) for value in node)
            elif isinstance(node, Expression):
                pending.extend(self._expression(node, where))
            elif isinstance(node, Literal) and isinstance(node.value, str) and node.location is not None:
                self._text(node.value, {}, where, node.location, in_place=True)
            elif isinstance(node, str) and "${" in node:      # a heredoc: its interpolations stay in its text
                self._text(node, {}, where, Location(where.path, line_of(node, 1)), in_place=True)
        return list(self.found.values())

    def _expression(self, expr: Expression, scope: Scope) -> list[tuple[Any, Scope]]:
        """What to walk next of an expression: what a reference evaluates to (a local's expression
        as written when its value is unknown), a template's text, or the expression's parts."""
        if expr.kind == "reference":
            return self._reference(expr, scope)
        if expr.kind == "call" and expr.name == "templatefile" and len(expr.args) == 2:
            path = self.evaluator.evaluate(expr.args[0], scope)
            text = self._template_text(path, scope)
            if text is not None:
                self._text(text, self._variables(self.evaluator.evaluate(expr.args[1], scope)), scope,
                           Location(scope.path, expr.line))
            return []
        if expr.kind == "template" and len(expr.args) == 1 and isinstance(expr.args[0], Expression):
            return [(expr.args[0], scope)]      # "${data.template_file.x.rendered}"
        if expr.kind == "template":
            self._interpolations(expr, scope)
            return []
        return [(part, scope) for part in expr.args if isinstance(part, (Expression, dict, list))]

    def _reference(self, expr: Expression, scope: Scope) -> list[tuple[Any, Scope]]:
        value = self.evaluator.evaluate(expr, scope)
        if isinstance(value, (Structure, JsonDocument)):
            return [(value.value, value.scope)]
        if isinstance(value, Literal):
            return [(value, scope)]
        if isinstance(value, Reference) and value.resource_type == "data.template_file":
            self._template_file(value)
            return []
        if expr.name.startswith("local.") and expr.name.count(".") == 1:
            name = expr.name[len("local."):]
            key = f"{id(scope.instance)}:{name}"
            if name in scope.instance.module.locals and key not in self.locals_seen:
                self.locals_seen.add(key)
                raw, path = scope.instance.module.locals[name]
                return [(raw, Scope(scope.instance, path))]
        return []

    # -- templates -------------------------------------------------------------------------------

    def _template_file(self, reference: Reference) -> None:
        """`data.template_file.x.rendered`: its `template` text with its `vars` (attribute or block)."""
        found = self.links._block(reference)
        if found is None or reference.attribute != "rendered":
            return
        block, instance = found
        scope = Scope(instance, block.path)
        text = self._template_text(self.evaluator.evaluate(block.get("template"), scope), scope, read=False)
        if text is None:
            return
        variables = self._variables(self.evaluator.evaluate(block.get("vars"), scope)) if "vars" in block.attributes \
            else {}
        for nested in block.blocks_named("vars"):
            variables.update({str(key): (value, Scope(instance, nested.path), nested.attributes.line_of(str(key)))
                              for key, value in nested.attributes.items()})
        self._text(text, variables, scope, Location(block.path, block.line))

    def _template_text(self, value: Value, scope: Scope, read: bool = True) -> str | None:
        """The text of a template: the file `templatefile` reads (`read`), or a string already read."""
        if not isinstance(value, Literal) or not isinstance(value.value, str):
            return None
        if not read:
            return value.value if len(value.value) <= MAX_TEMPLATE_CHARS else None
        path = value.value
        if path.startswith("/") or "://" in path or self.evaluator.read_file is None:
            return None
        text = next((found for found in map(self.evaluator.read_file, scope.instance.run_paths(path))
                     if found is not None), None)
        return text if text is not None and len(text) <= MAX_TEMPLATE_CHARS else None

    def _variables(self, value: Value) -> dict[str, tuple[Any, Scope, int]]:
        """A template's variables: name → (value as written, its scope, its line)."""
        if not isinstance(value, Structure) or not isinstance(value.value, dict):
            return {}
        return {str(key): (item, value.scope, key_line(value.value, str(key), 1))
                for key, item in list(value.value.items())[:MAX_DEFINITION_NODES]}

    def _text(self, text: str, variables: dict[str, tuple[Any, Scope, int]], scope: Scope, at: Location,
              in_place: bool = False) -> None:
        """A definition's text: each task's `Resource` or `FunctionName`, a template variable
        (`${fn_arn}`, named where `vars` sets it), a reference a heredoc interpolates
        (`${aws_lambda_function.x.arn}`, at its line when the text is written `in_place`) or a
        literal ARN or name."""
        line, counted = at.line, 0
        for match in _TASK_VALUE.finditer(text):
            if in_place:
                line += text.count("\n", counted, match.start())
                counted = match.start()
            here = Location(at.path, line)
            written = match.group(1).strip()
            qualified = ":" in written.rpartition("}")[2]      # "${fn_arn}:live"
            names = [found.group(1) for found in _TEMPLATE_VARIABLE.finditer(written)][:4]
            if not names:
                self._task_value(written, scope, here, qualified=written.count(":") > 6)
            for name in names:
                if "." in name:
                    self._task_value(Expression("reference", name, here.line, name), scope, here, qualified)
                elif name in variables:
                    value, where, entry_line = variables[name]
                    self._task_value(value, where, Location(where.path, entry_line), qualified)

    def _interpolations(self, expr: Expression, scope: Scope) -> None:
        """A heredoc or string definition: each `${...}` written as a task's `Resource` or `FunctionName`."""
        parts = expr.args
        for before, part in zip(parts, parts[1:], strict=False):
            if isinstance(part, Expression) and isinstance(before, str) and _INVOKING_TAIL.search(before[-200:]):
                self._task_value(part, scope, Location(scope.path, part.line))

    # -- one task's function ---------------------------------------------------------------------

    def _task_value(self, value: Any, scope: Scope, location: Location, qualified: bool = False) -> None:
        """The function a task's `Resource`/`FunctionName` names: the value, or a reference inside
        it (`one(module.x[*].lambda.arn)`) when the value itself cannot be evaluated."""
        function, qualifier = self.links._function_for(value, scope)
        result = self.evaluator.evaluate(value, scope) if function is not None else None
        qualified = qualified or qualifier is not None or (
            isinstance(result, Reference) and result.attribute in _QUALIFIED_ATTRIBUTES)
        if function is None and isinstance(value, Expression) and value.kind in ("call", "index"):
            for part in value.args[:4]:
                if isinstance(part, Expression) and part.kind == "reference":
                    function, _ = self.links._function_for(part, scope)
                    if function is not None:
                        break
        if function is None:
            return
        known = self.found.get(id(function))
        # one trigger per function; qualified only when every task names a version or an alias
        self.found[id(function)] = (function, known[1] if known else location, qualified and (known is None or known[2]))
