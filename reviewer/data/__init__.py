"""Data that changes with the world, each table with its sources and as-of date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_table(name: str) -> Any:
    """The JSON table `name` shipped beside this module. Read from the package's folder rather
    than through `importlib.resources`, whose import (zipfile, bz2, lzma among it) cost every run
    about 15 ms for files that are never inside an archive: pip and the action's image install
    the package as files."""
    return json.loads((Path(__file__).parent / name).read_text(encoding="utf-8"))
