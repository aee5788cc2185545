"""Dockerfiles built on an AWS Lambda base image → container-image functions.

A function packaged as an image has no `Runtime` property: its runtime is the AWS base image the
Dockerfile starts `FROM` (`public.ecr.aws/lambda/python:3.12`, `amazon/aws-lambda-nodejs:20`, ...).
AWS stops patching a base image on its runtime's deprecation date, so the lifecycle applies to
the tag (LR106). Only the stage that is built counts: the last one, or the `--target` a template
names. A Lambda base image used only by a builder stage is not what runs.

The Dockerfile is read, never built: build arguments resolve from their `ARG` defaults only.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import PurePosixPath

from reviewer.data.lifecycle import load_lifecycle
from reviewer.inventory.build_output import in_cdk_output
from reviewer.inventory.container.entry_points import (
    EntryPoint, classify, entry_point_words, handler_argument, runs_command_as_handler,
)
from reviewer.inventory.container.context_copies import COPIES_PROPERTY, copied_sources
from reviewer.inventory.container.installed_dependencies import installed_dependency_files, instruction_words
from reviewer.inventory.container.task_root import (
    TASK_ROOT, copied_to_task_root, task_root_copies, task_root_folder, working_directory,
)
from reviewer.inventory.interface import InventoryResult
from reviewer.model import Function, Location
from reviewer.isolation import file_boundary
from reviewer.workspace import UnreadableFile, Workspace

FORMAT = "container"
MAX_INSTRUCTIONS = 5_000
MAX_VARIABLES_PER_LINE = 50
MAX_IMAGE_REFERENCE = 512

LANGUAGES = ("python", "nodejs", "java", "dotnet", "ruby", "go", "provided")
# public.ecr.aws/lambda/<lang> (AWS's registry), <account>.dkr.ecr.<region>.amazonaws.com/ecr-public/lambda/<lang>
# (an ECR pull-through cache of it) and amazon/aws-lambda-<lang> (the Docker Hub mirror, any registry prefix).
_LAMBDA_IMAGE = re.compile(
    r"(?P<prefix>(?:[^\s/@]+/)*?)(?:public\.ecr\.aws/lambda/|ecr-public/lambda/|amazon/aws-lambda-)"
    r"(?P<language>" + "|".join(LANGUAGES) + r")"
    r"(?::(?P<tag>[^@\s]*))?(?:@(?P<digest>[A-Za-z0-9]+:[0-9A-Fa-f]+))?"
)
_ARCH_SUFFIX = re.compile(r"-(?:x86_64|arm64)$")
_DATED_SUFFIX = re.compile(r"\.\d{4}\.\d{2}\.\d{2}(?:\.\d{1,2})*$")
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<op>[-+])(?P<word>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)
_HEREDOC = re.compile(r"(?<!<)<<-?(?!<)\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")
_DIRECTIVE = re.compile(r"\s*#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$")

# Tags AWS publishes besides the one per runtime in the lifecycle table. `provided:latest` is the
# OS-only image on AL2023; every other `latest` moves between major versions and says nothing
# stable (python:latest once pointed at 3.13 while 3.14 was current).
_TAG_EXCEPTIONS = {("provided", "latest"): "provided.al2023"}


def is_dockerfile(rel: str) -> bool:
    """`Dockerfile`, `Dockerfile.lambda`, `api.Dockerfile` (not `Dockerfile.dockerignore`)."""
    if "dockerfile" not in rel.lower():
        return False                             # asked of every file of a scan: most end here
    name = PurePosixPath(rel).name.lower()
    if name.endswith(".dockerignore"):
        return False
    return name == "dockerfile" or name.startswith("dockerfile.") or name.endswith(".dockerfile")


@dataclass(frozen=True)
class BaseImage:
    """The AWS Lambda base image a Dockerfile builds on, as far as static reading can tell.

    `runtime` is the lifecycle identifier of the image (python3.12), or None with `unresolved`
    saying why. `arg_line` is the line of the `ARG` default that supplied the tag, if any: the
    line a fix would change.
    """

    reference: str
    language: str
    tag: str | None
    digest: str | None
    runtime: str | None
    unresolved: str | None
    from_line: int
    from_end_line: int
    arg_line: int | None
    stage: str | None
    handler: str | None
    # What the build copies from its context to the task root (see `task_root.py`); empty when
    # nothing, or when another stage's build output lands there too.
    task_sources: tuple[str, ...] = ()
    # The `ENTRYPOINT` as written when it runs a program other than Lambda's runtime interface
    # (`python3 job.py`, `[""]`): the image is then an ECS task's, a CI job's or a build
    # environment, and its `CMD` is that program's arguments, not a handler.
    other_entry_point: str | None = None
    # The dependency files of the build context the image installs (`installed_dependencies.py`).
    installed: tuple[str, ...] = ()
    # The paths of the build context the image copies (`context_copies.py`); None: any of its files.
    context_copies: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Instruction:
    """One Dockerfile instruction with its arguments and the lines it spans."""

    keyword: str
    arguments: str
    line: int
    end_line: int


@dataclass(frozen=True)
class _Stage:
    """One build stage of a Dockerfile: its base image, handler and what it copies into the task root."""

    name: str | None
    image: str
    line: int
    end_line: int
    missing: tuple[str, ...]
    arguments: tuple[tuple[int, str], ...]  # (ARG line, value) of each build argument used
    handler: str | None
    task_sources: tuple[str, ...] = ()
    built_into_task_root: bool = False
    # another stage's output copied to the task root before anything of the context: the context's
    # copies are laid over it (`COPY --from=builder ${LAMBDA_TASK_ROOT} ...` of installed packages)
    built_underneath: bool = False
    workdir: str = TASK_ROOT
    entry_point: str | None = None          # the stage's `ENTRYPOINT` arguments, when it sets one


class ContainerImageFormat:
    """Reads every Dockerfile whose built stage starts from an AWS Lambda base image."""

    name = FORMAT

    def declares_functions(self, rel: str, text: str) -> bool:
        """A Dockerfile that does not parse is not taken as declaring a function: the image is
        built for a function that a template, a configuration or an app declares."""
        return False

    def scan(self, workspace: Workspace) -> InventoryResult:
        result = InventoryResult()
        for rel in workspace.iter_files():
            if not is_dockerfile(rel) or in_cdk_output(rel):
                continue
            with file_boundary(rel, result.notices, "Dockerfile"):
                try:
                    text = workspace.read_text(rel)
                except UnreadableFile as unreadable:
                    result.notices.append(unreadable.notice)
                    continue
                image = read_base_image(text)
                if image is not None and image.other_entry_point is None:
                    result.functions.append(image_function(rel, image))
        return result


def image_function(rel: str, image: BaseImage) -> Function:
    """The container-image function a Dockerfile stands for when no template names it."""
    function = Function(
        name=rel, format=FORMAT, location=Location(rel, image.from_line), package_type="Image",
        handler=image.handler, code_path=str(PurePosixPath(rel).parent),
    )
    apply_base_image(function, rel, image)
    return function


def apply_base_image(function: Function, dockerfile: str, image: BaseImage, context: str | None = None,
                     command: str | None = None) -> None:
    """Give an image function the runtime of its base image and the lines that declare it, and,
    when the Dockerfile copies it from the build `context` (default: the Dockerfile's folder),
    the folder its handler is imported from and the handler: the `command` the function's own
    declaration overrides the image's `CMD` with (`command_handler`), else the one `CMD` names.
    That folder is then its code path, in every format, as a .zip function's code folder is (not
    the whole build context, which is often the repository), with what else the image copies
    onto the task root (`Function.task_root_copies`).

    Template readers that link a function to a local Dockerfile call this too; the function then
    claims the Dockerfile (`properties["Dockerfile"]`) and the Dockerfile is not listed again.
    """
    handler = function.handler or command or (
        image.handler if "ImageConfig" not in function.properties else None)
    build_context = str(PurePosixPath(dockerfile).parent) if context is None else context
    folder = task_root_folder(build_context, image.task_sources, handler) if image.task_sources else None
    function.properties["BuildContext"] = build_context
    record_context_copies(function, dockerfile, build_context, image.context_copies, image.from_line)
    if folder is not None and not in_cdk_output(f"{folder}/-"):
        take_task_root(function, folder, build_context, image.task_sources)
        function.handler = handler
    function.image_dependency_files = tuple(
        posixpath.normpath(posixpath.join(build_context, path)) for path in image.installed)
    if image.task_sources:
        # what a declared function that takes this Dockerfile later needs to find its own handler's folder
        function.properties["TaskSources"] = (build_context, image.task_sources)
    function.runtime = image.runtime
    function.locations["Runtime"] = Location(dockerfile, image.from_line, image.from_end_line
                                             if image.from_end_line != image.from_line else None)
    if image.arg_line is not None:
        function.locations["Runtime.Default"] = Location(dockerfile, image.arg_line)
    if image.runtime is None and image.unresolved:
        function.unresolved["Runtime"] = image.unresolved
    function.properties["Dockerfile"] = dockerfile
    function.properties["BaseImage"] = image.reference
    if image.digest:
        function.properties["BaseImageDigest"] = image.digest
    if image.stage:
        function.properties["BuildStage"] = image.stage


def record_context_copies(function: Function, dockerfile: str, context: str,
                          copies: tuple[str, ...] | None, line: int = 1) -> None:
    """Keep what an image function's Dockerfile copies from its build `context`, for the inventory
    to make its package of (`context_copies.ship_copied_files`); nothing when that is unknown."""
    if copies is not None:
        function.properties[COPIES_PROPERTY] = (context, copies, Location(dockerfile, line))
    else:
        function.properties.pop(COPIES_PROPERTY, None)


def context_copies(text: str, target: str | None = None) -> tuple[tuple[str, ...] | None, int]:
    """What the built stage of any Dockerfile (on a Lambda base image or not) copies from its
    build context, and the line of that stage's `FROM`: (None, 1) when it may be any file."""
    instructions = _instructions(text)
    stages = _stages(instructions)
    if not stages:
        return None, 1
    built = _built_index(stages, target)
    return _copied(instructions, built), stages[built].line


