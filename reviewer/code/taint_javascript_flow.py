"""The flow-sensitive reading of one JavaScript/TypeScript function (or a file's top level) for LR306.

Statements in order, an environment of what each name holds, branches merged, sanitisers ending a
flow, with tree-sitter. Kept apart from the reading of the whole file
(reviewer/code/taint_javascript.py: its functions and imports, the handler entries, the call
summaries and budget), which this reader calls back for the file's own functions. The sinks and
libraries it knows are in taint_javascript_sinks.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.javascript_handlers import FUNCTIONS, WRAPPERS, named, unwrap
from reviewer.code.taint_common import (
    CLEAN,
    PRESIGNING_CALLS,
    UNKNOWN,
    Flow,
    Val,
    at_position,
    concat,
    element,
    first_flow,
    join,
    listed,
    member_flow,
    merge,
    merge_envs,
    model_prompt_call,
    positional,
    pushed,
    shorten,
)
from reviewer.code.taint_ends import javascript_result
from reviewer.code.taint_javascript_classes import INSTANCE, JavaScriptNames, module_name
from reviewer.code.taint_javascript_literals import JavaScriptLiterals
from reviewer.code.taint_javascript_sinks import (
    BOOL_METHODS,
    CALLBACK_METHODS,
    DDB_CLIENTS,
    KEY_LISTS,
    LOG_RECEIVERS,
    SANITIZERS,
    SQL_LIBRARIES,
    JavaScriptSinks,
    guards,
)
from reviewer.code.taint_pages import PageHits

if TYPE_CHECKING:
    from reviewer.code.taint_javascript import JavaScriptTaint

Node = tree_sitter.Node


class JavaScriptFlowReader(PageHits, JavaScriptSinks, JavaScriptNames, JavaScriptLiterals):
    """Reads the statements of one function (or a file's top level) in order."""

    python = False

    def __init__(self, taint: JavaScriptTaint, env: dict[str, Val], depth: int) -> None:
        self.taint = taint
        self.env = env
        self.depth = depth
        self.returned: Val | None = None
        self.path = taint.path
        self.init_pages()

    # -- statements -------------------------------------------------------------------------

    def block(self, node: Node) -> bool:
        for statement in node.named_children:
            self.statement(statement)
            if statement.type in ("return_statement", "throw_statement", "break_statement", "continue_statement"):
                return True
        return False

    def statement(self, node: Node) -> None:
        self.read_statement(st.line(node), lambda: self._statement(node))

    def _statement(self, node: Node) -> None:
        kind = node.type
        if kind in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                value_node = declarator.child_by_field_name("value")
                name = declarator.child_by_field_name("name")
                function = unwrap(value_node) if value_node is not None else None
                if function is not None and function.type in FUNCTIONS and name is not None:
                    self.taint.functions[st.text(name)] = function
                value = self.eval_assigned(value_node, name) if value_node is not None else CLEAN
                if name is not None:
                    self.bind(name, value, value_node)
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                self.taint.functions[st.text(name)] = node
        elif kind == "export_statement":
            declaration = node.child_by_field_name("declaration")
            if declaration is not None:
                self.statement(declaration)
        elif kind == "import_statement":
            self.import_statement(node)
        elif kind == "expression_statement":
            for child in node.named_children:
                self.eval(child)
        elif kind == "return_statement":
            for child in node.named_children:
                value = self.eval(child)
                self.returned = value if self.returned is None else merge(self.returned, value)
        elif kind == "statement_block":
            self.block(node)
        elif kind == "if_statement":
            self.branch(node)
        elif kind in ("for_statement", "for_in_statement", "while_statement", "do_statement"):
            self.loop(node)
        elif kind == "try_statement":
            before = dict(self.env)
            body = node.child_by_field_name("body")
            if body is not None:
                self.block(body)
            handler = node.child_by_field_name("handler")
            if handler is not None:
                after = dict(self.env)
                self.env = merge_envs(before, after)
                handler_body = handler.child_by_field_name("body")
                if handler_body is not None:
                    self.block(handler_body)
                self.env = merge_envs(after, self.env)
            finalizer = node.child_by_field_name("finalizer")
            if finalizer is not None:
                for child in finalizer.named_children:
                    self.statement(child)
        elif kind == "switch_statement":
            self.eval(node.child_by_field_name("value"))
            before = dict(self.env)
            merged = dict(before)
            body = node.child_by_field_name("body")
            for case in named(body):
                self.env = dict(before)
                for child in case.named_children:
                    if child.type.endswith("statement") or child.type.endswith("declaration"):
                        self.statement(child)
                merged = merge_envs(merged, self.env)
            self.env = merged
        elif kind in ("throw_statement",):
            for child in node.named_children:
                self.eval(child)
        elif kind == "class_declaration":
            self.declare_class(node)
        elif kind in ("comment", "empty_statement", "debugger_statement",
                      "type_alias_declaration", "interface_declaration", "enum_declaration"):
            return

    def branch(self, node: Node) -> None:
        condition = node.child_by_field_name("condition")
        self.eval(condition)
        when_true, when_false = guards(unwrap(condition))
        before = dict(self.env)
        for name in when_true:
            if name in self.env:
                self.env[name] = replace(self.env[name], flow=None)
        consequence = node.child_by_field_name("consequence")
        body_exits = self._branch_body(consequence)
        after_body = self.env
        self.env = dict(before)
        for name in when_false:
            if name in self.env:
                self.env[name] = replace(self.env[name], flow=None)
        alternative = node.child_by_field_name("alternative")
        else_exits = False
        if alternative is not None:
            for child in alternative.named_children:
                else_exits = self._branch_body(child)
        if body_exits and not else_exits:
            return
        if else_exits and not body_exits:
            self.env = after_body
            return
        self.env = merge_envs(after_body, self.env)

    def _branch_body(self, node: Node | None) -> bool:
        if node is None:
            return False
        if node.type == "statement_block":
            return self.block(node)
        self.statement(node)
        return node.type in ("return_statement", "throw_statement")

    def loop(self, node: Node) -> None:
        before = dict(self.env)
        if node.type == "for_in_statement":
            right = self.eval(node.child_by_field_name("right"))
            left = node.child_by_field_name("left")
            if left is not None:
                each = node.child_by_field_name("operator")     # `of` walks elements, `in` their keys
                # an object literal's keys are the names it was written with (`{count: body.count}`)
                keys = CLEAN if right.fields is not None else Val(right.flow)
                self.bind(left, element(right) if each is not None and st.text(each) == "of" else keys, None)
        else:
            for field in ("initializer", "condition", "increment"):
                part = node.child_by_field_name(field)
                if part is not None:
                    self.statement(part) if part.type.endswith("declaration") else self.eval(part)
        body = node.child_by_field_name("body")
        if body is not None:
            self._branch_body(body)
        self.env = merge_envs(before, self.env)

    def bind(self, target: Node, value: Val, value_node: Node | None) -> None:
        kind = target.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            self.env[st.text(target)] = value
        elif kind == "object_pattern":
            for entry in target.named_children:
                if entry.type == "shorthand_property_identifier_pattern":
                    self.env[st.text(entry)] = self._member(value, st.text(entry), entry)
                elif entry.type == "pair_pattern":
                    key, inner = entry.child_by_field_name("key"), entry.child_by_field_name("value")
                    if inner is not None:
                        self.bind(inner, self._member(value, st.text(key) if key else "", entry), None)
                elif entry.type == "object_assignment_pattern":
                    left = entry.child_by_field_name("left")
                    if left is not None:
                        self.bind(left, self._member(value, st.text(left), entry), None)
                elif entry.type == "rest_pattern":
                    for inner in entry.named_children:
                        self.bind(inner, Val(value.flow), None)
        elif kind == "array_pattern":
            position = 0
            for entry in target.children:          # a hole (`[, b]`) is only its comma
                if entry.type == ",":
                    position += 1
                elif entry.is_named and entry.type != "comment":
                    self.bind(entry, Val(value.flow) if entry.type == "rest_pattern" else at_position(value, position), None)
        elif kind == "rest_pattern":            # `...rest`: what is gathered, as given
            for entry in target.named_children:
                self.bind(entry, value, None)
        elif kind == "assignment_pattern":
            left = target.child_by_field_name("left")
            if left is not None:
                self.bind(left, value, None)
        elif kind in ("member_expression", "subscript_expression"):
            dotted = st.dotted(target)
            if dotted:
                self.env[dotted] = value
            root = _root(target)
            if root is not None and value.flow is not None:
                known = self.env.get(root, CLEAN)
                self.env[root] = Val(join(known.flow, value.flow), None, known.kind)

    def _member(self, base: Val, name: str, node: Node) -> Val:
        if base.kind in ("event", "event-field") and base.flow is not None:
            field = f"{base.flow.field}.{name}" if base.kind == "event" or base.flow.line == st.line(node) \
                else base.flow.field
            if field == base.flow.field:
                return Val(base.flow.member(name), kind="event-field")
            return Val(Flow(shorten(field), self.path, st.line(node), base.flow.prefix), kind="event-field")
        if base.qual is not None and base.flow is None:
            return Val(qual=f"{base.qual}.{name}")
        if base.fields is not None:
            return base.field(name)     # `const {expression} = build(...)`: that key's own value
        return Val(member_flow(base.flow, name))

    # -- expressions ------------------------------------------------------------------------

    def lookup(self, name: str) -> Val:
        if name in self.env:
            return self.env[name]
        if name in self.taint.module_env:
            return self.taint.module_env[name]
        return Val(qual=name)

    def eval(self, node: Node | None, logging: bool = False) -> Val:
        if node is None:
            return CLEAN
        kind = node.type
        if kind == "identifier":
            self.use(st.text(node), logging)
            return self.lookup(st.text(node))
        if kind == "string":
            return Val(template=st.string_value(node) or "")
        if kind == "template_string":
            return self.template(node, logging)
        if kind in ("number", "true", "false", "null", "undefined", "regex", "this"):
            return CLEAN
        if kind in WRAPPERS:
            return self.eval(node.named_children[0], logging) if node.named_children else CLEAN
        if kind == "member_expression":
            base_node = node.child_by_field_name("object")
            dotted = st.dotted(node)
            if dotted and dotted in self.env:
                return self.env[dotted]
            base = self.eval(base_node, logging)
            prop = node.child_by_field_name("property")
            return self._field(node, base, st.text(prop))
        if kind == "subscript_expression":
            base = self.eval(node.child_by_field_name("object"), logging)
            index = node.child_by_field_name("index")
            self.eval(index, logging)
            return self._field(node, base, st.string_value(index) if base.fields is not None else None)
        if kind == "call_expression":
            return self.call(node, logging, new=False)
        if kind == "new_expression":
            return self.call(node, logging, new=True)
        if kind == "binary_expression":
            return self.binary(node, logging)
        if kind == "assignment_expression":
            left = node.child_by_field_name("left")
            value = self.eval_assigned(node.child_by_field_name("right"), left) if not logging else \
                self.eval(node.child_by_field_name("right"), logging)
            if left is not None:
                right = unwrap(node.child_by_field_name("right"))
                if right is not None and right.type in FUNCTIONS and left.type == "identifier":
                    self.taint.functions[st.text(left)] = right
                self.bind(left, value, None)
            return value
        if kind == "augmented_assignment_expression":
            left = node.child_by_field_name("left")

            def read() -> Val:
                return concat(self.eval(left, logging), self.eval(node.child_by_field_name("right"), logging))
            # `text += `<doc>${d}</doc>``: what is built waits with the name, as for `text = text + ...`
            value = self.assigned(st.text(left), read) if left is not None and left.type == "identifier" \
                and not logging and st.text(node.child_by_field_name("operator")) == "+=" else read()
            if left is not None:
                self.bind(left, value, None)
            return value
        if kind == "ternary_expression":
            self.eval(node.child_by_field_name("condition"), logging)
            return merge(self.eval(node.child_by_field_name("consequence"), logging),
                         self.eval(node.child_by_field_name("alternative"), logging))
        if kind == "object":
            return self.object(node, logging)
        if kind == "array":
            children = [child for child in node.named_children if child.type != "comment"]
            items = [self.eval(child, logging) for child in children]
            return listed(items) if any(child.type == "spread_element" for child in children) else positional(items)
        if kind == "unary_expression":
            operand = self.eval(node.child_by_field_name("argument"), logging)
            operator = node.child_by_field_name("operator")
            return CLEAN if st.text(operator) in ("!", "typeof", "void", "delete") else Val(operand.flow)
        if kind in FUNCTIONS:
            return Val(kind="function")
        if kind == "sequence_expression":
            value = CLEAN
            for child in node.named_children:
                value = self.eval(child, logging)
            return value
        for child in node.named_children:
            self.eval(child, logging)
        return CLEAN

    def _field(self, node: Node, base: Val, name: str | None) -> Val:
        if base.kind in ("event", "event-field") and base.flow is not None:
            root = _root(node)
            if root is not None and self.lookup(root).kind == "event":
                return Val(Flow(shorten(st.text(node)), self.path, st.line(node), base.flow.prefix),
                           kind="event-field")
            return Val(base.flow.member(name), kind="event-field")
        if base.qual is not None and base.flow is None and name is not None:
            return Val(qual=f"{base.qual}.{name}")
        if base.fields is not None and name is not None:
            return base.field(name)
        return Val(member_flow(base.flow, name), kind=base.kind if base.kind in ("db", "dynamodb") else None)

    def eval_assigned(self, node: Node | None, target: Node | None) -> Val:
        """The value given to a name; HTML text it builds waits for the name's first use."""
        if node is None:
            return self.eval(node)
        if target is None or target.type != "identifier" or not _builds_string(node):
            return self.eval(node)
        return self.assigned(st.text(target), lambda: self.eval(node))

    # -- calls ------------------------------------------------------------------------------

    def call(self, node: Node, logging: bool, new: bool) -> Val:
        func = node.child_by_field_name("constructor" if new else "function")
        arguments_node = node.child_by_field_name("arguments")
        if arguments_node is not None and arguments_node.type == "template_string":
            return CLEAN                              # a tagged template: the tag receives the parts apart
        receiver: Val | None = None
        method: str | None = None
        qual: str | None = None
        func = unwrap(func)
        if func is not None and func.type == "member_expression":
            receiver_node = func.child_by_field_name("object")
            receiver = self.env.get("this", CLEAN) if receiver_node is not None and receiver_node.type == "this" \
                else self.eval(receiver_node, logging)
            method = st.text(func.child_by_field_name("property"))
            if receiver.qual is not None and receiver.flow is None and receiver.kind != INSTANCE:
                qual = f"{receiver.qual}.{method}"
        elif func is not None and func.type == "identifier":
            qual = self.lookup(st.text(func)).qual
        elif func is not None:
            self.eval(func, logging)
        logging = logging or model_prompt_call(qual, method) or (
            func is not None and func.type == "member_expression" and
            LOG_RECEIVERS.match(st.text(func.child_by_field_name("object"))) is not None)
        argument_nodes = [child for child in named(arguments_node) if child.type != "comment"]
        args: list[Val] = []
        for argument in argument_nodes:
            unwrapped = unwrap(argument)
            if unwrapped is not None and unwrapped.type in FUNCTIONS:
                self.use_all()
                bound = [Val(receiver.flow) if method == "reduce" else element(receiver)] \
                    if receiver is not None and receiver.flow and method in CALLBACK_METHODS else []
                self.taint.call_function(unwrapped, bound, self.depth + 1, self.env)
                args.append(Val(kind="function"))
            else:
                args.append(self.eval(argument, logging))
        if qual == "require" and argument_nodes:
            module = module_name(st.string_value(argument_nodes[0]) or "")
            if module:
                self.taint.imports.add(module)
                return Val(qual=module)
        self.sinks(node, qual, method, receiver, args, argument_nodes, new)
        if new and (made := self.instance(qual, args)) is not None:
            return made
        if qual is not None and args and args[0].flow is not None:
            self.taint.note_passed(qual, args[0])
        return self.result(node, qual, method, receiver, args, argument_nodes, func)

    def result(self, node: Node, qual: str | None, method: str | None, receiver: Val | None, args: list[Val],
               argument_nodes: list[Node], func: Node | None) -> Val:
        name = method or (qual or "").rpartition(".")[2]
        if qual in ("util.promisify", "node:util.promisify") and args:
            return args[0]                           # the same function, returning a promise
        if name in PRESIGNING_CALLS:
            return CLEAN
        if qual in KEY_LISTS and args and args[0].fields is not None:
            return Val(kind="list")                  # the names an object literal was written with
        if (ended := javascript_result(qual, method, receiver)) is not None:
            return ended
        if qual is not None and qual in self.taint.ending:
            return CLEAN                             # a relative import's function that returns none of it
        if qual in SANITIZERS or "escape" in name.lower() or "sanitiz" in name.lower() or \
                (method in BOOL_METHODS) or name in ("quote", "xss", "encode"):
            return CLEAN
        if qual is not None:
            module, _, last = qual.rpartition(".")
            root = module.split(".")[0] if module else qual
            if root in SQL_LIBRARIES and last not in ("escape",):
                return Val(kind="db")
            if DDB_CLIENTS.search(qual) or qual.endswith(("DynamoDBDocumentClient.from", "DynamoDBDocument.from")):
                return Val(kind="dynamodb")
            if module == "util" and last == "format" and args and args[0].template is not None:
                fmt = args[0].template
                flow = first_flow(args[1:])
                value = Val(flow.after(fmt.split("%")[0]) if flow else None,
                            re.sub(r"%[sdifjoO]", UNKNOWN, fmt))
                self.built_string(node, value, False)
                return value
        if receiver is not None and method is not None:
            if receiver.kind == INSTANCE and (returned := self.method_call(receiver, method, args)) is not None:
                return returned
            if receiver.kind == "db" and receiver.flow is None:
                return Val(kind="db")
            if receiver.kind == "dynamodb":
                return CLEAN
            if method == "concat" and receiver.template is not None:
                value = receiver
                for arg in args:
                    value = concat(value, arg)
                self.built_string(node, value, False)
                return value
            if method in ("push", "unshift") and first_flow(args) and func is not None:
                container = _root(func.child_by_field_name("object"))
                if container is not None:
                    self.env[container] = pushed(self.env.get(container, CLEAN), args)
                return CLEAN
            if receiver.flow is not None:
                return Val(receiver.flow, receiver.template if method in ("trim", "toLowerCase", "toUpperCase")
                           else None)
            if method in ("join",):
                return Val(first_flow(args))
        if func is not None and func.type == "identifier" and st.text(func) in self.taint.functions:
            target = self.taint.functions[st.text(func)]
            return self.taint.call_function(target, args, self.depth + 1, self.taint.module_env)
        flowing = [arg for arg in args if arg.flow is not None]
        made = "dict-result" if flowing and all(arg.kind in ("dict", "dict-result") for arg in flowing) else None
        return Val(first_flow(args + ([receiver] if receiver is not None else [])), kind=made)


def _builds_string(node: Node | None) -> bool:
    """An expression that builds text itself: a template literal, `+`, `.concat(…)`, `format(…)`,
    `.join(…)`, or `JSON.stringify(…)` (the JSON document of a model's request)."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "template_string":
        return True
    if node.type == "binary_expression":
        return st.text(node.child_by_field_name("operator")) == "+"
    if node.type == "call_expression":
        func = unwrap(node.child_by_field_name("function"))
        name = st.text(func.child_by_field_name("property")) if func is not None and \
            func.type == "member_expression" else st.text(func) if func is not None else ""
        return name in ("concat", "format", "join") or st.text(func) == "JSON.stringify"
    return False


def _root(node: Node | None) -> str | None:
    while node is not None and node.type in ("member_expression", "subscript_expression"):
        node = node.child_by_field_name("object")
    return st.text(node) if node is not None and node.type == "identifier" else None
