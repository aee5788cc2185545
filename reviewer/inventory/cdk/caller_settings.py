"""A C# construct class whose function takes its settings from what each caller passes its
constructor, which the review does not follow: said in an LR904 notice instead of going silent.

PlantBasedPizza's shared constructs wrap `DotNetFunction` in a class of their own:

    public record QueueWorkerFunctionProps(string ServiceName, string ProjectPath, string Handler, ...);
    public class QueueWorkerFunction : Construct {
        public QueueWorkerFunction(Construct scope, string id, QueueWorkerFunctionProps props) : base(scope, id) {
            Function = new DotNetFunction(this, id, new DotNetFunctionProps {
                ProjectDir = props.ProjectPath, Handler = props.Handler, Runtime = Runtime.DOTNET_8, ... });
        }
    }

and each service's stacks make their queue workers with `new QueueWorkerFunction(this, "OrderBaked",
new QueueWorkerFunctionProps(...))`. The TypeScript, Python, Java and Go readers follow such calls
(`cdk/factories.py`); the C# one does not yet, so the class's construct is read once, as written,
with no handler and no code folder, while the app deploys one function per call. The notice names
the class and what its callers fill in, so a reader knows which functions are missing and why.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.constructs import ConstructCall
from reviewer.inventory.cdk.values import Props

Node = tree_sitter.Node

# The construct's properties a caller may fill in, as a C# app writes them (first letter lowered),
# and how a reader names each.
_SETTINGS = (("handler", "handler"), ("code", "code"), ("projectDir", "code folder"), ("entry", "entry"),
             ("runtime", "runtime"))
_REFERENCES = ("identifier", "member_access_expression")
# How many members deep a reference to the constructor's parameter is taken (`props.Settings.Handler`).
MAX_MEMBERS = 4


def caller_settings(call_node: Node, props: Props) -> tuple[str, list[str], list[str]] | None:
    """(the construct class, the settings its callers fill in, the references the construct reads
    them by) when the construct call is written directly in a C# class's constructor and reads
    any of `_SETTINGS` from the constructor's parameters (`props.Handler`); else None."""
    constructor = _constructor(call_node)
    owner = constructor.parent.parent if constructor is not None and constructor.parent is not None else None
    name = owner.child_by_field_name("name") if owner is not None and owner.type == "class_declaration" else None
    if constructor is None or name is None:
        return None
    params = _parameters(constructor)
    entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
    settings: list[str] = []
    references: list[str] = []
    for key, label in _SETTINGS:
        value = st.unwrap(entries[key].value) if key in entries else None
        if value is not None and value.type in _REFERENCES and _names_parameter(st.text(value), params):
            settings.append(label)
            references.append(st.text(value))
    return (st.text(name), settings, references) if settings else None


def mark_caller_settings(call_node: Node, props: Props, found: ConstructCall) -> None:
    """Mark the construct `found` as one a C# construct class makes for each of its callers, with
    the notice that says so, unless something else of it is already unread."""
    settings = caller_settings(call_node, props)
    if settings is None or found.unread is not None:
        return
    construct_class, labels, references = settings
    form, found.unread_missing = caller_settings_notice(construct_class, labels, references)
    found.unread = (st.line(call_node), form)
    found.code_from_callers = construct_class


def caller_settings_notice(construct_class: str, settings: list[str], references: list[str]) -> tuple[str, str]:
    """The LR904 notice's form and what it says is missing (`workspace.unread_declaration_notice`)."""
    listed = _listed(settings)
    quoted = ", ".join(f"`{reference}`" for reference in references)
    form = (f"its {listed} set by what each `new {construct_class}(...)` passes ({quoted}), and the review "
            "does not follow a C# construct class to its callers")
    missing = (f"each function made with `{construct_class}` is listed once, where the class makes it, "
               f"without its {listed}")
    return form, missing


def _listed(settings: list[str]) -> str:
    return settings[0] if len(settings) == 1 else f"{', '.join(settings[:-1])} and {settings[-1]}"


def _names_parameter(text: str, params: set[str]) -> bool:
    """`props.ProjectPath`, `handler`: a parameter of the constructor or a member of one."""
    parts = text.split(".")
    return parts[0] in params and len(parts) <= MAX_MEMBERS + 1 and all(part.isidentifier() for part in parts)


def _constructor(node: Node) -> Node | None:
    """The constructor the call is written in directly (not in a lambda or local function)."""
    for ancestor in st.ancestors(node):
        if ancestor.type == "constructor_declaration":
            return ancestor
        if ancestor.type in ("lambda_expression", "local_function_statement", "method_declaration",
                             "anonymous_method_expression", "class_declaration"):
            return None
    return None


def _parameters(constructor: Node) -> set[str]:
    listed = constructor.child_by_field_name("parameters")
    names = (parameter.child_by_field_name("name") for parameter in
             (listed.named_children if listed is not None else []) if parameter.type == "parameter")
    return {st.text(name) for name in names if name is not None}
