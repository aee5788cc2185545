"""Which infrastructure resource a trigger or a write names, in one comparable form.

A trigger says `Bucket: !Ref Uploads`; the handler writes to `os.environ["OUTPUT_BUCKET"]`; the
function's environment sets `OUTPUT_BUCKET: !Ref Uploads`. Both sides become a set of
`ResourceKey`s (the logical id or Terraform address in its template, plus the literal physical
name when the resource declares one), and two sides name the same resource when their sets meet.
ARNs, queue URLs and `name:qualifier` forms are reduced to the name they carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reviewer.code.values import ENV, EVENT, FUNCTION_NAME, LITERAL, Part, StaticValue
from reviewer.model import Function, Location, ResourceRef

PHYSICAL_NAME_PROPERTY = {
    "AWS::S3::Bucket": "BucketName", "AWS::SQS::Queue": "QueueName", "AWS::SNS::Topic": "TopicName",
    "AWS::DynamoDB::Table": "TableName", "AWS::DynamoDB::GlobalTable": "TableName",
    "AWS::Serverless::SimpleTable": "TableName", "AWS::Kinesis::Stream": "Name", "AWS::Events::EventBus": "Name",
    "AWS::Lambda::Function": "FunctionName", "AWS::Serverless::Function": "FunctionName",
    "AWS::StepFunctions::StateMachine": "StateMachineName", "AWS::Serverless::StateMachine": "Name",
}
_PSEUDO = re.compile(r"^AWS::")
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")
_QUEUE_URL = re.compile(r"^https?://[^/]+/\d+/([^/?#]+)")
_EVENT_SOURCE_KINDS = {"sqs", "dynamodb", "kinesis"}


@dataclass(frozen=True)
class ResourceKey:
    """One name of a resource. kind: logical-id (scope = its template), terraform (an address),
    name (a physical name), event (the resource whose event invoked the function; value = the
    trigger kinds it stands for), self (the running function)."""

    scope: str
    kind: str
    value: str


@dataclass(frozen=True)
class Resolution:
    """What a reference resolves to: its keys (empty when unresolved), a label for people, the
    infrastructure lines followed on the way, and, when unresolved, what could not be followed."""

    keys: frozenset[ResourceKey] = frozenset()
    label: str = ""
    via: tuple[Location, ...] = ()
    unresolved: str | None = None
    explanation: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.keys)

    def meets(self, other: "Resolution") -> bool:
        return bool(self.keys & other.keys)

    @property
    def event_kinds(self) -> frozenset[str]:
        return frozenset(kind for key in self.keys if key.kind == "event" for kind in key.value.split(","))

    @property
    def is_self(self) -> bool:
        return any(key.kind == "self" for key in self.keys)


def physical_name(text: str) -> str:
    """The resource name an ARN, queue URL, `s3://` URL or `name:qualifier` carries."""
    text = text.strip()
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        if len(parts) < 6:
            return text
        service, resource = parts[2], parts[5]
        if service == "s3":
            return resource.split("/", 1)[0]
        if service == "lambda":
            return resource.split(":")[1] if resource.startswith("function:") and ":" in resource else resource
        for marker in ("table/", "stream/", "event-bus/", "stateMachine:"):
            if resource.startswith(marker):
                return resource[len(marker):].split("/")[0]
        return resource.split(":")[0]
    match = _QUEUE_URL.match(text)
    if match:
        return match.group(1)
    if text.startswith("s3://"):
        return text[5:].split("/", 1)[0]
    return text.split(":")[0] if ":" in text and "/" not in text else text


@dataclass
class TargetResolver:
    """Resolves references for functions of every format, using the parsed IaC documents."""

    documents: dict[str, Any] = field(default_factory=dict)
    _names: dict[str, dict[str, str]] = field(default_factory=dict)
    # Per template: the bucket notifications into queues and topics (see `recursion_triggers`).
    notifications: dict[str, list] = field(default_factory=dict)

    # -- templates ---------------------------------------------------------------------------

    def resources(self, path: str) -> dict[str, Any]:
        document = self.documents.get(path)
        if not isinstance(document, dict):
            return {}
        resources = document.get("Resources")
        if not isinstance(resources, dict):   # Serverless: resources.Resources
            nested = document.get("resources")
            resources = nested.get("Resources") if isinstance(nested, dict) else None
        return resources if isinstance(resources, dict) else {}

    def parameters(self, path: str) -> dict[str, Any]:
        document = self.documents.get(path)
        parameters = document.get("Parameters") if isinstance(document, dict) else None
        return parameters if isinstance(parameters, dict) else {}

    def _declared_name(self, path: str, logical_id: str) -> str | None:
        resource = self.resources(path).get(logical_id)
        if not isinstance(resource, dict):
            return None
        prop = PHYSICAL_NAME_PROPERTY.get(str(resource.get("Type")))
        properties = resource.get("Properties")
        if prop is None or not isinstance(properties, dict):
            return None
        value = properties.get(prop)
        if isinstance(value, str):
            return str(value)
        template = self._template_text(path, value)
        return template if template is not None and "${" in template else None

    def _template_text(self, path: str, value: Any) -> str | None:
        """`!Sub` or `!Join` of literals, references and parameters, as one `${...}` text with the
        parameters that have defaults substituted: two names written the same way compare equal."""
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            if intrinsic == "Fn::Sub":
                text = argument[0] if isinstance(argument, list) and argument else argument
                if isinstance(argument, list) and len(argument) > 1:
                    return None
                return self._with_defaults(path, text) if isinstance(text, str) else None
            if intrinsic == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
                    and isinstance(argument[0], str) and isinstance(argument[1], list):
                pieces = []
                for item in argument[1]:
                    if isinstance(item, str):
                        pieces.append(str(item))
                    elif isinstance(item, dict) and set(item) == {"Ref"} and isinstance(item["Ref"], str):
                        pieces.append("${" + item["Ref"] + "}")
                    else:
                        return None
                return self._with_defaults(path, str(argument[0]).join(pieces))
            if intrinsic == "Ref" and isinstance(argument, str) and _PSEUDO.match(argument):
                return "${" + argument + "}"
        return None

    def _with_defaults(self, path: str, text: str) -> str:
        def substitute(match: "re.Match[str]") -> str:
            parameter = self.parameters(path).get(match.group(1))
            default = parameter.get("Default") if isinstance(parameter, dict) else None
            return str(default) if isinstance(default, (str, int)) and not isinstance(default, bool) \
                else match.group(0)
        return _SUB_VARIABLE.sub(substitute, text)

    def _logical_ids_named(self, path: str, name: str) -> list[str]:
        if path not in self._names:
            self._names[path] = {}
            for logical_id in self.resources(path):
                declared = self._declared_name(path, str(logical_id))
                if declared is not None:
                    self._names[path][declared] = str(logical_id)
        found = self._names[path].get(name)
        return [found] if found else []

    # -- keys ----------------------------------------------------------------------------------

    def by_logical_id(self, path: str, logical_id: str) -> Resolution:
        logical_id = logical_id.split(".")[0]
        if logical_id not in self.resources(path) and logical_id in self.parameters(path):
            parameter = self.parameters(path)[logical_id]
            default = parameter.get("Default") if isinstance(parameter, dict) else None
            if isinstance(default, str):
                return self.by_name(path, default, explanation=f"the default of parameter {logical_id}")
            return Resolution(unresolved=f"the template parameter {logical_id}, which has no default value")
        keys = {ResourceKey(path, "logical-id", logical_id)}
        declared = self._declared_name(path, logical_id)
        if declared is not None and "${" not in declared:
            keys.add(ResourceKey("", "name", declared))
        return Resolution(frozenset(keys), logical_id)

    def by_name(self, path: str, text: str, explanation: str = "") -> Resolution:
        name = physical_name(text)
        if name and "${" in name and self._logical_ids_named(path, name):
            return self.by_logical_id(path, self._logical_ids_named(path, name)[0])
        if not name or "${" in name:
            return Resolution(unresolved=f"the name {text!r}, which holds an unresolved variable")
        keys = {ResourceKey("", "name", name)}
        keys.update(ResourceKey(path, "logical-id", logical_id) for logical_id in self._logical_ids_named(path, name))
        return Resolution(frozenset(keys), name, explanation=explanation)

    def by_terraform(self, address: str, physical: str | None = None, root: str = "") -> Resolution:
        """A Terraform address names a resource of one root module (`root`, its directory)."""
        address = _terraform_resource(address)
        keys = {ResourceKey(root, "terraform", address)}
        if physical:
            keys.add(ResourceKey("", "name", physical_name(physical)))
        return Resolution(frozenset(keys), address)

    def reference(self, ref: ResourceRef | None, function: Function, physical: str | None = None) -> Resolution:
        """A `ResourceRef` written by any format reader."""
        if ref is None:
            return Resolution(unresolved="the trigger names no resource")
        if ref.kind == "logical-id":
            return self.by_logical_id(function.location.path, ref.value)
        if ref.kind == "terraform":
            return self.by_terraform(ref.value, physical, _terraform_root(function))
        if ref.kind in ("name", "arn"):
            return self.by_name(function.location.path, ref.value)
        return Resolution(unresolved=ref.value)

    def intrinsic(self, value: Any, function: Function) -> Resolution:
        """An environment value as written in a template: literal, `!Ref`, `!GetAtt`, `!Sub`, or a
        reference object a reader produced (Terraform)."""
        path = function.location.path
        if isinstance(value, ResourceRef):
            return self.reference(value, function)
        if isinstance(value, str):
            if "${" in value:
                named = self._logical_ids_named(path, value)
                if named:
                    return self.by_logical_id(path, named[0])
                reference = _terraform_reference(value)
                if reference is not None:
                    return self.by_terraform(reference)
                return Resolution(unresolved=f"{value!r}, which holds a variable static reading does not resolve")
            return self.by_name(path, value)
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            if intrinsic == "Ref":
                if _PSEUDO.match(str(argument)):
                    return Resolution(unresolved=f"the pseudo parameter {argument}")
                return self.by_logical_id(path, str(argument))
            if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and argument:
                return self.by_logical_id(path, str(argument[0]))
            if intrinsic == "Fn::Sub":
                return self._sub(path, argument)
            if intrinsic == "Fn::Join":
                template = self._template_text(path, value)
                if template is not None and self._logical_ids_named(path, template):
                    return self.by_logical_id(path, self._logical_ids_named(path, template)[0])
                if template is not None and "${" not in template:
                    return self.by_name(path, template)
                return Resolution(unresolved=f"the Fn::Join expression {template or 'computed at deploy time'!r}")
            if intrinsic == "Fn::ImportValue":
                return Resolution(unresolved="a value imported from another stack (Fn::ImportValue)")
            return Resolution(unresolved=f"a value computed by {intrinsic}")
        return Resolution(unresolved="a value that is not a name")

    def _sub(self, path: str, argument: Any) -> Resolution:
        text = argument[0] if isinstance(argument, list) and argument else argument
        if not isinstance(text, str):
            return Resolution(unresolved="a computed Fn::Sub")
        template = self._template_text(path, {"Fn::Sub": argument})
        if template is not None and self._logical_ids_named(path, template):
            return self.by_logical_id(path, self._logical_ids_named(path, template)[0])
        if template is not None and "${" not in template:
            return self.by_name(path, template, explanation="the parameters' default values")
        variables = [name.split(".")[0] for name in _SUB_VARIABLE.findall(text) if not _PSEUDO.match(name)]
        resources = [name for name in dict.fromkeys(variables) if name in self.resources(path)]
        if len(resources) == 1 and len(set(variables)) == 1:
            return self.by_logical_id(path, resources[0])
        if not variables and "${" not in text.replace("${AWS::", ""):
            literal = _SUB_VARIABLE.sub("", text)
            if not _SUB_VARIABLE.search(text):
                return self.by_name(path, literal)
        return Resolution(unresolved=f"the Fn::Sub expression {text!r}")

    def function_keys(self, function: Function) -> frozenset[ResourceKey]:
        keys = {ResourceKey(function.location.path, "logical-id", function.name)}
        if function.format == "terraform":
            keys = {ResourceKey(_terraform_root(function), "terraform",
                                _terraform_resource(str(function.properties.get("address") or function.name)))}
        for prop in ("FunctionName", "function_name"):
            value = function.properties.get(prop)
            if isinstance(value, str) and "${" not in value:
                keys.add(ResourceKey("", "name", physical_name(value)))
        return frozenset(keys)

    # -- code values ---------------------------------------------------------------------------

    def code_value(self, value: StaticValue, function: Function) -> Resolution:
        """A write target read from handler code, followed into the function's environment."""
        parts: list[Part | Resolution] = []
        via: list[Location] = []
        explanation: list[str] = []
        for part in value.parts:
            if part.kind != ENV:
                parts.append(part)
                continue
            location = function.locations.get(f"Environment.{part.text}")
            if location is not None:
                via.append(location)
            configured = function.environment.get(part.text, _MISSING)
            if configured is _MISSING and part.text in function.environment_defaults:
                configured, default_location = function.environment_defaults[part.text]
                via.append(default_location)
            if configured is _MISSING:
                if part.default is not None:
                    parts.append(Part(LITERAL, part.default))
                    explanation.append(f"the default of environment variable `{part.text}`")
                    continue
                return Resolution(unresolved=f"environment variable `{part.text}`, which the function's "
                                             "configuration does not set", via=tuple(via))
            if isinstance(configured, str) and "${" not in configured:
                parts.append(Part(LITERAL, str(configured)))
                explanation.append(f"environment variable `{part.text}`")
                continue
            resolution = self.intrinsic(configured, function)
            if not resolution.resolved:
                return Resolution(unresolved=f"environment variable `{part.text}`, set to "
                                             f"{resolution.unresolved}", via=tuple(via))
            parts.append(Resolution(resolution.keys, resolution.label, unresolved=None,
                                    explanation=f"environment variable `{part.text}`"))
        return self._combine(parts, function, tuple(via), explanation)

    def _combine(self, parts: list[Part | Resolution], function: Function, via: tuple[Location, ...],
                 explanation: list[str]) -> Resolution:
        """Literal text, or one reference wrapped in ARN/URL scaffolding (`arn:...:{TOPIC}`,
        `https://sqs.../{QUEUE}`, `{FUNCTION}:live`); anything else is a name built at run time."""
        def is_literal(part: Part | Resolution) -> bool:
            return isinstance(part, Part) and part.kind == LITERAL

        if all(is_literal(part) for part in parts):
            text = "".join(part.text for part in parts if isinstance(part, Part))
            resolved = self.by_name(function.location.path, text)
            return Resolution(resolved.keys, resolved.label, via, resolved.unresolved, " and ".join(explanation))
        last = max(index for index, part in enumerate(parts) if not is_literal(part))
        chosen = parts[last]
        head = parts[:last]
        head_text = "".join(part.text for part in head if isinstance(part, Part) and part.kind == LITERAL)
        tail_text = "".join(part.text for part in parts[last + 1:] if isinstance(part, Part))
        scaffold = (
            (not head_text or head_text.endswith((":", "/")))
            and (not tail_text or tail_text.startswith(":"))
            and all(is_literal(part) or (isinstance(part, Part) and part.kind not in (ENV, EVENT, FUNCTION_NAME))
                    for part in head)
        )
        if scaffold:
            if isinstance(chosen, Resolution):
                return Resolution(chosen.keys, chosen.label, via, None, chosen.explanation)
            if chosen.kind == FUNCTION_NAME:
                return Resolution(frozenset({ResourceKey("", "self", "")}), function.name, via, None,
                                  "the function's own name")
            if chosen.kind == EVENT:
                kinds = event_resource_kinds(chosen.text)
                if kinds:
                    return Resolution(frozenset({ResourceKey("", "event", ",".join(sorted(kinds)))}),
                                      "the resource that sent the event", via, None, f"event field `{chosen.text}`")
                return Resolution(unresolved=f"the event field `{chosen.text}`", via=via)
            if chosen.kind != LITERAL and len(parts) == 1:
                return Resolution(unresolved=chosen.text, via=via)
        resolved_name = _affixed_resource_name(parts)
        if resolved_name is not None:
            named = self.by_name(function.location.path, resolved_name)
            if named.resolved:
                return Resolution(named.keys, named.label, via, None, " and ".join(explanation))
        affixed = _affixed_event_name(parts)
        if affixed is not None:
            return Resolution(frozenset({ResourceKey("", "derived", affixed)}), affixed, via, None,
                              "a name with constant text added to another name, so a different resource")
        described = " + ".join(_describe(part) for part in parts)
        return Resolution(unresolved=f"a name built at run time ({described})", via=via)


