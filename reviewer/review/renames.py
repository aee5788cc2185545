"""The base's findings under the names the change gives their files.

A finding's fingerprint hashes its path (reviewer.findings.Finding.fingerprint), so a file the change
only renames or moves (`admin-tweet.py` → `admin_tweet.py`, `service/` → `src/handlers/`) would
make every finding in it look new, and a pure rename would post inline comments about code it did
not touch. The review therefore also counts, for each base finding in a renamed file, the
fingerprint that finding has at the file's new path: a finding the head still has there is
pre-existing; one the rename's edits introduce still differs in its evidence and stays new.

A finding's fingerprint hashes its function's name too, and a format may scope names by folder
(Terraform's `envs/prod:aws_lambda_function.api`, once a repository has several root modules):
moving a root, or adding a second one, renames functions whose declarations did not change.
`function_renames` matches such functions by scope and unscoped name, and their base findings are
counted under the head's names as well.

A function whose declaration gives it no name of its own is named by its place (a CDK construct
whose id the app computes and no variable keeps: `EdgeFunction at lib/cdn.kt:128`): a line added
above it renames it. `line_renames` follows each such base function's line through the diff, and
the head's function named by the line it moved to is the same one.

A change may rename the function itself where it is declared (a SAM logical id, a Serverless
function key, a Terraform resource name, a CDK construct id: `HelloWorldFunction` becoming
`ListBucketsFunction` once the sample grows up), keeping the code it runs. Every finding of the
function then looked new, though the declaration's other lines were untouched (seen on real
history: a SAM sample renamed with its code folder, its unchanged runtime line commented as a new
deprecated runtime). `identity_renames` pairs the one function a declaring file loses with the one
it gains when both run the same handler module file (kept where it was, or renamed by the
change with its folder); what the rename changed besides (a route, a runtime) still differs in its
evidence and stays new.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.review.diff import DiffMap


def moved(finding: Finding, renamed: dict[str, str], names: dict[str, str] | None = None) -> Finding | None:
    """`finding` as the head would report it after the renames, or None when none concerns it.

    The evidence is rewritten too: some engines name the file there (a loop's write, the module a
    tainted value is read in), which a rename changes as well.
    """
    new_path = renamed.get(finding.path)
    evidence = finding.evidence
    for old, new in renamed.items():
        if old in evidence:
            evidence = evidence.replace(old, new)
    function = (names or {}).get(finding.function or "", finding.function)
    if new_path is None and evidence == finding.evidence and function == finding.function:
        return None
    return dataclasses.replace(finding, path=new_path or finding.path, evidence=evidence, function=function,
                               known_fingerprint=None)


def renamed_fingerprints(findings: Iterable[Finding], renamed: dict[str, str],
                         names: dict[str, str] | None = None) -> set[str]:
    """The fingerprints the base's `findings` have under the change's renames (old → new path)
    and its functions' new names (`function_renames`)."""
    if not renamed and not names:
        return set()
    fingerprints = set()
    for finding in findings:
        if (after := moved(finding, renamed, names)) is not None:
            fingerprints.add(after.fingerprint)
    return fingerprints


def function_renames(base: Iterable[Function], head: Iterable[Function], renamed: dict[str, str]) -> dict[str, str]:
    """Base name → head name of the functions whose name changed only with its scope.

    Two functions are the same when their format, their scope (its folder moved by the change's
    renames) and their unscoped name agree, and each side has one function so described (two
    roots instantiating one module give two functions of one unscoped name, told apart by scope).
    """
    def keyed(functions: Iterable[Function], folder: Callable[[str], str]) -> dict[tuple[str, str, str], list[str]]:
        keys: dict[tuple[str, str, str], list[str]] = {}
        for function in functions:
            scope = function.name_scope
            if scope is None:
                continue
            bare = function.name.removeprefix(f"{scope}:") if scope else function.name
            keys.setdefault((function.format, folder(scope), bare), []).append(function.name)
        return keys

    before = keyed(base, lambda scope: moved_folder(scope, renamed))
    after = keyed(head, lambda scope: scope)
    names: dict[str, str] = {}
    for key, old in before.items():
        new = after.get(key)
        if len(old) == 1 and new is not None and len(new) == 1 and old[0] != new[0]:
            names[old[0]] = new[0]
    return names


def moved_folder(folder: str, renamed: dict[str, str]) -> str:
    """Where the change moved `folder` ("" is the top directory, never moved): the new folder of
    a renamed file under it whose path inside the folder stayed the same; else `folder`."""
    if not folder:
        return folder
    prefix = folder.rstrip("/") + "/"
    for old, new in renamed.items():
        if old.startswith(prefix):
            inside = old[len(prefix):]
            if new.endswith("/" + inside):
                return new[: -len(inside) - 1]
    return folder


