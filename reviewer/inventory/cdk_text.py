"""Lambda constructs in TypeScript, JavaScript and Java CDK apps, read as text (never compiled or run).

There is no parser for these languages here, so the reading is deliberately narrow: comments are
blanked out and string contents masked (offsets and lines kept), so a `new lambda.Function(`
inside a comment or string is not a construct; brackets are then matched on the masked text, and
only callees that this file's imports tie to a Lambda module count (a bare `new Function(...)` is
JavaScript's own constructor; `cloudfront.Function` is not a Lambda function).

Forms read:
- TS/JS: `new lambda.Function(this, 'Id', { runtime: lambda.Runtime.NODEJS_20_X, ... })`,
  `new NodejsFunction(this, 'Id', {...})`, `...sharedProps` spreads and `props` objects declared
  as `const` in the same file, a runtime held in a `const`, and `class X extends lambda.Function`
  whose `super(scope, id, {...})` sets the runtime.
- Java: `Function.Builder.create(this, "Id").runtime(Runtime.JAVA_21)...build()` and
  `new Function(this, "Id", FunctionProps.builder().runtime(...)...build())`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterator

from reviewer.inventory.cdk_constructs import (
    CONSTRUCTS_BY_MODULE, IMAGE_CONSTRUCTS, ConstructCall, RuntimeValue, runtime_from_expression,
)

MAX_CONSTRUCTS = 500
MAX_CALL_LENGTH = 20_000
_IDENT = r"[A-Za-z_$][\w$]*"
_CALLEE = rf"{_IDENT}(?:\s*\.\s*{_IDENT})*"
_INTERESTING = re.compile(r"//|/\*|['\"`]")
_STRING = re.compile(r"""^(['"`])(.*)\1$""", re.S)
_ASSET = re.compile(r"\b(?:from_?asset|from_?image_?asset|fromAsset|fromImageAsset)\s*\(", re.I)


@dataclass
class _Source:
    """The text three ways: as written, without comments, and with string contents masked too."""

    text: str
    plain: str
    masked: str
    newlines: list[int]
    declarations: dict[str, object] = field(default_factory=dict)  # name → its one declaration, looked up once

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.newlines, offset - 1) + 1

    def closing(self, opening: int) -> int | None:
        """Offset of the bracket that closes the one at `opening` (on masked text), or None."""
        depth = 0
        end = min(len(self.masked), opening + MAX_CALL_LENGTH)
        for index in range(opening, end):
            char = self.masked[index]
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
                if depth == 0:
                    return index
        return None

    def split(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the comma-separated items between `start` and `end` (top level only)."""
        spans, depth, begin = [], 0, start
        for index in range(start, end):
            char = self.masked[index]
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
            elif char == "," and depth == 0:
                spans.append((begin, index))
                begin = index + 1
        if self.masked[begin:end].strip():
            spans.append((begin, end))
        return spans

    def item(self, span: tuple[int, int]) -> tuple[str, int]:
        """The item's text as written (stripped) and the offset where it starts."""
        raw = self.text[span[0]:span[1]]
        stripped = raw.lstrip()
        return stripped.rstrip(), span[0] + len(raw) - len(stripped)


def _prepare(text: str, template_literals: bool) -> _Source:
    plain, masked = list(text), list(text)

    def blank(chars: list[str], start: int, end: int) -> None:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "

    index, length = 0, len(text)
    while index < length:
        match = _INTERESTING.search(text, index)
        if match is None:
            break
        start, token = match.start(), match.group()
        if token == "//":
            end = text.find("\n", start)
            end = length if end < 0 else end
            blank(plain, start, end), blank(masked, start, end)
        elif token == "/*":
            end = text.find("*/", start + 2)
            end = length if end < 0 else end + 2
            blank(plain, start, end), blank(masked, start, end)
        elif token == "`" and not template_literals:
            end = start + 1
        else:
            end = start + 1
            while end < length and text[end] != token:
                if text[end] == "\\":
                    end += 2
                    continue
                if text[end] == "\n" and token != "`":
                    break
                end += 1
            blank(masked, start + 1, min(end, length))
            end += 1
        index = max(end, start + 1)
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    return _Source(text, "".join(plain), "".join(masked), newlines)


def _module_of_specifier(specifier: str) -> str | None:
    """'aws-cdk-lib/aws-lambda' → aws_lambda; 'aws-cdk-lib' → '' (the root); other packages → None."""
    if specifier == "aws-cdk-lib":
        return ""
    match = re.fullmatch(r"(?:aws-cdk-lib|@aws-cdk)/(aws-lambda(?:-[a-z-]+)?)", specifier)
    return match[1].replace("-", "_") if match else None


def _resolve(callee: str, symbols: dict[str, str]) -> str | None:
    """A construct name when `callee` reaches a Lambda construct through the file's imports."""
    parts = [part.strip() for part in callee.split(".")]
    if parts[0] not in symbols:
        return None
    full = [p for p in symbols[parts[0]].split(".") if p] + parts[1:]
    if len(full) == 2 and full[1] in CONSTRUCTS_BY_MODULE.get(full[0], ()):
        return full[1]
    return None


# ---------------------------------------------------------------------------------------------
# TypeScript / JavaScript


def typescript_constructs(text: str) -> list[ConstructCall]:
    source = _prepare(text, template_literals=True)
    symbols = _typescript_symbols(source.plain)
    if not symbols:
        return []
    found: list[ConstructCall] = []
    for match in re.finditer(rf"\bnew\s+({_CALLEE})\s*\(", source.masked):
        construct = _resolve(re.sub(r"\s+", "", match[1]), symbols)
        if construct is not None:
            found.append(_typescript_call(source, construct, match.end() - 1, None))
        if len(found) >= MAX_CONSTRUCTS:
            return found
    subclasses = 0
    for match in re.finditer(rf"\bclass\s+({_IDENT})\s+extends\s+({_CALLEE})\s*\{{", source.masked):
        construct = _resolve(re.sub(r"\s+", "", match[2]), symbols)
        if construct is None:
            continue
        subclasses += 1
        body_end = source.closing(match.end() - 1)
        call = re.compile(r"\bsuper\s*\(").search(source.masked, match.end(), body_end) if body_end else None
        if call is not None:
            found.append(_typescript_call(source, construct, call.end() - 1, match[1]))
        if subclasses >= MAX_CONSTRUCTS or len(found) >= MAX_CONSTRUCTS:
            break
    return found[:MAX_CONSTRUCTS]


def _typescript_symbols(plain: str) -> dict[str, str]:
    """Local names → canonical module paths ("aws_lambda", "aws_lambda.Function", "" for the root)."""
    symbols: dict[str, str] = {}
    quoted = r"""['"]([^'"\n]{1,200})['"]"""
    for match in re.finditer(rf"\bimport\s+\*\s+as\s+({_IDENT})\s+from\s+{quoted}", plain):
        _bind(symbols, match[1], match[2], None)
    for match in re.finditer(rf"\bimport\s+({_IDENT})\s*(?:=\s*require\s*\(\s*|from\s+){quoted}", plain):
        _bind(symbols, match[1], match[2], None)
    for match in re.finditer(rf"\b(?:const|let|var)\s+({_IDENT})\s*=\s*require\s*\(\s*{quoted}\s*\)", plain):
        _bind(symbols, match[1], match[2], None)
    for match in re.finditer(rf"\bimport\s+(?:type\s+)?(?:{_IDENT}\s*,\s*)?\{{([^}}]{{0,500}})\}}\s*from\s+{quoted}", plain):
        for name, local in _named(match[1], " as "):
            _bind(symbols, local, match[2], name)
    for match in re.finditer(rf"\b(?:const|let|var)\s*\{{([^}}]{{0,500}})\}}\s*=\s*require\s*\(\s*{quoted}\s*\)", plain):
        for name, local in _named(match[1], ":"):
            _bind(symbols, local, match[2], name)
    return symbols


def _named(names: str, separator: str) -> Iterator[tuple[str, str]]:
    for item in names.split(","):
        item = item.strip()
        if item.startswith("type "):
            item = item[5:].strip()
        name, _, local = item.partition(separator)
        if re.fullmatch(_IDENT, name.strip()):
            yield name.strip(), (local.strip() or name.strip())


def _bind(symbols: dict[str, str], local: str, specifier: str, name: str | None) -> None:
    module = _module_of_specifier(specifier)
    if module is None:
        return
    symbols[local] = ".".join(part for part in (module, name) if part) if name else module


def _typescript_call(source: _Source, construct: str, opening: int, class_name: str | None) -> ConstructCall:
    closing = source.closing(opening) or opening
    args = source.split(opening + 1, closing)
    name, literal = (class_name, False) if class_name else _literal_id(source, args)
    found = ConstructCall(construct=construct, name=name, name_is_literal=literal, line=source.line(opening),
                          image=construct in IMAGE_CONSTRUCTS)
    if len(args) < 3:
        found.runtime_note = None
        return found
    props_text, props_start = source.item(args[2])
    entries = _object_entries(source, props_text, props_start, depth=0)
    if entries is None:
        found.runtime_note = f"the properties are passed as `{' '.join(props_text.split())[:60]}`"
        return found
    _apply_entries(source, entries, found)
    return found


def _literal_id(source: _Source, args: list[tuple[int, int]]) -> tuple[str, bool]:
    if len(args) < 2:
        return "(unnamed)", False
    text, _ = source.item(args[1])
    match = _STRING.fullmatch(text)
    if match and "${" not in match[2]:
        return match[2], True
    return " ".join(text.split())[:80], False


def _object_entries(source: _Source, text: str, start: int, depth: int) -> dict[str, tuple[int, str, int]] | None:
    """Keys of an object literal → (line of the key, value as written, offset of the value).

    `...shared` spreads and a bare identifier both follow a `const x = {...}` of the same file.
    """
    if depth > 2:
        return None
    if re.fullmatch(_IDENT, text):
        declared = _const_object(source, text)
        return _object_entries(source, *declared, depth=depth + 1) if declared else None
    if not text.startswith("{"):
        return None
    closing = source.closing(start)
    if closing is None:
        return None
    entries: dict[str, tuple[int, str, int]] = {}
    for span in source.split(start + 1, closing):
        item, offset = source.item(span)
        if item.startswith("..."):
            declared = _const_object(source, item[3:].strip())
            spread = _object_entries(source, *declared, depth=depth + 1) if declared else None
            for key, value in (spread or {}).items():
                entries.setdefault(key, value)
            if spread is None:
                entries.setdefault("...", (source.line(offset), item, offset))
            continue
        key = re.match(rf"""(?:(['"])({_IDENT})\1|({_IDENT}))\s*(:?)""", item)
        if key is None:
            continue
        name = key[2] or key[3]
        value = item[key.end():].strip() if key[4] else name
        entries[name] = (source.line(offset), value, offset + key.end())
    return entries


def _const_object(source: _Source, name: str) -> tuple[str, int] | None:
    """`const shared = { ... }` (or `: lambda.FunctionProps = {`) declared once in this file."""
    if not re.fullmatch(_IDENT, name):
        return None
    key = f"object:{name}"
    if key not in source.declarations:
        source.declarations[key] = _find_const_object(source, name)
    return source.declarations[key]  # type: ignore[return-value]


def _find_const_object(source: _Source, name: str) -> tuple[str, int] | None:
    matches = list(re.finditer(rf"\b(?:const|let|var)\s+{re.escape(name)}\s*(?::[^=;]{{1,80}})?=\s*\{{",
                               source.masked))
    if len(matches) != 1:
        return None
    opening = matches[0].end() - 1
    closing = source.closing(opening)
    if closing is None:
        return None
    return source.text[opening:closing + 1], opening


def _apply_entries(source: _Source, entries: dict[str, tuple[int, str, int]], found: ConstructCall) -> None:
    if "runtime" in entries:
        line, value, _ = entries["runtime"]
        found.runtime_given, found.runtime_line = True, line
        resolved = _typescript_runtime(source, value, found)
        found.runtime, found.runtime_note = resolved.identifier, resolved.note
        found.image = found.image or resolved.image
    elif "..." in entries:
        found.runtime_note = f"passed in `{entries['...'][1][:60]}`"
    if "handler" in entries and (match := _STRING.fullmatch(entries["handler"][1])):
        found.handler = match[2]
    for key in ("code", "entry"):
        if key in entries:
            _asset(entries[key][1], found)


def _typescript_runtime(source: _Source, value: str, found: ConstructCall) -> RuntimeValue:
    if re.fullmatch(_IDENT, value):
        key = f"value:{value}"
        if key not in source.declarations:
            source.declarations[key] = list(re.finditer(
                rf"\b(?:const|let|var)\s+{re.escape(value)}\b[^=\n;]{{0,80}}=\s*([^;\n]{{1,200}})", source.plain))
        matches: list[re.Match[str]] = source.declarations[key]  # type: ignore[assignment]
        if len(matches) != 1:
            return RuntimeValue(note=f"given by the variable `{value}`")
        found.runtime_default_line = source.line(matches[0].start())
        return runtime_from_expression(matches[0][1])
    return runtime_from_expression(value)


def _asset(value: str, found: ConstructCall) -> None:
    """`Code.fromAsset('lambda')`, `path.join(__dirname, '../lambda')`, `DockerImageCode.fromImageAsset(...)`."""
    call = _ASSET.search(value)
    inner = value[call.end():] if call else value
    strings = re.findall(r"""(['"])([^'"\n]{1,300})\1""", inner)
    if not strings:
        return
    relative_to_file = re.match(r"\s*(?:path\s*\.\s*)?(?:join|resolve)\s*\(\s*__dirname\b", inner) is not None
    if relative_to_file:
        found.asset, found.asset_base = "/".join(s for _, s in strings if not s.startswith("{")), "file"
    elif re.match(r"""\s*['"]""", inner):
        found.asset, found.asset_base = strings[0][1], "app"
    options = re.search(r"""\bfile\s*:\s*(['"])([^'"\n]{1,200})\1""", inner)
    if options:
        found.dockerfile = options[2]
        if found.asset_base == "file" and found.asset:
            found.asset = "/".join(s for _, s in strings if s != options[2])
    target = re.search(r"""\btarget\s*:\s*(['"])([^'"\n]{1,100})\1""", inner)
    if target:
        found.docker_target = target[2]


# ---------------------------------------------------------------------------------------------
# Java

_JAVA_PACKAGE = "software.amazon.awscdk.services.lambda"


def _java_module(package: str) -> str | None:
    """software.amazon.awscdk.services.lambda[.nodejs|.python.alpha] → canonical module."""
    if package == _JAVA_PACKAGE:
        return "aws_lambda"
    if package.startswith(_JAVA_PACKAGE + "."):
        return "aws_lambda_" + package[len(_JAVA_PACKAGE) + 1:].replace(".", "_")
    return None


def java_constructs(text: str) -> list[ConstructCall]:
    source = _prepare(text, template_literals=False)
    symbols: dict[str, str] = {}
    wildcard_modules = []
    for match in re.finditer(r"\bimport\s+([\w.]{1,300}?)\.(\*|\w+)\s*;", source.plain):
        module = _java_module(match[1])
        if module is not None and match[2] == "*":
            wildcard_modules.append(module)
        elif module is not None:
            symbols[match[2]] = f"{module}.{match[2]}"
        else:
            symbols.pop(match[2], None)
            symbols[match[2]] = "other"
    for module in wildcard_modules:
        for construct in CONSTRUCTS_BY_MODULE.get(module, ()):
            symbols.setdefault(construct, f"{module}.{construct}")

    def construct_of(callee: str) -> str | None:
        callee = re.sub(r"\s+", "", callee)
        package, _, name = callee.rpartition(".")
        module = _java_module(package) if package else None
        if module is not None:
            return name if name in CONSTRUCTS_BY_MODULE.get(module, ()) else None
        return _resolve(callee, symbols)

    found: list[ConstructCall] = []
    for match in re.finditer(r"(?<![\w.])([\w.]{1,300}?)\s*\.\s*Builder\s*\.\s*create\s*\(", source.masked):
        construct = construct_of(match[1])
        if construct is not None:
            found.append(_java_builder(source, construct, match.end() - 1))
    for match in re.finditer(r"\bnew\s+([\w.]{1,300})\s*\(", source.masked):
        construct = construct_of(match[1])
        if construct is not None:
            found.append(_java_new(source, construct, match.end() - 1))
    return found[:MAX_CONSTRUCTS]


def _java_builder(source: _Source, construct: str, opening: int) -> ConstructCall:
    closing = source.closing(opening) or opening
    name, literal = _literal_id(source, source.split(opening + 1, closing))
    found = ConstructCall(construct=construct, name=name, name_is_literal=literal, line=source.line(opening),
                          image=construct in IMAGE_CONSTRUCTS)
    _java_chain(source, closing + 1, len(source.masked), found)
    return found


def _java_new(source: _Source, construct: str, opening: int) -> ConstructCall:
    closing = source.closing(opening) or opening
    args = source.split(opening + 1, closing)
    name, literal = _literal_id(source, args)
    found = ConstructCall(construct=construct, name=name, name_is_literal=literal, line=source.line(opening),
                          image=construct in IMAGE_CONSTRUCTS)
    if len(args) >= 3:
        start = re.search(r"\.\s*builder\s*\(\s*\)", source.masked[args[2][0]:args[2][1]])
        if start is not None:
            _java_chain(source, args[2][0] + start.end(), args[2][1], found)
        else:
            text, _ = source.item(args[2])
            found.runtime_note = f"the properties are passed as `{' '.join(text.split())[:60]}`"
    return found


def _java_chain(source: _Source, position: int, limit: int, found: ConstructCall) -> None:
    """Follow `.runtime(...).handler(...).code(...)` until `.build()`."""
    step = re.compile(r"\s*\.\s*(\w+)\s*\(")
    for _ in range(200):
        match = step.match(source.masked, position, limit)
        if match is None:
            return
        closing = source.closing(match.end() - 1)
        if closing is None or match[1] == "build":
            return
        value, offset = source.item((match.end(), closing))
        if match[1] == "runtime":
            found.runtime_given, found.runtime_line = True, source.line(offset)
            resolved = _java_runtime(source, value, found)
            found.runtime, found.runtime_note = resolved.identifier, resolved.note
            found.image = found.image or resolved.image
        elif match[1] == "handler" and (string := _STRING.fullmatch(value)):
            found.handler = string[2]
        elif match[1] in ("code", "entry"):
            _asset(value, found)
        position = closing + 1


def _java_runtime(source: _Source, value: str, found: ConstructCall) -> RuntimeValue:
    if re.fullmatch(r"[A-Za-z_]\w*", value):
        key = f"value:{value}"
        if key not in source.declarations:
            source.declarations[key] = list(re.finditer(
                rf"(?<![\w.<>])[\w.<>]{{1,200}}\s+{re.escape(value)}\s*=\s*([^;]{{1,200}});", source.plain))
        matches: list[re.Match[str]] = source.declarations[key]  # type: ignore[assignment]
        if len(matches) != 1:
            return RuntimeValue(note=f"given by the variable `{value}`")
        found.runtime_default_line = source.line(matches[0].start(1))
        return runtime_from_expression(matches[0][1])
    return runtime_from_expression(value)
