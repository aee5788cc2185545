"""What an expression in a JavaScript or TypeScript handler can hold, found by reading it.

The same answers as the Python evaluator (`evaluate.py`), as `StaticValue`s: literals, template
strings and `+`, `process.env.X` (with `||`/`??` defaults), fields of the handler's event,
`context.functionName`/`invokedFunctionArn` and `AWS_LAMBDA_FUNCTION_NAME` (the function's own
name), and the SDK objects a write is made through: v2 `new AWS.S3()`, v3 `new S3Client()`,
commands, document clients. Names are followed to their bindings, parameters to the arguments
of their call sites (and callbacks to the elements of the array they iterate), local functions
to their `return`s. Every walk is bounded; anything else is an "unknown" part saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from reviewer import source_trees as st
from reviewer.code import javascript_replace, text_functions
from reviewer.code.javascript_operations import V2_CLASSES, V2_CLIENT_MODULES, V3_PACKAGES
from reviewer.code.javascript_queue_urls import queue_url_request
from reviewer.code.javascript_program import (
    FUNCTION_TYPES, Binding, JsProgram, function_name, reexported, unwrap, visible_bindings,
)
from reviewer.code.javascript_wrappers import CHAIN_METHODS, wrapped_argument
from reviewer.code.values import EVENT, Part, StaticValue

MAX_ALTERNATIVES = 6
MAX_DEPTH = 30
FUNCTION_NAME_VARIABLE = "AWS_LAMBDA_FUNCTION_NAME"
_PASSTHROUGH_FUNCTIONS = frozenset({"decodeURIComponent", "decodeURI", "String", "encodeURIComponent", "unescape"})
_PASSTHROUGH_METHODS = frozenset({"replace", "replaceAll", "trim", "toString", "normalize", "promise"})
_ITERATING = frozenset({"map", "forEach", "filter", "flatMap", "some", "every", "find", "reduce"})
# Calls that decode a field of the event without changing what it is about: a stream record's
# base64 data, a message's JSON body, a DynamoDB image (`unmarshall`). Seen through only for
# event fields, so `JSON.parse(record.body).type` is the event field `Records[].body.type`.
_DECODERS = frozenset({"JSON.parse", "Buffer.from", "atob", "unmarshall"})


@dataclass(frozen=True)
class Sdk:
    """An AWS SDK object. kind: module (`aws-sdk`, `@aws-sdk/client-s3`), client-class, client,
    command-class, command (with `input` node and its file), upload-class; `doc` for DynamoDB
    document clients and their commands."""

    kind: str
    service: str = ""
    name: str = ""
    doc: bool = False
    file: str = ""
    input: Any = None


@dataclass(frozen=True)
class Special:
    """process, process.env, the Lambda context, a local module, Node's `path`."""

    kind: str
    name: str = ""


@dataclass(frozen=True)
class JsFunction:
    """A function of the code read: its file and its syntax node."""

    file: str
    node: Any


@dataclass(frozen=True)
class JsObject:
    """An object literal, kept as its node so properties can be read."""

    file: str
    node: Any


@dataclass(frozen=True)
class JsArray:
    """A list made from the event's records whose every element is `element`, a field of the
    event: `event.Records.map(parsePayload)` holds the decoded payloads."""

    element: StaticValue


JsValue = Union[StaticValue, Sdk, Special, JsFunction, JsObject, JsArray]


def unknown(reason: str) -> list[JsValue]:
    return [StaticValue.unknown(reason)]


def _is_event(value: object) -> bool:
    return isinstance(value, StaticValue) and len(value.parts) == 1 and value.parts[0].kind == EVENT


def _step(value: StaticValue, step: str) -> StaticValue:
    path = value.parts[0].text
    joined = f"{path}.{step}" if step != "[]" else f"{path}[]"
    return StaticValue.event(joined.lstrip("."))


