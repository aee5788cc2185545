"""Triggers the inventory does not list as such, but that invoke a function all the same.

Two shapes real projects use. An invoke permission for `s3.amazonaws.com` or `sns.amazonaws.com`
whose source is a bucket or topic, while the notification itself is configured elsewhere (another
stack, a custom resource, the console): the source can invoke the function, so a write to it may
loop. And a bucket that notifies a queue or topic the function consumes, or a topic with a
subscription for that queue: a write reaches the function through the second service. Each
becomes an S3 (or SNS) `Trigger` the recursion analyzer judges like any other; a delivery carries
`via` (the queue or topic and the line of the function's own trigger) so the loop is drawn with
every hop. The inventory resolves what each permission and delivery names (`InvokePermission.source`,
`Delivery`: a template's, or those a Terraform root lists); this module only matches them, a
Terraform address within the function's root module.
"""

from __future__ import annotations

from typing import Callable

from reviewer.analyzers.recursion_targets import Resolution, TargetResolver
from reviewer.inventory.targets import reference_scope, template_path
from reviewer.model import Function, ResourceRef, Trigger

_PRINCIPAL_KINDS = {"s3.amazonaws.com": "s3", "sns.amazonaws.com": "sns"}


def derived_triggers(function: Function, resolver: TargetResolver,
                     resolve: Callable[[Function, Trigger], Resolution]) -> list[Trigger]:
    """The permission and second-service triggers of `function` that its own triggers do not already cover."""
    found: list[Trigger] = []
    for permission in function.permissions:
        kind = _PRINCIPAL_KINDS.get(permission.service)
        if kind is None or not permission.source_arn or permission.source is None:
            continue
        trigger = Trigger(kind, permission.location, permission.source, {
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
    """Topics subscribed to the queue, and buckets notifying the queue or topic, that `trigger` listens to."""
    path = template_path(function)
    consumed = resolve(function, trigger)
    if not consumed.resolved:
        return []
    scope = reference_scope(function)
    found = []
    deliveries = resolver.deliveries_of(function)
    if trigger.kind == "sqs":
        for delivery in deliveries:
            if delivery.kind != "sns" or delivery.via_kind != "sqs" or \
                    not resolver.target(path, delivery.via, scope).meets(consumed):
                continue
            topic = resolver.target(path, delivery.source, scope)
            if not topic.resolved:
                continue
            source = ResourceRef("logical-id", topic.label) if delivery.source.kind == "logical-id" \
                else ResourceRef(delivery.source.kind, delivery.source.value)
            found.append(Trigger("sns", delivery.location, source, {
                **delivery.attributes, "name": f"sqs subscription of {topic.label}", "type": "SNS",
                "via": ("sqs", consumed.label or str(trigger.target), trigger.location)}))
    for delivery in deliveries:
        if delivery.kind != "s3" or delivery.via_kind != trigger.kind or \
                not resolver.target(path, delivery.via, scope).meets(consumed):
            continue
        found.append(Trigger("s3", delivery.location, ResourceRef(delivery.source.kind, delivery.source.value), {
            **delivery.attributes, "name": delivery.name or f"notification of {delivery.source.value}", "type": "S3",
            "via": (delivery.via_kind, consumed.label or str(trigger.target), trigger.location)}))
    return found
