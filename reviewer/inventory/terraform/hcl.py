"""Line-aware reading of Terraform's HCL2 into blocks, attributes and values.

python-hcl2's `loads` gives values without lines and flattens expressions such as
`jsonencode({...})` into strings. Every finding must point at an exact line, so this module walks
the raw Lark parse tree that python-hcl2 builds with `propagate_positions=True`
(`hcl2.parses_to_tree`, its public API) and keeps the line of every block, attribute, object key
and list item. No text search is needed: lines come from the parser itself.

What comes out:
- `Block`: type, labels, the file and lines, `attributes` (a LocatedMap name → value) and nested
  blocks in order;
- values: `LocatedStr` (literal strings, heredoc bodies), int/float/bool/None, `LocatedList`
  (tuples), `LocatedMap` (objects), or an `Expression` for anything computed: a reference
  (`aws_s3_bucket.b.arn`), a function call (`jsonencode(...)` with its converted arguments), a
  template (`"${path.module}/src"` with its parts), a conditional, an operation or a `for`.

Input is untrusted: nesting is bounded, the source text kept on expressions is truncated, and any
parser failure becomes an `HclError` carrying a one-line reason and the line where it happened.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from reviewer.located import LocatedList, LocatedMap, LocatedStr, nesting_exceeds

MAX_DEPTH = 120
_TRAILING_BLANKS = re.compile(r"[ \t]+(?=\r?\n)")
MAX_TEXT = 240

_SKIPPED_TOKENS = {"LPAR", "RPAR", "LBRACE", "RBRACE", "LSQB", "RSQB", "COMMA", "EQ", "COLON",
                   "DBLQUOTE", "INTERP_START", "ELLIPSIS", "DOT"}


class HclError(Exception):
    """The file cannot be read as HCL2; the message says why in one line, `line` says where."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Expression:
    """An HCL expression that is not a plain value.

    `kind`: "reference" (`name` is the dotted traversal without indexes, e.g.
    `aws_s3_bucket.uploads.arn`), "call" (`name` is the function, `args` its converted
    arguments), "template" (`args` are the parts: str or Expression), "conditional" (`args`:
    condition, then, else), "operation" (`name` is the operator, `args` its one or two operands;
    no name when the operands could not be told apart), "for" (`name` "tuple" or "object", see
    `for_expression`), "index" (`args`: a call, then the keys that index what it returns, as in
`split(".", var.file)[0]`) or "other". `text` is the source text, whitespace collapsed and truncated.
    """

    kind: str
    text: str
    line: int
    name: str = ""
    args: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return self.text


@dataclass
class Block:
    """One HCL block (`resource "aws_lambda_function" "x" { ... }`) with the lines it spans."""

    type: str
    labels: tuple[str, ...]
    path: str
    line: int
    end_line: int
    attributes: LocatedMap
    blocks: list["Block"] = field(default_factory=list)

    def blocks_named(self, type_: str) -> list["Block"]:
        """Nested blocks of one type, including the `content` of `dynamic "type"` blocks."""
        found = [block for block in self.blocks if block.type == type_]
        for dynamic in self.blocks:
            if dynamic.type == "dynamic" and dynamic.labels[:1] == (type_,):
                found.extend(block for block in dynamic.blocks if block.type == "content")
        return found

    def line_of(self, attribute: str) -> int:
        return self.attributes.line_of(attribute)

    def get(self, attribute: str, default: Any = None) -> Any:
        return self.attributes.get(attribute, default)


