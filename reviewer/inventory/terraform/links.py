"""What other Terraform resources say about a function: event source mappings, notifications, subscriptions,
rules, schedules, APIs, AppSync data sources, CloudFront edge associations, permissions, URLs, recursion and
runtime-management configs.
"""

from __future__ import annotations

import json
from typing import Any

from reviewer.inventory.terraform.base import (
    ARN_SERVICE_KINDS,
    EVENT_SOURCE_KINDS,
    MAX_JSON_BYTES,
    PHYSICAL_NAME,
    ReaderBase,
    unresolved_reason,
)
from reviewer.inventory.terraform.count import iterations
from reviewer.inventory.terraform.dynamic_blocks import nested_blocks
from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.values import (
    JsonDocument,
    Literal,
    Reference,
    Scope,
    Structure,
    Unknown,
    Value,
    display,
)
from reviewer.inventory.terraform.reference import permission_source
from reviewer.inventory.terraform.routes import RootBlocks, integration_routes
from reviewer.located import LocatedMap, key_line
from reviewer.model import (
    Function,
    FunctionUrl,
    InvokePermission,
    Location,
    ResourceRef,
    Trigger,
)


class ResourceLinks(ReaderBase):
    """Reads the resources that point at a function and attaches what they say to it."""

    def _link(self, instance: Instance) -> None:
        for (type_, name), block in instance.module.resources.items():
            link = getattr(self, f"_link_{type_}", None)
            if link is None:
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                link(instance.address(f"{type_}.{name}") + iteration.suffix, block,
                     Scope(instance, block.path, iteration))

    def _function_for(self, value: Any, scope: Scope, depth: int = 0) -> tuple[Function | None, str | None]:
        """The function a `function_name`/`arn`/`endpoint` value names, and the qualifier if any."""
        result = self.evaluator.evaluate(value, scope)
        root = scope.instance.root_directory
        if isinstance(result, Reference):
            if result.resource_type in ("aws_lambda_function", "module"):
                return self._function_instance(result), None
            found = self._block(result)
            if result.resource_type == "aws_lambda_alias" and depth < 3 and found is not None:
                block, instance = found
                inner = Scope(instance, block.path)
                function, _ = self._function_for(block.get("function_name"), inner, depth + 1)
                return function, self.evaluator.literal_text(block.get("name"), inner)
            return None, None
        if isinstance(result, Literal) and isinstance(result.value, str):
            name, qualifier = result.value, None
            if name.startswith("arn:"):
                parts = name.split(":")
                if len(parts) >= 7 and parts[5] == "function":
                    name, qualifier = parts[6], (parts[7] if len(parts) > 7 else None)
            return self.by_name.get((root, name)) or self.by_name.get(("*", name)), qualifier
        if depth < 3 and isinstance(value, Expression) and value.kind == "reference" and not value.args:
            return self._function_written_as(value, scope, depth), None
        return None, None

    def _function_written_as(self, value: Expression, scope: Scope, depth: int) -> Function | None:
        """The function whose name is written as `value` where the value cannot be evaluated: a
        `local.`/`var.` reference that is, word for word, the `function_name` of exactly one
        `aws_lambda_function` of the same module instance (`function_name = local.function_name`
        on the function and on its permission), or a module output whose value is such a reference
        in the called module (`module.gate.function_name`, output `value = local.function_name`)."""
        parts = value.name.split(".")
        instance = scope.instance
        if parts[0] == "module" and len(parts) >= 3:
            child = instance.children.get(parts[1])
            output = child.module.outputs.get(parts[2]) if child is not None else None
            if child is None or output is None or "value" not in output.attributes:
                return None
            function, _ = self._function_for(output.attributes["value"], Scope(child, output.path), depth + 1)
            return function
        if parts[0] not in ("local", "var"):
            return None
        named = [name for name, block in instance.module.resources_of("aws_lambda_function")
                 if isinstance(block.get("function_name"), Expression) and str(block.get("function_name")) == str(value)]
        if len(named) != 1:
            return None
        group = self.function_groups.get((instance.root_directory, instance.address(f"aws_lambda_function.{named[0]}")), [])
        return group[0] if len(group) == 1 else None

    def _function_instance(self, reference: Reference) -> Function | None:
        """The function a reference names: the one instance, or the one its key selects."""
        root = reference.scope.instance.root_directory if reference.scope is not None else ""
        group = self.function_groups.get((root, reference.ref.value), [])
        if len(group) == 1:
            return group[0]
        if reference.index is not None:
            wanted = reference.ref.value + reference.index
            return next((fn for fn in group if fn.properties.get("address") == wanted), None)
        return None

    def _link_aws_lambda_event_source_mapping(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is not None:
            function.triggers.append(self._event_source_trigger(
                block.attributes, scope, Location(block.path, block.line), address, block))

    def _event_source_trigger(self, attrs: dict[str, Any], scope: Scope, location: Location, name: str,
                              block: Block | None = None) -> Trigger:
        """An event source mapping (resource or module entry) → sqs/kinesis/dynamodb/other trigger."""
        source = self.evaluator.evaluate(attrs.get("event_source_arn"), scope) if "event_source_arn" in attrs \
            else Unknown("no event_source_arn", "")
        attributes: dict[str, Any] = {"name": name}
        kind: str | None = None
        if isinstance(source, Reference):
            kind = EVENT_SOURCE_KINDS.get(source.resource_type)
            target = source.ref
            self._target_name(source, attributes)
        elif isinstance(source, Literal) and isinstance(source.value, str):
            parts = source.value.split(":")
            kind = ARN_SERVICE_KINDS.get(parts[2], "other") if len(parts) > 2 else "other"
            target = ResourceRef("arn" if source.value.startswith("arn:") else "name", source.value)
        else:
            target = ResourceRef("unresolved", display(source))
        if kind is None:
            kind = "other"
            if not any(key in attrs for key in ("starting_position", "topics", "queues", "self_managed_event_source",
                                                "amazon_managed_kafka_event_source_config")):
                kind = "sqs"  # every other event source requires starting_position, topics or queues
                attributes["kind_inferred"] = "no starting_position, topics or queues: only SQS omits them"
        for key in ("batch_size", "starting_position", "enabled", "maximum_batching_window_in_seconds"):
            if key in attrs:
                attributes[key] = self.evaluator.to_plain(attrs[key], scope)
        patterns = self._filter_patterns(attrs, block, scope)
        if patterns:
            attributes["filter_patterns"] = patterns
            criteria = block.blocks_named("filter_criteria") if block is not None else []
            if criteria:
                attributes["filter_line"] = criteria[0].line
        attributes["raw"] = {str(key): self.evaluator.to_plain(value, scope) for key, value in list(attrs.items())[:50]}
        return Trigger(kind=kind, location=location, target=target, attributes=attributes)

    def _filter_patterns(self, attrs: dict[str, Any], block: Block | None, scope: Scope) -> list[Any]:
        """filter_criteria { filter { pattern = jsonencode(...) } } (resource) or the module's map form."""
        patterns: list[Any] = []
        if block is not None:
            for criteria in block.blocks_named("filter_criteria"):
                for entry in criteria.blocks_named("filter"):
                    if "pattern" in entry.attributes:
                        patterns.append(self._json_value(entry.attributes["pattern"], scope.at(entry.path)))
        elif "filter_criteria" in attrs:
            evaluated = self.evaluator.evaluate(attrs["filter_criteria"], scope)
            if isinstance(evaluated, Structure) and isinstance(evaluated.value, dict) and "pattern" in evaluated.value:
                patterns.append(self._json_value(evaluated.value["pattern"], evaluated.scope))
        return patterns

    def _json_value(self, value: Any, scope: Scope) -> Any:
        """jsonencode(...) or JSON text as a plain Python value; None when it cannot be read."""
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, JsonDocument):
            return self.evaluator.to_plain(result.value, result.scope)
        if isinstance(result, Literal) and isinstance(result.value, str) and len(result.value) <= MAX_JSON_BYTES:
            try:
                return json.loads(result.value)
            except ValueError:
                return None
        return None

    def _target_name(self, reference: Reference, attributes: dict[str, Any]) -> None:
        """The physical name of the referenced resource, when it is written as a literal."""
        key = PHYSICAL_NAME.get(reference.resource_type)
        found = self._block(reference)
        if key is None or found is None:
            return
        block, instance = found
        name = self.evaluator.literal_text(block.get(key), Scope(instance, block.path))
        if name is not None:
            attributes["target_name"] = name

    def _link_aws_s3_bucket_notification(self, address: str, block: Block, scope: Scope) -> None:
        bucket = self.evaluator.evaluate(block.get("bucket"), scope)
        target, extra = self._resource_ref(bucket)
        for entry, inner in nested_blocks(self.evaluator, block, "lambda_function", scope):
            function, _ = self._function_for(entry.get("lambda_function_arn"), inner)
            if function is None:
                continue
            events = self.evaluator.evaluate(entry.get("events"), inner)
            event_list = ([self.evaluator.text(item, events.scope) for item in events.value]
                          if isinstance(events, Structure) and isinstance(events.value, list) else [])
            attributes: dict[str, Any] = {
                "name": address, "events": event_list,
                "prefix": self.evaluator.text(entry.get("filter_prefix"), inner) if "filter_prefix" in entry.attributes else "",
                "suffix": self.evaluator.text(entry.get("filter_suffix"), inner) if "filter_suffix" in entry.attributes else "",
                "raw": {str(k): self.evaluator.to_plain(v, inner) for k, v in entry.attributes.items()},
                **extra,
            }
            function.triggers.append(Trigger("s3", Location(entry.path, entry.line), target, attributes))

    def _resource_ref(self, result: Value) -> tuple[ResourceRef, dict[str, Any]]:
        extra: dict[str, Any] = {}
        if isinstance(result, Reference):
            self._target_name(result, extra)
            return result.ref, extra
        if isinstance(result, Literal) and isinstance(result.value, str):
            return ResourceRef("arn" if result.value.startswith("arn:") else "name", result.value), extra
        return ResourceRef("unresolved", display(result)), extra

    def _link_aws_sns_topic_subscription(self, address: str, block: Block, scope: Scope) -> None:
        if (self.evaluator.literal_text(block.get("protocol"), scope) or "").lower() != "lambda":
            return
        function, _ = self._function_for(block.get("endpoint"), scope)
        if function is None:
            return
        target, extra = self._resource_ref(self.evaluator.evaluate(block.get("topic_arn"), scope))
        attributes: dict[str, Any] = {"name": address, **extra}
        if "filter_policy" in block.attributes:
            attributes["filter_policy"] = self._json_value(block.attributes["filter_policy"], scope)
        attributes["raw"] = {str(k): self.evaluator.to_plain(v, scope) for k, v in block.attributes.items()}
        function.triggers.append(Trigger("sns", Location(block.path, block.line), target, attributes))

    def _link_aws_cloudwatch_event_target(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("arn"), scope)
        if function is None:
            return
        rule = self.evaluator.evaluate(block.get("rule"), scope)
        attributes: dict[str, Any] = {"name": address, "pattern": {}}
        bus_value, bus_scope = block.get("event_bus_name"), scope
        kind = "eventbridge"
        rule_found = self._block(rule) if isinstance(rule, Reference) else None
        if isinstance(rule, Reference) and rule.resource_type == "aws_cloudwatch_event_rule" \
                and rule_found is not None:
            rule_block, instance = rule_found
            rule_scope = Scope(instance, rule_block.path)
            attributes["rule"] = rule.ref.value
            if "event_pattern" in rule_block.attributes:
                pattern = self._json_value(rule_block.attributes["event_pattern"], rule_scope)
                attributes["pattern"] = pattern if isinstance(pattern, dict) else {}
                attributes["pattern_location"] = Location(rule_block.path, rule_block.line_of("event_pattern"))
                if not isinstance(pattern, dict):
                    attributes["pattern_unresolved"] = unresolved_reason(
                        self.evaluator.evaluate(rule_block.attributes["event_pattern"], rule_scope))
            if "schedule_expression" in rule_block.attributes:
                kind = "schedule"
                attributes["schedule"] = self.evaluator.text(rule_block.attributes["schedule_expression"], rule_scope)
            if bus_value is None and "event_bus_name" in rule_block.attributes:
                bus_value, bus_scope = rule_block.attributes["event_bus_name"], rule_scope
        else:
            attributes["rule"] = display(rule)
        if bus_value is None:
            target = ResourceRef("name", "default")
        else:
            target, extra = self._resource_ref(self.evaluator.evaluate(bus_value, bus_scope))
            attributes.update(extra)
        attributes["bus"] = target.value
        function.triggers.append(Trigger(kind, Location(block.path, block.line), target, attributes))

    def _link_aws_scheduler_schedule(self, address: str, block: Block, scope: Scope) -> None:
        for target_block in block.blocks_named("target"):
            function, _ = self._function_for(target_block.get("arn"), scope.at(target_block.path))
            if function is not None:
                schedule = self.evaluator.text(block.get("schedule_expression"), scope)
                function.triggers.append(Trigger("schedule", Location(block.path, block.line), None,
                                                 {"name": address, "schedule": schedule}))

    def _link_aws_appsync_datasource(self, address: str, block: Block, scope: Scope) -> None:
        """An AppSync Lambda data source: GraphQL callers write the arguments its event carries,
        and AppSync invokes through the data source's role, so no permission shows it."""
        for config in block.blocks_named("lambda_config"):
            function, _ = self._function_for(config.get("function_arn"), scope.at(config.path))
            if function is not None:
                function.triggers.append(Trigger("other", Location(config.path, config.line), None,
                                                 {"name": address, "type": "AppSync"}))

    def _link_aws_cloudfront_distribution(self, address: str, block: Block, scope: Scope) -> None:
        """The Lambda@Edge functions of a distribution's cache behaviours (a viewer's request),
        which CloudFront replicates and invokes with no permission to show it."""
        behaviors = block.blocks_named("default_cache_behavior") + block.blocks_named("ordered_cache_behavior")
        for behavior in behaviors:
            for association in behavior.blocks_named("lambda_function_association"):
                function, _ = self._function_for(association.get("lambda_arn"), scope.at(association.path))
                if function is not None:
                    function.triggers.append(Trigger("other", Location(association.path, association.line), None,
                                                     {"name": address, "type": "CloudFront"}))

    def _link_aws_apigatewayv2_integration(self, address: str, block: Block, scope: Scope) -> None:
        self._api_trigger(address, block, scope, "integration_uri", "api_id")

    def _link_aws_api_gateway_integration(self, address: str, block: Block, scope: Scope) -> None:
        self._api_trigger(address, block, scope, "uri", "rest_api_id")

    def _api_trigger(self, address: str, block: Block, scope: Scope, uri_key: str, api_key: str) -> None:
        function, _ = self._function_for(block.get(uri_key), scope)
        if function is None:
            function = self._function_in_invocation_uri(block.get(uri_key), scope)
        if function is None:
            return
        target, _ = self._resource_ref(self.evaluator.evaluate(block.get(api_key), scope)) \
            if api_key in block.attributes else (None, {})
        function.triggers.append(Trigger("api", Location(block.path, block.line), target, {"name": address}))
        function.routes.extend(integration_routes(self.evaluator, RootBlocks(self.blocks, scope.instance.root_directory),
                                                  address, block, scope))

    def _function_in_invocation_uri(self, value: Any, scope: Scope) -> Function | None:
        """The function an integration URI written out as text invokes:
        `"arn:aws:apigateway:${var.region}:lambda:path/2015-03-31/functions/${aws_lambda_function.f.arn}/invocations"`
        names it by the interpolation between `functions/` (or `:function:`) and `/invocations`,
        which is read as `invoke_arn` would be; a fully literal URI by the function ARN inside it."""
        if isinstance(value, Expression) and value.kind == "template":
            parts = value.args
            for index in range(1, len(parts) - 1):
                before, part, after = parts[index - 1], parts[index], parts[index + 1]
                if isinstance(part, Expression) and isinstance(before, str) and isinstance(after, str) \
                        and before.endswith(("functions/", ":function:")) and after.startswith("/invocations"):
                    function, _ = self._function_for(part, scope)
                    if function is not None:
                        return function
        uri = self.evaluator.literal_text(value, scope)
        if uri is not None and "functions/" in uri and "/invocations" in uri:
            function_arn = uri.partition("functions/")[2].rpartition("/invocations")[0]
            function, _ = self._function_for(function_arn, scope)
            return function
        return None

    def _link_aws_lambda_permission(self, address: str, block: Block, scope: Scope) -> None:
        function, qualifier = self._function_for(block.get("function_name"), scope)
        if function is None:
            return
        attrs = block.attributes

        def text(key: str) -> str | None:
            return self.evaluator.text(attrs[key], scope) if key in attrs else None
        function.permissions.append(InvokePermission(
            principal=text("principal") or "",
            location=Location(block.path, block.line_of("principal") if "principal" in attrs else block.line),
            source_arn=text("source_arn"), source=self._permission_source(attrs.get("source_arn"), scope),
            source_account=text("source_account"),
            qualifier=text("qualifier") or qualifier, action=text("action"),
            principal_org_id=text("principal_org_id"), function_url_auth_type=text("function_url_auth_type"),
            invoked_via_function_url=(text("invoked_via_function_url") or "").lower() == "true",
        ))

    def _permission_source(self, value: Any, scope: Scope) -> ResourceRef | None:
        """The resource a permission's `source_arn` names: where its reference leads, with the
        module path (`var.bucket_arn` of a trigger module its caller sets to
        `module.uploads.bucket_arn`: `module.uploads.aws_s3_bucket.bucket`, the address the
        bucket's notification names too), else what its text names."""
        if value is None:
            return None
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, Reference) and result.ref.kind == "terraform":
            return result.ref
        return permission_source(self.evaluator.text(value, scope))

    def _link_aws_lambda_function_url(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is None:
            return
        key = "authorization_type" if "authorization_type" in block.attributes else None
        auth = self.evaluator.text(block.attributes[key], scope) if key else "(not declared)"
        function.url = FunctionUrl(auth, Location(block.path, block.line_of(key) if key else block.line))

    def _link_aws_lambda_function_recursion_config(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is not None and "recursive_loop" in block.attributes:
            function.recursive_loop = self.evaluator.text(block.attributes["recursive_loop"], scope)
            function.locations["RecursiveLoop"] = Location(block.path, block.line_of("recursive_loop"))

    def _link_aws_lambda_runtime_management_config(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is not None and "update_runtime_on" in block.attributes:
            function.update_runtime_on = self.evaluator.text(block.attributes["update_runtime_on"], scope)
            function.locations["RuntimeManagementConfig"] = Location(block.path, block.line_of("update_runtime_on"))

    def _module_permissions(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        result = self.evaluator.evaluate(attrs.get("allowed_triggers"), scope) if "allowed_triggers" in attrs else None
        if not isinstance(result, Structure) or not isinstance(result.value, dict):
            return
        triggers: dict[str, Any] = result.value
        for key, entry in triggers.items():
            entry_value = self.evaluator.evaluate(entry, result.scope)
            if not isinstance(entry_value, Structure) or not isinstance(entry_value.value, dict):
                continue
            item, inner = entry_value.value, entry_value.scope
            if "principal" in item:
                principal = self.evaluator.text(item["principal"], inner)
            elif "service" in item:
                principal = f"{self.evaluator.text(item['service'], inner)}.amazonaws.com"
            else:
                principal = "(not declared)"
            optional = {key: self.evaluator.text(item[key], inner) if key in item else None
                         for key in ("source_arn", "source_account", "action", "principal_org_id")}
            function.permissions.append(InvokePermission(
                principal=principal, location=Location(result.scope.path, key_line(triggers, key, 1)),
                source_arn=optional["source_arn"], source=permission_source(optional["source_arn"]),
                source_account=optional["source_account"],
                action=optional["action"] or "lambda:InvokeFunction", principal_org_id=optional["principal_org_id"],
            ))

    def _module_event_sources(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        result = self.evaluator.evaluate(attrs.get("event_source_mapping"), scope) \
            if "event_source_mapping" in attrs else None
        if not isinstance(result, Structure) or not isinstance(result.value, dict):
            return
        mappings: dict[str, Any] = result.value
        for key, entry in mappings.items():
            entry_value = self.evaluator.evaluate(entry, result.scope)
            if not isinstance(entry_value, Structure) or not isinstance(entry_value.value, dict):
                continue
            location = Location(result.scope.path, key_line(mappings, key, 1))
            function.triggers.append(self._event_source_trigger(entry_value.value, entry_value.scope, location,
                                                                f"{function.name} event_source_mapping.{key}"))
