"""Secrets written into plain environment variables (LR304).

The value of a flagged variable is never put in a finding: not in the message, not in the
evidence the fingerprint hashes, not in a suggestion. Findings name the variable and say which
test matched (its name, or the shape of an AWS access key, a private key, a token, a URL with a
password), nothing more.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Iterable

from markupsafe import Markup

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.inventory.spelling import default_input
from reviewer.inventory.targets import written_text
from reviewer.findings import Finding, Severity
from reviewer.model import Function, Location, ResourceRef
from reviewer.rules import LR304
from reviewer.wording import finding_message

# The messages' words: templates/findings/secrets.md.j2.
MESSAGES = "secrets"

# Name words that say the variable holds a secret (compared on the upper-cased name, between
# underscores, dashes, dots or camel-case humps).
_SECRET_NAME = re.compile(
    r"(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRETS|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|"
    r"CLIENT_?SECRET|CREDENTIALS?|SIGNING_?KEY|AUTH_?KEY|ENCRYPTION_?KEY|WEBHOOK_?SECRET)(_|$)"
)
# Last words that make the variable a pointer to a secret or a setting about it, not the secret.
_REFERENCE_SUFFIXES = frozenset({
    "ARN", "NAME", "ID", "IDS", "PARAM", "PARAMETER", "PATH", "URL", "URI", "ENDPOINT", "HEADER",
    "TTL", "EXPIRY", "EXPIRATION", "EXPIRES", "LENGTH", "FILE", "REGION", "TABLE", "BUCKET", "QUEUE",
    "TOPIC", "ENABLED", "TYPE", "FIELD", "SECONDS", "MINUTES", "HOURS", "SIZE", "COUNT", "VERSION",
    "PREFIX", "ALGORITHM", "ROTATION", "STORE", "SOURCE", "KEY_ID", "ISSUER", "AUDIENCE", "SCOPE",
    "PORT", "HOST", "ITERATIONS", "ROUNDS", "POLICY", "TIMEOUT", "LIMIT", "RETRIES", "MODE", "LEVEL",
    "DAYS", "MS", "USER", "USERNAME",
    # What a secret looks like or where it is kept, not the secret: PASSWORD_PATTERN (a regex),
    # TOKEN_INDEX (a table's index), SECRET_STAGE, TOKEN_LIFETIME, DB_PASSWORD_SSM (a parameter).
    "PATTERN", "REGEX", "FORMAT", "TEMPLATE", "INDEX", "GSI", "STAGE", "ALIAS", "SSM", "LIFETIME",
    "VALIDITY", "DURATION", "AGE", "TIME", "CLAIM", "COOKIE", "USE", "KMS_KEY",
    # Where a web app sends the user about a secret: RESET_PASSWORD_ROUTE (`reset-password?code=`),
    # PASSWORD_RESET_PAGE, TOKEN_CALLBACK, AUTH_TOKEN_REDIRECT.
    "ROUTE", "PAGE", "CALLBACK", "REDIRECT",
    # The public half of a key pair, which anyone may hold: JWT_TOKEN_PUBLIC_KEY, STRIPE_PUBLIC_KEY.
    "PUBLIC_KEY",
    # Which service keeps the secrets, a choice of backend: CIS_SECRET_MANAGER (`aws-ssm`),
    # SECRETS_BACKEND (`vault`), TOKEN_PROVIDER (`auth0`).
    "MANAGER", "BACKEND", "PROVIDER",
})
# First words that make the variable a pointer to where a secret is kept, whatever follows:
# SSM_PARAM_JWT_TOKEN_PRIVATE_KEY = "jwt_token_private_key" names an SSM parameter.
_REFERENCE_PREFIXES = frozenset({"SSM", "PARAM", "PARAMETER", "PARAMETERS"})
_NOT_A_SECRET_VALUE = frozenset({"true", "false", "yes", "no", "none", "null", "enabled", "disabled"})
_REFERENCE_VALUE = re.compile(
    r"^\s*(\{\{resolve:|\$\{ssm:|\$\{secretsmanager:|\$\{aws:|arn:aws[a-z-]*:(secretsmanager|ssm|kms):)", re.I)
_WHOLE_INTERPOLATION = re.compile(r"^\s*\$\{[^}]*\}\s*$")
_SSM_PATH = re.compile(r"^(/[A-Za-z0-9_.-]+){2,}$")

# Shapes that are secrets whatever the variable is called.
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key", re.compile(r"(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----")),
    ("a GitHub token", re.compile(r"(?<![A-Za-z0-9])(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live key", re.compile(r"(?<![A-Za-z0-9])[rs]k_live_[A-Za-z0-9]{16,}")),
    ("a URL with a password",
     re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/\s:@]{1,256}:(?!\$\{|\{\{)(?P<password>[^/\s@]{1,256})@")),
)
# Values that are not secrets whatever the variable is called: numbers (a port, an iteration
# count), durations.
_NOT_A_SECRET_SHAPE = re.compile(r"^\s*[+-]?\d+(\.\d+)?\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)?\s*$", re.I)
# Values someone writes to be replaced: `YOUR-SECRET-HERE`, `<token>`, `changeme`, `xxxxxx`.
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)(^|[^a-z])(your|todo|tbd|sample|insert|fill[-_ ]?in|not[-_ ]?set|unset|here)([^a-z]|$)")
# Words that make a value a placeholder wherever they stand (`DUMMYEXAMPLEKEY`, `my-secret-changeme`).
_PLACEHOLDER_PARTS = re.compile(
    r"(?i)(dummy|example|placeholder|change[-_ ]?me|replace[-_ ]?(me|with|this)|redacted|fixme|your[-_]?(api|secret|"
    r"token|key|password|pass)|x{4,}|\*{4,})")
# `{{ secrets.API_KEY }}` and `${{ secrets.API_KEY }}` are a CI template's expressions, filled in at deployment.
_PLACEHOLDER_SHAPES = re.compile(r"^\s*(\$?\{\{[^{}]*\}\}|<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|%[^%]*%|__[^_].*__|\$\([^()]*\)|(.)\2{3,})\s*$")
_PLACEHOLDER_VALUES = frozenset({
    "secret", "password", "passwd", "token", "apikey", "api_key", "api-key", "key", "test", "testing", "local",
    "dev", "development", "default", "none", "empty", "null", "nil", "undefined", "tbd", "todo",
    "abc123", "123456", "12345678", "foobar", "changeit", "qwerty",
})
MIN_SECRET_LENGTH = 4
# Shapes are looked for in the first characters only: a hostile megabyte-long value stays cheap,
# and every secret shape above (a PEM private key included) starts well within this.
MAX_INSPECTED = 16_384


class PlainSecretAnalyzer:
    name = "secrets"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        shared = SharedFindings()
        for function in context.inventory.functions:
            for name, value in function.environment.items():
                resolved = resolved_secret(value)
                if resolved is not None:
                    form, field = resolved
                    if field is None or is_secret_name(field) or is_secret_name(str(name)):
                        _report_resolved(shared, function, str(name), form, function.where(f"Environment.{name}"))
                    continue
                written = written_text(value)
                if written is None:
                    continue
                text, literal = written
                judged = judge_secret(str(name), text, literal=literal)
                if judged is not None:
                    _report(shared, function, str(name), judged, function.where(f"Environment.{name}"))
            for name, (default, location) in function.environment_defaults.items():
                judged = judge_secret(str(name), default, literal=True)
                if judged is not None:
                    _report(shared, function, str(name), judged, location,
                            related=[function.where(f"Environment.{name}")], from_default=default_input(function, location))
        return list(shared.findings())


# A value the deployment resolves from Secrets Manager into the environment: CloudFormation's
# dynamic reference, and the Serverless Framework's variable for a secret through SSM.
_RESOLVED_SECRET = (
    (re.compile(r"^\s*\{\{resolve:secretsmanager:", re.I), "dynamic-reference"),
    (re.compile(r"^\s*\$\{ssm:/aws/reference/secretsmanager/", re.I), "serverless-ssm"),
)


def resolved_secret(value: object) -> tuple[str, str | None] | None:
    """How a Secrets Manager secret is resolved into an environment value at deployment
    ("dynamic-reference", "serverless-ssm"), and the JSON key it takes from the secret
    (`...:SecretString:password}}`), or None: the value is not in the repository, but it is in
    the function's configuration, in plain text. A key that names no secret (`username`) under a
    name that names none either is a setting taken from the secret, not the secret."""
    text: str | None
    if isinstance(value, ResourceRef) and value.kind == "unresolved":
        text = value.value
    else:
        written = written_text(value)
        text = written[0] if written is not None else None
    if not isinstance(text, str):
        return None
    form = next((form for pattern, form in _RESOLVED_SECRET if pattern.match(text[:MAX_INSPECTED])), None)
    if form is None:
        return None
    _, marker, rest = text[:MAX_INSPECTED].partition(":SecretString:")
    field = rest.split(":", 1)[0].split("}}", 1)[0].strip() if marker else ""
    return form, field or None


def secret_reason(name: str, value: str, literal: bool) -> str | None:
    """Why `value` under `name` is a plain secret ("its name", "the shape of ..."), or None."""
    judged = judge_secret(name, value, literal)
    return judged[0] if judged is not None else None


def judge_secret(name: str, value: str, literal: bool) -> tuple[str, Severity] | None:
    """Why `value` under `name` is a plain secret, and how sure that is; None when it is not one.

    The value decides: a known key format is an error whatever the name; under a name that marks a
    secret, a literal is an error unless it is a number or a duration (not a secret: a port, an
    iteration count) or a placeholder meant to be replaced (`YOUR-SECRET-HERE`), which is a notice.
    `literal` is False for composed values (an `Fn::Sub` template): only shapes count there,
    because a name like DB_PASSWORD set from `!Sub "${Secret}"` is a reference.
    """
    placeholder_url = False
    for description, shape in _SHAPES:
        matches = list(shape.finditer(value[:MAX_INSPECTED]))
        if any(not _placeholder_password(match) for match in matches):
            return _reason("shape", description), Severity.ERROR
        placeholder_url = placeholder_url or bool(matches)
    if not literal:
        return None
    stripped = value.strip()
    if (len(stripped) < MIN_SECRET_LENGTH or stripped.lower() in _NOT_A_SECRET_VALUE
            or _REFERENCE_VALUE.match(stripped) or _WHOLE_INTERPOLATION.match(stripped)
            or _SSM_PATH.match(stripped) or _NOT_A_SECRET_SHAPE.match(stripped)):
        return None
    if not is_secret_name(name):
        return None
    if placeholder_url or is_placeholder(stripped[:MAX_INSPECTED]):
        return _reason("placeholder"), Severity.NOTICE
    return _reason("name"), Severity.ERROR


def _reason(kind: str, shape: str = "") -> str:
    """Why a value is a plain secret, as the messages say it (Markdown, placed as it is)."""
    return finding_message(MESSAGES, "reason", kind=kind, shape=shape)


def _placeholder_password(match: re.Match[str]) -> bool:
    """A URL whose password is written to be replaced (`mongodb://<user>:<password>@<host>`, the
    example a parameter's default or description gives): the shape of a secret, not a secret."""
    password = match.groupdict().get("password")
    return password is not None and is_placeholder(password)


def is_placeholder(value: str) -> bool:
    """`YOUR-SECRET-HERE`, `<api-key>`, `changeme`, `xxxxxxxx`, `secret`: text written to be replaced."""
    return (value.lower() in _PLACEHOLDER_VALUES or bool(_PLACEHOLDER_SHAPES.match(value))
            or bool(_PLACEHOLDER_WORDS.search(value)) or bool(_PLACEHOLDER_PARTS.search(value)))


def is_secret_name(name: str) -> bool:
    """PASSWORD, DB_PASSWORD, stripeApiKey, GITHUB_TOKEN...; not SECRET_ARN, TOKEN_TTL, API_KEY_PARAM,
    SSM_PARAM_DB_PASSWORD (the parameter's name) or JWT_TOKEN_PUBLIC_KEY."""
    # Camel-case humps, and the end of an acronym before a capitalised word (`SecretDBName` is
    # SECRET_DB_NAME, the name of a secret; `DBPassword` is DB_PASSWORD).
    humps = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name))
    words = humps.upper().replace("-", "_").replace(".", "_")
    if not _SECRET_NAME.search(words):
        return False
    parts = [part for part in words.split("_") if part]
    if not parts:
        return False
    last_two = "_".join(parts[-2:])
    return (parts[-1] not in _REFERENCE_SUFFIXES and last_two not in _REFERENCE_SUFFIXES
            and parts[0] not in _REFERENCE_PREFIXES)


