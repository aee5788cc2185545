"""A release that bumps the `version` of every package.json touches no function's code, but the
summary must not say it leaves the functions' dependency files alone: it names the ones it edits.

The fixture is a CDK workspace whose functions are bundled from entry files (`NodejsFunction`),
each package's manifest beside or above its entry, outside the function's code path.
"""

from __future__ import annotations

from pathlib import Path

from scenario import committed_copy, git

from reviewer.config import resolve_settings
from reviewer.model import Function, Location
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified
from reviewer.review.package_edits import edited_package_files

FIXTURE = Path(__file__).parent / "fixtures" / "focus" / "cdk-release-bump"
MANIFESTS = ("package.json", "source/infrastructure/package.json", "source/job-runner/package.json",
             "source/report-parser/package.json")


def _focus_note(tmp_path: Path, edit_manifests: bool) -> str:
    root, base = committed_copy(FIXTURE, tmp_path / "load-bench")
    for rel in MANIFESTS if edit_manifests else ():
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace('"version": "2.0.0"', '"version": "2.0.1"'),
                        encoding="utf-8")
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8") + "\n## [2.0.1] - 2026-06-01\n\n- Release.\n",
                         encoding="utf-8")
    git(root, "commit", "-q", "-am", "Release v2.0.1")
    head = git(root, "rev-parse", "HEAD").strip()
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, audit="off", reference_date="2026-06-01")
    outcome = review_change(root, settings, diff, base_rev=base, head_rev=head)
    return next(note for note in outcome.facts.notes if note.startswith("This change touches none"))


def test_a_version_bump_names_the_dependency_files_it_edits(tmp_path):
    note = _focus_note(tmp_path, edit_manifests=True)

    assert note.startswith("This change touches none of the 3 functions' code or templates (it edits dependency "
                           "files of their packages: source/infrastructure/package.json, "
                           "source/job-runner/package.json, source/report-parser/package.json and 1 more), so ")
    assert "templates or dependency files" not in note


def test_a_change_to_no_dependency_file_still_says_it_leaves_them_alone(tmp_path):
    note = _focus_note(tmp_path, edit_manifests=False)

    assert note.startswith("This change touches none of the 3 functions' code, templates or dependency files, so ")


def test_only_dependency_files_in_or_above_a_function_code_folder_count():
    functions = [Function("JobRunner", "cdk", Location("lib/stack.ts", 3), code_path="source/job-runner/src/index.ts"),
                 Function("Inline", "cdk", Location("lib/stack.ts", 9))]
    changed = {"source/job-runner/package.json", "source/webui/package.json", "source/job-runner/README.md",
               "package-lock.json", "../package.json", "source/job-runner/src/requirements.txt"}

    assert edited_package_files(functions, changed) == [
        "source/job-runner/src/requirements.txt", "source/job-runner/package.json", "package-lock.json"]


def test_only_dependency_files_of_the_function_s_language_count():
    # A repository's root package.json of developer tools is no dependency file of a Python function.
    functions = [Function("Ingest", "sam", Location("template.yaml", 3), runtime="python3.13", code_path="src/ingest"),
                 Function("Web", "sam", Location("template.yaml", 9), runtime="nodejs22.x", code_path="web/app.js")]
    changed = {"package.json", "src/requirements.txt", "web/package.json", "web/requirements.txt", "go.mod"}

    assert edited_package_files(functions, changed) == ["src/requirements.txt", "web/package.json", "package.json"]
