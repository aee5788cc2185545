"""Readers added in session 13 whose work grew faster than the input, on hostile repositories.

Each test counts the work on an input small enough for the old code to finish, and large enough
that the old count shows the blow-up (the same shapes, a little larger, never finished).
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _cycle_template(other: str, references: int) -> str:
    refs = ", ".join(["!Ref Shared"] * references)
    return f"""\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Shared: {{Type: CommaDelimitedList}}
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./{other}
      Parameters:
        Shared: !Join [",", [{refs}]]
  Worker:
    Type: AWS::Serverless::Function
    Properties: {{Runtime: python3.12, Handler: app.handler, CodeUri: src/, Layers: !Ref Shared}}
"""


def test_nested_layers_follow_each_parameter_once_round_a_cycle(tmp_path, monkeypatch):
    """Two templates nesting each other, each passing its parameter on as a list of references
    to itself: the old reader followed every reference down to its hop limit (4**7 values for
    four references, 20**7 for twenty)."""
    from reviewer.inventory.cloudformation import nested_layers

    _write(tmp_path, {"a.yaml": _cycle_template("b.yaml", 4), "b.yaml": _cycle_template("a.yaml", 4),
                      "src/app.py": "def handler(event, context):\n    return None\n"})
    followed = []
    original = nested_layers.NestedLayers._value

    def counting(self, *args, **kwargs):
        followed.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(nested_layers.NestedLayers, "_value", counting)
    inventory = build_inventory(Workspace(tmp_path))
    assert sorted(f.location.path for f in inventory.functions) == ["a.yaml", "b.yaml"]
    assert len(followed) < 100
