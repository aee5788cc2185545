"""Which files are a function's code: the directories the inventory resolves, and who owns each file.

Every format reader fills `Function.code_path` (SAM `CodeUri`, Serverless service paths, Terraform
`source_dir`/`filename`, CDK asset paths): a repo-relative directory or file. The code engines
(bandit over the source, pip-audit over the dependency files) review exactly what those paths
hold, and each finding names the functions whose package contains the file: of the files a code
path holds, those its handler imports, less those the declaration's package settings leave out
(`Function.package_contents`). The folders of a function's local layers (`Function.layer_paths`)
are its code too: Lambda puts them on the import path, so the layer modules its handler imports
run in it (bandit reviews them as it reviews the function's own folder). So are the folders and
files an image copies onto its task root besides the handler's (`Function.task_root_copies`), each
imported under the one name it has there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from typing import Any, Callable, Iterable, Iterator

from reviewer.code.code_location import handler_module_files, possible_source_folders, python_source_folder
from reviewer.code.modules import load_modules
from reviewer.code.test_files import TEST_DIRECTORIES, is_test_name
from reviewer.model import Function, PackageContents
from reviewer.workspace import Workspace

PYTHON_SUFFIXES = (".py",)
# Runtimes that run no Python: the Python files under such a function's code path (build
# scripts, a test harness, a whole repository as an image's build context) are not its code
# (`python_sources` leaves them out, and says so). A custom runtime (`provided*`) may run
# anything, so its Python files still count.
OTHER_LANGUAGE_RUNTIMES = ("nodejs", "java", "dotnet", "go", "ruby")
# `SourceMap.left_out`'s reason for a file the functions' package settings leave out.
UNPACKAGED = "not in its package"
# ... and for a file of an image's build context that its Dockerfile does not copy.
UNCOPIED = "not copied into its image"
# ... and for a backport of a standard library module a handler imports from its folder (a library's code).
VENDORED = "a vendored backport of a standard library module"


@dataclass
class SourceMap:
    """Python files to review, each with the (sorted) names of the functions that ship it.

    A file with no owner is there because `scan-all-python` asked for every Python file.
    """

    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Python files under a function's code path that no function ships, with the reason.
    left_out: dict[str, str] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return sorted(self.owners)


def code_directory(workspace: Workspace, function: Function) -> str | None:
    """The directory holding a function's code: `code_path` itself, or the folder of a file path.

    None when the function has no local code (inline code, a container image, an S3 location)
    or the path does not exist inside the workspace.
    """
    if not function.code_path:
        return None
    path = workspace.resolve(function.code_path)
    if path is None or not workspace.exists(path):
        return None
    if workspace.is_dir(path):
        return path
    parent = str(PurePosixPath(path).parent)
    return parent if parent not in ("", ".") else "."


def handler_root(workspace: Workspace, function: Function) -> str | None:
    """The directory Lambda imports the handler from: the code directory, except for Serverless.

    Serverless packages the whole service, and its handlers are paths from the service directory
    (`web/handler.hello` is `web/handler.py` there), while `code_path` is the handler's own folder.
    """
    package_root = function.task_root
    if isinstance(package_root, str):
        resolved = workspace.resolve(package_root)
        if resolved is not None and workspace.is_dir(resolved):
            return resolved
    return code_directory(workspace, function)


def is_under(rel: str, directory: str) -> bool:
    """Whether a repo-relative file lies in `directory` (`.` is the whole repository)."""
    return directory == "." or rel == directory or rel.startswith(directory.rstrip("/") + "/")


@dataclass
class ShippedCode:
    """What one function ships of its code directory: the files, or None for "every non-test file"."""

    files: frozenset[str] | None
    # Backports of standard library modules it imports from its folder (`modules.is_vendored_backport`):
    # shipped, but a library's code, which bandit leaves out (`python_sources`).
    vendored: frozenset[str] = frozenset()


def shipped_code(workspace: Workspace, function: Function, code_dir: str,
                 cache: dict[Any, Any] | None = None) -> ShippedCode:
    """The handler's module and every module it imports from the code directory, transitively.

    Lambda imports the handler module and nothing else; a file no import reaches (a test, a
    script, a notebook export) is never run by the function. When the imports cannot be followed
    (no Python handler, its module not found, more modules than the reader follows), the function
    is taken to ship every file but its tests.
    """
    if not function.handler or (function.runtime and not function.runtime.startswith("python")):
        return ShippedCode(None)
    root = handler_root(workspace, function) or code_dir
    layers, copies = function.layer_paths, function.task_root_copies
    key = ("shipped-code", code_dir, root, function.handler, layers, copies)
    if cache is not None and key in cache:
        shipped: ShippedCode = cache[key]
        return shipped
    shipped = _shipped_code(workspace, code_dir, root, function.handler, cache, layers, copies)
    if cache is not None:
        cache[key] = shipped
    return shipped


def _shipped_code(workspace: Workspace, code_dir: str, root: str, handler: str,
                  cache: dict[Any, Any] | None, layers: tuple[str, ...] = (),
                  copies: tuple[tuple[str, str], ...] = ()) -> ShippedCode:
    module_set = load_modules(workspace, root, handler, cache, layers, copies)
    # the folders imported from besides the code's: a copy's own folder is where its packages start
    bases = (*layers, *(path for path, _ in copies))
    if isinstance(module_set, str) or module_set.truncated or not module_set.modules:
        return ShippedCode(None)
    files = {module.path for module in module_set.modules.values()}
    files.update(notice.path for notice in module_set.notices if notice.path)   # unreadable, still shipped
    seen: set[str] = set()   # folders already walked up from: the rest of their way is the same
    for rel in list(files):   # importing pkg.mod runs pkg/__init__.py first
        # a package's folders up to the folder it was imported from: the code's, a layer's or a copy's
        base = code_dir if is_under(rel, code_dir) else next((folder for folder in bases if is_under(rel, folder)),
                                                             code_dir)
        for parent in _parent_folders(rel):
            if parent in seen or not is_under(parent, base) or parent in ("", "."):
                break
            seen.add(parent)
            init = f"{parent}/__init__.py"
            if workspace.exists(init):
                files.add(init)
    return ShippedCode(frozenset(files), frozenset(module_set.vendored))


def _parent_folders(rel: str) -> Iterator[str]:
    """`PurePosixPath(rel).parents` as strings, without building paths when `rel` is already in
    the normal form the workspace lists (no empty, `.` or trailing parts)."""
    if not rel or rel.startswith("/") or rel.endswith("/") or "//" in rel or "/./" in f"/{rel}/":
        yield from (str(parent) for parent in PurePosixPath(rel).parents)
        return
    while "/" in rel:
        rel = rel.rpartition("/")[0]
        yield rel
    yield "."


def _code_path(workspace: Workspace, function: Function) -> str | None:
    """The function's code path in the workspace: a directory, or a Python file; None otherwise."""
    if not function.code_path:      # images have one when the Dockerfile's build context is known
        return None
    path = workspace.resolve(function.code_path)
    if path is None or not workspace.exists(path):
        return None
    if workspace.is_dir(path) or path.endswith(PYTHON_SUFFIXES):
        return path
    return None


