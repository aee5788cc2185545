"""Globs over repository paths (reviewer.path_globs): the Serverless package patterns' semantics,
in time linear in the path, whatever the repository writes."""

from __future__ import annotations

import fnmatch
import re

import pytest

from reviewer.path_globs import is_valid_segment, matches, segment_matches


def glob(pattern: str) -> tuple[str, ...]:
    return tuple(pattern.split("/"))


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("src/**", "src/app.py", True),
    ("src/**", "src/a/b/c.py", True),
    ("src/**", "src", True),
    ("src/**", "lib/app.py", False),
    ("**/*.py", "app.py", True),
    ("**/*.py", "a/b/app.py", True),
    ("**/*.py", "a/b/app.js", False),
    ("src/**/test_*.py", "src/test_a.py", True),
    ("src/**/test_*.py", "src/x/y/test_a.py", True),
    ("src/**/test_*.py", "src/x/y/a_test.py", False),
    ("*.js", "handler.js", True),
    ("*.js", "lib/handler.js", False),
    ("node_modules/**", "node_modules/aws-sdk/index.js", True),
    (".serverless/**", ".serverless/x.zip", True),
    ("*", ".env", True),                                  # dot files match, as micromatch with dot: true
    ("file?.py", "file1.py", True),
    ("file?.py", "file10.py", False),
    ("[abc]*.py", "b_handler.py", True),
    ("[!abc]*.py", "b_handler.py", False),
    ("[a-c]*.py", "c.py", True),
    ("[a-c]*.py", "d.py", False),
])
def test_the_frameworks_patterns(pattern, path, expected):
    assert matches(glob(pattern), path) is expected


@pytest.mark.parametrize("pattern", ["*.py", "a*b*c", "*_test.?s", "[a-m]*x*", "**", "?*?", "*a*a*b"])
@pytest.mark.parametrize("name", ["", "a", "abc", "x_test.js", "aaab", "abxcx", "main.py", "aXbYc", "aaaaaaa"])
def test_a_segment_matches_as_fnmatch_does(pattern, name):
    expected = re.fullmatch(fnmatch.translate(pattern), name) is not None
    assert segment_matches(pattern.replace("**", "*"), name) is expected


def test_a_hostile_pattern_against_a_long_path_is_answered():
    """A backtracking regular expression took seconds for five `*` against a 400-character path and
    never finished for ten; the repository writes these patterns, so it could stall every scan."""
    hostile = glob("*a" * 20 + "b")
    assert matches(hostile, "a" * 5000) is False
    assert matches(glob("/".join(["**"] * 20) + "/x.py"), "a/" * 2000 + "c") is False
    assert matches(glob("**/" * 20 + "x.py"), "a/" * 2000 + "x.py") is True


def test_an_unterminated_class_is_not_read():
    assert not is_valid_segment("[abc")
    assert not is_valid_segment("[]")
    assert is_valid_segment("[!a-z]*")
