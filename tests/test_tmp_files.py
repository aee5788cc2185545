"""Which handler code writes under /tmp and leaves the files behind (the reading behind LR402)."""

from __future__ import annotations

import ast
import io
import json
import textwrap
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.code.tmp_files import tmp_usage


def usage(source: str):
    return tmp_usage([("app.py", ast.parse(textwrap.dedent(source)))])


WRITES = [
    ("open('/tmp/out.csv', 'w').write('x')", "open"),
    ("with open(f'/tmp/{key}', mode='wb') as f: pass", "open"),
    ("import os\nopen(os.path.join('/tmp', name), 'a')", "open"),
    ("import tempfile, os\nopen(os.path.join(tempfile.gettempdir(), 'x'), 'w')", "open"),
    ("from pathlib import Path\nPath('/tmp/model.bin').write_bytes(data)", "Path.write_bytes"),
    ("from pathlib import Path\n(Path('/tmp') / 'a.txt').write_text('x')", "Path.write_text"),
    ("BASE = '/tmp/work'\nOUT = BASE + '/out'\ndef handler(e, c):\n    open(OUT, 'w')", "open"),
    ("s3.download_file('bucket', key, '/tmp/' + key)", "download_file"),
    ("s3.Object(b, k).download_file(Filename='/tmp/x')", "download_file"),
    ("import shutil\nshutil.copy(src, '/tmp/copy')", "shutil.copy"),
    ("import tarfile\ntarfile.open(path).extractall('/tmp/unpacked')", "extractall"),
    ("image.save('/tmp/thumb-%s.png' % key)", "save"),
    ("import tempfile\nfd, path = tempfile.mkstemp()", "tempfile.mkstemp"),
    ("import tempfile as tf\nd = tf.mkdtemp()", "tempfile.mkdtemp"),
    ("from tempfile import NamedTemporaryFile\nNamedTemporaryFile(delete=False)", "tempfile.NamedTemporaryFile"),
]
REMOVALS = [
    "import os\nos.remove(path)", "import os\nos.unlink(path)", "import shutil\nshutil.rmtree('/tmp/work')",
    "from pathlib import Path\nPath(p).unlink(missing_ok=True)", "import tempfile\ntempfile.TemporaryDirectory()",
]


@pytest.mark.parametrize("source, call", WRITES)
def test_writes_under_tmp_are_found(source, call):
    found = usage(source)
    assert [w.call for w in found.writes] == [call] and not found.removes


@pytest.mark.parametrize("source", [
    "open('/tmp/template.html').read()",
    "open('/tmp/template.html', 'r')",
    "open('/var/task/data.json', 'w')",
    "import os\nos.makedirs('/tmp/work', exist_ok=True)",
    "import tempfile\nwith tempfile.NamedTemporaryFile() as f: f.write(b'x')",
    "import tempfile, os\nwith tempfile.TemporaryDirectory() as d:\n    open(os.path.join(d, 'x'), 'w')",
    "s3.download_file(bucket, key, local_path)",
])
def test_reads_other_directories_and_self_cleaning_temporaries_are_not_writes(source):
    assert usage(source).writes == []


@pytest.mark.parametrize("cleanup", REMOVALS)
def test_any_removal_counts_as_cleaning_up(cleanup):
    found = usage(f"open('/tmp/out.csv', 'w')\n{cleanup}")
    assert len(found.writes) == 1 and found.removes


def _scan(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR402"]


def _sam(root: Path, code: str, handler: str = "app.handler", runtime: str = "python3.13") -> None:
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "app.py").write_text(code)
    (root / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        + "".join(f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                  f"      Runtime: {runtime}\n      Handler: {handler}\n      CodeUri: src\n"
                  for name in ("Resize", "Crop")))


def test_handlers_sharing_a_file_get_one_finding_on_the_write(tmp_path):
    _sam(tmp_path, "def handler(event, context):\n    open('/tmp/last.json', 'w').write('{}')\n")
    (finding,) = _scan(tmp_path)
    assert (finding["path"], finding["line"], finding["function"]) == ("src/app.py", 2, None)
    assert "`Resize`" in finding["message"] and "`Crop`" in finding["message"]
    assert "`'/tmp/last.json'`" in finding["message"]


