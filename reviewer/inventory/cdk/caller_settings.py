"""A C# construct class whose function takes its settings from what each caller passes its
constructor, said in an LR904 notice at the class until a caller of it is found.

PlantBasedPizza's shared constructs wrap `DotNetFunction` in a class of their own:

    public record QueueWorkerFunctionProps(string ServiceName, string ProjectPath, string Handler, ...);
    public class QueueWorkerFunction : Construct {
        public QueueWorkerFunction(Construct scope, string id, QueueWorkerFunctionProps props) : base(scope, id) {
            Function = new DotNetFunction(this, id, new DotNetFunctionProps {
                ProjectDir = props.ProjectPath, Handler = props.Handler, Runtime = Runtime.DOTNET_8, ... });
        }
    }

and each service's stacks make their queue workers with `new QueueWorkerFunction(this, "OrderBaked",
new QueueWorkerFunctionProps(...))`. Each such call is one function (`cdk/csharp_construct_classes.py`,
`cdk/factories.py`), and the notice goes once one is found. A class no file of the app is read to
call (its callers in a project the review does not see, or a call it cannot place) is read once, as
written, with no handler and no code folder: the notice names the class and what its callers fill
in, so a reader knows which functions are missing and why.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.constructs import ConstructCall
from reviewer.inventory.cdk.csharp_construct_classes import (
    constructor_parameters, enclosing_constructor, names_parameter, owning_class,
)
from reviewer.inventory.cdk.values import Props

Node = tree_sitter.Node

# The construct's properties a caller may fill in, as a C# app writes them (first letter lowered),
# and how a reader names each.
_SETTINGS = (("handler", "handler"), ("code", "code"), ("projectDir", "code folder"), ("entry", "entry"),
             ("runtime", "runtime"))
_REFERENCES = ("identifier", "member_access_expression")


def caller_settings(call_node: Node, props: Props) -> tuple[str, list[str], list[str]] | None:
    """(the construct class, the settings its callers fill in, the references the construct reads
    them by) when the construct call is written directly in a C# class's constructor and reads
    any of `_SETTINGS` from the constructor's parameters (`props.Handler`); else None."""
    constructor = enclosing_constructor(call_node)
    name = owning_class(constructor) if constructor is not None else None
    if constructor is None or name is None:
        return None
    params = set(constructor_parameters(constructor))
    entries = {key[:1].lower() + key[1:]: entry for key, entry in props.entries.items()}
    settings: list[str] = []
    references: list[str] = []
    for key, label in _SETTINGS:
        value = st.unwrap(entries[key].value) if key in entries else None
        if value is not None and value.type in _REFERENCES and names_parameter(st.text(value), params):
            settings.append(label)
            references.append(st.text(value))
    return (name, settings, references) if settings else None


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
    form = (f"its {listed} set by what each `new {construct_class}(...)` passes ({quoted}), and no call of "
            "the class that the review can read was found in the repository's C# files")
    missing = (f"each function made with `{construct_class}` is listed once, where the class makes it, "
               f"without its {listed}")
    return form, missing


def _listed(settings: list[str]) -> str:
    return settings[0] if len(settings) == 1 else f"{', '.join(settings[:-1])} and {settings[-1]}"
