"""Which file names hold a function's Python dependencies: only names, nothing is read.

Kept apart from `dependency_files` (which parses them) so that a review can tell, from git's list
of paths and before its heavier imports, whether it will need the dependency audit's process.
"""

from __future__ import annotations

import re

LOCK_FILE_NAMES = ("poetry.lock", "Pipfile.lock", "uv.lock")
REQUIREMENTS_NAME = re.compile(r"^requirements[^/]*\.txt$", re.I)
PYLOCK_NAME = re.compile(r"^pylock(\.[^/.]+)?\.toml$")
# `requirements-dev.txt`, `requirements_test.txt`, `requirements.lint.txt`: what developers and CI
# install. SAM's and the Serverless plugin's builders, and Terraform's lambda module, install
# `requirements.txt` (or the file they are told), so these are not deployed; one that a read
# file includes with `-r` is still read through the include.
DEVELOPMENT_REQUIREMENTS = re.compile(
    r"^requirements[-_.](dev|devel|develop|development|test|tests|testing|lint|linting|docs?|ci|typing)"
    r"([-_.][^/]*)?\.txt$", re.I)


def is_dependency_file_name(name: str) -> bool:
    """Whether a file name is one the dependency reader reads (`requirements-prod.txt`, `uv.lock`, ...)."""
    return bool((REQUIREMENTS_NAME.match(name) and not DEVELOPMENT_REQUIREMENTS.match(name))
                or PYLOCK_NAME.match(name) or name in ("pyproject.toml", *LOCK_FILE_NAMES))
