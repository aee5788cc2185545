"""A deployed function judged by the repository's own analyzers, plus the checks only a live account has.

Each deployed function becomes a model `Function` whose every property is "declared" at a
location unique to it (its ARN), so the runtime lifecycle (LR100–LR105), exposure (LR302,
LR303), code-signing (LR400) and execution role (LR300, LR301: the policies of its role, read
once per role by roles.py) analyzers judge it exactly as they judge a template, and never
merge two functions into one finding. The findings then lose that pseudo-location and carry the
resource, region and account instead. Secrets (LR304) use the template check's own test with a
message about a configuration rather than a file; LR202, LR401 and LR107 read what only an
account says.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer import markdown
from reviewer.account.listing import DeployedFunction
from reviewer.analyzers.interface import AnalysisContext
from reviewer.config import Settings
from reviewer.data.lifecycle import RuntimeStatus, load_lifecycle
from reviewer.inventory.interface import InventoryResult
from reviewer.account.roles import ExecutionRole
from reviewer.inventory.iam import statements_from_document
from reviewer.findings import Finding, Severity
from reviewer.model import Function, FunctionUrl, InvokePermission, Location, ManagedPolicy, PolicyStatement
from reviewer.rules import LR107, LR202, LR304, LR401, Rule
from reviewer.wording import sentence
from reviewer.workspace import Workspace

DEPLOYED_FORMAT = "deployed"
# The words naming where a role's statement comes from.
POLICY_SOURCES = "account.txt.j2"


def as_declared(deployed: DeployedFunction) -> Function:
    """The model's view of a deployed function; its location is its ARN, line 1."""
    where = Location(deployed.arn, 1)
    function = Function(
        name=deployed.name, format=DEPLOYED_FORMAT, location=where, runtime=deployed.runtime,
        package_type=deployed.package_type, update_runtime_on=deployed.update_runtime_on,
        environment=dict(deployed.environment), recursive_loop=deployed.recursive_loop,
        # LR401 is judged here from the event source mappings, not by the template rule.
        published=True,
    )
    if deployed.is_image and deployed.runtime is None:
        function.runtime = None
    if deployed.code_signing_config:
        function.code_signing = where
    if not deployed.code_signing_known:
        function.unresolved["CodeSigningConfigArn"] = "not read"
    if deployed.url_auth_type:
        function.url = FunctionUrl(deployed.url_auth_type, where)
    function.permissions = list(permissions(deployed.policy, where))
    if deployed.execution_role is not None:
        function.policy_statements, function.managed_policies = role_policies(deployed.execution_role, where)
    return function


def role_policies(role: ExecutionRole, where: Location) -> tuple[list[PolicyStatement], list[ManagedPolicy]]:
    """The execution role's statements and AWS managed policies as a template's reader gives them,
    each with its source naming the role and the policy, so the role check (LR300, LR301) judges
    them in its own words."""
    statements: list[PolicyStatement] = []
    managed: list[ManagedPolicy] = []
    for policy in role.policies:
        source = sentence(POLICY_SOURCES, "deployed_policy_source", kind=policy.kind, policy=_bare(policy.name),
                          role=_bare(role.name))
        if policy.kind == "aws":
            managed.append(ManagedPolicy(policy.arn, where, source=source))
        else:
            statements.extend(statements_from_document(policy.document, where.path, source, str))
    return statements, managed


def _bare(name: str) -> str:
    """A role or policy name as a code span of the source: IAM's names hold no backtick, but an
    endpoint's answer is not trusted to keep to that."""
    return name.replace("`", "'")


