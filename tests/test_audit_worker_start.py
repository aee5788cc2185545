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


def test_the_worker_answers_its_request_line_while_its_input_stays_open():
    """A process the review forks after starting the worker (bandit's) holds a copy of the pipe's
    writing end: the worker must answer the request's line, not wait for the input to end."""
    import json
    import os
    import threading

    worker = subprocess.Popen([sys.executable, "-P", "-m", "reviewer.audit_worker"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.path.dirname(__file__))
    answer: list[str] = []
    reader = threading.Thread(target=lambda: answer.append(worker.stdout.read()), daemon=True)  # type: ignore[union-attr]
    try:
        assert worker.stdin is not None
        worker.stdin.write(json.dumps({"pins": [], "service": "osv", "osv_url": "http://127.0.0.1:9/v1/query"}) + "\n")
        worker.stdin.flush()                       # and not closed
        reader.start()
        reader.join(timeout=120)
        assert answer and json.loads(answer[0]) == {"answers": []}
    finally:
        worker.kill()
        worker.communicate()


LEAVING = """
import atexit, runpy, sys
atexit.register(lambda: sys.stderr.write("the interpreter tore itself down"))
sys.argv = ["reviewer.audit_worker"]
runpy.run_module("reviewer.audit_worker", run_name="__main__", alter_sys=True)
"""


def test_the_worker_leaves_once_its_answer_is_written_without_the_interpreter_teardown():
    """The review reads the answer up to the end of the output, which comes when the process
    ends: the worker ends at once (`exit_now`), its output flushed and its exit code kept."""
    import json

    request = json.dumps({"pins": [], "service": "osv", "osv_url": "http://127.0.0.1:9/v1/query"}) + "\n"
    answered = subprocess.run([sys.executable, "-P", "-c", LEAVING], input=request, capture_output=True, text=True,
                              check=False)
    assert answered.returncode == 0, answered.stderr[-2000:]
    assert json.loads(answered.stdout) == {"answers": []}
    assert "tore itself down" not in answered.stderr
    unasked = subprocess.run([sys.executable, "-P", "-c", LEAVING], input="", capture_output=True, text=True,
                             check=False)
    assert unasked.returncode == 2 and "tore itself down" not in unasked.stderr


ORPHANING = """
import os, sys, time
from reviewer.analyzers import pip_audit_engine
pip_audit_engine.warm_up()                # the review's early start
worker = pip_audit_engine._warm.process
holder = os.fork()
if holder == 0:                    # as bandit's worker does, a copy of the request's pipe stays open
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)                  # (and the test's own pipes do not)
    time.sleep(300)
    os._exit(0)
print(worker.pid, holder, flush=True)
os._exit(0)                        # the review ends without asking, killed
"""


def test_a_worker_never_asked_ends_when_the_review_that_started_it_is_gone():
    import os
    import time

    started = subprocess.run([sys.executable, "-c", ORPHANING], capture_output=True, text=True, check=True)
    pid, holder = (int(word) for word in started.stdout.split()[:2])
    try:
        for _ in range(300):                     # a liveness bound, not a speed: up to 30 s
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            if _is_zombie(pid):
                return
            time.sleep(0.1)
        raise AssertionError("the audit's process still waits for a request nobody will send")
    finally:
        for leftover in (pid, holder):
            try:
                os.kill(leftover, 9)
            except ProcessLookupError:
                pass


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False
