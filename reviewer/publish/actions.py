"""GitHub Actions workflow files and commands: outputs, job summary, annotations, secret masking.

These work with any token, including the read-only one of fork pull requests, so they are the
fallback that always carries the result.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Callable, TextIO

from reviewer.model import Finding, Severity

# GitHub shows 10 annotations of each level per step; more are dropped from the UI.
ANNOTATIONS_PER_LEVEL = 10
JOB_SUMMARY_LIMIT = 1024 * 1024 - 1024


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def mask(secret: str, stream: TextIO) -> None:
    """Ask the runner to hide `secret` from the log before anything else is printed."""
    if secret:
        stream.write(f"::add-mask::{_escape_data(secret)}\n")


def write_untrusted(text: str, stream: TextIO) -> None:
    """Print text that quotes the repository (the findings report) without letting a line of it act
    as a workflow command: the runner ignores `::command::` lines between `::stop-commands::TOKEN`
    and `::TOKEN::`, and the token is random, so the text cannot end the pause early."""
    token = uuid.uuid4().hex
    stream.write(f"::stop-commands::{token}\n")
    stream.write(text if text.endswith("\n") else text + "\n")
    stream.write(f"::{token}::\n")


def annotation(finding: Finding, plain_message: str) -> str:
    level = finding.severity.value
    properties = f"file={_escape_property(finding.path)},line={finding.line}"
    if finding.end_line and finding.end_line > finding.line:
        properties += f",endLine={finding.end_line}"
    properties += f",title={_escape_property(finding.rule_id + ' ' + finding.title)}"
    return f"::{level} {properties}::{_escape_data(plain_message)}"


def write_annotations(findings: list[Finding], stream: TextIO, plain: Callable[[str], str]) -> None:
    """Most severe first, at most what the UI displays per level; the rest are in the job summary."""
    shown: dict[Severity, int] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        if shown.get(finding.severity, 0) >= ANNOTATIONS_PER_LEVEL:
            continue
        shown[finding.severity] = shown.get(finding.severity, 0) + 1
        stream.write(annotation(finding, plain(finding.message)) + "\n")


def write_outputs(outputs: dict[str, str], path: str | None) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            if "\n" in value:
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                handle.write(f"{name}={value}\n")


def write_job_summary(markdown_text: str, path: str | None) -> None:
    """Append to the step summary; the caller keeps it under GitHub's 1 MiB (see render_bounded)."""
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(markdown_text)


def running_in_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def step_summary_path() -> str | None:
    return os.environ.get("GITHUB_STEP_SUMMARY")


def output_path() -> str | None:
    return os.environ.get("GITHUB_OUTPUT")


def write_file(path: Path, content: str, workspace: Path | None = None) -> None:
    """A report file, written through reviewer.output_files (never through a committed link)."""
    from reviewer.output_files import write_output_file

    write_output_file(path, content, workspace)
