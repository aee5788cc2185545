"""Which files the CDK reader reads, and whether a workspace holds any, without importing the reader.

The reader (`cdk/read.py`) and the 25 modules behind it cost a run about a tenth of a second to
import; most repositories (a SAM or Terraform monorepo of Python functions) hold no CDK app, and
their source files lack every CDK marker. `reviewer.inventory.deferred` asks `listed_app_files`
first and imports the reader only when some file may declare a function, handing it the listing
so that git's search for the markers runs once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable

from reviewer import source_trees
from reviewer.inventory.build_output import CDK_SCRIPT_MARKERS, TEMPLATE_SUFFIXES, in_cdk_output, is_committed_synth_template
from reviewer.workspace import UnreadableFile, Workspace

SOURCE_SUFFIXES = (".py", ".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".java", ".kt", ".kts", ".cs", ".go")
TEMPLATE_SUFFIX = ".template.json"
LISTED_SUFFIXES = SOURCE_SUFFIXES + (TEMPLATE_SUFFIX,) + TEMPLATE_SUFFIXES
# Text a CDK source file holds when it can declare a Lambda function; files without it are not parsed.
MARKERS = {
    "python": ("aws_cdk",),
    "javascript": CDK_SCRIPT_MARKERS,
    "typescript": CDK_SCRIPT_MARKERS,
    "tsx": CDK_SCRIPT_MARKERS,
    "java": ("software.amazon.awscdk",),
    "kotlin": ("software.amazon.awscdk",),
    "csharp": ("Amazon.CDK",),
    "go": ("aws-cdk-go",),
}
# Every marker of every language: a source file holding none of them is not the CDK's.
ALL_MARKERS = tuple(sorted({marker for markers in MARKERS.values() for marker in markers}))
# Construct names that mark a source file as declaring functions even when it does not parse.
UNPARSED_CONSTRUCT_MARKERS = ("lambda.Function", "_lambda.Function", "NodejsFunction", "PythonFunction",
                              "DockerImageFunction")


@dataclass(frozen=True)
class AppFiles:
    """The files the reader looks at (sorted as listed) and the sources git can tell lack every marker."""

    files: list[str]
    unmarked: frozenset[str]


def sources(files: Iterable[str]) -> list[str]:
    """The source files (not synthesized output) whose markers decide whether they are read."""
    return [rel for rel in files if rel.lower().endswith(SOURCE_SUFFIXES) and not in_cdk_output(rel)]


def start_listing(workspace: Workspace) -> None:
    """Start the search for markers `listed_app_files` asks for, so git works while other formats read."""
    workspace.start_lacking(sources(workspace.iter_files(LISTED_SUFFIXES)), ALL_MARKERS)


def listed_app_files(workspace: Workspace) -> AppFiles:
    """What the reader reads: its files, and those it need not open (collects the started search)."""
    files = list(workspace.iter_files(LISTED_SUFFIXES))
    return AppFiles(files, workspace.lacking(sources(files), ALL_MARKERS))


# Folders of an app's tests: a stack is never declared there (CDK's own layout keeps `lib/` and `test/`).
_TEST_FOLDERS = frozenset({"test", "tests", "__tests__"})
# Folders of a repository's documentation (mkdocs, Sphinx): snippets the pages include.
_DOCUMENTATION_FOLDERS = frozenset({"docs", "doc"})


def is_test_source(rel: str) -> bool:
    """Unit tests of stacks (`test_stack.py`, `stack.test.ts`, `src/test/...`, anything under
    `test/`) and integ-runner's test apps (`integ.api.ts`) declare no deployed function."""
    path = PurePosixPath(rel)
    name = path.name.lower()
    return (name.startswith("test_") and name.endswith(".py") or name.endswith("_test.py") or name == "conftest.py"
            or any(f".{kind}." in name for kind in ("test", "spec"))
            or name.startswith("integ.")
            or name.endswith("_test.go")
            or path.name.endswith(tuple(f"{word}.{ext}" for word in ("Test", "Tests") for ext in ("cs", "kt", "java")))
            or "/src/test/" in f"/{rel}"
            or any(part.lower() in _TEST_FOLDERS for part in path.parts[:-1]))


def documentation_snippet(workspace: Workspace, rel: str) -> bool:
    """A source in a documentation folder (`docs/examples/best_practices/lambda_cdk.py`) that is no
    app of its own: a snippet the documentation shows, which the repository's app (its `cdk.json`
    above that folder, if any) never imports. An example app with its own `cdk.json` inside the
    documentation folder is read."""
    folders = PurePosixPath(rel).parts[:-1]
    lowered = [part.lower() for part in folders]
    starts = [index for index, part in enumerate(lowered) if part in _DOCUMENTATION_FOLDERS]
    if not starts:
        return False
    return not any(workspace.exists("/".join((*folders[:end], "cdk.json")))
                   for end in range(starts[0] + 1, len(folders) + 1))


def skipped_source(workspace: Workspace, rel: str) -> bool:
    """Tests, documentation snippets, type declarations, vendored and built copies, and `.js`
    compiled from a `.ts` beside it."""
    if is_test_source(rel) or rel.endswith(".d.ts") or documentation_snippet(workspace, rel):
        return True
    parts = set(PurePosixPath(rel).parts[:-1])
    if rel.endswith(".go") and "vendor" in parts or rel.endswith(".cs") and parts & {"bin", "obj"} \
            or rel.endswith((".java", ".kt")) and parts & {"target", "build"}:
        return True   # vendored modules and build output: the CDK library itself, not the app
    if rel.endswith(".js"):
        return workspace.exists(rel[:-3] + ".ts")
    return False


def source_language(rel: str) -> str | None:
    """The language whose markers a source file is searched for (None: not one the reader parses)."""
    return "python" if rel.endswith(".py") else source_trees.language_for(rel)


def may_declare_functions(workspace: Workspace, listed: AppFiles) -> bool:
    """Whether the reader could find anything in these files: a synthesized or committed template,
    or a source that holds its language's marker (or that cannot be read: the reader reports it).
    A file the reader would open only to skip is not read here either."""
    for rel in listed.files:
        if rel in listed.unmarked:
            continue
        if in_cdk_output(rel):
            if rel.lower().endswith(TEMPLATE_SUFFIX):
                return True
        elif rel.lower().endswith(SOURCE_SUFFIXES):
            if skipped_source(workspace, rel):
                continue
            language = source_language(rel)
            try:
                text = workspace.read_text(rel)
            except UnreadableFile:
                return True
            if language is not None and any(marker in text for marker in MARKERS[language]):
                return True
        elif is_committed_synth_template(workspace, rel):
            return True
    return False


def declares_functions(rel: str, text: str) -> bool:
    """Whether source that does not parse still names a Lambda construct."""
    return any(construct in text for construct in UNPARSED_CONSTRUCT_MARKERS)
