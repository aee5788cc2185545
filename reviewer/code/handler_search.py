"""A handler's source found by its module's name, when the declaration points at no code of the repository.

A template whose code is an object CI builds and uploads (`Code: {S3Bucket, S3Key}`, Terraform's
`s3_key`, a `filename` zip not committed) names no folder of the repository, and the source may
sit anywhere (`deployment/x.template` beside `source/log_parser/add_athena_partitions.py`). The
handler names its module (`add_athena_partitions.lambda_handler`): when exactly one file of
that module path outside tests, build output and vendored packages defines the handler's
function, it is the function's source. Two such files (two services with an `app.py` defining
`handler` each) tie nothing: guessing would give one function another's code, unless one of them
is nearer the declaration than the others: a repository of solutions each with its template and
its code (`iam/password_policy/templates/x.yaml` beside `iam/password_policy/lambda/src/app.py`)
builds each package from the code of its own folder, so the one file under the nearest folder
above the declaration that holds any is the function's. Only for a declaration that names the
handler once in its file: several functions of one template named `app.handler` (a packaged
template's, each `CodeUri` an S3 object) are not told apart by where the template is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from reviewer.code.test_files import is_test_file
from reviewer.inventory.build_output import is_build_output
from reviewer.workspace import UnreadableFile, Workspace

# Folders holding copies or installs of code rather than its source.
# (A CDK app's synthesized assets are build output: `is_build_output`.)
_COPIED_FOLDERS = frozenset({"site-packages", "node_modules", "dist", "build", ".aws-sam", ".serverless", "vendor",
                             ".venv", "venv", "__pycache__"})
_SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
_INDEX_KEY = "handler-module-files"
MAX_CANDIDATES = 20   # files of one module name read to find the one defining the handler


@dataclass(frozen=True)
class UniqueModule:
    """The folder a handler is imported from, and its module's file, found once in the repository."""

    folder: str
    module_file: str
    package_name: str = ""     # the package name that told it from other files of its name
    nearest: bool = False      # told from other files of its name by its nearness to the declaration


def unique_handler_module(workspace: Workspace, module_files: list[str], function_name: str,
                          cache: dict[Any, Any] | None, declared_in: str = "",
                          package_name: str = "", handler: str = "") -> UniqueModule | None:
    """The one file of the repository of one of `module_files` (a handler's module path relative
    to its code root, `pkg/handler.py`, with each suffix its language allows) that defines
    `function_name`, and the folder it is imported from; None when none does or several do. The
    file that declares the function (`declared_in`: a CDK stack named like its handler) is
    infrastructure code, never the handler. `package_name`, the stem of the package built
    elsewhere (`labo_n_random` of `deploy/labo_n_random.zip`), keeps only the folders it names
    when it names any. `handler`, as the declaration writes it: when the declaring file names it
    once, a file nearer the declaration than the others of its name is the one."""
    names = _file_index(workspace, cache)
    candidates: list[UniqueModule] = []
    for module in module_files:
        module = module.strip("/")
        candidates.extend(UniqueModule(rel[:-len(module)].rstrip("/") or ".", rel)
                          for rel in names.get(module.rpartition("/")[2], ())
                          if (rel == module or rel.endswith("/" + module)) and rel != declared_in)
    named = named_by_package(package_name, candidates) if len(candidates) > 1 else []
    candidates = named or candidates
    near_to = declared_in if len(candidates) > 1 and _names_once(workspace, declared_in, handler) else ""
    for near, folder in _nearest_first(candidates, near_to):
        if len(near) > MAX_CANDIDATES:
            return None
        defining = [found for found in near if _defines(workspace, found.module_file, function_name)]
        if len(defining) > 1:
            return None
        if defining:
            return UniqueModule(defining[0].folder, defining[0].module_file, package_name if named else "",
                                nearest=folder not in ("", "."))
    return None


