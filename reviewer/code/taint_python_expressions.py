"""What each expression of one Python function holds, for LR306's flow-sensitive reading.

Event data or not, a known constant text, the kind of object (a database cursor, an HTTP
session, a DynamoDB table, a dict of the code's own keys); a sanitiser's call ends a flow, and a
call to the code's own function is read with its arguments' state (by reviewer/code/taint_python.py,
which reads across functions). Mixed into the reader of statements (taint_python_flow.py: the
statements in order, the environment they leave, the names a loop binds); each call's sinks are
checked as it is read (taint_python_sinks.py).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from reviewer.code.python_handlers import ROUTER_EVENTS
from reviewer.code.taint_common import (
    CLEAN,
    PRESIGNING_CALLS,
    UNKNOWN,
    Flow,
    Val,
    concat,
    first_flow,
    join,
    joined,
    looks_like_html,
    looks_like_sql,
    member_flow,
    merge,
    model_prompt_call,
    shorten,
)
from reviewer.code.taint_ends import python_result
from reviewer.code.taint_pages import PageHits
from reviewer.code.taint_python_sinks import (
    CONDITION_BUILDERS,
    DB_CONNECT,
    DB_MODULES,
    HTTP_CLIENTS,
    REQUEST_OBJECTS,
    PythonSinks,
    declares_html,
    dotted,
    is_logging,
    replace_fields,
    root_name,
    sanitizes,
    through_router_event,
    unparse,
)

if TYPE_CHECKING:
    from reviewer.code.taint_python import IndexedModule, PythonTaint


class PythonExpressions(PageHits, PythonSinks):
    """The expressions of the Python reader (its statements are `PythonFlowReader`'s)."""

    taint: PythonTaint
    env: dict[str, Val]
    function: ast.FunctionDef | ast.AsyncFunctionDef | None
    depth: int
    local_defs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]

    def bind_iterated(self, target: ast.expr, iterated: Val) -> None:
        raise NotImplementedError

    # -- expressions ------------------------------------------------------------------------

    def lookup(self, name: str) -> Val:
        if name in self.env:
            return self.env[name]
        if name in self.module.env and self.function is not None:
            return self.module.env[name]
        if name in self.module.imports:
            return Val(qual=self.module.imports[name])
        return Val(qual=name)

    def eval(self, node: ast.expr | None, logging: bool = False) -> Val:
        if node is None:
            return CLEAN
        if isinstance(node, ast.Constant):
            return Val(template=node.value) if isinstance(node.value, str) else CLEAN
        if isinstance(node, ast.Name):
            self.use(node.id, logging)
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            key = dotted(node)
            if key is not None and key in self.env:
                return self.env[key]
            if node.attr in ROUTER_EVENTS:
                self.eval(node.value, logging)
                return Val(Flow(shorten(unparse(node)), self.path, node.lineno), kind="event")
            base = self.eval(node.value, logging)
            if base.kind in ("event", "event-field"):
                return Val(self._field(node, base.flow, node.attr), kind="event-field")
            if base.qual is not None and base.flow is None:
                return Val(qual=f"{base.qual}.{node.attr}")
            return Val(member_flow(base.flow, node.attr),
                       kind=base.kind if base.kind in ("db", "dynamodb", "http") else None)
        if isinstance(node, ast.Subscript):
            base = self.eval(node.value, logging)
            self.eval(node.slice, logging)
            key = node.slice.value if isinstance(node.slice, ast.Constant) and \
                isinstance(node.slice.value, str) else None
            if base.kind in ("event", "event-field"):
                return Val(self._field(node, base.flow, key), kind="event-field")
            if base.fields is not None and key is not None:
                return base.field(key)
            return Val(member_flow(base.flow, key))
        if isinstance(node, ast.Call):
            return self.call(node, logging)
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node, logging)
        if isinstance(node, ast.FormattedValue):
            return self.eval(node.value, logging)
        if isinstance(node, ast.BinOp):
            return self.binop(node, logging)
        if isinstance(node, ast.BoolOp):
            values = [self.eval(value, logging) for value in node.values]
            result = values[0]
            for value in values[1:]:
                result = merge(result, value)
            return result
        if isinstance(node, ast.Compare):
            self.eval(node.left, logging)
            for comparator in node.comparators:
                self.eval(comparator, logging)
            return CLEAN
        if isinstance(node, ast.UnaryOp):
            value = self.eval(node.operand, logging)
            return CLEAN if isinstance(node.op, ast.Not) else Val(value.flow)
        if isinstance(node, ast.IfExp):
            self.eval(node.test, logging)
            return merge(self.eval(node.body, logging), self.eval(node.orelse, logging))
        if isinstance(node, ast.Dict):
            return self.dict_display(node, logging)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            flows = [self.eval(element, logging).flow for element in node.elts]
            return Val(joined(flows), kind="list")
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self.comprehension(node, logging)
        if isinstance(node, (ast.Await, ast.Starred)):
            return self.eval(node.value, logging)
        if isinstance(node, ast.NamedExpr):
            value = self.eval(node.value, logging)
            self.env[node.target.id] = value
            return value
        if isinstance(node, ast.Lambda):
            return CLEAN
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child, logging)
        return CLEAN

    def _field(self, node: ast.expr, flow: Flow | None, name: str | None) -> Flow | None:
        if flow is None:
            return None
        chain = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else node
        root = root_name(chain)
        if (root is None or self.lookup(root).kind != "event") and not through_router_event(chain):
            return flow.member(name)
        try:
            text = ast.unparse(node)
        except (ValueError, RecursionError):
            text = flow.field
        return Flow(shorten(text), self.path, node.lineno, flow.prefix)

    def fstring(self, node: ast.JoinedStr, logging: bool) -> Val:
        template = ""
        flow: Flow | None = None
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                template += part.value
                continue
            value = self.eval(part, logging)
            if value.flow is not None:
                flow = value.flow.after(template) if flow is None else join(flow, value.flow)
            template += value.template if value.template is not None else UNKNOWN
        result = Val(flow, template)
        self.built_string(node, result, logging)
        return result

    def binop(self, node: ast.BinOp, logging: bool) -> Val:
        left = self.eval(node.left, logging)
        right = self.eval(node.right, logging)
        if isinstance(node.op, NUMERIC_OPERATORS):
            return CLEAN
        if isinstance(node.op, ast.Add):
            result = concat(left, right)
        elif isinstance(node.op, ast.Mod) and left.template is not None:
            flow = join(left.flow, right.flow) if left.flow else \
                (right.flow.after(left.template.split("%")[0]) if right.flow else None)
            result = Val(flow, left.template.replace("%s", UNKNOWN).replace("%d", UNKNOWN))
        elif left.kind == "condition" or right.kind == "condition":
            result = Val(join(left.flow, right.flow), kind="condition")
        else:
            result = Val(join(left.flow, right.flow))
        if isinstance(node.op, (ast.Add, ast.Mod)):
            self.built_string(node, result, logging)
        return result

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, logging: bool) -> Val:
        saved = dict(self.env)
        for generator in node.generators:
            iterated = self.eval(generator.iter, logging)
            self.bind_iterated(generator.target, iterated)
            for condition in generator.ifs:
                self.eval(condition, logging)
        if isinstance(node, ast.DictComp):
            flow = join(self.eval(node.key, logging).flow, self.eval(node.value, logging).flow)
        else:
            flow = self.eval(node.elt, logging).flow
        self.env = saved
        return Val(flow, kind="list")

    def dict_display(self, node: ast.Dict, logging: bool) -> Val:
        flow: Flow | None = None
        keys_from_event = False
        entries: dict[str, tuple[ast.expr, Val]] = {}
        fields: list[tuple[str, Val]] | None = []
        for key, value_node in zip(node.keys, node.values, strict=True):
            if key is not None:
                key_flow = self.eval(key, logging).flow
                keys_from_event = keys_from_event or key_flow is not None
                flow = join(flow, key_flow)
            value = self.eval(value_node, logging)
            flow = join(flow, value.flow)
            keys_from_event = keys_from_event or key is None and value.flow is not None   # `**event[...]`
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                entries[key.value.lower()] = (value_node, value)
                if fields is not None:
                    fields.append((key.value, value))
            else:
                fields = None                # `**other` or a computed key: keys not all known
        body = entries.get("body")
        headers = entries.get("headers")
        if body is not None and body[1].flow is not None and headers is not None and \
                declares_html(headers[0]):
            self.hit("html", "the body of a `text/html` response", body[0].lineno, body[1].flow)
        if keys_from_event:     # not a dict of the code's own keys (see `bind_iterated`)
            return Val(flow)
        return Val(flow, kind="dict", fields=tuple(fields[:64]) if fields is not None else None)

    def built_string(self, node: ast.expr, value: Val, logging: bool) -> None:
        if value.flow is None or logging or value.template is None:
            return
        if looks_like_sql(value.template):
            self.hit("sql", "SQL text built with string formatting", node.lineno, value.flow, built=True)
        elif looks_like_html(value.template):
            self.hit("html", "HTML built with string formatting", node.lineno, value.flow, built=True)


    # -- calls ------------------------------------------------------------------------------

    def call(self, node: ast.Call, logging: bool) -> Val:
        func = node.func
        receiver: Val | None = None
        method: str | None = None
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value, logging)
            method = func.attr
            qual = f"{receiver.qual}.{method}" if receiver.qual and receiver.flow is None else None
        elif isinstance(func, ast.Name):
            callee = self.lookup(func.id)
            qual = callee.qual if func.id not in self.local_defs else None
        else:
            self.eval(func, logging)
            qual = None
        logging = logging or is_logging(qual, method, func) or model_prompt_call(qual, method)
        args = [self.eval(arg, logging) for arg in node.args]
        keywords = {keyword.arg: self.eval(keyword.value, logging) for keyword in node.keywords}
        self.sinks(node, qual, method, receiver, args, keywords)
        return self.result(node, qual, method, receiver, args, keywords)

    def result(self, node: ast.Call, qual: str | None, method: str | None, receiver: Val | None,
               args: list[Val], keywords: dict[str | None, Val]) -> Val:
        every = args + list(keywords.values())
        if sanitizes(qual, method) or method in PRESIGNING_CALLS:
            return CLEAN
        if (ended := python_result(qual, method, receiver)) is not None:
            return ended
        if qual in CONDITION_BUILDERS:
            return Val(first_flow(every), kind="condition")
        if receiver is not None and receiver.kind == "condition":
            return Val(receiver.flow, kind="condition")
        if qual is not None:
            root, _, last = qual.rpartition(".")
            if root.split(".")[0] in DB_MODULES and last in DB_CONNECT:
                return Val(kind="db")
            if qual in HTTP_CLIENTS:
                return Val(kind="http")
            if qual in REQUEST_OBJECTS:   # where it goes is its URL's; event data in the body is no forgery
                position = REQUEST_OBJECTS[qual]
                url = args[position] if len(args) > position else keywords.get("url", CLEAN)
                return Val(url.flow, url.template)
            if qual in ("boto3.client", "boto3.resource", "boto3.session.Session.client") and args and \
                    args[0].template == "dynamodb":
                return Val(kind="dynamodb")
            if qual in ("os.getenv", "os.environ.get"):
                return CLEAN
            if qual == "ruamel.yaml.YAML" and any(keyword.arg == "typ" and isinstance(keyword.value, ast.Constant)
                                                  and keyword.value.value == "unsafe" for keyword in node.keywords):
                return Val(kind="unsafe-yaml")
        if receiver is not None and method is not None and receiver.flow is None:
            if receiver.kind == "db" and method in ("cursor", "connect", "begin", "session", "acquire"):
                return Val(kind="db")
            if receiver.kind == "dynamodb" and method == "Table":
                return Val(kind="dynamodb")
            if receiver.kind == "http":
                return Val(first_flow(every))
            if receiver.template is not None and method == "format":
                return self.formatted(node, receiver, args, keywords)
            if receiver.template is not None and method == "join":
                flow = first_flow(args)
                return Val(flow, None)
        if receiver is not None and receiver.kind == "dict" and method in DICT_VIEWS and not args:
            return dict_view(receiver, method)
        if receiver is not None and receiver.kind == "dict" and method in ("update", "setdefault") and \
                isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            added = first_flow(every)
            if added is not None and method == "update" and len(args) == 1 and not keywords and \
                    args[0].kind == "dict":
                # `params.update({"FilterExpression": "...", "ExpressionAttributeValues": {...}})`:
                # a dict of the code's own keys stays one, its fields those of both.
                fields = receiver.fields + args[0].fields \
                    if receiver.fields is not None and args[0].fields is not None else None
                self.env[node.func.value.id] = Val(join(receiver.flow, added), kind="dict",
                                                   fields=fields[-64:] if fields is not None else None)
            elif added is not None:     # `d.update(event[...])`: its keys may now be the event's
                self.env[node.func.value.id] = Val(join(receiver.flow, added))
        if receiver is not None and method == "get" and receiver.fields is not None and args and \
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            return receiver.field(node.args[0].value)
        if receiver is not None and method == "get" and receiver.kind == "dict" and args:
            # a lookup in the code's own dict: the event may choose the key, the value is the dict's
            return Val(join(receiver.flow, first_flow(args[1:])))
        if receiver is not None and method is not None and receiver.flow is not None:
            key = node.args[0].value if method == "get" and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) else None
            if receiver.kind in ("event", "event-field") and method == "get":
                return Val(self._field(node, receiver.flow, key), kind="event-field")
            if key is not None:
                return Val(member_flow(receiver.flow, key))
            return Val(receiver.flow, receiver.template if method in ("strip", "lower", "upper") else None)
        local = self.local_function(node)
        if local is not None:
            return local
        return Val(first_flow(every))

    def formatted(self, node: ast.Call, receiver: Val, args: list[Val], keywords: dict[str | None, Val]) -> Val:
        template = receiver.template or ""
        flow = first_flow(args + list(keywords.values()))
        result = Val(flow.after(template.split("{")[0]) if flow else None,
                     replace_fields(template))
        self.built_string(node, result, False)
        return result

    def local_function(self, node: ast.Call) -> Val | None:
        """The value a call to the code's own function returns, read with the arguments' state."""
        func = node.func
        target: tuple[IndexedModule, ast.FunctionDef | ast.AsyncFunctionDef, bool] | None = None
        closure: dict[str, Val] | None = None
        if isinstance(func, ast.Name):
            if func.id in self.local_defs:
                target = (self.module, self.local_defs[func.id], False)
                closure = self.env
                self.use_all()
            elif func.id in self.module.functions:
                target = (self.module, self.module.functions[func.id], False)
            elif func.id in self.module.classes:
                return Val(kind=f"class:{func.id}")
            elif func.id in self.module.imports:
                target = self._imported(self.module.imports[func.id])
        elif isinstance(func, ast.Attribute):
            receiver = self.eval(func.value)
            if receiver.qual is not None:
                target = self._imported(f"{receiver.qual}.{func.attr}")
            elif isinstance(func.value, ast.Name) and func.value.id == "self" and self.function is not None:
                for methods in self.module.classes.values():
                    if func.attr in methods and self.function in methods.values():
                        target = (self.module, methods[func.attr], True)
            elif receiver.kind and receiver.kind.startswith("class:"):
                methods = self.module.classes.get(receiver.kind[6:], {})
                if func.attr in methods:
                    target = (self.module, methods[func.attr], True)
        if target is None:
            return None
        module, definition, skip_self = target
        params = [arg.arg for arg in definition.args.posonlyargs + definition.args.args]
        if skip_self:
            params = params[1:]
        bound: dict[str, Val] = {}
        for param, arg in zip(params, node.args, strict=False):  # defaults and *args make them differ
            if isinstance(arg, ast.Starred):
                break
            bound[param] = self.eval(arg)
        for keyword in node.keywords:
            if keyword.arg is not None:
                bound[keyword.arg] = self.eval(keyword.value)
        return self.taint.call_function(module, definition, bound, self.depth + 1, closure, (self, node))

    def _imported(self, qual: str) -> tuple[IndexedModule, ast.FunctionDef | ast.AsyncFunctionDef, bool] | None:
        module_name, _, name = qual.rpartition(".")
        module = self.taint.modules.get(module_name)
        if module is not None and name in module.functions:
            return module, module.functions[name], False
        return None


# -- helpers -----------------------------------------------------------------------------------

# What `.items()` of a dict the code built gives: pairs of a clean key and a value that may hold
# event data (`bind_iterated` splits them).
DICT_ITEMS = "dict-items"

# The views of a dict the code built (kind "dict": its keys are constants or the code's own values):
# its keys are clean, its values carry whatever event data it holds.
DICT_VIEWS = frozenset({"keys", "values", "items"})


def dict_view(mapping: Val, method: str) -> Val:
    """What `keys()`, `values()` or `items()` of a dict the code built gives."""
    if method == "keys":
        return CLEAN
    return Val(mapping.flow, kind=DICT_ITEMS if method == "items" else None)



# Operators no text, bytes, list or dict of an event supports: their result is a number, which
# carries no syntax into a command, query or page (`(start + end) / 2`, `ms // 1000`). `-`, `&`,
# `|`, `^` stay out (sets and dicts have them), and `*` repeats text, `%` formats it.
NUMERIC_OPERATORS = (ast.Div, ast.FloorDiv, ast.Pow, ast.LShift, ast.RShift, ast.MatMult)
