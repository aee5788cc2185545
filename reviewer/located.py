"""Line-aware, bounded loading of YAML and JSON documents.

Templates come from untrusted pull requests, so loading must be bounded (alias bombs, deep nesting)
and must keep the line of every key and item, because every finding points at an exact line.
CloudFormation short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become the same mappings the
JSON form uses (`{"Ref": "X"}`), so analyzers see one shape whatever the author wrote.

Documents are composed (never constructed) by libyaml through PyYAML's C parser, which keeps the
mark of every node: twenty times faster than a pure-Python parser on a monorepo's templates
(bench/README.md). Plain scalars are resolved by the YAML 1.2 core schema, so `on`, `yes` and
`010` stay what a 1.2 reader (Serverless, SAM CLI) sees.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

MAX_EXPANDED_NODES = 200_000
# The text of every scalar, each alias counted where it is used: twice the largest file read.
MAX_EXPANDED_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 200
# Longer integers stay text: Python refuses to convert more than 4,300 digits, and no template
# value needs more than a few.
MAX_INT_DIGITS = 40

_MERGE_TAG = "tag:yaml.org,2002:merge"
_CONDITION_TAGS = {"!Condition": "Condition", "!Ref": "Ref"}


class DocumentError(Exception):
    """The document cannot be read; the message says why in one line, without the content."""


class DocumentSyntaxError(DocumentError):
    """The parser stopped at `line` (None: unknown) on `problem`. JSON is parsed as YAML, so the
    message names YAML; a reader that knows the file is JSON says so (`document_errors`)."""

    def __init__(self, message: str, problem: str, line: int | None) -> None:
        super().__init__(message)
        self.problem = problem
        self.line = line


class DocumentTooLarge(DocumentError):
    """The document would expand beyond the node budget (alias bomb) or nest too deeply."""


class LocatedStr(str):
    """A string scalar that remembers the lines it spans.

    The strings a document loads share their line attributes (`_with_lines`): never assign
    `line` or `end_line` of one; make a new LocatedStr instead (as the readers of HCL do).
    """

    line: int
    end_line: int


class LocatedList(list[Any]):
    """A sequence with its own line and the line of each item."""

    line: int
    item_lines: list[int]


class LocatedMap(dict[str, Any]):
    """A mapping with its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def as_mapping(value: Any) -> LocatedMap:
    """`value` when it is a mapping, else an empty one at line 1: a reader looks a key up in either."""
    if isinstance(value, LocatedMap):
        return value
    empty = LocatedMap()
    empty.line, empty.key_lines = 1, {}
    return empty


def load_yaml(text: str) -> Any:
    """Parse one YAML (or JSON) document into located values; raise DocumentError when unreadable."""
    if nesting_exceeds(text, MAX_DEPTH):
        raise DocumentTooLarge(f"nested deeper than {MAX_DEPTH} levels")
    try:
        root = _compose(text)
    except RecursionError as exc:
        raise DocumentTooLarge("nesting deeper than the parser can follow") from exc
    except yaml.YAMLError as exc:
        raise _syntax_error(exc) from exc
    except (ValueError, TypeError, AttributeError) as exc:
        raise DocumentError(f"not a readable YAML document ({type(exc).__name__})") from exc
    if root is None:
        return None
    if "&" in text or len(text) > UNSHARED_TEXT_LIMIT:
        _check_expanded_size(root)
    return _Converter(shared="&" in text).convert(root, 0)


# Without an anchor (`&name`) a document has no alias, so it expands to what its text holds: at most
# about one node per character and fewer characters of values than of text. Below this length it
# cannot reach MAX_EXPANDED_NODES or MAX_EXPANDED_BYTES, and the walk that counts them is skipped.
UNSHARED_TEXT_LIMIT = 50_000


