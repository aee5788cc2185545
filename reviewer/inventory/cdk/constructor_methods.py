"""A construct class whose constructor makes its functions in methods of its own, in TypeScript
and JavaScript: what each caller of the class fills in of them (`cdk/class_factories.py`).

AWS Solutions' ingestion template splits its constructor into private methods:

    export class DataIngestionTemplate extends Construct {
      constructor(scope: Construct, id: string, props: DataIngestionTemplateProps) {
        const target = this.buildCustomBusAndAddRules(props);
        const source = this.buildLambdaAndDynamoDB(props.source, Qualifier.SOURCE);
      }
      private buildCustomBusAndAddRules(props: DataIngestionTemplateProps) {
        return new EventbridgeToLambda(this, 'RuleTargetLambda', {
          lambdaFunctionProps: props.target.lambdaFunctionProps, ... });
      }
      private buildLambdaAndDynamoDB(props: LambdaAndDynamoDBProps, id: Qualifier) {
        return defaults.buildLambdaFunction(this, { lambdaFunctionProps: props.lambdaFunctionProps });
      }
    }

Each `new DataIngestionTemplate(this, 'SubReddit', { source: {...}, target: {...} })` of the app
is then two functions, as if the constructs were written in the constructor: what the method
takes from its parameters is what the constructor passed it (`props.source.lambdaFunctionProps`),
followed through `this.method(...)` calls only, a few methods deep, each call's arguments being
a parameter of its caller or a member of one. A method called with anything else (a literal, a
local variable) fills in nothing from the class's callers: that construct stays as written.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.class_factories import (
    GUARD, MAX_MEMBER_DEPTH, FactoryShape, code_ref, enclosing_method, guard_ref, parameter_names, parameter_ref,
    parameter_refs, parameter_roles, top_level_class,
)
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call, within

Node = tree_sitter.Node

# How many methods deep a construct is followed from the constructor (constructor → a → b → construct).
MAX_METHOD_DEPTH = 3
# How many `this.` calls of a class are kept to find the one call of a method deeper than the first.
MAX_CLASS_CALLS = 2000
# A file's classes' `this.name(...)` calls by name, each class (by its bytes) indexed once.
ClassCalls = dict[tuple[int, int], dict[str, list[Call]]]
_REFERENCES = ("identifier", "member_expression")


def constructor_method_factory(call_node: Node, props_node: Node | None, written: dict[str, Node | None],
                               site: Call, index: ClassCalls, required: Node | None = None) -> FactoryShape | None:
    """The construct class of the file's top level whose constructor makes this construct through
    `site`, a `this.method(...)` call of the method the construct is written in (or of a method
    calling it, each called once), with roles taken from what the class's callers pass; or None.
    `written` and `required` are as for `class_factory`; an asset path built from a parameter
    (`path.join(__dirname, props.entry)`) is not followed through a method. `index` keeps each
    class's `this.` calls for the file being read (`_only_call`)."""
    method = enclosing_method(call_node)
    owner = top_level_class(method) if method is not None else None
    name = owner.child_by_field_name("name") if owner is not None else None
    if method is None or owner is None or name is None:
        return None
    params, refs, roles = parameter_roles(method, props_node, written)
    code = code_ref(props_node, refs, params)
    if code is not None:
        roles.setdefault("asset", code)
    guard = guard_ref(call_node, method, refs, params)
    if guard is None and required is not None:
        guard = parameter_ref(st.text(required), refs, params)
    if guard is not None:
        roles[GUARD] = guard
    callee, call = method, site
    for _ in range(MAX_METHOD_DEPTH):
        caller = _enclosing_function(call.node)
        if caller is None or top_level_class(caller) != owner:
            return None
        lifted = _lift_all(roles, parameter_names(callee), call.args, caller)
        outer_guard = guard_ref(call.node, caller, parameter_refs(caller, parameter_names(caller)),
                               parameter_names(caller))
        if GUARD not in lifted and outer_guard is not None:   # `if (props.withSource) { this.build(...) }`
            lifted[GUARD] = outer_guard
        roles = lifted
        if _name(caller) == "constructor":
            return _shape(st.text(name), parameter_names(caller), roles)
        following = _only_call(owner, caller, index)
        if following is None:
            return None
        callee, call = caller, following
    return None


