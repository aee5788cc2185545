"""A CDK app's synthesized templates (`cdk.out/**/*.template.json`, or one committed in the app),
mapped back to the constructs that declare their functions.

Each synthesized function is named by its construct path's id (`Stack/Orders/Resource` → Orders)
and joins the one construct of the app's source that declares it (`merge_synthesized`): the
function is then reported once, at the line a developer edits, with its synthesized runtime when
the source leaves it to a CDK default. Functions CDK or a library adds stay at their template line.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.inventory.build_output import CDK_OUTPUT_DIRECTORY, cdk_app_root, in_cdk_output
from reviewer.inventory.cdk.generated_functions import cdk_library_function
from reviewer.inventory.cloudformation.read import load_template, read_functions
from reviewer.inventory.container.read import apply_base_image, read_base_image
from reviewer.inventory.interface import InventoryResult
from reviewer.located import LocatedMap
from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace


def synthesized_functions(workspace: Workspace, rel: str, result: InventoryResult) -> list[Function]:
    """The functions of a synthesized template (`cdk.out/*.template.json`, or one committed in the
    app), each named by its construct path."""
    template = load_template(workspace, rel, result)
    if template is None:
        return []
    result.documents[rel] = template
    functions = read_functions(template, rel, workspace)
    for function in functions:
        _name_by_construct_path(function, template["Resources"].get(function.name), rel, workspace)
    return functions


def _name_by_construct_path(function: Function, resource: object, rel: str, workspace: Workspace) -> None:
    """A synthesized function is named by its construct id (`Stack/Orders/Resource` → Orders)."""
    function.format = "cdk"
    function.properties["LogicalId"] = function.name
    function.properties["SynthesizedTemplate"] = rel
    metadata = resource.get("Metadata") if isinstance(resource, LocatedMap) else None
    path = metadata.get("aws:cdk:path") if isinstance(metadata, LocatedMap) else None
    if isinstance(path, str) and path.strip("/"):
        function.properties["aws:cdk:path"] = str(path)
        function.added_by = cdk_library_function(str(path))
        parts = [part for part in str(path).split("/") if part]
        if len(parts) >= 2 and parts[-1] == "Resource":
            parts = parts[:-1]
        function.properties["ConstructId"] = parts[-1]
        function.name = "/".join(parts[1:]) or parts[0]  # without the stack: Api/Handler, Orders
    if function.package_type.lower() == "image" and "Dockerfile" not in function.properties and in_cdk_output(rel):
        _link_asset_dockerfile(function, metadata, rel, workspace)


def _link_asset_dockerfile(function: Function, metadata: object, rel: str, workspace: Workspace) -> None:
    """The image asset `cdk synth` copied into cdk.out (`aws:asset:path`, `aws:asset:dockerfile-path`)."""
    if not isinstance(metadata, LocatedMap) or not isinstance(metadata.get("aws:asset:path"), str):
        return
    output = _output_directory(rel)
    name = metadata.get("aws:asset:dockerfile-path")
    dockerfile = workspace.resolve(f"{output}/{metadata['aws:asset:path']}/{name if isinstance(name, str) else 'Dockerfile'}")
    if dockerfile is None or not dockerfile.startswith(output + "/") or not workspace.exists(dockerfile):
        return
    try:
        image = read_base_image(workspace.read_text(dockerfile))
    except UnreadableFile as unreadable:
        workspace.notices.append(unreadable.notice)
        return
    if image is not None:
        function.unresolved.pop("Runtime", None)
        apply_base_image(function, dockerfile, image)


def merge_synthesized(workspace: Workspace, declared: list[Function], synthesized: list[Function]) -> list[Function]:
    """One entry per function: a synthesized function joins the one construct that declares it."""
    kept = list(declared)
    for function in synthesized:
        app_root = _synthesis_app_root(workspace, function.location.path)
        construct_id = function.properties.get("ConstructId")
        candidates = [fn for fn in declared if not fn.properties.get("ConstructIdExpression")
                      and fn.name == construct_id and _under(fn.location.path, app_root)]
        if len(candidates) > 1:   # an app nested in another's folder (a Python port beside the original)
            own = [fn for fn in candidates if (cdk_app_root(workspace, fn.location.path) or ".") == (app_root or ".")]
            candidates = own if len(own) == 1 else candidates
        if construct_id is None or not candidates:
            made = _made_in_a_loop(function, declared, app_root) if construct_id is not None else None
            if made is None:
                kept.append(function)   # CDK's own functions, a library's: the template is all there is
                continue
            candidates = [made]
        source = _declaring_construct(function, candidates)
        if source is None:
            continue   # a copy of one of the app's constructs, which are listed already
        source.properties.setdefault("aws:cdk:paths", []).append(function.properties["aws:cdk:path"])
        source.properties.setdefault("SynthesizedAt", []).append(str(function.location))
        if source.runtime is None and function.runtime is not None and not source.package_type.lower() == "image":
            source.runtime = function.runtime
            source.locations["Runtime"] = function.where("Runtime")
            source.properties["RuntimeSource"] = (
                f"synthesized template ({source.unresolved.pop('Runtime', 'not set in the source')})")
    return kept


def _made_in_a_loop(synthesized: Function, declared: list[Function], app_root: str) -> Function | None:
    """The one construct of the app whose id is built from text the synthesized id starts with and
    that deploys the same handler: `new lambda.Function(this, 'QuoteResponder_' + i, ...)` in a
    loop, synthesized as `QuoteResponder_1` to `QuoteResponder_5` (scatter-gather of
    step-functions-workflows-collection keeps that template as `out.yaml`). Each is that
    construct, not a function of its own."""
    construct_id = str(synthesized.properties.get("ConstructId"))
    found = [fn for fn in declared if _under(fn.location.path, app_root) and _same_handler(synthesized, fn)
             and _id_prefix(fn.properties.get("ConstructIdExpression")) is not None
             and construct_id.startswith(str(_id_prefix(fn.properties.get("ConstructIdExpression"))))]
    return found[0] if len(found) == 1 else None


# Where the literal text an id expression starts with ends: its quote, a template's `${`, an f-string's `{`.
_LITERAL_ENDS = {"'": ("'",), '"': ('"',), "`": ("`", "${")}
MIN_ID_PREFIX = 3


def _id_prefix(expression: object) -> str | None:
    """The literal text a construct id expression starts with (`QuoteResponder_` of
    `'QuoteResponder_' + i.toString()`, of `` `QuoteResponder_${i}` `` or of `f"QuoteResponder_{i}"`),
    None when it starts otherwise or with too little to tell ids apart."""
    if not isinstance(expression, str):
        return None
    text = expression.strip()
    formatted = text[:1] in ("f", "F") and text[1:2] in ("'", '"')
    if formatted:
        text = text[1:]
    ends = _LITERAL_ENDS.get(text[:1])
    if ends is None:
        return None
    ends = (*ends, "{") if formatted else ends
    body = text[1:]
    cut = min((index for index in (body.find(end) for end in ends) if index >= 0), default=-1)
    prefix = body[:cut] if cut >= 0 else ""
    return prefix if len(prefix) >= MIN_ID_PREFIX and cut < len(body) - 1 else None


def _declaring_construct(synthesized: Function, candidates: list[Function]) -> Function | None:
    """The one construct of the app a synthesized function comes from, among those of its
    construct id: stacks of one app often reuse an id (`addLambdaHandler` in two stacks), and
    then the handler, the runtime and the stack tell them apart. None when they do not."""
    narrowed = candidates
    for same in (_same_handler, _same_runtime, _same_stack):
        if len(narrowed) == 1:
            break
        kept = [fn for fn in narrowed if same(synthesized, fn)]
        narrowed = kept or narrowed
    return narrowed[0] if len(narrowed) == 1 else None


def _same_handler(synthesized: Function, source: Function) -> bool:
    return source.handler is not None and source.handler == synthesized.handler


def _same_runtime(synthesized: Function, source: Function) -> bool:
    return source.runtime is not None and source.runtime == synthesized.runtime


def _same_stack(synthesized: Function, source: Function) -> bool:
    """The stack's id (`TheFatLambdaStack`, `the-fat-lambda-stack`) spelled like the name of the
    file that declares the construct (`the-fat-lambda-stack.ts`, `the_fat_lambda_stack.py`)."""
    path = str(synthesized.properties.get("aws:cdk:path", ""))
    stack = path.strip("/").split("/", 1)[0]
    return bool(stack) and _spelled_alike(stack) == _spelled_alike(PurePosixPath(source.location.path).stem)


def _spelled_alike(name: str) -> str:
    return "".join(character for character in name.lower() if character.isalnum())


def _synthesis_app_root(workspace: Workspace, template: str) -> str:
    """The CDK app a synthesized template belongs to: the folder holding its `cdk.out/`, or, for a
    template committed in the app, the nearest folder with `cdk.json`."""
    if in_cdk_output(template):
        return str(PurePosixPath(_output_directory(template)).parent)
    return cdk_app_root(workspace, template) or ""


def _output_directory(rel: str) -> str:
    parts = PurePosixPath(rel).parts
    index = parts.index(CDK_OUTPUT_DIRECTORY)
    return "/".join(parts[:index + 1])


def _under(rel: str, root: str) -> bool:
    return root in ("", ".") or rel.startswith(root.rstrip("/") + "/")


def in_asset(rel: str) -> bool:
    return any(part.startswith("asset.") for part in PurePosixPath(rel).parts)


__all__ = ["in_asset", "merge_synthesized", "synthesized_functions"]
