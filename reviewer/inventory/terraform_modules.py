"""Terraform module instances and the static evaluation of their expressions.

A Terraform module is a directory; a root module is one no other module in the repository calls.
Each root, and each local module call (`source = "./modules/fn"`) under it, becomes an `Instance`
with its own address prefix (`module.orders.`) and its own input values, so that
`runtime = var.runtime` inside a shared module resolves to what each caller passes.

Evaluation is static and bounded: literals, `var.x` (module call argument, then `terraform.tfvars` /
`*.auto.tfvars` of a root, then the variable's default), `local.x`, `path.module`/`path.root`,
templates, and a few pure functions (`jsonencode`, `tostring`, `lower`, `upper`, `trimspace`,
`format` with `%s`, `coalesce`, `try`, `lookup`). References to resources stay references
(`ResourceRef("terraform", "aws_sqs_queue.jobs")`); everything else is `Unknown` with the reason,
never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Union

from reviewer.inventory.hcl import Block, Expression
from reviewer.located import LocatedList, LocatedMap, LocatedStr
from reviewer.model import Location, ResourceRef

MAX_EVAL_DEPTH = 32
MAX_STEPS_PER_VALUE = 5_000  # locals that fan out (a = "${b}${b}", b = "${c}${c}"...) stay cheap
MAX_INSTANCES = 400
MAX_MODULE_NESTING = 8
# Every string the evaluator builds is bounded in bytes too, not only in steps: a local doubled
# ten times would otherwise make one runtime string of hundreds of megabytes. Far above any
# name, ARN or policy a function declares.
MAX_VALUE_CHARS = 64 * 1024
TOO_LONG = f"unknown: too long (more than {MAX_VALUE_CHARS:,} characters)"

_LAMBDA_MODULE_SOURCES = ("terraform-aws-modules/lambda/aws", "github.com/terraform-aws-modules/terraform-aws-lambda",
                          "registry.terraform.io/terraform-aws-modules/lambda/aws")


@dataclass
class ParsedModule:
    """Every block of one module directory, indexed by what references name."""

    directory: str
    blocks: list[Block] = field(default_factory=list)
    tfvars: dict[str, tuple[Any, str]] = field(default_factory=dict)

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

    def address(self, local_address: str) -> str:
        return self.prefix + local_address

    def chain(self) -> list[str]:
        instance: Instance | None = self
        directories = []
        while instance is not None:
            directories.append(instance.module.directory)
            instance = instance.caller
        return directories


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: its module instance and the file that holds it."""

    instance: Instance
    path: str


# -- evaluation results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any
    location: Location | None
    text: str


@dataclass(frozen=True)
class Reference:
    """A resource, data source or module output: `aws_sqs_queue.jobs.arn`."""

    ref: ResourceRef
    resource_type: str
    attribute: str
    text: str
    scope: Scope | None = None


@dataclass(frozen=True)
class Structure:
    """An object or tuple, kept raw (with its lines) for the caller to walk."""

    value: Any
    scope: Scope
    text: str


@dataclass(frozen=True)
class JsonDocument:
    """`jsonencode(x)`: x kept raw with its lines."""

    value: Any
    scope: Scope
    text: str


@dataclass(frozen=True)
class Unknown:
    reason: str
    text: str


