"""A serverless.yml's text as the Framework's YAML parser takes it.

The Serverless Framework parses its files with js-yaml, which takes a blank line holding a tab
(`"  \\t"`, left by an editor) as the blank line it is, as the YAML specification does. libyaml and
PyYAML refuse it ("found a tab character that violates indentation"): a service the Framework
deploys, or a `serverless.common.yml` its services include with `${file(...)}`, would not be read
at all. Such lines are emptied before parsing (the line count stays, so every line number holds).
A blank line inside a block scalar loses its whitespace too, a difference no check reads.
"""

from __future__ import annotations


def framework_text(text: str) -> str:
    """`text` with every line holding only spaces and tabs, at least one tab, emptied; the same
    string when there is none (one pass over the lines)."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    changed = False
    for index, line in enumerate(lines):
        if "\t" in line and not line.strip(" \t\r"):
            lines[index] = "\r" if line.endswith("\r") else ""
            changed = True
    return "\n".join(lines) if changed else text
