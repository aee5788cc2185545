"""Build output that belongs to exactly one format reader.

`cdk synth` writes `cdk.out/`: synthesized CloudFormation templates (which the CDK reader maps back
to the constructs that declared them) and `asset.*` copies of the source (Dockerfiles, handler
code). Read by every reader, the same function would be reported two or three times, so only the
CDK reader looks inside. The same holds for a synthesized template committed inside a CDK app
(`cdk synth > template.yaml` beside `cdk.json`, kept as documentation): its resources carry
`aws:cdk:path` metadata, and it is the app's output, not a second deployment.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.workspace import UnreadableFile, Workspace

CDK_OUTPUT_DIRECTORY = "cdk.out"
CDK_APP_FILE = "cdk.json"
CONSTRUCT_PATH_MARK = "aws:cdk:path"
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def in_cdk_output(rel: str) -> bool:
    """Whether a repo-relative path lies inside a `cdk.out/` directory (at any depth)."""
    if CDK_OUTPUT_DIRECTORY not in rel:
        return False                 # asked of every file of a scan: most paths end here
    return CDK_OUTPUT_DIRECTORY in [part for part in rel.split("/") if part not in ("", ".")][:-1]


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
    if in_cdk_output(rel) or not name.lower().endswith(TEMPLATE_SUFFIXES) or name == CDK_APP_FILE \
            or cdk_app_root(workspace, rel) is None:
        return False
    try:
        return CONSTRUCT_PATH_MARK in workspace.read_text(rel)
    except UnreadableFile:
        return False
