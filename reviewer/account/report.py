"""What an account review prints: the scan's JSON shape, text, SARIF, and the job summary in Markdown."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reviewer import markdown
from reviewer.account.judgement import as_declared
from reviewer.account.listing import DeployedFunction
from reviewer.account.review import AccountReview
from reviewer.config import Settings
from reviewer.data.lifecycle import load_lifecycle
from reviewer.findings import Finding
from reviewer.publish.console import findings_json
from reviewer.publish.render import render
from reviewer.publish.sarif import to_sarif
from reviewer.review.plan import plan_review
from reviewer.review.summary import SummaryFacts, summarize
from reviewer.wording import counted

FAMILY_NAMES = {
    "nodejs": "Node.js", "python": "Python", "java": "Java", "dotnet": ".NET", "ruby": "Ruby",
    "go": "Go", "provided": "OS-only",
}
TRACKING_MARKER = "<!-- lambda-review:account -->"


@dataclass(frozen=True)
class RuntimeGroup:
    """One line of the summary table: functions of one runtime in one region, with its verdict."""

    family: str
    region: str
    runtime: str
    status: str
    key_date: str
    successor: str
    functions: int

    @property
    def due(self) -> bool:
        return self.status not in ("supported", "customer-managed", "preview", "see base image")


def _severity_applied(findings: list[Finding], settings: Settings) -> list[Finding]:
    from dataclasses import replace

    kept = []
    for finding in findings:
        severity = settings.severity_for(finding.rule_id, finding.severity)
        if severity is not None:
            kept.append(replace(finding, severity=severity) if severity != finding.severity else finding)
    return kept


def facts_of(review: AccountReview, settings: Settings) -> SummaryFacts:
    plan = plan_review(_severity_applied(review.findings, settings), settings, diff=None, base_fingerprints=None)
    facts = summarize(plan, [], [], settings)
    refused = [account for account in review.accounts if account.refusal]
    if refused:
        facts.notes.append(f"{len(refused)} of {len(review.accounts)} accounts refused the role and were not reviewed.")
    return facts


def runtime_groups(functions: list[DeployedFunction], settings: Settings) -> list[RuntimeGroup]:
    from reviewer.review.summary import _runtime_row

    table = load_lifecycle()
    counted: Counter[tuple[str, str, str, str, str, str]] = Counter()
    for function in functions:
        row = _runtime_row(as_declared(function), settings.reference_date, settings.runtime_warning_days)
        entry = table.get(function.runtime or "")
        family = FAMILY_NAMES.get(entry.family, entry.family) if entry else (
            "container image" if function.is_image else "unknown")
        counted[(family, function.region, row.runtime, row.status, row.key_date, row.successor)] += 1
    return [RuntimeGroup(*key, functions=count) for key, count in sorted(counted.items())]


def to_json(review: AccountReview, facts: SummaryFacts) -> dict[str, Any]:
    document = findings_json(facts)
    document["functions"] = [function.to_json() for function in review.functions]
    document["accounts"] = [account.to_json() for account in review.accounts]
    document["summary"]["regions"] = review.regions
    document["summary"]["functions"] = len(review.functions)
    document["summary"]["api_calls"] = review.calls.to_json(len(review.functions))
    return document


def _text(review: AccountReview, facts: SummaryFacts) -> str:
    blocks = []
    for finding in facts.plan.findings:
        where = finding.resource or ""
        body = "\n".join("    " + markdown.visible(line) for line in markdown.plain(finding.message).splitlines())
        blocks.append(f"{markdown.visible(where)}: {finding.severity.value} {finding.rule_id} "
                      f"{finding.title}\n{body}")
    counts = ", ".join(f"{count} {severity}" for severity, count in facts.counts.items())
    verdict = (f"{len(facts.plan.failing)} at or above fail-on={facts.fail_on}" if facts.plan.failed
               else f"none at or above fail-on={facts.fail_on}")
    tail = (f"{counted(len(review.functions), 'deployed function')} in {counted(len(review.accounts), 'account')}, "
            f"{', '.join(review.regions)}; {counted(facts.total, 'finding')} ({counts}); {verdict}; "
            f"{counted(review.calls.requests, 'API request')}.")
    return "".join(block + "\n\n" for block in blocks) + tail + "\n"


def render_account(review: AccountReview, facts: SummaryFacts, settings: Settings, fmt: str,
                   list_limit: int | None = None) -> str:
    if fmt == "json":
        return json.dumps(to_json(review, facts), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(facts.plan.findings, category="lambda-review-account"), indent=2) + "\n"
    if fmt == "markdown":
        return summary_markdown(review, facts, settings, list_limit)
    return _text(review, facts)


def summary_markdown(review: AccountReview, facts: SummaryFacts, settings: Settings,
                     list_limit: int | None = None, tie_in: list[Any] | None = None) -> str:
    context: dict[str, Any] = {"facts": facts, "review": review, "groups": runtime_groups(review.functions, settings),
                               "tie_in": tie_in or []}
    if list_limit is not None:
        context["list_limit"] = list_limit
    return render("account_summary.md.j2", **context)


def tracking_issue_body(review: AccountReview, facts: SummaryFacts, settings: Settings) -> str:
    due = [group for group in runtime_groups(review.functions, settings) if group.due]
    return render("account_issue.md.j2", facts=facts, review=review, due=due, marker=TRACKING_MARKER)
