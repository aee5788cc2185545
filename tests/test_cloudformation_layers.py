"""A SAM function's imports are followed into the layers the template builds from local folders,
as Lambda imports them from /opt/python after the function's own code."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.config import Settings
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified
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


def _with_layer_shell_helpers(root: Path) -> None:
    """The layer also holds a package of shell helpers the handler imports, and a module it does not."""
    _write(root)
    (root / "common" / "ops").mkdir(exist_ok=True)
    (root / "common" / "ops" / "__init__.py").write_text("import subprocess\n\nPIPE = subprocess.PIPE\n")
    (root / "common" / "ops" / "export.py").write_text(
        "import subprocess\n\n\ndef export(table):\n"
        "    return subprocess.run(f'aws dynamodb scan --table-name {table}', shell=True, check=False)\n")
    (root / "common" / "unused.py").write_text("import hashlib\n\n\ndef tag(body):\n    return hashlib.md5(body).hexdigest()\n")
    (root / "cart" / "lookup.py").write_text(
        "from catalog import fetch_item\nfrom formats import as_json\nfrom ops.export import export\n\n\n"
        "def handler(event, context):\n    export('carts')\n"
        "    return as_json(fetch_item(event['queryStringParameters']['source']))\n")


def test_bandit_reviews_the_layer_modules_the_handler_imports_as_the_function_s_code(tmp_path):
    _with_layer_shell_helpers(tmp_path)
    bandit = [(f["rule_id"], f["path"], f["function"]) for f in _findings(tmp_path) if f["engine"] == "bandit"]
    # the package's __init__ runs on import too; the module nobody imports is not the function's code
    assert ("bandit/B602", "common/ops/export.py", "LookupFunction") in bandit
    assert ("bandit/B404", "common/ops/__init__.py", "LookupFunction") in bandit
    assert not [item for item in bandit if item[1] == "common/unused.py"]


def test_a_review_of_a_change_to_the_layer_reports_its_bandit_finding_as_new(tmp_path):
    import subprocess

    _with_layer_shell_helpers(tmp_path)
    (tmp_path / "common" / "ops" / "export.py").write_text("def export(table):\n    return table\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    (tmp_path / "common" / "ops" / "export.py").write_text(
        "import subprocess\n\n\ndef export(table):\n"
        "    return subprocess.run(f'aws dynamodb scan --table-name {table}', shell=True, check=False)\n")
    subprocess.run([*git, "commit", "-q", "-am", "head"], check=True)
    diff = diff_map_from_unified(review_git.unified_diff(tmp_path, "HEAD~1", "HEAD"))
    settings = Settings(audit=False, reference_date=dt.date(2026, 11, 22))
    outcome = review_change(tmp_path, settings, diff, base_rev="HEAD~1", head_rev="HEAD")
    # the change touches LookupFunction through its layer; what the changed module now does is new
    assert sorted((f.rule_id, f.path, f.function) for f in outcome.plan.new) == [
        ("bandit/B404", "common/ops/export.py", "LookupFunction"),
        ("bandit/B602", "common/ops/export.py", "LookupFunction")]


# The usual SAM way to ship a function's libraries: a layer folder holding only requirements.txt,
# which `sam build` installs (a Python BuildMethod); the function's own folder pins nothing.
DEPENDENCIES_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  DependenciesLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: dependencies/
      CompatibleRuntimes: [python3.12]
    Metadata:
      BuildMethod: python3.12
  RenderFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: render/
      Handler: app.handler
      Runtime: python3.12
      Layers: [!Ref DependenciesLayer]
"""


