"""What the function's execution role allows (LR300, LR301).

Every format reader records the statements and managed policies that reach the function's role;
this module only judges them. An action is a *write* when IAM's access levels (the Service
Authorization Reference's Write, Permissions management and Tagging) call it one. botocore does not
ship that table (its service models name API operations, not IAM actions), and the whole of it is
large, so it is kept as a short verb list (`WRITE_VERBS`: Put, Delete, Send, Invoke...) and its
exceptions both ways, as data (reviewer/data/README.md): the few actions a write verb begins that
only read (`logs:StartQuery`, `bedrock:InvokeModel`, `appconfig:StartConfigurationSession`:
`read_actions`) and the writes that take a resource but begin with no write verb (`kms:Decrypt`,
`appsync:GraphQL`, `rds-data:ExecuteStatement`: `unverbed_writes`). An action newer than the data is
judged by its verb. tests/test_guardrail_iam_data.py checks the lists against IAM's action names.
An action whose service prefix IAM does not know (`iam_services`: `ecr.dkr:*`, a VPC endpoint's name)
grants nothing, and neither rule judges it.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Callable, Iterable

from markupsafe import Markup

from reviewer.analyzers.iam_sms import SMS_ACTION, SmsPublishes
from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.data import load_table
from reviewer.inventory.spelling import NAMED_RESOURCES, NOT_RESOURCE_TOPICS, SCOPED_GRANTS, spelled
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location, ManagedPolicy, PolicyStatement
from reviewer.rules import LR300, LR301
from reviewer.wording import finding_message

# The messages' words: templates/findings/iam.md.j2.
MESSAGES = "iam"

# Verbs of actions that create, change, delete, send, invoke, tag or hand out permissions. A verb
# matches at a word boundary: `Put` covers PutObject and PutRolePolicy, not "Puts". `Tag` and `Untag`
# begin the Tagging access level's actions (TagResource, UntagQueue): a tag can decide access
# (`aws:ResourceTag/...`, which LR301 itself takes as narrowing a statement), so changing one is a write.
WRITE_VERBS: tuple[str, ...] = (
    "Abort", "Add", "Associate", "AssumeRole", "Attach", "Authorize", "BatchDelete", "BatchPut",
    "BatchUpdate", "BatchWrite", "Cancel", "Change", "Copy", "Create", "Delete", "Deregister",
    "Detach", "Disable", "Disassociate", "Enable", "Import", "Invoke", "Modify", "PassRole",
    "Publish", "Purge", "Put", "Register", "Remove", "Replace", "Reset", "Restore", "Revoke", "Run",
    "Send", "Set", "Start", "Stop", "Tag", "Terminate", "Untag", "Update", "Upload", "Write",
)

# Write actions IAM authorizes only on `Resource: "*"` (no resource-level permissions, such as
# `config:PutEvaluations` or `iam:UpdateAccountPasswordPolicy`): nothing to scope, so LR301 leaves
# them alone. The list is reviewer/data/iam_unscoped_writes.json (see reviewer/data/README.md).

# The telemetry and networking every function needs, which AWS's own Lambda policies
# (AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole, the Lambda Insights and
# Application Signals policies) grant on `*`; inline copies of them are the usual shape of a
# CloudFormation execution role and are not what LR301 is about.
EXECUTION_ROLE_BASICS = frozenset({
    "logs:createloggroup", "logs:createlogstream", "logs:putlogevents", "cloudwatch:putmetricdata",
    "ec2:createnetworkinterface", "ec2:deletenetworkinterface",
    "ec2:assignprivateipaddresses", "ec2:unassignprivateipaddresses",
})

# Condition keys that do not narrow which resources a statement reaches (transport, time, MFA,
# the caller's network): a statement conditioned only on these still writes to every resource.
UNSCOPED_CONDITION_KEYS = frozenset({
    "aws:securetransport", "aws:currenttime", "aws:epochtime", "aws:multifactorauthpresent",
    "aws:multifactorauthage", "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:useragent",
    "aws:referer", "aws:tokenissuetime", "aws:viaawsservice", "aws:principaltype",
})

# The KMS actions that decrypt what a key protects, which AWS Security Hub's KMS.1 and KMS.2 controls
# flag on every key: on `*` they reach every key whose key policy leaves its use to IAM policies, a
# key another account shares with this one included. LR301's words say so.
DECRYPT_ACTIONS = ("kms:decrypt", "kms:reencryptfrom")

ADMIN_POLICIES = frozenset({"administratoraccess", "poweruseraccess"})
_SERVICE_WILDCARD = re.compile(r"^[a-z0-9-]+:\*+$", re.I)
_AWS_MANAGED_ARN = re.compile(r":iam::aws:policy/", re.I)


class RolePermissionsAnalyzer:
    name = "iam"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        shared = SharedFindings()
        roles = RoleSets()
        sms = SmsPublishes(context)
        for function in context.inventory.functions:
            if function.added_by is not None and not function.added_by.policy_from_app:
                continue   # the role a library gives its own function, which the app cannot narrow
            for statement in function.policy_statements:
                if statement.effect.strip().lower() != "allow":
                    continue
                _broad_actions(shared, roles, function, statement)
                _writes_on_every_resource(shared, roles, function, statement, sms)
            for policy in function.managed_policies:
                _broad_managed_policy(shared, roles, function, policy)
        return list(shared.findings())


class RoleSets:
    """The roles the functions of each shared finding hold, so its words say "the execution
    roles of the functions A and B" when one line (a statement added to each function's own role)
    makes several, and "the execution role" when they share one."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, int, str], set[str]] = {}

    def add(self, rule_id: str, location: Location, evidence: str, role: str) -> Callable[[], bool]:
        """Note the role of one function of the finding; the answer, asked once every function is
        noted (as the shared finding's words are written), is whether they hold several roles."""
        seen = self._seen.setdefault((rule_id, location.path, location.line, evidence), set())
        seen.add(role)
        return lambda: len(seen) > 1