def _copied(instructions: list[_Instruction], built: int) -> tuple[str, ...] | None:
    return copied_sources([(i.keyword, instruction_words(i.arguments)) for i in instructions
                           if i.keyword in ("FROM", "COPY", "ADD", "RUN")], built)


def _built_index(stages: list[_Stage], target: str | None) -> int:
    """The index of the stage that is built: the `--target` named, else the last."""
    if target:
        return next((index for index, stage in enumerate(stages) if stage.name == target.lower()), len(stages) - 1)
    return len(stages) - 1


def take_task_root(function: Function, folder: str, context: str, sources: tuple[str, ...]) -> None:
    """The folder the handler is imported from becomes the function's task root and code path,
    and the rest the image copies there its `task_root_copies`."""
    function.task_root = function.code_path = folder
    function.task_root_copies = task_root_copies(context, sources, folder)


def image_build_context(function: Function) -> str:
    """The folder an image function's Dockerfile is built from (its code path once was)."""
    context = function.properties.get("BuildContext")
    return context if isinstance(context, str) else function.code_path or "."


def command_handler(command: object, entry_point: object = None) -> str | None:
    """The handler a function's command override names: its first word (`["app.lambda_handler"]`).

    Several functions share one image and each overrides its `CMD` (SAM's `ImageConfig.Command`,
    Serverless's `image.command`, Terraform's `image_config.command`); the AWS base images' entry
    point takes that word as the handler, so the image's own `CMD` is not what this function runs.
    Under an entry point the declaration sets too, the command is a handler only when that entry
    point is Lambda's runtime interface (`/lambda-entrypoint.sh`), not another program's arguments.
    """
    if not runs_command_as_handler(entry_point):
        return None
    if not isinstance(command, (list, tuple)) or not command or not isinstance(command[0], str):
        return None
    first = command[0].strip()
    return first if first and len(first) <= 200 and not any(c.isspace() or c in "$" for c in first) else None