class JsEvaluator:
    def __init__(self, program: JsProgram, handler: Any) -> None:
        self.program = program
        self.handler = handler            # the handler's function node (None: unknown)
        self._active: set[tuple[int, str]] = set()
        self._memo: dict[tuple[int, str], list[JsValue]] = {}
        # What a reader's helper learnt by walking one function, kept for the next write in it
        # (`javascript_record_guards`: its names' declarations, its assignments to fields).
        self.function_scans: dict[tuple[str, int], Any] = {}
        self.call_sites: dict[str, list[tuple[str, Any]]] = {}   # function name -> (file, call)
        self.callbacks: dict[int, tuple[str, Any]] = {}           # function node id -> (file, iterated expr)
        for path, file in program.files.items():
            for call in file.calls:
                name = st.call_name(call).rsplit(".", 1)[-1]
                if name:
                    self.call_sites.setdefault(name, []).append((path, call))
                function = call.child_by_field_name("function")
                arguments = call.child_by_field_name("arguments")
                if function is not None and function.type == "member_expression" and arguments is not None \
                        and st.text(function.child_by_field_name("property")) in _ITERATING and arguments.named_children:
                    self.callbacks[arguments.named_children[0].id] = (path, function.child_by_field_name("object"))
                    first = arguments.named_children[0]
                    if first.type == "identifier":
                        for node in self.program.files[path].functions.get(st.text(first), []):
                            self.callbacks[node.id] = (path, function.child_by_field_name("object"))

    # -- expressions ---------------------------------------------------------------------------

    def values(self, node: Any, file: str, depth: int = 0) -> list[JsValue]:
        if node is None:
            return unknown("a missing value")
        if depth > MAX_DEPTH:
            return unknown("an expression too deep to follow")
        key = (node.id, file)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return unknown("a value defined in terms of itself")
        self._active.add(key)
        try:
            found = self._values(unwrap(node), file, depth + 1)
        finally:
            self._active.discard(key)
        result: list[JsValue] = []
        for value in found:
            if value not in result:
                result.append(value)
            if len(result) >= MAX_ALTERNATIVES:
                break
        self._memo[key] = result or unknown("no value")
        return self._memo[key]

    def strings(self, node: Any, file: str, depth: int = 0) -> list[StaticValue]:
        return [value if isinstance(value, StaticValue) else StaticValue.unknown("a value that is not text")
                for value in self.values(node, file, depth)]

    def _values(self, node: Any, file: str, depth: int) -> list[JsValue]:
        kind = node.type
        if kind == "string":
            text = st.string_value(node)
            return [StaticValue.literal(text)] if text is not None else unknown("a string")
        if kind == "template_string":
            return self._template(node, file, depth)
        if kind == "number":
            return [StaticValue.literal(st.text(node))]
        if kind == "identifier":
            return self.lookup(st.text(node), file, depth, node)
        if kind == "member_expression":
            prop = node.child_by_field_name("property")
            return [value for receiver in self.values(node.child_by_field_name("object"), file, depth)
                    for value in self.attribute(receiver, st.text(prop), file, depth)]
        if kind == "subscript_expression":
            return self._subscript(node, file, depth)
        if kind == "binary_expression":
            return self._binary(node, file, depth)
        if kind == "ternary_expression":
            return self.values(node.child_by_field_name("consequence"), file, depth) + \
                self.values(node.child_by_field_name("alternative"), file, depth)
        if kind in ("call_expression", "new_expression"):
            return self.call(node, file, depth)
        if kind == "object":
            return [JsObject(file, node)]
        if kind in FUNCTION_TYPES:
            return [JsFunction(file, node)]
        return unknown(f"a {kind.replace('_', ' ')}")

    def _template(self, node: Any, file: str, depth: int) -> list[JsValue]:
        results = [StaticValue(())]
        for child in node.named_children:
            if child.type == "string_fragment":
                options = [StaticValue.literal(st.text(child))]
            elif child.type == "escape_sequence":
                options = [StaticValue.literal(st.string_value(node) or st.text(child)[1:])]
            elif child.type == "template_substitution":
                inner = child.named_children[0] if child.named_children else None
                options = self.strings(inner, file, depth)
            else:
                continue
            results = [left + right for left in results for right in options][:MAX_ALTERNATIVES]
        return list(results)

    def _binary(self, node: Any, file: str, depth: int) -> list[JsValue]:
        operator = st.text(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if operator == "+":
            return [a + b for a in self.strings(left, file, depth) for b in self.strings(right, file, depth)]
        if operator in ("||", "??"):
            first = self.values(left, file, depth)
            rest = self.values(right, file, depth)
            if len(first) == 1 and isinstance(first[0], StaticValue) and len(first[0].parts) == 1 \
                    and first[0].parts[0].kind == "env" and len(rest) == 1 and isinstance(rest[0], StaticValue) \
                    and rest[0].is_literal:
                return [StaticValue.env(first[0].parts[0].text, rest[0].text)]
            return first + rest
        return unknown("the result of an operator")

    def _subscript(self, node: Any, file: str, depth: int) -> list[JsValue]:
        index = unwrap(node.child_by_field_name("index"))
        key = st.string_value(index) if index is not None else None
        if key is None and index is not None and index.type == "identifier":
            keys = self.strings(index, file, depth)
            key = keys[0].text if len(keys) == 1 and keys[0].is_literal and keys[0].parts else None
        out: list[JsValue] = []
        for container in self.values(node.child_by_field_name("object"), file, depth):
            if key is not None:
                out.extend(self.attribute(container, key, file, depth))
            elif _is_event(container):
                assert isinstance(container, StaticValue)
                out.append(_step(container, "[]"))
            else:
                out.append(StaticValue.unknown(f"`{st.text(node)[:60]}`, read at run time"))
        return out

    # -- names ---------------------------------------------------------------------------------

    def lookup(self, name: str, file: str, depth: int, at: Any = None) -> list[JsValue]:
        bindings = visible_bindings(self.program.files[file].bindings.get(name, []), at)
        if not bindings:
            if name == "process":
                return [Special("process")]
            return unknown(f"`{name}`, which the code read does not define")
        out: list[JsValue] = []
        for binding in bindings[:MAX_ALTERNATIVES]:
            out.extend(self.binding(binding, depth))
        return out

    def binding(self, binding: Binding, depth: int) -> list[JsValue]:
        if binding.kind == "value":
            return self.values(binding.node, binding.file, depth)
        if binding.kind == "function":
            return [JsFunction(binding.file, binding.node)]
        if binding.kind == "import":
            return self.imported(binding.file, binding.module, binding.name, depth)
        if binding.kind == "element":
            return [self.element(value) for value in self.values(binding.node, binding.file, depth)]
        if binding.kind == "path":
            values = self.binding(binding.node, depth)
            for step in binding.steps:
                values = [item for value in values for item in self.attribute(value, step, binding.file, depth)] \
                    if step != "[]" else [self.element(value) for value in values]
            return values
        if binding.kind == "param":
            return self.parameter(binding, depth)
        if binding.kind == "caught":
            return unknown("an error caught at run time")
        return unknown("a binding")

    def element(self, value: JsValue) -> JsValue:
        if _is_event(value):
            assert isinstance(value, StaticValue)
            return _step(value, "[]")
        if isinstance(value, JsArray):
            return value.element
        return StaticValue.unknown("an element of a list read at run time")

    def parameter(self, binding: Binding, depth: int) -> list[JsValue]:
        function = binding.node
        if self.handler is not None and function == self.handler:
            if binding.index == 0:
                return [StaticValue.event("")]
            if binding.index == 1:
                return [Special("context")]
        if function.id in self.callbacks and binding.index == 0:
            source_file, iterated = self.callbacks[function.id]
            return [self.element(value) for value in self.values(iterated, source_file, depth)]
        name = function_name(function)
        out: list[JsValue] = []
        sites = [(path, call) for path, call in (self.call_sites.get(name, []) if name else [])
                 if not self.package_call(path, call)]
        for path, call in sites[:8]:
            arguments = call.child_by_field_name("arguments")
            items = [child for child in arguments.named_children if child.type != "comment"] if arguments else []
            if binding.index < len(items) and items[binding.index].type != "spread_element":
                out.extend(self.values(items[binding.index], path, depth))
        if not out and binding.default is not None:
            return self.values(binding.default, binding.file, depth)
        return out or unknown(f"a parameter of `{name or 'a function'}()`")

    def package_call(self, path: str, call: Any) -> bool:
        """Whether `call` is a method of a package (`co.wrap(...)`, `_.get(...)`) or of an AWS SDK
        client (`eventbridge.putEvents(params)` beside a helper of the code named `putEvents`),
        which shares only its last name with a function of the code: its arguments are not that
        function's, and it is no call of it."""
        target = unwrap(call.child_by_field_name("function"))
        if target is None or target.type != "member_expression":
            return False
        root = target
        while root is not None and root.type == "member_expression":
            root = unwrap(root.child_by_field_name("object"))
        if root is None or root.type != "identifier":
            return False
        bindings = self.program.files[path].bindings.get(st.text(root), [])
        if bindings and all(binding.kind == "import" and (path, binding.module) not in self.program.resolved_imports
                            for binding in bindings):
            return True
        receivers = self.values(target.child_by_field_name("object"), path)
        return bool(receivers) and all(isinstance(receiver, Sdk) for receiver in receivers)

    def imported(self, file: str, module: str, name: str, depth: int) -> list[JsValue]:
        target = self.program.resolved_imports.get((file, module))
        if target is not None:
            if target not in self.program.files:    # past the program's bound of files: never read
                return unknown(f"`{name}` from {target}, a file left unread")
            if name in ("*", "default") and "default" not in self.program.files[target].exports:
                return [Special("local-module", target)]
            return self.export(target, "default" if name == "*" else name, depth)
        if module == "aws-sdk":
            return [Sdk("module", name="aws-sdk")] if name in ("*", "default") else \
                self.attribute(Sdk("module", name="aws-sdk"), name, file, depth)
        sdk_module = self._sdk_module(module)
        if sdk_module is not None:
            return [sdk_module] if name in ("*", "default") else self.attribute(sdk_module, name, file, depth)
        if module in ("path", "node:path"):
            return [Special("path")] if name in ("*", "default") else [Special("path-function", name)]
        if module in ("os", "node:os"):
            return [Special("os")] if name in ("*", "default") else [Special("os-function", name)]
        if module == "process" or module == "node:process":
            return [Special("process")] if name in ("*", "default") else self.attribute(Special("process"), name,
                                                                                       file, depth)
        return unknown(f"`{name}` from `{module}`")

    def _sdk_module(self, module: str) -> Sdk | None:
        if module in V2_CLIENT_MODULES:
            return Sdk("client-class", V2_CLIENT_MODULES[module], doc=False)
        if module.startswith("@aws-sdk/"):
            package = module.split("/", 1)[1]
            if package in V3_PACKAGES:
                return Sdk("module", V3_PACKAGES[package], name=module)
            if package in ("lib-dynamodb", "util-dynamodb"):
                return Sdk("module", "dynamodb", name=module, doc=True)
            if package == "lib-storage":
                return Sdk("module", "s3", name=module)
        return None

    def export(self, path: str, name: str, depth: int) -> list[JsValue]:
        path, name = reexported(self.program, path, name)     # past a barrel's `export * from`
        file = self.program.files.get(path)
        if file is None or name not in file.exports:
            return unknown(f"`{name}` exported by {path}")
        value = file.exports[name]
        if isinstance(value, str):
            return self.lookup(value, path, depth)
        if value is not None and value.type in FUNCTION_TYPES:
            return [JsFunction(path, value)]
        return self.values(value, path, depth)

    # -- attributes ----------------------------------------------------------------------------

    def attribute(self, receiver: JsValue, name: str, file: str, depth: int) -> list[JsValue]:
        if _is_event(receiver):
            assert isinstance(receiver, StaticValue)
            return [_step(receiver, name)]
        if isinstance(receiver, Special):
            if receiver.kind == "process" and name == "env":
                return [Special("env")]
            if receiver.kind == "env":
                return [StaticValue.function_name() if name == FUNCTION_NAME_VARIABLE else StaticValue.env(name)]
            if receiver.kind == "context":
                if name in ("functionName", "invokedFunctionArn", "function_name", "invoked_function_arn"):
                    return [StaticValue.function_name()]
                return unknown(f"the context attribute `{name}`")
            if receiver.kind == "local-module":
                return self.export(receiver.name, name, depth)
            if receiver.kind == "path":
                return [Special("path-function", name)]
        if isinstance(receiver, Sdk) and receiver.kind == "queue-url-response" and name == "QueueUrl":
            return [v for obj in self.values(receiver.input, receiver.file, depth) if isinstance(obj, JsObject)
                    for v in self._property(obj, "QueueName", depth)] or unknown("the queue name GetQueueUrl is given")
        if isinstance(receiver, Sdk):
            return [self._sdk_attribute(receiver, name)]
        if isinstance(receiver, JsObject):
            return self._property(receiver, name, depth)
        return unknown(f"the property `{name}` of a value read at run time")

    def _sdk_attribute(self, sdk: Sdk, name: str) -> JsValue:
        if sdk.kind == "module" and sdk.name == "aws-sdk":
            if name in V2_CLASSES:
                return Sdk("client-class", V2_CLASSES[name])
            return Sdk("module", name=f"aws-sdk.{name}")
        if sdk.kind == "client-class" and sdk.service == "dynamodb" and name == "DocumentClient":
            return Sdk("client-class", "dynamodb", doc=True)
        if sdk.kind == "module" and sdk.name == "@aws-sdk/lib-storage" and name == "Upload":
            return Sdk("upload-class", "s3")
        if sdk.kind == "module" and sdk.service:
            if name.endswith("Command"):
                return Sdk("command-class", sdk.service, name=name, doc=sdk.doc)
            if name[:1].isupper():
                return Sdk("client-class", sdk.service, doc=sdk.doc)
        if sdk.kind == "client-class" and name in ("from", "fromClient"):
            return Sdk("factory", sdk.service, doc=sdk.doc)
        return StaticValue.unknown(f"`{name}` of the AWS SDK")

    def _property(self, obj: JsObject, name: str, depth: int) -> list[JsValue]:
        """The property `name` of an object literal, looked for in the objects it spreads too: each
        spread one level deeper, since `item = {...item, state}` spreads (among its values) itself."""
        if depth > MAX_DEPTH:
            return unknown("an object spread too deep to follow")
        for child in reversed(obj.node.named_children):
            if child.type == "pair":
                key = child.child_by_field_name("key")
                key_text = st.string_value(key) if key is not None and key.type == "string" else st.text(key)
                if key_text == name:    # one level deeper: a value can lead back to this object
                    return self.values(child.child_by_field_name("value"), obj.file, depth + 1)
            elif child.type == "shorthand_property_identifier" and st.text(child) == name:
                return self.lookup(name, obj.file, depth + 1, child)
            elif child.type == "spread_element" and child.named_children:
                for inner in self.values(child.named_children[0], obj.file, depth):
                    if isinstance(inner, JsObject) and inner.node.id != obj.node.id:
                        found = self._property(inner, name, depth + 1)
                        if not all(isinstance(v, StaticValue) and not v.is_literal and v.parts and
                                   v.parts[0].text.startswith("no property") for v in found):
                            return found
        return unknown(f"no property `{name}`")

    # -- calls ---------------------------------------------------------------------------------

    def call(self, node: Any, file: str, depth: int) -> list[JsValue]:
        target = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        arguments = node.child_by_field_name("arguments")
        items = [child for child in arguments.named_children] if arguments is not None else []
        if node.type == "call_expression" and st.call_name(node) == "require" and items:
            specifier = st.string_value(items[0])
            return self.imported(file, specifier, "*", depth) if specifier else unknown("a computed require")
        decoded = self._decoded(node, items, file, depth)
        if decoded is not None:
            return decoded
        inner = wrapped_argument(node)    # captureAWSv3Client(client), co.wrap(function* () {...})
        if inner is not None:
            return self.values(inner, file, depth)
        target = unwrap(target)
        if target is not None and target.type == "member_expression":
            method = st.text(target.child_by_field_name("property"))
            receivers = self.values(target.child_by_field_name("object"), file, depth)
            out: list[JsValue] = []
            for receiver in receivers:
                out.extend(self._method(receiver, method, items, file, depth, node))
            return out
        out = []
        for callee in self.values(target, file, depth):
            out.extend(self._plain(callee, items, file, depth, node))
        return out

    def _decoded(self, node: Any, items: list, file: str, depth: int) -> list[JsValue] | None:
        """The event field a decoder is given (`JSON.parse(record.body)`, `Buffer.from(data,
        'base64')`, `new Buffer(...)`, `unmarshall(image)`), or None for any other call or value."""
        if node.type == "new_expression":
            name = st.text(node.child_by_field_name("constructor"))
            name = "Buffer.from" if name == "Buffer" else ""
        else:
            name = st.call_name(node)
        if not items or (name not in _DECODERS and name.rsplit(".", 1)[-1] != "unmarshall"):
            return None
        found = self.values(items[0], file, depth)
        return found if found and all(_is_event(value) for value in found) else None

    def _plain(self, callee: JsValue, items: list, file: str, depth: int, node: Any) -> list[JsValue]:
        if isinstance(callee, Sdk):
            if callee.kind in ("client-class", "factory"):
                return [Sdk("client", callee.service, doc=callee.doc)]
            if callee.kind == "command-class":
                return [Sdk("command", callee.service, callee.name, callee.doc, file, items[0] if items else None)]
            if callee.kind == "upload-class":
                return [Sdk("upload", "s3", file=file, input=items[0] if items else None)]
        if isinstance(callee, JsFunction):
            return self.returns(callee, depth)
        if isinstance(callee, StaticValue) and callee.parts and callee.parts[0].kind == "unknown":
            name = st.call_name(node)
            if name in _PASSTHROUGH_FUNCTIONS and items:
                return self.values(items[0], file, depth)
        if isinstance(callee, Special) and callee.kind == "path-function":
            return self._path_function(callee.name, items, file, depth)
        if isinstance(callee, Special) and callee.kind == "os-function" and callee.name == "tmpdir":
            return [StaticValue.literal("/tmp")]
        return unknown(f"the result of `{st.text(node)[:40]}`")

    def _method(self, receiver: JsValue, method: str, items: list, file: str, depth: int,
                node: Any) -> list[JsValue]:
        if _is_event(receiver) or isinstance(receiver, JsArray):
            listed = self._records(receiver, method, items, file, depth)
            if listed is not None:
                return listed
        request = queue_url_request(receiver, method, items, file, lambda item: self.values(item, file, depth))
        if request is not None:
            return [Sdk("queue-url-response", "sqs", file=request[0], input=request[1])]
        if isinstance(receiver, Sdk):
            if receiver.kind == "factory":
                return [Sdk("client", receiver.service, doc=receiver.doc)]
            if receiver.kind in ("module", "client-class") or method in ("promise",):
                return self._plain(self._sdk_attribute(receiver, method), items, file, depth, node)
            return unknown(f"the result of `.{method}()` on an AWS SDK client")
        if isinstance(receiver, Special):
            if receiver.kind == "path":
                return self._path_function(method, items, file, depth)
            if receiver.kind == "os" and method == "tmpdir":
                return [StaticValue.literal("/tmp")]
            if receiver.kind == "local-module":
                return [value for callee in self.export(receiver.name, method, depth)
                        for value in self._plain(callee, items, file, depth, node)]
        if isinstance(receiver, StaticValue) and method in ("replace", "replaceAll") and len(items) == 2:
            result = self._replace(receiver, method, items, file, depth)
            if result is not None:
                return [result]
            if any(part.kind == EVENT for part in receiver.parts):
                # Not the incoming key any more, and not one that can be stated.
                return unknown(f"the result of `.{method}()` on {receiver.describe()}")
        if isinstance(receiver, StaticValue) and method in _PASSTHROUGH_METHODS:
            return [receiver]
        if isinstance(receiver, StaticValue) and method in ("toLowerCase", "toUpperCase") and receiver.is_literal:
            return [StaticValue.literal(getattr(receiver.text, "lower" if method == "toLowerCase" else "upper")())]
        if isinstance(receiver, JsFunction) and method in CHAIN_METHODS:
            return [receiver]    # middy(handler).use(...): still the handler
        if isinstance(receiver, JsObject):
            return [value for callee in self._property(receiver, method, depth)
                    for value in self._plain(callee, items, file, depth, node)]
        return unknown(f"the result of `.{method}()`")

    def _records(self, receiver: JsValue, method: str, items: list, file: str, depth: int) -> list[JsValue] | None:
        """A list of the event's records, filtered (`.filter(...)`: the same elements), searched
        (`.find(...)`: one of them) or mapped (`.map(parsePayload)`: what the callback returns
        for one, when that is a field of the event); None for any other method."""
        if method == "filter":
            return [receiver]
        if method == "find":
            return [self.element(receiver)]
        if method != "map" or not items:
            return None
        returned = [value for callee in self.values(items[0], file, depth) if isinstance(callee, JsFunction)
                    for value in self.returns(callee, depth)]
        if not returned or not all(_is_event(value) for value in returned):
            return unknown("a list mapped from the event's records")
        return [JsArray(value) for value in returned if isinstance(value, StaticValue)]

    def _replace(self, receiver: StaticValue, method: str, items: list, file: str,
                 depth: int) -> StaticValue | None:
        """`.replace`/`.replaceAll` with a string or plain regex literal and constant text (no `$`
        substitutions), so a rewritten event key keeps what it ends with, as in Python."""
        if items[0].type == "regex":
            pattern = javascript_replace.regex_pattern(items[0])
        else:
            olds = self.strings(items[0], file, depth)
            pattern = (javascript_replace.string_pattern(olds[0].text, method)
                       if len(olds) == 1 and olds[0].is_literal and olds[0].text else None)
        news = self.strings(items[1], file, depth)
        if items[0].type != "regex" and pattern is None and len(news) == 1 and "$" not in news[0].text:
            olds = self.strings(items[0], file, depth)
            return text_functions.replaced_event_key(receiver, olds[0], news[0]) if len(olds) == 1 else None
        if pattern is None or len(news) != 1 or not news[0].is_literal or "$" in news[0].text:
            return None
        return javascript_replace.replaced(receiver, pattern, news[0].text)

    def _path_function(self, name: str, items: list, file: str, depth: int) -> list[JsValue]:
        parts = [self.strings(item, file, depth)[0] for item in items[:12]]
        if name in ("join", "posix.join") and parts:
            result = StaticValue(())
            for index, part in enumerate(parts):
                result = (result + StaticValue.literal("/") if index else result) + part
            return [result]
        if name == "basename" and len(parts) > 1:   # basename(p, ext) drops the extension too
            return [StaticValue.unknown("a file name without its extension")]
        if name == "basename" and parts:
            value = parts[0]
            if value.is_literal:
                return [StaticValue.literal(value.text.rsplit("/", 1)[-1])]
            tail = [Part(part.kind, part.text, part.default, "suffix") if part.kind == EVENT else part
                    for part in value.parts[-1:]]
            return [StaticValue.unknown("a part removed by a path function") + StaticValue(tuple(tail))]
        return unknown(f"the result of `path.{name}()`")

    def returns(self, function: JsFunction, depth: int) -> list[JsValue]:
        body = function.node.child_by_field_name("body")
        if body is None:
            return unknown("the result of a function")
        if body.type != "statement_block":
            return self.values(body, function.file, depth)
        out: list[JsValue] = []
        for node in st.walk(body, descend=lambda n: n.type not in FUNCTION_TYPES):
            if node.type == "return_statement" and node.named_children:
                out.extend(self.values(node.named_children[0], function.file, depth))
        return out or unknown("the result of a function that returns nothing visible")