def _shape(name: str, params: list[str], roles: dict[str, str]) -> FactoryShape | None:
    """The construct class's shape, as `class_factory` gives it; None when the callers would fill
    in nothing but the construct id."""
    if not set(roles) - {"id", GUARD}:
        return None
    if "id" not in roles and len(params) >= 2 and params[1]:
        roles["id"] = params[1]
    return name, tuple(params), tuple(roles.items()), None, True, None, ()


def _lift_all(roles: dict[str, str], callee_params: list[str], args: list[Node], caller: Node) -> dict[str, str]:
    """`roles`, references to the callee's parameters, as references to its caller's: those that
    the call passes on from its caller's parameters only."""
    caller_params = parameter_names(caller)
    caller_refs = parameter_refs(caller, caller_params)
    lifted: dict[str, str] = {}
    for role, ref in roles.items():
        found = _lift(ref, callee_params, args, caller_refs, caller_params)
        if found is not None:
            lifted[role] = found
    return lifted


def _lift(ref: str, callee_params: list[str], args: list[Node], caller_refs: dict[str, str],
          caller_params: list[str]) -> str | None:
    """`props.lambdaFunctionProps` of a method called as `this.build(props.source)` →
    "props.source.lambdaFunctionProps", as the caller names it; None when the argument is not
    a parameter of the caller or a member of one, or the reference would be too deep to read."""
    if ref.startswith("#"):
        head, _, key = ref[1:].partition(".")
        position = int(head) if head.isdigit() else -1
    else:
        head, _, key = ref.partition(".")
        position = callee_params.index(head) if head in callee_params else -1
    if position < 0 or position >= len(args) or any(arg.type == "spread_element" for arg in args[:position + 1]):
        return None
    argument = st.unwrap(args[position]) or args[position]
    if argument.type not in _REFERENCES:
        return None
    base = parameter_ref(st.text(argument), caller_refs, caller_params)
    if base is None:
        return None
    lifted = f"{base}.{key}" if key else base
    depth = lifted.count(".") - (1 if lifted.startswith("#") else 0)
    return lifted if depth <= MAX_MEMBER_DEPTH else None


def _enclosing_function(node: Node) -> Node | None:
    """The method (the constructor included) a call is written in directly, else None."""
    for ancestor in st.ancestors(node):
        if ancestor.type == "method_definition":
            return ancestor
        if ancestor.type in ("function_declaration", "function_expression", "arrow_function", "class_body"):
            return None
    return None


def _name(method: Node) -> str:
    key = method.child_by_field_name("name")
    return st.text(key) if key is not None else ""


def _only_call(owner: Node, method: Node, index: ClassCalls) -> Call | None:
    """The one `this.method(...)` call of the class outside the method itself; None when there are
    none or several (each would be a path of its own, which is not followed)."""
    key = (owner.start_byte, owner.end_byte)
    if key not in index:   # each class walked once per file, however many constructs and calls ask
        index[key] = _this_calls(owner)
    found = [call for call in index[key].get(_name(method), []) if not within(call.node, method)]
    return found[0] if len(found) == 1 else None


def _this_calls(owner: Node) -> dict[str, list[Call]]:
    """The class's `this.name(...)` calls by name, the first `MAX_CLASS_CALLS` of them."""
    calls: dict[str, list[Call]] = {}
    count = 0
    for node in st.walk(owner):
        if node.type not in CALL_TYPES:
            continue
        call = as_call(node)
        if call is not None and call.method and call.receiver is not None and st.text(call.receiver) == "this" \
                and not call.is_new:
            calls.setdefault(call.method, []).append(call)
            count += 1
            if count >= MAX_CLASS_CALLS:
                break
    return calls
