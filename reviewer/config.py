"""Settings: defaults ← `.lambda-review.yml` ← command-line flags or action inputs.

A bad setting stops the run with a one-line error naming the key (and line, for the file) and
exit code 2: a security gate that silently ignores its configuration is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reviewer.document_errors import document_error, document_language
from reviewer.located import DocumentError, LocatedMap, load_yaml
from reviewer.findings import Severity
from reviewer.workspace import DEFAULT_MAX_FILE_SIZE

CONFIG_FILE_NAME = ".lambda-review.yml"
# A settings file is repository content, written by whoever opens the pull request: it may lower
# max-file-size but raise it only this far (the workflow's own input or flag is not capped), and it
# is read only when small and regular.
MAX_FILE_SIZE_FROM_FILE = 16 * 1024 * 1024
MAX_CONFIG_FILE_BYTES = 1024 * 1024
FAIL_ON_CHOICES = ("error", "warning", "notice", "never")
_SEVERITY_CHOICES = ("error", "warning", "notice", "off")
_BANDIT_RULE_ID = re.compile(r"^bandit/B\d{3}$")
# Code and dependency engines (bandit, pip-audit).
VULNERABILITY_SERVICES = ("osv", "pypi")
DEFAULT_OSV_URL = "https://api.osv.dev/v1/query"
BANDIT_RANKS = ("low", "medium", "high")
# (finding severity, lowest bandit severity, lowest bandit confidence); the first level met wins.
DEFAULT_BANDIT_THRESHOLDS: tuple[tuple[str, str, str], ...] = (
    ("error", "high", "medium"), ("warning", "medium", "low"), ("notice", "low", "low"),
)
_VULN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
# What the settings file accepts is exactly what lambda-review.schema.json accepts: values are
# taken as written (no case folding, no numbers in quotes), and tests/test_config_agreement.py
# checks both against the same generated documents. These patterns appear in the schema as is.
BASELINE_PATTERN = r"^(?![/~\\])(?![^/\\]*:)(?!(?:.*[/\\])?\.\.(?:[/\\]|$))\S(?:.*\S)?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ADVISORY_RULE = "LR500"


class ConfigError(Exception):
    """A setting is invalid; the message is the one line the user reads."""



def is_known_rule(rule_id: str) -> bool:
    """A rule of the catalogue (LR100...) or a bandit test (`bandit/B602`): a typo is an error,
    never a setting that silently does nothing."""
    from reviewer.rules import RULES

    return rule_id in RULES or bool(_BANDIT_RULE_ID.match(rule_id))


def unknown_rule_message(rule_id: object) -> str:
    from reviewer.rules import RULES

    return (f"{rule_id!r} is not a known rule id; known: {', '.join(RULES)}, and bandit's tests as "
            "bandit/B602 (`lambda-review rules` lists them)")

@dataclass(frozen=True)
class IgnoreEntry:
    """A rule silenced for paths matching a glob, with the reason a reviewer will read."""

    rule: str
    path: str
    reason: str
    expires: dt.date | None = None
    # With `rule: LR500`: one advisory the dependency audit accepts (like the `ignore-vulns`
    # input) until `expires`; the other advisories of the same release are still reported.
    advisory: str | None = None

    def active(self, today: dt.date) -> bool:
        return self.expires is None or self.expires >= today


@dataclass(frozen=True)
class Settings:
    """A run's settings: the inputs or options, over `.lambda-review.yml`, over the defaults."""

    fail_on: str = "error"
    reference_date: dt.date = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).date())
    runtime_warning_days: int = 180
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    exclude: tuple[str, ...] = ()
    ignore: tuple[IgnoreEntry, ...] = ()
    severity_overrides: tuple[tuple[str, str], ...] = ()
    scan_all_python: bool = False
    bandit_thresholds: tuple[tuple[str, str, str], ...] = DEFAULT_BANDIT_THRESHOLDS
    vulnerability_service: str = "osv"
    osv_url: str = DEFAULT_OSV_URL
    ignore_vulns: tuple[str, ...] = ()
    fail_on_existing: bool = False
    # Notices go to the summary only: inline comments are kept for what a reviewer must act on.
    inline_severity: str = "warning"
    # On pull requests: a directory holding the base commit's `.bandit` and `pyproject.toml`, so a
    # change cannot skip bandit tests for itself. Not a settings-file key.
    bandit_settings_root: str | None = None
    baseline: str | None = None
    # False (`audit: off`): no dependency audit, so no network access at all.
    audit: bool = True

    def audit_ignores(self) -> tuple[str, ...]:
        """Advisory ids the audit accepts: the `ignore-vulns` input and the unexpired advisory ignores."""
        from_file = [entry.advisory for entry in self.ignore if entry.advisory and entry.active(self.reference_date)]
        return tuple(dict.fromkeys([*self.ignore_vulns, *from_file]))

    def fails(self, severity: Severity) -> bool:
        """Whether a finding of `severity` reaches the `fail-on` threshold."""
        if self.fail_on == "never":
            return False
        return severity.rank >= Severity(self.fail_on).rank

    def severity_for(self, rule_id: str, default: Severity) -> Severity | None:
        """The configured severity of a rule; None when the rule is switched off."""
        for rule, level in self.severity_overrides:
            if rule == rule_id:
                return None if level == "off" else Severity(level)
        return default


