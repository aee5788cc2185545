"""Files handler code writes under /tmp, and whether it ever removes any (read from the AST only).

A path is "under /tmp" when static reading can see it: a literal starting with `/tmp`, an
f-string, `%`/`+`/`.format` or `os.path.join` that starts with one, `tempfile.gettempdir()`,
`pathlib.Path` built from any of these, or a name assigned one of these anywhere in the module
(flow-insensitive, which is enough for the usual `TMP_DIR = "/tmp/work"` constant). `mkstemp`,
`mkdtemp` and `NamedTemporaryFile(delete=False)` create files in the temporary directory too.

Removal is judged for the whole set of modules: any `os.remove`, `os.unlink`, `os.rmdir`,
`shutil.rmtree`, `Path.unlink`/`rmdir` or `TemporaryDirectory` counts. Matching each removal to
the file it removes would need data flow the AST does not give reliably.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field, replace
from typing import Iterable

from reviewer.code.syntax_walk import nodes
from reviewer.content_cache import ContentCache

MAX_TARGET_TEXT = 120
_ASSIGNMENT_ROUNDS = 4
_OPEN_FUNCTIONS = {"open", "io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open", "tarfile.open",
                   "zipfile.ZipFile", "ZipFile", "TarFile.open"}
# Creating a directory is not counted: one directory does not pile up; the files in it are.
_WRITING_PATH_METHODS = {"write_text", "write_bytes", "touch", "symlink_to", "hardlink_to"}
_COPY_FUNCTIONS = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
                   "os.rename", "os.replace", "os.link", "os.symlink", "urllib.request.urlretrieve", "urlretrieve"}
# Methods whose first argument is the file they write (pandas, NumPy, Pillow, matplotlib...).
_SAVING_METHODS = {"save", "savefig", "to_csv", "to_parquet", "to_json", "to_excel", "to_pickle", "to_feather",
                   "savetxt", "savez", "savez_compressed"}
_TEMP_CREATORS = {"tempfile.mkstemp", "tempfile.mkdtemp", "mkstemp", "mkdtemp"}
_NAMED_TEMP = {"tempfile.NamedTemporaryFile", "NamedTemporaryFile"}
_REMOVERS = {"os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree"}
_REMOVING_METHODS = {"unlink", "rmdir", "cleanup"}
_TEMP_DIRECTORY = {"tempfile.TemporaryDirectory", "TemporaryDirectory"}
_GETTEMPDIR = {"tempfile.gettempdir", "gettempdir", "tempfile.gettempdirb"}
_PATH_TYPES = {"Path", "PurePath", "PosixPath", "PurePosixPath", "pathlib.Path", "pathlib.PurePath",
               "pathlib.PosixPath", "pathlib.PurePosixPath"}
_PATH_JOINS = {"os.path.join", "posixpath.join", "path.join"}
# The nodes that bind a name to a value (`x = ...`, `x: T = ...`, `x += ...`, `(x := ...)`, `with ... as x`).
_ASSIGNING = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.withitem)
_PATH_DERIVING_METHODS = {"joinpath", "with_name", "with_suffix", "with_stem", "resolve", "absolute", "expanduser"}


@dataclass(frozen=True)
class TmpWrite:
    """One call that writes under /tmp: where, what it calls, and the path as written."""

    path: str
    line: int
    call: str
    target: str
    # The path is one constant (`"/tmp/output.mp3"`, a name only ever bound to one): each
    # invocation writes over the last one's file, which stays but does not pile up.
    fixed: bool = False


@dataclass
class TmpUsage:
    """What a handler does with `/tmp`: the files it writes and whether it removes them."""

    writes: list[TmpWrite] = field(default_factory=list)
    removes: bool = False


def tmp_usage(modules: Iterable[tuple[str, ast.Module]], cache: ContentCache | None = None) -> TmpUsage:
    """Writes under /tmp in each (path, tree), and whether any of them removes files.

    What a module writes depends only on its tree: with a `cache`, a module that many functions
    ship (a layer, a copied helper) is read once per run, and each gets the writes under its path.
    """
    usage = TmpUsage()
    for path, tree in modules:
        if cache is None:
            writes, removes = _module_usage(path, tree)
        elif not _may_use_tmp(cache.source_of(tree)):
            continue                        # no callee the reader acts on is named in the text
        else:
            writes, removes = cache.derived("tmp-usage", tree, functools.partial(_module_usage, "", tree))
            writes = [replace(write, path=path) for write in writes]
        usage.writes.extend(writes)
        usage.removes = usage.removes or removes
    return usage


def _may_use_tmp(text: str | None) -> bool:
    """Whether a module's text (None: unknown) can hold a write under /tmp or a removal.

    The reader finds both only in calls whose callee's last name is one of `_DECIDING_NAMES`
    (`open`, `remove`, `save`...), spelled in the text as the callee or in the import that
    aliases it (`from os import remove as rm`). An identifier cannot be written with escapes or
    split across literals, unlike a path (`"/t" "mp"` is `/tmp` to the parser), so a text that
    names none of them cannot hold one, and its tree is not walked (most modules of a monorepo).
    Python reads identifiers in NFKC form (`ｏｐｅｎ` is `open`), so a module that is not pure
    ASCII is always walked."""
    if text is None or not text.isascii():
        return True
    return any(name in text for name in _DECIDING_NAMES)


def _module_usage(path: str, tree: ast.Module) -> tuple[list[TmpWrite], bool]:
    try:
        reader = _ModuleReader(path, tree)
        return reader.writes(), reader.removes
    except RecursionError:
        return [], False   # expressions nested beyond what a person writes: nothing to say about this file


def dotted(node: ast.AST) -> str:
    """`os.path.join` for the expression os.path.join; "" when it is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class _ModuleReader:
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.tree = tree
        # One walk sorts out the only nodes the reading looks at, each kind in walk order: the
        # bindings are then re-read until nothing new is found without walking the tree again.
        self.imports: list[ast.Import | ast.ImportFrom] = []
        self.assignments: list[ast.AST] = []
        self.calls: list[ast.Call] = []
        kinds: dict[type, list] = {ast.Import: self.imports, ast.ImportFrom: self.imports, ast.Call: self.calls}
        kinds.update(dict.fromkeys(_ASSIGNING, self.assignments))
        nodes(tree, sort_into=kinds)
        self.aliases = self._import_aliases()
        self.tmp_names: set[str] = set()
        self.removes = False
        self._constant_names: frozenset[str] | None = None   # read when a write names its path by a name
        self._bind_tmp_names()

    def _import_aliases(self) -> dict[str, str]:
        """`import tempfile as tf` → {"tf": "tempfile"}; `from os import path` → {"path": "os.path"}."""
        aliases: dict[str, str] = {}
        for node in self.imports:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        aliases[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        return aliases

    def name_of(self, node: ast.AST) -> str:
        """The dotted name of a callee with import aliases undone (`tf.mkdtemp` → `tempfile.mkdtemp`)."""
        text = dotted(node)
        if not text:
            return ""
        head, dot, rest = text.partition(".")
        if head in self.aliases:
            text = self.aliases[head] + (dot + rest if dot else "")
        return text

    def _bind_tmp_names(self) -> None:
        for _ in range(_ASSIGNMENT_ROUNDS):
            before = len(self.tmp_names)
            for node in self.assignments:
                targets: list[ast.expr] = []
                value: ast.AST | None = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                    targets, value = [node.target], node.value
                elif isinstance(node, ast.NamedExpr):
                    targets, value = [node.target], node.value
                elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                    targets, value = [node.optional_vars], node.context_expr
                if value is None or not self.is_tmp(value):
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.tmp_names.add(target.id)
            if len(self.tmp_names) == before:
                return

    def is_tmp(self, node: ast.AST | None) -> bool:
        """Whether an expression is a path under /tmp, as far as static reading can tell."""
        if node is None:
            return False
        while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod, ast.Div)):
            node = node.left  # "/tmp/" + a + b, "/tmp/%s" % a, Path("/tmp") / a: the left end decides
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value == "/tmp" or node.value.startswith("/tmp/")
        if isinstance(node, ast.JoinedStr):
            return bool(node.values) and self.is_tmp(node.values[0])
        if isinstance(node, ast.Name):
            return node.id in self.tmp_names
        if isinstance(node, ast.Call):
            callee = self.name_of(node.func)
            if callee in _GETTEMPDIR:
                return True
            if callee in _PATH_JOINS or callee in _PATH_TYPES:
                return bool(node.args) and self.is_tmp(node.args[0])
            if isinstance(node.func, ast.Attribute):
                if node.func.attr == "format" or node.func.attr in _PATH_DERIVING_METHODS:
                    return self.is_tmp(node.func.value)
        return False

    def writes(self) -> list[TmpWrite]:
        found: list[TmpWrite] = []
        for node in self.calls:
            if _last_name(node.func, self.aliases) not in _DECIDING_NAMES:
                continue                      # `json.dumps(...)`, `log.info(...)`: neither writes nor removes
            callee = self.name_of(node.func)
            if callee in _REMOVERS or callee in _TEMP_DIRECTORY or (
                    isinstance(node.func, ast.Attribute) and node.func.attr in _REMOVING_METHODS):
                self.removes = True
                continue
            written = self._written_path(node, callee)
            if written is not None:
                call, target = written
                found.append(TmpWrite(self.path, node.lineno, call, _source(target),
                                      target is not None and self.is_fixed(target)))
        return found

    def is_fixed(self, node: ast.AST) -> bool:
        """Whether a path expression is the same text at every call: a string literal, a join of
        literals (`os.path.join("/tmp", "out.csv")`, `Path("/tmp") / "a"`), or a name the module
        binds to one literal and nothing else (never a parameter, loop variable or second value)."""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
            return self.is_fixed(node.left) and self.is_fixed(node.right)
        if isinstance(node, ast.Call) and not node.keywords and node.args and (
                self.name_of(node.func) in _PATH_JOINS or self.name_of(node.func) in _PATH_TYPES):
            return all(self.is_fixed(argument) for argument in node.args)
        if isinstance(node, ast.Name):
            if self._constant_names is None:
                self._constant_names = _constant_names(self.tree)
            return node.id in self._constant_names
        return False

    def _written_path(self, node: ast.Call, callee: str) -> tuple[str, ast.AST | None] | None:
        """(what is called, the path expression) when this call writes under /tmp."""
        method, receiver = (node.func.attr, node.func.value) if isinstance(node.func, ast.Attribute) else ("", None)
        if callee in _OPEN_FUNCTIONS or callee.endswith(".open") and callee.split(".")[0] in ("io", "codecs"):
            path = _argument(node, 0, "file") or _argument(node, 0, "name")
            if self.is_tmp(path) and _writing_mode(node, 1):
                return callee, path
            return None
        if method == "open" and self.is_tmp(receiver):  # Path("/tmp/x").open("w")
            return ("Path.open", receiver) if _writing_mode(node, 0) else None
        if method in _WRITING_PATH_METHODS and self.is_tmp(receiver):
            return f"Path.{method}", receiver
        if callee in _COPY_FUNCTIONS or callee.endswith(".urlretrieve"):
            path = _argument(node, 1, "dst") or _argument(node, 1, "filename")
            return (callee, path) if self.is_tmp(path) else None
        if method in ("download_file", "download_fileobj"):
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                if self.is_tmp(argument):
                    return method, argument
            return None
        if method in ("extractall", "extract"):
            path = _argument(node, 0 if method == "extractall" else 1, "path")
            return (method, path) if self.is_tmp(path) else None
        if method in _SAVING_METHODS:
            path = _argument(node, 0, "fname") or _argument(node, 0, "path_or_buf") or _argument(node, 0, "fp")
            return (method, path) if self.is_tmp(path) else None
        if callee in _TEMP_CREATORS:
            directory = _argument(node, 2, "dir")
            if directory is None or self.is_tmp(directory):
                return callee, None
            return None
        if callee in _NAMED_TEMP:
            delete = _keyword(node, "delete")
            if isinstance(delete, ast.Constant) and delete.value is False:
                directory = _keyword(node, "dir")
                if directory is None or self.is_tmp(directory):
                    return callee, None
        return None