def names_iam_service(action: str) -> bool:
    """Whether an action's service prefix can be one IAM knows (reviewer/data/iam_services.json): a
    VPC endpoint's name written as one (`ecr.dkr:*`, `ecr.api:*`; IAM's prefix is `ecr`), or a
    misspelt prefix, grants nothing, so neither rule judges it. `*`, and a prefix that is itself a
    pattern, may name any service."""
    service, colon, _ = action.strip().partition(":")
    if not colon or re.search(r"[*?]", service):
        return True
    return service.lower() in iam_services()


def is_service_wildcard(action: str) -> bool:
    """`*`, `s3:*`, `iam:**`: every action of every service, or of one service."""
    return action.strip() in ("*", "*:*") or bool(_SERVICE_WILDCARD.match(action.strip()))


def is_write(action: str) -> bool:
    """Whether an action (or action pattern such as `s3:Put*`) can name one IAM counts as a write.

    IAM's access levels decide (Write, Permissions management, Tagging), kept as the exceptions to
    the verb table both ways: the reads a write verb begins (`read_actions`: `logs:StartQuery`) and
    the writes that take a resource but begin with no write verb (`unverbed_writes`: `kms:Decrypt`,
    `appsync:GraphQL`, `rds-data:ExecuteStatement`). An action newer than the data is judged by its verb.
    """
    service, colon, verb = action.strip().partition(":")
    if not colon or not service or not verb:
        return False
    wildcard = re.search(r"[*?]", verb)
    literal = verb[: wildcard.start()] if wildcard else verb
    lowered = literal.lower()
    others = unverbed_writes().get(service.lower(), frozenset())
    if wildcard is not None:
        return verb_begins_write(literal, pattern=True) or any(name.startswith(lowered) for name in others)
    if f"{service.lower()}:{lowered}" in read_actions():
        return False
    return lowered in others or verb_begins_write(literal)


def verb_begins_write(name: str, pattern: bool = False) -> bool:
    """Whether a verb of WRITE_VERBS begins an action's name (`PutObject`, not `Puts`); for the
    part of a `pattern` before its first wildcard (`Put` of `Put*`), whether it can."""
    lowered = name.lower()
    for candidate in WRITE_VERBS:
        word = candidate.lower()
        if pattern:
            if word.startswith(lowered) or lowered.startswith(word):
                return True
        elif lowered.startswith(word):
            rest = name[len(word):]
            if not rest or rest[0].isupper() or name.islower():
                return True
    return False


def decrypts(action: str) -> bool:
    """Whether an action (or pattern: `kms:Decrypt*`, `kms:ReEncrypt*`) can name one of DECRYPT_ACTIONS."""
    name = action.strip().lower()
    wildcard = re.search(r"[*?]", name)
    if wildcard is None:
        return name in DECRYPT_ACTIONS
    return any(known.startswith(name[: wildcard.start()]) for known in DECRYPT_ACTIONS)


