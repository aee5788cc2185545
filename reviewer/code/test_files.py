"""Which files are a project's own tests: never imported by a handler, so never a function's code.

Kept apart from `ownership` (which leaves them out of a function's files) because the search for
a handler's module by its name (`handler_search`) skips them too, and `ownership` in turn asks
that search for the source of a package built elsewhere.
"""

from __future__ import annotations

# Paths that are a project's own tests, never imported by a handler: left out when a function's
# imports cannot be followed (a non-Python handler, a handler module that is not found).
TEST_DIRECTORIES = frozenset({"tests", "test", "__tests__", "testing", "unit_tests", "integration_tests"})


def is_test_file(rel: str) -> bool:
    """`tests/…`, `test_x.py`, `x_test.py`, `conftest.py`: the shapes pytest and unittest collect."""
    *folders, name = rel.split("/")                # a repo-relative POSIX path, as the workspace lists it
    return any(part.lower() in TEST_DIRECTORIES for part in folders) or is_test_name(name)


def is_test_name(name: str) -> bool:
    """The file-name half of `is_test_file`."""
    name = name.lower()
    return name == "conftest.py" or name.startswith("test_") or name.endswith(("_test.py", "_tests.py"))
