"""The handler module and the modules it imports from its own code directory, parsed, never run.

Lambda puts the function's code directory on the import path and imports the handler module by
the name in `Handler` (`app.handler` → `app.py`; `pkg/mod.handler` and `pkg.mod.handler` →
`pkg/mod.py`). We follow `import` statements that resolve to files in that directory (or next to
the importing module), up to a fixed number of modules and bytes, and read every file through
the workspace, so links are never followed and oversized or binary files become notices.
An image's Dockerfile may copy more onto the task root than the handler's folder: each such
folder or file is found under the one name it has there (`Function.task_root_copies`).
"""

from __future__ import annotations

import ast
import re
import sys
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from reviewer.findings import Finding
from reviewer.code.python_grammar import RUNNING, needed_version, version_label
from reviewer.workspace import UnreadableFile, Workspace, newer_grammar_notice, skipped_notice, unparsed_notice

MAX_MODULES = 40
MAX_TOTAL_BYTES = 4 * 1024 * 1024

# Libraries vendored into a code directory are not the function's own code.
_VENDORED = frozenset({
    "boto3", "botocore", "s3transfer", "urllib3", "requests", "aws_lambda_powertools", "pydantic",
    "six", "dateutil", "jmespath", "certifi", "idna", "charset_normalizer", "typing_extensions",
})
# The standard library's top-level names: a module of the code directory that takes one and declares
# its own release is a backport copied there (`is_vendored_backport`).
_STANDARD_MODULES = frozenset(sys.stdlib_module_names)


@dataclass
class SourceModule:
    """One parsed Python file: its dotted name as Lambda would import it, and its path."""

    name: str
    path: str
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        if PurePosixPath(self.path).name == "__init__.py":
            return self.name
        return self.name.rpartition(".")[0]


@dataclass
class ModuleSet:
    """The handler module, everything it imports from the code directory, and what was skipped."""

    code_root: str
    entry_module: str
    entry_function: str
    modules: dict[str, SourceModule] = field(default_factory=dict)
    notices: list[Finding] = field(default_factory=list)
    truncated: bool = False
    # Files of the code directory the handler imports that are vendored backports, not read further.
    vendored: list[str] = field(default_factory=list)

    @property
    def entry(self) -> SourceModule | None:
        return self.modules.get(self.entry_module)


# A module or folder name the runtime finds as a file: `importlib.import_module("lambda-handler")`
# loads `lambda-handler.py`, so a hyphen is as good as an identifier character here.
_FILE_STEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def parse_handler(handler: str) -> tuple[str, str] | None:
    """`app.handler` → ("app", "handler"); `pkg/mod.handler` and `pkg.mod.handler` → ("pkg.mod", ...).

    Lambda's Python runtime imports the module by name with `importlib`, which finds a file by its
    stem, so `lambda-handler.handler` is `lambda-handler.py` even though no `import` could name it.
    """
    spec, dot, function = handler.strip().rpartition(".")
    if not dot or not spec or not function.isidentifier():
        return None
    spec = spec.strip("/").replace("/", ".")
    if not all(_FILE_STEM.fullmatch(part) for part in spec.split(".")):
        return None
    return spec, function


# (repository path, the top-level name it is imported by), as `Function.task_root_copies` holds them.
Copies = tuple[tuple[str, str], ...]


