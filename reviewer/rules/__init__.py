"""The rule catalogue: the one place that says what each rule id means.

`lambda-review rules`, `lambda-review explain`, SARIF `rules[]` and docs/rules.md all read these
entries, so a rule's title, default severity, rationale and fix are written exactly once.

Each family has its module (`lr1xx_runtimes`, `lr2xx_recursion`, `lr3xx_access`,
`lr4xx_lr5xx_deployment`, `lr9xx_notices`); `Rule` is in `rule.py`, the documentation links in
`references.py`. This package gathers them: every rule is importable from here
(`from reviewer.rules import LR101`), in `RULES` by id, and found by `get_rule`.
"""

from __future__ import annotations

from reviewer.rules.lr1xx_runtimes import LR100, LR101, LR102, LR103, LR104, LR105, LR106, LR107
from reviewer.rules.lr2xx_recursion import LR200, LR201, LR202, LR203, LR204, LR205, LR206
from reviewer.rules.lr3xx_access import LR300, LR301, LR302, LR303, LR304, LR305, LR306, LR307
from reviewer.rules.lr4xx_lr5xx_deployment import LR400, LR401, LR402, LR500, LR501
from reviewer.rules.lr9xx_notices import LR900, LR901, LR902, LR903, LR904
from reviewer.rules.references import (
    API_AUTH_DOC, CODE_SIGNING_DOC, CONFUSED_DEPUTY_DOC, EPHEMERAL_STORAGE_DOC, EXECUTION_ROLE_DOC,
    FUNCTION_URL_AUTH_DOC, PROJECT_DOC, RECURSION_DOC, RUNTIME_UPDATES_DOC, RUNTIMES_DOC, SECRETS_DOC,
    SHARED_RESPONSIBILITY_DOC, VERSIONS_DOC,
)
from reviewer.rules.rule import Rule

_RULES: tuple[Rule, ...] = (
    LR100,
    LR101,
    LR102,
    LR103,
    LR104,
    LR105,
    LR106,
    LR107,
    LR200,
    LR201,
    LR202,
    LR203,
    LR204,
    LR205,
    LR206,
    LR300,
    LR301,
    LR302,
    LR303,
    LR304,
    LR305,
    LR306,
    LR307,
    LR400,
    LR401,
    LR402,
    LR500,
    LR501,
    LR900,
    LR901,
    LR902,
    LR903,
    LR904,
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def get_rule(rule_id: str) -> Rule | None:
    """The catalogue entry for `rule_id` (case-insensitive), or None."""
    return RULES.get(rule_id.upper())


__all__ = [
    "Rule", "RULES", "get_rule", "LR100", "LR101", "LR102", "LR103", "LR104", "LR105", "LR106", "LR107", "LR200",
    "LR201", "LR202", "LR203", "LR204", "LR205", "LR206", "LR300", "LR301", "LR302", "LR303", "LR304", "LR305",
    "LR306", "LR307", "LR400", "LR401", "LR402", "LR500", "LR501", "LR900", "LR901", "LR902", "LR903", "LR904",
    "API_AUTH_DOC", "CODE_SIGNING_DOC", "CONFUSED_DEPUTY_DOC", "EPHEMERAL_STORAGE_DOC", "EXECUTION_ROLE_DOC",
    "FUNCTION_URL_AUTH_DOC", "PROJECT_DOC", "RECURSION_DOC", "RUNTIMES_DOC", "RUNTIME_UPDATES_DOC", "SECRETS_DOC",
    "SHARED_RESPONSIBILITY_DOC", "VERSIONS_DOC",
]
