#!/usr/bin/env python3
"""Coverage-guided fuzz targets (atheris) for every reader of untrusted input.

Not collected by pytest (the file name does not start with `test_`); the property tests in
tests/test_parsers_fuzz.py are the fast, reproducible version that runs in CI. Run one target:

    .venv/bin/python tests/fuzz/fuzz_parsers.py TARGET [libFuzzer options, e.g. -runs=20000 -max_len=4096]

A target fails only on an exception its reader does not document (a crash is a bug): readers of
repository files must answer with findings or notices, the event and artifact readers with their
own error types. See tests/fuzz/README.md.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from reviewer import markdown
    from reviewer.action import ActionError, read_pull_request_event
    from reviewer.code.dependency_files import read_dependency_files
    from reviewer.config import Settings
    from reviewer.inventory import build_inventory
    from reviewer.located import DocumentError, load_yaml
    from reviewer.publish.artifact import ArtifactError, read_artifact
    from reviewer.review.diff import diff_map_from_unified, file_diff_from_github_patch
    from reviewer.scan import scan_checkout
    from reviewer.workspace import Workspace

WORKDIR = Path(tempfile.mkdtemp(prefix="lambda-review-atheris-"))
SETTINGS = Settings()


def _fresh_workspace(files: dict[str, bytes]) -> Path:
    root = WORKDIR / "workspace"
    shutil.rmtree(root, ignore_errors=True)
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def yaml(data: bytes) -> None:
    try:
        load_yaml(_text(data))
    except DocumentError:
        pass


def template(data: bytes) -> None:
    root = _fresh_workspace({"template.yaml": b"AWSTemplateFormatVersion: '2010-09-09'\n" + data,
                             "src/app.py": b"def handler(event, context):\n    return event\n"})
    scan_checkout(root, SETTINGS)


def serverless(data: bytes) -> None:
    root = _fresh_workspace({"serverless.yml": data, "src/handler.py": b"def main(e, c):\n    return 1\n"})
    build_inventory(Workspace(root))


def terraform(data: bytes) -> None:
    root = _fresh_workspace({"main.tf": b'resource "aws_lambda_function" "f" {}\n' + data})
    build_inventory(Workspace(root))


def dockerfile(data: bytes) -> None:
    build_inventory(Workspace(_fresh_workspace({"Dockerfile": data})))


def requirements(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    name = provider.PickValueInList(["requirements.txt", "pyproject.toml", "poetry.lock", "uv.lock",
                                     "Pipfile.lock", "pylock.toml"])
    read_dependency_files(Workspace(_fresh_workspace({name: provider.ConsumeBytes(len(data)),
                                                      "sub/req.txt": b"-r ../requirements.txt\n"})), ".")


def patch(data: bytes) -> None:
    file_diff_from_github_patch("template.yaml", _text(data))


def unified(data: bytes) -> None:
    diff_map_from_unified(_text(data))


def event(data: bytes) -> None:
    path = WORKDIR / "event.json"
    path.write_bytes(data)
    try:
        read_pull_request_event(str(path), "acme/orders")
    except ActionError:
        pass


def artifact(data: bytes) -> None:
    path = WORKDIR / "findings.json"
    path.write_bytes(data)
    try:
        read_artifact(path)
    except ArtifactError:
        pass


def escaping(data: bytes) -> None:
    """No text may close a code span early or leave a live mention, HTML or marker in prose."""
    value = _text(data)
    span = str(markdown.code(value))
    fence = span[: len(span) - len(span.lstrip("`"))]
    inner = span[len(fence):-len(fence)]
    if fence in inner or "<!--" in span:
        raise AssertionError(f"code span can be closed early: {span!r}")
    prose = str(markdown.text(value))
    if "<" in prose or ">" in prose or "\n" in prose:
        raise AssertionError(f"prose keeps markup: {prose!r}")
    json.dumps(prose, ensure_ascii=False).encode("utf-8")


TARGETS = {function.__name__: function for function in (
    yaml, template, serverless, terraform, dockerfile, requirements, patch, unified, event, artifact, escaping)}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
