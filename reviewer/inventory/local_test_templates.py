"""SAM templates kept only to run a function locally (`sam local invoke`), in a repository that
deploys that function with another tool.

A Terraform module (or a Serverless service, a CDK app) that packages `lambdas/syncer/` into
`lambdas/syncer/syncer.zip` may keep `lambdas/syncer/template.yaml` beside the code, declaring the
same function as an `AWS::Serverless::Function` so that `sam local invoke` can run it ("for
testing Lambda locally, we use Terraform as deployment framework"). Such a template has no SAM
transform, which CloudFormation needs to deploy it, and no `Globals`: alone, it can never be
deployed. Read as a deployment, its function was listed beside the one the other tool deploys,
with that template's runtime (an old `nodejs18.x` left there, an LR100 warning) and its guardrail
notices, none of which describe what runs.

A function of such a template is dropped when its template is a fragment (no transform, no
`Globals`) that took nothing from a template it would be merged into (`rain merge`:
`merged_templates.py`), and a function of another format deploys code from its code folder: the
same folder, or a package built inside it. A fragment whose code no other tool deploys stays
read, as before: it may be merged by a pipeline the review cannot see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewer.inventory.cloudformation.merged_templates import is_fragment
from reviewer.located import LocatedMap
from reviewer.model import Function

TEMPLATE_FORMATS = frozenset({"sam"})
# Formats whose functions are deployed by a tool of their own, not by a SAM template.
OTHER_TOOLS = frozenset({"terraform", "serverless", "cdk"})


def without_local_harnesses(functions: list[Function], documents: Mapping[str, Any]) -> list[Function]:
    """`functions` less those of a transform-less SAM template whose code another tool deploys."""
    deployed = sorted({_normal(fn.code_path) for fn in functions if fn.format in OTHER_TOOLS and fn.code_path})
    if not deployed:
        return functions
    fragments: dict[str, bool] = {}
    kept: list[Function] = []
    for fn in functions:
        template = fn.location.path
        if fn.format in TEMPLATE_FORMATS and fn.code_path:
            if template not in fragments:
                document = documents.get(template)
                fragments[template] = isinstance(document, LocatedMap) and is_fragment(document)
            if fragments[template] and _read_alone(fn) and _deployed_from(_normal(fn.code_path), deployed):
                continue
        kept.append(fn)
    return kept


def _read_alone(fn: Function) -> bool:
    """Whether every setting of the function was read from its own template (no parent's `Globals`)."""
    return all(location.path == fn.location.path for location in fn.locations.values())


def _deployed_from(folder: str, deployed: list[str]) -> bool:
    return any(path == folder or (folder not in ("", ".") and path.startswith(folder + "/")) for path in deployed)


def _normal(path: str) -> str:
    return path.replace("\\", "/").strip("/") or "."


__all__ = ["without_local_harnesses"]
