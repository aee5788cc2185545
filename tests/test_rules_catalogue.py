"""The rule catalogue is code: each rule an importable constant that builds its own findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer import rules
from reviewer.config import ConfigError, Settings, load_config_file
from reviewer.findings import Severity
from reviewer.rules import LR101, LR304, RULES


def test_every_rule_is_a_constant_named_after_its_id_and_records_its_analyzer():
    for rule_id, rule in RULES.items():
        assert getattr(rules, rule_id) is rule
        assert rule.analyzer, f"{rule_id} does not say which analyzer emits it"


def test_a_rule_builds_its_finding_with_its_own_title_severity_and_reference():
    finding = LR101.finding("message", "template.yaml", 7, function="Fn", evidence="runtime=python3.7")
    assert (finding.rule_id, finding.title, finding.severity, finding.help_url) == (
        "LR101", LR101.title, Severity.ERROR, LR101.help_url)
    assert LR304.finding("m", "t.yaml", 1, severity=Severity.NOTICE).severity is Severity.NOTICE


@pytest.mark.parametrize("document", [
    "severity:\n  LR999: off\n",
    "ignore:\n  - {rule: LR999, reason: typo}\n",
])
def test_the_settings_refuse_an_unknown_rule_and_name_the_known_ones(tmp_path: Path, document: str):
    path = tmp_path / ".lambda-review.yml"
    path.write_text(document)
    with pytest.raises(ConfigError) as raised:
        load_config_file(path, Settings())
    assert "'LR999' is not a known rule id" in str(raised.value) and "LR100" in str(raised.value)
