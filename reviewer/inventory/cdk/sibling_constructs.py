"""The several functions one helper of the app makes at each call (`cdk/factories.py`).

A construct class of a component makes a function to read and one to scan:

    export class AssessmentComponent extends Construct {
      constructor(scope: Construct, id: string, { config, code }: AssessmentProps) {
        const { readHandler, scanHandler } = config;
        new lambda.Function(this, 'Read', { code, handler: readHandler, ... });
        if (scanHandler) {
          new lambda.Function(this, 'Scan', { code, handler: scanHandler, ... });
        }
      }
    }

and each `new AssessmentComponent(this, 'Orders', {...})` of the stack makes both: two functions at
the call, named as their construct paths are (`Orders/Read`, `Orders/Scan`), unless the call leaves
out what a construct is made only with (no `scanHandler`: no `Scan` function). Two constructs of a
helper written with one id are one function made two ways (`if (docker) ... else ...`), as before.
"""

from __future__ import annotations

from reviewer.inventory.cdk.caller_environment import MAX_VARIABLES
from reviewer.inventory.cdk.python_factory_calls import Arguments
from reviewer.model import Function

# Where a reference to what the call passes is: (parameter name, position, key in the object passed there).
Place = tuple[str | None, int, str | None]


def own_id(template: Function) -> str | None:
    """The construct id a helper's construct is written with, when it is a string of its own
    (`new lambda.Function(this, 'Read', ...)`); None when the helper computes it."""
    where = f" at {template.location.path}:{template.location.line}"
    return None if template.name.endswith(where) or template.properties.get("ConstructIdExpression") \
        else template.name


def is_sibling(first: Function, function: Function, others: list[Function]) -> bool:
    """Whether `function`, a construct of the helper that made `first` (and `others`), is one more
    function of each call: both are written with ids of their own, and no other has its id."""
    mine = own_id(function)
    return own_id(first) is not None and mine is not None \
        and mine not in (own_id(first), *(own_id(other) for other in others))


def left_out(guard: Place | None, arguments: Arguments) -> bool:
    """Whether the call leaves out what the helper makes a construct only with (`if
    (props.scanHandler) { ... }`, `class_factories.GUARD`): the object literal that would hold it,
    written in full (no spread), lacks the key."""
    name, position, key = guard if guard is not None else (None, -1, None)
    if key is None:
        return False
    holder_key, _, leaf = key.rpartition(".")
    holder = arguments(name, position, holder_key or None)
    return holder is not None and holder.variables is not None \
        and len(holder.variables) < MAX_VARIABLES and all(variable.name != leaf for variable in holder.variables)


def sibling_name(made_name: str, template: Function) -> str:
    """One of a call's several functions, named by the call's id and its own (`Orders/Read`)."""
    return f"{made_name}/{own_id(template)}"