class _Core12Resolver(BaseResolver):
    """Implicit types of plain scalars by the YAML 1.2 core schema (PyYAML ships YAML 1.1's)."""

    def __init__(self) -> None:
        BaseResolver.__init__(self)
        # A plain scalar's type depends on its text only (no path resolvers are registered): a
        # template repeats the same keys and values hundreds of times, each matched once.
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self.yaml_path_resolvers:
            return BaseResolver.resolve(self, kind, value, implicit)
        if kind is ScalarNode:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = BaseResolver.resolve(self, kind, value, implicit)
            return tag
        # a collection without a tag of its own: what BaseResolver gives it, without the call
        return self.DEFAULT_MAPPING_TAG if kind is MappingNode else BaseResolver.resolve(self, kind, value, implicit)


# PyYAML's composers call these around every node to follow path resolvers, which this resolver
# never registers (BaseResolver's own then return at once): C callables that do nothing stand in
# for two Python calls per node. `{}.get(parent, index)` keeps nothing; `().__len__()` is 0.
if not _Core12Resolver.yaml_path_resolvers:
    _Core12Resolver.descend_resolver = {}.get           # type: ignore[assignment,method-assign]
    _Core12Resolver.ascend_resolver = ().__len__        # type: ignore[assignment,method-assign]


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
    (_MERGE_TAG, r"^<<$", ["<"]),
):
    _Core12Resolver.add_implicit_resolver(_tag, re.compile(_pattern), _first)


