"""Terraform's operators and a few of its pure built-in functions, over statically known values.

A runtime passed through `var.package_type != "Zip" ? null : var.runtime`, a `count` written
`var.create && !var.create_layer ? 1 : 0`, or a name built with `format("%s-%s", ...)` are only
known when these are evaluated. Each one here is total and side-effect free: what it cannot
compute exactly (an operand that is unknown, a type Terraform would reject) is `Unknown` with the
reason, never a guess. Functions that read files, clocks or the network are never evaluated.
Every string built here goes through `build_string`, the one place that bounds string building.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any, Callable

from reviewer.inventory.terraform.builtin_collections import COLLECTION_FUNCTIONS
from reviewer.inventory.terraform.builtin_values import (
    MAX_COLLECTION_ITEMS,
    Call,
    as_number,
    computed,
    unknown_of,
    values_equal,
)
from reviewer.inventory.terraform.hcl import Expression
from reviewer.inventory.terraform.regex_classes import class_replace
from reviewer.inventory.terraform.values import (
    FileContent, JsonDocument, Literal, Scope, Structure, Unknown, Value, boolean, build_string,
)
from reviewer.document_errors import JSON, YAML, document_error
from reviewer.located import DocumentError, LocatedList, LocatedMap, load_yaml
from reviewer.model import Location

if TYPE_CHECKING:
    from reviewer.inventory.terraform.modules import Evaluator

MAX_NUMBER = 2**53  # beyond this, Terraform's own numbers lose precision too
# The arguments of a function not modelled here read for an unknown one's reason.
_MAX_ARGUMENTS_READ = 4


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
}


def operation(evaluator: "Evaluator", expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
    """`!a`, `-a`, `a && b`, `a || b`, `a == b`, `a != b`, comparisons and arithmetic."""
    def evaluate(arg: Any) -> Value:
        return evaluator.evaluate(arg, scope, depth + 1, seen)

    operator = expr.name
    if len(expr.args) == 1:
        operand = evaluate(expr.args[0])
        if operator == "!" and boolean(operand) is not None:
            return computed(not boolean(operand), expr.text)
        number = as_number(operand)
        if operator == "-" and number is not None:
            return computed(-number, expr.text)
        return unknown_of(expr, [operand])
    if len(expr.args) != 2:
        return unknown_of(expr, [])
    left = evaluate(expr.args[0])
    if operator in ("&&", "||"):
        # Terraform evaluates both sides, but a known side can decide alone.
        right = evaluate(expr.args[1])
        a, b = boolean(left), boolean(right)
        decisive = operator == "||"
        if a is decisive or b is decisive:
            return computed(decisive, expr.text)
        if a is not None and b is not None:
            return computed(not decisive, expr.text)
        return unknown_of(expr, [left, right])
    right = evaluate(expr.args[1])
    if operator in ("==", "!="):
        equal = values_equal(left, right)
        if equal is None:
            return unknown_of(expr, [left, right])
        return computed(equal if operator == "==" else not equal, expr.text)
    a_number, b_number = as_number(left), as_number(right)
    if a_number is None or b_number is None:
        return unknown_of(expr, [left, right])
    if abs(a_number) > MAX_NUMBER or abs(b_number) > MAX_NUMBER:
        return unknown_of(expr, [])  # a chain of products would otherwise grow without bound
    if operator in _ARITHMETIC:
        return computed(_ARITHMETIC[operator](a_number, b_number), expr.text)
    if operator in ("/", "%") and b_number != 0:
        return computed(a_number / b_number if operator == "/" else a_number % b_number, expr.text)
    return unknown_of(expr, [left, right])


def for_expression(evaluator: "Evaluator", expr: Expression, scope: Scope, depth: int,
                   seen: frozenset[str]) -> Value:
    """`[for s in xs : ...]` and `{for k, v in m : k => v if ...}` over a known collection: a
    structure of the values each element gives (each keeps the line its value is written on)."""
    names, collection_expr, key_expr, value_expr, condition_expr, grouped = expr.args
    collection = evaluator.evaluate(collection_expr, scope, depth + 1, seen)
    if grouped or not isinstance(collection, Structure) or not isinstance(collection.value, (dict, list)):
        reason = collection.reason if isinstance(collection, Unknown) else f"computed by {expr.text}"
        return Unknown(reason, "${" + expr.text + "}")
    raw = collection.value
    if isinstance(raw, dict):
        lines = getattr(raw, "key_lines", {})
        elements = [(Literal(str(key), None, str(key)), item, lines.get(key, expr.line))
                    for key, item in list(raw.items())[:MAX_COLLECTION_ITEMS]]
    else:
        lines = list(getattr(raw, "item_lines", []))
        elements = [(Literal(index, None, str(index)), item, lines[index] if index < len(lines) else expr.line)
                    for index, item in enumerate(raw[:MAX_COLLECTION_ITEMS])]
    result: Any = LocatedMap() if key_expr is not None else LocatedList()
    result.line = expr.line
    if key_expr is not None:
        result.key_lines = {}
    else:
        result.item_lines = []
    for key, item, line in elements:
        value = evaluator.evaluate(item, collection.scope, depth + 1, seen)
        bound = ((names[0], key), (names[1], value)) if len(names) == 2 else ((names[0], value),)
        inner = Scope(scope.instance, scope.path, scope.iteration, scope.bindings + bound)
        if condition_expr is not None:
            keep = boolean(evaluator.evaluate(condition_expr, inner, depth + 1, seen))
            if keep is None:
                return Unknown(f"filtered by a condition static reading cannot decide ({expr.text})",
                               "${" + expr.text + "}")
            if not keep:
                continue
        produced = evaluator.evaluate(value_expr, inner, depth + 1, seen)
        if key_expr is None:
            result.append(produced)
            result.item_lines.append(line)
            continue
        name = evaluator.evaluate(key_expr, inner, depth + 1, seen)
        if not isinstance(name, Literal) or name.value is None or isinstance(name.value, bool):
            return Unknown(f"keyed by a value static reading cannot know ({expr.text})", "${" + expr.text + "}")
        result[name.text] = produced
        result.key_lines[name.text] = line
    return Structure(result, scope, expr.text)


# -- functions ----------------------------------------------------------------------------------


def call(evaluator: "Evaluator", expr: Expression, scope: Scope, depth: int, seen: frozenset[str]) -> Value:
    """A built-in function call; what is not modelled here stays Unknown with its name."""
    name = expr.name.removeprefix("provider::terraform::")
    wrapped = "${" + expr.text + "}"
    if name in ("templatefile", "filebase64", "fileexists", "fileset", "filemd5", "filesha256",
                "filebase64sha256"):
        return Unknown(f"read from a file by {name}()", wrapped)
    handler = _FUNCTIONS.get(name)
    if handler is None:
        return _not_modelled(Call(evaluator, expr, scope, depth, seen), name)
    return handler(Call(evaluator, expr, scope, depth, seen))


def _not_modelled(c: Call, name: str) -> Unknown:
    """A function not evaluated here: when an argument is itself unknown, its reason is the one to
    say (`setsubtract(var.lambdas, [...])` is unknown because `var.lambdas` has no default, which
    a default or a `terraform.tfvars` would settle); else the function is."""
    arguments = [c.arg(index) for index in range(min(len(c.args), _MAX_ARGUMENTS_READ))]
    if any(isinstance(argument, Unknown) for argument in arguments):
        return c.unknown(*arguments)
    return Unknown(f"computed by {name}()", c.wrapped)


def _jsonencode(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    if isinstance(inner, Structure):
        return JsonDocument(inner.value, inner.scope, c.expr.text)
    return Unknown(f"jsonencode of {c.expr.text}", c.wrapped)


def _file(c: Call) -> Value:
    """`file("${path.module}/functions.json")`: the text of a file of the repository."""
    if len(c.args) != 1:
        return c.unknown()
    return repository_file(c.evaluator, c.arg(0), c.scope, f"file() ({c.expr.text})", c.wrapped)


def repository_file(evaluator: "Evaluator", path: Value, scope: Scope, how: str, wrapped: str) -> Value:
    """The text of a repository file that `file()` or a `local_file` data source reads. Terraform
    reads paths relative to the root module; a path that leaves the repository stays unknown."""
    if evaluator.read_file is None or not isinstance(path, Literal) or not isinstance(path.value, str):
        return Unknown(f"read from a file by {how}", wrapped)
    candidates = [path.value] if path.value.startswith("/") else scope.instance.run_paths(path.value)
    text, joined = None, candidates[-1]
    for candidate in ([] if path.value.startswith("/") or "://" in path.value else candidates):
        text = evaluator.read_file(candidate)
        if text is not None:
            joined = candidate
            break
    if text is None:
        return Unknown(f"read from a file this review does not read ({path.value})", wrapped)
    rel = posixpath.normpath(joined)
    return FileContent(text, Location(rel, 1), text[:80], rel)


def _decode(c: Call) -> Value:
    """`jsondecode`/`yamldecode` of a file's text: its values, each at its line in that file."""
    if len(c.args) != 1:
        return c.unknown()
    content = c.arg(0)
    if not isinstance(content, FileContent):
        return c.unknown(content)  # a string written inline: its lines would not be the file's
    try:
        document = load_yaml(content.value)  # JSON is YAML; both keep their lines
    except DocumentError as exc:
        # `jsondecode` reads JSON, `yamldecode` YAML: the error names the language the call expects.
        why = document_error(exc, JSON if c.expr.name == "jsondecode" else YAML)
        return Unknown(f"{content.path} is not readable ({why})", c.wrapped)
    if isinstance(document, (dict, list)):
        return Structure(document, Scope(c.scope.instance, content.path), c.expr.text)
    return c.evaluator.evaluate(document, Scope(c.scope.instance, content.path), c.depth + 1, c.seen)


