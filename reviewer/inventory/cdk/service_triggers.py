"""The services a CDK app points at a function by naming it, with no event source or permission the
reader would see: Cognito user pool triggers, WebSocket API routes, AppSync Lambda data sources,
CloudFront Lambda@Edge associations and CloudFormation custom resources (every CDK language;
Python read with `ast`).

CDK grants these services their invoke permission itself, so without this reading such a function
counts as having no trigger at all: one only the account invokes (`analyzers/untrusted_writers.py`),
while a user's sign-up attributes, a WebSocket message, a GraphQL argument or a viewer's request
is what its event carries. Read from the source file that constructs the function:

- `new UserPool(this, 'Pool', {lambdaTriggers: {preSignUp: fn}})`, the properties kept in a
  variable of the file too, and `pool.addTrigger(UserPoolOperation.PRE_SIGN_UP, fn)`
  (Python: `lambda_triggers=UserPoolTriggers(pre_sign_up=fn)`, `add_trigger(...)`);
- `new WebSocketLambdaIntegration('Id', fn)` (CDK v1: `new LambdaWebSocketIntegration({handler: fn})`);
- `api.addLambdaDataSource('Name', fn)` and `new LambdaDataSource(this, 'Id', {api, lambdaFunction: fn})`;
- `edgeLambdas: [{functionVersion: fn.currentVersion, eventType}]` of a distribution's behaviour
  (`defaultBehavior`, `additionalBehaviors`, `addBehavior(path, origin, {...})`), and
  `lambdaFunctionAssociations: [{lambdaFunction: fn.currentVersion}]` of a `CloudFrontWebDistribution`;
- a CloudFormation custom resource of the app: `new CustomResource(this, 'Id', {serviceToken:
  fn.functionArn})` (Python `service_token=fn.function_arn`), and a custom resource provider's
  `onEventHandler` or `isCompleteHandler` (`new cr.Provider(this, 'P', {onEventHandler: fn})`),
  whose events are what the stack's template sets (`analyzers/untrusted_writers.py`).

Each is a `Trigger` of the kind the other formats give the same source (SAM's `Cognito` event is
`other`, Serverless's `websocket` an `api`), named by the function's variable as `triggers.py`
names it, matched to the function by its construct's line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from reviewer import source_trees as st
from reviewer.inventory.cdk.construct_lines import by_construct_line
from reviewer.inventory.cdk.file_calls import AMBIGUOUS, FileCalls, python_stored_name
from reviewer.inventory.cdk.function_urls import NOT_FOLLOWED
from reviewer.inventory.cdk.syntax import MEMBER_TYPES, Call, holder_parts
from reviewer.inventory.cdk.constructs import resource_name
from reviewer.inventory.cdk.triggers import items_of
from reviewer.inventory.cdk.values import Env, Props, ValueReader
from reviewer.model import CUSTOM_RESOURCE_TYPE, PUBLISHED_VERSIONS_KEY, Function, Location, Trigger

# Words one of the sources is written with; a file without any is not read again.
_MARKERS = ("lambdaTriggers", "LambdaTriggers", "lambda_triggers", "UserPoolOperation", "WebSocketIntegration",
            "WebSocketLambdaIntegration", "LambdaDataSource", "lambda_data_source", "dgeLambdas", "edge_lambdas",
            "ambdaFunctionAssociations", "lambda_function_associations", "serviceToken", "ServiceToken",
            "service_token", "nEventHandler", "on_event_handler", "sCompleteHandler", "is_complete_handler")
_USER_POOLS = frozenset({"UserPool"})
_WEBSOCKET_INTEGRATIONS = frozenset({"WebSocketLambdaIntegration"})
_V1_WEBSOCKET_INTEGRATIONS = frozenset({"LambdaWebSocketIntegration"})
_DATA_SOURCES = frozenset({"LambdaDataSource"})
_DISTRIBUTIONS = frozenset({"Distribution", "CloudFrontWebDistribution"})
_CUSTOM_RESOURCES = frozenset({"CustomResource", "CfnCustomResource"})
_PROVIDERS = frozenset({"Provider"})
# A custom resource's `serviceToken` names a function by its ARN (`fn.functionArn`, Java `fn.getFunctionArn()`).
_ARNS = frozenset({"functionArn", "function_arn", "FunctionArn", "getFunctionArn()"})
# The functions of a custom resource provider (`aws-cdk-lib/custom-resources`).
_PROVIDER_HANDLERS = ("onEventHandler", "isCompleteHandler")
# The members a function's version is read through (`fn.currentVersion`, Python `fn.current_version`).
_VERSIONS = frozenset({"currentVersion", "latestVersion", "current_version", "latest_version",
                       "CurrentVersion", "LatestVersion"})
MAX_BEHAVIORS = 100       # a distribution's behaviours read: more is no real app's
MAX_ITEMS = 50            # a list's entries read (edge functions of one behaviour, triggers of one pool)

# (kind, type) of each service's trigger, as SAM and Serverless spell the same sources.
COGNITO = ("other", "Cognito")
WEBSOCKET = ("api", "WebSocket")
APPSYNC = ("other", "AppSync")
CLOUDFRONT = ("other", "CloudFront")
CUSTOM_RESOURCE = ("other", CUSTOM_RESOURCE_TYPE)


@dataclass(frozen=True)
class _Invoker:
    """One service pointed at a function: which, the function's variable, the line, how it is written."""

    service: tuple[str, str]
    function: str
    line: int
    how: str


