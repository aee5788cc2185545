#!/usr/bin/env python3
"""The release workflow's edits, kept out of shell so they are tested (tests/test_release_tools.py).

`main`'s action.yml builds the image from the Dockerfile, so `uses: ./` runs the checkout's code.
A release commit instead names the image the release workflow pushed, by digest, so users' runs
pull it and build nothing; a tag can be moved, a digest cannot.

    release_tools.py check-version VERSION          the version is reviewer.__version__ and has notes
    release_tools.py pin-image --image NAME --digest sha256:... [ACTION_YML]
    release_tools.py notes VERSION                  the CHANGELOG section of VERSION, for the release page

Uses only the standard library and PyYAML (installed on GitHub's runners' Python and in the lock).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# registry host / path segments, as the OCI distribution spec allows them once lower-cased.
_IMAGE = re.compile(r"[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+")
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_BUILD_LINE = re.compile(r'^(?P<indent>[ ]+)image:[ ]*(?P<quote>["\']?)Dockerfile(?P=quote)[ ]*$', re.MULTILINE)


class ReleaseError(Exception):
    """The release cannot go on: one line on stderr, exit 2."""


def image_reference(image: str, digest: str) -> str:
    """`docker://<image>@<digest>`; registries refuse upper-case names, so the owner is lower-cased."""
    name = image.strip().lower()
    name = name.removeprefix("docker://")
    if not _IMAGE.fullmatch(name):
        raise ReleaseError(f"not an image name: {image!r}")
    if not _DIGEST.fullmatch(digest.strip()):
        raise ReleaseError(f"not a sha256 digest: {digest!r}")
    return f"docker://{name}@{digest.strip()}"


def pin_image(action_yml: str, image: str, digest: str) -> str:
    """action.yml's text with `runs.image: Dockerfile` replaced by the pushed image's digest.

    Only that one line changes (comments, order and quoting stay), and the result is parsed back to
    check that it still is the same Docker action with nothing but its image changed.
    """
    import yaml

    reference = image_reference(image, digest)
    matches = list(_BUILD_LINE.finditer(action_yml))
    if len(matches) != 1:
        raise ReleaseError("action.yml must have exactly one `image: Dockerfile` line under `runs:` "
                           f"(found {len(matches)}); is it already a release commit?")
    line = matches[0]
    pinned = f'{action_yml[:line.start()]}{line.group("indent")}image: "{reference}"{action_yml[line.end():]}'
    before, after = yaml.safe_load(action_yml), yaml.safe_load(pinned)
    if before.get("runs", {}).get("using") != "docker" or after["runs"]["image"] != reference:
        raise ReleaseError("action.yml's `runs:` is not a Docker action building the Dockerfile")
    after["runs"]["image"] = before["runs"]["image"]
    if after != before:
        raise ReleaseError("rewriting the image line changed more than the image")
    return pinned


def check_version(version: str, root: Path = ROOT) -> None:
    """The version typed into the workflow is the package's, and the CHANGELOG says what it brings."""
    if not _VERSION.fullmatch(version):
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH (no leading v)")
    init = (root / "reviewer" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', init, re.MULTILINE)
    if not found or found.group(1) != version:
        raise ReleaseError(f"reviewer/__init__.py says {found.group(1) if found else 'no version'}, not {version}: "
                           "bump it (and the CHANGELOG) in a pull request first")
    notes(version, root)


def notes(version: str, root: Path = ROOT) -> str:
    """The body of `## [VERSION]` in CHANGELOG.md (Keep a Changelog layout)."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n", text, re.MULTILINE)
    if heading is None:
        raise ReleaseError(f"CHANGELOG.md has no `## [{version}]` section")
    following = re.search(r"^## \[", text[heading.end():], re.MULTILINE)
    body = text[heading.end():heading.end() + following.start() if following else len(text)].strip()
    if not body:
        raise ReleaseError(f"CHANGELOG.md's section for {version} is empty")
    return body + "\n"


def major_tag(version: str) -> str:
    """The tag users may follow (`v0`), moved to every release of that major version."""
    if not _VERSION.fullmatch(version):
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    return "v" + version.split(".")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="release_tools.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-version")
    check.add_argument("version")
    pin = commands.add_parser("pin-image")
    pin.add_argument("--image", required=True, help="e.g. ghcr.io/Owner/Name (lower-cased here)")
    pin.add_argument("--digest", required=True, help="sha256:... of the pushed multi-platform index")
    pin.add_argument("action_yml", nargs="?", default=str(ROOT / "action.yml"))
    show = commands.add_parser("notes")
    show.add_argument("version")
    major = commands.add_parser("major-tag")
    major.add_argument("version")
    args = parser.parse_args(argv)
    try:
        if args.command == "check-version":
            check_version(args.version)
        elif args.command == "pin-image":
            path = Path(args.action_yml)
            path.write_text(pin_image(path.read_text(encoding="utf-8"), args.image, args.digest), encoding="utf-8")
        elif args.command == "notes":
            sys.stdout.write(notes(args.version))
        else:
            sys.stdout.write(major_tag(args.version) + "\n")
    except (ReleaseError, OSError) as exc:
        sys.stderr.write(f"release: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
