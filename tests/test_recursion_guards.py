"""Handlers that write back to the resource that triggers them but skip their own output first
(`if key.startswith("previews/"): continue` before writing `previews/...`, a stream handler that
only totals `item#` records and writes a `summary` record, a `.raw` trigger writing `.txt`), next
to twins whose condition does not exclude the write (a warning naming the condition) and twins
with no condition at all (still an error)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recursion"
RECURSION_RULES = ("LR200", "LR201", "LR202", "LR203", "LR204", "LR205")


def scan(path: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(path), "--format", "json", "--reference-date", "2026-06-01"], stdout=out, stderr=io.StringIO())
    return [finding for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] in RECURSION_RULES]


def verdicts(path: Path) -> set[tuple[str, str, str, str]]:
    return {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}") for f in scan(path)}


def by_function(path: Path) -> dict[str, dict]:
    return {f["function"]: f for f in scan(path)}


def test_writes_the_handler_skips_are_notices_near_misses_warn_and_plain_loops_stay_errors():
    assert verdicts(FIXTURES / "sam-guarded-writes") == {
        # Python S3: skips previews/, writes previews/... ; skips previews/, writes small/... ; no skip
        ("LR203", "notice", "SkipOwnPrefixFunction", "src/skip_own_prefix/app.py:16"),
        ("LR201", "warning", "SkipOtherPrefixFunction", "src/skip_other_prefix/app.py:16"),
        ("LR201", "error", "NoSkipFunction", "src/no_skip/app.py:11"),
        # suffix filter .raw: `.replace(".raw", ".txt")` ends with .txt; replacing a folder keeps .raw
        ("LR203", "notice", "ReceiptFunction", "src/receipt/app.py:11"),
        ("LR201", "error", "ReceiptWrongFunction", "src/receipt_wrong/app.py:11"),
        # DynamoDB stream: totals only item# records, writes sk=summary ; writes sk=item#summary ; no test
        ("LR203", "notice", "TallyFunction", "src/tally/app.py:25"),
        ("LR201", "warning", "TallyProductFunction", "src/tally_product/app.py:25"),
        ("LR201", "error", "TallyAlwaysFunction", "src/tally_always/app.py:24"),
        # Node.js: skips .gif, writes key.gif ; skips .gif, writes key.png ; no skip
        ("LR203", "notice", "GifFunction", "src/gif/index.js:15"),
        ("LR201", "warning", "GifPngFunction", "src/gif_png/index.js:15"),
        ("LR201", "error", "GifAlwaysFunction", "src/gif_always/index.js:11"),
    }


def test_the_notice_names_the_condition_that_skips_the_output_and_what_it_still_costs():
    findings = by_function(FIXTURES / "sam-guarded-writes")
    python = findings["SkipOwnPrefixFunction"]["message"]
    assert "`src/skip_own_prefix/app.py:13`" in python and "`previews/`" in python
    assert "one extra invocation" in python
    assert "`src/gif/index.js:9`" in findings["GifFunction"]["message"]
    tally = findings["TallyFunction"]["message"]
    assert "`sk`" in tally and "`summary`" in tally and "`item#`" in tally and "`src/tally/app.py:22`" in tally
    assert "`.txt`" in findings["ReceiptFunction"]["message"] and "`.raw`" in findings["ReceiptFunction"]["message"]


def test_a_condition_that_does_not_exclude_the_write_is_a_warning_naming_its_line():
    findings = by_function(FIXTURES / "sam-guarded-writes")
    for function, guard in (("SkipOtherPrefixFunction", "src/skip_other_prefix/app.py:13"),
                            ("GifPngFunction", "src/gif_png/index.js:9"),
                            ("TallyProductFunction", "src/tally_product/app.py:22")):
        message = findings[function]["message"]
        assert f"condition at `{guard}`" in message, function
        assert "16 invocations" in message and "until someone stops it" not in message


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
      Events:
        Up: {Type: S3, Properties: {Bucket: !Ref Box, Events: 's3:ObjectCreated:*'}}
  Box: {Type: AWS::S3::Bucket}
"""


