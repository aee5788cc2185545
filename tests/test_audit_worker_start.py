"""The audit's process imports pip-audit without a second interpreter (reviewer.audit_worker).

pip_api, which pip-audit imports, runs `python -m pip --version` as it is imported; the worker
answers that question from the pip distribution installed beside its interpreter, the same pip
`python -m pip` runs. These run in fresh interpreters, as the worker does.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import subprocess, sys
def refuse(*args, **kwargs):
    raise AssertionError("a process was started: " + repr(args[:1]))
subprocess.check_output = subprocess.run = subprocess.Popen = refuse
import reviewer.audit_worker as worker
worker._import_pip_audit()
import pip_api
print(pip_api.PIP_VERSION)
"""


def _pip_version() -> str:
    output = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=True)
    return output.stdout.split(" ")[1]


def test_pip_audit_is_imported_without_asking_pip():
    completed = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == _pip_version()


def test_pointed_at_another_interpreter_pip_api_asks_it(monkeypatch):
    monkeypatch.setenv("PIPAPI_PYTHON_LOCATION", sys.executable)
    completed = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=False)
    assert completed.returncode != 0 and "a process was started" in completed.stderr