def read_base_image(text: str, target: str | None = None) -> BaseImage | None:
    """The Lambda base image of the stage that is built, or None when it is not a Lambda image."""
    instructions = _instructions(text)
    stages = _stages(instructions)
    if not stages:
        return None
    chosen = stages[_built_index(stages, target)]
    # `FROM base AS app` builds on an earlier stage: the stage that names an image decides.
    by_name = {s.name: s for s in stages if s.name}
    source, handler, entry_point = chosen, chosen.handler, chosen.entry_point
    task_sources, built, underneath = chosen.task_sources, chosen.built_into_task_root, chosen.built_underneath
    for _ in range(len(stages)):
        parent = by_name.get(source.image.lower())
        if parent is None or parent.line >= source.line:
            break
        source = parent
        handler = handler or parent.handler
        entry_point = entry_point if entry_point is not None else parent.entry_point
        task_sources, built = parent.task_sources + task_sources, built or parent.built_into_task_root
        underneath = underneath or parent.built_underneath
    if underneath:
        # over another stage's output only a copy of the handler's own folder or file says where it
        # is: a folder copied into a subfolder of the task root (a library) no longer does
        task_sources = tuple(source for source in task_sources if "\t" not in source)
    image, missing = source.image, list(source.missing)
    match = _LAMBDA_IMAGE.fullmatch(image.strip("\"'")) if len(image) <= MAX_IMAGE_REFERENCE else None
    if match is None:
        return None
    language, tag, digest = match["language"], match["tag"] or None, match["digest"]
    runtime, unresolved = _runtime_of(language, tag, digest, missing)
    other_entry_point = None
    if entry_point is not None:
        words = entry_point_words(entry_point)
        kind = classify(words)
        if kind is EntryPoint.PROGRAM:
            other_entry_point, handler = entry_point[:MAX_IMAGE_REFERENCE], None
        elif kind is EntryPoint.LAMBDA and words:
            given = handler_argument(words)     # the launcher's own argument wins over any CMD
            if given is not None:
                handler = given if "$" not in given else None
    return BaseImage(
        reference=image.strip("\"'"), language=language, tag=tag, digest=digest, runtime=runtime,
        unresolved=unresolved, from_line=source.line, from_end_line=source.end_line,
        arg_line=_version_argument(source.arguments, tag) if runtime else None, stage=chosen.name,
        handler=handler, task_sources=() if built else task_sources, other_entry_point=other_entry_point,
        installed=installed_dependency_files([(i.keyword, i.arguments) for i in instructions], stages.index(chosen)),
        context_copies=_copied(instructions, stages.index(chosen)),
    )