def _names_once(workspace: Workspace, declared_in: str, handler: str) -> bool:
    """Whether the declaring file writes the handler once: no other declaration of it shares the
    handler's name, which nearness could not tell apart."""
    if not declared_in or not handler:
        return False
    try:
        return workspace.read_text(declared_in).count(handler) == 1
    except UnreadableFile:
        return False


def _nearest_first(candidates: list[UniqueModule], declared_in: str) -> list[tuple[list[UniqueModule], str]]:
    """The candidates by the folders above the declaration, nearest first, each folder with the
    ones under it not under a nearer one (the repository's root last, with all that remain);
    without a declaration, all of them at the root."""
    groups: list[tuple[list[UniqueModule], str]] = []
    left = candidates
    for parent in (list(PurePosixPath(declared_in).parents)[:-1] if declared_in else []):
        prefix = f"{parent}/"
        under = [found for found in left if found.module_file.startswith(prefix)]
        if under:
            groups.append((under, str(parent)))
            left = [found for found in left if not found.module_file.startswith(prefix)]
    if left:
        groups.append((left, "."))
    return groups


def named_by_package(package_name: str, candidates: list[UniqueModule]) -> list[UniqueModule]:
    """The candidates whose folder a package's name spells, its path parts joined by `_` or `-`:
    from the folder every candidate sits in (`labo_n_random` for `src/handlers/labo/n/random`,
    not `src/handlers/me/labo/n/random`), else from any folder above it (`resize` for
    `functions/resize`)."""
    if not package_name or not candidates:
        return []
    split = [found.folder.split("/") for found in candidates]
    shared = 0
    while all(len(parts) > shared + 1 and parts[shared] == split[0][shared] for parts in split):
        shared += 1

    def spells(parts: list[str], start: int) -> bool:
        return any(separator.join(parts[start:]) == package_name for separator in ("_", "-"))

    from_shared = [found for found, parts in zip(candidates, split, strict=True) if spells(parts, shared)]
    return from_shared or [found for found, parts in zip(candidates, split, strict=True)
                           if any(spells(parts, start) for start in range(len(parts)))]


def module_folders(workspace: Workspace, module_files: list[str], cache: dict[Any, Any] | None) -> set[str]:
    """The folders `unique_handler_module` may answer for `module_files`, known without reading a
    file: those of every file of the module's path (whether it defines the handler is not asked)."""
    names = _file_index(workspace, cache)
    folders: set[str] = set()
    for module in module_files:
        module = module.strip("/")
        folders.update(rel[:-len(module)].rstrip("/") or "." for rel in names.get(module.rpartition("/")[2], ())
                       if rel == module or rel.endswith("/" + module))
    return folders


def _file_index(workspace: Workspace, cache: dict[Any, Any] | None) -> dict[str, list[str]]:
    """Source files by file name, listed once per workspace (kept in the scan's code cache); a
    review's base lists what it carries over too (`hidden_too`): two files of one name tie
    nothing, however many of them the base reads again."""
    kept = cache.get(_INDEX_KEY) if cache is not None else None
    if kept is not None and kept[0] is workspace:
        index: dict[str, list[str]] = kept[1]
        return index
    index = defaultdict(list)
    for rel in workspace.iter_files(_SOURCE_SUFFIXES, hidden_too=True):
        folders = rel.split("/")[:-1]
        if _COPIED_FOLDERS & set(folders) or is_test_file(rel) or is_build_output(rel):
            continue
        index[rel.rpartition("/")[2]].append(rel)
    if cache is not None:
        cache[_INDEX_KEY] = (workspace, index)
    return index


def _defines(workspace: Workspace, rel: str, function_name: str) -> bool:
    """Whether the file defines the handler's function (`def lambda_handler(`, `handler = Mangum(app)`;
    in JavaScript, names it at all): a module of the name that does not is another program's
    (a custom resource's `operations/add_athena_partitions.py` beside the function's own)."""
    try:
        text = workspace.read_text(rel)
    except UnreadableFile:
        return False
    if not function_name:
        return False
    if not rel.endswith(".py"):
        return function_name in text
    return f"def {function_name}(" in text or f"{function_name} =" in text or f"{function_name}=" in text
