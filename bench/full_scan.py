"""Full scan vs bandit alone, and the audit's cost in OSV requests, on the generated monorepo.

    .venv/bin/python bench/full_scan.py [--runs N] [--seed S]

Both commands run as a user runs them (a new process each, start-up included) on the same tree,
alternately, and the fastest of N runs of each is kept (a shared machine only ever adds time):

- `lambda-review scan` with every analyzer, pip-audit pointed at the loopback OSV stand-in
  (tests/osv_standin.py), so nothing goes to the network;
- `bandit -r` over the same tree.

Prints the ratio scan / bandit (goal: at most 1.0) and OSV requests per distinct pinned
(name, version) in the tree (goal: at most 1.0).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

from common import bandit_command, check, generated_tree, monorepo_arguments, osv, run, scan_command

from packaging.utils import canonicalize_name
from packaging.version import Version


def distinct_pins(root: Path) -> set[tuple[str, str]]:
    """Every (canonical name, normalised version) the tree's requirements files pin."""
    pins = set()
    for path in root.rglob("requirements*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            name, _, version = line.strip().partition("==")
            if version:
                pins.add((canonicalize_name(name), str(Version(version))))
    return pins


def main() -> None:
    args = monorepo_arguments(__doc__)
    with generated_tree(args.seed, args.functions) as (root, counts), osv() as service, \
            tempfile.TemporaryDirectory() as scratch:
        print("tree: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
        pinned = distinct_pins(root)
        scans, bandits, requests, cpu = [], [], [], {"scan": [], "bandit": []}
        findings: Counter[str] = Counter()
        for _ in range(args.runs):
            before = len(service.standin.queries)
            scan = run(scan_command(root, service.query_url))
            check(scan, "lambda-review scan")
            requests.append(len(service.standin.queries) - before)
            scans.append(scan.seconds)
            cpu["scan"].append(scan.cpu)
            bandit = run(bandit_command(root, Path(scratch) / "bandit.json"))
            check(bandit, "bandit -r")
            bandits.append(bandit.seconds)
            cpu["bandit"].append(bandit.cpu)
            report = json.loads(scan.stdout)
            findings = Counter(finding["engine"] for finding in report["findings"])
        bandit_issues = len(json.loads((Path(scratch) / "bandit.json").read_text())["results"])
        print(f"lambda-review scan: best {min(scans):.2f}s of {', '.join(f'{t:.2f}' for t in scans)}"
              f"; CPU {min(cpu['scan']):.2f}s ({sum(findings.values())} findings: {dict(findings)})")
        print(f"bandit -r:          best {min(bandits):.2f}s of {', '.join(f'{t:.2f}' for t in bandits)}"
              f"; CPU {min(cpu['bandit']):.2f}s ({bandit_issues} issues over every .py file)")
        print(f"ratio full scan / bandit alone: {min(scans) / min(bandits):.2f}  (goal <= 1.0)")
        audited = set(service.standin.queries)
        print(f"OSV requests per run: {requests}; distinct pinned releases in the tree: {len(pinned)}; "
              f"asked about: {len(audited & pinned)}")
        print(f"ratio OSV requests / distinct pinned release: {max(requests) / len(pinned):.2f}  (goal <= 1.0)")


if __name__ == "__main__":
    main()