def _version_argument(arguments: tuple[tuple[int, str], ...], tag: str | None) -> int | None:
    """The ARG line that supplies the version part of the tag (PYTHON_VERSION=3.12, not ARCH=arm64)."""
    version = _DATED_SUFFIX.sub("", _ARCH_SUFFIX.sub("", tag or ""))
    return next((line for line, value in arguments if value and value in version), None)


def _runtime_of(language: str, tag: str | None, digest: str | None,
                missing: list[str]) -> tuple[str | None, str | None]:
    if tag and "$" in tag:
        names = ", ".join(sorted(set(missing))) or "a build argument"
        return None, f"the base image tag comes from {names}, which has no ARG default (set with --build-arg)"
    if tag is None:
        if digest:
            return None, "the base image is pinned by digest only, which does not say which runtime it is"
        tag = "latest"
    index = _tag_index()
    if (language, tag) in index:
        return index[(language, tag)], None
    base = _DATED_SUFFIX.sub("", _ARCH_SUFFIX.sub("", tag))
    if (language, base) in index:
        return index[(language, base)], None
    if base == "latest":
        return None, f"{language}:latest moves between major versions; the runtime it builds on is not fixed"
    return None, f"{language}:{tag} is not a tag AWS publishes for a Lambda runtime"


@lru_cache(maxsize=1)
def _tag_index() -> dict[tuple[str, str], str]:
    """(language, tag) → runtime identifier, from the base images in the lifecycle table."""
    index: dict[tuple[str, str], str] = {}
    for entry in load_lifecycle().runtimes.values():
        match = _LAMBDA_IMAGE.fullmatch(entry.base_image or "")
        if match and match["tag"]:
            index[(match["language"], match["tag"])] = entry.identifier
    for key, identifier in _TAG_EXCEPTIONS.items():
        index.setdefault(key, identifier)
    return index


def _instructions(text: str) -> list[_Instruction]:
    """Logical instructions with their first and last line: continuations joined, comments and
    heredoc bodies skipped (a `FROM` inside a heredoc is text, not an instruction)."""
    lines = text.splitlines()
    escape = "\\"
    for line in lines:
        directive = _DIRECTIVE.match(line)
        if directive is None:
            break
        if directive[1].lower() == "escape" and directive[2] in ("\\", "`"):
            escape = directive[2]
    result: list[_Instruction] = []
    index = 0
    while index < len(lines) and len(result) < MAX_INSTRUCTIONS:
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start, parts = index, []
        current = lines[index].rstrip()
        while current.endswith(escape):
            parts.append(current[:-1])
            index += 1
            while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
                index += 1
            if index >= len(lines):
                current = ""
                break
            current = lines[index].rstrip()
        parts.append(current)
        end = min(index, len(lines) - 1)
        index += 1
        joined = " ".join(part.strip() for part in parts).strip()
        head = re.match(r"([A-Za-z]+)\s*(.*)", joined)
        if head is None:
            continue
        keyword, arguments = head[1].upper(), head[2]
        result.append(_Instruction(keyword, arguments, start + 1, end + 1))
        if keyword in ("RUN", "COPY", "ADD"):
            for _, delimiter in _HEREDOC.findall(arguments)[:8]:
                while index < len(lines) and lines[index].strip() != delimiter:
                    index += 1
                index += 1
    return result


