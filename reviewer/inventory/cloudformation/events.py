"""Event sources of SAM and CloudFormation functions, wherever the template declares them.

SAM's `Events` property is one place; plain CloudFormation declares the same wiring on other
resources: an `AWS::Lambda::EventSourceMapping` (queues and streams), an S3 bucket's
`NotificationConfiguration.LambdaConfigurations`, an `AWS::SNS::Subscription` or a topic's
`Subscription` list with the `lambda` protocol, and an `AWS::Events::Rule` whose `Targets` name
the function (a `schedule` when the rule has a `ScheduleExpression` and no `EventPattern`). Each becomes a `Trigger` of the function it names, with the attributes the
recursion analyzer reasons with: S3 `events`, `prefix`, `suffix`; EventBridge `pattern`, `bus`.

Three more invoke a function with no `AWS::Lambda::Permission` to show it (a role, or CloudFront's
replication, stands in its place), so without them such a function counts as invoked only by the
account (`analyzers/untrusted_writers.py`): an EventBridge Scheduler `AWS::Scheduler::Schedule`
whose `Target` is the function (a `schedule`), an AppSync data source's `LambdaConfig` or a SAM
`AWS::Serverless::GraphQLApi`'s `DataSources: {Lambda: ...}` (GraphQL callers write its
arguments), and a distribution's `LambdaFunctionAssociations` (a viewer's request), whose version
is named through the function (`!Ref Fn.Version`) or an `AWS::Lambda::Version` of it.

A state machine whose definition names the function is a `stepfunctions` trigger of it, with the
kinds of what starts the state machine (`state_machines.py`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from reviewer.inventory.cloudformation.names import sub_template
from reviewer.inventory.cloudformation.reference import reference, reference_choices, written_attribute
from reviewer.inventory.cloudformation.state_machines import STATE_MACHINE_TYPES, named_functions, starters
from reviewer.located import LocatedList, LocatedMap
from reviewer.model import Function, Location, ResourceRef, Trigger

_SOURCE_KINDS_BY_TYPE = {
    "AWS::SQS::Queue": "sqs", "AWS::DynamoDB::Table": "dynamodb", "AWS::DynamoDB::GlobalTable": "dynamodb",
    "AWS::Kinesis::Stream": "kinesis",
}
_SOURCE_KINDS_BY_ARN = {"sqs": "sqs", "dynamodb": "dynamodb", "kinesis": "kinesis"}
_SUB_REFERENCE = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}(?::[A-Za-z0-9$_-]+)?$")


def sam_event_attributes(event_type: str, properties: Any) -> dict[str, Any]:
    """The normalised attributes of one SAM event: S3 events and key filter, EventBridge pattern and bus."""
    if not isinstance(properties, dict):
        return {}
    if event_type == "S3":
        return s3_notification_attributes(properties.get("Events"), properties.get("Filter"))
    if event_type in ("EventBridgeRule", "CloudWatchEvent"):
        return {"pattern": properties.get("Pattern") if isinstance(properties.get("Pattern"), dict) else {},
                "bus": properties.get("EventBusName", "default")}
    return filter_criteria_attributes(properties)


MAX_PATTERN_BYTES = 64 * 1024


def filter_criteria_attributes(properties: Any) -> dict[str, Any]:
    """An event source's `FilterCriteria: {Filters: [{Pattern: '<json>'}]}` as `filter_patterns`
    (one parsed pattern per filter, None for one whose text is computed or is not JSON) and the
    line of the criteria; {} when there are none."""
    criteria = _get(properties, "FilterCriteria")
    if criteria is None:
        return {}
    filters = _get(criteria, "Filters")
    patterns: list[Any] = []
    for entry in filters if isinstance(filters, list) else [None]:
        pattern = _get(entry, "Pattern")
        if isinstance(pattern, str) and len(pattern) <= MAX_PATTERN_BYTES:
            try:
                patterns.append(json.loads(pattern))
            except ValueError:
                patterns.append(None)
        else:
            patterns.append(None)
    attributes: dict[str, Any] = {"filter_patterns": patterns or [None]}
    if isinstance(properties, LocatedMap):
        attributes["filter_line"] = properties.line_of("FilterCriteria")
    return attributes


def s3_notification_attributes(events: Any, key_filter: Any) -> dict[str, Any]:
    """`events` as a list, and the `prefix`/`suffix` of an S3Key filter (with the filter's line)."""
    if isinstance(events, str):
        event_list = [str(events)]
    elif isinstance(events, list):
        event_list = [str(event) for event in events if isinstance(event, str)]
    else:
        event_list = []
    attributes: dict[str, Any] = {"events": event_list, "prefix": "", "suffix": ""}
    rules = _get(_get(key_filter, "S3Key"), "Rules")
    if isinstance(rules, list):
        for rule in rules:
            name = str(_get(rule, "Name") or "").lower()
            value = _get(rule, "Value")
            if name in ("prefix", "suffix") and isinstance(value, str):
                attributes[name] = str(value)
            elif name in ("prefix", "suffix"):
                attributes[f"{name}_unresolved"] = True
    if isinstance(key_filter, LocatedMap):
        attributes["filter_line"] = key_filter.line
    return attributes


def attach_resource_triggers(template: LocatedMap, path: str, functions: list[Function]) -> None:
    """Add the triggers that resources other than the function declare (see the module docstring)."""
    resources = template.get("Resources")
    if not isinstance(resources, LocatedMap) or not functions:
        return
    by_id = {function.name: function for function in functions}
    names = {str(function.properties.get("FunctionName")): function for function in functions
             if isinstance(function.properties.get("FunctionName"), str)}
    reader = _Reader(path, resources, by_id, names)
    for logical_id, resource in resources.items():
        if isinstance(resource, LocatedMap):
            reader.resource(str(logical_id), resource, resources.line_of(logical_id))


class _Reader:
    def __init__(self, path: str, resources: LocatedMap, by_id: dict[str, Function],
                 by_name: dict[str, Function]) -> None:
        self.path = path
        self.resources = resources
        self.by_id = by_id
        self.by_name = by_name

    def resource(self, logical_id: str, resource: LocatedMap, line: int) -> None:
        kind = resource.get("Type")
        properties = resource.get("Properties")
        if not isinstance(properties, LocatedMap):
            return
        if kind == "AWS::Lambda::EventSourceMapping":
            self._event_source_mapping(logical_id, properties, line)
        elif kind == "AWS::S3::Bucket":
            self._bucket_notifications(logical_id, properties)
        elif kind == "AWS::SNS::Subscription":
            topic = properties.get("TopicArn")
            self._subscription(properties, reference(topic), line, written_attribute(reference(topic), topic))
        elif kind == "AWS::SNS::Topic":
            subscriptions = properties.get("Subscription")
            if isinstance(subscriptions, LocatedList):
                for item, item_line in zip(subscriptions, subscriptions.item_lines, strict=False):
                    if isinstance(item, LocatedMap):
                        self._subscription(item, ResourceRef("logical-id", logical_id), item_line)
        elif kind == "AWS::Events::Rule":
            self._rule(logical_id, properties)
        elif kind == "AWS::Scheduler::Schedule":
            self._schedule(logical_id, properties)
        elif kind == "AWS::AppSync::DataSource":
            lambda_config = properties.get("LambdaConfig")
            if isinstance(lambda_config, LocatedMap):
                self._service(lambda_config.get("LambdaFunctionArn"), f"AppSync data source {logical_id}",
                              properties.line_of("LambdaConfig"), properties)
        elif kind == "AWS::Serverless::GraphQLApi":
            lambdas = _get(properties.get("DataSources"), "Lambda")
            if isinstance(lambdas, LocatedMap):
                for name, source in lambdas.items():
                    self._service(_get(source, "FunctionArn"), f"AppSync data source {name} of {logical_id}",
                                  lambdas.line_of(name), source)
        elif kind == "AWS::CloudFront::Distribution":
            self._distribution(logical_id, properties)
        elif kind in STATE_MACHINE_TYPES:
            self._state_machine(logical_id, properties)

    def function_of(self, value: Any) -> Function | None:
        """The function a `FunctionName`/`Arn`/`Endpoint` value names in this template."""
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            if intrinsic == "Ref":
                return self.by_id.get(str(argument).split(".")[0])
            if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and argument:
                return self.by_id.get(str(argument[0]).split(".")[0])
            if intrinsic == "Fn::Sub" and isinstance(argument, str):
                match = _SUB_REFERENCE.match(argument)
                return self.by_id.get(match.group(1)) if match else None
            return None
        if isinstance(value, str):
            name = value.split(":function:")[-1].split(":")[0] if value.startswith("arn:") else value
            return self.by_name.get(name) or self.by_id.get(name)
        return None

    def _add(self, function: Function, kind: str, line: int, target: ResourceRef | None, source: str,
             raw: Any, **attributes: Any) -> None:
        function.triggers.append(Trigger(
            kind=kind, location=Location(self.path, line), target=target,
            attributes={"name": source, "type": source.split(" ")[0], "raw": dict(raw) if isinstance(raw, dict)
                        else raw, **attributes},
        ))

    def _event_source_mapping(self, logical_id: str, properties: LocatedMap, line: int) -> None:
        function = self.function_of(properties.get("FunctionName"))
        if function is None:
            return
        # each a condition may choose
        for target, written in reference_choices(properties.get("EventSourceArn")):
            kind = "other"
            if target is not None and target.kind == "logical-id":
                resource = self.resources.get(target.value)
                kind = _SOURCE_KINDS_BY_TYPE.get(str(_get(resource, "Type")), "other")
            elif target is not None and target.kind == "arn":
                kind = _SOURCE_KINDS_BY_ARN.get(_arn_service(target.value), "other")
            elif sub_template(written) is not None:   # `!Sub "arn:${AWS::Partition}:sqs:..."`
                kind = _SOURCE_KINDS_BY_ARN.get(_arn_service(str(sub_template(written))), "other")
            self._add(function, kind, line, target, f"EventSourceMapping {logical_id}", properties,
                      **filter_criteria_attributes(properties), **written_attribute(target, written))

    def _bucket_notifications(self, logical_id: str, properties: LocatedMap) -> None:
        configurations = _get(properties.get("NotificationConfiguration"), "LambdaConfigurations")
        if not isinstance(configurations, LocatedList):
            return
        for item, item_line in zip(configurations, configurations.item_lines, strict=False):
            function = self.function_of(_get(item, "Function"))
            if function is None:
                continue
            self._add(function, "s3", item_line, ResourceRef("logical-id", logical_id),
                      f"LambdaConfiguration of {logical_id}", item,
                      **s3_notification_attributes(_get(item, "Event"), _get(item, "Filter")))

    def _subscription(self, properties: LocatedMap, topic: ResourceRef | None, line: int,
                      written: dict[str, Any] | None = None) -> None:
        if str(properties.get("Protocol", "")).lower() != "lambda":
            return
        function = self.function_of(properties.get("Endpoint"))
        if function is not None:
            self._add(function, "sns", line, topic, f"Subscription to {topic or 'a topic'}", properties,
                      **(written or {}))

    def _rule(self, logical_id: str, properties: LocatedMap) -> None:
        targets = properties.get("Targets")
        if not isinstance(targets, LocatedList):
            return
        pattern = properties.get("EventPattern")
        # A rule with a schedule and no pattern matches no event: EventBridge itself sends one on time.
        schedule = properties.get("ScheduleExpression") if pattern is None else None
        for item, item_line in zip(targets, targets.item_lines, strict=False):
            function = self.function_of(_get(item, "Arn"))
            if function is None:
                continue
            if schedule is not None:
                self._add(function, "schedule", item_line, None, f"Rule {logical_id}", properties,
                          schedule=schedule)
                continue
            bus = properties.get("EventBusName")
            self._add(function, "eventbridge", item_line, reference(bus), f"Rule {logical_id}", properties,
                      **written_attribute(reference(bus), bus),
                      pattern=pattern if isinstance(pattern, dict) else {},
                      bus=properties.get("EventBusName", "default"))


    def _schedule(self, logical_id: str, properties: LocatedMap) -> None:
        """An EventBridge Scheduler schedule whose target is the function: it sends the target's
        constant `Input` (or an empty object) on time, as a rule's schedule does."""
        target = properties.get("Target")
        function = self.function_of(_get(target, "Arn"))
        if function is not None:
            self._add(function, "schedule", properties.line_of("Target"), None, f"Schedule {logical_id}", properties,
                      schedule=properties.get("ScheduleExpression"))

    def _service(self, value: Any, source: str, line: int, raw: Any) -> None:
        """A service that names the function and invokes it with what its own callers send."""
        function = self.function_of(value)
        if function is not None:
            self._add(function, "other", line, None, source, raw)

    def _distribution(self, logical_id: str, properties: LocatedMap) -> None:
        """The Lambda@Edge functions of a distribution's default and other cache behaviours."""
        config = properties.get("DistributionConfig")
        behaviors = [_get(config, "DefaultCacheBehavior")]
        others = _get(config, "CacheBehaviors")
        behaviors.extend(others if isinstance(others, list) else [])
        for behavior in behaviors[:MAX_CACHE_BEHAVIORS]:
            associations = _get(behavior, "LambdaFunctionAssociations")
            if not isinstance(associations, LocatedList):
                continue
            for item, item_line in zip(associations, associations.item_lines, strict=False):
                version = _get(item, "LambdaFunctionARN")
                self._service(self._versioned(version), f"CloudFront {logical_id} ({_get(item, 'EventType')})",
                              item_line, item)

    def _versioned(self, value: Any, types: tuple[str, ...] = ("AWS::Lambda::Version",)) -> Any:
        """`!Ref FnVersion` of an `AWS::Lambda::Version` (or another of `types`) → its
        `FunctionName`; anything else as written."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            resource = self.resources.get(str(value["Ref"]))
            if _get(resource, "Type") in types:
                return _get(_get(resource, "Properties"), "FunctionName")
        return value

    def _state_machine(self, logical_id: str, properties: LocatedMap) -> None:
        """A state machine whose definition names functions of the template: each is invoked by it."""
        invoked: dict[str, tuple[Function, int, bool]] = {}
        for value, line, qualified in named_functions(properties):
            named = self._versioned(value, ("AWS::Lambda::Version", "AWS::Lambda::Alias"))
            function = self.function_of(named)
            if function is None:
                continue
            qualified = qualified or named is not value
            known = invoked.get(function.name)
            # one trigger per function; qualified only when every task names a version or an alias
            invoked[function.name] = (function, known[1] if known else line, qualified and (known is None or known[2]))
        if not invoked:
            return
        started = starters(logical_id, properties, self.resources)
        for function, line, qualified in invoked.values():
            self._add(function, "stepfunctions", line, ResourceRef("logical-id", logical_id),
                      f"StateMachine {logical_id}", {}, machine=logical_id, starters=started, qualified=qualified)


MAX_CACHE_BEHAVIORS = 100    # a distribution's behaviours read: CloudFront allows 25 by default


def _arn_service(text: str) -> str:
    """The service field of an ARN (`sqs` of `arn:${AWS::Partition}:sqs:...`), "" when there is none."""
    fields = re.sub(r"\$\{AWS::[A-Za-z]+\}", "*", text).split(":")
    return fields[2] if len(fields) >= 3 and fields[0] == "arn" else ""


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None
