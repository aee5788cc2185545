"""The shipped JSON schema and the validator agree, so editor completion never suggests a key we reject."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from reviewer.config import ConfigError, Settings, _FileSettings, load_config_file
from reviewer.located import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "lambda-review.schema.json").read_text())


def _readme_example() -> str:
    readme = (ROOT / "docs" / "settings.md").read_text()
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    return block


def test_schema_lists_exactly_the_keys_the_validator_accepts():
    assert set(SCHEMA["properties"]) == set(_FileSettings.KEYS)


def test_readme_example_passes_both_the_schema_and_the_validator(tmp_path):
    example = _readme_example()
    jsonschema.validate(_plain(load_yaml(example)), SCHEMA)
    path = tmp_path / ".lambda-review.yml"
    path.write_text(example)
    settings = load_config_file(path, Settings())
    assert settings.fail_on == "error" and settings.ignore[0].reason


@pytest.mark.parametrize("document", ["fail-on: sometimes\n", "unknown-key: 1\n", "severity:\n  LR1: off\n",
                                      "ignore:\n  - rule: LR100\n    path: x\n"])
def test_documents_the_validator_rejects_the_schema_rejects_too(tmp_path, document):
    path = tmp_path / ".lambda-review.yml"
    path.write_text(document)
    with pytest.raises(ConfigError):
        load_config_file(path, Settings())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_plain(load_yaml(document)), SCHEMA)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def test_the_schema_names_exactly_the_catalogue_rule_ids():
    """A rule added to the catalogue is accepted by the schema too (and a retired one refused)."""
    import json
    from pathlib import Path

    from reviewer.rules import RULES

    schema = (Path(__file__).resolve().parents[1] / "lambda-review.schema.json").read_text(encoding="utf-8")
    expected = "^(" + "|".join(RULES) + "|bandit/B[0-9]{3})$"
    assert json.dumps(expected) in schema
    assert '"^(LR[0-9]{3}' not in schema
