"""The comments of a file, by line, read by each language's own rules.

A suppression (`lambda-review: ignore[LR101] reason`) or a `# nosec` counts only inside a real
comment: a pull request must not be able to accept its own findings with the same words inside a
YAML `Description:` string or a Python literal. Each language is read by a tokenizer for it:
Python's `tokenize`, PyYAML's scanner (libyaml), tree-sitter for JS/TS, Java, Kotlin, C# and Go,
and a small lexer for HCL (`#`, `//`, `/* */`, strings with `${…}` and heredocs). Dockerfiles and
requirements files have `#` comments only. JSON has no comments at all.
"""

from __future__ import annotations

import bisect
import io
import tokenize
from pathlib import PurePosixPath

from reviewer import source_trees

# line number (1-based) -> the comment text that lies on that line
Comments = dict[int, str]

_HASH_LINE_FILES = (".txt", ".in")
_HCL_SUFFIXES = (".tf", ".tfvars", ".hcl")
_YAML_SUFFIXES = (".yaml", ".yml")
_TOML_SUFFIXES = (".toml",)


def comments_of(path: str, text: str) -> Comments:
    """The comments of the file at `path` (its kind is told by its name); {} for JSON, for a kind
    without comments, and for text that cannot be tokenized (a broken file accepts nothing)."""
    name = PurePosixPath(path).name.lower()
    try:
        if name.endswith(".py"):
            return _python(text)
        if name.endswith(_YAML_SUFFIXES) or name.endswith(".template"):
            return _yaml(text)                     # a JSON `.template` has no comment to find
        if name.endswith(_TOML_SUFFIXES) or name in ("pipfile", "poetry.lock", "uv.lock"):
            return _toml(text)
        if name.endswith(_HCL_SUFFIXES):
            return _hcl(text)
        if (name in ("dockerfile", "containerfile") or name.startswith("dockerfile.")
                or name.endswith(".dockerfile")):
            return _hash_lines(text, inline=False)
        if name.endswith(_HASH_LINE_FILES) and ("requirements" in name or "constraints" in name):
            return _hash_lines(text, inline=True)
        if source_trees.language_for(path):
            return _tree_sitter(path, text)
    except (RecursionError, MemoryError, ValueError):
        return {}
    return {}


def _add(found: Comments, line: int, comment: str) -> None:
    found[line] = f"{found[line]} {comment}" if line in found else comment


def _python(text: str) -> Comments:
    found: Comments = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                _add(found, token.start[0], token.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass                                       # comments up to the error are kept
    return found


def _yaml(text: str) -> Comments:
    """A `#` that starts a comment: at a line's start or after a blank, outside every scalar."""
    import yaml

    loader_class = getattr(yaml, "CLoader", yaml.Loader)
    loader = loader_class(text)
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                spans.append(((start.line, start.column), (end.line, end.column)))
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()
    starts = [span[0] for span in spans]
    found: Comments = {}
    for number, line in enumerate(text.splitlines()):
        column = line.find("#")
        while column != -1:
            if column == 0 or line[column - 1] in " \t":
                index = bisect.bisect_right(starts, (number, column)) - 1
                inside = index >= 0 and spans[index][0] <= (number, column) < spans[index][1]
                if not inside:
                    _add(found, number + 1, line[column:])
                    break
            column = line.find("#", column + 1)
    return found


def _hash_lines(text: str, inline: bool) -> Comments:
    """Dockerfile: whole-line `#` comments; requirements files also ` #` after a requirement."""
    found: Comments = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            _add(found, number, stripped)
        elif inline:
            position = line.find(" #")
            tab = line.find("\t#")
            candidates = [p for p in (position, tab) if p != -1]
            if candidates:
                _add(found, number, line[min(candidates) + 1:])
    return found


def _toml(text: str) -> Comments:
    """`#` outside TOML's four kinds of strings (basic, literal, and their multi-line forms)."""
    found: Comments = {}
    position, line, length = 0, 1, len(text)
    while position < length:
        char = text[position]
        if char == "\n":
            line += 1
            position += 1
        elif char == "#":
            end = text.find("\n", position)
            end = length if end == -1 else end
            _add(found, line, text[position:end])
            position = end
        elif char in "\"'":
            fence = char * 3 if text.startswith(char * 3, position) else char
            cursor = position + len(fence)
            while cursor < length and not text.startswith(fence, cursor):
                if char == '"' and text[cursor] == "\\":
                    cursor += 1
                elif len(fence) == 1 and text[cursor] == "\n":
                    break                          # an unterminated one-line string ends here
                cursor += 1
            end = min(length, cursor + len(fence))
            line += text.count("\n", position, end)
            position = end
        else:
            position += 1
    return found


def _tree_sitter(path: str, text: str) -> Comments:
    tree = source_trees.parse_file(path, text)
    found: Comments = {}
    if tree is None:
        return found
    for node in source_trees.walk(tree.root_node):
        if "comment" in node.type:
            lines = source_trees.text(node).splitlines() or [""]
            for offset, line in enumerate(lines):
                _add(found, source_trees.line(node) + offset, line)
    return found


def _hcl(text: str) -> Comments:
    """A small lexer: comments outside strings, interpolations' strings and heredocs."""
    found: Comments = {}
    length = len(text)
    position = 0
    line = 1
    # What encloses the position: "code" entries carry the brace depth of an interpolation.
    modes: list[list] = [["code", 0]]
    while position < length:
        char = text[position]
        mode = modes[-1]
        if mode[0] == "string":
            if char == "\\":
                position += 2
                continue
            if char == '"':
                modes.pop()
            elif char in "$%" and text.startswith("{", position + 1):
                modes.append(["code", 0])
                position += 2
                continue
            elif char == "\n":
                line += 1
            position += 1
            continue
        # code
        if char == "\n":
            line += 1
            position += 1
        elif char == '"':
            modes.append(["string"])
            position += 1
        elif char == "#" or text.startswith("//", position):
            end = text.find("\n", position)
            end = length if end == -1 else end
            _add(found, line, text[position:end])
            position = end
        elif text.startswith("/*", position):
            end = text.find("*/", position + 2)
            end = length if end == -1 else end + 2
            for offset, part in enumerate(text[position:end].split("\n")):
                _add(found, line + offset, part)
            line += text.count("\n", position, end)
            position = end
        elif text.startswith("<<", position) and len(modes) == 1:
            position, line = _skip_heredoc(text, position, line)
        elif char == "{":
            mode[1] += 1
            position += 1
        elif char == "}":
            if len(modes) > 1 and mode[1] == 0:
                modes.pop()                        # the end of a `${…}` interpolation
            else:
                mode[1] -= 1
            position += 1
        else:
            position += 1
    return found


def _skip_heredoc(text: str, position: int, line: int) -> tuple[int, int]:
    """Past a `<<EOT` / `<<-EOT` heredoc (to the line that holds only its marker)."""
    start = position + 2 + (1 if text.startswith("-", position + 2) else 0)
    end_of_line = text.find("\n", start)
    marker = text[start:end_of_line if end_of_line != -1 else len(text)].strip()
    if not marker or not marker.replace("_", "").isalnum() or end_of_line == -1:
        return position + 2, line
    cursor, line = end_of_line + 1, line + 1
    while cursor < len(text):
        next_line = text.find("\n", cursor)
        stop = len(text) if next_line == -1 else next_line
        if text[cursor:stop].strip() == marker:
            return stop, line
        if next_line == -1:
            return len(text), line
        cursor, line = next_line + 1, line + 1
    return len(text), line
