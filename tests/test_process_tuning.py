"""The review's entry points collect garbage less often than CPython's default (issue 8).

Measured on the bench monorepo: 540 collections became 22 and the review process's CPU time fell
by about a fifth. Each case runs in a fresh interpreter, as the command and the action run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from reviewer.process_tuning import ALLOCATIONS_BETWEEN_COLLECTIONS


def threshold_after(call: str, directory: Path, **env: str) -> tuple[int, str]:
    """(gen-0 threshold, what `call` returned) in a fresh interpreter started in `directory`."""
    program = textwrap.dedent(f"""
        import gc, io, os, sys
        returned = {call}
        print(gc.get_threshold()[0], returned, file=sys.__stdout__)
    """)
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                               cwd=directory, env={"PATH": "/usr/bin:/bin", **env})
    threshold, returned = completed.stdout.splitlines()[-1].split(" ", 1)
    return int(threshold), returned


def test_the_command_and_the_action_raise_the_collection_threshold(tmp_path):
    assert threshold_after("None", tmp_path)[0] < ALLOCATIONS_BETWEEN_COLLECTIONS   # the interpreter's own
    assert threshold_after("__import__('reviewer.cli').cli.main(['rules'], stdout=io.StringIO())", tmp_path) == (
        ALLOCATIONS_BETWEEN_COLLECTIONS, "0")
    # The action with a bad input stops with a usage error, after tuning its process.
    assert threshold_after("__import__('reviewer.action').action.main()", tmp_path, GITHUB_WORKSPACE=str(tmp_path),
                           **{"INPUT_FAIL-ON": "sometimes"}) == (ALLOCATIONS_BETWEEN_COLLECTIONS, "2")
    # Nothing scanned; only the SARIF file that says why the run stopped (for the upload step).
    assert [path.name for path in tmp_path.iterdir()] == ["lambda-review.sarif"]


def frozen_at_exit(program: str, directory: Path, *args: str, **env: str) -> tuple[int, int]:
    """(exit status, objects hidden from the collector when exit handlers ran) of a fresh process."""
    probe = textwrap.dedent("""
        import atexit, gc, sys
        atexit.register(lambda: print("frozen", gc.get_freeze_count(), file=sys.__stderr__))
    """)
    completed = subprocess.run([sys.executable, "-c", probe + program, *args], capture_output=True, text=True,
                               cwd=directory, env={"PATH": "/usr/bin:/bin", **env})
    frozen = [line for line in completed.stderr.splitlines() if line.startswith("frozen ")]
    return completed.returncode, int(frozen[-1].split()[1])


def test_the_executables_exit_without_the_final_collections_and_main_keeps_collecting(tmp_path):
    entrypoint = Path(__file__).resolve().parents[1] / "entrypoint.py"
    as_command = "import sys, runpy; sys.argv = ['lambda-review', 'rules']; runpy.run_module('reviewer', run_name='__main__')"
    status, frozen = frozen_at_exit(as_command, tmp_path)
    assert status == 0 and frozen > 1000          # every module and object alive at the end
    as_action = f"import runpy; runpy.run_path({str(entrypoint)!r}, run_name='__main__')"
    status, frozen = frozen_at_exit(as_action, tmp_path, GITHUB_WORKSPACE=str(tmp_path),
                                    **{"INPUT_FAIL-ON": "sometimes"})
    assert status == 2 and frozen > 1000
    # `main` is what tests and library callers use: their process goes on collecting.
    status, frozen = frozen_at_exit("import io, reviewer.cli; reviewer.cli.main(['rules'], stdout=io.StringIO())",
                                    tmp_path)
    assert status == 0 and frozen == 0
    assert [path.name for path in tmp_path.iterdir()] == ["lambda-review.sarif"]   # the stopped action's SARIF
