"""The guardrail facts of SAM and CloudFormation functions: role policies, URL, permissions, signing, versions.

The function resource alone says little about how the function is exposed or what it may do: its
role is often a separate `AWS::IAM::Role` with `AWS::IAM::Policy` resources attached to it, its URL
an `AWS::Lambda::Url`, its resource-based policy a set of `AWS::Lambda::Permission`s, its versions
`AWS::Lambda::Version`/`Alias` resources. This module follows the references inside one template
(`!Ref`, `!GetAtt X.Arn`, `!Sub "${X.Arn}:live"`, SAM's `X.Alias`) and fills the format-neutral
fields of `Function` with the exact line of each fact, so the guardrail analyzers never read YAML.

Only what the template states is recorded: a role given as a literal ARN is left out rather than
guessed. A statement or policy a condition chooses (`Fn::If`) is recorded in each case that may deploy,
with the conditions' values under which it does (`policy_conditions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from reviewer.inventory.cloudformation.conditions import NO_VALUE, alternatives, cases, choice_paths, is_choice
from reviewer.inventory.cloudformation.policy_conditions import Ways, both_ways, document_cases, item_cases
from reviewer.inventory.cloudformation.resource_services import template_resource_service
from reviewer.inventory.iam import statements_from_document
from reviewer.inventory.interface import literal_arn
from reviewer.located import LocatedList, LocatedMap
from reviewer.inventory.cloudformation.samconfig import default_location
from reviewer.model import (
    DefaultedWildcard, Function, FunctionUrl, InvokePermission, Location, ManagedPolicy, PolicyStatement, ResourceRef,
)

IAM_ROLE = "AWS::IAM::Role"
IAM_POLICY = "AWS::IAM::Policy"
IAM_ROLE_POLICY = "AWS::IAM::RolePolicy"
IAM_MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
LAMBDA_URL = "AWS::Lambda::Url"
LAMBDA_PERMISSION = "AWS::Lambda::Permission"
LAMBDA_VERSION = "AWS::Lambda::Version"
LAMBDA_ALIAS = "AWS::Lambda::Alias"
EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping"

# `${Fn.Arn}:live`, `${Fn}:live` inside Fn::Sub: a qualified reference to a function.
_SUB_QUALIFIED = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}:([A-Za-z0-9$_-]+)$")
_SUB_PLAIN = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}$")
# `${Bucket.Arn}`, `${Topic}`: the resource a permission's `SourceArn` names.
_SOURCE_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9]+)?\}$")
_ARN_FUNCTION = re.compile(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$")


@dataclass(frozen=True)
class Target:
    """A function named by some value of the template, and the qualifier it carries (None: $LATEST)."""

    function: Function
    qualifier: str | None


def read_guardrails(template: LocatedMap, path: str, functions: list[Function]) -> None:
    """Fill the guardrail fields of `functions`, all declared in `template` at `path`."""
    resources = template.get("Resources")
    if not isinstance(resources, LocatedMap) or not functions:
        return
    parameters = template.get("Parameters")
    reader = _GuardrailReader(path, resources, parameters if isinstance(parameters, LocatedMap) else LocatedMap(),
                              functions)
    for function in functions:
        reader.function_facts(function)
    reader.template_facts()


class _GuardrailReader:
    def __init__(self, path: str, resources: LocatedMap, parameters: LocatedMap, functions: list[Function]) -> None:
        self.path = path
        self.resources = resources
        self.parameters = parameters
        self.functions = {function.name: function for function in functions}
        self.by_physical_name = {
            name: function for function in functions
            if (name := _literal(function.properties.get("FunctionName"))) is not None
        }
        self.policies_by_role = self._policies_by_role()

    def _policies_by_role(self) -> dict[str, list[tuple[str, str, LocatedMap, Ways]]]:
        """Policy resources (`AWS::IAM::Policy`, `RolePolicy`, `ManagedPolicy`) by the roles they
        name, each with the conditions' values under which it names the role (`Roles: !If [...]`)."""
        index: dict[str, list[tuple[str, str, LocatedMap, Ways]]] = {}
        for logical_id, resource in self.resources.items():
            kind = _type(resource)
            if kind not in (IAM_POLICY, IAM_ROLE_POLICY, IAM_MANAGED_POLICY):
                continue
            properties = _properties(resource)
            document = properties.get("PolicyDocument")
            if not isinstance(document, LocatedMap):
                continue
            written = properties.get("Roles") if kind != IAM_ROLE_POLICY else [properties.get("RoleName")]
            named: dict[str, list[Ways]] = {}
            for roles, chosen in item_cases(written):
                for item in (roles if isinstance(roles, list) else []):
                    for value, when in item_cases(item):
                        deploys = both_ways(chosen, when)
                        if (role := _logical_id(value)) is not None and deploys is not None:
                            named.setdefault(role, []).append(deploys)
            for role, ways in named.items():
                attached = () if () in ways else tuple(dict.fromkeys(way for deploys in ways for way in deploys))
                index.setdefault(role, []).append((str(kind), str(logical_id), document, attached))
        return index

    # -- facts stated on the function resource itself ------------------------------------------

    def function_facts(self, function: Function) -> None:
        props = function.properties
        if function.format == "sam" and "Role" not in props:  # SAM ignores Policies when Role is set
            self._sam_policies(function, props.get("Policies"))
        elif function.format == "sam" and is_choice(props["Role"]) and NO_VALUE in (alternatives(props["Role"]) or []):
            # `Role: !If [UseOwnRole, !Ref RoleArn, !Ref AWS::NoValue]`: SAM makes the role from `Policies` otherwise.
            self._sam_policies(function, props.get("Policies"), choice_paths(props["Role"], NO_VALUE))
        for value, when in item_cases(props.get("Role")):  # `Role: !If [HasRoleArn, !Ref RoleArn, !GetAtt Role.Arn]`
            role = _logical_id(value)
            if role is not None and _type(self.resources.get(role)) == IAM_ROLE:
                self._role_policies(function, role, when)
        signing = props.get("CodeSigningConfigArn")
        if signing not in (None, "") and not _is_no_value(signing):
            function.code_signing = function.where("CodeSigningConfigArn")
        if _literal(props.get("AutoPublishAlias")) or isinstance(props.get("AutoPublishAlias"), dict):
            function.published = True
        url = props.get("FunctionUrlConfig")
        if isinstance(url, LocatedMap) and function.format == "sam":
            auth = _literal(url.get("AuthType")) or "unknown"
            line = url.line_of("AuthType") if "AuthType" in url else function.where("FunctionUrlConfig").line
            function.url = FunctionUrl(auth_type=auth, location=Location(self.path, line))
        self._environment_defaults(function)
        loop = _literal(props.get("RecursiveLoop"))
        if loop is not None and function.recursive_loop is None:
            function.recursive_loop = loop  # its line is locations["RecursiveLoop"], set by the base reader

    def _environment_defaults(self, function: Function) -> None:
        """Variables set by `!Ref` to a parameter without `NoEcho` whose literal default is in the template."""
        for name, value in function.environment.items():
            if not (isinstance(value, dict) and set(value) == {"Ref"} and isinstance(value["Ref"], str)):
                continue
            parameter = self.parameters.get(value["Ref"])
            if not isinstance(parameter, LocatedMap) or str(parameter.get("NoEcho")).lower() == "true":
                continue
            default = _literal(parameter.get("Default"))
            if default:
                function.environment_defaults[str(name)] = (default, default_location(self.path, parameter))

    def _sam_policies(self, function: Function, policies: Any, role_when: Ways = ()) -> None:
        """SAM `Policies`: a managed policy name or ARN, a policy document, a policy template, or a
        list; `role_when`: the conditions' values under which SAM makes the role from them."""
        if policies is None:
            return
        items = policies if isinstance(policies, list) else [policies]
        lines = policies.item_lines if isinstance(policies, LocatedList) else []
        default_line = function.where("Policies").line
        for index, written in enumerate(items):
            line = lines[index] if index < len(lines) else default_line
            for item, chosen in item_cases(written):  # `- !If [UseQueue, {SQSSendMessagePolicy: ...}, !Ref AWS::NoValue]`
                when = both_ways(role_when, chosen)
                if when is None:
                    continue
                if isinstance(item, LocatedMap) and "Statement" in item:
                    function.policy_statements.extend(self._statements(item, "SAM Policies", when))
                elif isinstance(item, LocatedMap) and len(item) == 1 and not is_intrinsic(item):
                    (template_name,) = item.keys()
                    function.managed_policies.append(
                        ManagedPolicy(str(template_name), Location(self.path, line), when=when))
                else:
                    self._managed_reference(function, item, line, when)

    def _managed_reference(self, function: Function, value: Any, line: int, when: Ways = ()) -> None:
        """A managed policy by ARN or name; a `!Ref` to a managed policy of this template is read
        through. `when`: the conditions' values under which the template attaches it."""
        logical = _logical_id(value)
        if logical is not None and _type(self.resources.get(logical)) == IAM_MANAGED_POLICY:
            document = _properties(self.resources[logical]).get("PolicyDocument")
            if isinstance(document, LocatedMap):
                function.policy_statements.extend(
                    self._statements(document, f"{IAM_MANAGED_POLICY} {logical}", when))
            return
        name = _text(value)
        if name:
            function.managed_policies.append(ManagedPolicy(name, Location(self.path, line), when=when))

    def _statements(self, document: LocatedMap, source: str, when: Ways = ()) -> list[PolicyStatement]:
        """Each statement of a policy document, with the lines it spans; one chosen by `Fn::If`
        (the statement, or what it grants) as each case that may deploy, with the conditions' values
        under which it does (`policy_conditions`). `when`: those under which the document itself is
        attached (a policy chosen by `Fn::If`)."""
        expanded, ways = document_cases(document)
        statements = statements_from_document(expanded, self.path, source, _text, default_line=document.line,
                                              wildcard_default=self._wildcard_default,
                                              resource_service=template_resource_service(self.resources))
        found: list[PolicyStatement] = []
        for statement, own in zip(statements, ways, strict=False):
            deploys = both_ways(when, own)
            if deploys is not None:
                found.append(replace(statement, when=deploys) if deploys else statement)
        return found

    def _wildcard_default(self, value: Any) -> DefaultedWildcard | None:
        """`!Ref P` (or `!Sub "${P}"`) for a parameter whose `Default` is `*`: what deploys unless the
        deployment passes a value."""
        name = written = None
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            if intrinsic == "Ref" and isinstance(argument, str):
                name, written = argument, f"!Ref {argument}"
            elif intrinsic == "Fn::Sub" and isinstance(argument, str) and (match := _SUB_PLAIN.match(argument)):
                name, written = match.group(1), f'!Sub "{argument}"'
        parameter = self.parameters.get(name) if name is not None else None
        if not isinstance(parameter, LocatedMap) or str(_literal(parameter.get("Default")) or "").strip() != "*":
            return None
        return DefaultedWildcard(str(written), default_location(self.path, parameter))

    def _role_policies(self, function: Function, role: str, role_when: Ways = ()) -> None:
        """The role's inline policies and managed ARNs, and every policy resource attached to it;
        `role_when`: the conditions' values under which the function is given the role."""
        properties = _properties(self.resources[role])
        inline = properties.get("Policies")
        if isinstance(inline, list):
            for written in inline:
                for policy, chosen in item_cases(written):
                    when = both_ways(role_when, chosen)
                    if when is not None and isinstance(policy, LocatedMap) and isinstance(
                            policy.get("PolicyDocument"), LocatedMap):
                        function.policy_statements.extend(
                            self._statements(policy["PolicyDocument"], f"{IAM_ROLE} {role}", when))
        managed = properties.get("ManagedPolicyArns")
        attached_by_role: set[str] = set()
        if isinstance(managed, LocatedList):
            for index, written in enumerate(managed):
                line = managed.item_lines[index] if index < len(managed.item_lines) else managed.line
                for value, chosen in item_cases(written):
                    if (logical := _logical_id(value)) is not None:
                        attached_by_role.add(logical)
                    when = both_ways(role_when, chosen)
                    if when is not None:
                        self._managed_reference(function, value, line, when)
        for kind, logical_id, document, attached in self.policies_by_role.get(role, []):
            when = both_ways(role_when, attached)
            if logical_id not in attached_by_role and when is not None:
                function.policy_statements.extend(self._statements(document, f"{kind} {logical_id}", when))

    # -- facts stated by other resources that name a function -----------------------------------

    def template_facts(self) -> None:
        for resource in self.resources.values():
            kind = _type(resource)
            if kind not in (LAMBDA_URL, LAMBDA_PERMISSION, LAMBDA_VERSION, LAMBDA_ALIAS):
                continue
            properties = _properties(resource)
            if kind == LAMBDA_URL:
                self._url(properties)
            elif kind == LAMBDA_PERMISSION:
                self._permission(properties)
            else:
                target = self.target(properties.get("FunctionName"))
                if target is not None:
                    target.function.published = True

    def _url(self, properties: LocatedMap) -> None:
        target = self.target(properties.get("TargetFunctionArn"))
        if target is None:
            return
        auth = _literal(properties.get("AuthType")) or "unknown"
        line = properties.line_of("AuthType") if "AuthType" in properties else properties.line
        target.function.url = FunctionUrl(auth_type=auth, location=Location(self.path, line))

    def _permission(self, properties: LocatedMap) -> None:
        target = self.target(properties.get("FunctionName"))
        if target is None:
            return
        for case in permission_cases(properties):
            source_arn = _text(case.get("SourceArn")) or None
            permission = invoke_permission(
                case, self.path, target.qualifier,
                self._source(source_arn, target.function) if source_arn else None, self.parameters, properties)
            if permission not in target.function.permissions:
                target.function.permissions.append(permission)

    def _source(self, text: str, function: Function) -> ResourceRef | None:
        """The resource a permission's `SourceArn` names: `${Bucket.Arn}` (a resource of the
        function's own template, where its references are resolved), or a literal ARN."""
        match = _SOURCE_PLACEHOLDER.match(text.strip())
        if match:
            if match.group(1) in self.resources and function.location.path == self.path:
                return ResourceRef("logical-id", match.group(1))
            return None
        return literal_arn(text)

    def target(self, value: Any, depth: int = 0) -> Target | None:
        """The function a `FunctionName`/`TargetFunctionArn` value names, with its qualifier."""
        if depth > 3 or value is None:
            return None
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            if intrinsic == "Ref" and isinstance(argument, str):
                return self._target_of_logical(argument, depth)
            if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and argument:
                if str(argument[0]) in self.functions:
                    return Target(self.functions[str(argument[0])], None)
                return None
            if intrinsic == "Fn::Sub":
                text = argument[0] if isinstance(argument, list) and argument else argument
                if isinstance(text, str):
                    if (match := _SUB_QUALIFIED.match(text)) and match.group(1) in self.functions:
                        return Target(self.functions[match.group(1)], match.group(2))
                    if (match := _SUB_PLAIN.match(text)) and match.group(1) in self.functions:
                        return Target(self.functions[match.group(1)], None)
            if intrinsic == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
                parts = argument[1]
                if isinstance(parts, list) and len(parts) == 2 and _literal(parts[1]):
                    base = self.target(parts[0], depth + 1)
                    suffix = str(_literal(parts[1]))
                    if base is not None and base.qualifier is None and suffix.startswith(":"):
                        return Target(base.function, suffix[1:])
            return None
        literal = _literal(value)
        if literal is None:
            return None
        if (match := _ARN_FUNCTION.match(literal)) and match.group(1) in self.by_physical_name:
            return Target(self.by_physical_name[match.group(1)], match.group(2))
        name, _, qualifier = literal.partition(":")
        if name in self.by_physical_name:
            return Target(self.by_physical_name[name], qualifier or None)
        return None

    def _target_of_logical(self, logical: str, depth: int) -> Target | None:
        if logical in self.functions:
            return Target(self.functions[logical], None)
        base, dot, attribute = logical.partition(".")
        if dot and base in self.functions and attribute in ("Alias", "Version"):
            return Target(self.functions[base], attribute.lower())
        resource = self.resources.get(logical)
        kind = _type(resource)
        if kind in (LAMBDA_ALIAS, LAMBDA_VERSION):
            properties = _properties(resource)
            inner = self.target(properties.get("FunctionName"), depth + 1)
            if inner is None:
                return None
            qualifier = _literal(properties.get("Name")) if kind == LAMBDA_ALIAS else "version"
            return Target(inner.function, qualifier or logical)
        for function in self.functions.values():
            if logical.startswith(function.name + "Alias") and _literal(function.properties.get("AutoPublishAlias")):
                return Target(function, logical[len(function.name) + len("Alias"):])
        return None


