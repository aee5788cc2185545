"""The line-aware YAML loader: YAML 1.2 scalars, CloudFormation tags, and libyaml agreeing with PyYAML.

Templates are composed by libyaml (PyYAML's C parser) for speed; a PyYAML built without it falls
back to PyYAML's Python parser. Both must give the same values on the same lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reviewer import located
from reviewer.located import LocatedList, LocatedMap, load_yaml

FIXTURES = Path(__file__).parent / "fixtures"
YAML_FILES = sorted(path for pattern in ("*.yaml", "*.yml") for path in FIXTURES.rglob(pattern)
                    if "hostile" not in path.parts)


def with_lines(value: Any) -> Any:
    """A value with every line it carries, comparable with ==."""
    if isinstance(value, LocatedMap):
        return ("map", value.line, {key: (value.key_lines.get(key), with_lines(item)) for key, item in value.items()})
    if isinstance(value, LocatedList):
        return ("list", value.line, value.item_lines, [with_lines(item) for item in value])
    return (type(value).__name__, value, getattr(value, "line", None), getattr(value, "end_line", None))


def loaded_with(composer_class: Any, text: str) -> Any:
    root = located._compose(text, composer_class)
    return None if root is None else located._Converter().convert(root, 0)


def test_the_fixtures_hold_yaml_to_compare_and_libyaml_is_used():
    assert len(YAML_FILES) >= 20
    assert located._Composer is not located._PureComposer      # the wheels pinned here include libyaml


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="this PyYAML has no libyaml")
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_libyaml_and_pyyaml_give_the_same_values_on_the_same_lines(path):
    text = path.read_text(encoding="utf-8")
    try:
        expected = with_lines(loaded_with(located._PureComposer, text))
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            loaded_with(located._Composer, text)
        return
    assert with_lines(loaded_with(located._Composer, text)) == expected


def test_plain_scalars_follow_the_yaml_1_2_core_schema():
    document = load_yaml(
        "on: yes\nenabled: true\noff_value: off\noctal_like: 010\nhex: 0x1F\noctal: 0o17\n"
        "ratio: 1.5\nnothing: ~\nempty:\nversion: 2012-10-17\ngrouped: 1_000\n")
    assert document == {"on": "yes", "enabled": True, "off_value": "off", "octal_like": 10, "hex": 31,
                         "octal": 15, "ratio": 1.5, "nothing": None, "empty": None, "version": "2012-10-17",
                         "grouped": "1_000"}


def test_short_form_tags_merge_keys_and_lines():
    document = load_yaml(
        "Defaults: &defaults\n  Timeout: 30\n"
        "Fn:\n  <<: *defaults\n  Role: !GetAtt Role.Arn\n  Topic: !Ref Topic\n  Body: !Sub |\n    a\n    b\n")
    function = document["Fn"]
    assert function == {"Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Topic": {"Ref": "Topic"},
                        "Body": {"Fn::Sub": "a\nb\n"}, "Timeout": 30}
    assert function.key_lines == {"Role": 5, "Topic": 6, "Body": 7, "Timeout": 2}
    assert function["Role"]["Fn::GetAtt"][0].line == 5


def test_strings_on_the_same_lines_share_one_attribute_dictionary():
    """A `str` subclass cannot have slots: each loaded string's `line`/`end_line` dictionary was a
    third of a monorepo's templates in memory. Strings on the same lines share one."""
    text = ("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12, "
            "Handler: app.handler, Role: !GetAtt Role.Arn}\n  Other:\n    Type: 'AWS::SQS::Queue'\n"
            "    Properties:\n      QueueName: |\n        two\n        lines\n")
    first, second = load_yaml(text), load_yaml(text)
    properties = first["Resources"]["Fn"]["Properties"]
    on_line_4 = [*properties, properties["Runtime"], properties["Handler"], *properties["Role"]["Fn::GetAtt"]]

    assert [(value.line, value.end_line) for value in on_line_4] == [(4, 4)] * len(on_line_4)
    assert len({id(value.__dict__) for value in on_line_4}) == 1
    assert second["Resources"]["Fn"]["Properties"]["Runtime"].__dict__ is properties["Runtime"].__dict__
    queue = first["Resources"]["Other"]
    assert (queue["Type"].line, queue["Type"].end_line) == (6, 6)
    name = queue["Properties"]["QueueName"]
    assert (name, name.line, name.end_line) == ("two\nlines\n", 8, 11)
    assert name.__dict__ is not queue["Type"].__dict__


def test_past_the_shared_limit_a_string_gets_a_dictionary_of_its_own(monkeypatch):
    monkeypatch.setattr(located, "_SHARED_LINES", {})
    monkeypatch.setattr(located, "MAX_SHARED_LINES", 2)
    document = load_yaml("a: x\nb: y\nc: z\n")
    assert [(key.line, value.line) for key, value in document.items()] == [(1, 1), (2, 2), (3, 3)]
    assert len(located._SHARED_LINES) == 2
