"""SARIF 2.1.0 for GitHub code scanning: one run, the rules used, stable fingerprints."""

from __future__ import annotations

from typing import Any

from reviewer import __version__, markdown
from reviewer.model import Finding
from reviewer.rules import RULE_CWES, RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "lambdaReview/v1"
_MAX_TEXT = 1024
# Code scanning rejects a run with more results than this; keep the most severe.
MAX_RESULTS = 25_000
_MAX_MESSAGE = 20_000


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
        }
    return {
        "id": rule.id,
        "name": rule.title.title().replace(" ", "").replace(":", "")[:100],
        "shortDescription": {"text": rule.title[:_MAX_TEXT]},
        "fullDescription": {"text": rule.rationale[:_MAX_TEXT]},
        "help": {"text": rule.explain(), "markdown": f"{rule.rationale}\n\n**Fix:** {rule.fix}"},
        "helpUri": rule.help_url,
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": {"tags": ["security", "lambda",
                                *(f"external/cwe/cwe-{cwe}" for cwe in RULE_CWES.get(rule.id, ()))]},
    }


def to_sarif(findings: list[Finding], category: str = "lambda-review") -> dict[str, Any]:
    findings = sorted(findings, key=Finding.sort_key)[:MAX_RESULTS]
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
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                "region": region,
            }}],
            **({"relatedLocations": [
                {"id": index, "physicalLocation": {"artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                                                   "region": {"startLine": loc.line}}}
                for index, loc in enumerate(finding.related[:100])]} if finding.related else {}),
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
            "properties": {"engine": finding.engine, **({"function": finding.function} if finding.function else {})},
        })
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lambda-review",
                "version": __version__,
                "informationUri": "https://github.com/lambda-review/lambda-review",
                "rules": list(rules.values()),
            }},
            "automationDetails": {"id": f"{category}/"},
            "results": results,
        }],
    }


def _plain(finding: Finding) -> str:
    """SARIF message text is plain: keep our Markdown readable, drop the escaping backslashes."""
    text = markdown.plain(finding.message)
    return f"{finding.title}: {text}" if text else finding.title
