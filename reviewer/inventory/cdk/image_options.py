"""What a CDK image asset says of the image its function runs: `DockerImageCode.fromImageAsset(dir, {...})`.

Besides the Dockerfile (`file`) and the stage built (`target`), the asset may set the image's
command and entry point for this function (`cmd`, `entrypoint`). Several functions commonly
share one Dockerfile and each names its own handler there
(`fromImageAsset('backend', { cmd: ['orders.handler'] })`): the Dockerfile's `CMD` is then not
what the function runs, and reading it would review another function's code. The options are read
in every language the CDK reader supports: Python keywords (`cmd=[...]`), an object literal, a
Java or Kotlin builder (`AssetImageCodeProps.builder().cmd(List.of(...))`), C#'s initializer and
Go's struct (`Cmd: &[]*string{jsii.String(...)}`).
"""

from __future__ import annotations

import ast
from typing import Callable

from reviewer.inventory.cdk.constructs import ConstructCall
from reviewer.inventory.cdk.policies_source import list_items
from reviewer.inventory.cdk.values import Entry, ValueReader

MAX_WORDS = 50
# An asset's option → the field of `ConstructCall` it fills.
_WORD_OPTIONS = {"cmd": "docker_command", "entrypoint": "docker_entry_point"}


def python_image_options(keywords: list[ast.keyword], found: ConstructCall,
                         named: Callable[[ast.expr], ast.expr | None]) -> None:
    """`from_image_asset(dir, file="x", target="y", cmd=[...], entrypoint=[...])`: fill `found`.
    `named` follows a name to the one value assigned to it (a list kept in a variable)."""
    for keyword in keywords:
        if keyword.arg in ("file", "target") and isinstance(keyword.value, ast.Constant):
            setattr(found, "dockerfile" if keyword.arg == "file" else "docker_target", str(keyword.value.value))
        elif keyword.arg in _WORD_OPTIONS:
            value = named(keyword.value) if isinstance(keyword.value, ast.Name) else None
            setattr(found, _WORD_OPTIONS[keyword.arg], _python_words(value or keyword.value))
            if keyword.arg == "cmd":
                found.docker_command_line = keyword.value.lineno


def _python_words(node: ast.expr) -> tuple[str, ...]:
    """The strings of a list or tuple literal; `()` when it is anything else (a parameter, a call),
    which says the option is set to something the reader cannot tell."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return ()
    words = [element.value for element in node.elts[:MAX_WORDS]
             if isinstance(element, ast.Constant) and isinstance(element.value, str)]
    return tuple(words) if len(words) == len(node.elts) else ()


def source_image_options(reader: ValueReader, options: dict[str, Entry], found: ConstructCall) -> None:
    """The same options of a tree-sitter language, each `options` key spelled `file`, `cmd`, ..."""
    if "file" in options:
        found.dockerfile = reader.string(options["file"].value, options["file"].env)
    if "target" in options:
        found.docker_target = reader.string(options["target"].value, options["target"].env)
    for option, attribute in _WORD_OPTIONS.items():
        entry = options.get(option)
        if entry is None:
            continue
        items = list_items(reader, entry.value, entry.env)
        words = [reader.string(item, entry.env) for item in (items or [])[:MAX_WORDS]]
        setattr(found, attribute, tuple(word for word in words if word is not None)
                if items is not None and None not in words else ())
        if option == "cmd":
            found.docker_command_line = entry.line


__all__ = ["python_image_options", "source_image_options"]