# The properties of a permission that decide what it grants: read as each case of their conditions.
_GRANT_PROPERTIES = ("Principal", "SourceArn", "SourceAccount", "PrincipalOrgID", "Action", "FunctionUrlAuthType",
                     "InvokedViaFunctionUrl")


def permission_cases(properties: LocatedMap) -> list[LocatedMap]:
    """An `AWS::Lambda::Permission`'s properties as each case of the conditions its grant is
    chosen by (`Principal: !If [IsAWSChina, logs.amazonaws.com.cn, logs.amazonaws.com]`), the
    cases with no principal (`AWS::NoValue`) left out: one grant per value that may deploy."""
    return [case for case in cases(properties, _GRANT_PROPERTIES) if "Principal" in case or "Principal" not in properties]


def invoke_permission(properties: LocatedMap, path: str, qualifier: str | None,
                      source: ResourceRef | None, parameters: LocatedMap | None = None,
                      written: LocatedMap | None = None) -> InvokePermission:
    """The grant an `AWS::Lambda::Permission` of the template at `path` states (one case of
    `permission_cases`); `source`: the resource its `SourceArn` names, as the caller resolved it.
    A principal given by a parameter of `parameters` is read as its default. `written`: the
    permission's properties as written, whose `Fn::If` say under which conditions the case's
    principal deploys."""
    line = properties.line_of("Principal") if "Principal" in properties else properties.line
    return InvokePermission(
        principal_when=choice_paths(written.get("Principal"), properties.get("Principal")) if written else (),
        principal=_principal(properties.get("Principal"), parameters or LocatedMap()),
        location=Location(path, line),
        source_arn=_text(properties.get("SourceArn")) or None,
        source=source,
        source_account=_text(properties.get("SourceAccount")) or None,
        qualifier=qualifier,
        action=_literal(properties.get("Action")),
        principal_org_id=_text(properties.get("PrincipalOrgID")) or None,
        function_url_auth_type=_literal(properties.get("FunctionUrlAuthType")),
        invoked_via_function_url=str(properties.get("InvokedViaFunctionUrl")).lower() == "true",
    )