def attach_service_triggers(rel: str, text: str, functions: list[Function], calls: FileCalls) -> None:
    """Give the functions this file constructs the user pools, APIs and distributions it points at them."""
    if not functions or not any(marker in text for marker in _MARKERS):
        return
    found = _python(calls.tree) if calls.tree is not None else _tree_sitter(calls)
    by_line = by_construct_line(functions)
    for invoker in found:
        for function in by_line.get(calls.stored.get(invoker.function, AMBIGUOUS), []):
            kind, type_ = invoker.service
            function.triggers.append(Trigger(kind, Location(rel, invoker.line), None,
                                             {"name": invoker.how, "type": type_}))
            if invoker.service != CUSTOM_RESOURCE:   # CloudFormation invokes the function it names, no version
                # Whether the app publishes versions is not read: LR401 would guess (reviewer.analyzers.deployment).
                function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, NOT_FOLLOWED)


# -- TypeScript, JavaScript, Java, Kotlin, C#, Go ----------------------------------------------------


def _tree_sitter(calls: FileCalls) -> list[_Invoker]:
    reader = calls.reader
    assert reader is not None
    found: list[_Invoker] = []
    for call in calls.calls:
        line = st.line(call.node)
        method = _camel(call.method or "")
        name = _class_name(call)
        if method == "addTrigger" and len(call.args) >= 2 and "UserPoolOperation" in st.text(call.args[0]):
            operation = st.text(call.args[0]).rpartition(".")[2]
            found.extend(_invoker(COGNITO, call.args[1], line, f"addTrigger({operation})"))
        elif method == "addLambdaDataSource" and len(call.args) >= 2:
            found.extend(_invoker(APPSYNC, call.args[1], line, "addLambdaDataSource"))
        elif method == "addBehavior" and len(call.args) >= 3:
            found.extend(_behavior(reader, reader.props(call.args[2], Env())))
        elif name in _WEBSOCKET_INTEGRATIONS and len(call.args) >= 2:
            found.extend(_invoker(WEBSOCKET, call.args[1], line, name))
        elif name in _V1_WEBSOCKET_INTEGRATIONS and call.args:
            handler = _entries(reader.props(call.args[0], Env())).get("handler")
            if handler is not None:
                found.extend(_invoker(WEBSOCKET, handler.value, line, name))
        elif name in _CUSTOM_RESOURCES | _PROVIDERS:
            options = _entries(_construct_options(reader, call))
            token = options.get("serviceToken") if name in _CUSTOM_RESOURCES else None
            holder = _arn_holder(token.value) if token is not None else None
            if holder is not None:
                found.append(_Invoker(CUSTOM_RESOURCE, holder, line, name))
            for key in _PROVIDER_HANDLERS if name in _PROVIDERS else ():
                if key in options:
                    found.extend(_invoker(CUSTOM_RESOURCE, options[key].value, line, f"{name}.{key}"))
        elif name in _USER_POOLS | _DATA_SOURCES | _DISTRIBUTIONS:
            options = _entries(_construct_options(reader, call))
            if name in _USER_POOLS and "lambdaTriggers" in options:
                triggers = reader.props(options["lambdaTriggers"].value, options["lambdaTriggers"].env)
                for operation, entry in list(triggers.entries.items())[:MAX_ITEMS]:
                    if operation != "...":
                        found.extend(_invoker(COGNITO, entry.value, entry.line, f"lambdaTriggers.{_camel(operation)}"))
            elif name in _DATA_SOURCES and "lambdaFunction" in options:
                found.extend(_invoker(APPSYNC, options["lambdaFunction"].value, line, name))
            elif name in _DISTRIBUTIONS:
                found.extend(_distribution(reader, options))
    return found