Value = Union[Literal, Reference, Structure, JsonDocument, Unknown]


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
    """Static, bounded evaluation of HCL values inside module instances."""

    def __init__(self) -> None:
        self._budget = MAX_STEPS_PER_VALUE

    def evaluate(self, value: Any, scope: Scope, depth: int = 0, seen: frozenset[str] = frozenset()) -> Value:
        if depth == 0:
            self._budget = MAX_STEPS_PER_VALUE
        self._budget -= 1
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
            return self._call(expr, scope, depth, seen)
        if expr.kind == "conditional":
            return Unknown(f"chosen by a condition ({expr.text})", "${" + expr.text + "}")
        return Unknown(f"computed by {expr.text}", "${" + expr.text + "}")

    def _reference(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        parts = expr.name.split(".")
        head = parts[0]
        wrapped = "${" + expr.text + "}"
        if head == "var" and len(parts) >= 2:
            return self._attribute_path(self._variable(parts[1], expr, scope, depth, seen), parts[2:], expr, depth, seen)
        if head == "local" and len(parts) >= 2:
            return self._attribute_path(self._local(parts[1], expr, scope, depth, seen), parts[2:], expr, depth, seen)
        if head == "path" and len(parts) == 2:
            # Terraform gives filesystem paths relative to the root module (where it runs).
            instance = scope.instance
            if parts[1] == "module":
                relative = relative_path(instance.module.directory, instance.root_directory)
                return Literal(relative, None, relative)
            if parts[1] in ("root", "cwd"):
                return Literal(".", None, ".")
        if head == "data" and len(parts) >= 3:
            address = scope.instance.address(f"data.{parts[1]}.{parts[2]}")
            return Reference(ResourceRef("terraform", address), f"data.{parts[1]}", ".".join(parts[3:]), wrapped, scope)
        if head == "module" and len(parts) >= 2:
            return self._module_output(parts, expr, scope, depth, seen)
        if head in ("each", "count", "self", "terraform") or len(parts) < 2:
            return Unknown(f"depends on {expr.text}", wrapped)
        address = scope.instance.address(f"{parts[0]}.{parts[1]}")
        return Reference(ResourceRef("terraform", address), parts[0], ".".join(parts[2:]), wrapped, scope)

    def _variable(self, name: str, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        instance = scope.instance
        key = f"{id(instance)}:var.{name}"
        if key in seen:
            return Unknown(f"var.{name} refers to itself", "${" + expr.text + "}")
        seen = seen | {key}
        if instance.call is not None and instance.caller is not None and name in instance.call.attributes:
            return self.evaluate(instance.call.attributes[name], Scope(instance.caller, instance.call.path),
                                 depth + 1, seen)
        if instance.caller is None and name in instance.module.tfvars:
            value, path = instance.module.tfvars[name]
            return self.evaluate(value, Scope(instance, path), depth + 1, seen)
        block = instance.module.variables.get(name)
        if block is None:
            return Unknown(f"variable {name} is not declared in {instance.module.directory}", "${" + expr.text + "}")
        if "default" in block.attributes:
            return self.evaluate(block.attributes["default"], Scope(instance, block.path), depth + 1, seen)
        where = "the module call does not set it" if instance.call is not None else "it is set at plan time"
        return Unknown(f"variable {name} has no default value and {where}", "${" + expr.text + "}")

    def _local(self, name: str, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        instance = scope.instance
        key = f"{id(instance)}:local.{name}"
        if key in seen:
            return Unknown(f"local.{name} refers to itself", "${" + expr.text + "}")
        if name not in instance.module.locals:
            return Unknown(f"local {name} is not declared in {instance.module.directory}", "${" + expr.text + "}")
        value, path = instance.module.locals[name]
        return self.evaluate(value, Scope(instance, path), depth + 1, seen | {key})

    def _attribute_path(self, base: Value, rest: list[str], expr: Expression, depth: int,
                        seen: frozenset[str]) -> Value:
        """`var.settings.runtime` and `var.runtimes["prod"]`: walk into an object value."""
        wrapped = "${" + expr.text + "}"
        current = base
        for name in rest:
            if isinstance(current, Structure) and isinstance(current.value, dict) and name in current.value:
                current = self.evaluate(current.value[name], current.scope, depth + 1, seen)
            elif isinstance(current, Unknown):
                return current
            else:
                return Unknown(f"{expr.text} could not be followed", wrapped)
        if not expr.args:
            return current
        index = expr.args[0]
        if (len(expr.args) == 1 and isinstance(current, Structure) and isinstance(current.value, dict)
                and isinstance(index, str) and index in current.value):
            return self.evaluate(current.value[index], current.scope, depth + 1, seen)
        if isinstance(current, Unknown):
            return current
        return Unknown(f"{expr.text} is indexed dynamically", wrapped)

    def _module_output(self, parts: list[str], expr: Expression, scope: Scope, depth: int,
                       seen: frozenset[str]) -> Value:
        name = parts[1]
        child = scope.instance.children.get(name)
        wrapped = "${" + expr.text + "}"
        address = scope.instance.address(f"module.{name}")
        if child is not None and len(parts) >= 3 and parts[2] in child.module.outputs:
            key = f"{id(child)}:output.{parts[2]}"
            if key in seen:
                return Unknown(f"output {parts[2]} refers to itself", wrapped)
            output = child.module.outputs[parts[2]]
            if "value" in output.attributes:
                return self.evaluate(output.attributes["value"], Scope(child, output.path), depth + 1, seen | {key})
        return Reference(ResourceRef("terraform", address), "module", ".".join(parts[2:]), wrapped, scope)

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
            joined = "".join(_scalar_text(p.value) for p in pieces)  # type: ignore[union-attr]
            # One interpolation alone ("${var.runtime}") is declared where its value is written;
            # a value built from several parts is declared by the template itself.
            only = pieces[0] if len(pieces) == 1 else None
            location = only.location if isinstance(only, Literal) and only.location else None
            return Literal(joined, location or Location(scope.path, expr.line), joined)
        rendered = "".join(display(p) for p in pieces)
        reasons = [p.reason for p in pieces if isinstance(p, Unknown)]
        reason = reasons[0] if reasons else f"built from {expr.text}"
        return Unknown(reason, rendered)

    def _call(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        name, args = expr.name, expr.args
        wrapped = "${" + expr.text + "}"
        if name == "jsonencode" and len(args) == 1:
            inner = self.evaluate(args[0], scope, depth + 1, seen)
            if isinstance(inner, Structure):
                return JsonDocument(inner.value, inner.scope, expr.text)
            return Unknown(f"jsonencode of {expr.text}", wrapped)
        if name in ("tostring", "lower", "upper", "trimspace") and len(args) == 1:
            inner = self.evaluate(args[0], scope, depth + 1, seen)
            if isinstance(inner, Literal) and isinstance(inner.value, str):
                text = {"tostring": str, "lower": str.lower, "upper": str.upper,
                        "trimspace": str.strip}[name](inner.value)
                return Literal(text, inner.location, text)
            return inner if name == "tostring" else Unknown(f"computed by {expr.text}", wrapped)
        if name in ("coalesce", "try") and args:
            for arg in args:
                inner = self.evaluate(arg, scope, depth + 1, seen)
                if isinstance(inner, Literal) and inner.value not in (None, ""):
                    return inner
                if not isinstance(inner, Literal):
                    return Unknown(f"computed by {expr.text}", wrapped)
            return Unknown(f"computed by {expr.text}", wrapped)
        if name == "lookup" and len(args) in (2, 3):
            table = self.evaluate(args[0], scope, depth + 1, seen)
            key = self.evaluate(args[1], scope, depth + 1, seen)
            if isinstance(table, Structure) and isinstance(table.value, dict) and isinstance(key, Literal):
                if str(key.value) in table.value:
                    return self.evaluate(table.value[str(key.value)], table.scope, depth + 1, seen)
                if len(args) == 3:
                    return self.evaluate(args[2], scope, depth + 1, seen)
            return Unknown(f"computed by {expr.text}", wrapped)
        if name == "format" and args:
            return self._format(expr, scope, depth, seen)
        if name in ("file", "templatefile", "filebase64"):
            return Unknown(f"read from a file by {name}()", wrapped)
        return Unknown(f"computed by {name}()", wrapped)

    def _format(self, expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
        wrapped = "${" + expr.text + "}"
        pattern = self.evaluate(expr.args[0], scope, depth + 1, seen)
        if not isinstance(pattern, Literal) or not isinstance(pattern.value, str):
            return Unknown(f"computed by {expr.text}", wrapped)
        values = [self.evaluate(arg, scope, depth + 1, seen) for arg in expr.args[1:]]
        pieces = pattern.value.split("%s")
        if len(pieces) - 1 != len(values) or "%" in pattern.value.replace("%s", "").replace("%%", ""):
            return Unknown(f"computed by {expr.text}", wrapped)
        if not all(isinstance(v, Literal) for v in values):
            return Unknown(f"computed by {expr.text}", wrapped)
        if len(pattern.value) + sum(len(display(v)) for v in values) > MAX_VALUE_CHARS:
            return Unknown(TOO_LONG, _shortened(wrapped))       # never built
        text = pieces[0] + "".join(_scalar_text(v.value) + piece  # type: ignore[union-attr]
                                   for v, piece in zip(values, pieces[1:]))
        text = text.replace("%%", "%")
        return Literal(text, pattern.location, text)

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


def _shortened(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def display(result: Value) -> str:
    """A value as a reviewer reads it: the literal, or `${expression}` for what stays unresolved."""
    if isinstance(result, Literal):
        return result.text
    if isinstance(result, (Unknown, Reference)):
        return result.text
    return result.text if result.text.startswith("${") else "${" + result.text + "}"


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


__all__ = ["Evaluator", "Instance", "ParsedModule", "Scope", "Literal", "Reference", "Structure",
           "JsonDocument", "Unknown", "Value", "display", "is_lambda_module", "is_local_source", "module_directory",
           "relative_path", "MAX_INSTANCES", "MAX_MODULE_NESTING"]
