"""The rule catalogue: the one place that says what each rule id means.

`lambda-review rules`, `lambda-review explain`, SARIF `rules[]` and docs/rules.md all read these
entries, so a rule's title, default severity, rationale and fix are written exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.model import Severity

RUNTIMES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
RUNTIME_UPDATES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
SHARED_RESPONSIBILITY_DOC = (
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-security.html"
)
PROJECT_DOC = "https://github.com/lambda-review/lambda-review#rules"


@dataclass(frozen=True)
class Rule:
    """Metadata of one public rule id; the check itself lives in an analyzer."""

    id: str
    title: str
    severity: Severity
    rationale: str
    fix: str
    bad_example: str
    good_example: str
    help_url: str

    def explain(self) -> str:
        """The user documentation of the rule, as `lambda-review explain` prints it."""
        return (
            f"{self.id}: {self.title}\n"
            f"Default severity: {self.severity.value}\n\n"
            f"Why it matters\n  {self.rationale}\n\n"
            f"How to fix it\n  {self.fix}\n\n"
            f"Flagged\n{_indent(self.bad_example)}\n\n"
            f"Not flagged\n{_indent(self.good_example)}\n\n"
            f"Reference: {self.help_url}\n"
        )


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip("\n").splitlines())


_RULES: tuple[Rule, ...] = (
    Rule(
        id="LR100",
        title="Runtime is deprecated",
        severity=Severity.WARNING,
        rationale=(
            "After its deprecation date a Lambda runtime receives no security patches and no "
            "technical support. Functions keep running, but later AWS blocks creating and then "
            "updating functions that use it."
        ),
        fix="Move the function to the successor runtime of the same language and test it.",
        bad_example="Runtime: python3.9",
        good_example="Runtime: python3.14",
        help_url=RUNTIMES_DOC,
    ),
    Rule(
        id="LR101",
        title="Runtime is blocked for function creation or update",
        severity=Severity.ERROR,
        rationale=(
            "Lambda refuses to create functions with this runtime, and after the update-block "
            "date also refuses to update their code or configuration: a deployment of this "
            "template fails, and a fix to a running function can no longer be shipped."
        ),
        fix="Move the function to the successor runtime of the same language before deploying.",
        bad_example="Runtime: nodejs14.x",
        good_example="Runtime: nodejs24.x",
        help_url=RUNTIMES_DOC,
    ),
    Rule(
        id="LR102",
        title="Runtime deprecation is near",
        severity=Severity.NOTICE,
        rationale=(
            "The runtime reaches its deprecation date within the configured warning window "
            "(`runtime-warning-days`, 180 by default). Planning the upgrade now avoids a rushed "
            "migration once patches stop."
        ),
        fix="Schedule the move to the successor runtime of the same language.",
        bad_example="Runtime: nodejs22.x   # deprecated 2027-04-30",
        good_example="Runtime: nodejs24.x",
        help_url=RUNTIMES_DOC,
    ),
    Rule(
        id="LR103",
        title="Runtime identifier is not one Lambda accepts",
        severity=Severity.ERROR,
        rationale=(
            "Lambda rejects a function whose runtime is not in its list of identifiers, so the "
            "deployment fails. The list is botocore's Lambda service model, so identifiers AWS "
            "released recently are recognised and typos are not."
        ),
        fix="Use an identifier from the Lambda runtimes table; the message names the closest valid ones.",
        bad_example="Runtime: python3.1O",
        good_example="Runtime: python3.13",
        help_url=RUNTIMES_DOC,
    ),
    Rule(
        id="LR104",
        title="OS-only runtime: the function owner patches the runtime",
        severity=Severity.NOTICE,
        rationale=(
            "With an OS-only runtime (`provided`, `provided.al2`, `provided.al2023`) Lambda "
            "patches the operating system only. The language runtime, the bootstrap and "
            "everything it bundles are the owner's to keep up to date under the shared "
            "responsibility model."
        ),
        fix=(
            "Rebuild and redeploy the function whenever its toolchain or bundled runtime gets a "
            "security fix, or use a managed runtime where one exists for the language."
        ),
        bad_example="Runtime: provided.al2023   # Go binary built once in 2024",
        good_example="Runtime: provided.al2023   # rebuilt by CI on every Go security release",
        help_url=SHARED_RESPONSIBILITY_DOC,
    ),
    Rule(
        id="LR105",
        title="Runtime updates are pinned to Manual",
        severity=Severity.WARNING,
        rationale=(
            "`UpdateRuntimeOn: Manual` pins the function to one runtime version indefinitely: it "
            "stops receiving runtime security patches. AWS meant this mode for a short rollback "
            "after an incompatible runtime update."
        ),
        fix="Use `UpdateRuntimeOn: Auto` (the default), or `FunctionUpdate` if patches must ship with deployments.",
        bad_example="RuntimeManagementConfig:\n  UpdateRuntimeOn: Manual",
        good_example="RuntimeManagementConfig:\n  UpdateRuntimeOn: Auto",
        help_url=RUNTIME_UPDATES_DOC,
    ),
    Rule(
        id="LR900",
        title="An analysis engine did not run",
        severity=Severity.NOTICE,
        rationale=(
            "One engine could not run (for example the dependency audit could not reach its "
            "vulnerability service). The rest of the review went on, but its results are "
            "incomplete."
        ),
        fix="Read the reason in the message; fix the configuration or network access and re-run.",
        bad_example="osv-url: https://unreachable.example",
        good_example="osv-url left at its default",
        help_url=PROJECT_DOC,
    ),
    Rule(
        id="LR901",
        title="A file could not be parsed",
        severity=Severity.NOTICE,
        rationale=(
            "A file that looks like infrastructure code could not be read (syntax error, "
            "binary content, wrong encoding). Functions it declares were not reviewed."
        ),
        fix="Fix the syntax or encoding so the file parses (CloudFormation would reject it too).",
        bad_example="Resources:\n  Fn: {Type: AWS::Serverless::Function",
        good_example="Resources:\n  Fn: {Type: AWS::Serverless::Function}",
        help_url=PROJECT_DOC,
    ),
    Rule(
        id="LR902",
        title="A file was skipped to keep the review bounded",
        severity=Severity.NOTICE,
        rationale=(
            "The file was larger than `max-file-size`, expanded beyond the YAML alias limit, or "
            "is a link that leads outside the workspace. It was not read, so anything it "
            "declares was not reviewed."
        ),
        fix="Keep infrastructure files small and inside the repository, or raise `max-file-size`.",
        bad_example="template.yaml -> /etc/passwd",
        good_example="template.yaml as a regular file in the repository",
        help_url=PROJECT_DOC,
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def get_rule(rule_id: str) -> Rule | None:
    """The catalogue entry for `rule_id` (case-insensitive), or None."""
    return RULES.get(rule_id.upper())