def _broad_actions(shared: SharedFindings, roles: RoleSets, function: Function, statement: PolicyStatement) -> None:
    broad = [action for action in statement.actions if is_service_wildcard(action) and names_iam_service(action)]
    everything_but = bool(statement.not_actions)
    if not broad and not everything_but:
        return
    on_everything = "*" in statement.resources or bool(statement.not_resources)
    every_service = any(a.strip() in ("*", "*:*") for a in broad)

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "broad_actions", subject=Markup(subject), source=statement.source,
                               actions=broad, every_service=every_service, not_actions=statement.not_actions,
                               on_every_resource=on_everything, grants=Markup(spelled(function, SCOPED_GRANTS)),
                               defaults=wildcard_defaults(statement), several=several,
                               resources=statement.resources, resource_services=resource_services(statement),
                               roles=several and several_roles(), when=statement.when)

    evidence = (f"broad-actions {statement.source} " + ",".join(sorted(a.lower() for a in broad))
                + (" not-action " + ",".join(sorted(a.lower() for a in statement.not_actions)) if everything_but else "")
                + " resources " + ",".join(sorted(statement.resources)) + _when_evidence(statement))
    several_roles = roles.add(LR300.id, statement.location, evidence, statement.role)
    shared.add(LR300, function, statement.location, evidence, describe, describe_shared=partial(describe, several=True))


def resource_services(statement: PolicyStatement) -> tuple[str, ...]:
    """The services whose resources `Resource` names, each once, when every value's is known:
    `*` on a user pool's ARN allows only `cognito-idp`'s actions, which the words then name."""
    services = statement.resource_services
    if len(services) != len(statement.resources) or not all(services):
        return ()
    return tuple(dict.fromkeys(services))


def _when_evidence(granted: PolicyStatement | ManagedPolicy) -> str:
    """The conditions under which a statement or policy chosen by a template's `Fn::If` deploys,
    for its finding's fingerprint: two cases of one statement are two findings; empty for any other."""
    return "".join(" when " + ",".join(f"{name}={'true' if decided else 'false'}" for name, decided in way)
                   for way in granted.when)


def wildcard_defaults(statement: PolicyStatement) -> tuple[tuple[str, str], ...]:
    """(the input as written, "path:line" of its default) when every `*` of the statement's
    `Resource` is an input's default: the words then name it. A `*` written beside it is its own."""
    defaults = statement.defaulted_wildcards
    if not defaults or statement.resources.count("*") != len(defaults):
        return ()
    return tuple((default.written, f"{default.location.path}:{default.location.line}") for default in defaults)


def scoping_conditions(statement: PolicyStatement) -> list[str]:
    """The condition keys that narrow what `Resource: "*"` reaches (`iam:AWSServiceName`,
    `aws:ResourceTag/team`, `s3:prefix`...), as opposed to transport, time or MFA conditions."""
    return [key for key in statement.condition_keys if key.strip().lower() not in UNSCOPED_CONDITION_KEYS]


def _writes_on_every_resource(shared: SharedFindings, roles: RoleSets, function: Function,
                              statement: PolicyStatement, sms: SmsPublishes) -> None:
    if "*" not in statement.resources or scoping_conditions(statement):
        return
    # A service the statement already allows whole (`bedrock:*`, LR300's) is not listed again.
    whole = {action.strip().lower().partition(":")[0] for action in statement.actions if is_service_wildcard(action)}
    if "*" in whole:
        return
    writes = [
        action for action in statement.actions
        if not is_service_wildcard(action) and names_iam_service(action) and is_write(action)
        and action.strip().lower() not in EXECUTION_ROLE_BASICS and action.strip().lower() not in unscoped_writes()
        and action.strip().lower().partition(":")[0] not in whole
    ]
    if not writes:
        return
    passes_roles = any(action.strip().lower() in ("iam:passrole", "iam:pass*", "iam:p*") for action in writes)
    decrypting = [action for action in writes if decrypts(action)]
    # `sns:Publish` for code that only texts phone numbers needs `*` (a phone number has no ARN).
    texts = sms.only_sms(statement) if any(a.strip().lower() == SMS_ACTION for a in writes) else ()
    sms_action = next((a for a in writes if a.strip().lower() == SMS_ACTION), "") if texts else ""
    others = [action for action in writes if action != sms_action]

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "writes_on_every_resource", subject=Markup(subject), several=several,
                               source=statement.source, actions=writes, passes_roles=passes_roles,
                               named=Markup(spelled(function, NAMED_RESOURCES)), sms_action=sms_action,
                               sms_calls=tuple(f"{call.path}:{call.line}" for call in texts[:3]),
                               others=others, not_resource=Markup(spelled(function, NOT_RESOURCE_TOPICS)),
                               defaults=wildcard_defaults(statement), roles=several and several_roles(),
                               decrypts=decrypting, when=statement.when)

    evidence = (f"writes-on-star {statement.source} " + ",".join(sorted(action.lower() for action in writes))
                + _when_evidence(statement))
    several_roles = roles.add(LR301.id, statement.location, evidence + (" sms-only" if texts else ""), statement.role)
    shared.add(LR301, function, statement.location, evidence + (" sms-only" if texts else ""), describe,
               related=list(texts[:3]), severity=None if others else Severity.NOTICE,
               describe_shared=partial(describe, several=True))


