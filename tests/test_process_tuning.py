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


def threshold_after(call: str) -> int:
    program = textwrap.dedent(f"""
        import gc, io, os, sys
        {call}
        print(gc.get_threshold()[0], file=sys.__stdout__)
    """)
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                               cwd=Path(__file__).parent, env={"PATH": "/usr/bin:/bin"})
    return int(completed.stdout.splitlines()[-1])


def test_the_command_and_the_action_raise_the_collection_threshold():
    assert threshold_after("pass") < ALLOCATIONS_BETWEEN_COLLECTIONS           # the interpreter's own
    assert threshold_after("from reviewer.cli import main; main(['rules'], stdout=io.StringIO())") == \
        ALLOCATIONS_BETWEEN_COLLECTIONS
    # The action without its environment stops with a usage error, after tuning its process.
    assert threshold_after("from reviewer.action import main; sys.stdout = io.StringIO(); main()") == \
        ALLOCATIONS_BETWEEN_COLLECTIONS
