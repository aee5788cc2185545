"""A pull request touching one function's handler: `lambda-review review` vs the full scan.

    .venv/bin/python bench/pr_review.py [--runs N] [--seed S]

The generated monorepo becomes a git repository with two commits: the base, and a head that
adds one risky line to one function's handler. Both commands run as new processes against the
loopback OSV stand-in, alternately, and the fastest of N runs of each is kept:

- `lambda-review review --base BASE --head HEAD` (head and base analysed, findings classified);
- `lambda-review scan` of the same head;
- the action's review, as `reviewer.action` runs it between reading its event and posting: the
  checkout is the head and only the base is read from git objects (`ACTION_REVIEW` below);
- the floor: `lambda-review review` of an empty change (`--base HEAD --head HEAD`), which runs no
  engine and still reads the head's inventory and checks every function's runtime and guardrails;
- the same CLI review with `LAMBDA_REVIEW_CARRY_OVER=0`: the base read in full, as before it took
  unchanged templates over from the head (reviewer/review/carry_over.py).

Prints the ratio review / full scan (goal: at most 0.25 at 120 functions, 0.08 at 1,200), the
floor's ratio (what no focusing of the
engines can go below), the OSV requests of the review per distinct release the touched function
pins, and what the review reported.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from common import (LAMBDA_REVIEW, PYTHON, REFERENCE_DATE, check, generated_tree, monorepo_arguments, osv, run,
                    scan_command)
from generate_monorepo import function_names


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


PR_HANDLER = "stacks/orders/src/orders_create_order/app.py"


def make_pull_request(root: Path, handler_path: str = PR_HANDLER, function: str | None = None
                      ) -> tuple[str, str, str]:
    """(base sha, head sha, touched function): one added line in one handler (`handler_path`,
    repo-relative; the default is the first function of the generated SAM monorepo)."""
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "add", "-A")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    function = function or function_names("orders")[0]
    handler = root / handler_path
    handler.write_text(handler.read_text(encoding="utf-8") + (
        "\n\ndef purge(prefix):\n"
        "    return subprocess.call(\"rm -rf /tmp/\" + prefix, shell=True)\n"
        "\n\nimport subprocess  # noqa: E402\n"), encoding="utf-8")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-am", "head")
    return base, git(root, "rev-parse", "HEAD"), function


# The action's path through the review (reviewer/action.py, _review_pull_request), without the
# GitHub API: its entry point's process settings (the compiled methods' cache, entrypoint.py), the
# engines' early start, the diff, review_change, the quick exit. Older versions of the code
# (bench/README.md) lack the cache, the settings, the start and the exit.
ACTION_REVIEW = """
import datetime as dt, sys
from pathlib import Path
root, base, osv_url, reference_date = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
try:
    from reviewer import method_cache
    from reviewer.cache_directory import distrust
    distrust(root.resolve())
    method_cache.install()
except ImportError:
    pass
try:
    from reviewer.process_tuning import tune_garbage_collector
    tune_garbage_collector()
    try:
        from reviewer.review.early_engines import warm_up_engines
        warm_up_engines(root, None, audit=True)
    except ImportError:
        from reviewer.review.early_audit import warm_up_audit
        warm_up_audit(root, None)
except ImportError:
    pass
from reviewer.config import Settings
from reviewer.review import git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified
settings = Settings(osv_url=osv_url, reference_date=dt.date.fromisoformat(reference_date))
diff = diff_map_from_unified(git.unified_diff(root, base, "HEAD"))
outcome = review_change(root, settings, diff, base_rev=base, head_rev=None)
print(len(outcome.plan.new), len(outcome.plan.findings))
try:
    method_cache.save()
except NameError:
    pass
try:
    from reviewer.process_tuning import skip_final_collections
    skip_final_collections()
except ImportError:
    pass