def permissions(policy: dict[str, Any] | None, where: Location) -> Iterator[InvokePermission]:
    """Allow statements of a function's resource-based policy, as the IaC readers express them."""
    statements = (policy or {}).get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        raw_condition = statement.get("Condition")
        condition: dict[str, Any] = raw_condition if isinstance(raw_condition, dict) else {}
        action = statement.get("Action")
        action = action[0] if isinstance(action, list) and action else action
        resource = str(statement.get("Resource") or "")
        qualifier = resource.split(":")[7] if resource.count(":") >= 7 else None
        for principal in _principals(statement.get("Principal")):
            yield InvokePermission(
                principal=principal, location=where, qualifier=qualifier,
                source_arn=_condition(condition, "aws:sourcearn"),
                source_account=_condition(condition, "aws:sourceaccount"),
                action=str(action) if action else None,
                principal_org_id=_condition(condition, "aws:principalorgid"),
                function_url_auth_type=_condition(condition, "lambda:functionurlauthtype"),
                invoked_via_function_url=_via_function_url(statement, condition),
            )


def _via_function_url(statement: dict[str, Any], condition: dict[str, Any]) -> bool:
    """Whether the statement holds only for calls through the function URL: the condition
    `lambda:InvokedViaFunctionUrl` is true (emulators write the flag on the statement itself)."""
    value = _condition(condition, "lambda:invokedviafunctionurl")
    if value is None:
        value = str(statement.get("InvokedViaFunctionUrl", ""))
    return value.strip().lower() == "true"


def _principals(principal: Any) -> Iterator[str]:
    if isinstance(principal, str):
        yield principal
        return
    if isinstance(principal, dict):
        for value in principal.values():
            for item in value if isinstance(value, list) else [value]:
                yield str(item)


def _condition(condition: dict[str, Any], key: str) -> str | None:
    for operator in condition.values():
        if isinstance(operator, dict):
            for name, value in operator.items():
                if str(name).lower() == key:
                    return str(value[0] if isinstance(value, list) and value else value)
    return None


def judge(functions: list[DeployedFunction], layers: dict[str, tuple[str, ...]], settings: Settings) -> list[Finding]:
    """Every finding about these deployed functions (one account, any regions)."""
    from reviewer.analyzers.deployment import DeploymentAnalyzer
    from reviewer.analyzers.exposure import ExposureAnalyzer
    from reviewer.analyzers.iam import RolePermissionsAnalyzer
    from reviewer.analyzers.runtimes import RuntimeLifecycleAnalyzer

    by_arn = {function.arn: function for function in functions}
    declared = [as_declared(function) for function in functions]
    with tempfile.TemporaryDirectory(prefix="lambda-review-account-") as empty:
        # An empty workspace: nothing to read, so no suggestion quotes a line of any file.
        context = AnalysisContext(Workspace(Path(empty)), InventoryResult(functions=declared), settings)
        raw: list[Finding] = []
        for analyzer in (RuntimeLifecycleAnalyzer(), ExposureAnalyzer(), DeploymentAnalyzer(),
                         RolePermissionsAnalyzer()):
            raw.extend(analyzer.analyze(context))
    raw.extend(_plain_secrets(functions))
    raw.extend(_recursion_allowed(functions))
    raw.extend(_latest_only(functions))
    raw.extend(_layers_on_deprecated_runtimes(functions, layers, settings))
    return [_deployed(finding, by_arn) for finding in raw if finding.path in by_arn]


def _deployed(finding: Finding, by_arn: dict[str, DeployedFunction]) -> Finding:
    function = by_arn[finding.path]
    return replace(finding, path="", line=0, end_line=None, suggestion=None, related=[], function=function.name,
                   resource=function.arn, region=function.region, account=function.account)


def _finding(rule: Rule, function: DeployedFunction, message: str, evidence: str,
             severity: Severity | None = None) -> Finding:
    return rule.finding(message, function.arn, 1, severity=severity, function=function.name, evidence=evidence)