def line_renames(base: Iterable[Function], head: Iterable[Function], diff: DiffMap) -> dict[str, str]:
    """Base name → head name of the functions named by their file and line (`<kind> at <path>:<line>`)
    whose declaration line the change only moved (a renamed file's too)."""
    head_names = {(function.format, function.name) for function in head}
    names: dict[str, str] = {}
    for function in base:
        kind = _named_by_place(function)
        if kind is None:
            continue
        path = diff.renamed.get(function.location.path, function.location.path)
        changed = diff.get(path)
        line = changed.new_line(function.location.line) if changed is not None else function.location.line
        new_name = f"{kind} at {path}:{line}"
        if line is not None and new_name != function.name and (function.format, new_name) in head_names:
            names[function.name] = new_name
    return names


def identity_renames(base: Iterable[Function], head: Iterable[Function], diff: DiffMap) -> dict[str, str]:
    """Base name → head name of the functions the change renamed in their declaration (see the
    module's docstring): per format, declaring file (under the change's renames), package type,
    code folder and handler module, the one base function whose name the head no longer has and
    the one head function whose name the base did not have. The handler's module file must be
    the same file on both sides: kept where it was, or renamed by the change with its folder (a
    folder git pairs with another through an empty `__init__.py` is not that)."""
    base, head = list(base), list(head)
    modules = _module_files(diff)
    base_names = {(function.format, function.name) for function in base}
    head_names = {(function.format, function.name) for function in head}
    gone: dict[tuple[str, ...], list[str]] = {}
    for function in base:
        if (function.format, function.name) not in head_names:
            code = _code_after(function, modules)
            key = _code_identity(function, diff.renamed.get(function.location.path, function.location.path), code)
            if key is not None:
                gone.setdefault(key, []).append(function.name)
    came: dict[tuple[str, ...], list[str]] = {}
    for function in head:
        if (function.format, function.name) not in base_names:
            key = _code_identity(function, function.location.path, function.code_path)
            if key is not None:
                came.setdefault(key, []).append(function.name)
    names: dict[str, str] = {}
    for key, old in gone.items():
        new = came.get(key, [])
        if len(old) == 1 and len(new) == 1:
            names[old[0]] = new[0]
    return names


def _module_files(diff: DiffMap) -> tuple[dict[str, str], set[str]]:
    """The change's renamed files by their old path without its extension (`hello/app` →
    `list/app.ts`), and the old paths without extension of the files it removes or renames."""
    renamed = {_stem(old): new for old, new in diff.renamed.items()}
    return renamed, {_stem(path) for path in diff.removed}


def _stem(path: str) -> str:
    folder, _, name = path.rpartition("/")
    name = name.partition(".")[0] or name
    return f"{folder}/{name}" if folder else name


def _code_after(function: Function, modules: tuple[dict[str, str], set[str]]) -> str | None:
    """The function's code folder after the change, known by its handler's module file: the
    folder the change renamed that file into (under the same name), or the same folder when the
    change kept the file; None when it removed it or the declaration says too little."""
    if not function.handler or function.code_path is None or "." not in function.handler:
        return None
    module = function.handler.rpartition(".")[0]
    code = function.code_path.strip("/")
    stem = f"{code}/{module}" if code not in ("", ".") else module
    renamed, removed = modules
    new = renamed.get(stem)
    if new is not None:
        if _stem(new).rpartition("/")[2] != module.rpartition("/")[2]:
            return None
        depth = module.count("/") + 1
        return new.rsplit("/", depth)[0] if new.count("/") >= depth else ""
    return None if stem in removed else function.code_path


def _code_identity(function: Function, path: str, code: str | None) -> tuple[str, ...] | None:
    """What a renamed declaration keeps: its format, file, package type, code folder and the
    module its handler names (`app` of `app.lambdaHandler`: the exported name may change with
    the function's); None when the declaration says no handler or no code folder."""
    if not function.handler or code is None or "." not in function.handler:
        return None
    module = function.handler.rpartition(".")[0]
    return (function.format, path, function.package_type or "", code.strip("/"), module)


def _named_by_place(function: Function) -> str | None:
    """The construct kind of a function named by its place (`Function` of `Function at a.ts:9`)."""
    place = f" at {function.location.path}:{function.location.line}"
    if not function.name.endswith(place):
        return None
    return function.name.removesuffix(place) or None