class _PureComposer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                    _Core12Resolver):
    """PyYAML's own parser, for a PyYAML built without libyaml (slower, same nodes)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Core12Resolver.__init__(self)


_Composer: Any = _PureComposer
if yaml.__with_libyaml__:                    # libyaml: PyYAML's wheels include it
    from yaml._yaml import CParser  # what yaml.cyaml re-exports; the stubs declare it here

    class _LibyamlComposer(CParser, _Core12Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Core12Resolver.__init__(self)

    _Composer = _LibyamlComposer


def _compose(text: str, composer_class: Any = None) -> Node | None:
    """The document's node graph (aliases share nodes); nothing is constructed."""
    composer = (composer_class or _Composer)(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


_BRACKETS = {"[{": re.compile(r"[\[\]{}]"), "[{(": re.compile(r"[\[\]{}()]")}


def nesting_exceeds(text: str, limit: int, openers: str = "[{") -> bool:
    """Whether brackets (`[` and `{`, or also `(`) nest deeper than `limit`, in one linear pass.

    Parsers of untrusted documents need this before they start: a YAML scanner may re-check every
    open flow level for each token, so `[[[[...` can cost time quadratic in the depth (minutes for
    a 2 MB file with the pure-Python parser once used here) before any depth check runs, and Lark
    builds a tree node per bracket. Brackets in strings and comments count too: real documents
    never leave hundreds open, so the only cost is refusing such a document.
    """
    if sum(text.count(opener) for opener in openers) <= limit:
        return False
    depth = 0
    for match in _BRACKETS[openers].finditer(text):
        if match.group() in openers:
            depth += 1
            if depth > limit:
                return True
        elif depth:
            depth -= 1
    return False


def _syntax_error(exc: yaml.YAMLError) -> DocumentSyntaxError:
    problem = str(getattr(exc, "problem", None) or "syntax error")
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    where = f" at line {line}" if line is not None else ""
    return DocumentSyntaxError(f"YAML syntax error{where}: {problem}", problem, line)


def _check_expanded_size(root: Node) -> None:
    """Count the nodes and the scalar bytes the document expands to, sharing work across aliases
    (iteratively): a 1 MB scalar referenced by 4,000 aliases is few nodes but 4 GB of text for
    every reader and report after this one."""
    sizes: dict[int, int] = {}
    lengths: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes and not children_done:
            continue
        children = _children(node)
        if not children_done:
            if key in on_path:
                raise DocumentTooLarge("recursive alias")
            on_path.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        on_path.discard(key)
        total = 1 + sum(sizes.get(id(child), 0) for child in children)
        if total > MAX_EXPANDED_NODES:
            raise DocumentTooLarge(
                f"expands to more than {MAX_EXPANDED_NODES} nodes (YAML alias expansion limit)"
            )
        length = (len(node.value) if isinstance(node, ScalarNode)
                  else sum(lengths.get(id(child), 0) for child in children))
        if length > MAX_EXPANDED_BYTES:
            raise DocumentTooLarge(
                f"expands to more than {MAX_EXPANDED_BYTES:,} characters of values (YAML alias expansion limit)"
            )
        sizes[key] = total
        lengths[key] = length


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Converter:
    """Turns composed nodes into located Python values, converting each shared node once.

    `shared` False promises that no node is reached twice (a document without an anchor has no
    alias): nothing is then remembered by node, and the children of a mapping or a sequence that
    are plain strings, mappings, sequences or short-form tags (nearly every node of a template)
    are converted by a direct call rather than through `convert` and `_convert` (`_child`).
    """

    def __init__(self, shared: bool = True) -> None:
        self._done: dict[int, Any] = {}
        self._shared = shared

    def convert(self, node: Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise DocumentTooLarge(f"nested deeper than {MAX_DEPTH} levels")
        if not self._shared:
            if node.__class__ is ScalarNode and node.tag == _STR_TAG:
                return _plain_str(node)
            return self._convert(node, depth)
        key = id(node)
        if key not in self._done:
            self._done[key] = self._convert(node, depth)
        return self._done[key]

    def _convert(self, node: Node, depth: int) -> Any:
        tag = str(node.tag or "")
        if tag.startswith("!"):
            return self._intrinsic(tag, node, depth)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            return self._sequence(node, depth)
        return _scalar(node)

    def _child(self, node: Any, depth: int) -> Any:
        """`convert(node, depth)` of an unshared document's node at a depth `convert` accepts
        (`node` is typed Any: its class is compared, which mypy does not narrow by)."""
        cls, tag = node.__class__, node.tag
        if cls is ScalarNode:
            return _plain_str(node) if tag == _STR_TAG else self._convert(node, depth)
        if tag == _MAP_TAG and cls is MappingNode:
            return self._mapping(node, depth)
        if tag == _SEQ_TAG and cls is SequenceNode:
            return self._sequence(node, depth)
        return self._convert(node, depth)

    def _mapping(self, node: MappingNode, depth: int) -> LocatedMap:
        result = LocatedMap()
        result.line = node.start_mark.line + 1
        key_lines: dict[str, int] = {}
        result.key_lines = key_lines
        merged: list[LocatedMap] = []
        inline = not self._shared and depth + 1 <= MAX_DEPTH     # `convert`'s shortcut, without the call
        child = self._child if inline else self.convert
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag == _MERGE_TAG:
                value = self.convert(value_node, depth + 1)
                merged.extend(v for v in (value if isinstance(value, list) else [value])
                              if isinstance(v, LocatedMap))
                continue
            if inline and key_tag == _STR_TAG and key_node.__class__ is ScalarNode:
                name = _plain_str(key_node)
            else:
                key = self.convert(key_node, depth + 1)
                if isinstance(key, (dict, list)):
                    continue
                name = LocatedStr(str(key)) if not isinstance(key, LocatedStr) else key
            result[name] = child(value_node, depth + 1)
            key_lines[name] = key_node.start_mark.line + 1
        for source in merged:
            for merged_name, value in source.items():
                if merged_name not in result:
                    result[merged_name] = value
                    result.key_lines[merged_name] = source.line_of(merged_name)
        return result

    def _sequence(self, node: SequenceNode, depth: int) -> LocatedList:
        child = self._child if not self._shared and depth + 1 <= MAX_DEPTH else self.convert
        items = node.value
        result = LocatedList([child(item, depth + 1) for item in items])
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in items]
        return result

    def _intrinsic(self, tag: str, node: Node, depth: int) -> LocatedMap:
        """`!GetAtt A.B` → {"Fn::GetAtt": ["A", "B"]}; `!Ref X` → {"Ref": "X"}; others alike."""
        # a tool's own directive (`!Rain::Embed file`) keeps its name, as the JSON form writes it
        name = _CONDITION_TAGS.get(tag, tag[1:] if "::" in tag else "Fn::" + tag[1:])
        line = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            value: Any = self._mapping(node, depth)
        elif isinstance(node, SequenceNode):
            value = self._sequence(node, depth)
        else:
            assert isinstance(node, ScalarNode)
            value = _plain_str(node)                      # `_scalar(node, plain_string=True)`
            if name == "Fn::GetAtt" and "." in value:
                resource, attribute = value.split(".", 1)
                parts = LocatedList([_located_str(resource, node), _located_str(attribute, node)])
                parts.line = line
                parts.item_lines = [line, line]
                value = parts
        result = LocatedMap({name: value})
        result.line = line
        result.key_lines = {name: line}
        return result


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: str) -> str:
    """`"\\ud83d\\ude00"` escapes decode to surrogate halves, which no UTF-8 output can carry:
    pairs become the character they encode, lone halves U+FFFD."""
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# The attribute dictionary of the loaded strings, one per (line, end_line): a `str` subclass
# cannot have slots, and a dictionary of its own for each scalar was a third of a monorepo's
# located templates (50 MB of a 3,000-function scan). Strings are never given new lines after
# loading (LocatedStr), so those on the same lines share one. Past MAX_SHARED_LINES pairs (a
# hostile document's), a string gets a dictionary of its own, as before.
_SHARED_LINES: dict[tuple[int, int], dict[str, int]] = {}
MAX_SHARED_LINES = 200_000


