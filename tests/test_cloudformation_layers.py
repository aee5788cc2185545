"""A SAM function's imports are followed into the layers the template builds from local folders,
as Lambda imports them from /opt/python after the function's own code."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

# The shape of a SAM app whose shared helpers live in a layer (`ContentUri: common/`, built by
# `sam build` with a Python BuildMethod), next to a Lambda Insights layer named by its ARN.
TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Layers:
      - arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:14
Resources:
  CommonLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: common/
      CompatibleRuntimes: [python3.12]
    Metadata:
      BuildMethod: python3.12
  VendoredLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: vendored/
  LookupFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: cart/
      Handler: lookup.handler
      Layers:
        - !Ref CommonLayer
        - !Ref VendoredLayer
      Events:
        Get:
          Type: Api
          Properties: {Path: /lookup, Method: get}
"""


def _write(root: Path) -> None:
    (root / "template.yaml").write_text(TEMPLATE)
    for folder in ("cart", "common", "vendored/python"):
        (root / folder).mkdir(parents=True)
    (root / "cart" / "lookup.py").write_text(
        "from catalog import fetch_item\nfrom formats import as_json\n\n\n"
        "def handler(event, context):\n    return as_json(fetch_item(event['queryStringParameters']['source']))\n")
    (root / "common" / "catalog.py").write_text(
        "import requests\n\n\ndef fetch_item(source):\n    return requests.get(source, timeout=5).text\n")
    (root / "vendored" / "python" / "formats.py").write_text("import json\n\n\ndef as_json(text):\n    return json.loads(text)\n")


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    findings: list[dict] = json.loads(out.getvalue())["findings"]
    return findings


def test_event_data_is_followed_into_a_helper_the_function_imports_from_its_layer(tmp_path):
    _write(tmp_path)
    ssrf = [f for f in _findings(tmp_path) if f["rule_id"] == "LR306"]
    assert [(f["path"], f["line"], f["function"]) for f in ssrf] == [("common/catalog.py", 5, "LookupFunction")]


def test_the_layer_folder_on_the_import_path_depends_on_how_the_layer_is_built(tmp_path):
    _write(tmp_path)
    (function,) = build_inventory(Workspace(tmp_path)).functions
    # BuildMethod: `sam build` installs the folder into python/; none: the zip keeps python/ itself
    assert function.layer_paths == ("common", "vendored/python")
    assert function.runtime == "python3.12"


def test_the_function_s_own_module_wins_over_a_layer_s_of_the_same_name(tmp_path):
    _write(tmp_path)
    (tmp_path / "cart" / "catalog.py").write_text("def fetch_item(source):\n    return '{}'\n")
    assert not [f for f in _findings(tmp_path) if f["rule_id"] == "LR306"]
