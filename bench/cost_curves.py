"""Cost curves: time, CPU and peak memory of `bandit -r`, the full scan and a one-function review,
at several sizes of the generated monorepo (and on the mixed-format one).

    .venv/bin/python bench/cost_curves.py [--sizes 120 1200 3000] [--mixed] [--runs N]
                                          [--cold] [--busy N] [--only bandit,scan,review] [--other DIR]

For each tree: `bandit -r` alone; `lambda-review scan` with every analyzer (pip-audit pointed at
the loopback OSV stand-in); `lambda-review review` of a pull request adding one risky line to
one handler (bench/pr_review.py's pull request). The commands run by turns, each a new process,
and the fastest of N runs is kept. Peak memory is the largest sum of VmRSS over the command's
whole process tree (bench/process_tree.py, polled every 20 ms), the largest over the runs.

`--cold` drops the page cache before every command (root only: `sync; echo 3 >
/proc/sys/vm/drop_caches`), as a CI runner's first read of a fresh checkout sees the disk.
`--busy N` keeps N CPU-bound processes (`while 1: pass`) running beside the commands, as other
jobs on a shared machine do. `--other DIR` (an export of another version, as for
compare_versions.py) runs its scan and review by turns with this checkout's. Ratios are only
meaningful within one run of this script.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from common import LAMBDA_REVIEW, PYTHON, REFERENCE_DATE, bandit_command, generated_tree, machine, osv, scan_command
from generate_mixed_monorepo import PR_FUNCTION, PR_HANDLER, generate as generate_mixed
from pr_review import make_pull_request
from process_tree import Measured, measure

COMMANDS = ("bandit", "scan", "review")


@contextmanager
def mixed_tree(seed: int) -> Iterator[tuple[Path, dict[str, int]]]:
    with tempfile.TemporaryDirectory(prefix="lr-bench-mixed-") as directory:
        root = Path(directory) / "monorepo"
        yield root, generate_mixed(root, seed)


@contextmanager
def cpu_burners(count: int) -> Iterator[None]:
    burners = [subprocess.Popen([PYTHON, "-c", "while 1: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def drop_page_cache() -> None:
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def measure_tree(name: str, root: Path, handler: str, function: str | None, osv_url: str,
                 args: argparse.Namespace) -> None:
    base, head, _ = make_pull_request(root, handler, function)
    with tempfile.TemporaryDirectory() as scratch:
        commands = {
            "bandit": bandit_command(root, Path(scratch) / "bandit.json"),
            "scan": scan_command(root, osv_url),
            "review": [*LAMBDA_REVIEW, "review", str(root), "--base", base, "--head", head, "--osv-url", osv_url,
                       "--reference-date", REFERENCE_DATE, "--fail-on", "never", "--format", "json"],
        }
        # (label, command, PYTHONPATH): this checkout's code, and the other version's when given.
        turns = [(command, commands[command], None) for command in COMMANDS if command in args.only]
        if args.other is not None:
            turns += [(f"{command} ({args.other.name})", commands[command], str(args.other.resolve()))
                      for command in ("scan", "review") if command in args.only]
        runs: dict[str, list[Measured]] = {label: [] for label, _, _ in turns}
        for _ in range(args.runs):
            for label, command, code in turns:
                if args.cold:
                    drop_page_cache()
                measured = measure(command, env={"PYTHONPATH": code} if code else None)
                if measured.returncode not in (0, 1):
                    sys.exit(f"{label} on {name} failed with status {measured.returncode}:\n"
                             f"{measured.stderr[-2000:]}")
                runs[label].append(measured)
    best = {label: min(measured, key=lambda m: m.seconds) for label, measured in runs.items()}
    for command, measured in runs.items():
        print(f"  {command:20} wall best {best[command].seconds:6.2f}s "
              f"(of {', '.join(f'{m.seconds:.2f}' for m in measured)}); CPU {best[command].cpu:6.2f}s "
              f"({best[command].cpu / best[command].seconds:.0%} of wall); "
              f"peak memory {max(m.peak_mb for m in measured):5.0f} MB")
    if "scan" in best and "bandit" in best:
        print(f"  ratio full scan / bandit -r: {best['scan'].seconds / best['bandit'].seconds:.2f}")
    if "scan" in best and "review" in best:
        print(f"  ratio one-function review / full scan: {best['review'].seconds / best['scan'].seconds:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[120, 1200, 3000], help="functions of the SAM monorepo")
    parser.add_argument("--mixed", action="store_true", help="also the mixed-format monorepo (~1,000 folders)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before every command (root)")
    parser.add_argument("--busy", type=int, default=0, help="CPU-bound processes running alongside")
    parser.add_argument("--only", default=",".join(COMMANDS), help="a comma-separated subset of " + ",".join(COMMANDS))
    parser.add_argument("--other", type=Path, help="a directory holding another version's reviewer/ package")
    args = parser.parse_args()
    args.only = set(args.only.split(","))
    print(f"machine: {machine()}")
    print(f"runs {args.runs}; page cache {'dropped before every command' if args.cold else 'warm'}; "
          f"{args.busy} CPU burner(s) alongside")
    with osv() as service, cpu_burners(args.busy):
        for size in args.sizes:
            with generated_tree(args.seed, size) as (root, counts):
                print(f"SAM monorepo, {size} functions: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
                measure_tree(f"{size} functions", root, "stacks/orders/src/orders_create_order/app.py", None,
                             service.query_url, args)
        if args.mixed:
            with mixed_tree(args.seed) as (root, counts):
                print("mixed-format monorepo: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
                measure_tree("the mixed monorepo", root, PR_HANDLER, PR_FUNCTION, service.query_url, args)


if __name__ == "__main__":
    main()
