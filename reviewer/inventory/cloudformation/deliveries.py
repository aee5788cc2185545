"""Resources of a template that pass their events on to a queue or topic (see `Delivery`).

Two shapes: a bucket whose `NotificationConfiguration` has `QueueConfigurations` or
`TopicConfigurations`, and a topic with an `sqs` subscription (an `AWS::SNS::Subscription`, or
the topic's own `Subscription` list). The same reading serves SAM and CloudFormation templates,
the `resources:` of a serverless.yml and CDK's synthesized templates.
"""

from __future__ import annotations

from typing import Any, Callable

from reviewer.inventory.cloudformation.events import s3_notification_attributes
from reviewer.inventory.interface import Delivery, Target
from reviewer.model import Location

_NOTIFICATION_SECTIONS = {"QueueConfigurations": ("sqs", "Queue"), "TopicConfigurations": ("sns", "Topic")}


def template_deliveries(path: str, resources: dict[str, Any], target_of: Callable[[Any], Target]) -> list[Delivery]:
    """Every delivery the template at `path` declares: topic subscriptions first, then bucket
    notifications, each in the template's order. `target_of` reads a value of the template."""
    return [*_subscriptions(path, resources, target_of), *_notifications(path, resources, target_of)]


def _subscriptions(path: str, resources: dict[str, Any], target_of: Callable[[Any], Target]) -> list[Delivery]:
    found = []
    for logical_id, resource in resources.items():
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
            found.append(Delivery("sns", target_of(topic), "sqs", target_of(subscription.get("Endpoint")),
                                  Location(path, line)))
    return found


def _notifications(path: str, resources: dict[str, Any], target_of: Callable[[Any], Target]) -> list[Delivery]:
    found = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::S3::Bucket":
            continue
        properties = resource.get("Properties")
        notifications = properties.get("NotificationConfiguration") if isinstance(properties, dict) else None
        if not isinstance(notifications, dict):
            continue
        for section, (kind, field_name) in _NOTIFICATION_SECTIONS.items():
            items = notifications.get(section)
            if not isinstance(items, list):
                continue
            lines = getattr(items, "item_lines", [])
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                line = lines[index] if index < len(lines) else int(getattr(items, "line", 1))
                found.append(Delivery(
                    "s3", Target("logical-id", str(logical_id)), kind, target_of(item.get(field_name)),
                    Location(path, line), name=f"{section} of {logical_id}",
                    attributes=s3_notification_attributes(item.get("Event"), item.get("Filter"))))
    return found
