"""docs/screenshot/make_screenshot.py draws the summary's Mermaid loops the way loops.py writes them.

The script itself runs by hand (it needs Chromium); this keeps its reading of the diagram in step
with reviewer/review/loops.py, hostile labels included.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from reviewer.findings import Loop, LoopEdge, LoopNode
from reviewer.model import Location
from reviewer.review.loops import mermaid

ROOT = Path(__file__).resolve().parents[1]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_screenshot", ROOT / "docs" / "screenshot" / "make_screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_loop_is_drawn_as_its_boxes_and_labelled_arrows_in_order():
    bucket = LoopNode("resource", 'S3 bucket "Uploads" <img src=x>')
    function = LoopNode("function", "ThumbnailFunction")
    loop = Loop((LoopEdge(bucket, function, "invokes", Location("template.yaml", 36)),
                 LoopEdge(function, bucket, "put_object", Location("src/app.py", 20))))

    drawn = _script().draw_loop(str(mermaid(loop)))

    assert drawn.count('class="node resource"') == 2 and drawn.count('class="node function"') == 1
    assert drawn.index("invokes, template.yaml:36") < drawn.index("put_object, src/app.py:20")
    assert "&lt;img src=x&gt;" in drawn and "<img" not in drawn          # the label stays text
    assert "&quot;Uploads&quot;" in drawn


def test_the_summary_markdown_becomes_html_with_the_diagram_drawn():
    markdown = "## Lambda Review\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```mermaid\nflowchart LR\n" \
               '  n0(["F"])\n  n1[("Q")]\n  n0 -->|"send_message, a.py:3"| n1\n  n1 -->|"invokes, t.yaml:9"| n0\n```\n'
    rendered = _script().to_html(markdown)
    assert "<table>" in rendered and 'class="loop"' in rendered and "flowchart" not in rendered
