"""The services a Terraform configuration points at a function by its ARN, on the service's side:
Cognito user pool triggers, Application Load Balancer target groups, IoT topic rules and
CloudWatch Logs subscription filters.

Each names the function in its own resource, and the `aws_lambda_permission` that lets it invoke
(when there is one: the registry modules of user pools and load balancers grant it themselves) says
only a principal. Without this reading such a function counts as one the account invokes
(`analyzers/untrusted_writers.py`), and a load balancer's function as one no HTTP request reaches
(`analyzers/untrusted_pages.py`), while a user's sign-up attributes, a request, a device's message
or log lines are what its event carries. Read from:

- `aws_cognito_user_pool`'s `lambda_config { pre_sign_up = ..., custom_message = ... }` and its
  `custom_email_sender`, `custom_sms_sender` and `pre_token_generation_config` blocks' `lambda_arn`,
  and a call of the lgallard/cognito-user-pool registry module: its `lambda_config` map and its
  flat `lambda_config_<trigger>` inputs;
- `aws_lb_target_group_attachment` (`aws_alb_...`) whose `target_id` is a function, and a call of
  terraform-aws-modules' alb module whose `target_groups` entry of `target_type = "lambda"` names
  one (`target_id`, or the `targets` of older versions);
- `aws_iot_topic_rule`'s `lambda { function_arn }` actions (its `error_action`'s too);
- `aws_cloudwatch_log_subscription_filter` whose `destination_arn` is a function;
- the `lambda_notifications` of a call of terraform-aws-modules' s3-bucket `notification`
  submodule (which grants the permission itself): an `s3` trigger, as the
  `aws_s3_bucket_notification` resource's `lambda_function` blocks are.

Each is an `other` trigger typed as SAM spells the same source (`Cognito`, `IoTRule`,
`CloudWatchLogs`) or as the CDK reader spells a load balancer's (`ALB`), so every analyzer reads
them as it reads the other formats'.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.terraform.count import iterations
from reviewer.inventory.terraform.deliveries import is_notification_module
from reviewer.inventory.terraform.hcl import Block
from reviewer.inventory.terraform.links import ResourceLinks
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.values import Reference, Scope, Structure, Value
from reviewer.located import key_line
from reviewer.model import Location, ResourceRef, Trigger

# The user pool's trigger settings that hold a function ARN (`kms_key_id` does not).
COGNITO_TRIGGERS = ("create_auth_challenge", "custom_message", "define_auth_challenge", "post_authentication",
                    "post_confirmation", "pre_authentication", "pre_sign_up", "pre_token_generation",
                    "user_migration", "verify_auth_challenge_response")
# Its nested settings whose `lambda_arn` names a function.
COGNITO_NESTED = ("custom_email_sender", "custom_sms_sender", "pre_token_generation_config")
COGNITO = "Cognito"
ALB = "ALB"
IOT_RULE = "IoTRule"
LOG_SUBSCRIPTION = "CloudWatchLogs"
MAX_ENTRIES = 100      # target groups of one load balancer, targets of one group: more is no real one's
_COGNITO_MODULES = ("lgallard/cognito-user-pool/aws", "lgallard/terraform-aws-cognito-user-pool")
_ALB_MODULES = ("terraform-aws-modules/alb/aws", "terraform-aws-modules/terraform-aws-alb")


def _is_module(source: str, names: tuple[str, ...]) -> bool:
    """A registry or GitHub source of one of the modules `names` (any version, any host prefix)."""
    text = source.strip().lower().partition("?")[0]
    return any(name in text for name in names)


def _entry(value: Value, key: str) -> tuple[Any, Scope] | None:
    """The raw `key` entry of an object value and the scope it is evaluated in, or None."""
    if isinstance(value, Structure) and isinstance(value.value, dict) and key in value.value:
        return value.value[key], value.scope
    return None


class ServiceLinks(ResourceLinks):
    """Attaches the triggers of the services above to the functions they name."""

    def _link(self, instance: Instance) -> None:
        super()._link(instance)
        for name, block in instance.module.modules.items():
            source = block.get("source")
            if not isinstance(source, str):
                continue
            if _is_module(source, _COGNITO_MODULES):
                read = self._cognito_module
            elif _is_module(source, _ALB_MODULES):
                read = self._alb_module
            elif is_notification_module(source):
                read = self._lambda_notifications
            else:
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                read(instance.address(f"module.{name}") + iteration.suffix, block,
                     Scope(instance, block.path, iteration))

    def _invoker(self, value: Any, scope: Scope, location: Location, target: ResourceRef | None,
                 attributes: dict[str, Any]) -> None:
        """An `other` trigger on the function `value` names (nothing when it names none of the functions read)."""
        function, _ = self._function_for(value, scope)
        if function is not None:
            function.triggers.append(Trigger("other", location, target, attributes))

    # -- Cognito ---------------------------------------------------------------------------------

    def _link_aws_cognito_user_pool(self, address: str, block: Block, scope: Scope) -> None:
        for config in block.blocks_named("lambda_config"):
            inner = scope.at(config.path)
            for operation in COGNITO_TRIGGERS:
                if operation in config.attributes:
                    self._invoker(config.attributes[operation], inner, Location(config.path, config.line_of(operation)),
                                  None, {"name": f"{address} lambda_config.{operation}", "type": COGNITO})
            for nested_name in COGNITO_NESTED:
                for nested in config.blocks_named(nested_name):
                    self._invoker(nested.get("lambda_arn"), scope.at(nested.path), Location(nested.path, nested.line),
                                  None, {"name": f"{address} lambda_config.{nested_name}", "type": COGNITO})

    def _cognito_module(self, address: str, block: Block, scope: Scope) -> None:
        """`lambda_config = { pre_sign_up = ..., custom_email_sender = { lambda_arn = ... } }` and the
        flat `lambda_config_pre_sign_up = ...` inputs of the lgallard/cognito-user-pool module."""
        for operation in (*COGNITO_TRIGGERS, *COGNITO_NESTED):
            key = f"lambda_config_{operation}"
            if key in block.attributes:
                found = self._arn_of(operation, block.attributes[key], scope)
                if found is not None:
                    self._invoker(*found, Location(block.path, block.line_of(key)), None,
                                  {"name": f"{address} {key}", "type": COGNITO})
        if "lambda_config" not in block.attributes:
            return
        config = self.evaluator.evaluate(block.attributes["lambda_config"], scope)
        if not isinstance(config, Structure) or not isinstance(config.value, dict):
            return
        entries: dict[str, Any] = config.value
        for operation in (*COGNITO_TRIGGERS, *COGNITO_NESTED):
            if operation not in entries:
                continue
            found = self._arn_of(operation, entries[operation], config.scope)
            if found is not None:
                self._invoker(*found, Location(config.scope.path, key_line(entries, operation, block.line)),
                              None, {"name": f"{address} lambda_config.{operation}", "type": COGNITO})

    def _arn_of(self, operation: str, value: Any, scope: Scope) -> tuple[Any, Scope] | None:
        """Where a trigger's function ARN is written: the value itself, or the `lambda_arn` of a
        nested setting's object (`custom_email_sender = { lambda_arn = ... }`)."""
        return (value, scope) if operation not in COGNITO_NESTED else \
            _entry(self.evaluator.evaluate(value, scope), "lambda_arn")

    # -- load balancers --------------------------------------------------------------------------

    def _link_aws_lb_target_group_attachment(self, address: str, block: Block, scope: Scope) -> None:
        group = self.evaluator.evaluate(block.get("target_group_arn"), scope)
        target = group.ref if isinstance(group, Reference) else None
        self._invoker(block.get("target_id"), scope, Location(block.path, block.line), target,
                      {"name": address, "type": ALB})

    _link_aws_alb_target_group_attachment = _link_aws_lb_target_group_attachment

    def _alb_module(self, address: str, block: Block, scope: Scope) -> None:
        """The `target_groups` of terraform-aws-modules/alb whose `target_type` is `lambda`: a map of
        groups naming one `target_id` (v9), or a list of groups with a `targets` map (before)."""
        if "target_groups" not in block.attributes:
            return
        groups = self.evaluator.evaluate(block.attributes["target_groups"], scope)
        if not isinstance(groups, Structure):
            return
        listed: Any = groups.value
        keys: list[Any] = list(listed) if isinstance(listed, dict) else \
            list(range(len(listed))) if isinstance(listed, list) else []
        for key in keys[:MAX_ENTRIES]:
            group = self.evaluator.evaluate(listed[key], groups.scope)
            if not isinstance(group, Structure) or not isinstance(group.value, dict):
                continue
            settings: dict[str, Any] = group.value
            if (self.evaluator.literal_text(settings.get("target_type"), group.scope) or "").lower() != "lambda":
                continue
            line = key_line(listed, key, block.line) if isinstance(listed, dict) else block.line_of("target_groups")
            name = f"{address} target_groups[{key!r}]" if isinstance(key, str) else f"{address} target_groups[{key}]"
            attributes = {"name": name, "type": ALB}
            if "target_id" in settings:
                self._invoker(settings["target_id"], group.scope, Location(group.scope.path, line), None, attributes)
            targets = self.evaluator.evaluate(settings["targets"], group.scope) if "targets" in settings else None
            if isinstance(targets, Structure) and isinstance(targets.value, (dict, list)):
                items = list(targets.value.values() if isinstance(targets.value, dict) else targets.value)
                for item in items[:MAX_ENTRIES]:
                    found = _entry(self.evaluator.evaluate(item, targets.scope), "target_id")
                    if found is not None:
                        self._invoker(*found, Location(group.scope.path, line), None, attributes)

    # -- IoT and CloudWatch Logs -----------------------------------------------------------------

    def _link_aws_iot_topic_rule(self, address: str, block: Block, scope: Scope) -> None:
        actions = list(block.blocks_named("lambda"))
        for error_action in block.blocks_named("error_action"):
            actions.extend(error_action.blocks_named("lambda"))
        for action in actions:
            self._invoker(action.get("function_arn"), scope.at(action.path), Location(action.path, action.line),
                          ResourceRef("terraform", address), {"name": address, "type": IOT_RULE})

    def _link_aws_cloudwatch_log_subscription_filter(self, address: str, block: Block, scope: Scope) -> None:
        group = self.evaluator.evaluate(block.get("log_group_name"), scope)
        target = group.ref if isinstance(group, Reference) else None
        self._invoker(block.get("destination_arn"), scope, Location(block.path, block.line), target,
                      {"name": address, "type": LOG_SUBSCRIPTION})

    # -- S3 notifications ------------------------------------------------------------------------

    def _lambda_notifications(self, address: str, block: Block, scope: Scope) -> None:
        """`lambda_notifications = { key = { function_arn = ..., events = [...], filter_prefix = ... } }`
        of the s3-bucket notification submodule: each entry an S3 trigger at the line of its key."""
        if "lambda_notifications" not in block.attributes \
                or self.evaluator.truthy(block.get("create", True), scope) is False:
            return
        listed = self.evaluator.evaluate(block.attributes["lambda_notifications"], scope)
        if not isinstance(listed, Structure) or not isinstance(listed.value, dict):
            return
        entries: dict[str, Any] = listed.value
        target, extra = self._resource_ref(self.evaluator.evaluate(block.get("bucket"), scope))
        for key in list(entries)[:MAX_ENTRIES]:
            entry = self.evaluator.evaluate(entries[key], listed.scope)
            if not isinstance(entry, Structure) or not isinstance(entry.value, dict):
                continue
            item: dict[str, Any] = entry.value
            inner = entry.scope
            function, _ = self._function_for(item.get("function_arn", item.get("function_name")), inner)
            if function is None:
                continue
            events = self.evaluator.evaluate(item.get("events"), inner)
            attributes: dict[str, Any] = {
                "name": f"{address} lambda_notifications.{key}",
                "events": [self.evaluator.text(event, events.scope) for event in events.value]
                if isinstance(events, Structure) and isinstance(events.value, list) else [],
                "prefix": self.evaluator.text(item["filter_prefix"], inner) if "filter_prefix" in item else "",
                "suffix": self.evaluator.text(item["filter_suffix"], inner) if "filter_suffix" in item else "",
                "raw": {str(name): self.evaluator.to_plain(value, inner) for name, value in list(item.items())[:50]},
                **extra,
            }
            function.triggers.append(Trigger("s3", Location(inner.path, key_line(entries, key, block.line)),
                                             target, attributes))
