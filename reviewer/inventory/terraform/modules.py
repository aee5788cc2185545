"""Terraform module instances and the static evaluation of their expressions.

A Terraform module is a directory; a root module is one no other module in the repository calls.
Each root, and each local module call (`source = "./modules/fn"`) under it, becomes an `Instance`
with its own address prefix (`module.orders.`) and its own input values, so that
`runtime = var.runtime` inside a shared module resolves to what each caller passes.

Evaluation is static and bounded: literals, `var.x` (module call argument, then `terraform.tfvars` /
`*.auto.tfvars` of a root, then the variable's default), `local.x`, `path.module`/`path.root`,
`count.index` and `each.*` of the instance being read, conditions, templates, and the operators and
pure functions of `terraform.builtins`. References to resources stay references
(`ResourceRef("terraform", "aws_sqs_queue.jobs")`); everything else is `Unknown` with the reason,
never a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Callable

from reviewer.inventory.terraform.builtins import call, for_expression, operation, repository_file
from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.terraform.type_defaults import with_type_defaults
from reviewer.inventory.terraform.values import (
    MAX_VALUE_CHARS, TOO_LONG, VALUE_TYPES, Iteration, JsonDocument, Literal, Reference, Scope, Structure, Unknown,
    Value, boolean, build_string, display,
)
from reviewer.located import LocatedList, LocatedMap, LocatedStr
from reviewer.model import Location, ResourceRef

if TYPE_CHECKING:
    from reviewer.inventory.terraform.terragrunt import TerragruntUnit

MAX_EVAL_DEPTH = 32
MAX_STEPS_PER_VALUE = 5_000  # locals that fan out (a = "${b}${b}", b = "${c}${c}"...) stay cheap
MAX_INSTANCES = 2_000  # roots and module instances of one repository (a monorepo has hundreds)
MAX_MODULE_NESTING = 8

_LAMBDA_MODULE_SOURCES = ("terraform-aws-modules/lambda/aws", "github.com/terraform-aws-modules/terraform-aws-lambda",
                          "registry.terraform.io/terraform-aws-modules/lambda/aws")


@dataclass
class ParsedModule:
    """Every block of one module directory, indexed by what references name."""

    directory: str
    blocks: list[Block] = field(default_factory=list)
    tfvars: dict[str, tuple[Any, str]] = field(default_factory=dict)
    # Its configuration files, those that hold only comments too (a call commented out).
    files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, tuple[Any, str]] = {}
        self.resources: dict[tuple[str, str], Block] = {}
        self.data: dict[tuple[str, str], Block] = {}
        self.modules: dict[str, Block] = {}
        self.outputs: dict[str, Block] = {}

    def add(self, blocks: list[Block]) -> None:
        for block in blocks:
            self.blocks.append(block)
            labels = block.labels
            if block.type == "variable" and len(labels) == 1:
                self.variables[labels[0]] = block
            elif block.type == "locals":
                for name, value in block.attributes.items():
                    self.locals[name] = (value, block.path)
            elif block.type == "resource" and len(labels) == 2:
                self.resources[(labels[0], labels[1])] = block
            elif block.type == "data" and len(labels) == 2:
                self.data[(labels[0], labels[1])] = block
            elif block.type == "module" and len(labels) == 1:
                self.modules[labels[0]] = block
            elif block.type == "output" and len(labels) == 1:
                self.outputs[labels[0]] = block

    def resources_of(self, type_: str) -> list[tuple[str, Block]]:
        return [(name, block) for (kind, name), block in self.resources.items() if kind == type_]


@dataclass
class Instance:
    """One instantiation of a module: root, or a local `module` call inside another instance."""

    module: ParsedModule
    prefix: str
    root_directory: str
    caller: "Instance | None" = None
    call: Block | None = None
    children: dict[str, "Instance"] = field(default_factory=dict)
    # `count.index` / `each.*` of the module call that made this instance (`for_each` on a module).
    iteration: "Iteration | None" = None
    # The Terragrunt unit that runs this root module (`terraform.terragrunt`): Terraform runs in a
    # copy of the module folder holding the unit's files too, with the unit's inputs.
    unit: "TerragruntUnit | None" = None

    def address(self, local_address: str) -> str:
        return self.prefix + local_address

    def key(self, local_address: str) -> tuple[str, str]:
        """What names a block across the repository: its root module and its address there."""
        return self.root_directory, self.prefix + local_address

    def call_scope(self) -> "Scope":
        """Where the arguments of the call that made this instance are evaluated."""
        assert self.caller is not None and self.call is not None
        return Scope(self.caller, self.call.path, self.iteration)

    def root(self) -> "Instance":
        instance = self
        while instance.caller is not None:
            instance = instance.caller
        return instance

    def working_directory(self) -> str:
        """The folder Terraform runs in, which its relative paths start from: the root module's
        (for a Terragrunt unit, the module folder it runs, with the unit's files beside)."""
        root = self.root()
        return root.module.directory if root.unit is not None else self.root_directory

    def run_paths(self, path: str) -> list[str]:
        """The repo-relative paths a relative path of this instance may name: under the working
        directory, or first under the Terragrunt unit's folder, whose files are copied over it."""
        unit = self.root().unit
        bases = ([unit.directory] if unit is not None else []) + [self.working_directory()]
        return [path if base in ("", ".") else f"{base}/{path}" for base in bases]

    def chain(self) -> list[str]:
        instance: Instance | None = self
        directories = []
        while instance is not None:
            directories.append(instance.module.directory)
            instance = instance.caller
        return directories


# Values built by a function (`merge`, `concat`) hold values already evaluated: they pass through.


def is_lambda_module(source: str) -> bool:
    """The terraform-aws-modules Lambda module (registry or git), not one of its sub-modules."""
    text = source.strip().lower()
    for prefix in ("git::", "https://", "http://", "git@"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = text.replace("github.com:", "github.com/")
    base, _, query = text.partition("?")
    if "//" in base:
        return False
    base = base.removesuffix(".git").rstrip("/")
    return base in _LAMBDA_MODULE_SOURCES


def is_local_source(source: str) -> bool:
    return source.startswith("./") or source.startswith("../")


class Evaluator:
    """Static, bounded evaluation of HCL values inside module instances.

    `read_file` gives the text of a repository file (repo-relative path) for `file()`, or None
    when it cannot or may not be read; without it, `file()` stays unknown."""

    def __init__(self, read_file: "Callable[[str], str | None] | None" = None) -> None:
        self._budget = MAX_STEPS_PER_VALUE
        self.read_file = read_file
        # While set, a root module's variable that only its default decides is unknown: what a
        # `-var-file` or `TF_VAR_` of another environment may set (`count.switched_off_by_default`).
        self.plan_time_roots = False

    def evaluate(self, value: Any, scope: Scope, depth: int = 0, seen: frozenset[str] = frozenset()) -> Value:
        if depth == 0:
            self._budget = MAX_STEPS_PER_VALUE
        self._budget -= 1
        if isinstance(value, VALUE_TYPES):
            return value
        if depth > MAX_EVAL_DEPTH or self._budget < 0:
            return Unknown("too deeply nested or too large to evaluate statically", _text(value))
        if isinstance(value, Expression):
            return self._expression(value, scope, depth, seen)
        if isinstance(value, LocatedStr):
            return Literal(str(value), Location(scope.path, getattr(value, "line", 1)), str(value))
        if isinstance(value, (LocatedMap, LocatedList, dict, list)):
            return Structure(value, scope, _text(value))
        return Literal(value, None, _scalar_text(value))

    def text(self, value: Any, scope: Scope) -> str:
        """A display form: the literal, or `${expression}` for what stays unresolved."""
        return display(self.evaluate(value, scope))

    def _expression(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        if expr.kind == "reference":
            return self._reference(expr, scope, depth, seen)
        if expr.kind == "template":
            return self._template(expr, scope, depth, seen)
        if expr.kind == "call":
            return call(self, expr, scope, depth, seen)
        if expr.kind == "conditional":
            return self._conditional(expr, scope, depth, seen)
        if expr.kind == "operation" and expr.name:
            return operation(self, expr, scope, depth, seen)
        if expr.kind == "for" and expr.name:
            return for_expression(self, expr, scope, depth, seen)
        if expr.kind == "index" and len(expr.args) >= 2:
            return self._indexed(expr, scope, depth, seen)
        return Unknown(f"computed by {expr.text}", "${" + expr.text + "}")

    def _conditional(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        """`cond ? a : b`: the branch the condition picks, when the condition is known."""
        wrapped = "${" + expr.text + "}"
        if len(expr.args) != 3:
            return Unknown(f"chosen by a condition ({expr.text})", wrapped)
        condition = self.evaluate(expr.args[0], scope, depth + 1, seen)
        chosen = boolean(condition)
        if chosen is None:
            # `enabled ? {for ... in var.list} : {}` with the list empty: the same either way.
            first = self.evaluate(expr.args[1], scope, depth + 1, seen)
            second = self.evaluate(expr.args[2], scope, depth + 1, seen)
            if _same_value(first, second):
                return first
            why = f": {condition.reason}" if isinstance(condition, Unknown) else ""
            return Unknown(f"chosen by a condition ({expr.text}){why}", wrapped,
                           zero_or_one=_zero_or_one(first) and _zero_or_one(second))
        return self.evaluate(expr.args[1] if chosen else expr.args[2], scope, depth + 1, seen)

    def _reference(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        parts = expr.name.split(".")
        head = parts[0]
        wrapped = "${" + expr.text + "}"
        bound = scope.bound(head) if scope.bindings else None
        if bound is not None:
            return self._attribute_path(bound, parts[1:], expr, scope, depth, seen)
        if head == "var" and len(parts) >= 2:
            return self._attribute_path(self._variable(parts[1], expr, scope, depth, seen), parts[2:], expr,
                                        scope, depth, seen)
        if head == "local" and len(parts) >= 2:
            return self._attribute_path(self._local(parts[1], expr, scope, depth, seen), parts[2:], expr,
                                        scope, depth, seen)
        if head in ("each", "count") and len(parts) >= 2:
            return self._attribute_path(self._iteration(parts[:2], expr, scope), parts[2:], expr, scope, depth, seen)
        if head == "path" and len(parts) == 2:
            # Terraform gives filesystem paths relative to the root module (where it runs).
            instance = scope.instance
            if parts[1] == "module":
                relative = relative_path(instance.module.directory, instance.working_directory())
                return Literal(relative, None, relative)
            if parts[1] in ("root", "cwd"):
                return Literal(".", None, ".")
        if parts[:2] == ["data", "local_file"] and len(parts) == 4 and parts[3] == "content":
            return self._local_file(parts[2], expr, scope, depth, seen)
        if head == "data" and len(parts) >= 3:
            address = scope.instance.address(f"data.{parts[1]}.{parts[2]}")
            return Reference(ResourceRef("terraform", address), f"data.{parts[1]}", ".".join(parts[3:]), wrapped, scope,
                             self._index_suffix(expr, scope, depth, seen))
        if head == "module" and len(parts) >= 2:
            return self._module_output(parts, expr, scope, depth, seen)
        if head in ("each", "count", "self", "terraform") or len(parts) < 2:
            return Unknown(f"depends on {expr.text}", wrapped)
        address = scope.instance.address(f"{parts[0]}.{parts[1]}")
        return Reference(ResourceRef("terraform", address), parts[0], ".".join(parts[2:]), wrapped, scope,
                         self._index_suffix(expr, scope, depth, seen))

    def _local_file(self, name: str, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        """`data.local_file.x.content`: the text of the repository file the data source names (a
        version kept in a file of its own, `python${chomp(data.local_file.version.content)}`)."""
        wrapped = "${" + expr.text + "}"
        block = scope.instance.module.data.get(("local_file", name))
        if block is None or "filename" not in block.attributes:
            address = scope.instance.address(f"data.local_file.{name}")
            return Reference(ResourceRef("terraform", address), "data.local_file", "content", wrapped, scope)
        declared = Scope(scope.instance, block.path)
        path = self.evaluate(block.attributes["filename"], declared, depth + 1, seen)
        return repository_file(self, path, declared, f"data.local_file.{name}", wrapped)

    def _index_suffix(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> str | None:
        """`[0]` or `["orders"]` when a reference names one instance with a known key."""
        if not expr.args or expr.args[0] is None:
            return None
        key = self.evaluate(expr.args[0], scope, depth + 1, seen)
        if isinstance(key, Literal) and isinstance(key.value, int) and not isinstance(key.value, bool):
            return f"[{key.value}]"
        if isinstance(key, Literal) and isinstance(key.value, str):
            return "[" + json.dumps(key.value) + "]"
        return None

    def _iteration(self, parts: list[str], expr: Expression, scope: Scope) -> Value:
        """`count.index`, `each.key`, `each.value` of the block instance being read."""
        wrapped = "${" + expr.text + "}"
        iteration = scope.iteration
        if iteration is None:
            return Unknown(f"{expr.text} is used outside a block with count or for_each", wrapped)
        if iteration.unknown is not None:
            return Unknown(iteration.unknown, wrapped)
        name = ".".join(parts)
        if name == "count.index" and iteration.index is not None:
            return Literal(iteration.index, None, str(iteration.index))
        if name == "each.key" and iteration.key is not None:
            return iteration.key
        if name == "each.value" and iteration.value is not None:
            return iteration.value
        return Unknown(f"{expr.text} is not defined in this block", wrapped)

    def _variable(self, name: str, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        instance = scope.instance
        key = f"{id(instance)}:var.{name}"
        if key in seen:
            return Unknown(f"var.{name} refers to itself", "${" + expr.text + "}")
        seen = seen | {key}
        block = instance.module.variables.get(name)

        def typed(value: Value) -> Value:
            """The value converted to the variable's type: its optional attributes' defaults filled in."""
            if block is None or "type" not in block.attributes:
                return value
            declared = Scope(instance, block.path)
            return with_type_defaults(value, block.attributes["type"],
                                      lambda default: self.evaluate(default, declared, depth + 1, seen))

        if instance.call is not None and instance.caller is not None and name in instance.call.attributes:
            return typed(self.evaluate(instance.call.attributes[name], instance.call_scope(), depth + 1, seen))
        if instance.caller is None and name in instance.module.tfvars:
            value, path = instance.module.tfvars[name]
            return typed(self.evaluate(value, Scope(instance, path), depth + 1, seen))
        if instance.unit is not None and name in instance.unit.inputs:
            # a Terragrunt input (a `TF_VAR_`, which a .tfvars file overrides): what it writes
            # literally, or a structure of such; what Terragrunt computes stays unknown
            value, path = instance.unit.inputs[name]
            return typed(self._terragrunt_input(value, Scope(instance, path), expr, depth, seen))
        if block is None:
            return Unknown(f"variable {name} is not declared in {instance.module.directory}", "${" + expr.text + "}")
        if "default" in block.attributes:
            if self.plan_time_roots and instance.caller is None:
                return Unknown(f"var.{name} is set at plan time", "${" + expr.text + "}")
            return typed(self.evaluate(block.attributes["default"], Scope(instance, block.path), depth + 1, seen))
        where = "the module call does not set it" if instance.call is not None else "it is set at plan time"
        return Unknown(f"variable {name} has no default value and {where}", "${" + expr.text + "}", caller_input=True)

    def _terragrunt_input(self, value: Any, scope: Scope, expr: Expression, depth: int, seen: frozenset[str]) -> Value:
        """An input of a `terragrunt.hcl`: read where it is written only when it is a literal or
        an object or list (whose items are literals); an expression is Terragrunt's to compute
        (`local.x` of its own file, `dependency.db.outputs.arn`, `get_env("X")`)."""
        computed = _first_expression(value)
        if computed is not None:
            return Unknown(f"var.{expr.name.split('.')[1]} is set by Terragrunt from {computed.text}",
                           "${" + computed.text + "}")
        return self.evaluate(value, scope, depth + 1, seen)

    def _local(self, name: str, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        instance = scope.instance
        key = f"{id(instance)}:local.{name}"
        if key in seen:
            return Unknown(f"local.{name} refers to itself", "${" + expr.text + "}")
        if name not in instance.module.locals:
            return Unknown(f"local {name} is not declared in {instance.module.directory}", "${" + expr.text + "}")
        value, path = instance.module.locals[name]
        return self.evaluate(value, Scope(instance, path), depth + 1, seen | {key})

    def _attribute_path(self, base: Value, rest: list[str], expr: Expression, scope: Scope, depth: int,
                        seen: frozenset[str]) -> Value:
        """`var.settings.runtime`, `var.runtimes["prod"]`, `var.names[0]`: walk into an object or a list."""
        wrapped = "${" + expr.text + "}"
        current = base
        for name in rest:
            current = self.element(current, name, expr, depth, seen)
            if isinstance(current, Unknown):
                return current
        for index in expr.args[:4]:
            key = self.evaluate(index, scope, depth + 1, seen) if index is not None else Unknown("a splat", "")
            if not isinstance(key, Literal) or isinstance(key.value, bool) or key.value is None:
                if isinstance(current, Unknown):
                    return current
                return Unknown(f"{expr.text} is indexed dynamically", wrapped)
            current = self.element(current, key.value, expr, depth, seen)
            if isinstance(current, Unknown):
                return current
        return current

    def element(self, container: Value, key: Any, expr: Expression, depth: int, seen: frozenset[str]) -> Value:
        """One attribute of an object or one item of a list; failed Unknown when it is not there."""
        wrapped = "${" + expr.text + "}"
        if isinstance(container, Unknown):
            return container
        if isinstance(container, Structure):
            raw = container.value
            if isinstance(raw, dict):
                if str(key) in raw:
                    return self.evaluate(raw[str(key)], container.scope, depth + 1, seen)
                return Unknown(f"{expr.text}: the object has no attribute {key}", wrapped, failed=True)
            if isinstance(raw, list):
                try:
                    index = int(key)
                except (TypeError, ValueError):
                    return Unknown(f"{expr.text}: a list is indexed by {key}", wrapped, failed=True)
                if 0 <= index < len(raw):
                    return self.evaluate(raw[index], container.scope, depth + 1, seen)
                return Unknown(f"{expr.text}: index {index} is out of range", wrapped, failed=True)
        if isinstance(container, Literal) and container.value is None:
            return Unknown(f"{expr.text}: the value is null", wrapped, failed=True)
        return Unknown(f"{expr.text} could not be followed", wrapped)

    def _indexed(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        """`split(".", var.file)[0]`: an item of what a function returns."""
        current = self.evaluate(expr.args[0], scope, depth + 1, seen)
        for index in expr.args[1:]:
            if isinstance(current, Unknown):
                return current
            key = self.evaluate(index, scope, depth + 1, seen)
            if not isinstance(key, Literal) or isinstance(key.value, bool) or key.value is None:
                return Unknown(f"{expr.text} is indexed dynamically", "${" + expr.text + "}")
            current = self.element(current, key.value, expr, depth, seen)
        return current

    def _module_output(self, parts: list[str], expr: Expression, scope: Scope, depth: int,
                       seen: frozenset[str]) -> Value:
        name = parts[1]
        suffix = self._index_suffix(expr, scope, depth, seen) if len(parts) == 2 or expr.args else None
        child = scope.instance.children.get(name + (suffix or "")) or scope.instance.children.get(name)
        wrapped = "${" + expr.text + "}"
        address = scope.instance.address(f"module.{name}")
        if child is not None and len(parts) >= 3 and parts[2] in child.module.outputs:
            key = f"{id(child)}:output.{parts[2]}"
            if key in seen:
                return Unknown(f"output {parts[2]} refers to itself", wrapped)
            output = child.module.outputs[parts[2]]
            if "value" in output.attributes:
                return self.evaluate(output.attributes["value"], Scope(child, output.path), depth + 1, seen | {key})
        return Reference(ResourceRef("terraform", address), "module", ".".join(parts[2:]), wrapped, scope, suffix)

    def _template(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        if not expr.args:
            return Unknown(f"a template directive ({expr.text})", expr.text)
        pieces: list[Value] = [Literal(part, None, part) if isinstance(part, str)
                               else self.evaluate(part, scope, depth + 1, seen) for part in expr.args]
        if len(pieces) == 1 and isinstance(pieces[0], Reference):
            return pieces[0]
        if sum(len(display(p)) for p in pieces) > MAX_VALUE_CHARS:
            return Unknown(TOO_LONG, _shortened(expr.text))     # never built
        if all(isinstance(p, Literal) and isinstance(p.value, (str, int, float)) for p in pieces):
            # One interpolation alone ("${var.runtime}") is declared where its value is written;
            # a value built from several parts is declared by the template itself.
            only = pieces[0] if len(pieces) == 1 else None
            location = only.location if isinstance(only, Literal) and only.location else None
            return build_string([_scalar_text(p.value) for p in pieces],  # type: ignore[union-attr]
                                location or Location(scope.path, expr.line))
        rendered = "".join(display(p) for p in pieces)
        reasons = [p.reason for p in pieces if isinstance(p, Unknown)]
        reason = reasons[0] if reasons else f"built from {expr.text}"
        return Unknown(reason, rendered)

    # -- helpers the readers use ---------------------------------------------------------------

    def literal_text(self, value: Any, scope: Scope) -> str | None:
        result = self.evaluate(value, scope)
        if isinstance(result, Literal) and result.value is not None and not isinstance(result.value, bool):
            return _scalar_text(result.value)
        return None

    def truthy(self, value: Any, scope: Scope) -> bool | None:
        result = self.evaluate(value, scope)
        if isinstance(result, Literal):
            if isinstance(result.value, bool):
                return result.value
            if isinstance(result.value, str) and result.value.lower() in ("true", "false"):
                return result.value.lower() == "true"
            if isinstance(result.value, (int, float)):
                return bool(result.value)
        return None

    def to_plain(self, value: Any, scope: Scope, depth: int = 0) -> Any:
        """A JSON-like Python value: literals as they are, unresolved parts as `${...}` text."""
        if depth > MAX_EVAL_DEPTH:
            return None
        result = self.evaluate(value, scope, depth)
        if isinstance(result, Literal):
            return result.value
        if isinstance(result, (Structure, JsonDocument)):
            raw = result.value
            if isinstance(raw, dict):
                return {str(k): self.to_plain(v, result.scope, depth + 1) for k, v in list(raw.items())[:2000]}
            if isinstance(raw, list):
                return [self.to_plain(v, result.scope, depth + 1) for v in raw[:2000]]
            return raw
        return display(result)


def _first_expression(value: Any, depth: int = 0) -> Expression | None:
    """The first expression in a value written in HCL (itself, or an item of an object or list)."""
    if isinstance(value, Expression):
        return value
    if depth < MAX_EVAL_DEPTH and isinstance(value, (dict, list)):
        for item in list(value.values() if isinstance(value, dict) else value)[:2000]:
            found = _first_expression(item, depth + 1)
            if found is not None:
                return found
    return None


def _shortened(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def relative_path(directory: str, start: str) -> str:
    """`directory` relative to `start`, both repo-relative POSIX paths ("." is the repo root)."""
    target = [p for p in PurePosixPath(directory).parts if p != "."]
    base = [p for p in PurePosixPath(start).parts if p != "."]
    common = 0
    while common < min(len(target), len(base)) and target[common] == base[common]:
        common += 1
    parts = [".."] * (len(base) - common) + target[common:]
    return "/".join(parts) or "."


def module_directory(caller_directory: str, source: str, resolve: Any) -> str | None:
    """The repo-relative directory a local module source points at, or None outside the workspace."""
    joined = str(PurePosixPath(caller_directory) / source) if caller_directory not in ("", ".") else source
    return resolve(joined)


def _zero_or_one(value: Value) -> bool:
    """A branch of `cond ? 1 : 0`, as a count takes it (a number, or its digits in a string)."""
    return isinstance(value, Literal) and not isinstance(value.value, bool) and value.value in (0, 1, "0", "1")


def _same_value(first: Value, second: Value) -> bool:
    """Whether two branches are known to be the same value: equal literals, or both empty."""
    if isinstance(first, Literal) and isinstance(second, Literal):
        return type(first.value) is type(second.value) and first.value == second.value
    return isinstance(first, Structure) and isinstance(second, Structure) and not first.value and not second.value


def _text(value: Any) -> str:
    if isinstance(value, Expression):
        return "${" + value.text + "}"
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return _scalar_text(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


__all__ = ["Evaluator", "Instance", "ParsedModule", "is_lambda_module", "is_local_source", "module_directory",
           "relative_path", "MAX_INSTANCES", "MAX_MODULE_NESTING"]
