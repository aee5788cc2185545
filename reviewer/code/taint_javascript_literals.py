"""Literals of the JavaScript/TypeScript flow reader for LR306: template strings, `+` and the other
binary operators, object literals, and the SQL or HTML text they build (mixed into
reviewer/code/taint_javascript_flow.py's reader, which evaluates their parts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import tree_sitter

from reviewer import source_trees as st
from reviewer.code.taint_common import CLEAN, UNKNOWN, Flow, Val, concat, join, looks_like_html, looks_like_sql, merge
from reviewer.code.taint_javascript_sinks import DDB_EXPRESSIONS, declares_html

if TYPE_CHECKING:
    from reviewer.code.taint_javascript import JavaScriptTaint

Node = tree_sitter.Node
# Operators whose result is always a number (`"a" * 2` is NaN): it carries no syntax into a
# command, query or page (`(body.start + body.end) / 2`). Only `+` joins text.
NUMERIC_OPERATORS = frozenset({"-", "*", "/", "%", "**", "<<", ">>", ">>>", "&", "|", "^"})


class JavaScriptLiterals:
    """The literal expressions of the JavaScript reader (mixed into it, after the classes that
    define the methods declared here)."""

    taint: JavaScriptTaint

    def eval(self, node: Node | None, logging: bool = False) -> Val:
        raise NotImplementedError

    def lookup(self, name: str) -> Val:
        raise NotImplementedError

    def use(self, name: str, logging: bool) -> None:
        raise NotImplementedError

    def hit(self, family: str, sink: str, line: int, flow: Flow, built: bool = False) -> None:
        raise NotImplementedError

    def template(self, node: Node, logging: bool) -> Val:
        text = ""
        flow: Flow | None = None
        for child in node.named_children:
            if child.type == "template_substitution":
                value = CLEAN
                for inner in child.named_children:
                    value = self.eval(inner, logging)
                if value.flow is not None:
                    flow = value.flow.after(text) if flow is None else join(flow, value.flow)
                text += value.template if value.template is not None else UNKNOWN
            elif child.type == "escape_sequence":
                text += st.text(child)[1:]
            else:
                text += st.text(child)
        result = Val(flow, text)
        self.built_string(node, result, logging)
        return result

    def binary(self, node: Node, logging: bool) -> Val:
        operator = st.text(node.child_by_field_name("operator"))
        left = self.eval(node.child_by_field_name("left"), logging)
        right = self.eval(node.child_by_field_name("right"), logging)
        if operator == "+":
            result = concat(left, right)
            self.built_string(node, result, logging)
            return result
        if operator in ("||", "??"):
            return merge(left, right)
        if operator == "&&":
            return right
        if operator in ("==", "===", "!=", "!==", "<", ">", "<=", ">=", "instanceof", "in") or \
                operator in NUMERIC_OPERATORS:
            return CLEAN
        return Val(join(left.flow, right.flow))

    def object(self, node: Node, logging: bool) -> Val:
        flow: Flow | None = None
        entries: dict[str, tuple[Node | None, Val]] = {}
        known_keys = own_keys = True
        for entry in node.named_children:
            if entry.type == "pair":
                key = entry.child_by_field_name("key")
                value_node = entry.child_by_field_name("value")
                value = self.eval(value_node, logging)
                name = (st.string_value(key) or st.text(key)) if key is not None else ""
                entries[name] = (value_node, value)
                if name in DDB_EXPRESSIONS and value.flow is not None and self.taint.uses_dynamodb and \
                        value_node is not None:
                    self.hit("nosql", f"`{name}` of a DynamoDB request", st.line(value_node), value.flow)
            elif entry.type == "shorthand_property_identifier":
                self.use(st.text(entry), logging)
                value = self.lookup(st.text(entry))
                entries[st.text(entry)] = (entry, value)
            else:
                value = self.eval(entry, logging)
                known_keys = known_keys and entry.type in ("comment", "method_definition")
                # `{...body}`: the event's own keys, as the event value itself (`new QueryCommand(body)`);
                # not those of an object of the code's keys, or of what a helper makes of one
                own_keys = own_keys and (entry.type != "spread_element" or value.flow is None
                                         or value.kind in ("dict", "dict-result"))
            flow = join(flow, value.flow)
        body_node, body = entries.get("body", (None, CLEAN))    # a missing value evaluates CLEAN too
        headers = entries.get("headers")
        if body_node is not None and body.flow is not None and headers is not None and declares_html(headers[0]):
            self.hit("html", "the body of a `text/html` response", st.line(body_node), body.flow)
        fields = tuple((name, value) for name, (_, value) in list(entries.items())[:64]) if known_keys else None
        return Val(flow, kind="dict" if own_keys else None, fields=fields)

    def built_string(self, node: Node, value: Val, logging: bool) -> None:
        if value.flow is None or logging or value.template is None:
            return
        parent = node.parent
        if parent is not None and parent.type == "binary_expression" and st.text(
                parent.child_by_field_name("operator")) == "+":
            return                                   # the whole concatenation is judged once
        if looks_like_sql(value.template):
            self.hit("sql", "SQL text built from strings", st.line(node), value.flow, built=True)
        elif looks_like_html(value.template):
            self.hit("html", "HTML built from strings", st.line(node), value.flow, built=True)