def parse_hcl(text: str, path: str) -> tuple[LocatedMap, list[Block]]:
    """Top-level attributes (as in `.tfvars`) and blocks of one file; HclError when not HCL2."""
    import hcl2  # heavy (Lark grammar): imported only when a Terraform file is read
    from lark.exceptions import LarkError, UnexpectedInput

    if nesting_exceeds(text, MAX_DEPTH, "[{("):
        raise HclError(f"brackets nested deeper than {MAX_DEPTH} levels")
    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        line = int(getattr(exc, "line", 1) or 1)
        # Terraform accepts blanks after a heredoc's closing marker (`EOF  `); python-hcl2's
        # grammar does not. Without trailing blanks the lines and every value stay the same.
        trimmed = _TRAILING_BLANKS.sub("", text)
        if trimmed == text:
            raise HclError(f"HCL syntax error at line {max(line, 1)}", max(line, 1)) from None
        try:
            tree = hcl2.parses_to_tree(trimmed)
        except (LarkError, RecursionError, ValueError, RuntimeError, IndexError):
            raise HclError(f"HCL syntax error at line {max(line, 1)}", max(line, 1)) from None
        text = trimmed
    except RecursionError:
        raise HclError("nesting deeper than the parser can follow") from None
    except (LarkError, ValueError, RuntimeError, IndexError) as exc:
        raise HclError(f"not readable as HCL2 ({type(exc).__name__})") from None
    return _Converter(text, path).top_level(tree)