"""


def pins_of(path: Path) -> set[str]:
    return {line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if "==" in line}


def main() -> None:
    args = monorepo_arguments(__doc__)
    with generated_tree(args.seed, args.functions) as (root, counts), osv() as service:
        print("tree: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
        base, head, function = make_pull_request(root)
        touched_pins = pins_of(root / "stacks" / "orders" / "src" / "orders_create_order" / "requirements.txt")
        review_command = [*LAMBDA_REVIEW, "review", str(root), "--base", base, "--head", head,
                          "--osv-url", service.query_url, "--reference-date", REFERENCE_DATE,
                          "--fail-on", "never", "--format", "json"]
        action_command = [PYTHON, "-c", ACTION_REVIEW, str(root), base, service.query_url, REFERENCE_DATE]
        floor_command = [*LAMBDA_REVIEW, "review", str(root), "--base", head, "--head", head,
                         "--osv-url", service.query_url, "--reference-date", REFERENCE_DATE,
                         "--fail-on", "never", "--format", "json"]
        reviews, scans, actions, floors, requests, in_full = [], [], [], [], [], []
        cpu: dict[str, list[float]] = {"review": [], "scan": [], "action": []}
        report: dict = {}
        for _ in range(args.runs):
            before = len(service.standin.queries)
            review = run(review_command)
            check(review, "lambda-review review")
            requests.append(len(service.standin.queries) - before)
            reviews.append(review.seconds)
            cpu["review"].append(review.cpu)
            scan = run(scan_command(root, service.query_url))
            check(scan, "lambda-review scan")
            scans.append(scan.seconds)
            cpu["scan"].append(scan.cpu)
            report = json.loads(review.stdout)
            action = run(action_command)
            check(action, "the action's review")
            actions.append(action.seconds)
            cpu["action"].append(action.cpu)
            floor = run(floor_command)
            check(floor, "the review of an empty change")
            floors.append(floor.seconds)
            without = run(review_command, env={"LAMBDA_REVIEW_CARRY_OVER": "0"})
            check(without, "lambda-review review without carry-over")
            in_full.append(without.seconds)
        print(f"lambda-review review: best {min(reviews):.2f}s of {', '.join(f'{t:.2f}' for t in reviews)}"
              f"; CPU {min(cpu['review']):.2f}s")
        print(f"lambda-review scan:   best {min(scans):.2f}s of {', '.join(f'{t:.2f}' for t in scans)}"
              f"; CPU {min(cpu['scan']):.2f}s")
        goal = 0.25 if args.functions <= 120 else 0.08
        print(f"ratio PR review / full scan: {min(reviews) / min(scans):.2f}  (goal <= {goal} at this size)")
        print(f"the action's review (checkout as head): best {min(actions):.2f}s of "
              f"{', '.join(f'{t:.2f}' for t in actions)}; CPU {min(cpu['action']):.2f}s; "
              f"ratio to the full scan {min(actions) / min(scans):.2f}")
        print(f"the floor, a review of an empty change (no engine runs): best {min(floors):.2f}s of "
              f"{', '.join(f'{t:.2f}' for t in floors)}; ratio to the full scan {min(floors) / min(scans):.2f}")
        print(f"the same review with the base read in full (LAMBDA_REVIEW_CARRY_OVER=0): best {min(in_full):.2f}s of "
              f"{', '.join(f'{t:.2f}' for t in in_full)}; ratio to the full scan {min(in_full) / min(scans):.2f}")
        print(f"OSV requests per review: {requests}; distinct releases the touched function pins: "
              f"{len(touched_pins)}; ratio {max(requests) / len(touched_pins):.2f}")
        _describe(report, function)


def _describe(report: dict, function: str) -> None:
    """What the review said: engine findings by function, new findings, and the notes."""
    owners: dict[str, set[str]] = {}
    for finding in report["findings"]:
        if finding["engine"] in ("bandit", "pip-audit"):
            owners.setdefault(finding["engine"], set()).add(str(finding["function"]))
    print(f"touched function: {function}; engine findings on the head come from: "
          + "; ".join(f"{engine}: {len(names)} function(s)" + (f" ({', '.join(sorted(names))})" if len(names) <= 3 else "")
                      for engine, names in sorted(owners.items())))
    summary = report["summary"]
    print(f"new findings: {summary['new']} {summary['new_counts']} of {summary['total']}")
    for note in summary.get("notes", []):
        print(f"note: {note}")


if __name__ == "__main__":
    main()
