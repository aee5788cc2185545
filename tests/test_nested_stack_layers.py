"""Layers a root template passes to its nested stacks as a parameter are the nested functions' layers.

The shape of a large SAM app (seen on real history): a root template nests a layers stack and an
API stack, and hands the API stack `CommonLayers`, a list joined from the layers stack's outputs;
the API stack's functions take `Layers: !Ref CommonLayers` from Globals. A change to a module of
such a layer touches the functions importing it, so a review must analyse them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reviewer.config import resolve_settings
from reviewer.inventory import build_inventory
from reviewer.review import carry_over
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified
from reviewer.workspace import Workspace

ROOT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ToolsLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: ../layers/tools/
    Metadata:
      BuildMethod: python3.12
  SharedStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./shared.yaml
  OrdersStack:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./orders.yaml
      Parameters:
        StackLayers: !Join
          - ","
          - - !GetAtt SharedStack.Outputs.FetchLayerArn
            - !Ref ToolsLayer
"""
SHARED = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  FetchLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: ../layers/fetch/
Outputs:
  FetchLayerArn:
    Value: !Ref FetchLayer
"""
ORDERS = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  StackLayers:
    Type: CommaDelimitedList
Globals:
  Function:
    Runtime: python3.12
    Layers: !Ref StackLayers
Resources:
  ListOrders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../src/orders/
      Handler: app.handler
"""
HANDLER = ("from fetching import fetch\n\n\ndef handler(event, context):\n"
           "    return fetch(event['queryStringParameters']['source'])\n")
FETCH = "import requests\n\n\ndef fetch(source):\n    return requests.get('https://example.com/', timeout=5).text\n"
FETCH_ANY = "import requests\n\n\ndef fetch(source):\n    return requests.get(source, timeout=5).text\n"
FILES = {
    "templates/template.yaml": ROOT, "templates/shared.yaml": SHARED, "templates/orders.yaml": ORDERS,
    "src/orders/app.py": HANDLER, "layers/fetch/python/fetching.py": FETCH,
    "layers/tools/tools.py": "def noop():\n    return None\n",
}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_a_nested_function_takes_the_layers_its_parent_passes_down(tmp_path):
    _write(tmp_path, FILES)
    [function] = [f for f in build_inventory(Workspace(tmp_path)).functions if f.name == "ListOrders"]
    # The layers stack's output (no BuildMethod: its python/ folder) and the root's own layer.
    assert function.layer_paths == ("layers/fetch/python", "layers/tools")
    # Each hop is among the function's places, so the review knows the function depends on them.
    assert {place.path for place in function.locations.values()} >= {
        "templates/template.yaml", "templates/shared.yaml", "templates/orders.yaml"}


@pytest.mark.parametrize("carry", ["1", "0"])
def test_a_change_to_a_layer_passed_down_touches_the_nested_function(tmp_path, monkeypatch, carry):
    monkeypatch.setenv(carry_over.SWITCH, carry)
    _write(tmp_path, FILES)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    base = _git(tmp_path, "rev-parse", "HEAD").strip()
    _write(tmp_path, {"layers/fetch/python/fetching.py": FETCH_ANY})
    _git(tmp_path, "commit", "-q", "-am", "head")
    head = _git(tmp_path, "rev-parse", "HEAD").strip()

    diff = diff_map_from_unified(review_git.unified_diff(tmp_path, base, head))
    outcome = review_change(tmp_path, resolve_settings(tmp_path, None, reference_date="2026-01-01"), diff,
                            base_rev=base, head_rev=head)

    assert ("LR306", "layers/fetch/python/fetching.py") in {(f.rule_id, f.path) for f in outcome.plan.new}
    assert not any("touches none" in note for note in outcome.facts.notes)
