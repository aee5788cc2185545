"""Accepting one advisory in `.lambda-review.yml` (`ignore:` with rule LR500), until its expiry date.

The audit runs for real against the loopback OSV stand-in; the settings file is the team's record
of which advisory was accepted, why, and until when.
"""

from __future__ import annotations

import textwrap

import pytest
from test_dependency_audit import by_rule, copy_fixture, findings

from reviewer.config import ConfigError, Settings, load_config_file

ACCEPT_BOTH = textwrap.dedent("""\
    ignore:
      - rule: LR500
        advisory: CVE-2019-10906
        reason: "The sandbox is not used: templates are our own (SEC-42)"
        expires: 2026-06-30
      - rule: LR500
        advisory: GHSA-8q59-q68h-6hv4
        reason: "Only trusted input reaches it (SEC-43)"
        expires: 2026-06-30
    """)


def _repo(tmp_path, settings_text: str | None):
    repo = copy_fixture("sam-monorepo", tmp_path)
    if settings_text is not None:
        (repo / ".lambda-review.yml").write_text(settings_text)
    return repo


def test_accepted_advisories_are_not_reported_until_they_expire(tmp_path, osv):
    repo = _repo(tmp_path, ACCEPT_BOTH)
    assert by_rule(findings(repo, osv.query_url), "LR500") == []                     # judged on 2026-01-01

    expired = by_rule(findings(repo, osv.query_url, "--reference-date", "2026-07-01"), "LR500")
    assert expired and all("CVE-2019-10906" in f["message"] or "GHSA-8q59-q68h-6hv4" in f["message"] for f in expired)


def test_accepting_one_advisory_keeps_the_others(tmp_path, osv):
    """The fixture pins jinja2 (PYSEC-2019-217, alias CVE-2019-10906) and PyYAML (PYSEC-2021-142,
    alias GHSA-8q59-q68h-6hv4) releases; accepting the first leaves the second reported."""
    everything = by_rule(findings(_repo(tmp_path / "a", None), osv.query_url), "LR500")
    one = ACCEPT_BOTH.split("  - rule: LR500\n    advisory: GHSA")[0]
    assert "GHSA" not in one
    kept = by_rule(findings(_repo(tmp_path / "b", one), osv.query_url), "LR500")

    assert {f["path"] for f in everything if "PYSEC-2019-217" in f["message"]}
    assert kept and not any("PYSEC-2019-217" in f["message"] for f in kept)
    assert [f for f in everything if "PYSEC-2021-142" in f["message"]] == kept


def test_an_advisory_entry_does_not_silence_the_rule_for_every_path(tmp_path, osv):
    """Without `advisory`, an LR500 entry silences the rule for its paths; with it, only the advisory."""
    unrelated = ACCEPT_BOTH.replace("CVE-2019-10906", "GHSA-0000-0000-0000").replace(
        "GHSA-8q59-q68h-6hv4", "PYSEC-0000-0")
    assert by_rule(findings(_repo(tmp_path, unrelated), osv.query_url), "LR500")


@pytest.mark.parametrize("entry, message", [
    ("- {rule: LR100, advisory: CVE-2019-10906, reason: x, expires: 2026-06-30}", "only an LR500 entry"),
    ("- {rule: LR500, advisory: CVE-2019-10906, reason: x}", "needs the day"),
    ("- {rule: LR500, advisory: CVE-2019-10906, reason: x, expires: 2026-06-30, path: 'a/*'}", "leave out path"),
    ("- {rule: LR500, advisory: 'CVE 2019', reason: x, expires: 2026-06-30}", "not an advisory id"),
    ("- {rule: LR500, advisory: CVE-2019-10906, reason: ' ', expires: 2026-06-30}", "say why"),
])
def test_a_malformed_advisory_ignore_names_its_line_and_stops_the_run(tmp_path, entry, message):
    path = tmp_path / ".lambda-review.yml"
    path.write_text("fail-on: error\nignore:\n  " + entry + "\n")
    with pytest.raises(ConfigError, match=message) as raised:
        load_config_file(path, Settings())
    assert f"{path}:3: ignore[0]" in str(raised.value)


def test_the_audit_is_given_the_input_ids_and_the_unexpired_file_ids(tmp_path):
    import datetime as dt
    from dataclasses import replace

    path = tmp_path / ".lambda-review.yml"
    path.write_text(ACCEPT_BOTH)
    settings = replace(load_config_file(path, Settings()), ignore_vulns=("PYSEC-2019-217",),
                       reference_date=dt.date(2026, 6, 30))
    assert settings.audit_ignores() == ("PYSEC-2019-217", "CVE-2019-10906", "GHSA-8q59-q68h-6hv4")
    assert replace(settings, reference_date=dt.date(2026, 7, 1)).audit_ignores() == ("PYSEC-2019-217",)
