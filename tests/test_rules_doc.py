"""docs/rules.md is generated from the rule catalogue and must match it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reviewer.rules import RULES
from reviewer.rules_doc import render_rules_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date_with_the_catalogue():
    assert DOC.read_text(encoding="utf-8") == render_rules_markdown(), (
        "docs/rules.md is out of date: run `python -m reviewer.rules_doc > docs/rules.md`")


def test_every_rule_is_documented_with_examples_and_a_reference():
    text = render_rules_markdown()
    for rule in RULES.values():
        assert f"## {rule.id}: {rule.title}" in text
        assert rule.bad_example.strip() and rule.good_example.strip() and rule.rationale and rule.fix
        assert rule.help_url.startswith("https://")


def test_the_generator_runs_as_a_module():
    completed = subprocess.run([sys.executable, "-m", "reviewer.rules_doc"], capture_output=True, text=True,
                               check=True, cwd=DOC.parents[1])
    assert completed.stdout == render_rules_markdown()