def _distribution(reader: ValueReader, options: dict[str, Any]) -> list[_Invoker]:
    """The edge functions of a distribution's behaviours (`Distribution`, `CloudFrontWebDistribution`)."""
    behaviors: list[Props] = []
    if "defaultBehavior" in options:
        behaviors.append(reader.props(options["defaultBehavior"].value, options["defaultBehavior"].env))
    if "additionalBehaviors" in options:
        additional = reader.props(options["additionalBehaviors"].value, options["additionalBehaviors"].env)
        behaviors.extend(reader.props(entry.value, entry.env) for entry in list(additional.entries.values())[:MAX_BEHAVIORS])
    origins = options.get("originConfigs")
    for origin in items_of(origins.value)[:MAX_BEHAVIORS] if origins is not None else []:
        listed = _entries(reader.props(origin, Env())).get("behaviors")
        behaviors.extend(reader.props(item, Env()) for item in (items_of(listed.value) if listed else [])[:MAX_BEHAVIORS])
    found: list[_Invoker] = []
    for behavior in behaviors[:MAX_BEHAVIORS]:
        found.extend(_behavior(reader, behavior))
    return found


def _behavior(reader: ValueReader, behavior: Props) -> list[_Invoker]:
    """`edgeLambdas: [{functionVersion: fn.currentVersion}]` or `lambdaFunctionAssociations: [{lambdaFunction}]`."""
    found: list[_Invoker] = []
    entries = _entries(behavior)
    for key, member in (("edgeLambdas", "functionVersion"), ("lambdaFunctionAssociations", "lambdaFunction")):
        listed = entries.get(key)
        for item in items_of(listed.value)[:MAX_ITEMS] if listed is not None else []:
            version = _entries(reader.props(item, Env())).get(member)
            holder = _version_holder(version.value) if version is not None else None
            if holder is not None:
                found.append(_Invoker(CLOUDFRONT, holder, version.line, key))   # type: ignore[union-attr]
    return found


def _version_holder(node: Any) -> str | None:
    """`fn.currentVersion` (Java `fn.getCurrentVersion()`) → `fn`; None for a version made otherwise."""
    node = st.unwrap(node)
    if node is None:
        return None
    parts = holder_parts(node) if node.type in MEMBER_TYPES else []
    if len(parts) >= 2 and parts[-1] in _VERSIONS:
        return resource_name(parts[:-1]).rpartition(".")[2]
    text = st.text(node)
    for getter in ("getCurrentVersion()", "getLatestVersion()"):
        if text.endswith("." + getter):
            return text[: -len(getter) - 1].rpartition(".")[2]
    return None


def _arn_holder(node: Any) -> str | None:
    """`fn.functionArn` (Java `fn.getFunctionArn()`) → `fn`; None for any other token (a topic's, a provider's)."""
    node = st.unwrap(node)
    head, _, member = st.text(node).rpartition(".") if node is not None else ("", "", "")
    name = head.rpartition(".")[2]
    return name if member in _ARNS and name.replace("_", "a").isalnum() else None


def _invoker(service: tuple[str, str], node: Any, line: int, how: str) -> list[_Invoker]:
    """The invoker of the function `node` names by its variable (`fn`, `this.fn`, `props.fn` → `fn`)."""
    node = st.unwrap(node)
    if node is None:
        return []
    name = st.text(node).rpartition(".")[2]
    return [_Invoker(service, name, line, how)] if name.replace("_", "a").isalnum() else []