def _text_function(transform: Callable[[str], str]) -> Callable[[Call], Value]:
    def apply(c: Call) -> Value:
        if len(c.args) != 1:
            return c.unknown()
        inner = c.arg(0)
        if isinstance(inner, Literal) and isinstance(inner.value, (str, int, float)) \
                and not isinstance(inner.value, bool):
            text = inner.value if isinstance(inner.value, str) else inner.text
            return build_string([transform(text)], inner.location)
        return c.unknown(inner)
    return apply


def _chomp(text: str) -> str:
    """`chomp`: the text without the newlines that end it (a version read from a file)."""
    return text.rstrip("\r\n")


def _basename(c: Call) -> Value:
    """`basename`: the last part of a path. Terraform fails on null, which `try()` falls back from."""
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    if isinstance(inner, Literal) and inner.value is None:
        return Unknown(f"{c.expr.text}: the path is null", c.wrapped, failed=True)
    if isinstance(inner, Literal) and isinstance(inner.value, str):
        stripped = inner.value.rstrip("/")
        base = posixpath.basename(stripped) if stripped else "/" if inner.value else "."
        return build_string([base], inner.location)
    return c.unknown(inner)


def _abspath(c: Call) -> Value:
    """`abspath("${path.module}/../src")`: the same folder. Every path here is read relative to the
    root module, where Terraform runs and where `abspath` anchors a relative path, so a relative
    path stays relative (normalised: `terraform/../src` is `src`) and an absolute one is itself."""
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    if isinstance(inner, Literal) and isinstance(inner.value, str) and inner.value and "://" not in inner.value:
        return build_string([posixpath.normpath(inner.value)], inner.location)
    return c.unknown(inner)