def test_the_audit_reads_the_requirements_a_layer_built_by_sam_installs_for_the_function(tmp_path, osv):
    (tmp_path / "template.yaml").write_text(DEPENDENCIES_TEMPLATE)
    (tmp_path / "render").mkdir()
    (tmp_path / "render" / "app.py").write_text("import jinja2\n\n\ndef handler(event, context):\n    return {}\n")
    (tmp_path / "dependencies").mkdir()
    (tmp_path / "dependencies" / "requirements.txt").write_text("jinja2==2.10\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--osv-url", osv.query_url], stdout=out)
    vulnerable = [(f["rule_id"], f["path"], f["line"], f["function"])
                  for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR500"]
    assert vulnerable and {item[1:] for item in vulnerable} == {("dependencies/requirements.txt", 1, "RenderFunction")}


SHARED_LAYER_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Layers: [!Ref CommonLayer]
Resources:
  CommonLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: common/
    Metadata:
      BuildMethod: python3.12
  ExportFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: export_fn/
      Handler: app.handler
  ArchiveFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: archive_fn/
      Handler: app.handler
"""


def test_a_review_names_every_function_that_imports_a_shared_layer_module_as_a_full_scan_does(tmp_path):
    import subprocess

    (tmp_path / "template.yaml").write_text(SHARED_LAYER_TEMPLATE)
    for folder in ("export_fn", "archive_fn", "common/ops"):
        (tmp_path / folder).mkdir(parents=True)
    for folder in ("export_fn", "archive_fn"):
        (tmp_path / folder / "app.py").write_text(
            "from ops.export import export\n\n\ndef handler(event, context):\n    return export('orders')\n")
    (tmp_path / "common" / "ops" / "__init__.py").write_text("")
    (tmp_path / "common" / "ops" / "export.py").write_text(
        "import subprocess\n\n\ndef export(table):\n"
        "    return subprocess.run(f'aws dynamodb scan --table-name {table}', shell=True, check=False)\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    (tmp_path / "export_fn" / "app.py").write_text(
        "from ops.export import export\n\n\ndef handler(event, context):\n    return export('orders-v2')\n")
    subprocess.run([*git, "commit", "-q", "-am", "head"], check=True)

    scanned = {(f["rule_id"], f["function"], f["fingerprint"]) for f in _findings(tmp_path)
               if f["path"] == "common/ops/export.py"}
    diff = diff_map_from_unified(review_git.unified_diff(tmp_path, "HEAD~1", "HEAD"))
    outcome = review_change(tmp_path, Settings(audit=False, reference_date=dt.date(2026, 11, 22)), diff,
                            base_rev="HEAD~1", head_rev="HEAD")
    reviewed = {(f.rule_id, f.function, f.fingerprint) for f in outcome.plan.findings if f.path == "common/ops/export.py"}
    # two functions ship the module: the finding names neither alone, in a scan as in the review
    assert ("bandit/B602", None) in {item[:2] for item in scanned}
    assert reviewed == scanned                          # the same owners, so the same fingerprints
    assert not [f for f in outcome.plan.new if f.path == "common/ops/export.py"]


# The shape of a SAM app whose Node.js functions share the AWS SDK through a layer `sam build`
# installs from a folder's package.json (a `nodejs*` BuildMethod), another layer zipped as it is
# (its modules under `nodejs/`), and one function that takes no layer.
NODE_LAYER_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 30
Resources:
  ClientsLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: ./layer-clients
      CompatibleRuntimes: [nodejs22.x]
    Metadata:
      BuildMethod: nodejs22.x
  PricingLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/pricing/
  SampleFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions
      Handler: sample.handler
      Layers: [!Ref ClientsLayer, !Ref PricingLayer]
  SummarizeFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions
      Handler: summarize.handler
"""
CLIENTS_MANIFEST = '{\n  "name": "clients-layer",\n  "dependencies": {\n    "@aws-sdk/client-lambda": "%s"\n  }\n}\n'


def _write_node_layers(root: Path) -> None:
    (root / "template.yml").write_text(NODE_LAYER_TEMPLATE)
    for folder in ("functions", "layer-clients", "layers/pricing/nodejs"):
        (root / folder).mkdir(parents=True)
    (root / "functions" / "sample.js").write_text(
        "const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');\n"
        "const client = new LambdaClient({});\n\n"
        "exports.handler = async (event) => client.send(new InvokeCommand({ FunctionName: event.target }));\n")
    (root / "functions" / "summarize.js").write_text("exports.handler = async (event) => ({ count: event.results.length });\n")
    (root / "layer-clients" / "package.json").write_text(CLIENTS_MANIFEST % "^3.600.0")
    (root / "layers" / "pricing" / "nodejs" / "prices.js").write_text("module.exports = { perMs: 2.1e-9 };\n")


def test_a_node_layer_s_folder_is_the_code_of_the_functions_that_take_it(tmp_path):
    _write_node_layers(tmp_path)
    functions = {function.name: function for function in build_inventory(Workspace(tmp_path)).functions}
    # BuildMethod: `sam build` installs the folder's package.json; none: the zip keeps nodejs/ itself
    assert functions["SampleFunction"].layer_paths == ("layer-clients", "layers/pricing/nodejs")
    assert functions["SummarizeFunction"].layer_paths == ()


def test_a_change_to_a_node_layer_s_dependencies_touches_the_functions_that_take_it(tmp_path):
    import subprocess

    _write_node_layers(tmp_path)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    (tmp_path / "layer-clients" / "package.json").write_text(CLIENTS_MANIFEST % "^3.1010.0")
    subprocess.run([*git, "commit", "-q", "-am", "update layer dependencies"], check=True)
    diff = diff_map_from_unified(review_git.unified_diff(tmp_path, "HEAD~1", "HEAD"))
    settings = Settings(audit=False, reference_date=dt.date(2026, 11, 22))
    outcome = review_change(tmp_path, settings, diff, base_rev="HEAD~1", head_rev="HEAD")
    # every function that takes the layer runs the SDK it installs: the summary must not say the
    # change touches none of their dependency files
    assert not [note for note in outcome.facts.notes if note.startswith("This change touches none")]
    (focus,) = [note for note in outcome.facts.notes if note.startswith("Only the code and dependencies")]
    assert "(SampleFunction)" in focus