def test_a_temporary_directory_or_file_the_call_names_itself_is_said_to_be_created(tmp_path):
    """`mkdtemp()` names no path: the message says it creates a temporary directory, never that it
    "writes `the temporary directory`" as if that were the code written."""
    _sam(tmp_path, "import tempfile\n\ndef handler(event, context):\n    work = tempfile.mkdtemp()\n"
                   "    fd, name = tempfile.mkstemp()\n")
    messages = sorted(finding["message"] for finding in _scan(tmp_path))
    assert len(messages) == 2
    assert "creates a temporary directory under `/tmp` (`tempfile.mkdtemp`)" in messages[0] + messages[1]
    assert "creates a temporary file under `/tmp` (`tempfile.mkstemp`)" in messages[0] + messages[1]
    assert not any("the temporary directory" in message for message in messages)


def test_cleaning_handler_missing_handler_and_other_runtimes_are_silent(tmp_path):
    _sam(tmp_path, "import os\ndef handler(e, c):\n    open('/tmp/x', 'w')\n    os.remove('/tmp/x')\n")
    assert _scan(tmp_path) == []
    _sam(tmp_path, "def handler(e, c):\n    open('/tmp/x', 'w')\n", handler="missing.handler")
    assert _scan(tmp_path) == []
    _sam(tmp_path, "def handler(e, c):\n    open('/tmp/x', 'w')\n", runtime="nodejs22.x")
    assert _scan(tmp_path) == []


def test_unparsable_handler_is_a_notice_not_a_crash(tmp_path):
    _sam(tmp_path, "def handler(event, context):\n    open('/tmp/x', 'w'\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json"], stdout=out)
    rules = {f["rule_id"] for f in json.loads(out.getvalue())["findings"]}
    assert "LR901" in rules and "LR402" not in rules


def test_hostile_expression_chains_do_not_break_the_reading():
    chain = "x = '/tmp/a'" + " + y" * 2000 + "\nopen(x, 'w')\n"
    assert [w.target for w in usage(chain).writes] == ["x"]


def test_a_module_shipped_under_two_paths_is_read_once_and_reported_under_each():
    from reviewer.content_cache import ContentCache

    cache = ContentCache()
    tree = cache.python('open("/tmp/report.csv", "w").write("x")\n')
    cleaning = cache.python('import os\nos.remove("/tmp/report.csv")\n')
    first = tmp_usage([("fn-a/shared.py", tree)], cache)
    second = tmp_usage([("fn-b/shared.py", tree), ("fn-b/clean.py", cleaning)], cache)
    assert [(w.path, w.line) for w in first.writes] == [("fn-a/shared.py", 1)] and not first.removes
    assert [(w.path, w.line) for w in second.writes] == [("fn-b/shared.py", 1)] and second.removes
    assert first.writes[0].call == second.writes[0].call and cache.parses["tmp-usage"] == 2


def test_a_hyphenated_handler_module_is_read_by_its_file_name(tmp_path):
    """`lambda-handler.handler`: the Python runtime imports `lambda-handler.py` through importlib."""
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "lambda-handler.py").write_text(
        "def handler(event, context):\n    open('/tmp/report.csv', 'w').write('a,b')\n")
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}\n')
    (tmp_path / "app.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n\nclass CorsStack(Stack):\n"
        "    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
        "        _lambda.Function(self, 'ApiCorsLambda', handler='lambda-handler.handler',\n"
        "                         runtime=_lambda.Runtime.PYTHON_3_12,\n"
        "                         code=_lambda.Code.from_asset('lambda'))\n")
    (finding,) = _scan(tmp_path)
    assert (finding["path"], finding["line"], finding["function"]) == ("lambda/lambda-handler.py", 2, "ApiCorsLambda")