def _class_name(call: Call) -> str:
    """The class a construct call makes, in any language's spelling (`new X`, Go's `NewX`)."""
    last = call.callee[-1] if call.callee else ""
    return last[3:] if last.startswith("New") and last[3:4].isupper() else last


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _entries(props: Props | None) -> dict[str, Any]:
    return {_camel(key): entry for key, entry in props.entries.items()} if props is not None else {}


def _construct_options(reader: ValueReader, call: Call) -> Props | None:
    """The properties of `new X(scope, id, {...})` (a builder chain's too, as `ValueReader.props` reads it)."""
    if len(call.args) >= 3:
        return reader.props(call.args[2], Env())
    return None


# -- Python ---------------------------------------------------------------------------------------


def _python(tree: ast.Module) -> list[_Invoker]:
    found: list[_Invoker] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _last(node.func)
        keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}
        if name == "add_trigger" and len(node.args) >= 2 and "UserPoolOperation" in ast.unparse(node.args[0]):
            operation = ast.unparse(node.args[0]).rpartition(".")[2]
            found.extend(_py_invoker(COGNITO, node.args[1], node.lineno, f"add_trigger({operation})"))
        elif name == "add_lambda_data_source":
            function = node.args[1] if len(node.args) >= 2 else keywords.get("lambda_function")
            found.extend(_py_invoker(APPSYNC, function, node.lineno, name))
        elif name in _WEBSOCKET_INTEGRATIONS:
            function = node.args[1] if len(node.args) >= 2 else keywords.get("handler")
            found.extend(_py_invoker(WEBSOCKET, function, node.lineno, name))
        elif name in _DATA_SOURCES:
            found.extend(_py_invoker(APPSYNC, keywords.get("lambda_function"), node.lineno, name))
        elif name == "EdgeLambda":
            found.extend(_py_version(keywords.get("function_version"), node.lineno, "edge_lambdas"))
        elif name == "LambdaFunctionAssociation":
            found.extend(_py_version(keywords.get("lambda_function"), node.lineno, "lambda_function_associations"))
        elif name in _CUSTOM_RESOURCES and isinstance(token := keywords.get("service_token"), ast.Attribute) \
                and token.attr in _ARNS:   # `service_token=fn.function_arn`
            found.extend(_py_invoker(CUSTOM_RESOURCE, token.value, node.lineno, name))
        elif name in _PROVIDERS:
            for key in ("on_event_handler", "is_complete_handler"):
                found.extend(_py_invoker(CUSTOM_RESOURCE, keywords.get(key), node.lineno, f"{name}.{key}"))
        if "lambda_triggers" in keywords:
            found.extend(_py_pool_triggers(keywords["lambda_triggers"]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):    # `{"function_version": fn.current_version, "event_type": ...}`
            entries = {key.value: value for key, value in zip(node.keys, node.values, strict=True)
                       if isinstance(key, ast.Constant) and isinstance(key.value, str)}
            if "function_version" in entries and "event_type" in entries:
                found.extend(_py_version(entries["function_version"], node.lineno, "edge_lambdas"))
    return found


def _py_pool_triggers(value: ast.expr) -> list[_Invoker]:
    """`UserPoolTriggers(pre_sign_up=fn)` or `{"pre_sign_up": fn}`."""
    if isinstance(value, ast.Call):
        pairs = [(keyword.arg, keyword.value) for keyword in value.keywords if keyword.arg]
    elif isinstance(value, ast.Dict):
        pairs = [(key.value, item) for key, item in zip(value.keys, value.values, strict=True)
                 if isinstance(key, ast.Constant) and isinstance(key.value, str)]
    else:
        return []
    found: list[_Invoker] = []
    for operation, function in pairs[:MAX_ITEMS]:
        found.extend(_py_invoker(COGNITO, function, function.lineno, f"lambda_triggers.{operation}"))
    return found


def _py_invoker(service: tuple[str, str], node: ast.expr | None, line: int, how: str) -> list[_Invoker]:
    name = python_stored_name(node) if node is not None else None
    return [_Invoker(service, name, line, how)] if name is not None else []


def _py_version(node: ast.expr | None, line: int, how: str) -> list[_Invoker]:
    """`fn.current_version` → the invoker of `fn`."""
    if isinstance(node, ast.Attribute) and node.attr in _VERSIONS:
        return _py_invoker(CLOUDFRONT, node.value, line, how)
    return []


def _last(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
