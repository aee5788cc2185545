"""The JavaScript/TypeScript sinks LR306 knows, and the checks that decide whether event data reaches one.

`JavaScriptSinks` is mixed into the reader of reviewer/code/taint_javascript_flow.py: it calls back
`eval`, `lookup` and `hit`, and reads the file's imports from `taint`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.javascript_handlers import named, unwrap
from reviewer.code.taint_common import (
    CLEAN,
    Flow,
    Val,
    first_flow,
    host_fixed,
    is_shell,
    trusted_url,
)

if TYPE_CHECKING:
    from reviewer.code.taint_javascript import JavaScriptTaint

Node = tree_sitter.Node

SQL_METHODS = frozenset({"query", "execute", "raw", "unsafe", "$queryRawUnsafe", "$executeRawUnsafe", "whereRaw",
                         "orderByRaw", "havingRaw", "joinRaw", "fromRaw", "any", "none", "one", "many",
                         "oneOrNone", "manyOrNone", "multi"})
# Method names too common elsewhere (`regex.exec`, `Promise.all`): sinks only on a known database object.
SQL_METHODS_OF_DB = frozenset({"exec", "prepare", "all", "run", "get", "result"})
DDB_METHODS = frozenset({"query", "scan", "get", "put", "update", "delete", "transactWrite", "transactGet",
                          "batchGet", "batchWrite", "getItem", "putItem", "updateItem", "deleteItem",
                          "executeStatement", "batchExecuteStatement", "executeTransaction", "transactWriteItems"})
CHILD_SHELL = frozenset({"exec", "execSync"})
CHILD_EXEC = frozenset({"spawn", "spawnSync", "execFile", "execFileSync", "fork"})
VM = frozenset({"runInContext", "runInNewContext", "runInThisContext", "compileFunction", "Script",
                 "SourceTextModule", "createScript"})
HTTP_MODULES = frozenset({"axios", "got", "request", "node-fetch", "superagent", "needle", "undici", "http",
                           "https", "cross-fetch", "isomorphic-fetch", "request-promise", "ky"})
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "fetch"})
# What the reader knows of the libraries around the sinks: sanitisers, checks, callbacks, clients, loggers.
SANITIZERS = frozenset({"parseInt", "parseFloat", "Number", "Boolean", "encodeURIComponent", "encodeURI",
                        "isNaN", "Number.parseInt", "Number.parseFloat", "Math.floor", "Math.round"})
BOOL_METHODS = frozenset({"includes", "startsWith", "endsWith", "test", "has", "indexOf", "some", "every",
                          "localeCompare", "hasOwnProperty"})
CALLBACK_METHODS = frozenset({"forEach", "map", "filter", "reduce", "flatMap", "find", "then", "some", "every"})
SQL_LIBRARIES = frozenset({"pg", "mysql", "mysql2", "mysql2/promise", "knex", "sequelize", "pg-promise",
                           "better-sqlite3", "sqlite3", "sqlite", "mssql", "oracledb", "@prisma/client", "postgres",
                           "serverless-mysql", "data-api-client", "@vercel/postgres", "mariadb", "typeorm",
                           "kysely", "pg-pool", "tedious", "snowflake-sdk"})
DDB_MODULES = ("@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "aws-sdk")
DDB_EXPRESSIONS = frozenset({"FilterExpression", "KeyConditionExpression", "ConditionExpression",
                             "UpdateExpression", "ProjectionExpression"})
DDB_CLIENTS = re.compile(r"(^|\.)(DocumentClient|DynamoDB|DynamoDBClient)$")
LOG_RECEIVERS = re.compile(r"^(console|logger|log|_log|LOGGER|LOG|this\.logger|this\.log)$")
# Calls that list an object's own keys: for an object whose every key the code wrote
# (`Object.keys({count: body.count})`), those names, as a `for...in` over it walks.
KEY_LISTS = frozenset({"Object.keys", "Object.getOwnPropertyNames"})


class JavaScriptSinks:
    """The sink checks of the JavaScript reader (mixed into it)."""

    taint: JavaScriptTaint

    def eval(self, node: Node | None, logging: bool = False) -> Val:
        raise NotImplementedError

    def lookup(self, name: str) -> Val:
        raise NotImplementedError

    def hit(self, family: str, sink: str, line: int, flow: Flow, built: bool = False) -> None:
        raise NotImplementedError

    def sinks(self, node: Node, qual: str | None, method: str | None, receiver: Val | None, args: list[Val],
              argument_nodes: list[Node], new: bool) -> None:
        line = st.line(node)
        first = args[0] if args else CLEAN
        module, _, name = (qual or "").rpartition(".")
        module = module.split(".")[0] if module else ""
        if module == "child_process" or module in ("shelljs", "execa"):
            if name in CHILD_SHELL or (module == "shelljs" and name == "exec") or name == "execaCommand":
                if first.flow:
                    self.hit("command", f"`{name}` (runs a shell)", line, first.flow)
            elif name in CHILD_EXEC or module == "execa":
                self.exec_style(node, name, args, argument_nodes)
            return
        if qual in ("eval", "global.eval", "globalThis.eval") and first.flow:
            self.hit("code", "`eval`", line, first.flow)
            return
        # `setTimeout(text)` evaluates its text in a browser only: Node.js throws a TypeError for a
        # callback that is no function, so in a Lambda function it runs no code (no sink).
        if qual in ("Function", "global.Function") and (flow := first_flow(args)):
            self.hit("code", "`Function` built from a string", line, flow)
            return
        if module == "vm" and name in VM and (flow := first_flow(args)):
            self.hit("code", f"`vm.{name}`", line, flow)
            return
        if qual in ("fetch", "globalThis.fetch") or qual in HTTP_MODULES or (
                module in HTTP_MODULES and name in HTTP_METHODS | {"default"}):
            self.request(node, qual or "", args, argument_nodes)
            return
        if module == "util" and name == "format":
            return
        if qual and module in ("node-serialize", "serialize-to-js", "funcster") and first.flow:
            self.hit("deserialization", f"`{qual}`", line, first.flow)
            return
        if new and qual and module in ("@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb") and \
                name.endswith("Command") and first.flow and first.kind != "dict":
            self.hit("nosql", f"`{name}` built from the event", line, first.flow)
            return
        if receiver is None or method is None or qual is not None:
            return
        if receiver.kind == "http" and method in HTTP_METHODS:    # an instance: `axios.create({baseURL})`
            self.request(node, f"{method}", args, argument_nodes)     # an absolute URL overrides its base
            return
        if receiver.kind == "dynamodb":
            if method in DDB_METHODS and first.flow and first.kind != "dict":
                self.hit("nosql", f"`{method}` request built from the event", line, first.flow)
            return
        if args and ((method in SQL_METHODS and (receiver.kind == "db" or self.taint.uses_sql))
                     or (method in SQL_METHODS_OF_DB and receiver.kind == "db")):
            query = first
            if argument_nodes and (obj := unwrap(argument_nodes[0])) is not None and obj.type == "object":
                query = self._property(obj, ("sql", "text", "query"))
            if query.flow is not None and query.kind != "function":
                self.hit("sql", f"`{method}`", line, query.flow)

    def _property(self, obj: Node, names: tuple[str, ...]) -> Val:
        for entry in obj.named_children:
            if entry.type == "pair":
                key = entry.child_by_field_name("key")
                if key is not None and (st.string_value(key) or st.text(key)) in names:
                    return self.eval(entry.child_by_field_name("value"))
            elif entry.type == "shorthand_property_identifier" and st.text(entry) in names:
                return self.lookup(st.text(entry))
        return CLEAN

    def exec_style(self, node: Node, name: str, args: list[Val], argument_nodes: list[Node]) -> None:
        if not args:
            return
        line = st.line(node)
        if args[0].flow:
            self.hit("command", f"`{name}` running a program the event names", line, args[0].flow)
            return
        options = [unwrap(argument) for argument in argument_nodes[1:]]
        shell = any(option is not None and option.type == "object" and
                    self._property(option, ("shell",)) != CLEAN for option in options)
        shell = shell or any(option is not None and option.type == "object" and
                             "shell: true" in st.text(option).replace("'", "").replace('"', "") for option in options)
        program = args[0].template
        for option in options:
            if option is not None and option.type == "array":
                values = [self.eval(element) for element in option.named_children]
                texts = [value.template if value.flow is None else None for value in values]
                flow = first_flow(values)
                if flow and (shell or (is_shell(program) and ("-c" in texts or "/c" in texts))):
                    self.hit("command", f"`{name}` running a shell", line, flow)
                    return

    def request(self, node: Node, name: str, args: list[Val], argument_nodes: list[Node]) -> None:
        if not args:
            return
        url = args[0]
        first = unwrap(argument_nodes[0]) if argument_nodes else None
        if first is not None and first.type == "object":
            url = self._property(first, _URL_OPTIONS)
        elif url.kind == "dict" and url.fields is not None:
            # options built in a variable (`const options = {url: TOKEN_URL, form: {code}}`): only
            # where the request goes matters, not what it carries
            url = next((value for key, value in url.fields if key in _URL_OPTIONS), CLEAN)
        if url.flow is not None and not host_fixed(url.flow.prefix) and not trusted_url(url.flow):
            self.hit("ssrf", f"`{name}`", st.line(node), url.flow)


# The options of an HTTP client's request that say where it goes.
_URL_OPTIONS = ("url", "uri", "baseURL", "host", "hostname")


def declares_html(headers: Node | None) -> bool:
    display = unwrap(headers)
    if display is None or display.type != "object":
        return False
    for entry in display.named_children:
        if entry.type != "pair":
            continue
        key = entry.child_by_field_name("key")
        value = entry.child_by_field_name("value")
        name = (st.string_value(key) or st.text(key)).lower() if key is not None else ""
        if name == "content-type" and "html" in (st.string_value(value) or "").lower():
            return True
    return False


def guards(condition: Node | None) -> tuple[set[str], set[str]]:
    if condition is None:
        return set(), set()
    if condition.type == "unary_expression" and st.text(condition.child_by_field_name("operator")) == "!":
        when_true, when_false = guards(unwrap(condition.child_by_field_name("argument")))
        return when_false, when_true
    if condition.type == "binary_expression" and st.text(condition.child_by_field_name("operator")) == "&&":
        return (guards(unwrap(condition.child_by_field_name("left")))[0]
                | guards(unwrap(condition.child_by_field_name("right")))[0]), set()
    if condition.type == "call_expression":
        func = condition.child_by_field_name("function")
        arguments = named(condition.child_by_field_name("arguments"))
        if func is not None and func.type == "member_expression" and arguments and \
                st.text(func.child_by_field_name("property")) in ("includes", "has", "test") and \
                arguments[0].type == "identifier":
            return {st.text(arguments[0])}, set()
    if condition.type == "binary_expression" and st.text(condition.child_by_field_name("operator")) in ("===", "=="):
        left = condition.child_by_field_name("left")
        right = condition.child_by_field_name("right")
        if left is not None and left.type == "identifier" and right is not None and right.type == "string":
            return {st.text(left)}, set()
    return set(), set()
