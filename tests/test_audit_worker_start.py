"""The dependency audit's process starts without running pip (reviewer/audit_worker.py).

Importing `pip_api`, which every pip-audit service imports, runs `python -m pip --version`; the
worker answers that import itself. pip_api runs the interpreter named by PIPAPI_PYTHON_LOCATION:
naming one that does not exist makes any run of pip fail, and the audit must still answer.
"""

from __future__ import annotations

import subprocess
import sys

from reviewer.analyzers import pip_audit_engine


def test_the_audit_answers_without_ever_running_pip(tmp_path, osv, monkeypatch):
    monkeypatch.setenv("PIPAPI_PYTHON_LOCATION", str(tmp_path / "no-such-python"))
    outcome = pip_audit_engine.audit([("jinja2", "2.10"), ("flask", "3.0.3")], "osv", osv.query_url)
    assert outcome.error is None
    assert "PYSEC-2019-217" in {advisory.id for advisory in outcome.advisories[("jinja2", "2.10")]}
    assert outcome.advisories[("flask", "3.0.3")] == []


def test_the_worker_imports_pip_audit_without_a_process_and_pip_api_stays_reachable(tmp_path):
    program = (
        "import subprocess, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError(f'started a process: {args}')\n"
        "subprocess.Popen = refuse\n"
        "from reviewer import audit_worker\n"
        "audit_worker._import_pip_audit()\n"
        "import pip_audit._cache\n"
        "print(pip_audit._cache._PIP_VERSION)\n"
    )
    completed = subprocess.run([sys.executable, "-P", "-c", program], capture_output=True, text=True, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip()[0].isdigit()