def runs_python(function: Function) -> bool:
    """Whether the function's runtime may run Python (a custom runtime may run anything)."""
    return not (function.runtime or "").lower().startswith(OTHER_LANGUAGE_RUNTIMES)


def function_code(workspace: Workspace, function: Function, cache: dict[Any, Any]) -> ShippedCode | None:
    """What `python_sources` reads of one function's imports (kept in `cache` for it); None when
    its code path is not a directory, or its runtime runs no Python."""
    path = _code_path(workspace, function) if runs_python(function) else None
    if path is None:
        path = matched_source(workspace, function, cache)
    if path is None or not workspace.is_dir(path):
        return None
    return shipped_code(workspace, function, path, cache)


def matched_source(workspace: Workspace, function: Function, cache: dict[Any, Any] | None) -> str | None:
    """The code folder of a Python function whose package is built elsewhere (its code location is
    no folder or Python file of the repository: an S3 object, a zip CI builds): the folder of its
    handler's source, beside the declaration or the one module of its name
    (`code_location.python_source_folder`), which the loop check reads; None for any other function.

    Like a layer's, such a folder may hold other programs (`source/log_parser/` serves three
    functions): only the modules the handler imports are the function's code. A function whose
    code is written in its declaration (`ZipFile: |`, even one a `!Sub` builds) has none elsewhere:
    a module of its handler's name (`index.py`) is another function's.
    """
    if not _built_elsewhere(workspace, function):
        return None
    return python_source_folder(workspace, function, cache)


def _built_elsewhere(workspace: Workspace, function: Function) -> bool:
    """Whether the function is a Python one whose package is built elsewhere (see `matched_source`)."""
    return bool(function.handler) and runs_python(function) and function.inline_code is None \
        and _code_path(workspace, function) is None


def possible_matches(workspace: Workspace, function: Function, cache: dict[Any, Any] | None) -> set[str]:
    """Every folder `matched_source` may answer for the function, known without reading its
    handler's module: a pull request looks for the source of an untouched function only when one
    of these holds a file it reads."""
    if not _built_elsewhere(workspace, function):
        return set()
    return possible_source_folders(workspace, function, cache)