# The last name of every callee and method `writes` and `_written_path` act on: a call whose
# callee ends in another name (after import aliases are undone) neither writes under /tmp nor
# removes anything, so it is passed over without spelling out its dotted name.
_DECIDING_NAMES = frozenset(
    {name.rpartition(".")[2] for group in (_OPEN_FUNCTIONS, _COPY_FUNCTIONS, _TEMP_CREATORS, _NAMED_TEMP,
                                           _REMOVERS, _TEMP_DIRECTORY) for name in group}
    | _WRITING_PATH_METHODS | _SAVING_METHODS | _REMOVING_METHODS
    | {"open", "urlretrieve", "download_file", "download_fileobj", "extractall", "extract"})


def _constant_names(tree: ast.Module) -> frozenset[str]:
    """Names the module binds exactly once, to a string literal (`OUTPUT = "/tmp/out.mp3"`), and
    never otherwise: a parameter, loop target, `with ... as`, import, `except ... as` or second
    assignment of the same name could hold another path (the reading is flow-insensitive)."""
    constants: dict[str, int] = {}
    stores: dict[str, int] = {}
    other: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, ast.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                    isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                constants[node.targets[0].id] = constants.get(node.targets[0].id, 0) + 1
        elif isinstance(node, ast.arg):
            other.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            other.update((alias.asname or alias.name).partition(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler,
                               ast.MatchAs, ast.MatchStar)):
            other.add(node.name or "")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            other.update(node.names)
    return frozenset(name for name, count in constants.items()
                     if count == 1 and stores.get(name) == 1 and name not in other)


