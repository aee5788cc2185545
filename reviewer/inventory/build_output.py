"""Build output that belongs to exactly one format reader.

`cdk synth` writes `cdk.out/`: synthesized CloudFormation templates (which the CDK reader maps back
to the constructs that declared them) and `asset.*` copies of the source (Dockerfiles, handler
code). Read by every reader, the same function would be reported two or three times, so only the
CDK reader looks inside. The same holds for a synthesized template committed inside a CDK app
(`cdk synth > template.yaml` beside `cdk.json`, kept as documentation): its resources carry
`aws:cdk:path` metadata, and it is the app's output, not a second deployment.

Test tools write templates too, and none of them is deployed with the repository: Jest's
`__snapshots__`, CDK integ-runner's `integ.<test>.snapshot/` (a construct library keeps hundreds:
aws-solutions-constructs listed 471 of its 484 functions from them), and expected templates
under test resource folders (`is_test_resource`, asked by every template reader).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.workspace import UnreadableFile, Workspace

CDK_OUTPUT_DIRECTORY = "cdk.out"
CDK_APP_FILE = "cdk.json"
CONSTRUCT_PATH_MARK = "aws:cdk:path"
# What a CDK app's JavaScript/TypeScript source holds (it imports the CDK): the app's own code, which
# no handler ships (`cdk/app_files.py` reads such files; `code/source_changes.py` leaves them out).
CDK_SCRIPT_MARKERS = ("aws-cdk-lib", "@aws-cdk/")
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# Folders (as consecutive pairs) that hold a test's data rather than a deployment.
_TEST_DATA_FOLDERS = (("src", "test"), ("test", "resources"), ("tests", "resources"))
# A test suite's folder, and the folders of data its tests read at any depth below it
# (`tests/aws_solutions/qnabot/fixtures/`): a template there is an input a test loads, not a stack;
# in `snapshots/` it is the output a test compares with (a source generator's expected templates,
# aws-lambda-dotnet's `Amazon.Lambda.Annotations.SourceGenerators.Tests/Snapshots/`).
_TEST_SUITE_FOLDERS = frozenset({"test", "tests", "__tests__"})
_TEST_DATA_BELOW_SUITE = frozenset({"fixtures", "testdata", "mocks", "snapshots"})
# The last dotted part of a .NET test project's folder (`Orders.Tests`, `Orders.UnitTests`).
_TEST_PROJECT_SUFFIXES = frozenset({"test", "tests", "unittests", "integrationtests"})
# What integ-runner names the folder of one integration test's synthesized templates.
_SNAPSHOT_SUFFIX = ".snapshot"


def is_cdk_script(text: str) -> bool:
    """Whether a JavaScript/TypeScript source imports the CDK: infrastructure code of an app."""
    return any(marker in text for marker in CDK_SCRIPT_MARKERS)


def in_cdk_output(rel: str) -> bool:
    """Whether a repo-relative path lies inside a `cdk.out/` directory (at any depth)."""
    if CDK_OUTPUT_DIRECTORY not in rel:
        return False                 # asked of every file of a scan: most paths end here
    return CDK_OUTPUT_DIRECTORY in [part for part in rel.split("/") if part not in ("", ".")][:-1]


# `sam build` writes the template it built to `<project>/.aws-sam/build/template.yaml`.
SAM_BUILD_TEMPLATE = ".aws-sam/build/template.yaml"
_SAM_PROJECT_TEMPLATES = ("template.yaml", "template.yml", "template.json")


def sam_build_sources(rel: str) -> list[str]:
    """The templates of the project whose `sam build` output `rel` is, in the order `sam build`
    looks for them (`pipelines/replay/.aws-sam/build/template.yaml` → `pipelines/replay/template.yaml`,
    then `template.yml`): a parent that nests the built template (`Location:
    ../replay/.aws-sam/build/template.yaml`, built before it is packaged) deploys that source.
    Empty for any other path."""
    if rel != SAM_BUILD_TEMPLATE and not rel.endswith("/" + SAM_BUILD_TEMPLATE):
        return []
    project = rel[:-len(SAM_BUILD_TEMPLATE)].rstrip("/")
    return [f"{project}/{name}" if project else name for name in _SAM_PROJECT_TEMPLATES]


def is_build_output(rel: str) -> bool:
    """Whether a file is generated from other source by a format's tool (today: `cdk synth`), so
    a fix belongs in that source and a suggestion to edit the file in place would be lost."""
    return in_cdk_output(rel)


def cdk_app_root(workspace: Workspace, rel: str) -> str | None:
    """The nearest directory at or above `rel`'s folder that holds `cdk.json` ("" for the root)."""
    folder = PurePosixPath(rel).parent
    for directory in (folder, *folder.parents):
        name = "" if str(directory) == "." else str(directory)
        if workspace.exists(f"{name}/{CDK_APP_FILE}" if name else CDK_APP_FILE):
            return name
    return None


def is_committed_synth_template(workspace: Workspace, rel: str) -> bool:
    """A CloudFormation template `cdk synth` wrote, committed inside a CDK app outside `cdk.out/`:
    it names construct paths (`aws:cdk:path`), which no hand-written template does."""
    name = PurePosixPath(rel).name
    if in_cdk_output(rel) or is_test_resource(rel) or not name.lower().endswith(TEMPLATE_SUFFIXES) \
            or name == CDK_APP_FILE \
            or cdk_app_root(workspace, rel) is None:
        return False
    try:
        return CONSTRUCT_PATH_MARK in workspace.read_text(rel)
    except UnreadableFile:
        return False


def is_test_resource(rel: str) -> bool:
    """Whether a template lies in a folder of test data: an expected template
    (`src/test/resources/expected.json`), a Jest snapshot, or an integ-runner snapshot
    (`test/integ.api.js.snapshot/ApiStack.template.json`), or the data a test suite loads
    (`tests/cli/fixtures/template.yaml`: a fixtures, testdata or mocks folder anywhere below a
    test, tests or `__tests__` folder, or a .NET test project's), or the output a test compares
    with (a snapshots folder there). A `tests/` folder alone may hold a stack the tests deploy,
    so it is not enough."""
    folders = [part.lower() for part in PurePosixPath(rel).parts[:-1]]
    if "__snapshots__" in folders or any(folder.endswith(_SNAPSHOT_SUFFIX) for folder in folders):
        return True
    if any(tuple(folders[index:index + 2]) in _TEST_DATA_FOLDERS for index in range(len(folders) - 1)):
        return True
    in_suite = False
    for folder in folders:
        if in_suite and folder in _TEST_DATA_BELOW_SUITE:
            return True
        in_suite = in_suite or folder in _TEST_SUITE_FOLDERS \
            or ("." in folder and folder.rsplit(".", 1)[1] in _TEST_PROJECT_SUFFIXES)
    return False
