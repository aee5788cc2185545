"""LR306 on HTML text built from strings: one finding per text and event field, worded by what
invokes the function (fixtures/untrusted/html-pages: a state machine's page builder and an API's
preview card, both building their HTML as arrays of tag strings)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.test_untrusted_input import FIXTURES, scan

JOURNEY = "journey/app.js"
PREVIEW = "preview/app.js"


def _pages(tmp_path: Path) -> dict[tuple[str, int], dict]:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "html-pages", root)
    return {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}


def test_one_array_of_tag_strings_is_one_finding_per_field_with_its_other_lines_related(tmp_path):
    found = _pages(tmp_path)
    # steps: lines 10-12 are one pushed text; the summary (line 17) is another value, said apart
    assert sorted(found) == [(JOURNEY, 10), (JOURNEY, 16), (JOURNEY, 17), (PREVIEW, 4)]
    steps = found[(JOURNEY, 10)]
    assert steps["function"] == "JourneyPage"
    assert [(r["path"], r["line"]) for r in steps["related"]] == [(JOURNEY, 3), (JOURNEY, 11), (JOURNEY, 12)]
    assert "(and on lines 11 and 12 of the same text)" in steps["message"]
    assert "(and on" not in found[(JOURNEY, 16)]["message"]       # orderId: its own field, its own text
    assert "`event.orderId`" in found[(JOURNEY, 16)]["message"]
    preview = found[(PREVIEW, 4)]          # two parts of one array, the same field: one finding
    assert [r["line"] for r in preview["related"]] == [3]
    assert "(and on" not in preview["message"]


def test_the_html_is_named_by_what_invokes_the_function(tmp_path):
    found = _pages(tmp_path)
    journey = found[(JOURNEY, 10)]["message"]
    assert "HTML response" not in journey
    assert "No HTTP trigger is declared for the function" in journey
    assert "return JSON instead of HTML" not in journey      # building a page is the function's job
    preview = found[(PREVIEW, 4)]["message"]
    assert "invoked through API Gateway" in preview and "return JSON instead of HTML" in preview
