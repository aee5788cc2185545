"""bandit B108 on the `/tmp` folder given to a `tempfile` call: the call already makes a private,
unpredictable name, so the advice to use `mkstemp()` or `TemporaryDirectory()` is replaced by
saying so (a handler module that keeps a cache in `tempfile.mkdtemp(dir="/tmp")`, as a
patient-lookup Lambda does); a fixed `/tmp` path keeps the advice."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.analyzers.bandit_tempfile import tempfile_arguments
from reviewer.cli import main

TEMPLATE = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
            "  IdSync:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n")
HANDLER = '''import tempfile
from tempfile import NamedTemporaryFile as named

cache_dir = tempfile.mkdtemp(dir="/tmp")


def handler(event, context):
    with named("w", dir="/tmp") as handle:
        handle.write("x")
    with open("/tmp/report.json", "w") as out:
        out.write("{}")
    return cache_dir
'''


def _b108(root: Path) -> dict[int, str]:
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text(HANDLER)
    (root / "template.yaml").write_text(TEMPLATE)
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-12-07",
          "--fail-on", "never"], stdout=out, stderr=io.StringIO())
    return {f["line"]: f["message"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "bandit/B108"}


def test_a_tempfile_call_s_folder_gets_no_advice_to_use_tempfile(tmp_path):
    messages = _b108(tmp_path)
    assert set(messages) == {4, 8, 10}
    assert "Instead" not in messages[4]
    assert "`tempfile.mkdtemp` already creates a new directory with an unpredictable name" in messages[4]
    assert "`tempfile.NamedTemporaryFile` already creates a new file" in messages[8]
    assert "Instead:" in messages[10] and "already creates" not in messages[10]


def test_only_the_dir_or_prefix_of_a_call_that_makes_a_private_name():
    source = ('import tempfile as tf\nfrom tempfile import mkstemp, mktemp\n'
              'tf.mkdtemp(None, "/tmp/p", "/tmp")\nmkstemp(prefix="/tmp/x")\nmktemp(dir="/tmp")\n'
              'tf.mkdtemp(suffix="/tmp")\nprint("/tmp")\n')
    assert tempfile_arguments(source) == {(3, 17): "tempfile.mkdtemp", (3, 27): "tempfile.mkdtemp",
                                          (4, 15): "tempfile.mkstemp"}
    assert tempfile_arguments("def broken(:\n") == {}
