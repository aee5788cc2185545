"""The findings artifact of the two-workflow pattern for pull requests from forks.

A `pull_request` workflow from a fork gets a read-only token, so it writes its findings to a file
and uploads it; a `workflow_run` workflow with a write token posts them. That file is written by
a workflow the fork's author controls, so it is read as hostile data: strict types and sizes,
rule ids and fingerprints checked, every text escaped again, suggestions dropped (a forged
suggestion would put someone else's code change under our name), help links only our own, and
the pull request and head commit checked against GitHub before anything is posted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer import markdown
from reviewer.located import without_surrogates
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location
from reviewer.output_files import write_output_file
from reviewer.rules import RULES

if TYPE_CHECKING:
    from reviewer.review.outcome import ReviewOutcome

ARTIFACT_VERSION = 1
MAX_ARTIFACT_BYTES = 20 * 1024 * 1024
MAX_FINDINGS = 25_000
# The functions a relayed finding several share names (the summary table shows the first few).
MAX_FINDING_FUNCTIONS = 1_000
_RULE_ID = re.compile(r"^(LR\d{3}|bandit/B\d{3})$")
_ENGINES = ("lambda-review", "bandit", "pip-audit")
_FINGERPRINT = re.compile(r"^[0-9a-f]{20}$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_BANDIT_DOCS = re.compile(r"^https://bandit\.readthedocs\.io/[A-Za-z0-9_./#-]{0,200}$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


class ArtifactError(Exception):
    """The artifact is not one we wrote; the message says which field, never its content."""


@dataclass
class FindingsArtifact:
    """The findings of a review as a file another job can read back (`lambda-review publish`)."""

    repository: str
    pull_request: int
    head_sha: str
    base_sha: str
    fail_on: str
    reference_date: dt.date
    findings: list[Finding]
    new: set[str]
    functions: list[Function]


def write_artifact(path: Path, *, workspace: Path | None = None, repository: str, pull_request: int, head_sha: str, base_sha: str,
                   fail_on: str, reference_date: dt.date, findings: list[Finding], new: set[str],
                   functions: list[Function]) -> None:
    document = {
        "version": ARTIFACT_VERSION, "repository": repository, "pull_request": pull_request,
        "head_sha": head_sha, "base_sha": base_sha, "fail_on": fail_on,
        "reference_date": reference_date.isoformat(),
        "findings": [{**finding.to_json(), "new": finding.fingerprint in new} for finding in findings],
        "functions": [function.to_json() for function in functions],
    }
    write_output_file(path, json.dumps(document), workspace)


@dataclass(frozen=True)
class FindingsFile:
    """The findings file of a read-only pull request run, for the fork relay to post (a `Publisher`)."""

    path: Path
    workspace: Path | None
    repository: str
    pull_request: int
    head_sha: str
    base_sha: str
    fail_on: str
    reference_date: dt.date

    def publish(self, outcome: ReviewOutcome) -> None:
        write_artifact(self.path, workspace=self.workspace, repository=self.repository,
                       pull_request=self.pull_request, head_sha=self.head_sha, base_sha=self.base_sha,
                       fail_on=self.fail_on, reference_date=self.reference_date, findings=outcome.plan.findings,
                       new={finding.fingerprint for finding in outcome.plan.new}, functions=outcome.functions)


def read_artifact(path: Path) -> FindingsArtifact:
    try:
        if path.is_symlink() or path.stat().st_size > MAX_ARTIFACT_BYTES:
            raise ArtifactError(f"{path.name} is a link or larger than {MAX_ARTIFACT_BYTES} bytes")
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ArtifactError(f"{path.name} is not a readable JSON findings file ({type(exc).__name__})") from None
    return _Reader(document).artifact()


def sanitize_message(message: str) -> str:
    """Keep code spans, escape everything else as plain text, line by line."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(message):
        parts.append(_plain_text(message[position:match.start()]))
        parts.append(str(markdown.code(match.group(2).strip())))
        position = match.end()
    parts.append(_plain_text(message[position:]))
    return "".join(parts)


def _plain_text(text: str) -> str:
    lines = markdown.plain(text).split("\n")
    return "\n".join(str(markdown.text(line)) if line.strip() else "" for line in lines)


