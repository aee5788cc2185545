"""Non-Python source read through tree-sitter: CDK apps, JavaScript/TypeScript handlers, serverless.ts.

Why one module: every reader of non-Python code (the CDK inventory, the serverless.ts reader, the
recursion and input checks on JavaScript handlers) needs the same things: a parser per language,
the text and 1-based line of a node, the value of a string literal, and a walk that cannot
overflow the stack on hostile nesting. Nothing here executes or imports the code it reads, and
there are no regular expressions over code: tree-sitter builds a real syntax tree, with error
nodes where the source is broken, in time linear in the file's size.

Parsers are not thread-safe, so each thread keeps its own; `Language` objects are shared.
"""

from __future__ import annotations

import threading
from collections import deque
from functools import cache
from typing import Callable, Iterator

import tree_sitter

# The languages this module reads, by the name the rest of the code uses.
LANGUAGES = ("javascript", "typescript", "tsx", "java", "kotlin", "csharp", "go")

# File suffix -> language. `.jsx` is JavaScript (the JavaScript grammar reads JSX).
SUFFIX_LANGUAGE: dict[str, str] = {
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".java": "java",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".cs": "csharp",
    ".go": "go",
}

# Deeper than this, a walk stops descending: real code never nests this far, hostile code may.
MAX_DEPTH = 400


@cache
def language(name: str) -> tree_sitter.Language:
    """The grammar of `name` (one of LANGUAGES), loaded once per process."""
    if name == "javascript":
        import tree_sitter_javascript as javascript_grammar

        return tree_sitter.Language(javascript_grammar.language())
    if name in ("typescript", "tsx"):
        import tree_sitter_typescript as ts_grammar

        pointer = ts_grammar.language_tsx() if name == "tsx" else ts_grammar.language_typescript()
        return tree_sitter.Language(pointer)
    if name == "java":
        import tree_sitter_java as java_grammar

        return tree_sitter.Language(java_grammar.language())
    if name == "kotlin":
        import tree_sitter_kotlin as kotlin_grammar

        return tree_sitter.Language(kotlin_grammar.language())
    if name == "csharp":
        import tree_sitter_c_sharp as csharp_grammar

        return tree_sitter.Language(csharp_grammar.language())
    if name == "go":
        import tree_sitter_go as go_grammar

        return tree_sitter.Language(go_grammar.language())
    raise ValueError(f"no tree-sitter grammar for {name!r}; known: {', '.join(LANGUAGES)}")


_local = threading.local()


def _parser(name: str) -> tree_sitter.Parser:
    parsers: dict[str, tree_sitter.Parser] = _local.__dict__.setdefault("parsers", {})
    found = parsers.get(name)
    if found is None:
        found = parsers[name] = tree_sitter.Parser(language(name))
    return found


def language_for(path: str) -> str | None:
    """The language of a file by its suffix, or None when this module does not read it."""
    dot = path.rfind(".")
    if dot < 0 or "/" in path[dot:]:
        return None
    return SUFFIX_LANGUAGE.get(path[dot:].lower())


def parse(name: str, source: str | bytes) -> tree_sitter.Tree:
    """The syntax tree of `source` in language `name`. Broken code gives ERROR nodes, not an exception."""
    data = source.encode("utf-8", "surrogateescape") if isinstance(source, str) else source
    tree = _parser(name).parse(data)
    if tree is None:  # only without a language, which `_parser` always sets
        raise RuntimeError(f"tree-sitter returned no tree for {name}")
    return tree


def parse_file(path: str, source: str | bytes) -> tree_sitter.Tree | None:
    """The tree of a file whose language its suffix names, or None for a suffix no grammar reads."""
    name = language_for(path)
    return parse(name, source) if name else None


