"""The SAM functions Amazon.Lambda.Annotations writes into a .NET project's `serverless.template`,
which a CDK app that deploys the project itself does not deploy.

The Annotations source generator keeps a template beside the project (`"Description": "... partially
managed by Amazon.Lambda.Annotations"`, each function it writes marked `"Metadata": {"Tool":
"Amazon.Lambda.Annotations"}`) so that `dotnet lambda deploy-serverless` can deploy it. A repository
whose CDK app builds the same project (`new DotNetFunction(this, id, new DotNetFunctionProps {
ProjectDir = "../application/Account.Lambda" })`, PlantBasedPizza's services) deploys its functions
from the CDK app instead: the template's functions, routes and findings described functions that
are never deployed beside the ones that are. A generated function is dropped when a CDK function's
code folder is the template's project folder; a template no CDK function builds from is the
deployment and stays, as do the resources a developer wrote in it by hand.
"""

from __future__ import annotations

import json

from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace

_TOOL = "Amazon.Lambda.Annotations"
# A template larger than this is no generator's: left as read.
MAX_TEMPLATE = 2 * 1024 * 1024


def without_generated_duplicates(workspace: Workspace, functions: list[Function]) -> list[Function]:
    """`functions` less the SAM functions Annotations generated into a template whose project folder
    a CDK function of the repository is built from."""
    built = {fn.code_path for fn in functions if fn.format == "cdk" and fn.code_path}
    if not built:
        return functions
    generated: dict[str, frozenset[str]] = {}
    kept: list[Function] = []
    for fn in functions:
        if fn.format in ("sam", "cloudformation") and fn.code_path in built:
            template = fn.location.path
            if template not in generated:
                generated[template] = _generated_resources(workspace, template)
            if fn.name in generated[template]:
                continue
        kept.append(fn)
    return kept


def _generated_resources(workspace: Workspace, template: str) -> frozenset[str]:
    """The logical ids of a JSON template's resources marked as written by Annotations."""
    try:
        text = workspace.read_text(template)
    except UnreadableFile:
        return frozenset()
    if len(text) > MAX_TEMPLATE or _TOOL not in text:
        return frozenset()
    try:
        document = json.loads(text)
    except ValueError:
        return frozenset()
    resources = document.get("Resources") if isinstance(document, dict) else None
    if not isinstance(resources, dict):
        return frozenset()
    return frozenset(name for name, resource in resources.items()
                     if isinstance(resource, dict) and isinstance(resource.get("Metadata"), dict)
                     and resource["Metadata"].get("Tool") == _TOOL)