def _with_lines(located: LocatedStr, line: int, end_line: int) -> LocatedStr:
    key = (line, end_line)
    lines = _SHARED_LINES.get(key)
    if lines is None:
        lines = {"line": line, "end_line": end_line}
        if len(_SHARED_LINES) < MAX_SHARED_LINES:
            _SHARED_LINES[key] = lines
    located.__dict__ = lines
    return located


def _located_str(value: str, node: Node, end_line: int | None = None) -> LocatedStr:
    line = node.start_mark.line + 1
    if end_line is None:
        end_line = node.end_mark.line + 1 if node.end_mark else line
    return _with_lines(LocatedStr(without_surrogates(value)), line, end_line)


def _plain_str(node: ScalarNode) -> LocatedStr:
    """`_scalar` of a scalar tagged as a string, in one step (the common case)."""
    value = node.value
    located = LocatedStr(value if value.isascii() else without_surrogates(value))
    line = node.start_mark.line + 1
    end = node.end_mark
    if end is None:
        return _with_lines(located, line, line)
    if node.style in (None, "") and end.column == 0:
        return _with_lines(located, line, max(line, end.line))
    return _with_lines(located, line, end.line + 1)


def _scalar(node: Node, plain_string: bool = False) -> Any:
    """Scalars resolved as YAML 1.2 does; strings keep their lines."""
    assert isinstance(node, ScalarNode)
    value = str(node.value)
    tag = str(node.tag)
    if not plain_string:
        if tag.endswith(":null"):
            return None
        if tag.endswith(":bool"):
            return value.lower() in ("true", "yes", "on")
        if tag.endswith(":int") and len(value) <= MAX_INT_DIGITS:
            try:
                return int(value, 8 if value.startswith("0o") else 16 if value.startswith("0x") else 10)
            except ValueError:
                pass                               # `!!int x`: kept as the text it is
        if tag.endswith(":float"):
            try:
                return float(value)
            except ValueError:
                pass
    end = node.end_mark
    if end is not None and node.style in (None, "") and end.column == 0:
        return _located_str(value, node, max(node.start_mark.line + 1, end.line))
    return _located_str(value, node)


def key_line(mapping: Any, key: str, default: int) -> int:
    """The line of `key` in a located mapping, or `default` for a mapping that carries no lines."""
    return mapping.line_of(key) if isinstance(mapping, LocatedMap) else default


def line_of(value: Any, default: int) -> int:
    """The line of a located value, or `default` for values that carry none (ints, bools)."""
    return int(getattr(value, "line", default))