def _stages(instructions: list[_Instruction]) -> list[_Stage]:
    """Build stages with their resolved image; ARGs declared before the first FROM feed FROM lines."""
    global_args: dict[str, tuple[str | None, int]] = {}
    stages: list[_Stage] = []
    for instruction in instructions:
        if instruction.keyword == "ARG" and not stages:
            for name, value in _arg_declarations(instruction.arguments):
                global_args[name] = (value, instruction.line)
        elif instruction.keyword == "FROM":
            stages.append(_from(instruction, global_args))
        elif instruction.keyword == "CMD" and stages:
            stages[-1] = replace(stages[-1], handler=_exec_form_first(instruction.arguments))
        elif instruction.keyword == "ENTRYPOINT" and stages:
            stages[-1] = replace(stages[-1], entry_point=instruction.arguments)
        elif instruction.keyword == "WORKDIR" and stages:
            stages[-1] = replace(stages[-1], workdir=working_directory(instruction.arguments, stages[-1].workdir))
        elif instruction.keyword in ("COPY", "ADD") and stages:
            copied = copied_to_task_root(instruction.arguments, stages[-1].workdir)
            stage = stages[-1]
            if copied is None and not stage.task_sources:
                stages[-1] = replace(stage, built_underneath=True)
                continue
            stages[-1] = replace(stage, built_into_task_root=True) if copied is None else \
                replace(stage, task_sources=stage.task_sources + tuple(copied))
    return stages


def _from(instruction: _Instruction, global_args: dict[str, tuple[str | None, int]]) -> _Stage:
    tokens = [t for t in instruction.arguments.split() if not t.startswith("--")]
    image = tokens[0] if tokens else ""
    name = tokens[2].lower() if len(tokens) >= 3 and tokens[1].lower() == "as" else None
    resolved, missing, arguments = _substitute(image, global_args)
    return _Stage(name=name, image=resolved, line=instruction.line, end_line=instruction.end_line,
                  missing=tuple(missing), arguments=tuple(arguments), handler=None)


def _arg_declarations(arguments: str) -> list[tuple[str, str | None]]:
    try:
        words = shlex.split(arguments, comments=False, posix=True)
    except ValueError:
        words = arguments.split()
    declarations = []
    for word in words[:MAX_VARIABLES_PER_LINE]:
        name, equals, value = word.partition("=")
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            declarations.append((name, value if equals else None))
    return declarations


def _substitute(text: str, args: dict[str, tuple[str | None, int]]
                ) -> tuple[str, list[str], list[tuple[int, str]]]:
    """`${PY}`, `$PY`, `${PY:-3.12}`, `${PY:+x}` from ARG defaults; unknown names stay as written."""
    missing: list[str] = []
    used: list[tuple[int, str]] = []

    def replace(match: re.Match[str]) -> str:
        name = match["braced"] or match["plain"]
        value, line = args.get(name, (None, 0))
        if match["op"] == "-":
            if value:
                used.append((line, value))
                return value
            return match["word"]
        if match["op"] == "+":
            return match["word"] if value else ""
        if value is None:
            missing.append(name)
            return match[0]
        used.append((line, value))
        return value

    if text.count("$") > MAX_VARIABLES_PER_LINE:
        return text, ["too many build arguments"], []
    return _VARIABLE.sub(replace, text), missing, used


def _exec_form_first(arguments: str) -> str | None:
    """`CMD ["app.handler"]` → app.handler (the handler of an AWS base image)."""
    match = re.match(r"\[\s*\"([^\"]{1,200})\"", arguments.strip())
    return match[1] if match else None


__all__ = ["ContainerImageFormat", "BaseImage", "read_base_image", "apply_base_image", "context_copies",
           "command_handler", "image_function", "is_dockerfile", "image_build_context", "record_context_copies",
           "take_task_root"]