class _Loader:
    def __init__(self, workspace: Workspace, code_root: str, cache: dict[Any, Any],
                 layer_paths: tuple[str, ...] = (), copies: Copies = ()) -> None:
        self.workspace = workspace
        self.code_root = code_root
        self.cache = cache
        self.layer_paths = layer_paths
        self.copies = copies
        self.total_bytes = 0

    def path_of(self, dotted: str, near: str | None = None) -> str | None:
        """The file a module name resolves to under the code root, else in what an image copies
        onto the task root under the name's first part (or beside `near`), else in one of the
        function's layers, which Lambda puts on the import path after its code."""
        relative = dotted.replace(".", "/")
        found = self._in_base(self.code_root, relative)
        if found is not None:
            return found
        head, _, rest = relative.partition("/")
        for path, name in self.copies:
            if name == head:
                found = self._copied(path, rest)
                if found is not None:
                    return found
        bases = [self.code_root]
        if near is not None:
            beside = near.rpartition("/")[0] or "."
            if beside != self.code_root:         # a module at the code root: its folder was just tried
                bases.append(beside)
        bases.extend(path for path in self.layer_paths if path not in bases)
        for base in bases[1:]:
            found = self._in_base(base, relative)
            if found is not None:
                return found
        return None

    def _in_base(self, base: str, relative: str) -> str | None:
        """The file of the module at `relative` (`pkg/mod`) in the folder `base`, if any."""
        head = relative.partition("/")[0]
        if head.isidentifier() and self._lacks(base, head):
            return None
        for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
            joined = candidate if base in ("", ".") else f"{base}/{candidate}"
            found = self._file(joined)
            if found is not None:
                return found
        return None

    def _copied(self, path: str, rest: str) -> str | None:
        """The module `rest` (`sub/mod`, or "" for the copy itself) of a folder or file an image
        copies onto the task root."""
        if not rest:
            return self._file(path) if path.endswith(".py") else self._file(f"{path}/__init__.py")
        if path.endswith(".py"):
            return None
        return self._file(f"{path}/{rest}.py") or self._file(f"{path}/{rest}/__init__.py")

    def _file(self, joined: str) -> str | None:
        rel = self.workspace.resolve(joined)
        if rel is None or self.workspace.is_excluded(rel):
            return None
        # A link is returned too: reading it then gives the LR902 notice that says it was not followed.
        if self.workspace.is_symlink(rel) or (self.workspace.exists(rel) and not self.workspace.is_dir(rel)):
            return rel
        return None

    def _lacks(self, base: str, head: str) -> bool:
        """Whether the folder `base` (a normal path) lists neither `head` nor `head.py`, so that no
        module whose path starts with them is there: most imported names (`json`, `boto3`) are
        not the code's own, and one look at the folder's listing says so without checking each
        candidate file and the links on its path. A folder reached through a link, or none,
        lists nothing, and none of its candidates is read either."""
        folder = "." if base in ("", ".") else base
        if folder != "." and self.workspace.resolve(folder) != folder:
            return False                           # `a/../b`: let the full check normalise it
        listing = self.workspace.entries(folder)
        return head not in listing and f"{head}.py" not in listing

    def parse(self, rel: str) -> ast.Module | Finding:
        """The file's tree, or the notice that says why there is none. The scan's `cache` keeps
        the notice, or that the file parsed, never the tree: the run's parse cache holds trees
        only while they are in use (reviewer.content_cache), and gives this one again or parses
        it anew. Only a file's first parse in the scan counts towards MAX_TOTAL_BYTES."""
        known = self.cache.get(rel)
        if isinstance(known, Finding):
            return known
        result: ast.Module | Finding
        try:
            text = self.workspace.read_text(rel)
        except UnreadableFile as unreadable:
            result = unreadable.notice
        else:
            if known is None:
                self.total_bytes += len(text)
            try:
                result = self.workspace.parsed.python(text, rel)   # one tree per distinct text while in use
            except SyntaxError as exc:
                result = python_syntax_notice(rel, text, exc)
            except (RecursionError, MemoryError):
                result = skipped_notice(rel, "its expressions nest deeper than the Python parser can follow")
            except ValueError as exc:
                result = unparsed_notice(rel, f"it is not valid Python ({exc})")
        self.cache[rel] = result if isinstance(result, Finding) else _PARSED
        return result


