"""Which folder of the repository becomes a container image's task root (`/var/task`).

An image function's handler is the module `CMD ["app.handler"]` names, imported from
`${LAMBDA_TASK_ROOT}`; the Dockerfile puts it there with `COPY src/ ${LAMBDA_TASK_ROOT}` (or
`COPY app.py ./`, the base images' working directory being the task root). Knowing which folder of
the build context that is lets the review read the handler as it reads a .zip function's: loops,
`/tmp` writes, untrusted input. Only copies from the build context count (`--from=` another
stage is built code the review cannot see, unless the context's copies are laid over it), and
only when they agree on one folder or one of them brings the handler's module; anything else
leaves the function unread rather than read from a guess.
"""

from __future__ import annotations

import json
import posixpath
import shlex

TASK_ROOT = "/var/task"
_TASK_ROOT_SPELLINGS = ("${LAMBDA_TASK_ROOT}", "$LAMBDA_TASK_ROOT", TASK_ROOT)
# Files copied beside the code that say nothing about where the handler is.
_CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts")
_GLOB_CHARACTERS = set("*?[")
MAX_SOURCES = 50


def copied_to_task_root(arguments: str, workdir: str) -> list[str] | None:
    """The sources a `COPY`/`ADD` puts at the task root, as `source` or `source<TAB>subfolder`
    (copied into a subfolder of the task root); None when it puts there what another stage or
    image built. `workdir` is the stage's working directory so far."""
    words = _words(arguments)
    if words is None:
        return []
    built = any(word.startswith("--from") for word in words)
    words = [word for word in words if not word.startswith("--")]
    if len(words) < 2 or len(words) > MAX_SOURCES + 1:
        return []
    *sources, destination = words
    below = _below_task_root(destination, workdir)
    if below is None:
        return []
    if built:
        return None
    if len(sources) == 1 and _names_its_own_file(sources[0], destination, below):
        return sources       # `COPY src/app.py app.py`: the file at the task root, as `COPY src/app.py ./`
    return [source if not below else f"{source}\t{below}" for source in sources]


def _names_its_own_file(source: str, destination: str, below: str) -> bool:
    """Whether a destination is the copied code file's own name at the task root (`app.py`), not
    a subfolder: Docker makes a destination without a trailing slash the file's new name."""
    return (not destination.endswith("/") and "/" not in below and below.endswith(_CODE_SUFFIXES)
            and below == posixpath.basename(source.strip("\"'")))


def working_directory(arguments: str, current: str) -> str:
    """The working directory after `WORKDIR arguments`."""
    target = arguments.strip().strip("\"'")
    for spelling in _TASK_ROOT_SPELLINGS[:2]:
        target = target.replace(spelling, TASK_ROOT)
    return posixpath.normpath(posixpath.join(current, target)) if target else current


def task_root_folder(context: str, sources: tuple[str, ...], handler: str | None = None) -> str | None:
    """The one repository folder the copies to the task root take their code from, or None.

    A copied folder is the task root itself (`COPY src/ .`), a copied code file says its own
    folder is (`COPY app.py .`), a folder copied into a subfolder of the task root says its
    parent is (`COPY lib/common ${LAMBDA_TASK_ROOT}/common`). Dependency manifests copied beside
    them (`requirements.txt`) say nothing. Two different folders: the one that brings the module
    the `handler` names (`COPY app/app.py ./` for `app.handler`, beside `COPY model/train.py ./`),
    else None. A folder copied into a subfolder counts only when nothing is copied to the task
    root itself.
    """
    direct: dict[str, set[str]] = {}       # folder → the modules its copies bring, when known
    below_root: dict[str, set[str]] = {}
    for entry in sources:
        source, _, below = entry.partition("\t")
        inside = posixpath.normpath(source.strip("\"'"))
        if inside.startswith("../") or inside == ".." or posixpath.isabs(inside) or "://" in source:
            return None     # outside the build context (Docker refuses it), or fetched by `ADD <url>`
        path = posixpath.normpath(posixpath.join(context or ".", inside))
        name = posixpath.basename(path)
        if below:
            if name == posixpath.basename(below.rstrip("/")):
                below_root.setdefault(posixpath.dirname(path) or ".", set()).add(name)
        elif _GLOB_CHARACTERS & set(name):
            direct.setdefault(posixpath.dirname(path) or ".", set())
        elif name.endswith(_CODE_SUFFIXES):
            direct.setdefault(posixpath.dirname(path) or ".", set()).add(posixpath.splitext(name)[0])
        elif source.endswith("/") or "." not in name or source.strip() in (".", "./"):
            direct.setdefault(path, set())
    # A folder copied into a subfolder (a shared library beside the handler) says where the
    # task root's code comes from only when nothing is copied to the task root itself.
    folders = direct or below_root
    if len(folders) == 1:
        return next(iter(folders))
    module = handler_module(handler)
    owners = {folder for found in (direct, below_root) for folder, modules in found.items()
              if module and module in modules}
    return owners.pop() if len(owners) == 1 else None


def task_root_copies(context: str, sources: tuple[str, ...], folder: str) -> tuple[tuple[str, str], ...]:
    """What the copies put on the task root besides the handler's `folder`, as (repository path,
    name at the task root) pairs the handler can import by that name: a folder copied into a
    subfolder named like a module (`COPY services/utils ./utils`), and a Python file copied to
    the task root from another folder (`COPY model/resnet.py ./`). A folder whose contents are
    spread over the task root (`COPY lib/ ./` beside `COPY src/ ./`) has no one name and is not
    listed; nor is anything under `folder` itself, already imported from there.
    """
    pairs: list[tuple[str, str]] = []
    for entry in sources:
        source, _, below = entry.partition("\t")
        inside = posixpath.normpath(source.strip("\"'"))
        if inside.startswith("../") or inside == ".." or posixpath.isabs(inside) or "://" in source \
                or _GLOB_CHARACTERS & set(source):
            continue
        path = posixpath.normpath(posixpath.join(context or ".", inside))
        name = posixpath.basename(path)
        if below:
            below = below.strip("/")
            pair = (path, below) if below.isidentifier() and "." not in name else None
            if pair is not None and path == posixpath.normpath(posixpath.join(folder, below)):
                pair = None                                        # already the handler folder's own
        else:
            stem, suffix = posixpath.splitext(name)
            parent = posixpath.dirname(path) or "."
            pair = (path, stem) if suffix == ".py" and stem.isidentifier() and parent != folder else None
        if pair is not None and pair not in pairs:
            pairs.append(pair)
    return tuple(pairs)


def handler_module(handler: str | None) -> str | None:
    """The top-level module a handler is imported from: `app.handler` → `app`, `pkg.api.handler`
    → `pkg`; None for a path (`src/index.handler`) or a Java or .NET handler."""
    if not handler or "/" in handler or "::" in handler:
        return None
    module, dot, _ = handler.rpartition(".")
    return module.split(".")[0] or None if dot else None


def _words(arguments: str) -> list[str] | None:
    text = arguments.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return [str(item) for item in value] if isinstance(value, list) else None
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:
        return None


def _below_task_root(destination: str, workdir: str) -> str | None:
    """"" when `destination` is the task root, the subfolder when it is below it, else None."""
    target = destination
    for spelling in _TASK_ROOT_SPELLINGS[:2]:
        target = target.replace(spelling, TASK_ROOT)
    if "$" in target:
        return None
    path = posixpath.normpath(posixpath.join(workdir, target))
    if path == TASK_ROOT:
        return ""
    if path.startswith(TASK_ROOT + "/"):
        return path[len(TASK_ROOT) + 1:]
    return None
