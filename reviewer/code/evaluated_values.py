"""The kinds of value the Python evaluator answers with, and where it reads an expression.

A `StaticValue` (`values.py`) is text; handler code also holds boto3 objects, modules, the code's
own functions, classes and instances, the Lambda context and short sequences. They live here, apart
from the evaluator that walks the syntax, so the readers that consume its answers (`python_writes.py`)
and the text functions that transform them (`text_functions.py`) depend on plain data only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Union

from reviewer.code.program import FunctionInfo
from reviewer.code.values import EVENT, StaticValue


@dataclass(frozen=True)
class Handle:
    """A boto3 object: the module's session, a client or resource of `service`, or a resource
    object (`Bucket`, `Object`, `Table`, `Queue`, `Topic`, `BatchWriter`) with its identifiers."""

    service: str
    shape: str
    identifiers: tuple[StaticValue, ...] = ()


@dataclass(frozen=True)
class ModuleRef:
    """A module, or a dotted name inside a module outside the code read (`os.environ`)."""

    name: str
    internal: bool


@dataclass(frozen=True)
class FunctionRef:
    """A function of the code read, by module and qualified name."""

    module: str
    qualname: str


@dataclass(frozen=True)
class ClassRef:
    """A class of the code read, by module and name."""

    module: str
    name: str


@dataclass(frozen=True)
class InstanceRef:
    """`self` inside a method, or an object made by calling one of the code's classes."""

    module: str
    name: str


@dataclass(frozen=True)
class ContextRef:
    """The Lambda context object the handler receives."""


@dataclass(frozen=True)
class Sequence:
    """A tuple or list whose items are known."""

    items: tuple["Value", ...]


Value = Union[StaticValue, Handle, ModuleRef, FunctionRef, ClassRef, InstanceRef, ContextRef, Sequence]


@dataclass(frozen=True)
class Scope:
    """Where an expression is read: a module, a function in it, and per-call parameter values."""

    module: str
    function: FunctionInfo | None = None
    overrides: tuple[tuple[str, tuple[Value, ...]], ...] | None = None

    def override(self, name: str) -> tuple[Value, ...] | None:
        for key, values in self.overrides or ():
            if key == name:
                return values
        return None


@dataclass(frozen=True)
class CallSite:
    """A call to follow into its callee, with the scope its arguments are evaluated in."""

    call: ast.Call
    scope: Scope
    skip_self: bool


def unknown(reason: str) -> list[Value]:
    return [StaticValue.unknown(reason)]


def strings_of(values: list[Value]) -> list[StaticValue]:
    """Each value as text: what is not text becomes an unknown part that says so."""
    return [value if isinstance(value, StaticValue) else StaticValue.unknown("a value that is not text")
            for value in values]


def is_event(value: object) -> bool:
    """Is `value` a field of the triggering event, and nothing else?"""
    return isinstance(value, StaticValue) and len(value.parts) == 1 and value.parts[0].kind == EVENT


__all__ = ["Handle", "ModuleRef", "FunctionRef", "ClassRef", "InstanceRef", "ContextRef", "Sequence", "Value",
           "Scope", "CallSite", "unknown", "strings_of", "is_event"]