def text(node: tree_sitter.Node | None) -> str:
    """The source text of `node` ("" for None); undecodable bytes never raise."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def excerpt(source: str, limit: int = 80) -> str:
    """Source text (a node's, or Python's `ast.unparse`) on one line, for a sentence that quotes
    it: cut at `limit` characters with an ellipsis, so a reader sees it was cut (a bare cut in the
    middle of a call reads as a broken expression: `f(path.join(__dirname, "./fun`)."""
    collapsed = " ".join(source.split())
    return collapsed if len(collapsed) <= limit else collapsed[:limit - 1].rstrip() + "…"


def line(node: tree_sitter.Node) -> int:
    """The 1-based line where `node` starts."""
    return node.start_point[0] + 1


def end_line(node: tree_sitter.Node) -> int:
    """The 1-based line where `node` ends."""
    return node.end_point[0] + 1


def walk(
    node: tree_sitter.Node,
    *,
    descend: Callable[[tree_sitter.Node], bool] | None = None,
    max_depth: int = MAX_DEPTH,
) -> Iterator[tree_sitter.Node]:
    """Every named node under `node` (itself included), in source order, without recursion.

    `descend(n)` False keeps the walk out of `n`'s children (n itself is still yielded), which
    lets a reader skip nested function bodies; nodes deeper than `max_depth` are not visited.
    """
    stack: list[tuple[tree_sitter.Node, int]] = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        yield current
        if depth >= max_depth or (descend is not None and current is not node and not descend(current)):
            continue
        children = current.named_children
        for child in reversed(children):
            stack.append((child, depth + 1))


def ancestors(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """The parents of `node`, nearest first."""
    current = node.parent
    while current is not None:
        yield current
        current = current.parent


def breadth_first(node: tree_sitter.Node, max_depth: int = MAX_DEPTH) -> Iterator[tree_sitter.Node]:
    """Every named node under `node`, nearest first (for "the first X inside Y" questions)."""
    pending: deque[tuple[tree_sitter.Node, int]] = deque([(node, 0)])
    while pending:
        current, depth = pending.popleft()
        yield current
        if depth < max_depth:
            pending.extend((child, depth + 1) for child in current.named_children)


# Node types that hold a string literal, per grammar, and the child types that hold its content.
_STRING_TYPES = {
    "string",  # JavaScript/TypeScript, Go ("interpreted_string_literal" too), Python-like
    "string_literal",  # Java, C#
    "interpreted_string_literal",  # Go "..."
    "raw_string_literal",  # Go `...`, C# """..."""
    "verbatim_string_literal",  # C# @"..."
    "template_string",  # JavaScript/TypeScript `...`
    "string_content",
}
_CONTENT_TYPES = {
    "string_fragment",  # JavaScript/TypeScript
    "string_content",  # Java, Kotlin, C#
    "interpreted_string_literal_content",  # Go
    "raw_string_literal_content",  # Go
    "string_literal_content",  # C#
    "escape_sequence",
    "string_literal_encoding",
}
_INTERPOLATION_TYPES = {
    "template_substitution",  # JavaScript/TypeScript ${...}
    "interpolation",  # Kotlin ${...}, C# {...}
    "interpolated_identifier",  # Kotlin $name
    "interpolated_expression",  # Kotlin ${...}
    "string_interpolation",
}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"', "`": "`", "$": "$"}


def kotlin_template_name(named: list[tree_sitter.Node], index: int) -> str | None:
    """The name a Kotlin `$name` template reads, when `named[index]` is its `$`; else None.

    The Kotlin grammar gives `"rewrite-$stage"` no interpolation node: the `$` is a piece of content
    of its own, followed by one starting with the name (`stage`, or `stage.jar`, whose `.jar` is
    text again). A `$` followed by anything else (`"$5"`, a trailing `$`) is a dollar sign.
    """
    if named[index].type != "string_content" or text(named[index]) != "$" or index + 1 >= len(named):
        return None
    following = named[index + 1]
    rest = text(following) if following.type == "string_content" else ""
    size = 0
    while size < len(rest) and (rest[size] == "_" or rest[size].isalnum()) and (size or not rest[0].isdigit()):
        size += 1
    return rest[:size] or None


def string_value(node: tree_sitter.Node | None) -> str | None:
    """The value of a string literal with no interpolation, in any language here; else None.

    `'a'`, `"a"`, `` `a` `` (no `${}`), Java/C# `"a"`, C# `@"a"`, Go `"a"` and `` `a` ``, Kotlin
    `"a"` (no `$`). Escapes are decoded for the common single-character forms.
    """
    if node is None:
        return None
    kind = node.type
    if kind not in _STRING_TYPES and kind not in ("line_string_literal", "multi_line_string_literal", "string_literal"):
        return None
    named = node.named_children
    if any(child.type in _INTERPOLATION_TYPES for child in named) or any(
            kotlin_template_name(named, index) for index in range(len(named))):
        return None
    if not named:
        raw = text(node)
        # Strip the quotes: '', "", ``, @"", """ """, and Go's raw ``.
        for opener in ('"""', '@"', '$"', '"', "'", "`"):
            if raw.startswith(opener):
                closer = '"""' if opener == '"""' else opener[-1]
                if raw.endswith(closer) and len(raw) >= len(opener) + len(closer):
                    return raw[len(opener) : len(raw) - len(closer)]
        return None
    parts: list[str] = []
    for child in named:
        if child.type == "escape_sequence":
            body = text(child)[1:]
            parts.append(_ESCAPES.get(body, body))
        elif child.type in _CONTENT_TYPES:
            parts.append(text(child))
        else:
            return None
    return "".join(parts)


