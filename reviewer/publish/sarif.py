"""SARIF 2.1.0 for GitHub code scanning: one run, the rules used, stable fingerprints.

Code scanning ranks security alerts by each rule's `security-severity` and files them under the
CWE tags (`external/cwe/cwe-78`). A notice about the run itself (LR900: an engine did not run) is
a tool execution notification, not an alert on a line. The run carries `automationDetails.id` only
when a category is given: otherwise upload-sarif's own `category` tells the runs of a matrix apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from reviewer import __version__, markdown
from reviewer.findings import Finding
from reviewer.output_files import write_output_file
from reviewer.publish.json_text import dumps_indented
from reviewer.rules import RULES

if TYPE_CHECKING:
    from reviewer.review.outcome import ReviewOutcome

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "lambdaReview/v1"
_MAX_TEXT = 1024
# Code scanning rejects a run with more results than this; keep the most severe.
MAX_RESULTS = 25_000
_MAX_MESSAGE = 20_000
# Rules whose findings are about the run, not about a line of the repository.
RUN_NOTICE_RULES = frozenset({"LR900"})
# Code scanning's scale: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, below 4.0 low.
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.5", "notice": "2.0"}
_SECURITY_SEVERITY_OF_RULE = {"LR302": "9.1", "LR304": "8.8", "LR300": "8.2", "LR500": "7.5"}
_CWE_IN_MESSAGE = re.compile(r"\[CWE-(\d{1,5})\]")


def _properties(rule_id: str, level: str, message: str) -> dict[str, Any]:
    rule = RULES.get(rule_id)
    cwes = list(rule.cwes) if rule is not None else []
    if not cwes and (match := _CWE_IN_MESSAGE.search(message)):
        cwes = [int(match.group(1))]
    tags = ["security", "lambda", *(f"external/cwe/cwe-{cwe}" for cwe in cwes)]
    return {"tags": tags,
            "security-severity": _SECURITY_SEVERITY_OF_RULE.get(rule_id, _SECURITY_SEVERITY[level])}


def _rule_descriptor(finding: Finding) -> dict[str, Any]:
    rule = RULES.get(finding.rule_id)
    if rule is None:
        return {
            "id": finding.rule_id,
            "name": finding.rule_id.replace("/", "_"),
            "shortDescription": {"text": finding.title[:_MAX_TEXT]},
            "fullDescription": {"text": finding.title[:_MAX_TEXT]},
            "help": {"text": f"See {finding.help_url or 'the engine documentation'}."},
            "helpUri": finding.help_url or "",
            "defaultConfiguration": {"level": finding.severity.sarif_level},
            "properties": _properties(finding.rule_id, finding.severity.value, finding.message),
        }
    return {
        "id": rule.id,
        "name": rule.title.title().replace(" ", "").replace(":", "")[:100],
        "shortDescription": {"text": rule.title[:_MAX_TEXT]},
        "fullDescription": {"text": rule.rationale[:_MAX_TEXT]},
        "help": {"text": rule.explain(), "markdown": f"{rule.rationale}\n\n**Fix:** {rule.fix}"},
        "helpUri": rule.help_url,
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": _properties(rule.id, rule.severity.value, ""),
    }


def _notification(finding: Finding) -> dict[str, Any]:
    return {"level": finding.severity.sarif_level,
            "message": {"text": _plain(finding)[:_MAX_MESSAGE]},
            "descriptor": {"id": finding.rule_id},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"}}}]}


def to_sarif(findings: list[Finding], category: str | None = None, errors: Iterable[str] = ()) -> dict[str, Any]:
    """The report of one run. `category` sets `automationDetails.id`; `errors` (a run that stopped,
    exit code 2) become error notifications of an unsuccessful invocation."""
    run_notices = [finding for finding in findings if finding.rule_id in RUN_NOTICE_RULES]
    findings = sorted((f for f in findings if f.rule_id not in RUN_NOTICE_RULES), key=Finding.sort_key)[:MAX_RESULTS]
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        rules.setdefault(finding.rule_id, _rule_descriptor(finding))
    rule_index = {rule_id: index for index, rule_id in enumerate(rules)}
    results = []
    for finding in findings:
        region: dict[str, int] = {"startLine": finding.line}
        if finding.end_line and finding.end_line > finding.line:
            region["endLine"] = finding.end_line
        results.append({
            "ruleId": finding.rule_id,
            "ruleIndex": rule_index[finding.rule_id],
            "level": finding.severity.sarif_level,
            "message": {"text": _plain(finding)[:_MAX_MESSAGE]},
            "locations": [_logical_location(finding) if finding.deployed else {"physicalLocation": {
                "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                "region": region,
            }}],
            **({"relatedLocations": [
                {"id": index, "physicalLocation": {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                                                   "region": {"startLine": loc.line}}}
                for index, loc in enumerate(finding.related[:100])]} if finding.related else {}),
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
            "properties": {"engine": finding.engine, **({"function": finding.function} if finding.function else {}),
                           **({"region": finding.region, "account": finding.account} if finding.deployed else {})},
        })
    errors = list(errors)
    notifications = [*({"level": "error", "message": {"text": error[:_MAX_MESSAGE]}} for error in errors),
                     *(_notification(finding) for finding in run_notices)]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "lambda-review",
            "version": __version__,
            "informationUri": "https://github.com/lambda-review/lambda-review",
            "rules": list(rules.values()),
        }},
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    if category:
        run["automationDetails"] = {"id": f"{category.strip().rstrip('/')}/"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


DEPLOYED_URI_PREFIX = "deployed/"


def _logical_location(finding: Finding) -> dict[str, Any]:
    """A deployed resource has no file: its ARN is the logical location (SARIF 3.33).

    GitHub code scanning rejects a whole upload when a location has no physical part, so one
    that names the resource (not a file of the repository, and outside %SRCROOT%) goes with it.
    """
    resource = finding.resource or ""
    return {
        "physicalLocation": {"artifactLocation": {"uri": DEPLOYED_URI_PREFIX + resource.replace(":", "/")}},
        "logicalLocations": [{"fullyQualifiedName": resource, "name": finding.function or resource,
                              "kind": "resource"}],
    }


def _plain(finding: Finding) -> str:
    """SARIF message text is plain: keep our Markdown readable, drop the escaping backslashes."""
    text = markdown.plain(finding.message)
    return f"{finding.title}: {text}" if text else finding.title


class SarifFile:
    """The SARIF report of every finding, written where the workflow's upload step reads it (a `Publisher`)."""

    def __init__(self, path: Path, workspace: Path | None, category: str | None = None) -> None:
        self.path = path
        self.workspace = workspace
        self.category = category

    def publish(self, outcome: ReviewOutcome) -> None:
        write_output_file(self.path, dumps_indented(to_sarif(outcome.plan.findings, category=self.category))
                          + "\n", self.workspace)
