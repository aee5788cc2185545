"""SAM and CloudFormation templates → functions with the line of every property used.

Templates are found by content, not by name: teams call them `template.yaml`, `stack.json`,
`infra/api.cfn.yml` and more. A file is a template when it mentions `AWSTemplateFormatVersion`,
a SAM transform, or declares an `AWS::` resource type.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any, Callable

from reviewer.inventory.build_output import (in_cdk_output, is_committed_synth_template, is_test_resource,
                                             sam_build_sources)
from reviewer.inventory.container.read import apply_base_image, command_handler, read_base_image
from reviewer.inventory.cloudformation.conditions import NO_VALUE, alternatives, choice_words, is_choice
from reviewer.inventory.cloudformation.guardrails import is_intrinsic, read_guardrails
from reviewer.inventory.cloudformation.reference import (
    literal_text as _literal, reference, reference_choices, written_attribute,
)
from reviewer.inventory.cloudformation.events import attach_resource_triggers, sam_event_attributes
from reviewer.inventory.cloudformation.foreach import expand_resources, has_loops
from reviewer.inventory.cloudformation.imported_functions import attach_imported_grants
from reviewer.inventory.cloudformation.inline import template_inline_code
from reviewer.inventory.cloudformation.layers import layer_entries, layer_import_paths
from reviewer.inventory.cloudformation.merged_templates import MergeParent, MergeParents, is_fragment
from reviewer.inventory.cloudformation.names import SUB_VARIABLE, sub_template
from reviewer.inventory.cloudformation.nested_layers import NestedLayers
from reviewer.inventory.cloudformation.nested_permissions import NestedPermissions
from reviewer.inventory.cloudformation.packaged import packaged_copies
from reviewer.inventory.cloudformation.samconfig import DeployedParameter, default_location, with_deployed_parameters
from reviewer.inventory.spelling import ENVIRONMENT_RUNTIME
from reviewer.inventory.cloudformation.uploaded_packages import uploaded_package_name
from reviewer.inventory.interface import InventoryResult, parse_yaml
from reviewer.inventory.cloudformation.routes import attach_routes
from reviewer.located import LocatedMap, as_mapping, line_of
from reviewer.model import Function, Location, Trigger
from reviewer.isolation import file_boundary
from reviewer.workspace import OversizedFile, UnreadableFile, Workspace

SUFFIXES = (".yaml", ".yml", ".json", ".template")
SAM_FUNCTION = "AWS::Serverless::Function"
LAMBDA_FUNCTION = "AWS::Lambda::Function"
FUNCTION_TYPES = (SAM_FUNCTION, LAMBDA_FUNCTION)
# Resources whose local template is part of this application: (type, property naming the template).
NESTED_TEMPLATE_TYPES = {"AWS::Serverless::Application": "Location", "AWS::CloudFormation::Stack": "TemplateURL"}
MAX_NESTING_DEPTH = 10
MAX_NESTED_PATHS = 20
# `Function.properties` key of a nested template's function: its chain of application ids from a root.
NESTED_PATH_PROPERTY = "NestedApplicationPath"

_TEMPLATE_MARKERS = re.compile(
    r"AWSTemplateFormatVersion|AWS::Serverless-2016-10-31|[\"']?Type[\"']?\s*:\s*[\"']?AWS::[A-Za-z0-9]+::"
)
# The top-level keys only a template (or a Serverless service, `service:` and `functions:` at the
# start of a YAML line) writes, looked for in the start of a file too large to read.
_TEMPLATE_KEYS = re.compile(
    r"[\"']?\b(Resources|Transform|Mappings)[\"']?\s*:|^(service|functions)\s*:", re.MULTILINE
)
_TEMPLATE_START_BYTES = 64 * 1024
_TEMPLATE_LIKE_NAME = re.compile(r"(^|[/._-])(template|stack|cfn|cloudformation|sam)([._-]|$)", re.I)

SAM_EVENT_KINDS = {
    "S3": "s3", "SQS": "sqs", "SNS": "sns", "DynamoDB": "dynamodb", "Kinesis": "kinesis",
    "EventBridgeRule": "eventbridge", "CloudWatchEvent": "eventbridge", "Api": "api", "HttpApi": "api",
    "Schedule": "schedule", "ScheduleV2": "schedule",
}

# Globals.Function keys whose values merge with the resource's own instead of being replaced.
_MERGED_GLOBALS = {"Environment", "Tags"}


class CloudFormationFormat:
    """Reads AWS::Serverless::Function and AWS::Lambda::Function resources from templates."""

    name = "cloudformation"

    def declares_functions(self, rel: str, text: str) -> bool:
        """Whether text that does not parse still names a function resource type."""
        return any(kind in text for kind in FUNCTION_TYPES)

    def scan(self, workspace: Workspace) -> InventoryResult:
        result = InventoryResult()
        files = list(workspace.iter_files(SUFFIXES))
        workspace.prefetch([rel for rel in files if not in_cdk_output(rel) and not is_test_resource(rel)])
        # `rain merge` fragments take the `Globals` of the template they are merged into
        parents = MergeParents([rel for rel in files if not in_cdk_output(rel) and not is_test_resource(rel)],
                               lambda rel: load_template(workspace, rel, InventoryResult(), report_unreadable=False))
        for rel in files:
            if in_cdk_output(rel):
                continue  # synthesized by `cdk synth`: the CDK reader maps these back to constructs
            if is_test_resource(rel):
                continue  # an expected template a unit test compares with, never deployed
            with file_boundary(rel, result.notices, "CloudFormation"):
                if is_committed_synth_template(workspace, rel):
                    continue  # `cdk synth` output kept in the app: the CDK reader joins it to the constructs
                template = self._load(workspace, rel, result)
                if template is None:
                    continue
                parent = parents.parent_of(rel) if is_fragment(template) else None
                functions = read_functions(template, rel, workspace, parent)
                result.documents[rel] = template
                result.functions.extend(functions)
        _NestedApplications(workspace, result, self._load).link()
        copies = packaged_copies(result.functions)
        if copies:   # `sam package` output committed beside its template: the same functions again
            result.functions = [fn for fn in result.functions if fn.location.path not in copies]
            result.documents = {rel: doc for rel, doc in result.documents.items() if rel not in copies}
        result.imported_grants = attach_imported_grants(result.documents, result.functions)
        return result

    def _load(self, workspace: Workspace, rel: str, result: InventoryResult) -> LocatedMap | None:
        return load_template(workspace, rel, result, report_unreadable=bool(_TEMPLATE_LIKE_NAME.search(rel)))


def load_template(workspace: Workspace, rel: str, result: InventoryResult,
                  report_unreadable: bool = True) -> LocatedMap | None:
    """One template with `Resources`, or None; unreadable and malformed files leave a notice."""
    try:
        text = workspace.read_text(rel)
    except OversizedFile as oversized:
        if report_unreadable or _starts_like_template(workspace, rel):
            result.notices.append(oversized.notice)
        return None
    except UnreadableFile as unreadable:
        if report_unreadable or unreadable.notice.rule_id == "LR902":
            result.notices.append(unreadable.notice)
        return None
    if not _TEMPLATE_MARKERS.search(text):
        return None
    document = parse_yaml(workspace, rel, text, result.notices)
    if not isinstance(document, LocatedMap) or not isinstance(document.get("Resources"), LocatedMap):
        return None
    # what `sam deploy` passes from samconfig.toml replaces the parameters' defaults
    document = with_deployed_parameters(document, rel, workspace, result)
    if has_loops(document["Resources"]):
        # a copy: the parsed document is shared by every file with the same text (the parse cache)
        expanded = LocatedMap(document)
        expanded.line, expanded.key_lines = document.line, document.key_lines
        expanded["Resources"] = expand_resources(document["Resources"], document.get("Parameters"))
        return expanded
    return document


def _starts_like_template(workspace: Workspace, rel: str) -> bool:
    """Whether a file too large to read, under a name no template takes, starts as a template
    (or a Serverless service) does: every `.json` and `.yaml` is looked at for templates, and a
    2 MB software bill of materials or API description left unread is no function missed."""
    try:
        start = workspace.read_start(rel, _TEMPLATE_START_BYTES)
    except UnreadableFile:
        return True                                      # cannot tell: the notice stays
    return bool(_TEMPLATE_MARKERS.search(start) or _TEMPLATE_KEYS.search(start))


def read_functions(template: LocatedMap, path: str, workspace: Workspace,
                   merged_into: MergeParent | None = None) -> list[Function]:
    """Every Lambda function resource of one parsed template; a `rain merge` fragment's take the
    `Globals` and parameters of the template it is `merged_into`."""
    resources = template["Resources"]
    globals_function = as_mapping(as_mapping(template.get("Globals")).get("Function"))
    globals_path = path
    if merged_into is not None:
        globals_function, globals_path = merged_into.globals_function, merged_into.path
    parameters = as_mapping(template.get("Parameters"))
    functions = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, LocatedMap) or resource.get("Type") not in FUNCTION_TYPES:
            continue
        reader = _FunctionReader(path, workspace, parameters, merged_into)
        function = reader.read(logical_id, resource, resources.line_of(logical_id),
                               globals_function if resource["Type"] == SAM_FUNCTION else LocatedMap(), globals_path)
        function.layer_paths = layer_import_paths(layer_entries(template, logical_id), resources, path, workspace)
        functions.append(function)
    read_guardrails(template, path, functions)
    attach_resource_triggers(template, path, functions)
    attach_routes(template, path, functions, workspace)
    return functions


class _NestedApplications:
    """Local nested applications (`AWS::Serverless::Application` with a local `Location`, or a
    stack with a local `TemplateURL`): each function of a child template learns the chain of
    application resources that leads to it, e.g. "OrdersApp/PaymentsApp/ChargeFunction".

    A child template is read once however many parents name it; one the file walk did not read
    (an unusual suffix, outside the scanned scope) is loaded here, so it is reviewed too.
    """

    def __init__(self, workspace: Workspace, result: InventoryResult,
                 load: Callable[[Workspace, str, InventoryResult], LocatedMap | None]) -> None:
        self.workspace = workspace
        self.result = result
        self.load = load
        self.parents: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.chains: dict[str, list[list[str]]] = {}

    def link(self) -> None:
        queue = list(self.result.documents)
        seen = set(queue)
        while queue:
            parent = queue.pop(0)
            resources = as_mapping(as_mapping(self.result.documents.get(parent)).get("Resources"))
            for app_id, resource in resources.items():
                child = self._child(parent, resource)
                if child is None:
                    continue
                self.parents[child].append((parent, str(app_id)))
                if child in seen:
                    continue
                seen.add(child)
                template = self.load(self.workspace, child, self.result)
                if template is not None:
                    self.result.documents[child] = template
                    self.result.functions.extend(read_functions(template, child, self.workspace))
                    queue.append(child)
        self.result.nested_stacks = {child: list(links) for child, links in self.parents.items()}
        NestedLayers(self.workspace, self.result.documents, self.parents, self._child).attach(self.result.functions)
        NestedPermissions(self.result.documents, self.parents, self._child).attach(self.result.functions)
        for function in self.result.functions:
            if function.location.path not in self.parents:
                continue
            paths = ["/".join([*chain, function.name]) for chain in self._chains(function.location.path, 0)]
            function.properties[NESTED_PATH_PROPERTY] = paths[0]
            if len(paths) > 1:
                function.properties["NestedApplicationPaths"] = paths

    def _child(self, parent: str, resource: Any) -> str | None:
        if not isinstance(resource, LocatedMap):
            return None
        prop = NESTED_TEMPLATE_TYPES.get(str(resource.get("Type")))
        location = _literal(as_mapping(resource.get("Properties")).get(prop)) if prop else None
        if location is None or "://" in location or location.startswith("arn:"):
            return None
        child = self.workspace.resolve(str(PurePosixPath(parent).parent / location))
        if child is not None and not self.workspace.exists(child):
            # `sam build`'s output, not committed: the project's own template is what it built
            child = next((source for source in sam_build_sources(child) if self.workspace.exists(source)), child)
        if (child is None or child == parent or in_cdk_output(child) or self.workspace.is_excluded(child)
                or not self.workspace.exists(child) or self.workspace.is_dir(child)):
            return None
        return child

    def _chains(self, template: str, depth: int) -> list[list[str]]:
        """Application ids from a root template down to `template`; cycles and depth are cut."""
        if template in self.chains:
            return self.chains[template]
        self.chains[template] = [[]]  # in progress: a cycle back here ends the chain
        chains: list[list[str]] = []
        for parent, app_id in self.parents.get(template, []):
            above = self._chains(parent, depth + 1) if depth < MAX_NESTING_DEPTH else [[]]
            chains.extend([*chain, app_id] for chain in above)
        self.chains[template] = chains[:MAX_NESTED_PATHS] or [[]]
        return self.chains[template]


class _FunctionReader:
    """Reads one function resource, remembering where each property it uses is written."""

    def __init__(self, path: str, workspace: Workspace, parameters: LocatedMap,
                 merged_into: MergeParent | None = None) -> None:
        self.path = path
        self.workspace = workspace
        self.parameters = parameters
        self.merged_into = merged_into
        self.locations: dict[str, Location] = {}
        self.unresolved: dict[str, str] = {}
        self.runtime_elsewhere: dict[str, str] = {}

    def read(self, logical_id: str, resource: LocatedMap, line: int, globals_: LocatedMap,
             globals_path: str | None = None) -> Function:
        own = as_mapping(resource.get("Properties"))
        globals_path = globals_path or self.path
        props = self._merge(globals_, own, globals_path)
        kind = "sam" if resource["Type"] == SAM_FUNCTION else "cloudformation"
        runtime = self._runtime(props.get("Runtime"))
        function = Function(
            name=logical_id, format=kind, location=Location(self.path, line),
            runtime=runtime, handler=self._handler(props.get("Handler")),
            package_type=_literal(props.get("PackageType")) or "Zip",
            properties=dict(props), unresolved=self.unresolved, locations=self.locations,
        )
        function.runtime_by_environment = self.runtime_elsewhere
        physical = props.get("FunctionName")
        function.physical_name = physical if isinstance(physical, str) else None   # `!Sub`, `!Ref`: not stated
        function.code_path = self._code_path(props, kind)
        if function.code_path is None and kind == "cloudformation":
            function.code_path = self._asset_path(as_mapping(resource.get("Metadata")))
        if function.code_path is None:
            function.built_package = uploaded_package_name(props.get("CodeUri") if kind == "sam" else props.get("Code"))
        function.image_uri = _literal(props.get("ImageUri")) or _literal(as_mapping(props.get("Code")).get("ImageUri"))
        if function.package_type.lower() == "image":
            self._image_runtime(resource, function)
        management = as_mapping(props.get("RuntimeManagementConfig"))
        if "UpdateRuntimeOn" in management:
            function.update_runtime_on = _literal(management["UpdateRuntimeOn"])
            self.locations["RuntimeManagementConfig"] = Location(self.path, management.line_of("UpdateRuntimeOn"))
        variables = as_mapping(as_mapping(props.get("Environment")).get("Variables"))
        function.environment = dict(variables)
        written = props.get("Environment")
        if written is not None and (_not_read_mapping(written)
                                    or _not_read_mapping(as_mapping(written).get("Variables", {}))):
            # `Variables: !If [...]`, `Environment: !Ref Vars`: which variables it sets is not read
            function.unresolved["Environment"] = "given by an intrinsic function"
        own_variables = as_mapping(as_mapping(own.get("Environment")).get("Variables"))
        for name in variables:
            where = self.path if name in own_variables else globals_path
            self.locations[f"Environment.{name}"] = Location(where, variables.line_of(name))
        function.triggers = self._triggers(as_mapping(props.get("Events")))
        function.inline_code = template_inline_code(function, self._embedded_file)
        if function.inline_code is not None and function.inline_code.location.path != self.path:
            # the file Rain embeds is the code: a change to it touches the function
            self.locations["Code.Embedded"] = function.inline_code.location
        return function

    def _embedded_file(self, relative: str) -> tuple[str, str] | None:
        """The path and text of a file of the repository the template embeds (`!Rain::Embed`)."""
        path = self.workspace.resolve(_under(_folder_of(self.path), relative))
        if path is None or not self.workspace.exists(path) or self.workspace.is_dir(path):
            return None
        try:
            return path, self.workspace.read_text(path)
        except UnreadableFile:
            return None

    def _merge(self, globals_: LocatedMap, own: LocatedMap, globals_path: str) -> dict[str, Any]:
        """Globals.Function under the resource's own properties, with the file and line of whichever won."""
        merged: dict[str, Any] = {}
        for source, path in ((globals_, globals_path), (own, self.path)):
            for key, value in source.items():
                if key in _MERGED_GLOBALS and isinstance(merged.get(key), LocatedMap) and isinstance(value, LocatedMap):
                    value = _deep_merge(merged[key], value)
                merged[key] = value
                self.locations[key] = Location(path, source.line_of(key))
        return merged

    def _parameter(self, name: str) -> tuple[LocatedMap, str]:
        """A parameter of the template (or of the one a fragment is merged into) and its file."""
        if name not in self.parameters and self.merged_into is not None and name in self.merged_into.parameters:
            return as_mapping(self.merged_into.parameters.get(name)), self.merged_into.path
        return as_mapping(self.parameters.get(name)), self.path

    def _runtime(self, value: Any) -> str | None:
        if is_choice(value):
            return self._one_of(value, "Runtime", self._runtime)
        if value is None:
            return None
        literal = _literal(value)
        if literal is not None:
            return literal
        if isinstance(value, dict) and set(value) == {"Ref"}:
            parameter, parameter_path = self._parameter(str(value["Ref"]))
            default = _literal(parameter.get("Default"))
            if isinstance(parameter, DeployedParameter):
                self.runtime_elsewhere = dict(parameter.elsewhere)
                self.locations.update({f"{ENVIRONMENT_RUNTIME}{environment}": where
                                       for environment, where in parameter.elsewhere_at.items()})
            if default is not None:
                self.locations["Runtime.Default"] = default_location(parameter_path, parameter)
                return default
            self.unresolved["Runtime"] = f"parameter {value['Ref']} has no default value"
            return None
        self.unresolved["Runtime"] = _not_an_identifier(value)
        return None

    def _handler(self, value: Any) -> str | None:
        """The handler: written, or the default of the parameters it is made of (`!Ref Handler`,
        `!Sub "${Module}.handler"`), as `Runtime` is. One the template leaves to deployment (a
        parameter with no default, a condition) is said so in `unresolved`: "declares no handler"
        would be false of it."""
        if is_choice(value):
            return self._one_of(value, "Handler", self._handler)
        literal = _literal(value)
        if literal is not None or value is None:
            return literal
        text = value["Ref"] if isinstance(value, dict) and set(value) == {"Ref"} and isinstance(value["Ref"], str) \
            else None
        text = "${" + text + "}" if text is not None else sub_template(value)
        if text is None or (isinstance(value.get("Fn::Sub"), list) and len(value["Fn::Sub"]) > 1):
            self.unresolved["Handler"] = _not_an_identifier(value, "a handler")
            return None
        missing: list[str] = []

        def default(match: "re.Match[str]") -> str:
            found = _literal(self._parameter(match.group(1))[0].get("Default"))
            if found is None:
                missing.append(match.group(1))
            return found or ""
        handler = SUB_VARIABLE.sub(default, text)
        if missing:
            self.unresolved["Handler"] = f"parameter {missing[0]} has no default value"
            return None
        return handler

    def _one_of(self, value: Any, key: str, read: Callable[[Any], str | None]) -> str | None:
        """A `Runtime` or `Handler` given by `Fn::If`: the value every branch comes to, when they
        agree. One value deploys, so branches that differ (or one that is `AWS::NoValue`) leave it
        unresolved with the values the conditions choose between; a branch that is itself
        unresolved says why."""
        branches = alternatives(value)
        if branches is None:
            self.unresolved[key] = _not_an_identifier(value)
            return None
        values: list[str] = []
        for branch in branches:
            if is_choice(branch):     # deeper than the chain is followed
                self.unresolved[key] = _not_an_identifier(value)
                return None
            found = read(branch) if branch is not NO_VALUE else None
            if found is None and key in self.unresolved:
                return None
            text = "no value" if found is None else f"`{found}`"
            values.extend([text] if text not in values else [])
        if len(values) == 1 and values[0] != "no value":
            if len(branches) > 1:     # written twice, a parameter's default one of them: the finding goes here
                self.locations.pop(f"{key}.Default", None)
            return values[0][1:-1]
        self.unresolved[key] = f"chosen by {choice_words(value)}: " + " or ".join(values)
        self.locations.pop(f"{key}.Default", None)
        return None

    def _image_runtime(self, resource: LocatedMap, function: Function) -> None:
        """An image function runs its base image: its runtime is the Dockerfile's `FROM`, never a
        `Runtime` value (Lambda rejects one for images). SAM's `Metadata: {DockerContext, Dockerfile,
        DockerBuildTarget}` names the local Dockerfile it is built from."""
        if function.runtime is not None or "Runtime" in self.unresolved:
            function.runtime = None
            self.locations.pop("Runtime", None)
            self.locations.pop("Runtime.Default", None)
            self.unresolved["Runtime"] = "an image function takes its runtime from its base image, not `Runtime`"
        metadata = as_mapping(resource.get("Metadata"))
        context = _literal(metadata.get("DockerContext"))
        if context is None:
            return
        declared = "Dockerfile" if "Dockerfile" in metadata else "DockerContext"
        self.locations["Dockerfile"] = Location(self.path, metadata.line_of(declared))
        name = _literal(metadata.get("Dockerfile")) or "Dockerfile"
        dockerfile = self.workspace.resolve(str(PurePosixPath(self.path).parent / context / name))
        if dockerfile is None:
            self.unresolved["Dockerfile"] = "DockerContext leads outside the workspace"
            return
        if not self.workspace.exists(dockerfile) or self.workspace.is_dir(dockerfile):
            self.unresolved["Dockerfile"] = f"{dockerfile} is not in the repository"
            return
        try:
            text = self.workspace.read_text(dockerfile)
        except UnreadableFile as unreadable:
            self.workspace.notices.append(unreadable.notice)
            return
        function.properties["Dockerfile"] = dockerfile
        image = read_base_image(text, target=_literal(metadata.get("DockerBuildTarget")))
        if image is None:
            self.unresolved["Runtime"] = f"{dockerfile} does not build from an AWS Lambda base image"
            return
        self.unresolved.pop("Runtime", None)
        image_config = as_mapping(function.properties.get("ImageConfig"))
        # under another program's `EntryPoint` the command is that program's arguments, not a handler
        command = command_handler(image_config.get("Command"), image_config.get("EntryPoint"))
        apply_base_image(function, dockerfile, image,
                         context=self.workspace.resolve(str(PurePosixPath(self.path).parent / context)),
                         command=command)
        if command and function.handler == command:
            config = as_mapping(function.properties.get("ImageConfig"))
            self.locations["Handler"] = Location(self.path, config.line_of("Command"))

    def _code_path(self, props: dict[str, Any], kind: str) -> str | None:
        """The local directory (or file) holding the code, relative to the workspace root."""
        base = _folder_of(self.path)
        if kind == "sam" and not any(key in props for key in ("CodeUri", "InlineCode", "ImageUri")) \
                and str(_literal(props.get("PackageType")) or "Zip").lower() != "image":
            return self.workspace.resolve(base) or "."   # SAM packages the template's folder
        # `aws cloudformation package` (and `sam deploy`) upload a local folder or file written as
        # the plain Lambda resource's `Code: ./src`; a mapping there (`S3Bucket`, `ZipFile`) is no path.
        uri = props.get("CodeUri") if kind == "sam" else props.get("Code")
        uri_text = _literal(uri)
        if uri_text is None or "://" in uri_text:
            return None
        resolved = self.workspace.resolve(_under(base, uri_text))
        if resolved is None:
            self.unresolved["CodeUri" if kind == "sam" else "Code"] = "the path leads outside the workspace"
        return resolved

    def _asset_path(self, metadata: LocatedMap) -> str | None:
        """The folder a tool packages as the function's `Code` and says so in the resource's
        metadata (`aws:asset:path: ./src`, `aws:asset:property: Code`: Amplify's function
        templates, whose `Code` names the deployment bucket), when it is in the repository."""
        if _literal(metadata.get("aws:asset:property")) != "Code":
            return None
        folder = _literal(metadata.get("aws:asset:path"))
        if not folder or "://" in folder:
            return None
        resolved = self.workspace.resolve(_under(_folder_of(self.path), folder))
        return resolved if resolved is not None and self.workspace.exists(resolved) else None

    def _triggers(self, events: LocatedMap) -> list[Trigger]:
        triggers: list[Trigger] = []
        for name, event in events.items():
            if not isinstance(event, LocatedMap):
                continue
            properties = as_mapping(event.get("Properties"))
            target = next((properties[key] for key in ("Bucket", "Queue", "Topic", "Stream", "EventBusName")
                           if key in properties), None)
            event_type = str(_literal(event.get("Type")) or "")
            triggers.extend(Trigger(
                kind=SAM_EVENT_KINDS.get(event_type, "other"),
                location=Location(self.path, events.line_of(name)),
                target=source,
                attributes={"name": name, "type": event_type, "raw": dict(properties),
                            **sam_event_attributes(event_type, properties), **written_attribute(source, branch)},
            ) for source, branch in reference_choices(target))    # each source a condition may choose
        return triggers


