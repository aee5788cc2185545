"""What Terraform resources pass on to a queue or topic (see `Delivery`).

Three shapes real configurations use: the `queue` and `topic` blocks of an
`aws_s3_bucket_notification`, the `sqs_notifications` and `sns_notifications` of a call of
terraform-aws-modules' s3-bucket `notification` submodule, and an `aws_sns_topic_subscription`
with protocol `sqs`. A write to the bucket or topic reaches a function that consumes the queue
(or topic) through the second service, so the recursion check follows them as a loop's first hop.

An address names a resource of one root module, so the deliveries are listed per root
(`InventoryResult.deliveries[root directory]`), each naming its source and its queue or topic
format-free: `Target("terraform", address)`, a literal name, or why it cannot be followed. The S3
ones carry the notification's event filters (`events`, `prefix`, `suffix`, the filter's line) as
the SAM/CloudFormation reading does, so a guard on the written key is judged the same way.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.interface import Delivery, Target
from reviewer.inventory.terraform.base import PHYSICAL_NAME, ReaderBase
from reviewer.inventory.terraform.count import iterations
from reviewer.inventory.terraform.dynamic_blocks import nested_blocks
from reviewer.inventory.terraform.hcl import Block
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.values import Literal, Reference, Scope, Structure, Unknown, Value, display
from reviewer.located import key_line
from reviewer.model import Location

# The notification submodule of terraform-aws-modules/s3-bucket, as registry or git source.
_NOTIFICATION_MODULE_SOURCES = (
    "terraform-aws-modules/s3-bucket/aws//modules/notification",
    "registry.terraform.io/terraform-aws-modules/s3-bucket/aws//modules/notification",
    "github.com/terraform-aws-modules/terraform-aws-s3-bucket//modules/notification",
)
# Where each kind of delivery names its queue or topic: (via kind, block of the resource,
# map of the module, attribute of either).
_NOTIFICATION_TARGETS = (("sqs", "queue", "sqs_notifications", "queue_arn"),
                         ("sns", "topic", "sns_notifications", "topic_arn"))


def is_notification_module(source: str) -> bool:
    """The terraform-aws-modules s3-bucket `notification` submodule (registry or git, any version)."""
    text = source.strip().lower()
    for prefix in ("git::", "https://", "http://", "git@"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = text.replace("github.com:", "github.com/").partition("?")[0].rstrip("/")
    base, _, submodule = text.partition("//")
    return f"{base.removesuffix('.git')}//{submodule}" in _NOTIFICATION_MODULE_SOURCES


class ResourceDeliveries(ReaderBase):
    """Lists, per root module, the notifications and subscriptions that deliver to a queue or topic."""

    def _read_deliveries(self, instance: Instance) -> None:
        found: list[Delivery] = []
        for (type_, name), block in instance.module.resources.items():
            if type_ not in ("aws_s3_bucket_notification", "aws_sns_topic_subscription"):
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                scope = Scope(instance, block.path, iteration)
                address = instance.address(f"{type_}.{name}") + iteration.suffix
                if type_ == "aws_s3_bucket_notification":
                    found.extend(self._notification_blocks(address, block, scope))
                else:
                    found.extend(self._sqs_subscription(address, block, scope))
        for name, block in instance.module.modules.items():
            source = block.get("source")
            if not isinstance(source, str) or not is_notification_module(source):
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                scope = Scope(instance, block.path, iteration)
                if self.evaluator.truthy(block.get("create", True), scope) is False:
                    continue
                found.extend(self._notification_module(instance.address(f"module.{name}") + iteration.suffix,
                                                       block, scope))
        if found:
            self.result.deliveries.setdefault(instance.root_directory, []).extend(found)

    def _notification_blocks(self, address: str, block: Block, scope: Scope) -> list[Delivery]:
        """`queue { queue_arn = ... }` and `topic { topic_arn = ... }` of an aws_s3_bucket_notification."""
        source = self._target(self.evaluator.evaluate(block.get("bucket"), scope))
        found = []
        for via_kind, block_name, _, attribute in _NOTIFICATION_TARGETS:
            for entry, inner in nested_blocks(self.evaluator, block, block_name, scope):
                attributes = self._filters(entry.attributes, inner, entry.line)
                self._physical_name(source, block.get("bucket"), scope, attributes)
                found.append(Delivery("s3", source, via_kind,
                                      self._target(self.evaluator.evaluate(entry.get(attribute), inner)),
                                      Location(entry.path, entry.line), name=f"{block_name} of {address}",
                                      attributes=attributes))
        return found

    def _notification_module(self, address: str, block: Block, scope: Scope) -> list[Delivery]:
        """`sqs_notifications = { key = { queue_arn = ..., events = [...] } }` (and `sns_notifications`)
        of a call of the s3-bucket notification submodule; each at the line of its key."""
        source = self._target(self.evaluator.evaluate(block.get("bucket"), scope))
        found = []
        for via_kind, _, map_name, attribute in _NOTIFICATION_TARGETS:
            if map_name not in block.attributes:
                continue
            listed = self.evaluator.evaluate(block.attributes[map_name], scope)
            if not isinstance(listed, Structure) or not isinstance(listed.value, dict):
                continue
            entries: dict[str, Any] = listed.value
            for key, raw in entries.items():
                entry = self.evaluator.evaluate(raw, listed.scope)
                if not isinstance(entry, Structure) or not isinstance(entry.value, dict):
                    continue
                item: dict[str, Any] = entry.value
                line = key_line(entries, key, block.line)
                attributes = self._filters(item, entry.scope, line)
                self._physical_name(source, block.get("bucket"), scope, attributes)
                found.append(Delivery("s3", source, via_kind,
                                      self._target(self.evaluator.evaluate(item.get(attribute), entry.scope)),
                                      Location(entry.scope.path, line), name=f"{map_name}.{key} of {address}",
                                      attributes=attributes))
        return found

    def _sqs_subscription(self, address: str, block: Block, scope: Scope) -> list[Delivery]:
        """An aws_sns_topic_subscription with protocol `sqs`: the topic fans out to the queue."""
        if (self.evaluator.literal_text(block.get("protocol"), scope) or "").lower() != "sqs":
            return []
        source = self._target(self.evaluator.evaluate(block.get("topic_arn"), scope))
        attributes: dict[str, Any] = {}
        self._physical_name(source, block.get("topic_arn"), scope, attributes)
        return [Delivery("sns", source, "sqs", self._target(self.evaluator.evaluate(block.get("endpoint"), scope)),
                         Location(block.path, block.line), name=address, attributes=attributes)]

    def _filters(self, values: Any, scope: Scope, line: int) -> dict[str, Any]:
        """`events`, `filter_prefix`, `filter_suffix` in the shape of an S3 trigger's attributes:
        a filter that does not resolve to text is marked unresolved (it guards nothing provable).
        `line` is the entry's, for a filter whose own line is not known."""
        events = self.evaluator.evaluate(values.get("events"), scope) if "events" in values else None
        event_list = [text for item in events.value if (text := self.evaluator.literal_text(item, events.scope))] \
            if isinstance(events, Structure) and isinstance(events.value, list) else []
        attributes: dict[str, Any] = {"events": event_list, "prefix": "", "suffix": ""}
        for name in ("prefix", "suffix"):
            key = f"filter_{name}"
            if key not in values:
                continue
            text = self.evaluator.literal_text(values[key], scope)
            if text is None:
                attributes[f"{name}_unresolved"] = True
            else:
                attributes[name] = text
            attributes.setdefault("filter_line", key_line(values, key, line))
        return attributes

    def _target(self, value: Value) -> Target:
        """What a bucket, queue or topic value names: an address of the root, a literal name or
        ARN, or why it cannot be followed."""
        if isinstance(value, Reference):
            return Target("terraform", value.ref.value)
        if isinstance(value, Literal) and isinstance(value.value, str) and value.value:
            return Target("name", value.value)
        reason = value.reason if isinstance(value, Unknown) else f"the value {display(value)}"
        return Target("unresolved", reason)

    def _physical_name(self, source: Target, value: Any, scope: Scope, attributes: dict[str, Any]) -> None:
        """The bucket's or topic's literal name (`bucket = "uploads"` on the aws_s3_bucket), so a
        handler writing to that name is matched too."""
        result = self.evaluator.evaluate(value, scope)
        if source.kind != "terraform" or not isinstance(result, Reference):
            return
        found = self._block(result)
        key = PHYSICAL_NAME.get(result.resource_type)
        if found is None or key is None:
            return
        named, instance = found
        name = self.evaluator.literal_text(named.get(key), Scope(instance, named.path))
        if name is not None:
            attributes["target_name"] = name
