"""The repository's bandit configuration, read as data: `.bandit` (INI, `[bandit]`: tests, skips,
exclude) and `[tool.bandit]` in `pyproject.toml` (tests, skips, exclude_dirs and plugin options),
both at the workspace root. No configuration file is handed to bandit itself: the settings travel
to its workers as a plain, picklable `BanditProfile`.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

from reviewer.findings import Finding
from reviewer.workspace import UnreadableFile, Workspace, unparsed_notice


@dataclass(frozen=True)
class BanditProfile:
    """The repository's bandit configuration, as plain (picklable) data."""

    tests: tuple[str, ...] = ()
    skips: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()


def _id_list(value: Any) -> tuple[str, ...]:
    """`B101,B602` (INI) or `["B101", "B602"]` (TOML) → ids; test names become their id."""
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(str(item).strip() for item in items if isinstance(item, str) and str(item).strip())


def read_bandit_profile(workspace: Workspace) -> tuple[BanditProfile, list[Finding]]:
    """The `.bandit` and `[tool.bandit]` settings at the workspace root (unreadable files → notices)."""
    notices: list[Finding] = []
    tests: list[str] = []
    skips: list[str] = []
    exclude: list[str] = []
    options: dict[str, Any] = {}
    if workspace.exists(".bandit"):
        try:
            parser = configparser.ConfigParser(interpolation=None)
            parser.read_string(workspace.read_text(".bandit"), source=".bandit")
            if parser.has_section("bandit"):
                section = parser["bandit"]
                tests += _id_list(section.get("tests", ""))
                skips += _id_list(section.get("skips", ""))
                exclude += _id_list(section.get("exclude", ""))
        except UnreadableFile as unreadable:
            notices.append(unreadable.notice)
        except configparser.Error as exc:
            line = getattr(exc, "lineno", 1) or 1
            notices.append(unparsed_notice(".bandit", f"it is not a valid INI file ({type(exc).__name__})", line))
    if workspace.exists("pyproject.toml"):
        try:
            document = tomllib.loads(workspace.read_text("pyproject.toml"))
            tool = document.get("tool")
            table = tool.get("bandit") if isinstance(tool, dict) else None
            if isinstance(table, dict):
                tests += _id_list(table.get("tests"))
                skips += _id_list(table.get("skips"))
                exclude += _id_list(table.get("exclude_dirs"))
                options = {key: value for key, value in table.items()
                           if key not in ("tests", "skips", "exclude_dirs", "profiles", "include")}
        except UnreadableFile as unreadable:
            notices.append(unreadable.notice)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
            notices.append(unparsed_notice("pyproject.toml", f"it is not valid TOML ({exc})", line))
    profile = BanditProfile(tuple(dict.fromkeys(tests)), tuple(dict.fromkeys(skips)),
                            tuple(dict.fromkeys(exclude)), tuple(sorted(options.items())))
    return profile, notices


def is_excluded_by_bandit(rel: str, profile: BanditProfile) -> bool:
    """bandit's own rule: a glob match or a substring of the path (`./` + repo-relative path)."""
    path = "./" + rel
    return any(fnmatch(path, pattern) or fnmatch(rel, pattern) or pattern.strip("./") in rel
               for pattern in profile.exclude if pattern.strip("./"))
