"""The permissions and event sources a template gives a function of another stack, named through
`Fn::ImportValue`: an `AWS::Lambda::Permission`, an event source mapping, a topic's lambda
subscription or a rule's target.

A multi-stack app often declares its functions in one stack, exports their ARNs, and grants API
Gateway (or maps a queue) to them in another:

    # functions/template.yaml
    Outputs:
      OrdersFunctionArn:
        Value: !GetAtt OrdersFunction.Arn
        Export: {Name: !Sub "${AWS::StackName}-OrdersFunctionArn"}
    # api/template.yaml
    OrdersInvokePermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !ImportValue {"Fn::Sub": "${FunctionsStack}-OrdersFunctionArn"}
        Principal: apigateway.amazonaws.com

Read alone, the permission names no function, and a pull request that edits it touched "none of the
functions" though it changes who may invoke one. Here an import is matched to an export of the
repository's templates: by its name when both are written out, or, for names built with `Fn::Sub`,
by the text around the variables (each variable standing for any value, the stack name a deploy
picks). A match with one function of the exporting template makes the permission that function's,
at its own line, and the importing template a file its declaration reads
(`Function.declaration_inputs`), so a change to it touches the function. An import that matches no
export, or several, is kept as an `ImportedGrant`, which the review's note names as what it is;
but for a rule's target, which may as well be a queue or a state machine of the other stack.

Every name here is the repository's text: names are compared as strings (a dictionary of the
exports' keys), never compiled, and each template is walked once.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.cloudformation.guardrails import invoke_permission, permission_cases
from reviewer.inventory.interface import literal_arn
from reviewer.located import LocatedMap
from reviewer.model import Function, ImportedGrant

LAMBDA_PERMISSION = "AWS::Lambda::Permission"
EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping"
SNS_SUBSCRIPTION = "AWS::SNS::Subscription"
EVENTS_RULE = "AWS::Events::Rule"
# What each resource type gives the function it names (`ImportedGrant.kind`).
_GRANT_KINDS = {LAMBDA_PERMISSION: "permission", EVENT_SOURCE_MAPPING: "event_source",
                SNS_SUBSCRIPTION: "subscription", EVENTS_RULE: "rule_target"}
# Letters and digits an `Fn::Sub` name must write around its variables to be matched to an export.
MIN_NAMING_CHARACTERS = 3
# A rule's targets read at most: more is no real template's.
MAX_RULE_TARGETS = 100
# What a `${...}` variable of an `Fn::Sub` name stands for in its key: any text.
_ANY = "\x00"


def attach_imported_grants(documents: dict[str, Any], functions: list[Function]) -> list[ImportedGrant]:
    """Give each exported function the permissions and event sources other templates grant it by
    import; return the grants whose import names no function read (or several)."""
    by_template = {(function.location.path, function.name): function for function in functions
                   if function.format in ("sam", "cloudformation")}
    exports = _exports(documents, by_template)
    unlinked: list[ImportedGrant] = []
    for path, document in documents.items():
        for resource in _mapping(_mapping(document).get("Resources")).values():
            resource_type = resource.get("Type") if isinstance(resource, LocatedMap) else None
            # a `Type` written as anything but text (`Type: !Ref Kind`) is no grant, never a key
            kind = _GRANT_KINDS.get(resource_type) if isinstance(resource_type, str) else None
            properties = resource.get("Properties") if kind is not None else None
            if kind is None or not isinstance(properties, LocatedMap):
                continue
            for value, line in _function_values(resource, properties):
                imported = _imported(value)
                if imported is None:
                    continue
                key, written = imported
                found = exports.get(key, []) if key is not None else []
                if len(found) == 1:
                    _link(found[0], path, resource, properties, _mapping(document).get("Parameters"))
                elif kind != "rule_target":     # a rule may target a queue or a state machine as well
                    unlinked.append(ImportedGrant(kind, path, line, written, len(found)))
    return unlinked


def _function_values(resource: LocatedMap, properties: LocatedMap) -> list[tuple[Any, int]]:
    """The values of a resource that name the function it gives something to, with their lines:
    a permission's or event source mapping's `FunctionName`, a lambda subscription's `Endpoint`,
    each of a rule's `Targets`' `Arn`."""
    kind = resource.get("Type")
    if kind in (LAMBDA_PERMISSION, EVENT_SOURCE_MAPPING) and "FunctionName" in properties:
        return [(properties["FunctionName"], properties.line_of("FunctionName"))]
    if kind == SNS_SUBSCRIPTION and str(properties.get("Protocol")).lower() == "lambda" and "Endpoint" in properties:
        return [(properties["Endpoint"], properties.line_of("Endpoint"))]
    targets = properties.get("Targets") if kind == EVENTS_RULE else None
    if not isinstance(targets, list):
        return []
    return [(target["Arn"], target.line_of("Arn")) for target in targets[:MAX_RULE_TARGETS]
            if isinstance(target, LocatedMap) and "Arn" in target]


def _link(function: Function, path: str, resource: LocatedMap, properties: LocatedMap, parameters: Any) -> None:
    """The grant is `function`'s: its template is read for it, and a permission is one of its own
    (a principal given by a parameter of the importing template read as its default)."""
    if path != function.location.path and path not in function.declaration_inputs:
        function.declaration_inputs = (*function.declaration_inputs, path)
    if resource.get("Type") != LAMBDA_PERMISSION:
        return
    for case in permission_cases(properties):
        source_arn = case.get("SourceArn")
        permission = invoke_permission(case, path, None,
                                       literal_arn(source_arn) if isinstance(source_arn, str) else None,
                                       parameters if isinstance(parameters, LocatedMap) else None, properties)
        if permission not in function.permissions:
            function.permissions.append(permission)


def _exports(documents: dict[str, Any], functions: dict[tuple[str, str], Function]) -> dict[str, list[Function]]:
    """Each export key of the templates' `Outputs` → the functions exported under it (`!GetAtt
    Fn.Arn` or `!Ref Fn` of a function the same template declares). A key that something other
    than a function is exported under too is left out: an import of it names no one function."""
    exports: dict[str, list[Function]] = {}
    others: set[str] = set()
    for path, document in documents.items():
        for output in _mapping(_mapping(document).get("Outputs")).values():
            if not isinstance(output, dict):
                continue
            key = _name_key(_mapping(output.get("Export")).get("Name"))
            if key is None:
                continue
            function = _function_of(output.get("Value"), path, functions)
            if function is None:
                others.add(key)
            elif function not in exports.setdefault(key, []):
                exports[key].append(function)
    return {key: listed for key, listed in exports.items() if key not in others}


def _function_of(value: Any, path: str, functions: dict[tuple[str, str], Function]) -> Function | None:
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (intrinsic, argument), = value.items()
    if intrinsic == "Ref" and isinstance(argument, str):
        return functions.get((path, argument))
    if intrinsic == "Fn::GetAtt":
        parts = argument.split(".", 1) if isinstance(argument, str) else argument
        if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn":
            return functions.get((path, str(parts[0])))
    return None


def _imported(value: Any) -> tuple[str | None, str] | None:
    """`Fn::ImportValue`'s name as a key (None when it is computed otherwise) and as written;
    None when the value is no import."""
    if not isinstance(value, dict) or set(value) != {"Fn::ImportValue"}:
        return None
    name = value["Fn::ImportValue"]
    key = _name_key(name)
    return key, _written(name)


def _name_key(name: Any) -> str | None:
    """A literal name, or an `Fn::Sub` template with each variable as `_ANY`; None otherwise, and
    for a template that writes too little besides its variables to tell one export from another."""
    if isinstance(name, str):
        return name.replace(_ANY, "")
    if not isinstance(name, dict) or set(name) != {"Fn::Sub"}:
        return None
    template = name["Fn::Sub"]
    template = template[0] if isinstance(template, list) and template else template
    if not isinstance(template, str):
        return None
    parts: list[str] = []
    index = 0
    while index < len(template):
        start = template.find("${", index)
        end = template.find("}", start) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append(template[index:].replace(_ANY, ""))
            break
        parts.append(template[index:start].replace(_ANY, ""))
        # `${!Literal}` is the text `${Literal}`, no variable
        literal = template.startswith("${!", start)
        parts.append("${" + template[start + 3:end + 1].replace(_ANY, "") if literal else _ANY)
        index = end + 1
    key = "".join(parts)
    # `${Env}-${Name}` says nothing of which export it is: the written text must name something
    return key if sum(char.isalnum() for char in key) >= MIN_NAMING_CHARACTERS else None


def _written(name: Any) -> str:
    """The import's name as the template writes it, for the note."""
    if isinstance(name, str):
        return name
    if isinstance(name, dict) and set(name) == {"Fn::Sub"}:
        template = name["Fn::Sub"]
        template = template[0] if isinstance(template, list) and template else template
        if isinstance(template, str):
            return template
    return ""


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