def _last_name(func: ast.AST, aliases: dict[str, str]) -> str:
    """The last part of what `name_of(func)` spells (`os.path.join` → `join`), or of the method
    called on an expression (`obj().save` → `save`); "" for any other callee."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return aliases.get(func.id, func.id).rpartition(".")[2]
    return ""


def _argument(node: ast.Call, index: int, keyword: str) -> ast.AST | None:
    if len(node.args) > index and not any(isinstance(arg, ast.Starred) for arg in node.args[: index + 1]):
        return node.args[index]
    return _keyword(node, keyword)


def _keyword(node: ast.Call, name: str) -> ast.AST | None:
    return next((keyword.value for keyword in node.keywords if keyword.arg == name), None)


def _writing_mode(node: ast.Call, index: int) -> bool:
    mode = _argument(node, index, "mode")
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return any(flag in mode.value for flag in "wax+")
    return True  # a computed mode: assume it may write


# The target of a call that makes its own name in the temporary directory (`mkdtemp()`): it
# stays in fingerprints; the message says what the call creates instead (`created_by`).
UNNAMED_TARGET = "the temporary directory"


def created_by(call: str, target: str) -> str | None:
    """What a call that names no path creates ("a temporary directory" for `mkdtemp`), or None."""
    if target != UNNAMED_TARGET:
        return None
    return "a temporary directory" if call.endswith("mkdtemp") else "a temporary file"


def _source(node: ast.AST | None) -> str:
    if node is None:
        return UNNAMED_TARGET
    try:
        text = ast.unparse(node)
    except (ValueError, RecursionError):
        return "a path under /tmp"
    text = " ".join(text.split())
    return text if len(text) <= MAX_TARGET_TEXT else text[: MAX_TARGET_TEXT - 1] + "…"