@lru_cache(maxsize=4096)
def _folder_of(path: str) -> str:
    """`str(PurePosixPath(path).parent)`, worked out once per template (every function asks)."""
    return str(PurePosixPath(path).parent)


def _under(folder: str, relative: str) -> str:
    """A path that `Workspace.resolve` reads as it reads `str(PurePosixPath(folder) / relative)`:
    joined as text (resolve normalises what is not already plain: `./`, `//`, a trailing `/`, `..`).
    An absolute `relative` replaces the folder, and a backslash (which resolve reads as `/`) may
    lead elsewhere once PurePosixPath dropped a `./` before it: those are joined as paths."""
    if relative.startswith("/") or "\\" in relative or "\\" in folder:
        return str(PurePosixPath(folder) / relative)
    return relative if folder == "." else f"{folder}/{relative}"


def _deep_merge(base: LocatedMap, override: LocatedMap) -> LocatedMap:
    merged = LocatedMap(base)
    merged.line, merged.key_lines = override.line, dict(base.key_lines)
    for key, value in override.items():
        if isinstance(merged.get(key), LocatedMap) and isinstance(value, LocatedMap):
            value = _deep_merge(merged[key], value)
        merged[key] = value
        merged.key_lines[key] = override.line_of(key)
    return merged


def _not_an_identifier(value: Any, expected: str = "a runtime identifier") -> str:
    """Why a `Runtime` that is neither a literal nor a `Ref` names no runtime (or a `Handler` no
    handler), in the template's words: an intrinsic function (`Fn::If`), or a list or mapping
    where a string belongs."""
    if isinstance(value, dict) and len(value) == 1:
        (function,) = value
        if str(function) == "Condition" or str(function).startswith("Fn::"):
            return f"computed by {function}"
    kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "a value"
    return f"{kind}, not {expected}"



def _not_read_mapping(value: Any) -> bool:
    """Not a mapping the reader reads key by key: another value, or an intrinsic function
    (`{"Ref": "Vars"}`, `{"Fn::If": [...]}`) standing for one."""
    return not isinstance(value, dict) or is_intrinsic(value)


__all__ = ["CloudFormationFormat", "read_functions", "load_template", "reference", "line_of"]
