"""What a CDK image asset says of the image its function runs: `DockerImageCode.fromImageAsset(dir, {...})`.

Besides the Dockerfile (`file`) and the stage built (`target`), the asset may set the image's
command and entry point for this function (`cmd`, `entrypoint`). Several functions commonly
share one Dockerfile and each names its own handler there
(`fromImageAsset('backend', { cmd: ['orders.handler'] })`): the Dockerfile's `CMD` is then not
what the function runs, and reading it would review another function's code. The options are read
in every language the CDK reader supports: Python keywords (`cmd=[...]`), an object literal, a
Java or Kotlin builder (`AssetImageCodeProps.builder().cmd(List.of(...))`), C#'s initializer and
Go's struct (`Cmd: &[]*string{jsii.String(...)}`). `link_dockerfile` then gives the function
what the Dockerfile they name says: its base image's runtime, handler and task root, and the
paths of the build context it copies (on any base image).
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath
from typing import Callable

from reviewer.inventory.cdk.constructs import ConstructCall
from reviewer.inventory.container.read import (
    apply_base_image, command_handler, context_copies, read_base_image, record_context_copies,
)
from reviewer.model import Function, Location
from reviewer.workspace import UnreadableFile, Workspace
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


def link_dockerfile(workspace: Workspace, function: Function, context: str | None, call: ConstructCall) -> None:
    """`DockerImageCode.fromImageAsset(dir, {file, target})`: the runtime is the Dockerfile's base image."""
    if context is None:
        function.unresolved["Runtime"] = "the image is not built from a Docker context in this repository"
        return
    dockerfile = workspace.resolve(str(PurePosixPath(context) / (call.dockerfile or "Dockerfile")))
    if dockerfile is None or not workspace.exists(dockerfile) or workspace.is_dir(dockerfile):
        function.unresolved["Runtime"] = "the Dockerfile of the image asset is not in this repository"
        return
    function.code_path = context
    function.properties["Dockerfile"] = dockerfile
    try:
        text = workspace.read_text(dockerfile)
    except UnreadableFile as unreadable:
        workspace.notices.append(unreadable.notice)
        return
    image = read_base_image(text, target=call.docker_target)
    if image is None:
        function.unresolved["Runtime"] = f"{dockerfile} does not build from an AWS Lambda base image"
        record_context_copies(function, dockerfile, context, *context_copies(text, call.docker_target))
        return
    command = None
    if call.docker_command is not None or call.docker_entry_point is not None:
        # the asset's own `cmd`: this function's handler, not the Dockerfile's CMD (kept in
        # CloudFormation's spelling, as the templates' readers keep theirs)
        function.properties["ImageConfig"] = {"Command": call.docker_command, "EntryPoint": call.docker_entry_point}
        command = command_handler(call.docker_command, call.docker_entry_point)
    apply_base_image(function, dockerfile, image, context=context, command=command)
    if command is not None and function.handler == command and call.docker_command_line is not None:
        function.locations["Handler"] = Location(function.location.path, call.docker_command_line)


__all__ = ["link_dockerfile", "python_image_options", "source_image_options"]
