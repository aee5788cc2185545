"""What the few library calls that matter return, as the Python evaluator reads them.

boto3 clients, resources and sessions (and the resource objects their factories make),
`os.environ`/`os.getenv`, `os.path.join`/`basename`/`splitext`, `urllib.parse.unquote_plus` and
the methods of text (`format`, `join`, `replace`, `lower`...). Kept apart from the evaluator's walk
over the syntax (`evaluate.py`), which mixes this in: a library call the review learns about is
added here. The arguments are evaluated by calling back `values` and `strings`.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from reviewer.code.evaluated_values import Handle, Scope, Sequence, Value, is_event, strings_of, unknown
from reviewer.code.operations import FACTORIES_BY_SHAPE, ResourceFactory
from reviewer.code.text_functions import (
    brace_format, environment_value, join_path, join_text, keep_end, replace_text,
)
from reviewer.code.values import ENV, StaticValue

_PASSTHROUGH = frozenset({
    "str", "urllib.parse.unquote_plus", "urllib.parse.unquote", "urllib.parse.quote",
    "urllib.parse.quote_plus", "posixpath.normpath", "os.path.normpath",
})
_LITERAL_STRING_METHODS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title"})
# Calls that decode a field of the event without changing what it is about: a Kinesis record's
# base64 data, a message's JSON body. Seen through only for event fields (as the Node.js reader
# sees through `JSON.parse`), so `json.loads(record["body"])["type"]` is `Records[].body.type`.
_DECODERS = frozenset({"json.loads", "base64.b64decode", "base64.standard_b64decode", "base64.urlsafe_b64decode",
                       "simplejson.loads", "orjson.loads", "ujson.loads"})


class LibraryCalls:
    """The library calls of the evaluator (mixed into it)."""

    def values(self, expr: ast.AST | None, scope: Scope, depth: int = 0) -> list[Value]:
        raise NotImplementedError

    def strings(self, expr: ast.AST | None, scope: Scope, depth: int = 0) -> list[StaticValue]:
        raise NotImplementedError

    def handle_call(self, handle: Handle, method: str, node: ast.Call, scope: Scope, depth: int) -> list[Value]:
        if handle.shape == "session" and method in ("client", "resource"):
            return self._create(method, node, scope, depth)
        factory = FACTORIES_BY_SHAPE.get((handle.service, handle.shape, method))
        if factory is not None:
            return [self._make_resource(factory, handle, node, scope, depth)]
        if handle.service == "sqs" and handle.shape == "client" and method == "get_queue_url":
            name = keyword_argument(node, "QueueName")
            return [Handle("sqs", "queue-url-response",
                           (self.strings(name, scope, depth)[0] if name is not None
                            else StaticValue.unknown("a queue name"),))]
        return unknown(f"the result of `{handle.service}.{method}()`")

    def _make_resource(self, factory: ResourceFactory, parent: Handle, node: ast.Call, scope: Scope,
                       depth: int) -> Handle:
        identifiers: list[StaticValue] = []
        for source in factory.identifiers:
            if source[0] == "parent":
                position = source[1]
                identifiers.append(parent.identifiers[position] if position < len(parent.identifiers)
                                   else StaticValue.unknown(f"the {parent.shape}'s name"))
                continue
            _, position, keyword = source
            expr = keyword_argument(node, keyword)
            if expr is None and 0 <= position < len(node.args):
                expr = node.args[position]
            identifiers.append(self.strings(expr, scope, depth)[0] if expr is not None
                               else StaticValue.unknown(f"the `{keyword}` argument"))
        return Handle(factory.service, factory.returns, tuple(identifiers))

    def _create(self, kind: str, node: ast.Call, scope: Scope, depth: int) -> list[Value]:
        expr = node.args[0] if node.args else keyword_argument(node, "service_name")
        services = self.strings(expr, scope, depth) if expr is not None else []
        out: list[Value] = []
        for service in services:
            if service.is_literal and service.text:
                out.append(Handle(service.text, "client" if kind == "client" else "resource"))
            else:
                out.extend(unknown("a boto3 client whose service is computed"))
        return out or unknown("a boto3 client without a service name")

    def external_call(self, dotted: str, node: ast.Call, scope: Scope, depth: int) -> list[Value]:
        arguments = node.args
        if dotted in ("boto3.client", "boto3.resource"):
            return self._create(dotted.rsplit(".", 1)[1], node, scope, depth)
        if dotted in ("boto3.Session", "boto3.session.Session"):
            return [Handle("", "session")]
        if dotted in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return self._getenv(node, scope, depth)
        if dotted in ("os.path.join", "posixpath.join"):
            parts = [self.strings(argument, scope, depth)[0] for argument in arguments[:16]]
            return [join_text(parts, "/")]
        if dotted in ("os.path.basename", "posixpath.basename") and arguments:
            return [keep_end(value, "suffix") for value in self.strings(arguments[0], scope, depth)]
        if dotted in ("os.path.splitext", "posixpath.splitext") and arguments:
            return [Sequence((keep_end(value, "prefix"), StaticValue.unknown("a file extension")))
                    for value in self.strings(arguments[0], scope, depth)]
        if (dotted in _PASSTHROUGH or dotted.split(".")[-1] in ("unquote_plus", "unquote")) and arguments:
            return self.values(arguments[0], scope, depth)
        if (dotted.startswith("aws_lambda_powertools") or dotted in _DECODERS) and arguments:
            values = self.values(arguments[0], scope, depth)
            if all(is_event(value) for value in values):
                return values
        return unknown(f"the result of `{dotted}()`")

    def _getenv(self, node: ast.Call, scope: Scope, depth: int) -> list[Value]:
        if not node.args:
            return unknown("an environment variable with a computed name")
        default: str | None = None
        if len(node.args) > 1:
            defaults = self.strings(node.args[1], scope, depth)
            if len(defaults) == 1 and defaults[0].is_literal:
                default = defaults[0].text
        return [environment_value(name.text, default) if name.is_literal
                else StaticValue.unknown("an environment variable with a computed name")
                for name in self.strings(node.args[0], scope, depth)]

    def string_method(self, receiver: StaticValue, method: str, node: ast.Call, scope: Scope,
                       depth: int) -> list[Value]:
        if is_event(receiver) and method == "decode":
            return [receiver]   # the bytes of a decoded Kinesis record's data, read as text
        if is_event(receiver) and method == "get" and node.args:
            keys = self.strings(node.args[0], scope, depth)
            if len(keys) == 1 and keys[0].is_literal:
                return [StaticValue.event(join_path(receiver.parts[0].text, f".{keys[0].text}"))]
        if method == "format" and receiver.is_literal:
            positional = [self.strings(argument, scope, depth)[0] for argument in node.args[:16]]
            named = {keyword.arg: self.strings(keyword.value, scope, depth)[0]
                     for keyword in node.keywords if keyword.arg}
            return [brace_format(receiver.text, positional, named)]
        if method == "join" and receiver.is_literal and node.args:
            out: list[Value] = []
            for sequence in self.values(node.args[0], scope, depth):
                if isinstance(sequence, Sequence):
                    out.append(join_text(strings_of(list(sequence.items)), receiver.text))
                else:
                    out.extend(unknown("text joined from a sequence built at run time"))
            return out
        if method == "replace" and len(node.args) == 2 and not node.keywords:
            replaced = replace_text(receiver, self.strings(node.args[0], scope, depth),
                                self.strings(node.args[1], scope, depth))
            if replaced is not None:
                return [replaced]
        if method in _LITERAL_STRING_METHODS and receiver.is_literal and not node.args:
            return [StaticValue.literal(getattr(receiver.text, method)())]
        if method in _LITERAL_STRING_METHODS and not node.args and len(receiver.parts) == 1 \
                and receiver.parts[0].kind == ENV and not receiver.parts[0].case:
            # `os.environ["BUCKET"].lower()`: the variable's value, cased as the analyzer reads it
            return [StaticValue((replace(receiver.parts[0], case=method),))]
        return unknown(f"the result of `.{method}()` on text")


def keyword_argument(node: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument `name` of a call, or None."""
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return None
