"""Handler code written in a template: `Code: ZipFile: |` (CloudFormation), `InlineCode: |` (SAM).

The code readers read such a handler from the template text itself, at the template's own lines,
so a finding points where the code is written. Older templates join the lines with
`!Join ["\\n", [...]]`; a template that builds the code with another intrinsic (`ZipFile: !Sub |`)
gets no text, only the name of what builds it, since static reading does not evaluate it.
One exception: Rain's `ZipFile: !Rain::Embed handler.py` (`rain pkg`) puts a file of the
repository there as it is, so that file is the inline code, read at its own lines.
"""

from __future__ import annotations

from typing import Any, Callable

from reviewer.located import LocatedStr
from reviewer.model import Function, InlineCode, Location

# Rain's directive that writes a file's text in its place, in the JSON and the YAML forms.
EMBED_DIRECTIVES = ("Rain::Embed", "Fn::Rain::Embed")
# The path and text of a file a template embeds, named relative to the template; None when unread.
EmbeddedFile = Callable[[str], "tuple[str, str] | None"]


def template_inline_code(function: Function, embedded: EmbeddedFile | None = None) -> InlineCode | None:
    """The inline code a template function declares, resolved; None when it declares none.
    `embedded` reads the file an embedding directive names."""
    properties = function.properties
    code = properties.get("Code")
    if "InlineCode" not in properties and not (isinstance(code, dict) and "ZipFile" in code):
        return None
    written: Any = properties.get("InlineCode")
    if written is None:
        written = code.get("ZipFile") if isinstance(code, dict) else None
    value = written
    if isinstance(value, dict) and len(value) == 1 and "Fn::Join" in value:
        value = _joined(value["Fn::Join"])
    place = function.locations.get("InlineCode") or function.locations.get("Code") or function.location
    if embedded is not None and isinstance(written, dict) and len(written) == 1:
        (directive, argument), = written.items()
        found = embedded(argument) if directive in EMBED_DIRECTIVES and isinstance(argument, str) else None
        if found is not None and found[1].strip():
            return InlineCode(Location(found[0], 1), found[1])
    if not isinstance(value, str) or not value.strip():
        built_by = str(next(iter(written))) if isinstance(written, dict) and len(written) == 1 else None
        return InlineCode(place, built_by=built_by)
    line = getattr(value, "line", None)
    if not isinstance(line, int):
        line = place.line
    elif isinstance(value, LocatedStr) and "\n" in value.strip("\n"):
        line += 1   # a block scalar (`|`) starts on the line after its indicator
    return InlineCode(Location(place.path, line), str(value))


def _joined(argument: Any) -> str | None:
    """`!Join ["\\n", [line, line, ...]]` with literal lines: older templates write code this way."""
    if not isinstance(argument, list) or len(argument) != 2:
        return None
    separator, items = argument
    if not isinstance(separator, str) or not isinstance(items, list):
        return None
    if not all(isinstance(item, str) for item in items):
        return None
    text = separator.join(str(item) for item in items)
    joined = LocatedStr(text)
    first = getattr(items[0], "line", None) if items else None
    if isinstance(first, int):
        joined.line = first - 1 if "\n" in text else first
        joined.end_line = first
    return joined
