"""The Serverless services of a workspace: their files, known without importing the reader.

The Serverless Framework reads `serverless.yml` (`.yaml`, `.json`, `.ts`, `.js`) of the folder it
runs in, unless `--config` (`-c`) names another file: a repository with two services in one
folder keeps `api.serverless.ts` and `jobs.serverless.ts` and deploys them with
`"deploy:api": "serverless deploy --config api.serverless.ts"`. Such a file has no name the
review can recognise by itself, so the scripts of each package.json are read (as JSON, their
commands split as a shell would) for a `serverless`/`sls` command with `--config`, and the file
it names, relative to that package.json, is read as a service; so is the `config` file a
serverless-compose.yml gives a service (`path: functions/api`, `config: serverless-api.yml`).
A name neither uses stays unread: `serverless.offline.ts` beside `serverless.ts` is a variant,
not another service.

A workspace without any of these files has no service, and `reviewer.inventory.deferred` does
not import the reader (and the tree-sitter reading of `serverless.ts` behind it).
"""

from __future__ import annotations

import json
import shlex
from pathlib import PurePosixPath

from reviewer.inventory.interface import parse_yaml
from reviewer.workspace import UnreadableFile, Workspace

FILE_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
SCRIPT_FILE_NAMES = ("serverless.ts", "serverless.js", "serverless.mjs", "serverless.cjs")
COMPOSE_FILE_NAMES = ("serverless-compose.yml", "serverless-compose.yaml", "serverless-compose.json")
SERVICE_EXTENSIONS = (".yml", ".yaml", ".json", ".ts", ".js", ".mjs", ".cjs")
_COMMANDS = ("serverless", "sls")
_MAX_SCRIPTS = 200


def is_script_file(rel: str) -> bool:
    return PurePosixPath(rel).name.lower() in SCRIPT_FILE_NAMES


def is_serverless_file(rel: str) -> bool:
    return PurePosixPath(rel).name.lower() in FILE_NAMES or is_script_file(rel)


def service_files(workspace: Workspace) -> list[str]:
    """Every service file: those named `serverless.*`, then those only a script or compose file names."""
    named = [rel for rel in workspace.iter_files(FILE_NAMES + SCRIPT_FILE_NAMES) if is_serverless_file(rel)]
    return named + [rel for rel in configured_services(workspace) if rel not in named]


def declares_functions(rel: str, text: str) -> bool:
    """Whether a `serverless.*` file that does not parse still has a `functions:` section."""
    return PurePosixPath(rel).name.startswith("serverless.") and "functions:" in text


def configured_services(workspace: Workspace) -> list[str]:
    """The files `--config` names in the package.json scripts of the workspace, and `config`
    names in its serverless-compose files, sorted."""
    found: set[str] = set(_composed(workspace))
    for manifest in workspace.iter_files(("package.json",)):
        if PurePosixPath(manifest).name != "package.json" or "node_modules/" in manifest:
            continue
        folder = PurePosixPath(manifest).parent
        for command in _scripts(workspace, manifest):
            for named in _config_arguments(command):
                rel = workspace.resolve(str(folder / named))
                if rel is not None and rel.lower().endswith(SERVICE_EXTENSIONS) and workspace.exists(rel) \
                        and not workspace.is_dir(rel):
                    found.add(rel)
    return sorted(found)


def _composed(workspace: Workspace) -> list[str]:
    """`services: {api: {path: functions/api, config: serverless-api.yml}}` of a
    serverless-compose.yml (`.yaml`, `.json`): each service's file, relative to the compose file."""
    found: list[str] = []
    for compose in workspace.iter_files(COMPOSE_FILE_NAMES):
        if PurePosixPath(compose).name not in COMPOSE_FILE_NAMES:
            continue
        try:
            document = parse_yaml(workspace, compose, workspace.read_text(compose), [])
        except UnreadableFile:
            continue
        services = document.get("services") if isinstance(document, dict) else None
        for service in services.values() if isinstance(services, dict) else []:
            path, config = (service.get("path"), service.get("config")) if isinstance(service, dict) else (None, None)
            if isinstance(path, str) and isinstance(config, str):
                rel = workspace.resolve(str(PurePosixPath(compose).parent / path / config))
                if rel is not None and rel.lower().endswith(SERVICE_EXTENSIONS) and workspace.exists(rel) \
                        and not workspace.is_dir(rel):
                    found.append(rel)
    return found


def _scripts(workspace: Workspace, manifest: str) -> list[str]:
    try:
        data = json.loads(workspace.read_text(manifest))
    except (UnreadableFile, ValueError, RecursionError):
        return []
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return []
    return [value for value in list(scripts.values())[:_MAX_SCRIPTS] if isinstance(value, str)]


def _config_arguments(command: str) -> list[str]:
    """`serverless deploy --config api.serverless.ts && sls deploy -c jobs.yml` → both files."""
    try:
        words = shlex.split(command, comments=False)
    except ValueError:
        return []
    found: list[str] = []
    in_serverless = False
    for index, word in enumerate(words):
        if word in ("&&", "||", ";", "|"):
            in_serverless = False
        elif PurePosixPath(word).name in _COMMANDS:
            in_serverless = True
        elif in_serverless and word in ("--config", "-c") and index + 1 < len(words):
            found.append(words[index + 1])
        elif in_serverless and word.startswith("--config="):
            found.append(word.partition("=")[2])
    return found