@lru_cache(maxsize=1)
def iam_services() -> frozenset[str]:
    """The service prefixes IAM knows, lower-cased (reviewer/data/README.md)."""
    raw = load_table("iam_services.json")
    return frozenset(str(service) for service in raw["services"])


@lru_cache(maxsize=1)
def unscoped_writes() -> frozenset[str]:
    """Write actions that accept no resource but `*`, lower-cased (reviewer/data/README.md)."""
    raw = load_table("iam_unscoped_writes.json")
    return frozenset(str(action) for action in raw["actions"])


@lru_cache(maxsize=1)
def unverbed_writes() -> dict[str, frozenset[str]]:
    """Service → the names of its actions IAM calls Write, Permissions management or Tagging that
    take a resource and that no verb of WRITE_VERBS begins, lower-cased (reviewer/data/README.md)."""
    raw = load_table("iam_unverbed_writes.json")
    return {str(service): frozenset(str(name) for name in names) for service, names in raw["actions"].items()}


@lru_cache(maxsize=1)
def read_actions() -> frozenset[str]:
    """Actions a write verb begins that only read, lower-cased: those IAM's access-level table
    calls Read or List, and those that open a read session (reviewer/data/README.md)."""
    raw = load_table("iam_read_actions.json")
    return frozenset(str(action) for action in [*raw["access_level_reads"], *raw["session_reads"]])


@lru_cache(maxsize=1)
def sam_policy_templates() -> frozenset[str]:
    """The names of AWS SAM's policy templates, from the data SAM publishes (reviewer/data/README.md)."""
    raw = load_table("sam_policy_templates.json")
    return frozenset(str(name) for name in raw["names"])


def broad_managed_policy(name: str) -> str | None:
    """Why an AWS managed policy is too broad for a function role ("administrator": every action
    on every resource; "full_access": every action of its service), or None when it is not.

    A SAM policy template (`S3FullAccessPolicy: {BucketName: ...}`) is not a managed policy: SAM
    expands it to a statement scoped to the resource its parameters name.
    """
    text = name.strip()
    aws_managed = bool(_AWS_MANAGED_ARN.search(text)) or ("/" not in text and ":" not in text)
    if not aws_managed or text in sam_policy_templates():
        return None
    tail = text.rsplit("/", 1)[-1]
    lowered = tail.lower()
    if lowered in ADMIN_POLICIES:
        return "administrator"
    if "fullaccess" in lowered:
        return "full_access"
    return None


def _broad_managed_policy(shared: SharedFindings, roles: RoleSets, function: Function, policy: ManagedPolicy) -> None:
    reason = broad_managed_policy(policy.name)
    if reason is None:
        return

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "managed_policy", subject=Markup(subject), policy=policy.name,
                               reason=reason, grants=Markup(spelled(function, SCOPED_GRANTS)), source=policy.source,
                               several=several, roles=several and several_roles(), when=policy.when)

    evidence = f"managed-policy {policy.name.strip().lower()}" + _when_evidence(policy)
    several_roles = roles.add(LR300.id, policy.location, evidence, policy.role)
    shared.add(LR300, function, policy.location, evidence, describe, describe_shared=partial(describe, several=True))
