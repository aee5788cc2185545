"""Which infrastructure resource a trigger or a write names, in one comparable form.

A trigger says `Bucket: !Ref Uploads`; the handler writes to `os.environ["OUTPUT_BUCKET"]`; the
function's environment sets `OUTPUT_BUCKET: !Ref Uploads`. Both sides become a set of
`ResourceKey`s (the logical id or Terraform address in its template, plus the literal physical
name when the resource declares one), and two sides name the same resource when their sets meet.
ARNs, queue URLs and `name:qualifier` forms are reduced to the name they carry.

A name left with a template parameter that has no default (`${JobsQueueName}`) is a key of its
template too, but an open one: two values sharing it name one resource, while a value that does
not share it may still name the same resource once the parameter is passed, so the check cannot
tell it apart from another (`Resolution.open`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reviewer.code.values import ENV, EVENT, FUNCTION_NAME, LITERAL, Part, StaticValue
from reviewer.inventory.targets import (
    Delivery, NestedParameters, PassedValue, Target, TemplateNames, deliveries, function_key, function_variables, reference_scope,
    resource_address, template_path, value_target,
)
from reviewer.model import Function, Location, ResourceRef

# the account may be written as a pseudo parameter (`${AWS::AccountId}`, `#{AWS::AccountId}`)
_QUEUE_URL = re.compile(r"^https?://[^/]+/(?:\d+|[#$]\{[^{}]*\})/([^/?#]+)")
_EVENT_SOURCE_KINDS = {"sqs", "dynamodb", "kinesis"}


@dataclass(frozen=True)
class ResourceKey:
    """One name of a resource. kind: logical-id (scope = its template), terraform (an address),
    name (a physical name), variable-name (a physical name holding a parameter without a
    default, scope = its template), cdk (`<file>#<variable>`, the construct a CDK file keeps there), event
    (the resource whose event invoked the function; value = the trigger kinds it stands for), self
    (the running function)."""

    scope: str
    kind: str
    value: str


@dataclass(frozen=True)
class Resolution:
    """What a reference resolves to: its keys (empty when unresolved), a label for people, the
    infrastructure lines followed on the way, and, when unresolved, what could not be followed.
    An open resolution has both: keys that prove two sides the same resource when they meet,
    and what keeps the check from proving them different when they do not."""

    keys: frozenset[ResourceKey] = frozenset()
    label: str = ""
    via: tuple[Location, ...] = ()
    unresolved: str | None = None
    explanation: str = ""
    # A value that names no resource at all: the code's empty fallback for an environment
    # variable the function's configuration does not set. A write to it sends nothing anywhere.
    names_nothing: bool = False

    @property
    def resolved(self) -> bool:
        return bool(self.keys)

    @property
    def open(self) -> bool:
        return bool(self.keys) and self.unresolved is not None

    def meets(self, other: "Resolution") -> bool:
        return bool(self.keys & other.keys)

    @property
    def event_kinds(self) -> frozenset[str]:
        return frozenset(kind for key in self.keys if key.kind == "event" for kind in key.value.split(","))

    @property
    def is_self(self) -> bool:
        return any(key.kind == "self" for key in self.keys)


_PSEUDO_PARAMETER = re.compile(r"[#$]\{[^{}:]*::[^{}]*\}")


def physical_name(text: str) -> str:
    """The resource name an ARN, queue URL, `s3://` URL or `name:qualifier` carries."""
    text = text.strip()
    if text.startswith("arn:"):
        # `#{AWS::Region}` (serverless-pseudo-parameters), `${AWS::AccountId}`: one field, though
        # its `::` would split it into three and shift the resource's name out of place.
        text = _PSEUDO_PARAMETER.sub("*", text)
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
    # `name:qualifier`; the colons of a pseudo parameter (`${AWS::StackName}-jobs`) are the name's
    masked = _PSEUDO_PARAMETER.sub(lambda match: "_" * len(match.group(0)), text)
    return text[:masked.index(":")] if ":" in masked and "/" not in text else text


@dataclass
class TargetResolver:
    """Resolves references for functions of every format, using the parsed IaC documents."""

    documents: dict[str, Any] = field(default_factory=dict)
    # What the inventory listed as passing events on, by reference scope (a Terraform root).
    listed_deliveries: dict[str, list[Delivery]] = field(default_factory=dict)
    # Local nested stacks: child template → the (parent template, stack id) pairs naming it.
    nested_stacks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # Per template: what passes its events on to a queue or topic (see `recursion_triggers`).
    _deliveries: dict[str, list[Delivery]] = field(default_factory=dict)

    # -- templates (read by the inventory's TemplateNames) ----------------------------------

    def __post_init__(self) -> None:
        self.names = TemplateNames(self.documents)
        self.parameters = NestedParameters(self.documents, self.nested_stacks)

    def deliveries(self, path: str) -> list[Delivery]:
        """The deliveries declared in the document at `path`, listed once however many functions ask."""
        if path not in self._deliveries:
            self._deliveries[path] = deliveries(self.names, path)
        return self._deliveries[path]

    def deliveries_of(self, function: Function) -> list[Delivery]:
        """The deliveries that can reach `function`: those of its root module when its addresses
        have a scope (Terraform), else those of its template."""
        scope = reference_scope(function)
        if scope:
            return self.listed_deliveries.get(scope, [])
        path = template_path(function)   # a CDK file lists its own, under its path
        return self.deliveries(path) + self.listed_deliveries.get(path, [])

    # -- keys ----------------------------------------------------------------------------------

    def by_logical_id(self, path: str, logical_id: str) -> Resolution:
        logical_id = logical_id.split(".")[0]
        parameter = self.names.parameter_target(path, logical_id)
        if parameter is not None:
            # a resource of this template named by the parameter is its value, whatever a parent passes
            passed = self.parameters.passed(path, logical_id) \
                if self.names.parameter_resource(path, logical_id) is None else None
            if passed:
                return self._passed(logical_id, passed)
            return self.target(path, parameter)
        keys = {ResourceKey(path, "logical-id", logical_id)}
        declared = self.names.literal_name(path, logical_id)
        if declared is not None and "${" not in declared:
            keys.add(ResourceKey("", "name", declared))
        return Resolution(frozenset(keys), logical_id)

    def _passed(self, parameter: str, passed: list[PassedValue]) -> Resolution:
        """A parameter of a nested template, as its parents pass it: every value it may stand
        for (one per parent, one per branch of an `Fn::If`) resolved in the template that writes
        it, their keys together; unresolved when one of them is."""
        keys: set[ResourceKey] = set()
        labels: list[str] = []
        via: list[Location] = []
        for value in passed:
            resolution = self.target(value.path, value_target(self.names, value.path, value.value))
            where = value.passed_at or (value.via[0] if value.via else None)
            place = f"`{where.path}:{where.line}`" if where is not None else "its parent"
            if not resolution.resolved:
                return Resolution(unresolved=f"the template parameter {parameter}, which {place} sets to "
                                             f"{resolution.unresolved}", via=value.via)
            keys.update(resolution.keys)
            if resolution.label not in labels:
                labels.append(resolution.label)
            via.extend(place for place in (*value.via, *resolution.via) if place not in via)
        where = passed[0].passed_at
        source = f" at `{where.path}:{where.line}`" if where is not None else ""
        return Resolution(frozenset(keys), " or ".join(labels), tuple(via),
                          explanation=f"the value the parent stack passes for parameter {parameter}{source}")

    def by_name(self, path: str, text: str, explanation: str = "") -> Resolution:
        name = physical_name(text)
        if name and "${" in name and self.names.logical_ids_named(path, name):
            return self.by_logical_id(path, self.names.logical_ids_named(path, name)[0])
        if not name or "${" in name:
            return Resolution(unresolved=f"the name {text!r}, which holds an unresolved variable")
        keys = {ResourceKey("", "name", name)}
        keys.update(ResourceKey(path, "logical-id", logical_id) for logical_id in self.names.logical_ids_named(path, name))
        return Resolution(frozenset(keys), name, explanation=explanation)

    def by_variable_name(self, path: str, text: str, written: str) -> Resolution:
        """A name the template at `path` spells with parameters that have no default (or pseudo
        parameters): once its ARN or URL is taken off, a literal name, the resource of the
        template declared with that text, or an open key of the template (`written` says what
        the value is, for the finding that cannot judge it)."""
        name = physical_name(text)
        if "${" not in name:   # `arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs`
            return self.by_name(path, name)
        named = self.names.logical_ids_named(path, name)
        if named:
            return self.by_logical_id(path, named[0])
        return Resolution(frozenset({ResourceKey(path, "variable-name", name)}), name, unresolved=written)

    def by_terraform(self, address: str, physical: str | None = None, root: str = "") -> Resolution:
        """A Terraform address names a resource of one root module (`root`, its directory)."""
        address = resource_address(address)
        keys = {ResourceKey(root, "terraform", address)}
        if physical:
            keys.add(ResourceKey("", "name", physical_name(physical)))
        return Resolution(frozenset(keys), address)

    def reference(self, ref: ResourceRef | None, function: Function, physical: str | None = None) -> Resolution:
        """A `ResourceRef` written by any format reader."""
        if ref is None:
            return Resolution(unresolved="the trigger names no resource")
        if ref.kind == "logical-id":
            return self.by_logical_id(template_path(function), ref.value)
        if ref.kind == "terraform":
            return self.by_terraform(ref.value, physical, reference_scope(function))
        if ref.kind in ("name", "arn"):
            return self.by_name(template_path(function), ref.value)
        if ref.kind == "cdk":
            return self.by_variable(ref.value)
        if ref.kind == "unresolved" and "${" in ref.value:
            # A name whose variables stay unknown here (`${self:service}-${sls:stage}-uploads`
            # with the service's name read from a stage file the repository lacks) is still the
            # resource of the same template declared with that very text: both take the same
            # values when the service is deployed.
            # The text as written first: `physical_name` would cut it at the colon of `${sls:stage}`.
            path = template_path(function)
            named = (self.names.logical_ids_named(path, ref.value)
                     or self.names.logical_ids_named(path, physical_name(ref.value)))
            if named:
                return self.by_logical_id(path, named[0])
        return Resolution(unresolved=ref.value)

    @staticmethod
    def by_variable(name: str) -> Resolution:
        """A construct kept in a variable of a CDK source file: `<file>#bucket`."""
        return Resolution(frozenset({ResourceKey("", "cdk", name)}), name.rpartition("#")[2])

    def intrinsic(self, value: Any, function: Function) -> Resolution:
        """An environment value as written in a template: literal, `!Ref`, `!GetAtt`, `!Sub`, or a
        reference object a reader produced (Terraform)."""
        if isinstance(value, ResourceRef):
            return self.reference(value, function)
        path = template_path(function)
        return self.target(path, value_target(self.names, path, value), reference_scope(function))

    def target(self, path: str, target: Target, scope: str = "") -> Resolution:
        """The keys of what the inventory says a value names; `scope` is where a Terraform
        address means something (its root module, see `reference_scope`)."""
        if target.kind == "logical-id":
            found = self.by_logical_id(path, target.value)
            return Resolution(found.keys, found.label, found.via, found.unresolved,
                              target.explanation or found.explanation)
        if target.kind == "terraform":
            return self.by_terraform(target.value, root=scope)
        if target.kind == "name":
            return self.by_name(path, target.value, explanation=target.explanation)
        if target.kind == "variable-name":
            return self.by_variable_name(path, target.value, target.explanation)
        if target.kind == "cdk":
            return self.by_variable(target.value)
        return Resolution(unresolved=target.value)

    def function_keys(self, function: Function) -> frozenset[ResourceKey]:
        keys = {ResourceKey(*function_key(function))}
        keys.update(ResourceKey("", "cdk", name) for name in function_variables(function))
        value = function.physical_name
        if value is not None and "${" not in value:   # a name with a variable left in names nothing yet
            keys.add(ResourceKey("", "name", physical_name(value)))
        return frozenset(keys)

    # -- code values ---------------------------------------------------------------------------

    def code_value(self, value: StaticValue, function: Function, service: str = "") -> Resolution:
        """A write target read from handler code, followed into the function's environment
        (`service`, the one written to, says whether a case change keeps a name: `.lower()` of
        a bucket's name, always lowercase, is that name)."""
        parts: list[Part | Resolution] = []
        via: list[Location] = []
        explanation: list[str] = []
        for part in value.parts:
            if part.kind != ENV:
                parts.append(part)
                continue
            if part.case and part.case not in _NAME_KEEPING_CASES.get(service, _WHITESPACE):
                return Resolution(unresolved=f"environment variable `{part.text}` changed by `.{part.case}()`")
            location = function.locations.get(f"Environment.{part.text}")
            if location is not None:
                via.append(location)
            configured = function.environment.get(part.text, _MISSING)
            if configured is _MISSING and part.text in function.environment_defaults:
                configured, default_location = function.environment_defaults[part.text]
                via.append(default_location)
            if configured is _MISSING:
                if part.default == "" and len(value.parts) == 1 and "Environment" not in function.unresolved:
                    # `process.env.QUEUE_URL ?? ''`, `os.environ.get("QUEUE_URL", "")`, unset here:
                    # the call gets an empty name, which no queue, topic or bucket has
                    return Resolution(via=tuple(via), names_nothing=True)
                if part.default is not None:
                    parts.append(Part(LITERAL, _cased(part.default, part.case)))
                    explanation.append(f"the default of environment variable `{part.text}`")
                    continue
                if "Environment" in function.unresolved:
                    return Resolution(unresolved=f"environment variable `{part.text}`, which the function's "
                                                 "environment may set in a form the review does not read",
                                      via=tuple(via))
                return Resolution(unresolved=f"environment variable `{part.text}`, which the function's "
                                             "configuration does not set", via=tuple(via))
            if isinstance(configured, str) and "${" not in configured:
                parts.append(Part(LITERAL, _cased(str(configured), part.case)))
                explanation.append(f"environment variable `{part.text}`")
                continue
            resolution = self.intrinsic(configured, function)
            if not resolution.resolved or resolution.open:
                value_is = "whose value is" if str(resolution.unresolved).startswith("computed by") else "set to"
                unresolved = f"environment variable `{part.text}`, {value_is} {resolution.unresolved}"
                if not resolution.resolved:
                    return Resolution(unresolved=unresolved, via=tuple(via))
                parts.append(Resolution(resolution.keys, resolution.label, unresolved=unresolved,
                                        explanation=f"environment variable `{part.text}`, set to "
                                                    f"{resolution.unresolved}"))
                continue
            # where the variable's value comes from, when the template says (a parameter's
            # default, or the value `sam deploy` passes for it from samconfig.toml)
            source = f", set to {resolution.explanation}" if resolution.explanation else ""
            parts.append(Resolution(resolution.keys, resolution.label, unresolved=None,
                                    explanation=f"environment variable `{part.text}`{source}"))
        return self._combine(parts, function, tuple(via), explanation)

    def _combine(self, parts: list[Part | Resolution], function: Function, via: tuple[Location, ...],
                 explanation: list[str]) -> Resolution:
        """Literal text, or one reference wrapped in ARN/URL scaffolding (`arn:...:{TOPIC}`,
        `https://sqs.../{QUEUE}`, `{FUNCTION}:live`); anything else is a name built at run time."""
        def is_literal(part: Part | Resolution) -> bool:
            return isinstance(part, Part) and part.kind == LITERAL

        if all(is_literal(part) for part in parts):
            text = "".join(part.text for part in parts if isinstance(part, Part))
            resolved = self.by_name(template_path(function), text)
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
                return Resolution(chosen.keys, chosen.label, via, chosen.unresolved, chosen.explanation)
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
            named = self.by_name(template_path(function), resolved_name)
            if named.resolved:
                return Resolution(named.keys, named.label, via, None, " and ".join(explanation))
        affixed = _affixed_event_name(parts)
        if affixed is not None:
            return Resolution(frozenset({ResourceKey("", "derived", affixed)}), affixed, via, None,
                              "a name with constant text added to another name, so a different resource")
        described = " + ".join(_describe(part) for part in parts)
        return Resolution(unresolved=f"a name built at run time ({described})", via=via)


_MISSING = object()
# The text methods a name read from the environment can go through and still be the resource's
# name, by the service written to: surrounding whitespace is never part of a name, and an S3
# bucket's name is lowercase, so `.lower()` of it is itself.
_WHITESPACE = frozenset({"strip", "lstrip", "rstrip"})
_NAME_KEEPING_CASES = {"s3": _WHITESPACE | {"lower", "casefold"}}


def _cased(text: str, case: str) -> str:
    """`text` as the handler's `.lower()` (or `.strip()`...) leaves it."""
    return str(getattr(text, case)()) if case else text


def _affixed_resource_name(parts: list[Part | Resolution]) -> str | None:
    """`f"{os.environ['BUCKET']}-encrypted"` where BUCKET names a resource whose physical name
    the template declares: the whole name as text, to look up like a literal."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, Part) and part.kind == LITERAL:
            pieces.append(part.text)
        elif isinstance(part, Resolution):
            # a name spelled with a parameter keeps its text: `${Prefix}-encrypted` is the
            # bucket the template declares so
            names = [key.value for key in part.keys if key.kind == ("variable-name" if part.open else "name")]
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
    if len(events) != 1 or (isinstance(events[0], Resolution) and events[0].open):
        return None   # a parameter's value with text added may be the name another parameter takes
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

