"""Only the code a function ships is analysed: the handler, what it imports, never its tests.

Shaped like a CDK app whose asset is the whole repository (`Code.from_asset(".")`): the handlers
live under services/, share a library under shared/, and the repository's tests/ and scripts/
sit beside them. bandit would report every `assert` in tests/ as shipped by the functions.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

OFFLINE = ["--osv-url", "http://127.0.0.1:9/v1/query"]

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: services.orders.handler.main, CodeUri: .}
  Widget:
    Type: AWS::Serverless::Function
    Properties: {Runtime: nodejs22.x, Handler: index.handler, CodeUri: web}
"""


def _repo(root: Path) -> Path:
    files = {
        "template.yaml": TEMPLATE,
        "services/__init__.py": "",
        "services/orders/__init__.py": "",
        "services/orders/handler.py": "from shared.db import run\n\ndef main(event, context):\n    return run(event)\n",
        "shared/__init__.py": "",
        "shared/db.py": "import subprocess\n\ndef run(event):\n    return subprocess.run('ls', shell=True)\n",
        "tests/test_orders.py": "def test_main():\n    assert 1 + 1 == 2\n",
        "scripts/seed.py": "import subprocess\nsubprocess.call('seed', shell=True)\n",
        "web/index.js": "exports.handler = async () => ({});\n",
        "web/tools/build.py": "import pickle\npickle.loads(b'')\n",
        "web/tests/test_build.py": "assert True\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _scan(root: Path, *extra: str) -> dict:
    out = io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", *OFFLINE, *extra],
                stdout=out, stderr=io.StringIO())
    assert code in (0, 1)
    return json.loads(out.getvalue())


def _bandit_paths(report: dict) -> set[str]:
    return {f["path"] for f in report["findings"] if f["engine"] == "bandit"}


def test_only_the_handler_and_its_imports_are_analysed(tmp_path: Path) -> None:
    report = _scan(_repo(tmp_path))
    paths = _bandit_paths(report)
    assert "shared/db.py" in paths                       # imported by the handler: shipped
    assert not {p for p in paths if p.startswith(("tests/", "scripts/"))}
    [shell] = [f for f in report["findings"] if f["rule_id"] == "bandit/B602"]
    assert shell["function"] == "Orders"


def test_a_function_whose_runtime_runs_no_python_ships_none_of_its_folder_s_python(tmp_path: Path) -> None:
    """A Node.js function's folder holds a Python build script: not the function's code (its
    runtime never runs it), so it is left out, counted in the note, like a file no handler imports."""
    report = _scan(_repo(tmp_path))
    paths = _bandit_paths(report)
    assert "web/tools/build.py" not in paths and "web/tests/test_build.py" not in paths
    [note] = [n for n in report["summary"]["notes"] if "not shipped" in n]
    assert "2 files no handler imports" in note            # scripts/seed.py and web/tools/build.py


def test_the_report_says_what_was_left_out_and_how_to_include_it(tmp_path: Path) -> None:
    report = _scan(_repo(tmp_path))
    [note] = [n for n in report["summary"]["notes"] if "not shipped" in n]
    assert "scan-all-python: true" in note and "test files" in note

    out = io.StringIO()
    main(["scan", str(tmp_path), "--reference-date", "2026-11-22", *OFFLINE], stdout=out, stderr=io.StringIO())
    assert "not shipped by any function" in out.getvalue()


def test_a_setting_brings_the_left_out_files_back(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / ".lambda-review.yml").write_text("scan-all-python: true\n")
    paths = _bandit_paths(_scan(root))
    assert {"tests/test_orders.py", "scripts/seed.py", "web/tools/build.py"} <= paths