class _Reader:
    """Validates the document field by field; the first bad field stops the run."""

    def __init__(self, document: Any) -> None:
        if not isinstance(document, dict):
            raise ArtifactError("the findings file is not a JSON object")
        self.document = document

    def field(self, name: str, kind: type, source: dict[str, Any] | None = None) -> Any:
        value = (source if source is not None else self.document).get(name)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
            raise ArtifactError(f"field {name!r} is missing or not a {kind.__name__}")
        return value

    def artifact(self) -> FindingsArtifact:
        if self.document.get("version") != ARTIFACT_VERSION:
            raise ArtifactError(f"unsupported findings file version (expected {ARTIFACT_VERSION})")
        repository = self.field("repository", str)
        head_sha, base_sha = self.field("head_sha", str), self.field("base_sha", str)
        if not _REPOSITORY.match(repository) or not _SHA.match(head_sha) or not _SHA.match(base_sha):
            raise ArtifactError("repository or commit ids are malformed")
        number = self.field("pull_request", int)
        fail_on = self.field("fail_on", str)
        if fail_on not in ("error", "warning", "notice", "never") or not 0 < number < 10**9:
            raise ArtifactError("fail_on or pull_request is out of range")
        try:
            reference_date = dt.date.fromisoformat(self.field("reference_date", str))
        except ValueError:
            raise ArtifactError("reference_date is not a date") from None
        raw_findings = self.field("findings", list)
        if len(raw_findings) > MAX_FINDINGS:
            raise ArtifactError(f"more than {MAX_FINDINGS} findings")
        findings, new = [], set()
        for raw in raw_findings:
            finding = self.finding(raw)
            findings.append(finding)
            if raw.get("new") is True:
                new.add(finding.fingerprint)
        functions = [self.function(raw) for raw in self.field("functions", list)[:MAX_FINDINGS]]
        return FindingsArtifact(repository, number, head_sha, base_sha, fail_on, reference_date, findings, new, functions)

    def finding(self, raw: Any) -> Finding:
        if not isinstance(raw, dict):
            raise ArtifactError("a finding is not an object")
        rule_id, fingerprint = self.field("rule_id", str, raw), self.field("fingerprint", str, raw)
        if not _RULE_ID.match(rule_id) or not _FINGERPRINT.match(fingerprint):
            raise ArtifactError("a finding has a malformed rule id or fingerprint")
        try:
            severity = Severity(self.field("severity", str, raw))
        except ValueError:
            raise ArtifactError("a finding has an unknown severity") from None
        path = _safe_path(self.field("path", str, raw))
        line = self.field("line", int, raw)
        raw_end_line = raw.get("end_line")
        end_line: int = raw_end_line if isinstance(raw_end_line, int) else line
        if not 0 < line <= end_line < 10**7:
            raise ArtifactError("a finding has lines out of range")
        rule = RULES.get(rule_id)
        help_url = rule.help_url if rule else (raw.get("help_url") if _BANDIT_DOCS.match(str(raw.get("help_url"))) else None)
        raw_function = raw.get("function")
        function = raw_function if isinstance(raw_function, str) else None
        raw_functions = raw.get("functions")
        functions = tuple(_clean(name)[:200] for name in raw_functions[:MAX_FINDING_FUNCTIONS]
                          if isinstance(name, str)) if isinstance(raw_functions, list) else ()
        raw_engine = raw.get("engine")
        engine = raw_engine if isinstance(raw_engine, str) and raw_engine in _ENGINES else "lambda-review"
        return Finding(
            rule_id=rule_id, severity=severity,
            title=rule.title if rule else _clean(str(self.field("title", str, raw)))[:200],
            message=sanitize_message(_clean(str(self.field("message", str, raw)))[:20_000]),
            path=path, line=line, end_line=end_line, function=_clean(function)[:200] if function else None,
            functions=functions, engine=engine,
            suggestion=None, help_url=help_url, known_fingerprint=fingerprint,
        )

    def function(self, raw: Any) -> Function:
        if not isinstance(raw, dict):
            raise ArtifactError("a function is not an object")
        raw_line, raw_runtime = raw.get("line"), raw.get("runtime")
        line = raw_line if isinstance(raw_line, int) else 1
        runtime = raw_runtime if isinstance(raw_runtime, str) else None
        raw_unresolved = raw.get("unresolved")
        unresolved = ({_clean(k): _clean(str(v))[:200] for k, v in raw_unresolved.items() if isinstance(k, str)}
                      if isinstance(raw_unresolved, dict) else {})
        return Function(name=_clean(str(self.field("name", str, raw)))[:200],
                        format=_clean(str(raw.get("format", "")))[:40],
                        location=Location(_safe_path(self.field("path", str, raw)), max(1, line)),
                        runtime=_clean(runtime)[:100] if runtime else None,
                        package_type="Image" if raw.get("package_type") == "Image" else "Zip",
                        unresolved=unresolved)


def _clean(text: str) -> str:
    """JSON `\\ud800` escapes decode to lone surrogates, which no UTF-8 output can carry."""
    return without_surrogates(text)


def _safe_path(path: str) -> str:
    path = _clean(path)
    parts = path.split("/")
    if not path or len(path) > 1000 or path.startswith("/") or ".." in parts or "\\" in path or "\x00" in path:
        raise ArtifactError("a path is absolute, leaves the repository or is malformed")
    return path
