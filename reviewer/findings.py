"""What a finding says: its rule, severity, place and words, and the loop or dependency it is about.

Every analyzer speaks in `Finding`s and every face (comments, SARIF, JSON) renders them; what a
repository declares, which findings point into, is `reviewer.model`. Nothing here does I/O.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any

from reviewer.model import Location, bounded_text


class Severity(str, enum.Enum):
    """How much a finding matters; ordered so that `rank` grows with importance."""

    NOTICE = "notice"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        # Every sort of findings asks (Finding.sort_key): one lookup, no dict built per call.
        return _SEVERITY_RANKS[self._value_]

    @property
    def sarif_level(self) -> str:
        return {"notice": "note", "warning": "warning", "error": "error"}[self.value]


_SEVERITY_RANKS = {"notice": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class LoopNode:
    """A box in a recursion loop: a function, or a resource whose events invoke one.

    `label` is what the diagram shows (for example "S3 bucket UploadsBucket"); untrusted text, so
    renderers escape it.
    """

    kind: str   # "function" | "resource"
    label: str


@dataclass(frozen=True)
class LoopEdge:
    """One arrow of a loop: a resource invokes a function, or a function writes or invokes.

    `action` is the verb on the arrow ("invokes", "put_object", ...); `location` is the line that
    makes the arrow exist (the trigger in infrastructure code, the call in handler code).
    """

    source: LoopNode
    target: LoopNode
    action: str
    location: Location


@dataclass(frozen=True)
class Loop:
    """A closed path trigger → function → write → back, as the summary draws it."""

    edges: tuple[LoopEdge, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"from": edge.source.label, "to": edge.target.label, "action": edge.action,
             "path": edge.location.path, "line": edge.location.line}
            for edge in self.edges
        ]


ENGINES = ("lambda-review", "bandit", "pip-audit")


@dataclass(frozen=True)
class VulnerablePin:
    """The facts of an LR500 finding the summary's dependency table shows: the pinned release,
    its advisory ids and the smallest release that fixes them (None when none does)."""

    package: str
    version: str
    advisories: tuple[str, ...]
    fixed_in: str | None = None


@dataclass
class Finding:
    """One thing a reviewer should know, with where it is and how to fix it.

    `message` is Markdown whose untrusted parts were escaped when it was built.
    `evidence` is what the fingerprint hashes besides rule, path and function: something that
    identifies the problem but not its line, so a finding keeps its identity when lines move.

    A finding about a deployed resource (`lambda-review account`) has no file: `resource` holds
    its ARN, with `region` and `account`, while `path` is "" and `line` 0 here and both are null in
    JSON; SARIF gives it a logical location instead of a physical one.
    """

    rule_id: str
    severity: Severity
    title: str
    message: str
    path: str
    line: int
    end_line: int | None = None
    function: str | None = None
    # The functions a finding several share concerns (then `function` is None), as its message names
    # them: the summary's table names them too.
    functions: tuple[str, ...] = ()
    engine: str = "lambda-review"
    evidence: str = ""
    suggestion: str | None = None
    help_url: str | None = None
    related: list[Location] = field(default_factory=list)
    # Recursion findings carry the loop they found, so the summary can draw it.
    loop: Loop | None = None
    # A deployed resource instead of a file (see above).
    resource: str | None = None
    region: str | None = None
    account: str | None = None
    # Dependency findings (LR500) carry their release and advisories, for the dependency table.
    vulnerable_pin: VulnerablePin | None = None

    def __post_init__(self) -> None:
        if isinstance(self.function, str):
            self.function = bounded_text(self.function)

    # Set only when a finding is rebuilt from a findings artifact, whose fingerprint is kept as is.
    known_fingerprint: str | None = field(default=None, repr=False)

    @property
    def fingerprint(self) -> str:
        if self.known_fingerprint:
            return self.known_fingerprint
        # Asked for about six times per finding (settings, base comparison, plan, outputs): the
        # hash is kept with the fields it was made from, and made again when one of them changed.
        made_from = (self.rule_id, self.resource, self.path, self.function, self.evidence)
        kept = self.__dict__.get("_fingerprint_of")
        if kept is not None and kept[0] == made_from:
            return str(kept[1])
        normalised = " ".join(self.evidence.split())
        key = "\x1f".join([self.rule_id, self.resource or self.path, self.function or "", normalised])
        # surrogatepass: a lone surrogate (an undecodable file name, a `\\udXXX` escape) hashes too.
        fingerprint = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        self.__dict__["_fingerprint_of"] = (made_from, fingerprint)
        return fingerprint

    @property
    def last_line(self) -> int:
        return self.end_line or self.line

    def sort_key(self) -> tuple[int, str, int, str]:
        return (-self.severity.rank, self.path, self.line, self.rule_id)

    @property
    def deployed(self) -> bool:
        """About a deployed resource, not a line of a file."""
        return self.resource is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.message,
            "path": None if self.deployed else self.path,
            "line": None if self.deployed else self.line,
            "end_line": None if self.deployed else self.last_line,
            "function": self.function,
            **({"functions": list(self.functions)} if self.functions else {}),
            "engine": self.engine,
            "fingerprint": self.fingerprint,
            "suggestion": self.suggestion,
            "help_url": self.help_url,
            "related": [{"path": loc.path, "line": loc.line} for loc in self.related],
            **({"loop": self.loop.to_json()} if self.loop is not None else {}),
            **({"resource": self.resource, "region": self.region, "account": self.account}
               if self.deployed else {}),
        }