def call_name(node: tree_sitter.Node) -> str:
    """The dotted name a call or `new` expression calls (`a.b.c` of `a.b.c(...)`), else ""."""
    target = (
        node.child_by_field_name("function")
        or node.child_by_field_name("constructor")
        or node.child_by_field_name("name")
        or node.child_by_field_name("type")
    )
    return dotted(target)


def dotted(node: tree_sitter.Node | None) -> str:
    """`a.b.c` for an identifier or a chain of member accesses; "" for anything computed."""
    parts: list[str] = []
    current = node
    while current is not None:
        kind = current.type
        if kind in ("identifier", "type_identifier", "property_identifier", "simple_identifier", "field_identifier"):
            parts.append(text(current))
            break
        if kind in ("member_expression", "field_access", "selector_expression", "member_access_expression", "scoped_identifier", "qualified_name"):
            field = (
                current.child_by_field_name("property")
                or current.child_by_field_name("field")
                or current.child_by_field_name("name")
            )
            base = current.child_by_field_name("object") or current.child_by_field_name("operand") or current.child_by_field_name("expression") or current.child_by_field_name("scope") or current.child_by_field_name("qualifier")
            if field is None or base is None:
                return ""
            parts.append(text(field))
            current = base
            continue
        if kind == "navigation_expression":  # Kotlin a.b
            named = current.named_children
            if len(named) != 2:
                return ""
            suffix = named[1]
            ident = suffix.named_children[-1] if suffix.named_children else suffix
            parts.append(text(ident))
            current = named[0]
            continue
        return ""
    return ".".join(reversed(parts))


# Wrappers that change nothing about the value inside: `(x)`, `x as T`, `x!`, `x satisfies T`, `<T>x`,
# and the per-language argument nodes (`argument` in C#, `value_argument` in Kotlin, `literal_element` in Go).
_TRANSPARENT = {
    "parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression",
    "type_assertion", "argument", "value_argument", "literal_element", "expression_statement",
    "await_expression", "cast_expression", "checked_expression",
}


def unwrap(node: tree_sitter.Node | None) -> tree_sitter.Node | None:
    """The expression inside parentheses, type assertions and argument wrappers (bounded)."""
    for _ in range(50):
        if node is None or node.type not in _TRANSPARENT:
            return node
        named = [child for child in node.named_children if child.type not in ("comment", "type_identifier",
                                                                              "predefined_type", "generic_type",
                                                                              "nested_type_identifier")]
        if node.type in ("cast_expression", "type_assertion"):  # (T)x, <T>x: the value is the last child
            named = named[-1:]
        if not named:
            return None
        node = named[-1] if node.type in ("value_argument", "argument") else named[0]   # `name: value`
    return node


def arguments(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The argument expressions of a call or `new` in any language here, wrappers removed."""
    holder = node.child_by_field_name("arguments")
    if holder is None:
        holder = next((child for child in node.named_children
                       if child.type in ("value_arguments", "argument_list", "arguments", "call_suffix")), None)
    if holder is not None and holder.type == "call_suffix":
        holder = next((child for child in holder.named_children if child.type == "value_arguments"), holder)
    if holder is None:
        return []
    found: list[tree_sitter.Node] = []
    for child in holder.named_children:
        if child.type == "comment":
            continue
        inner = unwrap(child)
        found.append(inner if inner is not None else child)   # `this` is unnamed in some grammars
    return found
