"""A backport of a standard library module copied beside a handler (the `ipaddress` backport of
quickstart-git2s3's GitPullS3) is a library's code: bandit leaves it out, and the summary says so
once. A module of the function's own that only takes a standard name (`types.py`) stays its code.

The fixture has two functions importing such a copy: one built elsewhere (an S3 package whose
source folder the handler's name finds) and one whose `CodeUri` is the folder.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from reviewer.config import Settings
from reviewer.review.summary import left_out_notes
from reviewer.scan import scan_checkout

FIXTURE = Path(__file__).parent / "fixtures" / "bandit" / "vendored-backport"
BACKPORTS = ("functions/source/HookFilter/ipaddress.py", "functions/source/RepoSync/ipaddress.py")
OFFLINE = Settings(audit=False)


def _bandit_paths(settings: Settings, tmp_path: Path) -> tuple[set[str], dict[str, str]]:
    root = tmp_path / "repo-sync"
    shutil.copytree(FIXTURE, root)
    result = scan_checkout(root, settings)
    return {finding.path for finding in result.findings if finding.engine == "bandit"}, result.left_out


def test_bandit_leaves_out_a_vendored_backport_and_keeps_an_own_module_of_a_standard_name(tmp_path):
    paths, left_out = _bandit_paths(OFFLINE, tmp_path)

    assert not paths & set(BACKPORTS)
    assert {"functions/source/RepoSync/lambda_function.py", "functions/source/RepoSync/types.py"} <= paths
    assert sorted(path for path in left_out if path.endswith("ipaddress.py")) == list(BACKPORTS)
    assert left_out_notes(left_out) == [
        "bandit did not analyse functions/source/HookFilter/ipaddress.py and functions/source/RepoSync/ipaddress.py: "
        "copies of standard library modules vendored beside the handlers, each declaring its own release, so a "
        "library's code rather than the functions'; set `scan-all-python: true` to include them."]


def test_scan_all_python_reads_the_backports_too(tmp_path):
    paths, _ = _bandit_paths(dataclasses.replace(OFFLINE, scan_all_python=True), tmp_path)

    assert set(BACKPORTS) <= paths


def test_one_backport_is_named_in_the_singular_beside_the_unshipped_files():
    notes = left_out_notes({BACKPORTS[1]: "a vendored backport of a standard library module",
                            "functions/source/RepoSync/test_handler.py": "a test"})

    assert notes[0].startswith("1 Python file in the functions' code directories is not shipped")
    assert notes[1].startswith("bandit did not analyse functions/source/RepoSync/ipaddress.py: a copy of a "
                               "standard library module vendored beside a handler")
