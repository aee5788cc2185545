"""`LambdaRestApi` proxy routes in Java, Kotlin, C# and Go CDK apps, for LR305.

`LambdaRestApi.Builder.create(this, "Api").handler(fn).build()` (Java, Kotlin),
`new LambdaRestApi(this, "Api", new LambdaRestApiProps { Handler = fn })` (C#) and
`awsapigateway.NewLambdaRestApi(stack, jsii.String("Api"), &awsapigateway.LambdaRestApiProps{Handler: fn})`
(Go) send every path to `fn` (`ANY /{proxy+}`) unless `proxy` is false, with no authorizer unless
`defaultMethodOptions` sets one. An HTTP API whose `defaultIntegration` is a `HttpLambdaIntegration`
(`new HttpApi(this, "Api", new HttpApiProps { DefaultIntegration = new HttpLambdaIntegration("Int",
fn) })`) sends every request no route matches to `fn` (`ANY $default`), with no authorizer unless
`defaultAuthorizer` sets one. The properties are read the way the construct reader reads a
function's, by `cdk/values.py`'s `ValueReader` (builder chains, object initializers, struct literals,
variables); the function is the construct stored in the variable `handler` names, matched to the
inventory by its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer import source_trees as st
from reviewer.inventory.cdk import modules as cdk_modules
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call, assigned_name, chain_end
from reviewer.inventory.cdk.values import Env, Props, ValueReader

LANGUAGES = frozenset({"java", "kotlin", "csharp", "go"})
MAX_CHAIN = 200


@dataclass(frozen=True)
class ProxyApi:
    """A `LambdaRestApi` that proxies every request to one function."""

    handler: str                 # the variable holding the function
    options: dict[str, str]      # what `defaultMethodOptions` says (`authorizer`, `authorizationType`, ...)
    line: int
    http: bool = False           # an HTTP API's `$default` route rather than a REST API's proxy


def proxy_apis(language: str, text: str) -> tuple[list[ProxyApi], dict[str, int]]:
    """The proxying `LambdaRestApi`s of one file, and each stored construct's variable → line."""
    root = st.parse(language, text).root_node
    reader = ValueReader(language, root, cdk_modules.symbols_of(language, root))
    apis: list[ProxyApi] = []
    stored: dict[str, int] = {}
    for node in st.walk(root):
        if node.type not in CALL_TYPES:
            continue
        call = as_call(node)
        if call is None or len(call.args) < 2:
            continue
        if (variable := assigned_name(node)) is not None:
            stored.setdefault(variable, st.line(node))
        http = _http_default(reader, call)
        if http is not None:
            apis.append(http)
            continue
        props = _rest_api_props(reader, call)
        if props is None:
            continue
        entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
        handler = entries.get("handler")
        proxy = entries.get("proxy")
        if handler is None or proxy is not None and "false" in st.text(proxy.value).lower():
            continue
        options: dict[str, str] = {}
        if (defaults := entries.get("defaultMethodOptions")) is not None:
            inner = reader.props(defaults.value, defaults.env)
            for key, entry in inner.entries.items():
                value = st.string_value(entry.value) or st.text(entry.value)
                options[key[:1].lower() + key[1:]] = value.replace("AuthorizationType_", "AuthorizationType.")
        name = st.text(st.unwrap(handler.value)).rpartition(".")[2]
        apis.append(ProxyApi(name, options, st.line(node)))
    return apis, stored


def _http_default(reader: ValueReader, call: Call) -> ProxyApi | None:
    """The `$default` route of an HTTP API made by `call` whose `defaultIntegration` is a Lambda
    integration (`new HttpLambdaIntegration("Int", fn)`, Go's `NewHttpLambdaIntegration(...)`); None
    for any other call."""
    callee = call.callee
    if callee[-3:] == ["HttpApi", "Builder", "create"]:
        top = chain_end(call.node, MAX_CHAIN)
        props = reader.props(top, Env()) if top is not call.node else Props()
    elif callee[-1:] in (["HttpApi"], ["NewHttpApi"]) and len(call.args) >= 3:
        props = reader.props(call.args[2], Env())
    else:
        return None
    entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
    integration = entries.get("defaultIntegration")
    node = st.unwrap(integration.value) if integration is not None else None
    made = as_call(node) if node is not None and node.type in CALL_TYPES else None
    if made is None or made.callee[-1:] not in (["HttpLambdaIntegration"], ["NewHttpLambdaIntegration"]) \
            or len(made.args) < 2:
        return None
    authorizer = entries.get("defaultAuthorizer")
    options = {"defaultAuthorizer": st.text(authorizer.value)} if authorizer is not None else {}
    return ProxyApi(st.text(st.unwrap(made.args[1]) or made.args[1]).rpartition(".")[2], options, st.line(call.node),
                    http=True)


def _rest_api_props(reader: ValueReader, call: Call) -> Props | None:
    """The properties of a `LambdaRestApi` creation, or None when `call` creates none."""
    callee = call.callee
    if callee[-3:] == ["LambdaRestApi", "Builder", "create"]:
        top = chain_end(call.node, MAX_CHAIN)
        return reader.props(top, Env()) if top is not call.node else Props()
    if callee[-1:] in (["LambdaRestApi"], ["NewLambdaRestApi"]) and len(call.args) >= 3:
        return reader.props(call.args[2], Env())
    return None