def python_syntax_notice(rel: str, text: str, error: SyntaxError) -> Finding:
    """LR903 when the file is newer Python than this interpreter reads, else LR901 "not valid Python"."""
    version = needed_version(text)
    if version is not None:
        return newer_grammar_notice(rel, version_label(version), version_label(RUNNING), error.lineno or 1)
    return unparsed_notice(rel, f"it is not valid Python ({error.msg})", error.lineno or 1)


def load_modules(workspace: Workspace, code_root: str, handler: str,
                 cache: dict[Any, Any] | None = None, layer_paths: tuple[str, ...] = (),
                 copies: Copies = ()) -> ModuleSet | str:
    """Parse the handler module and its local imports; a string says why nothing could be read.

    `cache`, shared by the readers of one scan, keeps each file's tree and each handler's
    modules (read-only once built). `layer_paths`: the repository folders the function's layers
    put on the import path, searched after the code directory. `copies`: what an image copies
    onto the task root besides the code directory, each found only under its own name.
    """
    if cache is None:
        return _load_modules(workspace, code_root, handler, {}, layer_paths, copies)
    key = ("module-set", code_root, handler, layer_paths, copies)
    recent: OrderedDict[tuple[Any, ...], ModuleSet] = cache.setdefault(_RECENT, OrderedDict())
    module_set = recent.get(key)
    if module_set is not None:      # the analyzers' steps for one function share its modules
        recent.move_to_end(key)
        return module_set
    found = cache.get(key)
    if found is None:
        loaded = _load_modules(workspace, code_root, handler, cache, layer_paths, copies)
        cache[key] = loaded if isinstance(loaded, str) else _ModulePlan.of(loaded)
        if isinstance(loaded, str):
            return loaded
        module_set = loaded
    elif isinstance(found, str):
        return found
    else:
        module_set = found.rebuild(_Loader(workspace, code_root, cache, layer_paths, copies))
    recent[key] = module_set
    if len(recent) > RECENT_MODULE_SETS:
        recent.popitem(last=False)
    return module_set


# The last module sets loaded, kept whole (trees included): every analyzer's step for a function
# (reviewer.analyzers.function_pass) reads the same modules, however small the parse cache's budget.
RECENT_MODULE_SETS = 2
_RECENT = "recent-module-sets"


# What `cache` keeps of a file that parsed: the tree itself stays in the run's parse cache.
_PARSED = "parsed"


@dataclass(frozen=True)
class _ModulePlan:
    """A loaded ModuleSet without its trees: which files, under which names. Kept for the scan,
    it gives the same ModuleSet again, its trees from the run's parse cache (reparsed when they
    fell out of it: same text, same tree)."""

    code_root: str
    entry_module: str
    entry_function: str
    modules: tuple[tuple[str, str], ...]
    notices: tuple[Finding, ...]
    truncated: bool
    vendored: tuple[str, ...] = ()

    @classmethod
    def of(cls, module_set: ModuleSet) -> "_ModulePlan":
        return cls(module_set.code_root, module_set.entry_module, module_set.entry_function,
                   tuple((name, module.path) for name, module in module_set.modules.items()),
                   tuple(module_set.notices), module_set.truncated, tuple(module_set.vendored))

    def rebuild(self, loader: "_Loader") -> ModuleSet:
        result = ModuleSet(self.code_root, self.entry_module, self.entry_function, notices=list(self.notices),
                           truncated=self.truncated, vendored=list(self.vendored))
        for name, rel in self.modules:
            tree = loader.parse(rel)
            assert not isinstance(tree, Finding), f"{rel} parsed before"
            result.modules[name] = SourceModule(name, rel, tree)
        return result


