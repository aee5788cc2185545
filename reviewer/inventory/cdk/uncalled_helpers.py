"""Helpers whose own construct deploys nothing: none of the app's files calls them.

A helper that makes a function from what its caller passes (`cdk/factories.py`) is one function
per call of it. Its construct, read where the helper writes it, stands for no deployment of its
own: the convention was to keep it listed as written until a call is found, so that an app whose
calls cannot be followed still shows something. Two shapes make that convention invent a function:

- an exported helper no file of the app calls at all (`export const lambdaFactory = (scope,
  config) => new NodejsFunction(scope, config.name, {...})`, left over after the stacks moved to
  constructs of their own): its construct is never made, so it is listed as
  `NodejsFunction at lib/common/lambda-factory.ts:37` with findings about a function that does
  not exist;
- a helper class of a package the app installs from a folder of the repository (AWS Solutions'
  `SolutionsPythonFunction`, `cdk_solution_helper_py`) that the app only subclasses
  (`class S3EventHandler(SolutionsPythonFunction)`): the class's `super().__init__(scope, id,
  **kwargs)` is listed with the class's default runtime, though every function the app deploys is
  an instance of a subclass, with its own settings.

A helper function (not a construct class: one the app never makes stays read with its
constructor's defaults) is uncalled when its name is written nowhere else: once in its own module
(its declaration; a second mention is a call, a re-export, an alias) and in no other source of its app
(every source with its language's suffixes, not only those naming the CDK: a construct calling
the helper may import only `constructs`). A module with a default export is left alone (its
importers name it as they like). The subclasses of a library helper are each named in an LR904
notice at the class: its instances are functions the review does not read.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath
from typing import Callable, Iterable

from reviewer.findings import Finding
from reviewer.workspace import UnreadableFile, Workspace, unread_declaration_notice

# Files of an app read to look for a helper's name, and helpers looked for in one scan; past
# either, a helper counts as named (kept as written).
MAX_FILES_READ = 400
MAX_HELPERS_LOOKED_FOR = 20
# Subclasses of a library helper named in a notice, per helper.
MAX_SUBCLASS_NOTICES = 5
_FAMILIES = ((".py",), (".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs"), (".go",))
_DEFAULT_EXPORT = "export default"
# The words that declare a function helper, and how far before its name they are looked for.
_FUNCTION_KEYWORDS = frozenset({"def", "function", "function*", "func", "const", "let", "var"})
_KEYWORD_REACH = 24


def mentions(text: str, name: str, limit: int = 2) -> int:
    """How many times `name` is written in `text` as a whole identifier, counted up to `limit`."""
    count, start = 0, 0
    while count < limit:
        at = text.find(name, start)
        if at < 0:
            break
        end = at + len(name)
        if not (at > 0 and _identifier(text[at - 1])) and not (end < len(text) and _identifier(text[end])):
            count += 1
        start = end
    return count


def _identifier(char: str) -> bool:
    return char.isalnum() or char in "_$"


class AppSources:
    """The sources of each app, read only when a helper's name is looked for."""

    def __init__(self, workspace: Workspace, files: Iterable[str], skipped: Callable[[str], bool]) -> None:
        self.workspace = workspace
        self.files = [rel for rel in files if rel.endswith(tuple(s for f in _FAMILIES for s in f))]
        self.skipped = skipped
        self.looked_for = 0

    def named_elsewhere(self, rel: str, root: str, name: str) -> bool:
        """Whether a source of the app at `root` other than `rel`, in `rel`'s language, writes `name`
        (True when too many files would have to be read to say)."""
        family = next((f for f in _FAMILIES if rel.endswith(f)), None)
        self.looked_for += 1
        if family is None or self.looked_for > MAX_HELPERS_LOOKED_FOR:
            return True
        prefix = "" if root == "." else f"{root}/"
        read = 0
        for other in self.files:
            if other == rel or not other.startswith(prefix) or not other.endswith(family) \
                    or "node_modules" in PurePosixPath(other).parts or self.skipped(other):
                continue
            read += 1
            if read > MAX_FILES_READ:
                return True
            try:
                text = self.workspace.read_text(other)
            except UnreadableFile:
                continue
            if mentions(text, name, 1):
                return True
        return False


def uncalled(rel: str, name: str, text: str, root: str | None,
             named_elsewhere: Callable[[str, str, str], bool]) -> bool:
    """Whether the module-level helper `name` of `rel` (its app at `root`) is called by no file."""
    if root is None or "." in name or _DEFAULT_EXPORT in text or mentions(text, name) != 1 \
            or not _declared_as_function(text, name):
        return False
    return not named_elsewhere(rel, root, name)


def _declared_as_function(text: str, name: str) -> bool:
    """Whether the one place `text` writes `name` declares a function (`def`, `function`, `func`,
    or a `const` holding an arrow function): a class the app never makes is read with its
    constructor's defaults, as before."""
    at = 0
    while True:
        at = text.find(name, at)
        if at < 0:
            return False
        end = at + len(name)
        if not (at > 0 and _identifier(text[at - 1])) and not (end < len(text) and _identifier(text[end])):
            break
        at = end
    before = text[max(0, at - _KEYWORD_REACH):at].split()
    return bool(before) and before[-1] in _FUNCTION_KEYWORDS


def subclass_notices(name: str, sources: dict[str, str], parse: Callable[[str], ast.Module],
                     known: set[tuple[str, str]]) -> list[Finding]:
    """LR904 at each top-level class of an app's Python source whose base is the library helper
    `name` (`class S3EventHandler(SolutionsPythonFunction)`): its instances are functions whose
    calls the review does not follow. A class read as a helper itself (`known`) is left out."""
    notices: list[Finding] = []
    for rel, text in sources.items():
        if not rel.endswith(".py") or not mentions(text, name, 1):
            continue
        try:
            tree = parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and (rel, node.name) not in known \
                    and any(_base_name(base) == name for base in node.bases):
                form = f"class {node.name}({name})"
                notices.append(unread_declaration_notice(rel, node.lineno, form))
                if len(notices) >= MAX_SUBCLASS_NOTICES:
                    return notices
    return notices


def package_makers(helpers: list[str], sources: dict[str, str], parse: Callable[[str], ast.Module],
                   limit: int) -> list[str]:
    """The top-level classes of a package's modules (`sources`) that make their functions with one
    of its `helpers` without being one themselves: AWS Solutions' `SolutionStep`, whose nested
    `class _CreateLambdaFunction(SolutionsPythonFunction)` it instantiates. An app's subclass of
    such a class (`class Base(SolutionStep)`) deploys functions the review does not read, as a
    subclass of the helper does."""
    names: list[str] = []
    wanted = set(helpers)
    for text in sources.values():
        if not any(mentions(text, helper, 1) for helper in helpers):
            continue
        try:
            tree = parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name not in wanted and node.name not in names and any(
                    _base_name(inner) in wanted for inner in ast.walk(node)
                    if isinstance(inner, ast.Name | ast.Attribute)):
                names.append(node.name)
                if len(names) >= limit:
                    return names
    return names


def _base_name(base: ast.expr) -> str | None:
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else None


__all__ = ["AppSources", "mentions", "package_makers", "subclass_notices", "uncalled"]
