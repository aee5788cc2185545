"""The settings validator and lambda-review.schema.json judge every document the same way.

Editors check `.lambda-review.yml` with the schema (and SchemaStore serves it); the run checks it
with reviewer/config.py. Both are given the same generated documents, built from each key's valid
values and near misses (case, quoting, types, paths leaving the repository, impossible dates),
and must accept and reject the same ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.config import ConfigError, Settings, load_config_file
from reviewer.located import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "lambda-review.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

_ABSENT = object()
_IGNORE_FIELDS = {
    "rule": ["LR100", "LR500", "bandit/B602", " LR100", "LR1", "lr100", "LR999", 5, None],
    "path": ["services/*", "*", 3, None],
    "reason": ["Tracked in OPS-1", "", "  ", 7, None],
    "expires": ["2027-01-31", "2027-02-30", "20270131", 20270131, "soon", None],
    "advisory": ["GHSA-8q59-q68h-6hv4", "CVE-2019-10906", "bad id", 5, None],
    "owner": ["team-a"],
}
_VALUES = {
    "fail-on": ["error", "warning", "notice", "never", "ERROR", "Error", " error", "sometimes", 1, True, None],
    "runtime-warning-days": [0, 180, -1, "180", 1.0, 1.5, True, None],
    "max-file-size": [0, 100, "100", 16777216, 16777217, -5, 2.0, False, None],
    "exclude": [[], ["legacy/**"], "legacy/**", [1], [None], ["x", 2]],
    "baseline": [".lambda-review-baseline.json", "a/b.json", "../x.json", "/x.json", "~/x.json", "C:/x.json",
                 "a/../b.json", "a\\..\\b.json", " x.json", "", 5, None, "a/b..c.json"],
    "severity": [{}, {"LR104": "off"}, {"LR104": "OFF"}, {"LR1": "off"}, {"LR999": "off"}, {"bandit/B602": "error"},
                 {"LR100": False}, {"LR100": None}, "off"],
    "scan-all-python": [True, False, "true", 1, None],
    "bandit-thresholds": [{}, {"error": "high/medium"}, {"error": "HIGH/medium"}, {"error": "off"},
                          {"critical": "high/high"}, {"warning": "high / low"}, "high/high", {"notice": 5}],
    "inline-severity": ["warning", "notice", "error", "Warning", "never", None],
    "fail-on-existing": [True, False, "yes", "true", 1, None],
    "fail_on": ["error"],                                           # a near miss of a key
}


def _ignore_entry() -> st.SearchStrategy:
    fields = {name: st.sampled_from([_ABSENT, *values]) for name, values in _IGNORE_FIELDS.items()}
    common = {"rule": st.sampled_from(["LR100", "LR500", "LR500", "bandit/B602"]),
              "reason": st.just("Tracked in OPS-1"),
              "expires": st.sampled_from([_ABSENT, "2027-01-31"]), "owner": st.just(_ABSENT),
              "advisory": st.sampled_from([_ABSENT, "GHSA-8q59-q68h-6hv4"]), "path": st.sampled_from([_ABSENT, "a/*"])}
    entry = st.one_of(st.fixed_dictionaries(fields), st.fixed_dictionaries(common))
    return entry.map(lambda item: {k: v for k, v in item.items() if v is not _ABSENT}) | st.sampled_from(["LR100", 3])


_DOCUMENTS = st.fixed_dictionaries({}, optional={
    **{key: st.sampled_from(values) for key, values in _VALUES.items()},
    "ignore": st.one_of(st.lists(_ignore_entry(), max_size=3), st.sampled_from(["LR100", None, {}])),
})


def _judgements(text: str, tmp_path: Path) -> tuple[bool, bool, str]:
    path = tmp_path / ".lambda-review.yml"
    path.write_text(text)
    try:
        load_config_file(path, Settings())
        ours, why = True, ""
    except ConfigError as exc:
        ours, why = False, str(exc)
    errors = list(VALIDATOR.iter_errors(_plain(load_yaml(text))))
    return ours, not errors, why + " | schema: " + "; ".join(error.message for error in errors)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_DOCUMENTS)
def test_the_validator_and_the_schema_agree_on_generated_documents(tmp_path, document):
    text = yaml.safe_dump(document, sort_keys=False) if document else "{}\n"
    ours, schemas, why = _judgements(text, tmp_path)
    assert ours == schemas, f"validator {'accepts' if ours else 'rejects'}, schema {'accepts' if schemas else 'rejects'}:\n{text}{why}"


@pytest.mark.parametrize("text", ["baseline: ../x.json\n", "fail-on: ERROR\n", "max-file-size: '100'\n",
                                  "ignore:\n  - {rule: LR500, advisory: GHSA-8q59-q68h-6hv4, reason: r}\n"])
def test_the_cases_the_issue_names_are_rejected_by_both(tmp_path, text):
    assert _judgements(text, tmp_path)[:2] == (False, False)


def test_an_advisory_ignore_is_accepted_by_both(tmp_path):
    text = "ignore:\n  - {rule: LR500, advisory: GHSA-8q59-q68h-6hv4, reason: r, expires: 2027-01-31}\n"
    assert _judgements(text, tmp_path)[:2] == (True, True)


def test_the_schema_is_ready_for_schemastore():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"].startswith("https://") and SCHEMA["$id"].endswith("/lambda-review.schema.json")
    assert SCHEMA["title"] and SCHEMA["description"] and SCHEMA["additionalProperties"] is False
    for name, spec in SCHEMA["properties"].items():
        assert spec.get("description"), name


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def test_this_repositorys_own_settings_pass_both(tmp_path):
    text = (ROOT / ".lambda-review.yml").read_text()
    assert _judgements(text, tmp_path)[:2] == (True, True)