def test_return_else_branch_and_negated_conditions_count_and_unrelated_exits_do_not(tmp_path):
    cases = {
        "returns": ("    if key.startswith('out/'):\n        return\n", "    ", "'out/' + key", "LR203", "notice"),
        "negated": ("    if not key.endswith('.jpg'):\n        return\n", "    ", "key + '.webp'", "LR203", "notice"),
        "inside": ("    if key.startswith('in/'):\n", "        ", "'out/' + key", "LR203", "notice"),
        "orelse": ("    if key.startswith('out/'):\n        print('own')\n    else:\n", "        ", "'out/' + key",
                   "LR203", "notice"),
        # an exit in a loop that ends before the write says nothing about the write
        "elsewhere": ("    for other in event.get('extra', []):\n        if key.startswith('out/'):\n"
                      "            continue\n", "    ", "'out/' + key", "LR201", "error"),
        # the condition passes the written key too: a warning
        "passes": ("    if not key.startswith('in/'):\n        return\n", "    ", "'in/done/' + key", "LR201", "warning"),
    }
    for name, (condition, indent, written, rule, severity) in cases.items():
        code = ("import boto3\ns3 = boto3.client('s3')\n\ndef handler(event, context):\n"
                "    key = event['Records'][0]['s3']['object']['key']\n" + condition +
                f"{indent}s3.put_object(Bucket=event['Records'][0]['s3']['bucket']['name'], Key={written}, Body=b'')\n")
        root = write(tmp_path / name, {"template.yaml": TEMPLATE, "src/app.py": code})
        assert {(f["rule_id"], f["severity"]) for f in scan(root)} == {(rule, severity)}, name


SELF_INVOKING = """Transform: AWS::Serverless-2016-10-31
Resources:
  Once:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: once/, Handler: app.handler, Runtime: python3.13}
  OnceNode:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: node/, Handler: index.handler, Runtime: nodejs22.x}
  Always:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: always/, Handler: app.handler, Runtime: python3.13}
"""


def test_a_self_invocation_behind_any_condition_is_a_warning_naming_it(tmp_path):
    """`if not event.get("async")` dispatches once: the chain ends at that condition, whatever it
    compares or not (Python and JavaScript); with no condition at all it stays an error."""
    root = write(tmp_path, {
        "template.yaml": SELF_INVOKING,
        "once/app.py": (
            "import json\nimport boto3\nlam = boto3.client('lambda')\n\n\ndef handler(event, context):\n"
            "    if not event.get('async'):\n"
            "        lam.invoke(FunctionName=context.function_name, InvocationType='Event',\n"
            "                   Payload=json.dumps({**event, 'async': True}))\n"
            "        return {'statusCode': 202}\n"),
        "node/index.js": (
            "const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');\n"
            "const lambda = new LambdaClient({});\n"
            "exports.handler = async (event, context) => {\n"
            "  if (!event.async) {\n"
            "    await lambda.send(new InvokeCommand({ FunctionName: context.functionName, InvocationType: 'Event',\n"
            "      Payload: JSON.stringify({ ...event, async: true }) }));\n"
            "  }\n"
            "};\n"),
        "always/app.py": (
            "import json\nimport boto3\nlam = boto3.client('lambda')\n\n\ndef handler(event, context):\n"
            "    lam.invoke(FunctionName=context.function_name, InvocationType='Event', Payload=json.dumps(event))\n"),
    })
    assert verdicts(root) == {("LR200", "warning", "Once", "once/app.py:8"),
                              ("LR200", "warning", "OnceNode", "node/index.js:5"),
                              ("LR200", "error", "Always", "always/app.py:7")}
    assert "a condition at `once/app.py:7` that can end the chain" in by_function(root)["Once"]["message"]


