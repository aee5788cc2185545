"""A pull request touching one function's handler: `lambda-review review` vs the full scan.

    .venv/bin/python bench/pr_review.py [--runs N] [--seed S]

The generated monorepo becomes a git repository with two commits: the base, and a head that
adds one risky line to one function's handler. Both commands run as new processes against the
loopback OSV stand-in, alternately, and the fastest of N runs of each is kept:

- `lambda-review review --base BASE --head HEAD` (head and base analysed, findings classified);
- `lambda-review scan` of the same head.

Prints the ratio review / full scan (goal: at most 0.2), the OSV requests of the review per
distinct release the touched function pins, and what the review reported.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from common import LAMBDA_REVIEW, REFERENCE_DATE, check, generated_tree, machine, osv, run, scan_command
from generate_monorepo import function_names


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


def make_pull_request(root: Path) -> tuple[str, str, str]:
    """(base sha, head sha, touched function): one added line in one handler."""
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "add", "-A")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    function = function_names("orders")[0]
    handler = root / "stacks" / "orders" / "src" / "orders_create_order" / "app.py"
    handler.write_text(handler.read_text(encoding="utf-8") + (
        "\n\ndef purge(prefix):\n"
        "    return subprocess.call(\"rm -rf /tmp/\" + prefix, shell=True)\n"
        "\n\nimport subprocess  # noqa: E402\n"), encoding="utf-8")
    git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-am", "head")
    return base, git(root, "rev-parse", "HEAD"), function


def pins_of(path: Path) -> set[str]:
    return {line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if "==" in line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with generated_tree(args.seed) as (root, counts), osv() as service:
        print("tree: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
        base, head, function = make_pull_request(root)
        touched_pins = pins_of(root / "stacks" / "orders" / "src" / "orders_create_order" / "requirements.txt")
        review_command = [*LAMBDA_REVIEW, "review", str(root), "--base", base, "--head", head,
                          "--osv-url", service.query_url, "--reference-date", REFERENCE_DATE,
                          "--fail-on", "never", "--format", "json"]
        reviews, scans, requests, cpu = [], [], [], {"review": [], "scan": []}
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
        print(f"lambda-review review: best {min(reviews):.2f}s of {', '.join(f'{t:.2f}' for t in reviews)}"
              f"; CPU {min(cpu['review']):.2f}s")
        print(f"lambda-review scan:   best {min(scans):.2f}s of {', '.join(f'{t:.2f}' for t in scans)}"
              f"; CPU {min(cpu['scan']):.2f}s")
        print(f"ratio PR review / full scan: {min(reviews) / min(scans):.2f}  (goal <= 0.2)")
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