def parse_fail_on(value: str, source: str = "fail-on") -> str:
    cleaned = value.strip().lower()
    if cleaned not in FAIL_ON_CHOICES:
        raise ConfigError(f"{source}: {value!r} is not one of {', '.join(FAIL_ON_CHOICES)}")
    return cleaned


def parse_date(value: str, source: str = "reference-date") -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"{source}: {value!r} is not a date in the form YYYY-MM-DD") from None


def parse_inline_severity(value: str, source: str = "inline-severity") -> str:
    cleaned = value.strip().lower()
    if cleaned not in ("error", "warning", "notice"):
        raise ConfigError(f"{source}: {value!r} is not one of error, warning, notice")
    return cleaned


def parse_bool(value: Any, source: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ConfigError(f"{source}: {value!r} is not true or false")


def parse_audit(value: Any, source: str = "audit") -> bool:
    """`on` or `off` (YAML may hand over true/false for them)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("on", "true"):
        return True
    if text in ("off", "false"):
        return False
    raise ConfigError(f"{source}: {value!r} is not on or off")


def parse_positive_int(value: Any, source: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{source}: {value!r} is not a whole number") from None
    if number < 0:
        raise ConfigError(f"{source}: {value!r} must not be negative")
    return number


def parse_vulnerability_service(value: str, source: str = "vulnerability-service") -> str:
    cleaned = value.strip().lower()
    if cleaned not in VULNERABILITY_SERVICES:
        raise ConfigError(f"{source}: {value!r} is not one of {', '.join(VULNERABILITY_SERVICES)}")
    return cleaned


def parse_osv_url(value: str, source: str = "osv-url") -> str:
    """The OSV query endpoint (`.../v1/query`), as pip-audit's `--osv-url` takes it."""
    cleaned = value.strip()
    if not re.match(r"^https?://[^\s/?#]+\S*$", cleaned):
        raise ConfigError(f"{source}: {value!r} is not an http(s) URL such as {DEFAULT_OSV_URL}")
    return cleaned


def parse_ignore_vulns(value: str, source: str = "ignore-vulns") -> tuple[str, ...]:
    """Advisory ids (PYSEC-..., GHSA-..., CVE-...) separated by commas or white space."""
    ids = [item for item in re.split(r"[\s,]+", value.strip()) if item]
    for item in ids:
        if not _VULN_ID.match(item):
            raise ConfigError(f"{source}: {item!r} is not an advisory id such as PYSEC-2019-217 or CVE-2019-10906")
    return tuple(dict.fromkeys(ids))


def parse_bandit_threshold(value: Any, source: str) -> tuple[str, str] | None:
    """`SEVERITY/CONFIDENCE` (bandit's levels: low, medium, high) or `off`."""
    text = str(value).strip().lower()
    if text == "off":
        return None
    parts = [part.strip() for part in text.split("/")]
    if len(parts) != 2 or not all(part in BANDIT_RANKS for part in parts):
        raise ConfigError(f"{source}: {value!r} is not SEVERITY/CONFIDENCE (each low, medium or high) or off")
    return parts[0], parts[1]


def load_config_file(path: Path, settings: Settings) -> Settings:
    """Apply a `.lambda-review.yml` on top of `settings`, validating every key."""
    try:
        status = path.stat()
        if not path.is_file() or status.st_size > MAX_CONFIG_FILE_BYTES:
            raise ConfigError(f"{path}: not a regular file of at most {MAX_CONFIG_FILE_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        document = load_yaml(text)
    except DocumentError as exc:
        # JSON is YAML to the loader: a `--config settings.json` is told of a JSON error.
        raise ConfigError(f"{path}: {document_error(exc, document_language(path.name, text))}") from None
    if document is None:
        return settings
    if not isinstance(document, LocatedMap):
        raise ConfigError(f"{path}:1: the configuration must be a mapping of settings")
    return _FileSettings(path, document).apply(settings)


class _FileSettings:
    """Validates one configuration document, naming file and line in every error."""

    KEYS = ("fail-on", "runtime-warning-days", "max-file-size", "exclude", "ignore", "severity",
            "fail-on-existing", "baseline", "inline-severity",
            "scan-all-python", "bandit-thresholds", "audit")

    def __init__(self, path: Path, document: LocatedMap) -> None:
        self.path = path
        self.document = document

    def where(self, key: str) -> str:
        return f"{self.path}:{self.document.line_of(key)}: {key}"

    def apply(self, settings: Settings) -> Settings:
        unknown = [key for key in self.document if key not in self.KEYS]
        if unknown:
            key = unknown[0]
            raise ConfigError(f"{self.path}:{self.document.line_of(key)}: unknown key {key!r} "
                              f"(known keys: {', '.join(self.KEYS)})")
        changes: dict[str, Any] = {}
        doc = self.document
        if "fail-on" in doc:
            changes["fail_on"] = self._choice("fail-on", FAIL_ON_CHOICES)
        if "runtime-warning-days" in doc:
            changes["runtime_warning_days"] = self._whole_number("runtime-warning-days")
        if "max-file-size" in doc:
            changes["max_file_size"] = self._whole_number("max-file-size")
            if changes["max_file_size"] > MAX_FILE_SIZE_FROM_FILE:
                raise ConfigError(f"{self.where('max-file-size')}: a settings file may raise it to at most "
                                  f"{MAX_FILE_SIZE_FROM_FILE} bytes (the workflow's max-file-size input is not capped)")
        if "exclude" in doc:
            changes["exclude"] = tuple(self._string_list("exclude"))
        if "ignore" in doc:
            changes["ignore"] = tuple(self._ignore_entries())
        if "severity" in doc:
            changes["severity_overrides"] = tuple(self._severities())
        if "inline-severity" in doc:
            changes["inline_severity"] = self._choice("inline-severity", ("error", "warning", "notice"))
        if "fail-on-existing" in doc:
            if not isinstance(doc["fail-on-existing"], bool):
                raise ConfigError(f"{self.where('fail-on-existing')} must be true or false")
            changes["fail_on_existing"] = doc["fail-on-existing"]
        if "baseline" in doc:
            if not isinstance(doc["baseline"], str) or not doc["baseline"].strip():
                raise ConfigError(f"{self.where('baseline')} must be the path of a baseline file")
            if not re.match(BASELINE_PATTERN, doc["baseline"]):
                raise ConfigError(f"{self.where('baseline')} must be a path inside the repository")
            changes["baseline"] = doc["baseline"]
        if "scan-all-python" in doc:
            if not isinstance(doc["scan-all-python"], bool):
                raise ConfigError(f"{self.where('scan-all-python')} must be true or false")
            changes["scan_all_python"] = doc["scan-all-python"]
        if "bandit-thresholds" in doc:
            changes["bandit_thresholds"] = self._bandit_thresholds()
        if "audit" in doc:
            changes["audit"] = parse_audit(doc["audit"], self.where("audit"))
        return replace(settings, **changes)

    def _choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.document[key]
        if not isinstance(value, str) or value not in choices:
            raise ConfigError(f"{self.where(key)}: {value!r} is not one of {', '.join(choices)}")
        return value

    def _whole_number(self, key: str) -> int:
        """A YAML number that is whole and not negative (`100`, `100.0`); not `'100'`, not `true`."""
        value = self.document[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < 0:
            raise ConfigError(f"{self.where(key)}: {value!r} is not a whole number of at least 0")
        return int(value)

    def _bandit_thresholds(self) -> tuple[tuple[str, str, str], ...]:
        """`{error: high/medium, warning: medium/low, notice: low/low}`; unnamed levels keep their default."""
        value = self.document["bandit-thresholds"]
        if not isinstance(value, LocatedMap):  # every mapping the YAML loader returns is one
            raise ConfigError(f"{self.where('bandit-thresholds')} must map error, warning and notice "
                              "to SEVERITY/CONFIDENCE or off")
        chosen: dict[str, tuple[str, str] | None] = {
            level: (severity, confidence) for level, severity, confidence in DEFAULT_BANDIT_THRESHOLDS}
        for level, threshold in value.items():
            where = f"{self.path}:{value.line_of(level)}: bandit-thresholds.{level}"
            if level not in chosen:
                raise ConfigError(f"{where}: {level!r} is not one of error, warning, notice")
            if not isinstance(threshold, str) or not re.match(r"^((low|medium|high)/(low|medium|high)|off)$", threshold):
                raise ConfigError(f"{where}: {threshold!r} is not SEVERITY/CONFIDENCE (each low, medium or high) or off")
            chosen[level] = parse_bandit_threshold(threshold, where)
        return tuple((level, *pair) for level, pair in chosen.items() if pair is not None)

    def _string_list(self, key: str) -> list[str]:
        value = self.document[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{self.where(key)} must be a list of strings")
        return [str(item) for item in value]

    def _ignore_entries(self) -> list[IgnoreEntry]:
        value = self.document["ignore"]
        if not isinstance(value, list):
            raise ConfigError(f"{self.where('ignore')} must be a list of {{rule, path, reason}} entries")
        entries = []
        for index, item in enumerate(value):
            line = value.item_lines[index] if hasattr(value, "item_lines") else self.document.line_of("ignore")
            where = f"{self.path}:{line}: ignore[{index}]"
            if not isinstance(item, dict):
                raise ConfigError(f"{where} must be a mapping with rule, path and reason")
            entries.append(_ignore_entry(item, where))
        return entries

    def _severities(self) -> list[tuple[str, str]]:
        value = self.document["severity"]
        if not isinstance(value, LocatedMap):  # every mapping the YAML loader returns is one
            raise ConfigError(f"{self.where('severity')} must map rule ids to error, warning, notice or off")
        pairs = []
        for rule, level in value.items():
            where = f"{self.path}:{value.line_of(rule)}: severity.{rule}"
            if not is_known_rule(str(rule)):
                raise ConfigError(f"{where}: {unknown_rule_message(rule)}")
            if not isinstance(level, str) or level not in _SEVERITY_CHOICES:
                raise ConfigError(f"{where}: {level!r} is not one of {', '.join(_SEVERITY_CHOICES)}")
            pairs.append((str(rule), level))
        return pairs


_IGNORE_KEYS = ("rule", "path", "reason", "expires", "advisory")


def _ignore_entry(item: dict[str, Any], where: str) -> IgnoreEntry:
    """One `ignore:` entry: a rule for paths, or (LR500) one advisory until its expiry date."""
    extra = [key for key in item if key not in _IGNORE_KEYS]
    if extra:
        raise ConfigError(f"{where}: unknown key {str(extra[0])!r} (known keys: {', '.join(_IGNORE_KEYS)})")
    rule = item.get("rule")
    if not isinstance(rule, str) or not is_known_rule(rule):
        raise ConfigError(f"{where}.rule: {unknown_rule_message(rule)}")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where}.reason: say why the finding is accepted")
    path = item.get("path", "*")
    if not isinstance(path, str):
        raise ConfigError(f"{where}.path: {path!r} is not a path glob")
    expires = None
    if "expires" in item:
        if not isinstance(item["expires"], str) or not re.match(DATE_PATTERN, item["expires"]):
            raise ConfigError(f"{where}.expires: {item['expires']!r} is not a date in the form YYYY-MM-DD")
        expires = parse_date(item["expires"], f"{where}.expires")
    advisory = item.get("advisory")
    if "advisory" in item:
        if rule != ADVISORY_RULE:
            raise ConfigError(f"{where}.advisory: only an {ADVISORY_RULE} entry names an advisory")
        if not isinstance(advisory, str) or not _VULN_ID.match(advisory):
            raise ConfigError(f"{where}.advisory: {advisory!r} is not an advisory id such as GHSA-xxxx-xxxx-xxxx")
        if "path" in item:
            raise ConfigError(f"{where}.path: an advisory is accepted for every pin of the repository; leave out path")
        if expires is None:
            raise ConfigError(f"{where}.expires: an accepted advisory needs the day to look at it again (YYYY-MM-DD)")
    return IgnoreEntry(rule=rule, path=path, reason=reason.strip(), expires=expires, advisory=advisory)


def resolve_settings(root: Path, config: str | None = None, *, fail_on: str | None = None,
                     reference_date: str | None = None, max_file_size: str | None = None,
                     fail_on_existing: str | bool | None = None, baseline: str | None = None,
                     inline_severity: str | None = None,
                     vulnerability_service: str | None = None, osv_url: str | None = None,
                     ignore_vulns: str | None = None, default_file: bool = True,
                     audit: str | None = None) -> Settings:
    """Defaults ← the config file (named, or `.lambda-review.yml` in `root` when present) ← flags.

    Empty strings count as "not given", because that is what an unset action input looks like.
    `default_file=False` ignores a `.lambda-review.yml` in `root` (a pull request's own copy,
    when the trusted one was read from the base commit instead).
    """
    settings = Settings()
    if config:
        path = Path(config)
        if not path.is_absolute():
            path = root / path
        if not path.is_file():
            raise ConfigError(f"config: {config!r} does not exist")
        settings = load_config_file(path, settings)
    elif default_file and (root / CONFIG_FILE_NAME).is_file() and not (root / CONFIG_FILE_NAME).is_symlink():
        settings = load_config_file(root / CONFIG_FILE_NAME, settings)
    changes: dict[str, Any] = {}
    if fail_on:
        changes["fail_on"] = parse_fail_on(fail_on)
    if reference_date:
        changes["reference_date"] = parse_date(reference_date)
    if max_file_size:
        changes["max_file_size"] = parse_positive_int(max_file_size, "max-file-size")
    if fail_on_existing not in (None, ""):
        changes["fail_on_existing"] = parse_bool(fail_on_existing, "fail-on-existing")
    if baseline:
        changes["baseline"] = baseline
    if inline_severity:
        changes["inline_severity"] = parse_inline_severity(inline_severity)
    if vulnerability_service:
        changes["vulnerability_service"] = parse_vulnerability_service(vulnerability_service)
    if osv_url:
        changes["osv_url"] = parse_osv_url(osv_url)
    if ignore_vulns:
        changes["ignore_vulns"] = parse_ignore_vulns(ignore_vulns)
    if audit:
        changes["audit"] = parse_audit(audit)
    return replace(settings, **changes)
