"""SAM and CloudFormation templates → functions with the line of every property used.

Templates are found by content, not by name: teams call them `template.yaml`, `stack.json`,
`infra/api.cfn.yml` and more. A file is a template when it mentions `AWSTemplateFormatVersion`,
a SAM transform, or declares an `AWS::` resource type.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.interface import InventoryResult
from reviewer.located import DocumentError, DocumentTooLarge, LocatedMap, line_of, load_yaml
from reviewer.model import Function, Location, ResourceRef, Trigger
from reviewer.workspace import UnreadableFile, Workspace, skipped_notice, unparsed_notice

SUFFIXES = (".yaml", ".yml", ".json", ".template")
SAM_FUNCTION = "AWS::Serverless::Function"
LAMBDA_FUNCTION = "AWS::Lambda::Function"
FUNCTION_TYPES = (SAM_FUNCTION, LAMBDA_FUNCTION)

_TEMPLATE_MARKERS = re.compile(
    r"AWSTemplateFormatVersion|AWS::Serverless-2016-10-31|[\"']?Type[\"']?\s*:\s*[\"']?AWS::[A-Za-z0-9]+::"
)
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

    def scan(self, workspace: Workspace) -> InventoryResult:
        result = InventoryResult()
        for rel in workspace.iter_files(SUFFIXES):
            template = self._load(workspace, rel, result)
            if template is None:
                continue
            result.documents[rel] = template
            result.functions.extend(read_functions(template, rel, workspace))
        return result

    def _load(self, workspace: Workspace, rel: str, result: InventoryResult) -> LocatedMap | None:
        try:
            text = workspace.read_text(rel)
        except UnreadableFile as unreadable:
            if _TEMPLATE_LIKE_NAME.search(rel) or unreadable.notice.rule_id == "LR902":
                result.notices.append(unreadable.notice)
            return None
        if not _TEMPLATE_MARKERS.search(text):
            return None
        try:
            document = load_yaml(text)
        except DocumentTooLarge as exc:
            result.notices.append(skipped_notice(rel, str(exc)))
            return None
        except DocumentError as exc:
            line = int(m.group(1)) if (m := re.search(r"at line (\d+)", str(exc))) else 1
            result.notices.append(unparsed_notice(rel, str(exc), line))
            return None
        if not isinstance(document, LocatedMap) or not isinstance(document.get("Resources"), LocatedMap):
            return None
        return document


def read_functions(template: LocatedMap, path: str, workspace: Workspace) -> list[Function]:
    """Every Lambda function resource of one parsed template."""
    resources = template["Resources"]
    globals_function = _mapping(_mapping(template.get("Globals")).get("Function"))
    parameters = _mapping(template.get("Parameters"))
    functions = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, LocatedMap) or resource.get("Type") not in FUNCTION_TYPES:
            continue
        reader = _FunctionReader(path, workspace, parameters)
        functions.append(reader.read(logical_id, resource, resources.line_of(logical_id),
                                     globals_function if resource["Type"] == SAM_FUNCTION else LocatedMap()))
    return functions


def _mapping(value: Any) -> LocatedMap:
    if isinstance(value, LocatedMap):
        return value
    empty = LocatedMap()
    empty.line, empty.key_lines = 1, {}
    return empty


class _FunctionReader:
    """Reads one function resource, remembering where each property it uses is written."""

    def __init__(self, path: str, workspace: Workspace, parameters: LocatedMap) -> None:
        self.path = path
        self.workspace = workspace
        self.parameters = parameters
        self.locations: dict[str, Location] = {}
        self.unresolved: dict[str, str] = {}

    def read(self, logical_id: str, resource: LocatedMap, line: int, globals_: LocatedMap) -> Function:
        own = _mapping(resource.get("Properties"))
        props = self._merge(globals_, own)
        kind = "sam" if resource["Type"] == SAM_FUNCTION else "cloudformation"
        runtime = self._runtime(props.get("Runtime"))
        function = Function(
            name=logical_id, format=kind, location=Location(self.path, line),
            runtime=runtime, handler=_literal(props.get("Handler")),
            package_type=_literal(props.get("PackageType")) or "Zip",
            properties=dict(props), unresolved=self.unresolved, locations=self.locations,
        )
        function.code_path = self._code_path(props, kind)
        function.image_uri = _literal(props.get("ImageUri")) or _literal(_mapping(props.get("Code")).get("ImageUri"))
        management = _mapping(props.get("RuntimeManagementConfig"))
        if "UpdateRuntimeOn" in management:
            function.update_runtime_on = _literal(management["UpdateRuntimeOn"])
            self.locations["RuntimeManagementConfig"] = Location(self.path, management.line_of("UpdateRuntimeOn"))
        variables = _mapping(_mapping(props.get("Environment")).get("Variables"))
        function.environment = dict(variables)
        for name in variables:
            self.locations[f"Environment.{name}"] = Location(self.path, variables.line_of(name))
        function.triggers = self._triggers(_mapping(props.get("Events")))
        return function

    def _merge(self, globals_: LocatedMap, own: LocatedMap) -> dict[str, Any]:
        """Globals.Function under the resource's own properties, with the line of whichever won."""
        merged: dict[str, Any] = {}
        for source in (globals_, own):
            for key, value in source.items():
                if key in _MERGED_GLOBALS and isinstance(merged.get(key), LocatedMap) and isinstance(value, LocatedMap):
                    value = _deep_merge(merged[key], value)
                merged[key] = value
                self.locations[key] = Location(self.path, source.line_of(key))
        return merged

    def _runtime(self, value: Any) -> str | None:
        if value is None:
            return None
        literal = _literal(value)
        if literal is not None:
            return literal
        if isinstance(value, dict) and set(value) == {"Ref"}:
            parameter = _mapping(self.parameters.get(str(value["Ref"])))
            default = _literal(parameter.get("Default"))
            if default is not None:
                self.locations["Runtime.Default"] = Location(self.path, parameter.line_of("Default"))
                return default
            self.unresolved["Runtime"] = f"parameter {value['Ref']} has no default value"
            return None
        function = next(iter(value), "expression") if isinstance(value, dict) else type(value).__name__
        self.unresolved["Runtime"] = f"computed by {function}"
        return None

    def _code_path(self, props: dict[str, Any], kind: str) -> str | None:
        """The local directory (or file) holding the code, relative to the workspace root."""
        if kind == "sam":
            uri = props.get("CodeUri")
        else:
            uri = None
        uri_text = _literal(uri)
        if uri_text is None or "://" in uri_text:
            return None
        base = PurePosixPath(self.path).parent
        resolved = self.workspace.resolve(str(base / uri_text))
        if resolved is None:
            self.unresolved["CodeUri"] = "the path leads outside the workspace"
        return resolved

    def _triggers(self, events: LocatedMap) -> list[Trigger]:
        triggers = []
        for name, event in events.items():
            if not isinstance(event, LocatedMap):
                continue
            properties = _mapping(event.get("Properties"))
            target = next((properties[key] for key in ("Bucket", "Queue", "Topic", "Stream", "EventBusName")
                           if key in properties), None)
            event_type = str(_literal(event.get("Type")) or "")
            triggers.append(Trigger(
                kind=SAM_EVENT_KINDS.get(event_type, "other"),
                location=Location(self.path, events.line_of(name)),
                target=reference(target),
                attributes={"name": name, "type": event_type, "raw": dict(properties)},
            ))
        return triggers


def _deep_merge(base: LocatedMap, override: LocatedMap) -> LocatedMap:
    merged = LocatedMap(base)
    merged.line, merged.key_lines = override.line, dict(base.key_lines)
    for key, value in override.items():
        if isinstance(merged.get(key), LocatedMap) and isinstance(value, LocatedMap):
            value = _deep_merge(merged[key], value)
        merged[key] = value
        merged.key_lines[key] = override.line_of(key)
    return merged


def _literal(value: Any) -> str | None:
    """A plain scalar as text; None for intrinsic functions, mappings and lists."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def reference(value: Any) -> ResourceRef | None:
    """A CloudFormation value naming a resource: `!Ref X` / `!GetAtt X.Arn` → logical id X."""
    if value is None:
        return None
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return ResourceRef("logical-id", str(argument))
        if function == "Fn::GetAtt" and isinstance(argument, list) and argument:
            return ResourceRef("logical-id", str(argument[0]))
        return ResourceRef("unresolved", f"computed by {function}")
    literal = _literal(value)
    if literal is None:
        return ResourceRef("unresolved", "not a scalar")
    return ResourceRef("arn" if literal.startswith("arn:") else "name", literal)


__all__ = ["CloudFormationFormat", "read_functions", "reference", "line_of"]
