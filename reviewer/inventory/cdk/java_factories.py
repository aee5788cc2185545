"""Java `static` helpers whose Lambda construct other classes make, one function per call.

A Java CDK app keeps its function recipe in a utility class (`LambdaUtils.createFunction(scope,
id, handler)`), and its stacks call it: the helper's own construct is no function by itself, each
call is one (`cdk/factories.py` finds the calls). Apps often write the recipe once and expose it
through a few public variants that only choose a setting and pass their parameters on:

    public static Alias highMemFunction(Construct scope, String id, String module, String handler) {
        return baseFunction(scope, id, module, handler, 3008);
    }
    private static Alias baseFunction(Construct scope, String id, String module, String handler, int memory) {
        Function fn = Function.Builder.create(scope, id).handler(handler)...build();
        ...
    }

There the calls of `baseFunction` in its own file are no functions either: each variant that
passes its own parameters on is the helper the other classes call, with the construct's id,
runtime, handler or asset folder mapped through the arguments of its call of `baseFunction`.

This module says which static method of which class such a helper is, and which of its
parameters fill which role of the construct; `cdk/source.py` reads the construct.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.class_factories import parameter_ref
from reviewer.inventory.cdk.syntax import Helper
from reviewer.inventory.cdk.values import Env, bind_parameters

Node = tree_sitter.Node
# (`Class.method`, the method's parameters, (role, the parameter that fills it) pairs)
JavaFactory = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]


def static_owner(node: Node) -> str | None:
    """The class whose `static` method `node` is written in; None inside an instance method, a
    constructor or no method."""
    method = next((a for a in st.ancestors(node) if a.type == "method_declaration"), None)
    if method is None:
        return None
    modifiers = next((c for c in method.named_children if c.type == "modifiers"), None)
    owner = next((a for a in st.ancestors(method) if a.type == "class_declaration"), None)
    owner_name = owner.child_by_field_name("name") if owner is not None else None
    if modifiers is None or "static" not in st.text(modifiers).split() or owner_name is None:
        return None
    return st.text(owner_name)


def parameter_roles(helper: Helper, written: dict[str, Node | None]) -> dict[str, str]:
    """Which of `helper`'s parameters (or their members) the construct takes each role from
    (`written`: what the construct call writes for its id, runtime, handler and asset folder)."""
    params = [p for p in helper.params if p]
    refs = {param: param for param in params}
    return {role: ref for role, node in written.items()
            if node is not None and (ref := parameter_ref(st.text(node), refs, params)) is not None}


def java_factory(name: str, helper: Helper, at: Node, written: dict[str, Node | None]) -> JavaFactory | None:
    """The static method `name` (`helper`, around the construct call `at`), when its construct
    takes a role from its parameters; None for an instance method or when nothing is a parameter."""
    owner = static_owner(at)
    roles = parameter_roles(helper, written)
    return (f"{owner}.{name}", tuple(helper.params), tuple(roles.items())) if owner and roles else None


def relayed_java_factory(helper: Helper, site_args: list[Node], outer_name: str, outer: Helper, at: Node,
                         written: dict[str, Node | None]) -> JavaFactory | None:
    """The static method `outer_name` (`outer`) whose call of `helper` (with `site_args`, at `at`)
    passes its own parameters on to the construct: the construct's roles are mapped from
    `helper`'s parameters to `outer`'s through the call's arguments. None when `outer` is no
    static method or passes none of the construct's roles on."""
    owner = static_owner(at)
    if owner is None:
        return None
    bound = bind_parameters(helper, site_args, Env()).bindings
    outer_params = [p for p in outer.params if p]
    refs = {param: param for param in outer_params}
    roles: dict[str, str] = {}
    for role, ref in parameter_roles(helper, written).items():
        head, dot, member = ref.partition(".")
        argument = bound.get(head)
        if argument is None:
            continue
        passed = parameter_ref(st.text(st.unwrap(argument[0]) or argument[0]) + dot + member, refs, outer_params)
        if passed is not None:
            roles[role] = passed
    return (f"{owner}.{outer_name}", tuple(outer.params), tuple(roles.items())) if roles else None


__all__ = ["JavaFactory", "java_factory", "parameter_roles", "relayed_java_factory", "static_owner"]
