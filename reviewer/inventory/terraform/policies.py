"""The permissions of a Terraform function: its role, the role's inline and attached policies, the Lambda
module's policy inputs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reviewer.inventory.iam import MAX_STATEMENTS, last_line, statements_from_document, strings
from reviewer.inventory.terraform.base import (
    MAX_POLICY_NESTING,
    ReaderBase,
    json_document,
    json_text,
    unresolved_reason,
)
from reviewer.inventory.terraform.hcl import Block
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.values import JsonDocument, Literal, Reference, Scope, Structure, Value, display
from reviewer.located import LocatedMap, key_line
from reviewer.model import (
    DefaultedWildcard,
    Function,
    Location,
    ManagedPolicy,
    PolicyStatement,
)


def written_address(address: str, instance: Instance) -> str:
    """A policy's address as its module writes it (`data.aws_iam_policy_document.xray`), without
    the instance's `module.<call>.` prefix: a role module called once per function holds one
    statement at one line, and the analyzers then see the same statement for every function and
    report it once, naming them all, rather than once per module instance."""
    return address.removeprefix(instance.prefix)


class RolePolicies(ReaderBase):
    """Reads roles and policies and grants them to the functions that use the role."""

    def _role(self, function: Function, value: Any, scope: Scope, location: Location) -> None:
        function.locations["Role"] = location
        result = self.evaluator.evaluate(value, scope)
        address = self._role_address(result, scope)
        if address is not None:
            function.properties["role"] = address[1]
            function.properties["role_key"] = address
        elif isinstance(result, Literal):
            function.properties["role"] = result.text
        else:
            function.unresolved["Role"] = unresolved_reason(result)

    def _role_address(self, result: Value, scope: Scope) -> tuple[str, str] | None:
        """(root, address) of the role a value names, in the root module it is written in."""
        root = scope.instance.root_directory
        if isinstance(result, Reference) and result.resource_type == "aws_iam_role":
            return root, result.ref.value
        if isinstance(result, Literal) and isinstance(result.value, str):
            name = result.value.rsplit("/", 1)[-1] if result.value.startswith("arn:") else result.value
            address = self.roles_by_name.get((root, name))
            return (root, address) if address is not None else None
        return None

    def _module_policies(self, function: Function, attrs: LocatedMap, scope: Scope, block: Block) -> None:
        truthy = self.evaluator.truthy
        if truthy(attrs.get("create_role"), scope) is False:
            if "lambda_role" in attrs:
                self._role(function, attrs["lambda_role"], scope, Location(block.path, attrs.line_of("lambda_role")))
            return
        source = function.name
        if truthy(attrs.get("attach_policy_statements"), scope) and "policy_statements" in attrs:
            result = self.evaluator.evaluate(attrs["policy_statements"], scope)
            if isinstance(result, Structure) and isinstance(result.value, dict):
                for key, entry in result.value.items():
                    statement = self.evaluator.evaluate(entry, result.scope)
                    if isinstance(statement, Structure) and isinstance(statement.value, dict):
                        line = key_line(result.value, key, 1)
                        end = last_line(entry) if isinstance(entry, (LocatedMap, list)) else line
                        location = Location(result.scope.path, line, end if end > line else None)
                        made = self._hcl_statement(statement.value, statement.scope, location,
                                                   f"{source} policy_statements")
                        keys = self._module_condition_keys(statement.value.get("condition"), statement.scope)
                        function.policy_statements.append(replace(made, condition_keys=keys) if keys else made)
        if truthy(attrs.get("attach_policy_json"), scope) and "policy_json" in attrs:
            self._extend_policies(function, attrs["policy_json"], scope, f"{source} policy_json")
        if truthy(attrs.get("attach_policy_jsons"), scope) and "policy_jsons" in attrs:
            result = self.evaluator.evaluate(attrs["policy_jsons"], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                for item in result.value:
                    self._extend_policies(function, item, result.scope, f"{source} policy_jsons")
        if truthy(attrs.get("attach_policy"), scope) and "policy" in attrs:
            self._attach_policy_arn(function.policy_statements, function.managed_policies, attrs["policy"], scope,
                                    Location(block.path, attrs.line_of("policy")), function)
        if truthy(attrs.get("attach_policies"), scope) and "policies" in attrs:
            result = self.evaluator.evaluate(attrs["policies"], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                lines = getattr(result.value, "item_lines", [])
                for index, item in enumerate(result.value):
                    line = lines[index] if index < len(lines) else attrs.line_of("policies")
                    self._attach_policy_arn(function.policy_statements, function.managed_policies, item,
                                            result.scope, Location(result.scope.path, line), function)

    def _module_condition_keys(self, value: Any, scope: Scope) -> tuple[str, ...]:
        """The keys a `policy_statements` entry's `condition` tests: a map of `{test, variable,
        values}` objects (or a list of them, as older versions of the module took), which the module
        turns into the statement's `condition` blocks."""
        if value is None:
            return ()
        result = self.evaluator.evaluate(value, scope)
        if not isinstance(result, Structure):
            return ()
        items = list(result.value.values()) if isinstance(result.value, dict) else \
            result.value if isinstance(result.value, list) else []
        keys: list[str] = []
        for item in items[:MAX_STATEMENTS]:
            condition = self.evaluator.evaluate(item, result.scope)
            if isinstance(condition, Structure) and isinstance(condition.value, dict) and "variable" in condition.value:
                keys.append(self.evaluator.text(condition.value["variable"], condition.scope))
        return tuple(keys)

    def _extend_policies(self, function: Function, value: Any, scope: Scope, source: str) -> None:
        statements, reason = self._policy_document(value, scope, source, 0)
        function.policy_statements.extend(statements)
        if reason:
            function.unresolved.setdefault("Policies", f"{source}: {reason}")

    def _attach_policy_arn(self, statements: list[PolicyStatement], managed: list[ManagedPolicy], value: Any,
                           scope: Scope, location: Location, function: Function | None = None) -> None:
        """A policy ARN: an AWS managed policy by name, or a customer policy whose statements we read."""
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, Reference) and result.resource_type == "aws_iam_policy":
            found = self._block(result)
            if found is not None and "policy" in found[0].attributes:
                block, instance = found
                read, reason = self._policy_document(block.attributes["policy"], Scope(instance, block.path),
                                                     written_address(result.ref.value, instance), 0)
                statements.extend(read)
                if reason and function is not None:
                    function.unresolved.setdefault("Policies", f"{result.ref.value}: {reason}")
                return
        if isinstance(result, Reference) and result.resource_type == "data.aws_iam_policy":
            found = self._block(result)
            if found is not None:
                block, instance = found
                inner = Scope(instance, block.path)
                name = self.evaluator.literal_text(block.get("arn"), inner) or \
                    self.evaluator.literal_text(block.get("name"), inner)
                if name:
                    managed.append(ManagedPolicy(name, location))
                    return
        managed.append(ManagedPolicy(display(result), location))

    def _policy_document(self, value: Any, scope: Scope, source: str, depth: int
                         ) -> tuple[list[PolicyStatement], str | None]:
        """Statements of a policy written as jsonencode(...), JSON text, or a policy document data source."""
        if depth > MAX_POLICY_NESTING:
            return [], "policy documents nested too deeply"
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, JsonDocument):
            inner = result.scope
            return statements_from_document(result.value, inner.path, source,
                                            lambda item: self.evaluator.text(item, inner),
                                            wildcard_default=lambda item: self._wildcard_default(item, inner)), None
        if isinstance(result, Literal) and isinstance(result.value, str) and result.location is not None:
            document = json_document(result.value)
            if document is None:
                return [], "the policy is not a JSON document"
            return statements_from_document(document, result.location.path, source, json_text,
                                            line_offset=result.location.line - 1), None
        if isinstance(result, Reference):
            if result.resource_type == "data.aws_iam_policy_document":
                return self._policy_document_data(result, depth), None
            found = self._block(result)
            if result.resource_type == "aws_iam_policy" and found is not None:
                block, instance = found
                return self._policy_document(block.get("policy"), Scope(instance, block.path), source, depth + 1)
        return [], unresolved_reason(result)

    def _policy_document_data(self, reference: Reference, depth: int) -> list[PolicyStatement]:
        found = self._block(reference)
        if found is None:
            return []
        block, instance = found
        address = written_address(reference.ref.value, instance)
        scope = Scope(instance, block.path)
        statements: list[PolicyStatement] = []
        for key in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
            if key not in block.attributes:
                continue
            result = self.evaluator.evaluate(block.attributes[key], scope)
            items = result.value if isinstance(result, Structure) and isinstance(result.value, list) else [block.attributes[key]]
            inner = result.scope if isinstance(result, Structure) else scope
            for item in items:
                statements.extend(self._policy_document(item, inner, address, depth + 1)[0])
        for statement in block.blocks_named("statement"):
            # The whole block, as for JSON statements: an edit to any of its lines (a wildcard
            # action) touches the finding, and its comment spans the statement.
            span = Location(statement.path, statement.line,
                            statement.end_line if statement.end_line > statement.line else None)
            made = self._hcl_statement(statement.attributes, Scope(instance, statement.path), span, address)
            # `condition { test, variable, values }` blocks: the keys they test narrow the statement.
            keys = tuple(self.evaluator.text(condition.attributes["variable"], Scope(instance, condition.path))
                         for condition in statement.blocks_named("condition") if "variable" in condition.attributes)
            statements.append(replace(made, condition_keys=keys) if keys else made)
        return statements

    def _hcl_statement(self, attrs: dict[str, Any], scope: Scope, location: Location, source: str) -> PolicyStatement:
        """A statement written in HCL (`effect`, `actions`, `resources`, `not_actions`...)."""
        def listed(key: str) -> tuple[str, ...]:
            if key not in attrs:
                return ()
            result = self.evaluator.evaluate(attrs[key], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                return strings(result.value, lambda item: self.evaluator.text(item, result.scope))
            return (display(result),)
        effect = self.evaluator.text(attrs["effect"], scope) if "effect" in attrs else "Allow"
        resources, defaulted = self._hcl_resources(attrs.get("resources"), scope)
        return PolicyStatement(effect=effect, actions=listed("actions"), resources=resources,
                               not_actions=listed("not_actions"), not_resources=listed("not_resources"),
                               location=location, source=source, defaulted_wildcards=defaulted)

    def _hcl_resources(self, value: Any, scope: Scope) -> tuple[tuple[str, ...], tuple[DefaultedWildcard, ...]]:
        """`resources` as text; an item that is a root variable whose `default` is `*` is `*`, remembered."""
        if value is None:
            return (), ()
        result = self.evaluator.evaluate(value, scope)
        if not (isinstance(result, Structure) and isinstance(result.value, list)):
            return (display(result),), ()
        texts: list[str] = []
        defaulted: list[DefaultedWildcard] = []
        for item in result.value[:MAX_STATEMENTS]:
            if item is None:
                continue
            default = self._wildcard_default(item, result.scope)
            if default is not None:
                defaulted.append(default)
            texts.append("*" if default is not None else self.evaluator.text(item, result.scope))
        return tuple(texts), tuple(defaulted)

    def _wildcard_default(self, raw: Any, scope: Scope) -> DefaultedWildcard | None:
        """`var.x` of a root module, set by no `.tfvars` file, whose `default` is `*`: what `terraform
        apply` uses when the operator passes no value. A module's default its caller leaves is the
        caller's choice, and a value of `terraform.tfvars` the repository's, both read as written."""
        found = self._deploy_time_input(raw, scope)
        if found is None:
            return None
        name, block, instance = found
        if instance.caller is not None or block is None or name in instance.module.tfvars:
            return None
        value = self.evaluator.evaluate(raw, scope)
        if not (isinstance(value, Literal) and value.value == "*" and value.location is not None):
            return None
        return DefaultedWildcard(f"var.{name}", value.location)

    def _grant_role_policies(self) -> None:
        for function in self.functions.values():
            role = function.properties.pop("role_key", None)
            if not isinstance(role, tuple):
                continue
            for grant in self.role_grants.get(role, []):
                if isinstance(grant, PolicyStatement):
                    function.policy_statements.append(grant)
                else:
                    function.managed_policies.append(grant)
            if role in self.role_unresolved:
                function.unresolved.setdefault("Policies", self.role_unresolved[role])

    # IAM: grants are collected per role address and given to the functions that use the role.
    def _role_of(self, value: Any, scope: Scope) -> tuple[str, str] | None:
        return self._role_address(self.evaluator.evaluate(value, scope), scope)

    def _collect(self, role: tuple[str, str] | None, statements: list[PolicyStatement], reason: str | None,
                 source: str) -> None:
        if role is None:
            return
        self.role_grants[role].extend(statements)
        if reason:
            self.role_unresolved.setdefault(role, f"{source}: {reason}")

    def _link_aws_iam_role(self, address: str, block: Block, scope: Scope) -> None:
        suffix = scope.iteration.suffix if scope.iteration is not None else ""
        role = (scope.instance.root_directory, address.removesuffix(suffix) if suffix else address)
        for inline in block.blocks_named("inline_policy"):
            if "policy" in inline.attributes:
                statements, reason = self._policy_document(
                    inline.attributes["policy"], scope.at(inline.path),
                    f"{written_address(address, scope.instance)} inline_policy", 0)
                self._collect(role, statements, reason, address)
        if "managed_policy_arns" in block.attributes:
            result = self.evaluator.evaluate(block.attributes["managed_policy_arns"], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                lines = getattr(result.value, "item_lines", [])
                for index, item in enumerate(result.value):
                    line = lines[index] if index < len(lines) else block.line_of("managed_policy_arns")
                    self._attach_to_role(role, item, result.scope, Location(result.scope.path, line))

    def _attach_to_role(self, role: tuple[str, str], value: Any, scope: Scope, location: Location) -> None:
        statements: list[PolicyStatement] = []
        managed: list[ManagedPolicy] = []
        self._attach_policy_arn(statements, managed, value, scope, location)
        self.role_grants[role].extend(statements)
        self.role_grants[role].extend(managed)

    def _link_aws_iam_role_policy(self, address: str, block: Block, scope: Scope) -> None:
        role = self._role_of(block.get("role"), scope)
        if role is not None and "policy" in block.attributes:
            statements, reason = self._policy_document(block.attributes["policy"], scope,
                                                       written_address(address, scope.instance), 0)
            self._collect(role, statements, reason, address)

    def _link_aws_iam_role_policy_attachment(self, address: str, block: Block, scope: Scope) -> None:
        role = self._role_of(block.get("role"), scope)
        if role is not None and "policy_arn" in block.attributes:
            self._attach_to_role(role, block.attributes["policy_arn"], scope,
                                 Location(block.path, block.line_of("policy_arn")))

    def _link_aws_iam_policy_attachment(self, address: str, block: Block, scope: Scope) -> None:
        roles = self.evaluator.evaluate(block.get("roles"), scope)
        if not (isinstance(roles, Structure) and isinstance(roles.value, list)) or "policy_arn" not in block.attributes:
            return
        for item in roles.value:
            role = self._role_of(item, roles.scope)
            if role is not None:
                self._attach_to_role(role, block.attributes["policy_arn"], scope,
                                     Location(block.path, block.line_of("policy_arn")))