_MISSING = object()


def _affixed_resource_name(parts: list[Part | Resolution]) -> str | None:
    """`f"{os.environ['BUCKET']}-encrypted"` where BUCKET names a resource whose physical name
    the template declares: the whole name as text, to look up like a literal."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, Part) and part.kind == LITERAL:
            pieces.append(part.text)
        elif isinstance(part, Resolution):
            names = [key.value for key in part.keys if key.kind == "name"]
            if len(names) != 1:
                return None
            pieces.append(names[0])
        else:
            return None
    return "".join(pieces)


def _affixed_event_name(parts: list[Part | Resolution]) -> str | None:
    """`f"{bucket}-encrypted"`, `"processed-" + bucket`: the name of the resource that sent the
    event with constant text added inside the name (not ARN or URL scaffolding), so never that
    resource itself. The description when so, else None."""
    events = [part for part in parts if isinstance(part, Resolution)
              or (isinstance(part, Part) and part.kind == EVENT and event_resource_kinds(part.text))]
    if len(events) != 1:
        return None
    if not all(isinstance(part, Resolution) or (isinstance(part, Part) and part.kind in (LITERAL, EVENT))
               for part in parts):
        return None
    index = parts.index(events[0])
    head = "".join(part.text for part in parts[:index] if isinstance(part, Part))
    tail = "".join(part.text for part in parts[index + 1:] if isinstance(part, Part))
    head_affix = head.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
    tail_affix = tail.split(":", 1)[0].split("/", 1)[0]
    if not head_affix and not tail_affix:
        return None
    what = events[0].label if isinstance(events[0], Resolution) else f"event {events[0].text}"
    return f"{head_affix}{{{what}}}{tail_affix}"


def _describe(part: Part | Resolution) -> str:
    if isinstance(part, Resolution):
        return part.label
    if part.kind == LITERAL:
        return repr(part.text)
    if part.kind == EVENT:
        return f"event field {part.text}"
    if part.kind == FUNCTION_NAME:
        return "the function's own name"
    return part.text


def _normalised(path: str) -> str:
    return path.lower().replace("_", "").replace("[]", "")


def event_resource_kinds(path: str) -> set[str]:
    """Trigger kinds whose resource an event field names: `Records[].s3.bucket.name` → {"s3"}."""
    norm = _normalised(path)
    if norm.endswith(("s3.bucket.name", "s3.bucket.arn", "bucketname")):
        return {"s3"}
    if norm.endswith("eventsourcearn"):
        return set(_EVENT_SOURCE_KINDS)
    if norm.endswith(("sns.topicarn", "topicarn")):
        return {"sns"}
    return set()


def is_event_object_key(path: str) -> bool:
    return _normalised(path).endswith(("s3.object.key", "objectkey", "s3.getobject.key"))


def is_event_field(path: str, name: str) -> bool:
    """`source` / `detail-type` of an EventBridge event (`event["detail-type"]`, `event.detail_type`)."""
    norm = _normalised(path).replace("-", "")
    return norm == name.replace("-", "")


_TERRAFORM_REFERENCE = re.compile(r"^\$\{\s*((?:module\.[A-Za-z0-9_-]+\.)*aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)"
                                  r"(?:\[[^\]]*\])?(?:\.[a-z_]+)*\s*\}$")


def _terraform_reference(text: str) -> str | None:
    match = _TERRAFORM_REFERENCE.match(text.strip())
    return match.group(1) if match else None


def _terraform_root(function: Function) -> str:
    """The root module a Terraform function belongs to: its addresses mean nothing outside it."""
    return str(function.properties.get("terraform_root", ""))


def _terraform_resource(address: str) -> str:
    """`aws_s3_bucket.uploads.id` → `aws_s3_bucket.uploads` (module prefixes kept)."""
    parts = address.split(".")
    for index, part in enumerate(parts):
        if part.startswith("aws_") and index + 1 < len(parts):
            return ".".join(parts[: index + 2])
    return address