def test_a_condition_that_the_key_contains_text_skips_the_functions_own_output(tmp_path):
    """`if "_thumb" in key: continue` (Python) and `if (key.includes('_thumb')) return;` (JavaScript)
    before writing a key that ends with `_thumb.jpg`: the invocation its own write causes stops at
    the condition (LR203). A key not known to contain the text stays a warning naming the condition."""
    template = TEMPLATE.replace("CodeUri: src/", "CodeUri: py/") + TEMPLATE.split("Resources:\n", 1)[1] \
        .replace("  Fn:", "  Js:").replace("CodeUri: src/", "CodeUri: js/").replace("python3.13", "nodejs22.x") \
        .replace("Handler: app.handler", "Handler: index.handler").replace("Box", "JsBox")
    root = write(tmp_path, {
        "template.yaml": template,
        "py/app.py": (
            "import boto3\ns3 = boto3.client('s3')\n\n\ndef handler(event, context):\n"
            "    for record in event['Records']:\n"
            "        key = record['s3']['object']['key']\n"
            "        if '_thumb' in key:\n            continue\n"
            "        s3.put_object(Bucket=record['s3']['bucket']['name'], Key=key + '_thumb.jpg', Body=b'')\n"),
        "js/index.js": (
            "const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\n"
            "exports.handler = async (event) => {\n"
            "  const key = event.Records[0].s3.object.key;\n"
            "  if (key.includes('_thumb')) return;\n"
            "  await s3.send(new PutObjectCommand({ Bucket: event.Records[0].s3.bucket.name, Key: `${key}_thumb.jpg`,"
            " Body: '' }));\n"
            "};\n"),
    })
    assert verdicts(root) == {("LR203", "notice", "Fn", "py/app.py:10"), ("LR203", "notice", "Js", "js/index.js:6")}
    assert "every key it writes contains `_thumb` (it ends with `_thumb.jpg`)" in by_function(root)["Fn"]["message"]


def test_a_helper_called_once_behind_the_handler_s_skip_is_safe_and_twice_is_not(tmp_path):
    """The handler skips its own output and then calls `save(...)`, which writes: the skip guards
    the write (LR203). With a second call of `save` outside the condition, it guards nothing."""
    helper = (
        "import boto3\ns3 = boto3.client('s3')\n\n\ndef save(bucket, key):\n"
        "    s3.put_object(Bucket=bucket, Key=key, Body=b'')\n\n\n"
        "def handler(event, context):\n"
        "    for record in event['Records']:\n"
        "        key = record['s3']['object']['key']\n"
        "        if not key.endswith('_small.png'):\n"
        "            save(record['s3']['bucket']['name'], key + '_small.png')\n")
    once = write(tmp_path / "once", {"template.yaml": TEMPLATE, "src/app.py": helper})
    assert verdicts(once) == {("LR203", "notice", "Fn", "src/app.py:6")}
    assert "the condition at `src/app.py:12` skips incoming keys" in by_function(once)["Fn"]["message"]
    twice = write(tmp_path / "twice", {"template.yaml": TEMPLATE, "src/app.py": helper + (
        "    save(event['Records'][0]['s3']['bucket']['name'], 'report.csv')\n")})
    assert {(rule, severity) for rule, severity, _, _ in verdicts(twice)} == {("LR201", "error")}


def test_a_javascript_helper_called_once_behind_the_handler_s_skip_is_safe(tmp_path):
    template = TEMPLATE.replace("python3.13", "nodejs22.x").replace("Handler: app.handler", "Handler: index.handler")
    handler = (
        "const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\n"
        "async function save(bucket, key) {\n"
        "  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));\n}\n"
        "exports.handler = async (event) => {\n"
        "  const key = event.Records[0].s3.object.key;\n"
        "  if (key.startsWith('resized/')) return;\n"
        "  await save(event.Records[0].s3.bucket.name, `resized/${key}`);\n};\n")
    once = write(tmp_path / "once", {"template.yaml": template, "src/index.js": handler})
    assert verdicts(once) == {("LR203", "notice", "Fn", "src/index.js:4")}
    twice = write(tmp_path / "twice", {"template.yaml": template, "src/index.js": handler + (
        "exports.report = async (event) => save(event.Records[0].s3.bucket.name, 'report.csv');\n")})
    found = {(rule, severity) for rule, severity, _, _ in verdicts(twice)}
    assert ("LR201", "error") in found and ("LR203", "notice") not in found


