"""`recorded_paths` (reviewer.inventory.carry_over) finds every Location a function's facts hold.

It picks its branch by the value's type, worked out once per type: the paths must be those a walk
asking `isinstance` of every value finds, for every function of the examples.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from reviewer.inventory import build_inventory
from reviewer.inventory import carry_over
from reviewer.located import LocatedMap, LocatedStr
from reviewer.model import Location
from reviewer.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _reference(value: Any, depth: int, paths: set[str]) -> None:
    if depth > 6 or value is None or isinstance(value, (str, int, float, bool)):
        return
    if isinstance(value, Location):
        paths.add(value.path)
    elif isinstance(value, dict):
        for item in value.values():
            _reference(item, depth + 1, paths)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _reference(item, depth + 1, paths)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in ("properties", "environment", "attributes"):
                _reference(getattr(value, field.name), depth + 1, paths)


def _reference_paths(function: Any) -> set[str]:
    paths: set[str] = set()
    for field in dataclasses.fields(function):
        if field.name not in ("properties", "environment", "attributes"):
            _reference(getattr(function, field.name), 0, paths)
    return paths


@pytest.mark.parametrize("example", sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir()))
def test_the_paths_are_those_an_isinstance_walk_finds(example):
    functions = build_inventory(Workspace(EXAMPLES / example)).functions
    for function in functions:
        assert carry_over.recorded_paths(function) == _reference_paths(function), function.name


def test_subclasses_and_classes_take_their_base_types_branch():
    @dataclasses.dataclass
    class Holder:
        located: Any

    here = Location("a/template.yaml", 3)
    mapping = LocatedMap({"k": here})
    found: set[str] = set()
    carry_over._collect_paths([LocatedStr("x"), mapping, Holder(Location("b.py", 1)), Holder, True, None],
                              0, found)
    assert found == {"a/template.yaml", "b.py"}
    deep: Any = Location("deep.py", 1)
    for _ in range(8):
        deep = [deep]
    found = set()
    carry_over._collect_paths(deep, 0, found)
    assert found == set()                                   # past six levels: not walked