def _plain_secrets(functions: Iterable[DeployedFunction]) -> Iterator[Finding]:
    """LR304 with the template check's own test (`judge_secret`) and its severity; the value is measured,
    never shown. A placeholder (`changeme`) is a notice, as in a template: no secret is exposed, so
    nothing is to be rotated, but the function runs with a value anyone can guess."""
    from reviewer.analyzers.secrets import judge_secret

    for function in functions:
        for name, value in sorted(function.environment.items()):
            judged = judge_secret(name, value, literal=True)
            if judged is None:
                continue
            reason, severity = judged
            if severity is Severity.NOTICE:
                yield _finding(LR304, function, (
                    f"The environment variable {markdown.code(name)} of {markdown.code(function.name)} {reason}: "
                    "it is not a secret itself, but it is the value the deployed function runs with, so code "
                    "that checks or signs with it uses a value anyone can guess. The real secret belongs in "
                    "Secrets Manager or an SSM SecureString parameter, fetched when the function runs, rather "
                    "than in the configuration, where anyone allowed `lambda:GetFunctionConfiguration` reads it."),
                    f"plain-secret env {name} placeholder", severity)
                continue
            kind = "shape" if reason.startswith("has the shape") else "name"
            yield _finding(LR304, function, (
                f"The environment variable {markdown.code(name)} of {markdown.code(function.name)} {reason}. Its "
                f"value ({len(value)} characters; the review does not repeat it) is stored in plain text in the "
                "function's configuration: anyone allowed `lambda:GetFunctionConfiguration` or "
                "`lambda:ListFunctions` reads it, and the console shows it. Keeping it in Secrets Manager or an SSM "
                "SecureString parameter and having the code fetch it keeps it out of the configuration; the "
                "exposed value should be rotated."), f"plain-secret env {name} {kind}")


def _recursion_allowed(functions: Iterable[DeployedFunction]) -> Iterator[Finding]:
    for function in functions:
        if (function.recursive_loop or "").strip().lower() != "allow":
            continue
        yield _finding(LR202, function, (
            f"{markdown.code(function.name)} has its recursion setting at `Allow` (GetFunctionRecursionConfig): "
            "when Lambda detects that the function runs in a recursive loop through SQS, SNS or S3, it lets "
            "the loop go on instead of stopping it, so an accidental loop runs and bills until someone "
            "notices. `Terminate` (the default) keeps the protection; a function meant to loop is safer with "
            "a visible bound in its code."), "RecursiveLoop=Allow")


def _latest_only(functions: Iterable[DeployedFunction]) -> Iterator[Finding]:
    for function in functions:
        if not function.latest_event_sources or function.published_versions != 0:
            continue
        sources = function.latest_event_sources
        shown = ", ".join(str(markdown.code(source)) for source in sources[:5])
        more = f" and {len(sources) - 5} more" if len(sources) > 5 else ""
        yield _finding(LR401, function, (
            f"{markdown.code(function.name)} is invoked by the event source mapping of {shown}{more}, which "
            "names the unqualified function (`$LATEST`), and no version of it is published. Each deployment "
            "then replaces the running code in place: there is no immutable version to return to in one "
            "step, no gradual rollout, and no numbered record of what ran when. Publishing versions behind "
            "an alias and mapping the event source to the alias gives all three."), "latest-only")


def _layers_on_deprecated_runtimes(functions: Iterable[DeployedFunction], layers: dict[str, tuple[str, ...]],
                                   settings: Settings) -> Iterator[Finding]:
    table = load_lifecycle()
    for function in functions:
        for arn in function.layers:
            runtimes = layers.get(arn) or ()
            entries = [table.get(runtime) for runtime in runtimes]
            if not entries or any(entry is None or entry.status_on(settings.reference_date) is RuntimeStatus.SUPPORTED
                                  for entry in entries):
                continue
            listed = ", ".join(str(markdown.code(runtime)) for runtime in runtimes)
            yield _finding(LR107, function, (
                f"{markdown.code(function.name)} uses the layer {markdown.code(arn)}, whose version declares "
                f"itself compatible with {listed} only, all deprecated on {settings.reference_date}. The layer "
                "needs a new build for the runtime the function moves to, and what it bundles may be as old as "
                "those runtimes."), f"layer {arn}")