def test_a_trigger_on_other_event_types_is_safe_and_its_advice_speaks_of_event_types(tmp_path):
    """A bucket that notifies on deletions only: a put is no new event for it (LR203), and what would
    turn it into a loop is adding object-created events, not renaming an output prefix."""
    template = TEMPLATE.replace("Events: 's3:ObjectCreated:*'", "Events: 's3:ObjectRemoved:*'")
    root = write(tmp_path, {
        "template.yaml": template,
        "src/app.py": ("import boto3\ns3 = boto3.client('s3')\n\n\ndef handler(event, context):\n"
                       "    for record in event['Records']:\n"
                       "        s3.put_object(Bucket=record['s3']['bucket']['name'], Key='tombstones/x', Body=b'')\n"),
    })
    [safe] = scan(root)
    assert safe["rule_id"] == "LR203"
    assert "adding the object-created events to them turns this into a loop" in safe["message"]
    assert "output prefix" not in safe["message"]


def test_a_javascript_index_of_skip_guards_a_write_two_helpers_and_a_module_away(tmp_path):
    """`if (key.indexOf('copies') > -1) return` (the spelling before `includes`) in the handler,
    which calls `copyAll` from a `map` callback, which wraps its work in `new Promise(...)` and
    calls `store` from another module, which writes: the skip guards the write (LR203), and the
    message names the condition in the handler's file. `indexOf(...) > 0` is no such test."""
    template = TEMPLATE.replace("python3.13", "nodejs20.x").replace("Handler: app.handler", "Handler: index.handler")
    handler = (
        "const { store } = require('./storage');\n"
        "const targets = ['a', 'b'];\n"
        "exports.handler = async (event) => {\n"
        "  if (event.Records[0].s3.object.key.indexOf('copies') > -1) return;\n"
        "  await Promise.all(targets.map(async (target) => { await copyAll(event, target); }));\n"
        "};\n"
        "const copyAll = async (event, target) => {\n"
        "  return new Promise(async (resolve) => {\n"
        "    await store({ Bucket: event.Records[0].s3.bucket.name,\n"
        "                  Key: `copies/${event.Records[0].s3.object.key}-${target}`, Body: 'x' });\n"
        "    resolve();\n"
        "  });\n"
        "};\n")
    storage = (
        "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\n"
        "async function store(params) {\n"
        "  return new Promise((resolve, reject) => {\n"
        "    s3.putObject(params, (err, data) => (err ? reject(err) : resolve(data)));\n"
        "  });\n"
        "}\n"
        "module.exports = { store };\n")
    guarded = write(tmp_path / "guarded", {"template.yaml": template, "src/index.js": handler,
                                           "src/storage.js": storage})
    assert verdicts(guarded) == {("LR203", "notice", "Fn", "src/storage.js:5")}
    message = by_function(guarded)["Fn"]["message"]
    assert "the condition at `src/index.js:4` skips incoming keys that contain `copies`" in message
    loose = write(tmp_path / "loose", {"template.yaml": template, "src/storage.js": storage,
                                       "src/index.js": handler.replace("> -1) return", "> 0) return")})
    assert {(rule, severity) for rule, severity, _, _ in verdicts(loose)} == {("LR201", "error")}


def test_a_javascript_index_of_comparison_reads_as_includes_either_way_round():
    from reviewer import source_trees as st
    from reviewer.code.javascript_key_guards import key_guards
    from reviewer.code.values import StaticValue

    def guards(condition: str, polarity: bool) -> set[tuple[str, str, bool]]:
        tree = st.parse("javascript", f"if ({condition}) {{}}".encode())
        node = next(n for n in st.walk(tree.root_node) if n.type == "if_statement").child_by_field_name("condition")
        found = key_guards([(node, polarity)], lambda _: [StaticValue.event("Records[].s3.object.key")], lambda _: 1)
        return {(guard.end, guard.text, guard.required) for guard in found}

    contains = {("contains", "x", True)}
    lacks = {("contains", "x", False)}
    assert guards("key.indexOf('x') > -1", True) == contains
    assert guards("key.indexOf('x') !== -1", True) == contains
    assert guards("key.indexOf('x') >= 0", False) == lacks
    assert guards("-1 < key.indexOf('x')", True) == contains
    assert guards("key.indexOf('x') === -1", True) == lacks
    assert guards("key.indexOf('x') < 0", False) == contains
    assert guards("key.indexOf('x') > 0", True) == set()
    assert guards("key.indexOf('x') === 0", True) == set()
