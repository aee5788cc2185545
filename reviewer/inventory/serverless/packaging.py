"""Which files of a Serverless service a function's package holds: `package.patterns`, `include`, `exclude`.

The Framework (v1 to v4) zips every file of the service directory, then applies, in order, its
default exclusions, the service's `exclude`, the function's `exclude` (each negated: an exclusion
that starts with `!` puts files back), then the service's `include` and `patterns` and the
function's `include` and `patterns` (a `!` there takes files out), the last matching pattern
deciding (micromatch, with dot files matched). The function's own settings count only when the
function is packaged on its own (`package.individually: true` on the service or the function).
A function with an artifact, an image, or a plugin that builds its own package is left alone.

The result is a format-free `PackageContents` (model.py): the same rules as regular expressions
over paths relative to the service directory. Anything the review cannot say exactly (a variable
it does not resolve, a pattern outside the service, extglobs, a bare folder name whose meaning
differs between versions) leaves the function without one, so it ships every file as before.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from reviewer.located import LocatedList, LocatedMap
from reviewer.model import PackageContents
from reviewer.path_globs import Glob, is_valid_segment

# The Framework's own exclusions, applied before any setting (lib/plugins/package/lib/package-service.js).
DEFAULT_EXCLUDES = (".git/**", ".gitignore", ".DS_Store", "npm-debug.log", "yarn-*.log",
                    ".serverless/**", ".serverless_plugins/**")
# Plugins that build a function's package themselves, from its handler's imports or their own
# settings, so the patterns do not say what ships.
PACKAGING_PLUGINS = frozenset({
    "serverless-webpack", "serverless-esbuild", "serverless-bundle", "serverless-plugin-typescript",
    "serverless-package-python-functions", "serverless-python-individually", "serverless-plugin-monorepo",
})
_MAX_PATTERNS = 200
_MAX_ALTERNATIVES = 32
_UNSUPPORTED = re.compile(r"[()|]|\$\{|\{[^{}]*\.\.[^{}]*\}")


class _Unread(Exception):
    """A setting whose meaning the review cannot state exactly."""


def package_contents(service: Any, config: LocatedMap, plugins: Iterable[str]) -> PackageContents | None:
    """The files `config`'s function ships of the service `service` (a `ServiceBase`: its
    directory, document, workspace and variables), or None when its package is every file, a
    prebuilt artifact, or not known exactly."""
    if "image" in config or any(plugin in PACKAGING_PLUGINS for plugin in plugins):
        return None
    service_package = _mapping(service, service.document.get("package"))
    function_package = _mapping(service, config.get("package"))
    if service_package is None or function_package is None:
        return None
    if "artifact" in function_package or "artifact" in service_package:
        return None
    try:
        individually = _flag(service, service_package.get("individually")) or \
            _flag(service, function_package.get("individually"))
        owners = [service_package, function_package] if individually else [service_package]
        excludes = _union(_patterns(service, owner, "exclude") for owner in owners)
        includes = _union(_patterns(service, owner, key) for owner in owners for key in ("include", "patterns"))
        if not excludes and not includes:
            return None
        ordered = [pattern[1:] if pattern.startswith("!") else f"!{pattern}"
                   for pattern in _union([list(DEFAULT_EXCLUDES), excludes])]
        ordered.extend(includes)
        rules = tuple(_rule(service, pattern) for pattern in ordered[:_MAX_PATTERNS + len(DEFAULT_EXCLUDES)])
    except _Unread:
        return None
    stated = next((owner for owner in reversed(owners) if any(key in owner for key in ("exclude", "include", "patterns"))),
                  service_package)
    key = next((key for key in ("patterns", "include", "exclude") if key in stated), "package")
    return PackageContents(service.directory, rules, service.at(stated, stated.line_of(key)))


def _mapping(service: Any, value: Any) -> LocatedMap | None:
    """`package:` as a mapping (an empty one when absent); None when it is a value not resolved."""
    if value is None:
        return LocatedMap()
    resolved = service.resolved(value)
    return resolved if isinstance(resolved, LocatedMap) else None


def _flag(service: Any, value: Any) -> bool:
    """`individually: true`; `_Unread` when it is a variable the review does not resolve."""
    if value is None:
        return False
    text = service.text(value)
    if text is None:
        raise _Unread("individually")
    return text.lower() == "true"


def _patterns(service: Any, owner: LocatedMap, key: str) -> list[str]:
    """The patterns of `owner[key]`, variables resolved; `_Unread` when one is not a plain string."""
    if key not in owner:
        return []
    value = service.resolved(owner[key])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, LocatedList)) or len(value) > _MAX_PATTERNS:
        raise _Unread(key)
    patterns = []
    for item in value:
        text = service.text(item)
        if text is None or not text:
            raise _Unread(key)
        patterns.append(text)
    return patterns


def _union(lists: Iterable[list[str]]) -> list[str]:
    """lodash's `_.union`: every pattern once, at its first place."""
    seen: dict[str, None] = {}
    for patterns in lists:
        for pattern in patterns:
            seen.setdefault(pattern, None)
    return list(seen)


def _rule(service: Any, pattern: str) -> tuple[bool, tuple[Glob, ...]]:
    """(ships, the pattern's globs) of one pattern as the Framework applies it (`!` takes out);
    each brace alternative is one glob of path segments (reviewer.path_globs)."""
    ships = not pattern.startswith("!")
    body = pattern if ships else pattern[1:]
    while body.startswith("./"):
        body = body[2:]
    if not body or body.startswith(("!", "/", "../")) or "/../" in f"/{body}" or body.endswith("/") \
            or "\\" in body or _UNSUPPORTED.search(body):
        raise _Unread(pattern)
    if not re.search(r"[*?\[{]", body):
        target = service.workspace.resolve(f"{service.directory}/{body}" if service.directory not in ("", ".") else body)
        if target is None or service.workspace.is_dir(target):
            raise _Unread(pattern)   # a bare folder name: matched by no file in micromatch, by its files elsewhere
    return ships, tuple(_glob(alternative) for alternative in _expanded(body))


def _expanded(pattern: str) -> list[str]:
    """Brace expansion (`{src,lib}/**`), innermost first; `_Unread` past a few alternatives."""
    results, pending = [], [pattern]
    while pending:
        current = pending.pop()
        match = re.search(r"\{([^{}]*)\}", current)
        if match is None:
            results.append(current)
        elif "," not in match.group(1):
            raise _Unread(pattern)
        else:
            pending.extend(current[:match.start()] + option + current[match.end():]
                           for option in match.group(1).split(","))
        if len(results) + len(pending) > _MAX_ALTERNATIVES:
            raise _Unread(pattern)
    return results


def _glob(pattern: str) -> Glob:
    """One brace-free pattern as path segments (`**` runs of whole segments); `_Unread` for a
    segment whose `[...]` this reader does not take."""
    segments = tuple(pattern.split("/"))
    for segment in segments:
        if segment != "**" and not is_valid_segment(segment):
            raise _Unread(pattern)
    return segments