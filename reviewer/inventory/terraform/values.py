"""What static evaluation of a Terraform expression gives, and where it is evaluated.

The evaluator of module instances (`terraform.modules`) and the operators and built-in functions
it applies (`terraform.builtins`) both make and read these values; they live here, apart from
both, so each can import them without importing the other. A value is a literal with its line,
a reference to a resource (kept a reference), a raw structure or `jsonencode` document, or
`Unknown` with the reason; `build_string` is the one place that bounds how long a built string
may grow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from reviewer.model import Location, ResourceRef

if TYPE_CHECKING:
    from reviewer.inventory.terraform.modules import Instance

# Every string the evaluator builds is bounded in bytes too, not only in steps: a local doubled
# ten times would otherwise make one runtime string of hundreds of megabytes. Far above any
# name, ARN or policy a function declares.
MAX_VALUE_CHARS = 64 * 1024
TOO_LONG = f"unknown: too long (more than {MAX_VALUE_CHARS:,} characters)"


@dataclass(frozen=True)
class Iteration:
    """One instance of a block with `count` or `for_each`: what `count.index` and `each.*` are.

    `unknown` says why they cannot be known (the block is then read once); `suffix` is what the
    instance adds to the address (`[1]`, `["orders"]`; nothing for a single `count`)."""

    key: "Value | None" = None
    value: "Value | None" = None
    index: int | None = None
    unknown: str | None = None
    suffix: str = ""


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: its module instance, the file that holds it, and the
    instance of a `count`/`for_each` block it belongs to."""

    instance: Instance
    path: str
    iteration: Iteration | None = None
    # The names a `for` expression binds (`for k, v in ...`), innermost last.
    bindings: tuple[tuple[str, "Value"], ...] = ()

    def at(self, path: str) -> "Scope":
        """The same instance and iteration, for a nested block of another file line."""
        return Scope(self.instance, path, self.iteration, self.bindings)

    def bound(self, name: str) -> "Value | None":
        for bound_name, value in reversed(self.bindings):
            if bound_name == name:
                return value
        return None


# -- evaluation results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    """A value Terraform code writes literally, with where and how it is written."""

    value: Any
    location: Location | None
    text: str


@dataclass(frozen=True)
class FileContent(Literal):
    """The text `file()` read from a file of the repository (`path`), so that `jsondecode` and
    `yamldecode` of it keep the line of every value in that file."""

    path: str = ""


@dataclass(frozen=True)
class Reference:
    """A resource, data source or module output: `aws_sqs_queue.jobs.arn`."""

    ref: ResourceRef
    resource_type: str
    attribute: str
    text: str
    scope: Scope | None = None
    # The instance key written after the name (`[0]`, `["orders"]`), when it is known.
    index: str | None = None


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
    """What static reading cannot know. `failed`: Terraform itself would fail to evaluate it (a
    missing attribute), which `try()` and `can()` turn into their fallback. `caller_input`: it is
    a module's variable that no default gives, left to whoever calls the module. `zero_or_one`:
    a condition static reading cannot decide picks 0 or 1 (`local.is_live ? 1 : 0`), the count of
    a block made in some environments only, once."""

    reason: str
    text: str
    failed: bool = False
    caller_input: bool = False
    zero_or_one: bool = False


Value = Union[Literal, Reference, Structure, JsonDocument, Unknown]
# Values built by a function (`merge`, `concat`) hold values already evaluated: they pass through.
VALUE_TYPES = (Literal, Reference, Structure, JsonDocument, Unknown)


def build_string(pieces: list[str], location: Location | None) -> Literal | Unknown:
    """Every string the evaluator builds (templates, `format`, `join`, `replace`...) is made here,
    so one place bounds what static evaluation may build: a hostile chain of locals could
    otherwise double or square a string at every step."""
    if sum(len(piece) for piece in pieces) > MAX_VALUE_CHARS:
        return Unknown(TOO_LONG, "")      # never built
    text = "".join(pieces)
    return Literal(text, location, text)


def boolean(result: Value) -> bool | None:
    """A known boolean (Terraform converts "true"/"false" strings), else None."""
    if isinstance(result, Literal):
        if isinstance(result.value, bool):
            return result.value
        if isinstance(result.value, str) and result.value in ("true", "false"):
            return result.value == "true"
    return None


def display(result: Value) -> str:
    """A value as a reviewer reads it: the literal, or `${expression}` for what stays unresolved."""
    if isinstance(result, Literal):
        return result.text
    if isinstance(result, (Unknown, Reference)):
        return result.text
    return result.text if result.text.startswith("${") else "${" + result.text + "}"