class _Converter:
    """Turns the Lark tree of one file into Blocks and located values."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path

    def top_level(self, start: Any) -> tuple[LocatedMap, list[Block]]:
        body = _first_tree(start, "body")
        if body is None:
            empty = LocatedMap()
            empty.line, empty.key_lines = 1, {}
            return empty, []
        return self.body(body, 0)

    def body(self, body: Any, depth: int) -> tuple[LocatedMap, list[Block]]:
        if depth > MAX_DEPTH:
            raise HclError(f"blocks nested deeper than {MAX_DEPTH} levels", _line(body))
        attributes = LocatedMap()
        attributes.line, attributes.key_lines = _line(body), {}
        blocks: list[Block] = []
        for child in _trees(body):
            if child.data == "attribute":
                name_node, value_node = child.children[0], child.children[-1]
                name = LocatedStr(_name(name_node))
                attributes[name] = self.value(value_node, depth + 1)
                attributes.key_lines[name] = _line(child)
            elif child.data == "block":
                blocks.append(self.block(child, depth + 1))
        return attributes, blocks

    def block(self, node: Any, depth: int) -> Block:
        parts = [c for c in node.children if _is_tree(c) and c.data not in ("new_line_or_comment", "body")]
        body = _first_tree(node, "body")
        names = [self.label(part, depth) for part in parts]
        attributes, blocks = self.body(body, depth) if body is not None else (LocatedMap(), [])
        if body is None:
            attributes.line, attributes.key_lines = _line(node), {}
        return Block(type=names[0] if names else "", labels=tuple(names[1:]), path=self.path,
                     line=_line(node), end_line=_end_line(node), attributes=attributes, blocks=blocks)

    def label(self, node: Any, depth: int) -> str:
        if node.data == "string":
            value = self.value(node, depth)
            return str(value) if isinstance(value, str) else value.text
        return _name(node)

    def value(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise HclError(f"expressions nested deeper than {MAX_DEPTH} levels", _line(node))
        if not _is_tree(node):
            return self.token_value(node)
        kind = node.data
        handler = getattr(self, f"_{kind}", None)
        if handler is not None:
            return handler(node, depth + 1)
        if kind in ("conditional",):
            args = tuple(self.value(c, depth + 1) for c in _trees(node) if c.data != "new_line_or_comment")
            return self.expression("conditional", node, args=args)
        if kind == "binary_op":
            return self.binary(node, depth + 1)
        if kind == "unary_op":
            return self.unary(node, depth + 1)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self.for_expression(node, depth + 1, kind == "for_object_expr")
        return self.expression("other", node)

    def binary(self, node: Any, depth: int) -> Expression:
        """`a && b`, `x != "Zip"`: an operation named by its operator, with both operands."""
        trees = [c for c in _trees(node) if c.data != "new_line_or_comment"]
        term = trees[-1] if len(trees) == 2 and trees[-1].data == "binary_term" else None
        if term is None:
            return self.expression("operation", node)
        operator = _first_tree(term, "binary_operator")
        operand = [c for c in _trees(term) if c.data not in ("binary_operator", "new_line_or_comment")]
        if operator is None or len(operand) != 1:
            return self.expression("operation", node)
        return self.expression("operation", node, name=_name(operator),
                               args=(self.value(trees[0], depth), self.value(operand[0], depth)))

    def unary(self, node: Any, depth: int) -> Expression:
        """`!var.create`, `-1`: an operation with one operand."""
        tokens = [str(c) for c in node.children if not _is_tree(c)]
        operand = [c for c in _trees(node) if c.data != "new_line_or_comment"]
        if len(tokens) != 1 or len(operand) != 1:
            return self.expression("operation", node)
        return self.expression("operation", node, name=tokens[0], args=(self.value(operand[0], depth),))

    def for_expression(self, node: Any, depth: int, is_object: bool) -> Expression:
        """`[for s in xs : f(s) if c]`, `{for k, v in m : k => v}`: `name` is "tuple" or "object",
        `args` are (names, collection, key or None, value, condition or None, grouped)."""
        intro = _first_tree(node, "for_intro")
        if intro is None:
            return self.expression("for", node)
        names = tuple(_name(c) for c in _trees(intro) if c.data == "identifier")
        collection = [c for c in _trees(intro) if c.data not in ("identifier", "new_line_or_comment")]
        body = [c for c in _trees(node) if c.data not in ("for_intro", "for_cond", "new_line_or_comment")]
        condition = _first_tree(node, "for_cond")
        condition_value = [c for c in _trees(condition) if c.data != "new_line_or_comment"] if condition else []
        if len(collection) != 1 or len(body) != (2 if is_object else 1) or not 1 <= len(names) <= 2:
            return self.expression("for", node)
        key = self.value(body[0], depth) if is_object else None
        grouped = any(not _is_tree(c) and str(c) == "..." for c in node.children)
        args = (names, self.value(collection[0], depth), key, self.value(body[-1], depth),
                self.value(condition_value[0], depth) if condition_value else None, grouped)
        return self.expression("for", node, name="object" if is_object else "tuple", args=args)

    def token_value(self, token: Any) -> Any:
        return LocatedStr(str(token))

    def expression(self, kind: str, node: Any, name: str = "", args: tuple[Any, ...] = ()) -> Expression:
        return Expression(kind=kind, text=self.source(node), line=_line(node), name=name, args=args)

    def source(self, node: Any) -> str:
        meta = getattr(node, "meta", None)
        start, end = getattr(meta, "start_pos", None), getattr(meta, "end_pos", None)
        if start is None or end is None:
            return ""
        raw = self.text[start:min(end, start + MAX_TEXT * 4)]
        collapsed = " ".join(raw.split())
        return collapsed if len(collapsed) <= MAX_TEXT else collapsed[:MAX_TEXT - 1] + "…"

    # -- one method per grammar rule that yields a value ------------------------------------

    def _expr_term(self, node: Any, depth: int) -> Any:
        inner = [c for c in node.children if _is_tree(c) and c.data != "new_line_or_comment"]
        if len(inner) != 1:
            return self.expression("other", node)
        return self.value(inner[0], depth)

    def _int_lit(self, node: Any, depth: int) -> Any:
        try:
            return int(str(node.children[0]))
        except ValueError:
            return self.expression("other", node)

    def _float_lit(self, node: Any, depth: int) -> Any:
        try:
            return float(str(node.children[0]))
        except ValueError:
            return self.expression("other", node)

    def _literal_value(self, node: Any, depth: int) -> Any:
        return {"true": True, "false": False, "null": None}.get(str(node.children[0]))

    def _identifier(self, node: Any, depth: int) -> Any:
        name = _name(node)
        return Expression(kind="reference", text=name, line=_line(node), name=name)

    def _keyword(self, node: Any, depth: int) -> Any:
        return self._identifier(node, depth)

    def _string(self, node: Any, depth: int) -> Any:
        parts: list[Any] = []
        for part in _trees(node):
            if part.data != "string_part":
                continue
            for piece in part.children:
                if _is_tree(piece):
                    if piece.data == "interpolation":
                        inner = [c for c in piece.children if _is_tree(c)]
                        parts.append(self.value(inner[0], depth) if inner else self.expression("other", piece))
                    else:  # %{if}/%{for} template directives: not evaluated
                        return self.expression("template", node, args=())
                elif piece.type == "ESCAPED_INTERPOLATION":
                    parts.append(str(piece)[1:])
                elif piece.type == "ESCAPED_DIRECTIVE":
                    parts.append(str(piece)[1:])
                else:
                    parts.append(_unescape(str(piece)))
        if all(isinstance(p, str) for p in parts):
            return _located("".join(parts), node)
        merged: list[Any] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part
            else:
                merged.append(part)
        return self.expression("template", node, args=tuple(merged))

    def _heredoc_template(self, node: Any, depth: int) -> Any:
        return self.heredoc(node, trim=False)

    def _heredoc_template_trim(self, node: Any, depth: int) -> Any:
        return self.heredoc(node, trim=True)

    def heredoc(self, node: Any, trim: bool) -> LocatedStr:
        raw = str(node.children[0]).replace("\r\n", "\n")
        lines = raw.split("\n")
        body = lines[1:-2] if len(lines) >= 3 else []
        text = "\n".join(body)
        if trim:
            text = textwrap.dedent(text)
        located = LocatedStr(text)
        located.line = _line(node) + 1  # the body starts on the line after `<<EOF`
        located.end_line = located.line + max(len(body) - 1, 0)
        return located

    def _tuple(self, node: Any, depth: int) -> LocatedList:
        items = [c for c in node.children if _is_tree(c) and c.data != "new_line_or_comment"]
        result = LocatedList(self.value(item, depth) for item in items)
        result.line = _line(node)
        result.item_lines = [_line(item) for item in items]
        return result

    def _object(self, node: Any, depth: int) -> LocatedMap:
        result = LocatedMap()
        result.line, result.key_lines = _line(node), {}
        for element in _trees(node):
            if element.data != "object_elem":
                continue
            key_node = _first_tree(element, "object_elem_key")
            inner = [c for c in element.children if _is_tree(c) and c.data != "object_elem_key"]
            if key_node is None or not inner:
                continue
            key = self.object_key(key_node, depth)
            result[key] = self.value(inner[-1], depth)
            result.key_lines[key] = _line(element)
        return result

    def object_key(self, node: Any, depth: int) -> LocatedStr:
        inner = [c for c in node.children if _is_tree(c)]
        if not inner:
            return LocatedStr(str(node.children[0]) if node.children else "")
        value = self.value(inner[0], depth)
        if isinstance(value, Expression):
            return LocatedStr(value.name if value.kind == "reference" and "." not in value.name else value.text)
        return LocatedStr(str(value))

    def _function_call(self, node: Any, depth: int) -> Expression:
        names = [c for c in node.children if _is_tree(c) and c.data == "identifier"]
        name = "::".join(_name(n) for n in names)
        arguments = _first_tree(node, "arguments")
        args: tuple[Any, ...] = ()
        if arguments is not None:
            args = tuple(self.value(c, depth) for c in arguments.children
                         if _is_tree(c) and c.data != "new_line_or_comment")
        return self.expression("call", node, name=name, args=args)

    def _get_attr_expr_term(self, node: Any, depth: int) -> Expression:
        return self.traversal(node, depth)

    def _index_expr_term(self, node: Any, depth: int) -> Expression:
        return self.traversal(node, depth)

    def _attr_splat_expr_term(self, node: Any, depth: int) -> Expression:
        return self.traversal(node, depth)

    def _full_splat_expr_term(self, node: Any, depth: int) -> Expression:
        return self.traversal(node, depth)

    def traversal(self, node: Any, depth: int) -> Expression:
        """`aws_lambda_function.this[0].arn` → reference named aws_lambda_function.this.arn."""
        names: list[str] = []
        indexes: list[Any] = []
        only_indexes = True
        current = node
        steps = 0
        while _is_tree(current) and steps < MAX_DEPTH:
            steps += 1
            if current.data == "expr_term":
                if any(not _is_tree(c) for c in current.children):  # a parenthesised expression
                    return self.expression("other", node)
                inner = [c for c in current.children if c.data != "new_line_or_comment"]
                if len(inner) != 1:
                    return self.expression("other", node)
                current = inner[0]
                continue
            if current.data == "identifier":
                names.append(_name(current))
                break
            if current.data in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term",
                                "full_splat_expr_term"):
                base, step = current.children[0], current.children[-1]
                only_indexes = only_indexes and current.data == "index_expr_term"
                if current.data == "get_attr_expr_term":
                    attribute = [c for c in step.children if _is_tree(c)]
                    names.append(_name(attribute[0]) if attribute else "")
                elif current.data == "index_expr_term":
                    index = [c for c in step.children if _is_tree(c) and c.data != "new_line_or_comment"]
                    indexes.append(self.value(index[0], depth) if index else None)
                current = base
                continue
            if current.data == "function_call" and indexes and only_indexes and None not in indexes:
                # `split(".", var.file)[0]`: the items of what a function returns
                return self.expression("index", node, args=(self.value(current, depth), *reversed(indexes)))
            return self.expression("other", node)
        if not names:
            return self.expression("other", node)
        names.reverse()
        return self.expression("reference", node, name=".".join(n for n in names if n),
                               args=tuple(reversed(indexes)))


def _is_tree(node: Any) -> bool:
    return hasattr(node, "data") and hasattr(node, "children")


def _trees(node: Any) -> list[Any]:
    return [child for child in node.children if _is_tree(child)]


def _first_tree(node: Any, data: str) -> Any:
    return next((child for child in _trees(node) if child.data == data), None)


def _name(node: Any) -> str:
    """The text of an identifier, keyword or literal-value node (or a bare token)."""
    if not _is_tree(node):
        return str(node)
    for child in node.children:
        if _is_tree(child):
            return _name(child)
        return str(child)
    return ""


def _line(node: Any) -> int:
    meta = getattr(node, "meta", None)
    line = getattr(meta, "line", None) if meta is not None and not getattr(meta, "empty", True) else None
    if line is None:
        line = getattr(node, "line", None)
    return int(line or 1)


def _end_line(node: Any) -> int:
    meta = getattr(node, "meta", None)
    end = getattr(meta, "end_line", None) if meta is not None and not getattr(meta, "empty", True) else None
    return int(end or _line(node))


def _located(value: str, node: Any) -> LocatedStr:
    located = LocatedStr(value)
    located.line = _line(node)
    located.end_line = _end_line(node)
    return located


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(raw: str) -> str:
    """HCL string escapes (\\n, \\", \\uNNNN...); unknown escapes are kept as written."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char != "\\" or index + 1 >= len(raw):
            out.append(char)
            index += 1
            continue
        marker = raw[index + 1]
        if marker in _ESCAPES:
            out.append(_ESCAPES[marker])
            index += 2
            continue
        width = {"u": 4, "U": 8}.get(marker)
        digits = raw[index + 2:index + 2 + width] if width else ""
        if width and len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
            code = int(digits, 16)
            if code <= 0x10FFFF and not 0xD800 <= code < 0xE000:
                out.append(chr(code))
                index += 2 + width
                continue
        out.append(raw[index:index + 2])
        index += 2
    return "".join(out)


__all__ = ["Block", "Expression", "HclError", "parse_hcl", "MAX_DEPTH"]
