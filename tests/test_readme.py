"""The README stays a five-minute read that leads into docs/, and every link in it and in docs/ works."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_is_short_and_starts_with_the_two_commands_then_the_picture_and_the_workflow():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 120
    demo, tests, picture, workflow = (readme.index("# Demo:"), readme.index("# Tests:"),
                                      readme.index("![A Lambda Review"), readme.index("## Use it in a workflow"))
    assert demo < tests < picture < workflow


def test_every_docs_page_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, page.name


def test_relative_links_and_images_point_at_files_that_exist():
    for page in PAGES:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#", 1)[0]).resolve()
            assert path.exists(), f"{page.relative_to(ROOT)} links to a missing {target}"


def test_the_picture_is_a_small_png():
    picture = ROOT / "docs" / "screenshot" / "pull-request.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size < 300 * 1024
