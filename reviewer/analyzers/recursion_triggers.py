"""Triggers the inventory does not list as such, but that invoke a function all the same.

Two shapes real projects use. An invoke permission (`AWS::Lambda::Permission`,
`aws_lambda_permission`) for `s3.amazonaws.com` or `sns.amazonaws.com` whose `SourceArn` is a
bucket or topic, while the notification itself is configured elsewhere (another stack, a custom
resource, the console): the source can invoke the function, so a write to it may loop. And a
bucket that notifies a queue or topic (`QueueConfigurations`, `TopicConfigurations`) the function
consumes: a write to the bucket reaches the function through the second service. Each becomes
an S3 (or SNS) `Trigger` the recursion analyzer judges like any other; a notification carries
`via` (the queue or topic and the line of the function's own trigger) so the loop is drawn with
every hop.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from reviewer.analyzers.recursion_targets import Resolution, TargetResolver
from reviewer.inventory.cloudformation.events import s3_notification_attributes
from reviewer.model import Function, Location, ResourceRef, Trigger

_PRINCIPAL_KINDS = {"s3.amazonaws.com": "s3", "sns.amazonaws.com": "sns"}
_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9]+)?\}$")
_TERRAFORM = re.compile(r"^\$\{\s*((?:module\.[A-Za-z0-9_-]+\.)*aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)[^}]*\}$")
_HOP_KINDS = {"QueueConfigurations": ("sqs", "Queue"), "TopicConfigurations": ("sns", "Topic")}


def permission_reference(text: str, resources: dict[str, Any]) -> ResourceRef | None:
    """The resource a permission's `SourceArn` names: `${Bucket.Arn}`, `${aws_s3_bucket.x.arn}`, an ARN."""
    text = text.strip()
    match = _PLACEHOLDER.match(text)
    if match and match.group(1) in resources:
        return ResourceRef("logical-id", match.group(1))
    match = _TERRAFORM.match(text)
    if match:
        return ResourceRef("terraform", match.group(1))
    if text.startswith("arn:") and "${" not in text and "*" not in text:
        return ResourceRef("arn", text)
    return None


def derived_triggers(function: Function, resolver: TargetResolver,
                     resolve: Callable[[Function, Trigger], Resolution]) -> list[Trigger]:
    """The permission and second-service triggers of `function` that its own triggers do not already cover."""
    found: list[Trigger] = []
    resources = resolver.resources(function.location.path)
    for permission in function.permissions:
        kind = _PRINCIPAL_KINDS.get((permission.principal or "").strip().lower())
        if kind is None or not permission.source_arn:
            continue
        reference = permission_reference(permission.source_arn, resources)
        if reference is None:
            continue
        trigger = Trigger(kind, permission.location, reference, {
            "name": f"invoke permission for {permission.principal}", "type": "Permission",
            "events": [], "prefix": "", "suffix": "", "from_permission": True})
        source = resolve(function, trigger)
        if not source.resolved:
            continue
        if any(existing.kind == kind and resolve(function, existing).meets(source) for existing in function.triggers):
            continue
        found.append(trigger)
    for trigger in list(function.triggers):
        if trigger.kind in ("sqs", "sns"):
            found.extend(_through(function, trigger, resolver, resolve))
    return found


def _through(function: Function, trigger: Trigger, resolver: TargetResolver,
             resolve: Callable[[Function, Trigger], Resolution]) -> list[Trigger]:
    """Buckets whose notifications go to the queue or topic `trigger` listens to."""
    path = function.location.path
    consumed = resolve(function, trigger)
    if not consumed.resolved:
        return []
    found = []
    if trigger.kind == "sqs":
        found.extend(_topics_into(function, trigger, consumed, resolver))
    for logical_id, section, item, line in _bucket_notifications(resolver, path):
        kind, field_name = _HOP_KINDS[section]
        if kind != trigger.kind or not resolver.intrinsic(item.get(field_name), function).meets(consumed):
            continue
        attributes = s3_notification_attributes(item.get("Event"), item.get("Filter"))
        found.append(Trigger("s3", Location(path, line), ResourceRef("logical-id", logical_id), {
            **attributes, "name": f"{section} of {logical_id}", "type": "S3",
            "via": (kind, consumed.label or str(trigger.target), trigger.location)}))
    return found


def _topics_into(function: Function, trigger: Trigger, queue: Resolution, resolver: TargetResolver) -> list[Trigger]:
    """Topics with an `sqs` subscription to the queue the function consumes (SNS fan-out): a
    publish to the topic reaches the function through the queue."""
    path = function.location.path
    found = []
    for logical_id, resource in resolver.resources(path).items():
        if not isinstance(resource, dict):
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        if resource.get("Type") == "AWS::SNS::Subscription":
            subscriptions = [(properties, properties.get("TopicArn"), int(getattr(properties, "line", 1)))]
        elif resource.get("Type") == "AWS::SNS::Topic" and isinstance(properties.get("Subscription"), list):
            items = properties["Subscription"]
            lines = getattr(items, "item_lines", [])
            subscriptions = [(item, {"Ref": logical_id}, lines[index] if index < len(lines) else 1)
                             for index, item in enumerate(items) if isinstance(item, dict)]
        else:
            continue
        for subscription, topic, line in subscriptions:
            if str(subscription.get("Protocol", "")).lower() != "sqs":
                continue
            if not resolver.intrinsic(subscription.get("Endpoint"), function).meets(queue):
                continue
            topic_resolution = resolver.intrinsic(topic, function)
            if not topic_resolution.resolved:
                continue
            reference = ResourceRef("logical-id", topic_resolution.label)
            found.append(Trigger("sns", Location(path, line), reference, {
                "name": f"sqs subscription of {topic_resolution.label}", "type": "SNS",
                "via": ("sqs", queue.label or str(trigger.target), trigger.location)}))
    return found


def _bucket_notifications(resolver: TargetResolver, path: str) -> list[tuple[str, str, dict, int]]:
    """(bucket, section, configuration, line) of every queue or topic notification in a
    template, listed once per template however many functions ask."""
    cache = resolver.notifications
    if path in cache:
        return cache[path]
    found: list[tuple[str, str, dict, int]] = []
    for logical_id, resource in resolver.resources(path).items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::S3::Bucket":
            continue
        properties = resource.get("Properties")
        notifications = properties.get("NotificationConfiguration") if isinstance(properties, dict) else None
        if not isinstance(notifications, dict):
            continue
        for section in _HOP_KINDS:
            items = notifications.get(section)
            if not isinstance(items, list):
                continue
            lines = getattr(items, "item_lines", [])
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    line = lines[index] if index < len(lines) else int(getattr(items, "line", 1))
                    found.append((str(logical_id), section, item, line))
    cache[path] = found
    return found
