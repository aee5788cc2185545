"""What the format readers' tests share: the line of a snippet, and a scan's JSON report."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main


def line_containing(root: Path, rel: str, snippet: str) -> int:
    """The 1-based line of the one line of `rel` that contains `snippet`."""
    lines = [number for number, text in enumerate((root / rel).read_text().splitlines(), 1) if snippet in text]
    assert len(lines) == 1, (snippet, lines)
    return lines[0]


def scan_report(root: Path, day: str) -> dict:
    """`lambda-review scan --format json` of `root`, judged on `day`, whatever it finds."""
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", day, "--fail-on", "never"], stdout=out)
    return json.loads(out.getvalue())
