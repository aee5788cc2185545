"""A Serverless function's imports are followed into the layers its service builds from local
folders (`layers: {common: {path: layers/common}}`, used as `{Ref: CommonLambdaLayer}`), as
Lambda imports them from /opt/python after the function's own code."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.serverless.layers import layer_logical_id
from reviewer.workspace import Workspace

# The shape of a Python service whose shared helpers live in a layer folder next to the handlers:
# one function names the layer itself, the others take the provider's list (which also holds an
# ARN layer, not in the repository), and one overrides it with an empty list of its own.
SERVICE = """\
service: carts
provider:
  name: aws
  runtime: python3.12
  layers:
    - arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7
    - !Ref SharedDashutilsLambdaLayer
layers:
  shared-utils:
    path: layers/shared
    compatibleRuntimes: [python3.12]
  node_tools:
    path: layers/node
functions:
  lookup:
    handler: handlers/lookup.handler
    events:
      - httpApi: GET /lookup
  export:
    handler: handlers/export.handler
    layers:
      - Ref: SharedDashutilsLambdaLayer
      - Ref: NodeUnderscoretoolsLambdaLayer
  bare:
    handler: handlers/bare.handler
    layers: []
"""


def _write(root: Path) -> None:
    (root / "serverless.yml").write_text(SERVICE)
    for folder in ("handlers", "layers/shared/python/shared", "layers/node/nodejs"):
        (root / folder).mkdir(parents=True)
    (root / "handlers" / "lookup.py").write_text(
        "from shared.catalog import fetch_item\n\n\n"
        "def handler(event, context):\n    return fetch_item(event['queryStringParameters']['source'])\n")
    (root / "handlers" / "export.py").write_text(
        "from shared.ops import export\n\n\ndef handler(event, context):\n    return export('carts')\n")
    (root / "handlers" / "bare.py").write_text("def handler(event, context):\n    return {}\n")
    (root / "layers" / "shared" / "python" / "shared" / "__init__.py").write_text("")
    (root / "layers" / "shared" / "python" / "shared" / "catalog.py").write_text(
        "import requests\n\n\ndef fetch_item(source):\n    return requests.get(source, timeout=5).text\n")
    (root / "layers" / "shared" / "python" / "shared" / "ops.py").write_text(
        "import subprocess\n\n\ndef export(table):\n"
        "    return subprocess.run(f'aws dynamodb scan --table-name {table}', shell=True, check=False)\n")


def _findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    findings: list[dict] = json.loads(out.getvalue())["findings"]
    return findings


def test_the_framework_s_layer_logical_ids():
    assert layer_logical_id("shared-utils") == "SharedDashutilsLambdaLayer"
    assert layer_logical_id("node_tools") == "NodeUnderscoretoolsLambdaLayer"
    assert layer_logical_id("common") == "CommonLambdaLayer"


def test_a_function_takes_its_own_layers_else_the_provider_s_and_only_their_python_folders(tmp_path):
    _write(tmp_path)
    functions = {f.name: f for f in build_inventory(Workspace(tmp_path)).functions}
    assert functions["lookup"].layer_paths == ("layers/shared/python",)      # the provider's list
    assert functions["export"].layer_paths == ("layers/shared/python",)      # its own; the Node layer has no python/
    assert functions["bare"].layer_paths == ()                                # its own, empty list


def test_event_data_and_bandit_follow_the_handler_into_the_layer(tmp_path):
    _write(tmp_path)
    findings = _findings(tmp_path)
    ssrf = [(f["path"], f["line"], f["function"]) for f in findings if f["rule_id"] == "LR306"]
    assert ssrf == [("layers/shared/python/shared/catalog.py", 5, "lookup")]
    shell = [(f["path"], f["function"]) for f in findings if f["rule_id"] == "bandit/B602"]
    assert shell == [("layers/shared/python/shared/ops.py", "export")]
