"""Start-up: `lambda-review --version` and a scan of an empty directory against `python -c pass`.

    .venv/bin/python bench/startup.py [--runs N]

Each command runs N times as a new process (fastest kept). Then `python -X importtime` shows the
modules that cost most to import for each command, and which heavy libraries (bandit, pip-audit,
PyGithub, botocore) were loaded at all: none should be for `--version`, and an empty repository
declares no function, so bandit and pip-audit have nothing to do and must not be imported either.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile

from common import PYTHON, best_of, machine, run

HEAVY = ("bandit", "pip_audit", "github", "botocore", "boto3", "stevedore", "requests", "jinja2")

_LOADED = """
import io, json, sys
from reviewer.cli import main
main(sys.argv[1:], stdout=io.StringIO(), stderr=io.StringIO())
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
"""


def heaviest_imports(command: list[str], count: int = 8) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the top-level imports that cost most."""
    timed = run([PYTHON, "-X", "importtime", *command])
    rows = []
    for line in timed.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 1:       # top-level imports only
            rows.append((int(match.group(1)), match.group(3)))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as empty:
        commands = {
            "python -c pass": [PYTHON, "-c", "pass"],
            "lambda-review --version": [PYTHON, "-m", "reviewer", "--version"],
            "lambda-review scan EMPTY": [PYTHON, "-m", "reviewer", "scan", empty, "--format", "json"],
        }
        times = {name: best_of(args.runs, command).seconds for name, command in commands.items()}
        baseline = times["python -c pass"]
        for name, seconds in times.items():
            print(f"{name:26s} {seconds * 1000:7.0f} ms   ratio to python -c pass: {seconds / baseline:5.1f}")
        for name, argv in (("--version", ["--version"]), ("scan EMPTY", ["scan", empty])):
            loaded = set(json.loads(run([PYTHON, "-c", _LOADED, *argv]).stdout.strip().splitlines()[-1])) \
                if name != "--version" else _loaded_for_version()
            heavy = sorted(module for module in HEAVY if module in loaded)
            print(f"\n{name}: heavy modules loaded: {', '.join(heavy) or 'none'}")
            for micros, module in heaviest_imports(["-m", "reviewer", *argv]):
                print(f"  {micros / 1000:7.1f} ms  {module}")
        print("\nfor comparison, importing each heavy module alone:")
        for module in ("bandit.core.manager", "pip_audit._cli", "github", "botocore.session", "jinja2"):
            seconds = best_of(3, [PYTHON, "-c", f"import {module}"]).seconds
            print(f"  {module:22s} {(seconds - baseline) * 1000:6.0f} ms")


def _loaded_for_version() -> set[str]:
    """`--version` exits inside argparse: the modules loaded by then, from -X importtime."""
    timed = run([PYTHON, "-X", "importtime", "-m", "reviewer", "--version"])
    return {match.group(1).split(".")[0] for line in timed.stderr.splitlines()
            if (match := re.match(r"import time:\s+\d+ \|\s+\d+ \| *(\S+)", line))}


if __name__ == "__main__":
    main()