def _load_modules(workspace: Workspace, code_root: str, handler: str, cache: dict[Any, Any],
                  layer_paths: tuple[str, ...] = (), copies: Copies = ()) -> ModuleSet | str:
    parsed = parse_handler(handler)
    if parsed is None:
        return f"the handler {handler!r} is not in the form module.function"
    entry_module, entry_function = parsed
    entry_path = _Loader(workspace, code_root, cache).path_of(entry_module)   # the handler is the function's own
    loader = _Loader(workspace, code_root, cache, layer_paths, copies)
    if entry_path is None:
        return f"the handler module {entry_module.replace('.', '/')}.py is not in {folder_words(code_root)}"
    result = ModuleSet(code_root, entry_module, entry_function)
    queue: deque[tuple[str, str]] = deque([(entry_module, entry_path)])
    seen = {entry_module}
    while queue:
        name, rel = queue.popleft()
        if len(result.modules) >= MAX_MODULES or loader.total_bytes > MAX_TOTAL_BYTES:
            result.truncated = True
            break
        tree = loader.parse(rel)
        if isinstance(tree, Finding):
            result.notices.append(tree)
            continue
        if name != entry_module and is_vendored_backport(name, tree):
            result.vendored.append(rel)
            continue
        module = SourceModule(name, rel, tree)
        result.modules[name] = module
        for imported in _imported_names(module):
            if imported in seen or imported.split(".")[0] in _VENDORED:
                continue
            path = loader.path_of(imported, near=rel)
            if path is None:
                continue
            seen.add(imported)
            queue.append((imported, path))
    return result


def is_vendored_backport(name: str, tree: ast.Module) -> bool:
    """Whether a module the handler imports is a library's backport copied beside it, not its code: it
    takes a standard library module's name (so it shadows that module, as a backport is meant to) and
    declares its own release at its top (`__version__`), as a published package does and the
    standard library's modules do not (the `ipaddress` backport of Python 2 days, `enum34`'s `enum`).
    A module of the function's own named like a standard one (`secrets.py`, `types.py`) declares no
    release and stays its code."""
    if name.partition(".")[0] not in _STANDARD_MODULES:
        return False
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(target, ast.Name) and target.id == "__version__" for target in targets):
            return True
    return False


def _imported_names(module: SourceModule) -> list[str]:
    """Dotted names the module imports (each `from x import y` also tries the submodule x.y)."""
    names: list[str] = []
    for node in _statements(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.extend(".".join(parts[: index + 1]) for index in range(len(parts)))
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(module, node.module, node.level)
            if base is None:
                continue
            if base:
                names.append(base)
            names.extend(f"{base}.{alias.name}" if base else alias.name for alias in node.names
                         if alias.name != "*")
    return names


def _statements(tree: ast.Module) -> list[ast.stmt]:
    """Every statement, nested bodies included, without walking into expressions."""
    found: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    blocks_of = _BLOCKS
    while pending:
        stmt = pending.pop()
        found.append(stmt)
        blocks = blocks_of.get(stmt.__class__)
        if blocks is None:
            blocks = blocks_of[stmt.__class__] = statement_blocks(stmt.__class__)
        for name in blocks:                       # most statements (calls, assignments) have none
            if name in ("handlers", "cases"):
                for part in getattr(stmt, name):
                    pending.extend(part.body)
            else:
                pending.extend(getattr(stmt, name))
    return found


# Per statement class, its fields that hold nested statements (filled as classes are met).
_BLOCKS: dict[type, tuple[str, ...]] = {}


def statement_blocks(cls: type) -> tuple[str, ...]:
    """Which of `body`, `orelse`, `finalbody`, `handlers` (each an except clause with a body) and
    `cases` (each a match case with a body) a statement class has, in that order."""
    fields = getattr(cls, "_fields", ())
    return tuple(name for name in ("body", "orelse", "finalbody", "handlers", "cases") if name in fields)


def resolve_relative(module: SourceModule, name: str | None, level: int) -> str | None:
    """The absolute dotted name of `from <level dots><name> import ...` inside `module`."""
    if level == 0:
        return name or None
    package = module.package.split(".") if module.package else []
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    if name:
        base.append(name)
    return ".".join(base)


def folder_words(folder: str) -> str:
    """A folder of the repository as a sentence names it: the root is "the repository's root"."""
    return "the repository's root folder" if folder in ("", ".") else folder