def _tostring(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    if isinstance(inner, Literal) and isinstance(inner.value, (bool, int, float)):
        return build_string([inner.text], inner.location)
    return inner


def _passthrough(c: Call) -> Value:
    """tolist, toset, tomap, sensitive, nonsensitive: the value itself for this reading."""
    return c.arg(0) if len(c.args) == 1 else c.unknown()


def _tonumber(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    number = as_number(inner)
    return computed(number, c.expr.text) if number is not None else c.unknown(inner)


def _tobool(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    known = boolean(inner)
    return computed(known, c.expr.text) if known is not None else c.unknown(inner)


def _coalesce(c: Call) -> Value:
    """The first argument that is neither null nor an empty string."""
    for index in range(len(c.args)):
        inner = c.arg(index)
        if isinstance(inner, Literal) and inner.value in (None, ""):
            continue
        return inner if not isinstance(inner, Unknown) else c.unknown(inner)
    return c.unknown()


def _try(c: Call) -> Value:
    """The first argument Terraform can evaluate; a known failure (a missing attribute) moves on."""
    for index in range(len(c.args)):
        inner = c.arg(index)
        if isinstance(inner, Unknown) and inner.failed:
            continue
        return inner
    return c.unknown()


def _can(c: Call) -> Value:
    if len(c.args) != 1:
        return c.unknown()
    inner = c.arg(0)
    if isinstance(inner, Unknown):
        return computed(False, c.expr.text) if inner.failed else c.unknown(inner)
    return computed(True, c.expr.text)


def _lookup(c: Call) -> Value:
    if len(c.args) not in (2, 3):
        return c.unknown()
    table, key = c.arg(0), c.arg(1)
    if isinstance(table, Structure) and isinstance(table.value, dict) and isinstance(key, Literal):
        if str(key.value) in table.value:
            return c.evaluator.evaluate(table.value[str(key.value)], table.scope, c.depth + 1, c.seen)
        if len(c.args) == 3:
            return c.arg(2)
    return c.unknown(table, key)


def _format(c: Call) -> Value:
    """`format` with `%s`, `%d` and `%%` verbs (the ones names and paths are built with)."""
    if not c.args:
        return c.unknown()
    pattern = c.arg(0)
    if not isinstance(pattern, Literal) or not isinstance(pattern.value, str):
        return c.unknown(pattern)
    values = [c.arg(index) for index in range(1, len(c.args))]
    pieces: list[str] = []
    text, position, used = pattern.value, 0, 0
    while position < len(text):
        marker = text.find("%", position)
        if marker < 0 or marker + 1 >= len(text):
            pieces.append(text[position:])
            break
        pieces.append(text[position:marker])
        verb = text[marker + 1]
        if verb == "%":
            pieces.append("%")
        elif verb in ("s", "d", "v") and used < len(values):
            value = values[used]
            used += 1
            if not isinstance(value, Literal) or value.value is None:
                return c.unknown(value)
            pieces.append(value.text)
        else:
            return c.unknown()
        position = marker + 2
    if used != len(values):
        return c.unknown()
    return build_string(pieces, pattern.location)


def _join(c: Call) -> Value:
    if len(c.args) < 2:
        return c.unknown()
    separator = c.arg(0)
    if not isinstance(separator, Literal) or not isinstance(separator.value, str):
        return c.unknown(separator)
    texts: list[str] = []
    for index in range(1, len(c.args)):
        items = c.items(c.arg(index))
        if items is None:
            return c.unknown(c.arg(index))
        for item in items:
            if not isinstance(item, Literal) or item.value is None or isinstance(item.value, bool):
                return c.unknown(item)
            texts.append(item.text)
    pieces: list[str] = []
    for index, text in enumerate(texts):
        pieces.extend([separator.value, text] if index else [text])
    return build_string(pieces, None)


def _split(c: Call) -> Value:
    if len(c.args) != 2:
        return c.unknown()
    separator, text = c.arg(0), c.arg(1)
    if not (isinstance(separator, Literal) and isinstance(separator.value, str) and separator.value
            and isinstance(text, Literal) and isinstance(text.value, str)):
        return c.unknown(separator, text)
    parts = LocatedList(build_string([part], text.location) for part in
                        text.value.split(separator.value)[:MAX_COLLECTION_ITEMS])
    parts.line, parts.item_lines = c.expr.line, []
    return c.structure(parts)


def _replace(c: Call) -> Value:
    """`replace` of a plain substring, or of a `/regex/` that is one character class
    (`"/[^a-zA-Z0-9]+/"`, `regex_classes.py`); another pattern stays unknown."""
    if len(c.args) != 3:
        return c.unknown()
    text, old, new = c.arg(0), c.arg(1), c.arg(2)
    if not all(isinstance(v, Literal) and isinstance(v.value, str) for v in (text, old, new)):
        return c.unknown(text, old, new)
    pattern = str(old.value)  # type: ignore[union-attr]
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        replaced = class_replace(str(text.value), pattern, str(new.value))  # type: ignore[union-attr]
        return c.unknown() if replaced is None else build_string([replaced], text.location)  # type: ignore[union-attr]
    if not pattern:
        return c.unknown()
    pieces = str(text.value).split(pattern)  # type: ignore[union-attr]
    joined: list[str] = []
    for index, piece in enumerate(pieces):
        joined.extend([str(new.value), piece] if index else [piece])  # type: ignore[union-attr]
    return build_string(joined, text.location)  # type: ignore[union-attr]


def _affix(remove_prefix: bool) -> Callable[[Call], Value]:
    def apply(c: Call) -> Value:
        if len(c.args) != 2:
            return c.unknown()
        text, affix = c.arg(0), c.arg(1)
        if not (isinstance(text, Literal) and isinstance(text.value, str)
                and isinstance(affix, Literal) and isinstance(affix.value, str)):
            return c.unknown(text, affix)
        value = text.value.removeprefix(affix.value) if remove_prefix else text.value.removesuffix(affix.value)
        return build_string([value], text.location)
    return apply


_FUNCTIONS: dict[str, Callable[[Call], Value]] = {
    "jsonencode": _jsonencode, "tostring": _tostring, "lower": _text_function(str.lower),
    "upper": _text_function(str.upper), "trimspace": _text_function(str.strip), "title": _text_function(str.title),
    "tolist": _passthrough, "toset": _passthrough, "tomap": _passthrough, "sensitive": _passthrough,
    "nonsensitive": _passthrough, "tonumber": _tonumber, "tobool": _tobool, "coalesce": _coalesce, "try": _try,
    "can": _can, "lookup": _lookup, "format": _format, "join": _join, "split": _split, "replace": _replace,
    "trimprefix": _affix(True), "trimsuffix": _affix(False), **COLLECTION_FUNCTIONS,
    "file": _file, "jsondecode": _decode, "yamldecode": _decode, "chomp": _text_function(_chomp),
    "basename": _basename, "abspath": _abspath,
}

__all__ = ["call", "for_expression", "operation", "repository_file"]
