"""Two versions of the code on the same commands, run by turns: which one is faster, in one sitting.

    git archive REV reviewer templates | tar -x -C /tmp/before && cp -r /tmp/before/templates /tmp/before/reviewer/
    .venv/bin/python bench/compare_versions.py /tmp/before [--runs N] [--seed S]

The other scripts measure one version against the engines alone; comparing two versions with them
means two sittings, and on a shared machine the load moves between sittings by more than a round
of work changes. Here each run of each command goes to one version and then the other, so both
see the same moments of the machine. For the full scan, the CLI's PR review and the action's
review (bench/pr_review.py's pull request), it prints the best and the median wall time and the
median CPU seconds of each version. The versions are told apart by PYTHONPATH: this checkout's
code, and the export given as the first argument.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from common import LAMBDA_REVIEW, PYTHON, REFERENCE_DATE, REPO, check, generated_tree, machine, osv, run, scan_command
from pr_review import ACTION_REVIEW, make_pull_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a directory holding another version's reviewer/ package")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--functions", type=int, default=120, help="size of the generated monorepo")
    args = parser.parse_args()
    if not (args.other / "reviewer" / "__init__.py").is_file():
        parser.error(f"{args.other} holds no reviewer/ package (see the usage above)")
    print(f"machine: {machine()}")
    versions = {"this checkout": str(REPO), str(args.other): str(args.other.resolve())}
    with generated_tree(args.seed, args.functions) as (root, counts), osv() as service:
        print("tree: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
        base, head, _ = make_pull_request(root)
        commands = {
            "full scan": scan_command(root, service.query_url),
            "PR review": [*LAMBDA_REVIEW, "review", str(root), "--base", base, "--head", head, "--osv-url",
                          service.query_url, "--reference-date", REFERENCE_DATE, "--fail-on", "never",
                          "--format", "json"],
            "action's review": [PYTHON, "-c", ACTION_REVIEW, str(root), base, service.query_url, REFERENCE_DATE],
        }
        for name, command in commands.items():
            walls: dict[str, list[float]] = {version: [] for version in versions}
            cpus: dict[str, list[float]] = {version: [] for version in versions}
            for _ in range(args.runs):
                for version, path in versions.items():
                    timed = run(command, env={"PYTHONPATH": path})
                    check(timed, f"{name} ({version})")
                    walls[version].append(timed.seconds)
                    cpus[version].append(timed.cpu)
            for version in versions:
                print(f"{name:16} {version:24} wall best {min(walls[version]):.2f}s median "
                      f"{statistics.median(walls[version]):.2f}s; CPU median {statistics.median(cpus[version]):.2f}s")


if __name__ == "__main__":
    main()