def changes_matched_source(workspace: Workspace, function: Function, changed: Iterable[str],
                           changed_folders: set[str], cache: dict[Any, Any] | None) -> bool:
    """Whether a change edits a file under the matched source of a function whose package is built
    elsewhere (`matched_source`), as a change under a code path touches its function.
    `changed_folders` holds the changed paths' folders (with "."): the handler's module is looked
    for only when a folder it may be in (`possible_matches`) holds a changed path."""
    if not possible_matches(workspace, function, cache) & changed_folders:
        return False
    folder = matched_source(workspace, function, cache)
    return folder is not None and any(is_under(rel, folder) for rel in changed)


def _matched_code(workspace: Workspace, function: Function, folder: str, cache: dict[Any, Any] | None) -> frozenset[str]:
    """The files a function whose source `matched_source` found ships: its handler's imports, or
    its handler's module alone when they cannot be followed (never the whole shared folder)."""
    code = shipped_code(workspace, function, folder, cache)
    if code.files is not None:
        return code.files
    modules = (f"{folder}/{module}" if folder != "." else module
               for module in handler_module_files(function.handler or "", "python"))
    return frozenset(rel for rel in modules if workspace.exists(rel) and not workspace.is_dir(rel))


def _layer_folders(workspace: Workspace, function: Function) -> tuple[str, ...]:
    """The folders of the function's local layers that are in the workspace (`Function.layer_paths`),
    and those its image copies onto the task root (`Function.task_root_copies`)."""
    folders = (*function.layer_paths, *(path for path, _ in function.task_root_copies))
    return tuple(folder for folder in folders if workspace.is_dir(folder))


def python_sources(workspace: Workspace, functions: list[Function], scan_all: bool = False,
                   cache: dict[Any, Any] | None = None,
                   follow_imports: Callable[[Function], bool] | None = None) -> SourceMap:
    """Every Python file a function ships, with its owners (plus all others when `scan_all`).

    A file under a function's code path that no function ships is left out (`SourceMap.left_out`),
    unless `scan_all` asks for every Python file. The workspace is walked once; links, build
    output and `exclude` globs are skipped there. `follow_imports` (a pull request's focus) limits
    reading handlers to the functions whose files will be analysed: the others are taken to ship
    every non-test file, which only names them as owners of files nobody reads (a caller that reads
    some makes `follow_imports` follow their functions too: `following_shared_code`).
    """
    roots: dict[str, set[str]] = defaultdict(set)   # code path (dir or .py file) -> function names
    shipped: dict[str, set[str]] = defaultdict(set)   # file -> names of functions that import it
    vendored: set[str] = set()   # backports the functions import, left out unless `scan_all`
    everything_but_tests: dict[str, set[str]] = defaultdict(set)   # code dir -> names
    packages = _Packages()
    for function in functions:
        path = _code_path(workspace, function)
        if path is None:
            # a package built elsewhere: its matched source, read for the functions followed only
            matched = matched_source(workspace, function, cache) \
                if follow_imports is None or follow_imports(function) else None
            if matched is not None:
                packages.add(function)
                roots[matched].add(function.name)
                for rel in _matched_code(workspace, function, matched, cache):
                    shipped[rel].add(function.name)
                vendored.update(shipped_code(workspace, function, matched, cache).vendored)   # cached
            continue
        packages.add(function)
        if not runs_python(function):
            # its Python files (a build script, a test harness, the whole repository an image is
            # built from) are not its code: under its folder, none it ships, they are left out
            if workspace.is_dir(path):
                roots[path].add(function.name)
            continue
        if path.endswith(PYTHON_SUFFIXES) and not workspace.is_dir(path):
            roots[path].add(function.name)
            continue
        roots[path].add(function.name)
        layers = _layer_folders(workspace, function)
        for layer in layers:
            roots[layer].add(function.name)
        follow = follow_imports is None or follow_imports(function)
        code = shipped_code(workspace, function, path, cache) if follow else ShippedCode(None)
        if code.files is None:
            # A layer is shared by design: only the modules a handler is seen to import are its
            # code (claiming every file of a shared layer would name each user of it as an owner).
            everything_but_tests[path].add(function.name)
        else:
            for rel in code.files:
                shipped[rel].add(function.name)
            vendored.update(code.vendored)
    owners: dict[str, tuple[str, ...]] = {}
    left_out: dict[str, str] = {}
    if not roots and not scan_all:
        return SourceMap(owners)
    directories = _DirectoryOwners(roots, everything_but_tests)
    for rel in _python_files(workspace, cache):
        if rel in vendored and rel not in shipped and not scan_all:
            left_out[rel] = VENDORED
            continue
        folder, _, name = rel.rpartition("/")
        facts = directories.facts(folder)
        names = set(shipped.get(rel, ()))
        test = facts.test_folder or is_test_name(name)
        if facts.broad and not test:
            names |= facts.broad
        if rel in roots:              # a code path that is the file itself
            names |= roots[rel]
        packed = packages.holding(names, rel)
        if packed or scan_all:
            owners[rel] = tuple(sorted(packed))
        elif names:
            left_out[rel] = UNCOPIED if packages.all_images(names) else UNPACKAGED
        elif facts.under or rel in roots:
            left_out[rel] = "a test" if test else "not imported by any handler"
    return SourceMap(owners, left_out)