@pytest.mark.parametrize("source", [source for source, _ in WRITES] + REMOVALS + [
    "import os\nos.\uff52\uff45\uff4d\uff4f\uff56\uff45(path)",   # fullwidth: Python reads `os.remove`
    "\u0074\uff4d\uff50 = open('/var/' + name, 'w')",            # no write under /tmp, not ASCII
    "open('/t' 'mp/out.csv', 'w')",                                  # the parser joins the two literals
    "open('/\\x74mp/out.csv', 'w')",                                # an escape: the text has no `tmp`
    "from os import remove as rm\nopen('/tmp/a', 'w')\nrm('/tmp/a')",
])
def test_the_walk_skipped_for_modules_without_the_words_never_changes_a_reading(source):
    from reviewer.content_cache import ContentCache

    cache = ContentCache()
    tree = cache.python(source)
    cached = tmp_usage([("app.py", tree)], cache)
    assert (cached.writes, cached.removes) == (usage(source).writes, usage(source).removes)
    assert cache.parses["tmp-usage"] == 1                          # the module was walked


def test_a_module_that_names_no_callee_the_reader_acts_on_is_not_walked():
    from reviewer.content_cache import ContentCache

    cache = ContentCache()
    plain = cache.python("import json\n\ndef handler(event, context):\n    return json.dumps(event)\n")
    writing = cache.python("open('/tmp/out.csv', 'w')\n")
    found = tmp_usage([("plain.py", plain), ("writing.py", writing)], cache)
    assert [write.path for write in found.writes] == ["writing.py"] and not found.removes
    assert cache.parses["tmp-usage"] == 1


@pytest.mark.parametrize("source, fixed", [
    ("s3.download_file(bucket, key, '/tmp/output.mp3')", True),
    ("VIDEO = '/tmp/input.mp4'\ndef handler(event, context):\n    s3.download_file(b, k, VIDEO)", True),
    ("import os\nopen(os.path.join('/tmp', 'report.csv'), 'w')", True),
    ("from pathlib import Path\n(Path('/tmp') / 'a.txt').write_text('x')", True),
    ("s3.download_file(bucket, key, f'/tmp/{key}')", False),
    ("s3.download_file(bucket, key, '/tmp/' + key)", False),
    ("OUT = '/tmp/a'\nOUT = '/tmp/b'\nopen(OUT, 'w')", False),
    ("OUT = '/tmp/a'\ndef save(OUT):\n    open(OUT, 'w')", False),
    ("OUT = '/tmp/a'\nfor OUT in paths:\n    open(OUT, 'w')", False),
    ("import tempfile\nfd, path = tempfile.mkstemp()", False),
])
def test_a_path_that_is_one_constant_is_told_apart_from_one_that_varies(source, fixed):
    (write,) = usage(source).writes
    assert write.fixed is fixed


def test_a_file_written_over_at_each_invocation_is_not_said_to_pile_up(tmp_path):
    """`/tmp/output.mp3` written by every invocation is one file, replaced each time: the message
    says it stays (space and data) rather than that files pile up until the storage is full."""
    _sam(tmp_path, "OUT = '/tmp/output.mp3'\n\ndef handler(event, context):\n"
                   "    s3.download_file(event['bucket'], event['key'], OUT)\n"
                   "    s3.download_file(event['bucket'], event['key'], f\"/tmp/{event['key']}\")\n")
    by_line = {finding["line"]: finding["message"] for finding in _scan(tmp_path)}
    assert "pile up" not in by_line[4] and "until the next invocation writes over it" in by_line[4]
    assert "one request's data stays readable by the next" in by_line[4]
    assert "pile up" in by_line[5] and "writes over" not in by_line[5]


def test_a_node_handler_s_constant_path_is_not_said_to_pile_up(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.js").write_text(
        "const fs = require('fs');\nconst OUT = '/tmp/last.json';\n"
        "exports.handler = async (event) => {\n"
        "  fs.writeFileSync(OUT, JSON.stringify(event));\n"
        "  fs.writeFileSync(`/tmp/${event.id}.json`, 'x');\n"
        "};\n")
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Export:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: src}\n")
    by_line = {finding["line"]: finding["message"] for finding in _scan(tmp_path)}
    assert "until the next invocation writes over it" in by_line[4] and "pile up" not in by_line[4]
    assert "pile up" in by_line[5]