def _report(shared: SharedFindings, function: Function, name: str, judged: tuple[str, Severity],
            location: Location, related: list[Location] | None = None, from_default: str = "") -> None:
    reason, severity = judged
    if severity is Severity.NOTICE:
        _report_placeholder(shared, function, name, reason, location, related, from_default)
        return

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "plain_secret", subject=Markup(subject), several=several, variable=name,
                               from_default=from_default, reason=Markup(reason))

    kind = "shape" if reason.startswith("has the shape") else "name"
    evidence = f"plain-secret {'default' if from_default else 'env'} {name} {kind}"
    shared.add(LR304, function, location, evidence, describe, related=related,
               describe_shared=partial(describe, several=True))


def _report_resolved(shared: SharedFindings, function: Function, name: str, form: str, location: Location) -> None:
    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "resolved_secret", subject=Markup(subject), several=several, variable=name, form=form)

    shared.add(LR304, function, location, f"resolved-secret env {name} {form}", describe, severity=Severity.WARNING,
               describe_shared=partial(describe, several=True))


def _report_placeholder(shared: SharedFindings, function: Function, name: str, reason: str, location: Location,
                        related: list[Location] | None, from_default: str) -> None:

    def describe(subject: str, several: bool = False) -> str:
        return finding_message(MESSAGES, "placeholder", subject=Markup(subject), several=several, variable=name,
                               from_default=from_default, reason=Markup(reason))

    evidence = f"plain-secret {'default' if from_default else 'env'} {name} placeholder"
    shared.add(LR304, function, location, evidence, describe, related=related, severity=Severity.NOTICE,
               describe_shared=partial(describe, several=True))
