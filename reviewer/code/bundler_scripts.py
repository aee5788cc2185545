"""The entry file a package's own build script bundles into the `index.js` its function runs.

A Node.js function kept as a package of its own (`lambdas/functions/scale-up/package.json`) is
often built by `ncc build src/lambda.ts -o dist`, zipped into `scale-up.zip` beside it and deployed
by Terraform (`filename = ".../scale-up.zip"`, `handler = "index.scaleUp"`): ncc always writes the
bundle's `index.js`, so `index` is the entry file the script names. Neither the zip nor `dist/` is
in the repository; without this the handler's module was looked for by its name alone, and
`index.handler` matched whichever `index.ts` of the repository defines a `handler`, another
function's module among them.

Only the package's `scripts` are read (a few, each a short command); only `ncc build <entry>` is
taken, whose output is always `index.js`. Nothing is run.
"""

from __future__ import annotations

import json
import posixpath
import shlex

from reviewer.workspace import UnreadableFile, Workspace

ENTRY_MODULE = "index"
MANIFEST = "package.json"
MAX_SCRIPTS = 40
MAX_SCRIPT_CHARS = 400
_ENTRY_SUFFIXES = (".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")


def package_folder(workspace: Workspace, code_path: str | None) -> str | None:
    """The folder of a function's package: the code folder itself, or the folder of its archive
    (`scale-up/scale-up.zip`, built there and not in the repository)."""
    resolved = workspace.resolve(code_path) if code_path else None
    if resolved is None:
        return None
    if resolved.lower().endswith(".zip"):
        parent = posixpath.dirname(resolved)
        return parent or "."
    return resolved


def script_entry(workspace: Workspace, folder: str | None) -> str | None:
    """The entry file (repo-relative) the `package.json` of `folder` bundles with `ncc build`."""
    if folder is None:
        return None
    manifest = MANIFEST if folder in ("", ".") else f"{folder}/{MANIFEST}"
    if not workspace.exists(manifest):
        return None
    try:
        document = json.loads(workspace.read_text(manifest))
    except (UnreadableFile, ValueError):
        return None
    scripts = document.get("scripts") if isinstance(document, dict) else None
    if not isinstance(scripts, dict):
        return None
    entries = {entry for command in list(scripts.values())[:MAX_SCRIPTS]
               if isinstance(command, str) and (entry := _ncc_entry(command)) is not None}
    if len(entries) != 1:
        return None       # none, or several builds: which one is deployed is not known
    entry = workspace.resolve(posixpath.join(folder, entries.pop()) if folder not in ("", ".") else entries.pop())
    if entry is None or not entry.endswith(_ENTRY_SUFFIXES) or not workspace.exists(entry) or workspace.is_dir(entry):
        return None
    return entry


def bundled_script_file(workspace: Workspace, code_root: str, module: str) -> str | None:
    """The entry file the handler module `index` of a package built by its `ncc build` script is
    bundled from, when the package's folder holds no module of that name itself."""
    if module != ENTRY_MODULE or any(workspace.exists(f"{code_root}/{module}{suffix}") for suffix in _ENTRY_SUFFIXES):
        return None
    return script_entry(workspace, code_root)


def _ncc_entry(command: str) -> str | None:
    """`ncc build src/lambda.ts -o dist` (also after `&&`): `src/lambda.ts`."""
    if len(command) > MAX_SCRIPT_CHARS:
        return None
    for part in command.split("&&"):
        try:
            words = shlex.split(part)
        except ValueError:
            continue
        if len(words) >= 3 and words[0] == "ncc" and words[1] == "build" and not words[2].startswith("-"):
            return words[2]
    return None


__all__ = ["ENTRY_MODULE", "bundled_script_file", "package_folder", "script_entry"]
