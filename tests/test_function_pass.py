"""A scan's syntax trees are held within a budget: the code analyzers read function by function,
keep small results, and give the same report as with every tree kept.

The fixture is a SAM stack of functions shaped like a monorepo's: each a handler, a module of
its own, and a helper copied into every function's folder (the same text at many paths).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import weakref
from dataclasses import asdict
from pathlib import Path
from typing import Any

from reviewer.config import Settings
from reviewer.content_cache import ContentCache
from reviewer.scan import scan_checkout

SETTINGS = Settings(reference_date=dt.date(2026, 1, 1), osv_url="http://127.0.0.1:9/v1/query", audit=False)
FUNCTIONS = 10
HELPER = '''\
import boto3

S3 = boto3.client("s3")


def save(bucket, key, body):
    S3.put_object(Bucket=bucket, Key=key, Body=body)
'''


def _repository(root: Path) -> Path:
    resources = []
    for number in range(FUNCTIONS):
        folder = root / "src" / f"fn{number}"
        folder.mkdir(parents=True)
        (folder / "helper.py").write_text(HELPER)
        (folder / "model.py").write_text(
            f"TABLE = 'orders-{number}'\n\n\ndef row(event):\n    return {{'id': event['id'], 'n': {number}}}\n")
        (folder / "app.py").write_text(
            "import os\nimport subprocess\n\nimport helper\nimport model\n\n\n"
            "def handler(event, context):\n"
            f"    open('/tmp/out-{number}.csv', 'w').write('x')\n"
            "    subprocess.run(event['command'], shell=True)\n"
            "    helper.save(os.environ['BUCKET'], 'out/' + event['id'], str(model.row(event)))\n")
        resources.append(f"""\
  Fn{number}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/fn{number}/
      Environment:
        Variables:
          BUCKET: !Ref Uploads
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
""")
    (root / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Uploads:\n    Type: AWS::S3::Bucket\n" + "".join(resources))
    return root


def _report(root: Path, cache: ContentCache) -> dict[str, Any]:
    result = scan_checkout(root, SETTINGS, cache=cache)
    return {"findings": [asdict(finding) for finding in result.findings], "left_out": result.left_out,
            "coverage": [function.loop_coverage for function in result.functions],
            "engines": {name: status.state for name, status in result.engine_status.items()}}


def _size(root: Path, name: str) -> int:
    return len((root / "src" / "fn0" / name).read_text())


def test_a_scan_within_a_small_tree_budget_reports_what_an_unbounded_one_does(tmp_path):
    root = _repository(tmp_path)
    unbounded = ContentCache(budget=10**9, shared_budget=10**9)
    tiny = ContentCache(budget=1, shared_budget=1)

    expected = _report(root, unbounded)
    found = _report(root, tiny)

    assert found == expected
    rules = {finding["rule_id"] for finding in expected["findings"]}
    assert {"LR201", "LR402", "LR306"} <= rules                 # recursion, /tmp and taint all read code
    assert unbounded.most_held >= 2 * FUNCTIONS                 # every function's own modules, kept
    assert tiny.most_held <= 2                                  # one tree at a time, per segment
    assert tiny.evictions["python"] > 0


def test_a_function_s_trees_are_read_once_and_a_copied_helper_is_parsed_once(tmp_path):
    root = _repository(tmp_path)
    # Room for one function's own modules, not for the next function's too.
    one_function = _size(root, "app.py") + _size(root, "model.py") + 8
    cache = ContentCache(budget=one_function, shared_budget=_size(root, "helper.py"))

    _report(root, cache)

    # Each function's handler and model parsed once, though at most a few trees were held; the
    # helper every function ships (its copies are one text) at most twice: once a second path
    # has asked for it, it is kept apart, and no later function parses it again.
    assert 2 * FUNCTIONS + 1 <= cache.parses["python"] <= 2 * FUNCTIONS + 2
    assert cache.most_held <= 4
    assert cache.hits["python"] >= FUNCTIONS - 2


def test_nothing_but_the_cache_keeps_a_tree_after_the_scan(tmp_path, monkeypatch):
    root = _repository(tmp_path)
    trees: list[weakref.ref[Any]] = []
    held = ContentCache.held

    def recording(self: ContentCache, kind: str, *args: Any, **kwargs: Any) -> Any:
        value = held(self, kind, *args, **kwargs)
        if kind == "python" and not any(ref() is value for ref in trees):
            trees.append(weakref.ref(value))
        return value

    monkeypatch.setattr(ContentCache, "held", recording)
    cache = ContentCache(budget=_size(root, "app.py") + _size(root, "model.py") + 8,
                         shared_budget=_size(root, "helper.py"))

    result = scan_checkout(root, SETTINGS, cache=cache)
    gc.collect()

    alive = sum(1 for ref in trees if ref() is not None)
    assert len(trees) >= 2 * FUNCTIONS + 1 and result.findings
    assert alive == cache.held_count("python") <= 4


def test_the_json_report_is_joined_in_batches_and_reads_as_json_dumps_does():
    from reviewer.publish import json_text

    findings = [{"rule_id": f"LR{number}", "message": "caf\u00e9 \"quoted\"", "line": number, "end": None}
                for number in range(3 * json_text.PIECES_PER_JOIN // 10)]
    value = {"findings": findings, "counts": {"error": 1.5, "notice": 0}, "empty": [], "none": {}}

    assert json_text.dumps_indented(value) == json.dumps(value, indent=2)


def _node_repository(root: Path) -> Path:
    resources = []
    for number in range(4):
        folder = root / "web" / f"fn{number}"
        folder.mkdir(parents=True)
        (folder / "store.js").write_text(
            "const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');\n"
            "const s3 = new S3Client({});\n"
            "exports.save = (key, body) => s3.send(new PutObjectCommand("
            "{ Bucket: process.env.BUCKET, Key: key, Body: body }));\n")
        (folder / "index.js").write_text(
            "const fs = require('fs');\nconst store = require('./store');\n"
            "exports.handler = async (event) => {\n"
            f"  fs.writeFileSync('/tmp/report-{number}.json', JSON.stringify(event));\n"
            "  await store.save('out/' + event.Records[0].s3.object.key, 'x');\n};\n")
        resources.append(f"""\
  Web{number}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: web/fn{number}/
      Environment:
        Variables:
          BUCKET: !Ref Uploads
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
""")
    (root / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Uploads:\n    Type: AWS::S3::Bucket\n" + "".join(resources))
    return root


def test_node_handlers_read_within_a_small_budget_report_what_an_unbounded_scan_does(tmp_path):
    root = _node_repository(tmp_path)
    unbounded = ContentCache(budget=10**9, shared_budget=10**9)
    tiny = ContentCache(budget=1, shared_budget=1)

    expected = _report(root, unbounded)
    found = _report(root, tiny)

    assert found == expected
    assert {"LR201", "LR402"} <= {finding["rule_id"] for finding in expected["findings"]}
    assert unbounded.held_count("js-index") == 8 and tiny.held_count("js-index") <= 1


def test_the_tmp_check_alone_reads_a_node_handler_the_recursion_check_read_before(tmp_path):
    from reviewer.analyzers.interface import AnalysisContext
    from reviewer.analyzers.recursion import RecursionAnalyzer
    from reviewer.analyzers.tmp_storage import TmpStorageAnalyzer
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    root = _node_repository(tmp_path)
    workspace = Workspace(root, parsed=ContentCache(budget=1, shared_budget=1))
    context = AnalysisContext(workspace, build_inventory(workspace), SETTINGS)

    list(RecursionAnalyzer().analyze(context))       # every reading kept, without its program
    found = list(TmpStorageAnalyzer().analyze(context))

    assert sorted(finding.path for finding in found if finding.rule_id == "LR402") == [
        f"web/fn{number}/index.js" for number in range(4)]
