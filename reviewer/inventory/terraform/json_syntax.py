"""Terraform's JSON syntax (`*.tf.json`) read into the same blocks and values as HCL files.

In a `.tf.json` file every string is a template: `"${var.runtime}"` is the expression
`var.runtime`, `"fn-${var.stage}"` a template. Each interpolation is handed to the real HCL parser
(`hcl.parse_hcl`), never to a hand-written one; the line of every value is the line of its JSON
key. Nested blocks (`environment`, `statement`...) are told from object attributes by the block
types the Terraform reader walks; everything else stays an attribute, as Terraform itself
decides by the provider's schema.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reviewer.document_errors import JSON, document_error
from reviewer.inventory.terraform.hcl import Block, Expression, HclError, parse_hcl
from reviewer.located import DocumentError, LocatedList, LocatedMap, LocatedStr, load_yaml

# The nested block types the Terraform reader looks into (Block.blocks_named).
NESTED_BLOCKS = frozenset({"environment", "filter_criteria", "filter", "lambda_function", "inline_policy",
                           "target", "statement", "principals", "condition", "dynamic", "content"})
MAX_TEMPLATE_CHARS = 4096
MAX_INTERPOLATIONS = 32
MAX_CLOSING_TRIES = 64


def parse_tf_json(text: str, path: str) -> tuple[LocatedMap, list[Block]]:
    """Top-level attributes (for `.tfvars.json`) and blocks of one `.tf.json` file."""
    try:
        document = load_yaml(text)  # JSON is YAML: the loader keeps the line of every key
    except DocumentError as exc:
        raise HclError(f"not readable as Terraform JSON ({document_error(exc, JSON)})") from None
    if not isinstance(document, LocatedMap):
        raise HclError("a Terraform JSON file holds one object")
    return _Reader(path).top_level(document)


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def top_level(self, document: LocatedMap) -> tuple[LocatedMap, list[Block]]:
        blocks: list[Block] = []
        for kind, body in document.items():
            line = document.line_of(kind)
            if kind in ("resource", "data"):
                for type_, named in _objects(body):
                    for name, content in _objects(named):
                        blocks.extend(self.block(kind, (type_, name), content, _line_of(named, name, line)))
            elif kind in ("module", "variable", "output"):
                for name, content in _objects(body):
                    blocks.extend(self.block(kind, (name,), content, _line_of(body, name, line)))
            elif kind == "locals":
                for content in body if isinstance(body, list) else [body]:
                    blocks.extend(self.block("locals", (), content, line))
        attributes = LocatedMap()
        attributes.line, attributes.key_lines = 1, {}
        for key, value in document.items():
            attributes[key] = self.value(value, document.line_of(key), literal=True)
            attributes.key_lines[key] = document.line_of(key)
        return attributes, blocks

    def block(self, kind: str, labels: tuple[str, ...], content: Any, line: int) -> list[Block]:
        """One block (a list of objects declares the same block several times)."""
        bodies = content if isinstance(content, list) else [content]
        return [self.body(kind, labels, body, line) for body in bodies if isinstance(body, LocatedMap)]

    def body(self, kind: str, labels: tuple[str, ...], content: LocatedMap, line: int) -> Block:
        attributes = LocatedMap()
        attributes.line, attributes.key_lines = getattr(content, "line", line), {}
        blocks: list[Block] = []
        literal = kind == "variable"  # a variable's default is a value, not a template
        for key, value in content.items():
            if key == "//":
                continue  # a comment
            key_line = content.line_of(key)
            if key in NESTED_BLOCKS and kind not in ("module", "locals", "variable", "output") \
                    and _is_block_body(value):
                if key == "dynamic":
                    for label, inner in _objects(value):
                        blocks.extend(self.block("dynamic", (label,), inner, _line_of(value, label, key_line)))
                else:
                    blocks.extend(self.block(key, (), value, key_line))
                continue
            attributes[LocatedStr(key)] = self.value(value, key_line, literal=literal)
            attributes.key_lines[key] = key_line
        end = max([line, *attributes.key_lines.values(), *(b.end_line for b in blocks)])
        return Block(type=kind, labels=labels, path=self.path, line=line, end_line=end, attributes=attributes,
                     blocks=blocks)

    def value(self, value: Any, line: int, literal: bool = False) -> Any:
        if isinstance(value, str):
            return _string(value, line) if literal or "${" not in value else self.template(value, line)
        if isinstance(value, dict):
            result = LocatedMap()
            result.line = getattr(value, "line", line)
            lines = getattr(value, "key_lines", {})
            result.key_lines = {}
            for key, item in value.items():
                key_line = lines.get(key, result.line)
                result[LocatedStr(key)] = self.value(item, key_line, literal)
                result.key_lines[key] = key_line
            return result
        if isinstance(value, list):
            item_lines = list(getattr(value, "item_lines", []))
            items = LocatedList(self.value(item, item_lines[index] if index < len(item_lines) else line, literal)
                                for index, item in enumerate(value))
            items.line = getattr(value, "line", line)
            items.item_lines = [item_lines[index] if index < len(item_lines) else line for index in range(len(items))]
            return items
        return value

    def template(self, text: str, line: int) -> Any:
        """`"${expr}"` is the expression; `"a-${expr}"` a template of literal parts and expressions."""
        if len(text) > MAX_TEMPLATE_CHARS:
            return Expression(kind="other", text=text[:240], line=line)
        parts: list[Any] = []
        position = 0
        for _ in range(MAX_INTERPOLATIONS):
            start = _interpolation_start(text, position)
            if start < 0:
                break
            found = self.interpolation(text, start, line)
            if found is None:
                return Expression(kind="other", text=text[:240], line=line)
            expression, end = found
            if start > position:
                parts.append(text[position:start].replace("$${", "${"))
            parts.append(expression)
            position = end + 1
        else:
            return Expression(kind="other", text=text[:240], line=line)
        if position < len(text):
            parts.append(text[position:].replace("$${", "${"))
        if len(parts) == 1 and not isinstance(parts[0], str):
            return parts[0]
        return Expression(kind="template", text=text[:240], line=line, args=tuple(parts))

    def interpolation(self, text: str, start: int, line: int) -> tuple[Any, int] | None:
        """The expression of the interpolation opened at `start`, and where it closes: the first
        closing brace after which the real parser reads a whole expression."""
        end = start + 2
        for _ in range(MAX_CLOSING_TRIES):
            end = text.find("}", end)
            if end < 0:
                return None
            candidate = text[start + 2:end].strip()
            if candidate:
                try:
                    attributes, _ = parse_hcl(f"v = {candidate}\n", self.path)
                except HclError:
                    attributes = None
                if attributes is not None and "v" in attributes:
                    return _at_line(attributes["v"], line), end
            end += 1
        return None


def _interpolation_start(text: str, position: int) -> int:
    """The next `${` that is not the escape `$${`."""
    while True:
        start = text.find("${", position)
        if start <= 0 or text[start - 1] != "$":
            return start
        position = start + 2


def _at_line(value: Any, line: int) -> Any:
    if isinstance(value, Expression):
        return dataclasses.replace(value, line=line)
    if isinstance(value, str):
        return _string(value, line)
    return value


def _string(value: str, line: int) -> LocatedStr:
    located = LocatedStr(value)
    located.line = line
    located.end_line = line
    return located


def _line_of(container: Any, key: str, default: int) -> int:
    return container.line_of(key) if isinstance(container, LocatedMap) else default


def _objects(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(str(key), item) for key, item in value.items() if key != "//"]
    if isinstance(value, list):  # the same block type written as a list of objects
        return [(str(key), item) for entry in value if isinstance(entry, dict) for key, item in entry.items()]
    return []


def _is_block_body(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and all(isinstance(item, dict) for item in value))


__all__ = ["parse_tf_json", "NESTED_BLOCKS"]