def _principal(value: Any, parameters: LocatedMap) -> str:
    """The principal: written, or the literal default of the parameter it is given by (`!Ref
    InvokerPrincipal`, unless `NoEcho`); anything else as policy text."""
    if isinstance(value, dict) and set(value) == {"Ref"} and isinstance(value["Ref"], str):
        parameter = parameters.get(value["Ref"])
        if isinstance(parameter, LocatedMap) and str(parameter.get("NoEcho")).lower() != "true":
            default = _literal(parameter.get("Default"))
            if default:
                return default
    return _text(value) or ""


def _text(value: Any) -> str:
    """A value as policy text: literals as written, `!Ref X` as `${X}`, `!GetAtt X.Y` as `${X.Y}`."""
    if value is None:
        return ""
    literal = _literal(value)
    if literal is not None:
        return literal
    if isinstance(value, dict) and len(value) == 1:
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref":
            return "${" + str(argument) + "}"
        if intrinsic == "Fn::GetAtt" and isinstance(argument, list):
            return "${" + ".".join(str(part) for part in argument) + "}"
        if intrinsic == "Fn::Sub":
            text = argument[0] if isinstance(argument, list) and argument else argument
            if isinstance(text, str):
                return text
        return f"<{intrinsic}>"
    return "<computed>"


def _literal(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value)


def _logical_id(value: Any) -> str | None:
    """`!Ref X` and `!GetAtt X.Arn` → X."""
    if isinstance(value, dict) and len(value) == 1:
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref" and isinstance(argument, str):
            return argument
        if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and argument:
            return str(argument[0])
    return None


def is_intrinsic(value: Any) -> bool:
    """A one-key mapping that is an intrinsic function (`{"Ref": ...}`, `{"Fn::If": [...]}`) or a
    condition, standing for a value rather than being one."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return key == "Ref" or str(key).startswith("Fn::") or key == "Condition"


def _is_no_value(value: Any) -> bool:
    return isinstance(value, dict) and value.get("Ref") == "AWS::NoValue"


def _type(resource: Any) -> str | None:
    return str(resource.get("Type")) if isinstance(resource, LocatedMap) else None


def _properties(resource: Any) -> LocatedMap:
    properties = resource.get("Properties") if isinstance(resource, LocatedMap) else None
    if isinstance(properties, LocatedMap):
        return properties
    empty = LocatedMap()
    empty.line, empty.key_lines = getattr(resource, "line", 1), {}
    return empty


__all__ = ["read_guardrails", "Target", "invoke_permission", "permission_cases"]
