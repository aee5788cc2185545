"""GitHub Actions workflow files and commands: outputs, job summary, annotations, secret masking.

These work with any token, including the read-only one of fork pull requests, so they are the
fallback that always carries the result.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

from reviewer.findings import Finding, Severity

if TYPE_CHECKING:
    from reviewer.publish.github import PullRequestPublisher
    from reviewer.review.outcome import ReviewOutcome

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


# ---------------------------------------------------------------- publishers (reviewer.publish.interface)


class JobSummary:
    """The job summary: the summary's facts, within GitHub's size limit."""

    def __init__(self, path: str | None) -> None:
        self.path = path

    def publish(self, outcome: ReviewOutcome) -> None:
        from reviewer.publish.render import render_bounded

        # Characters, not bytes: a quarter of the byte limit is safe whatever the script.
        write_job_summary(render_bounded("job_summary.md.j2", JOB_SUMMARY_LIMIT // 4, facts=outcome.facts), self.path)


class Annotations:
    """Workflow-command annotations on the new findings' lines."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def publish(self, outcome: ReviewOutcome) -> None:
        from reviewer import markdown

        write_annotations(outcome.plan.new, self.stream, markdown.plain)


class ActionOutputs:
    """The step's outputs: counts, the conclusion, the SARIF file, and the links of what was posted."""

    def __init__(self, path: str | None, sarif_file: str, pull_request: PullRequestPublisher | None = None) -> None:
        self.path = path
        self.sarif_file = sarif_file
        self.pull_request = pull_request

    def publish(self, outcome: ReviewOutcome) -> None:
        posted = self.pull_request.result if self.pull_request is not None else None
        errors = sum(1 for finding in outcome.plan.findings if finding.severity.value == "error")
        write_outputs({
            "findings": str(len(outcome.plan.findings)),
            "new-findings": str(len(outcome.plan.new)),
            "errors": str(errors),
            "sarif-file": self.sarif_file,
            "conclusion": outcome.conclusion,
            "review-url": posted.review_url if posted is not None else "",
            "summary-url": posted.summary_url if posted is not None else "",
        }, self.path)
