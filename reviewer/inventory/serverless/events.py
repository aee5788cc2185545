"""A Serverless function's `events:` → triggers (HTTP APIs, queues, streams, buckets, schedules...)."""

from __future__ import annotations

from typing import Any

from reviewer.inventory.serverless.routes import serverless_route
from reviewer.inventory.serverless.service import (
    ServiceBase,
    alphanumeric_name,
    plain_value,
    text_of,
)
from reviewer.located import LocatedList, LocatedMap
from reviewer.model import (
    Function,
    Location,
    ResourceRef,
    Trigger,
)

EVENT_KINDS = {
    "s3": "s3", "sqs": "sqs", "sns": "sns", "eventBridge": "eventbridge", "cloudwatchEvent": "eventbridge",
    "http": "api", "httpApi": "api", "websocket": "api", "schedule": "schedule",
}


class ServiceEvents(ServiceBase):
    """Reads `events:` into triggers."""

    def _events(self, function: Function, events: Any) -> None:
        events = self.resolved(events) if isinstance(events, str) else events
        if not isinstance(events, LocatedList):
            return
        for index, event in enumerate(events):
            if not isinstance(event, LocatedMap) or len(event) != 1:
                continue
            (event_type, config), = event.items()
            line = events.item_lines[index] if index < len(events.item_lines) else events.line
            config = self.resolved(config)
            trigger = self._trigger(function, str(event_type), config, self.at(events, line), index)
            function.triggers.append(trigger)
            route = serverless_route(str(event_type), config, self.at(events, line))
            if route is not None:
                function.routes.append(route)

    def _trigger(self, function: Function, event_type: str, config: Any, location: Location, index: int) -> Trigger:
        attributes: dict[str, Any] = {"name": f"{function.name}.events[{index}]", "type": event_type,
                                      "raw": plain_value(config)}
        kind = EVENT_KINDS.get(event_type, "other")
        target: ResourceRef | None = None
        settings = config if isinstance(config, dict) else {}
        if event_type == "s3":
            bucket = settings.get("bucket") if settings else config
            target = self.reference(bucket)
            existing = settings.get("existing") is True or str(settings.get("existing")).lower() == "true"
            prefix, suffix = "", ""
            for rule in settings.get("rules") or []:
                if isinstance(rule, dict):
                    prefix = str(rule.get("prefix", prefix)) if rule.get("prefix") is not None else prefix
                    suffix = str(rule.get("suffix", suffix)) if rule.get("suffix") is not None else suffix
            event = settings.get("event", "s3:ObjectCreated:*")
            attributes.update(events=[str(e) for e in event] if isinstance(event, list) else [str(event)],
                              prefix=prefix, suffix=suffix, existing=existing)
            if not existing and isinstance(bucket, str) and "${" not in bucket:
                attributes["logical_id"] = "S3Bucket" + alphanumeric_name(str(bucket))
        elif event_type == "sqs":
            target = self.reference(settings.get("arn") if settings else config)
            for key in ("batchSize", "maximumBatchingWindow", "functionResponseType", "filterPatterns", "enabled"):
                if key in settings:
                    attributes[key] = plain_value(settings[key])
            attributes.update(_filter_patterns(settings))
        elif event_type == "sns":
            source = (settings.get("arn") or settings.get("topicName")) if settings else config
            target = self.reference(source)
            name = settings.get("topicName") if settings else (config if isinstance(config, str) else None)
            if isinstance(name, str) and "${" not in name and not name.startswith("arn:") and "arn" not in settings:
                attributes["logical_id"] = "SNSTopic" + alphanumeric_name(name)
            if "filterPolicy" in settings:
                attributes["filter_policy"] = plain_value(settings["filterPolicy"])
        elif event_type == "stream":
            source = settings.get("arn") if settings else config
            target = self.reference(source)
            kind = _stream_kind(settings.get("type") if settings else None, source)
            for key in ("batchSize", "startingPosition", "filterPatterns", "enabled"):
                if key in settings:
                    attributes[key] = plain_value(settings[key])
            attributes.update(_filter_patterns(settings))
        elif event_type in ("eventBridge", "cloudwatchEvent"):
            pattern = settings.get("pattern") if event_type == "eventBridge" else settings.get("event")
            attributes["pattern"] = plain_value(pattern) if isinstance(pattern, dict) else {}
            bus = settings.get("eventBus")
            attributes["bus"] = text_of(bus) if bus is not None else "default"
            target = self.reference(bus) if bus is not None else ResourceRef("name", "default")
            if "schedule" in settings:
                kind = "schedule"
                attributes["schedule"] = plain_value(settings["schedule"])
        elif event_type in ("http", "httpApi"):
            if isinstance(config, str):
                method, _, path = config.partition(" ")
                attributes.update(method=method, path=path or method)
            else:
                attributes.update(method=plain_value(settings.get("method")), path=plain_value(settings.get("path")))
        elif event_type == "schedule":
            attributes["schedule"] = plain_value(settings.get("rate") if settings else config)
        return Trigger(kind=kind, location=location, target=target, attributes=attributes)


def _filter_patterns(settings: dict[str, Any]) -> dict[str, Any]:
    """`filterPatterns: [{eventName: [INSERT]}]` as the trigger's `filter_patterns`, the attribute
    every format gives the loop check (one pattern per filter; None for one that is not a mapping,
    a variable the file does not resolve), with the line they are declared on."""
    if "filterPatterns" not in settings:
        return {}
    declared = settings["filterPatterns"]
    patterns = [plain_value(entry) if isinstance(entry, dict) else None
                for entry in (declared if isinstance(declared, list) else [None])]
    attributes: dict[str, Any] = {"filter_patterns": patterns or [None]}
    if isinstance(settings, LocatedMap) and settings.line_of("filterPatterns"):
        attributes["filter_line"] = settings.line_of("filterPatterns")
    return attributes


def _stream_kind(declared: Any, source: Any) -> str:
    if isinstance(declared, str) and declared.lower() in ("dynamodb", "kinesis"):
        return declared.lower()
    if isinstance(source, str):
        if ":dynamodb:" in source:
            return "dynamodb"
        if ":kinesis:" in source:
            return "kinesis"
    if isinstance(source, dict) and len(source) == 1:
        (function, argument), = source.items()
        attribute = argument[1] if isinstance(argument, list) and len(argument) > 1 else \
            (argument.split(".", 1)[1] if isinstance(argument, str) and "." in argument else "")
        if function == "Fn::GetAtt" and attribute in ("StreamArn", "LatestStreamArn"):
            return "dynamodb"  # only DynamoDB tables have a StreamArn attribute
    return "other"