class _Packages:
    """The functions whose declaration narrows their package by patterns (`Function.package_contents`),
    by name: a file such a function's folder holds but its package leaves out is not its code (a
    deploy script beside the service, another function's module)."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[PackageContents | None]] = defaultdict(list)
        self._narrowed = False

    def add(self, function: Function) -> None:
        self._by_name[function.name].append(function.package_contents)
        self._narrowed = self._narrowed or function.package_contents is not None

    def holding(self, names: set[str], rel: str) -> set[str]:
        """The names of `names` whose package holds `rel` (a name several functions share holds
        it when one of their packages does)."""
        if not self._narrowed or not names:
            return names
        return {name for name in names
                if any(package is None or package.holds(rel) for package in self._by_name.get(name, [None]))}

    def all_images(self, names: set[str]) -> bool:
        """Whether every package of `names` is what an image's Dockerfile copies (`PackageContents.image`)."""
        return all(package is not None and package.image
                   for name in names for package in self._by_name.get(name, [None]))


def following_shared_code(workspace: Workspace, functions: list[Function], files: Iterable[str],
                          follow: Callable[[Function], bool],
                          cache: dict[Any, Any] | None = None) -> Callable[[Function], bool]:
    """`follow`, widened to every function whose code directory, handler root or layer folder holds
    one of `files`, or whose package is built elsewhere and whose source may be in a folder holding
    one (`possible_source_folders`: its handler's module is looked for only then).

    A function whose imports are not followed is taken to ship every non-test file of its code
    path. That is harmless for files nobody reads, but a file a pull request's focused function
    reads (a script folder under a whole-repository package) would then name the untouched
    function as an owner too, and the finding would get another function, and fingerprint, than
    the full scan gives it. Following the imports of the functions whose folders hold a read file
    makes the owners the full scan's; it costs reading those handlers only.
    """
    folders: set[str] = set()
    for rel in files:
        folders.update(_parent_folders(rel))
    folders.add("")

    def followed(function: Function) -> bool:
        if follow(function):
            return True
        code_path = _code_path(workspace, function)
        roots = (code_path, handler_root(workspace, function), *function.layer_paths,
                 *(path for path, _ in function.task_root_copies))
        if any(root is not None and (root or ".") in folders for root in roots):
            return True
        return code_path is None and any(folder in folders for folder in possible_matches(workspace, function, cache))

    return followed


def _python_files(workspace: Workspace, cache: dict[Any, Any] | None) -> tuple[str, ...]:
    """The workspace's Python files, listed once per scan (`python_sources` runs twice: bandit's
    broad start and its choice once the imports are read)."""
    key = ("python-files", id(workspace))
    if cache is not None:
        listed = cache.get(key)
        if listed is not None and listed[0] is workspace:
            return listed[1]
    files = tuple(workspace.iter_files(PYTHON_SUFFIXES))
    if cache is not None:
        cache[key] = (workspace, files)
    return files


@dataclass(frozen=True)
class _FolderFacts:
    """What every file of one folder shares in `python_sources`: the functions whose code path
    holds the folder (`under`), those that ship all its non-test files (`broad`), and whether the
    folder is a tests folder."""

    under: frozenset[str]
    broad: frozenset[str]
    test_folder: bool


class _DirectoryOwners:
    """`_FolderFacts` per folder, each worked out once from its parent's (files share folders)."""

    def __init__(self, roots: dict[str, set[str]], everything_but_tests: dict[str, set[str]]) -> None:
        self._roots, self._broad = roots, everything_but_tests
        self._facts: dict[str, _FolderFacts] = {}

    def facts(self, folder: str) -> _FolderFacts:
        """The facts of `folder` ("" is the repository's root; "." stands for the whole repository)."""
        found = self._facts.get(folder)
        if found is not None:
            return found
        if not folder:
            found = _FolderFacts(frozenset(self._roots.get(".", ())), frozenset(self._broad.get(".", ())), False)
        else:
            parent, _, name = folder.rpartition("/")
            above = self.facts(parent)
            found = _FolderFacts(above.under | self._roots.get(folder, set()),
                                 above.broad | self._broad.get(folder, set()),
                                 above.test_folder or name.lower() in TEST_DIRECTORIES)
        self._facts[folder] = found
        return found
