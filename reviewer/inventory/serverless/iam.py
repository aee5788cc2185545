"""A Serverless function's permissions: provider and per-function IAM statements, managed policies, a custom
role.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reviewer.inventory.cloudformation.policy_conditions import Ways, both_ways, item_cases, statement_cases
from reviewer.inventory.cloudformation.resource_services import template_resource_service
from reviewer.inventory.iam import MAX_STATEMENTS, last_line, statement_from_mapping
from reviewer.inventory.serverless.reference import logical_id_of
from reviewer.inventory.serverless.service import ServiceBase, as_mapping, text_of
from reviewer.located import LocatedList, LocatedMap
from reviewer.model import (
    DefaultedWildcard,
    Function,
    Location,
    ManagedPolicy,
    PolicyStatement,
)


class ServiceIam(ServiceBase):
    """Reads IAM statements, managed policies and custom roles."""

    def _iam(self, function: Function, config: LocatedMap) -> None:
        """Statements and managed policies of the role the function runs with."""
        own_role = config.get("role")
        if own_role is not None:
            self._custom_role(function, own_role, self.at(config, config.line_of("role")))
        elif "iamRoleStatements" in config or "iamManagedPolicies" in config:
            # serverless-iam-roles-per-function: the function's own role.
            self._statements(function, config.get("iamRoleStatements"), f"functions.{function.name}.iamRoleStatements")
            self._managed(function, config.get("iamManagedPolicies"))
            inherit = config.get("iamRoleStatementsInherit")
            if inherit is True or str(inherit).lower() == "true":
                self._provider_iam(function)
        else:
            self._provider_iam(function)

    def _provider_iam(self, function: Function) -> None:
        iam = as_mapping(self.provider.get("iam"))
        role = iam.get("role")
        if isinstance(role, LocatedMap):
            self._statements(function, role.get("statements"), "provider.iam.role.statements")
            self._managed(function, role.get("managedPolicies"))
            return
        if role is not None:
            self._custom_role(function, role, self.at(iam, iam.line_of("role")))
            return
        if "role" in self.provider:
            self._custom_role(function, self.provider["role"], self.at(self.provider, self.provider.line_of("role")))
            return
        self._statements(function, self.provider.get("iamRoleStatements"), "provider.iamRoleStatements")
        self._managed(function, self.provider.get("iamManagedPolicies"))

    def _statements(self, function: Function, statements: Any, source: str, when: Ways = ()) -> None:
        """Statements shared by many functions (the provider's) are read once. `when`: the
        conditions' values under which the policy holding them is attached (`Fn::If`)."""
        key = (id(statements), source)
        if key not in self._statement_cache:
            self._statement_cache[key] = (statements, self._read_statements(statements, source))
        for statement in self._statement_cache[key][1]:
            deploys = both_ways(when, statement.when)
            if deploys is not None:
                function.policy_statements.append(replace(statement, when=deploys) if deploys != statement.when
                                                  else statement)

    def _read_statements(self, statements: Any, source: str) -> list[PolicyStatement]:
        written = statements
        statements = self.resolved(statements)
        if not isinstance(statements, LocatedList):
            return []
        # The statements as written, beside their resolved copies, when the list itself is written here.
        originals = list(written) if isinstance(written, LocatedList) and len(written) == len(statements) else []
        found = []
        # what `!GetAtt CognitoUserPool.Arn` names, by the type `resources.Resources` gives it
        template_resources = as_mapping(self.template.get("Resources")) if self.template is not None else LocatedMap()
        service = template_resource_service(template_resources)
        for index, written_statement in enumerate(statements[:MAX_STATEMENTS]):
            # A statement chosen by `Fn::If` (whole, or what it grants) as each case that may deploy.
            for statement, when in statement_cases(written_statement):
                line = statement.line
                end = last_line(statement)
                made = statement_from_mapping(statement, self.at(statement, line, end if end > line else None),
                                              source, text_of, resource_service=service)
                original = originals[index] if index < len(originals) and statement is written_statement else None
                defaults = self._defaulted_wildcards(original) if isinstance(original, LocatedMap) else ()
                if defaults or when:
                    made = replace(made, defaulted_wildcards=defaults or made.defaulted_wildcards, when=when)
                found.append(made)
        return found

    def _defaulted_wildcards(self, statement: LocatedMap) -> tuple[DefaultedWildcard, ...]:
        """The `Resource` values written as a variable that is `*` only by its fallback
        (`${param:arn, '*'}`, `${opt:arn, '*'}`, or `${self:custom.arn}` holding one): what deploys
        when the deployment passes no value. `${self:...}` alone is the file's own value."""
        value = statement.get("Resource", statement.get("resource"))
        items = value if isinstance(value, list) else [value]
        found = []
        for item in items[:MAX_STATEMENTS]:
            if not isinstance(item, str) or "${" not in item:
                continue
            resolution = self.variables.resolve(item)
            if resolution.resolved and resolution.value == "*" and resolution.fallback_of:
                line = resolution.line or getattr(item, "line", None) or statement.line
                found.append(DefaultedWildcard(str(item), self.at(statement, line)))
        return tuple(found)

    def _managed(self, function: Function, policies: Any) -> None:
        policies = self.resolved(policies)
        if not isinstance(policies, LocatedList):
            return
        for index, policy in enumerate(policies):
            line = policies.item_lines[index] if index < len(policies.item_lines) else policies.line
            function.managed_policies.append(ManagedPolicy(text_of(policy), self.at(policies, line)))

    def _custom_role(self, function: Function, role: Any, location: Location) -> None:
        """`role: MyRole` (a role in resources.Resources) or an ARN: read the role resource if it is here."""
        function.locations["Role"] = location
        value = self.resolved(role)
        logical = logical_id_of(value)
        function.properties["role"] = logical or text_of(value)
        resources = as_mapping(self.template.get("Resources")) if self.template is not None else LocatedMap()
        resource = resources.get(logical) if logical else None
        if not isinstance(resource, LocatedMap) or resource.get("Type") != "AWS::IAM::Role":
            if logical is None and not (isinstance(value, str) and value.startswith("arn:")):
                function.unresolved.setdefault("Role", f"role {text_of(value)} is not declared in this file")
            return
        properties = as_mapping(resource.get("Properties"))
        for written in properties.get("Policies") or []:
            for policy, when in item_cases(written):
                document = as_mapping(policy).get("PolicyDocument") if isinstance(policy, LocatedMap) else None
                if isinstance(document, LocatedMap):
                    self._statements(function, _statement_list(document.get("Statement")),
                                     f"AWS::IAM::Role {logical}", when)
        self._managed(function, properties.get("ManagedPolicyArns"))


def _statement_list(value: Any) -> Any:
    if isinstance(value, LocatedMap):
        items = LocatedList([value])
        items.line, items.item_lines = value.line, [value.line]
        return items
    return value
