"""The functions a shared finding names, as a reader can tell them apart and take them in.

A declaration shared by a whole monorepo (one runtime for 20 Serverless services) would name
170 functions in one message, some of them twice: two services may each have a `wsConnect`.
So a list names its first `MAX_FUNCTIONS_NAMED` functions and counts the rest, and a name that
two functions of the list share is followed by the file that declares each (or its line, when
one file declares both), which is how the inventory tells them apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from reviewer.model import Function

# How many functions a message names before it counts the rest ("and 160 more").
MAX_FUNCTIONS_NAMED = 10


@dataclass(frozen=True)
class FunctionList:
    """The functions a message names: (name, where) pairs, `where` empty unless the name is
    shared within the list, and how many more it leaves unnamed."""

    named: tuple[tuple[str, str], ...]
    more: int = 0

    @property
    def several(self) -> bool:
        return len(self.named) + self.more > 1


def function_list(functions: Sequence[Function]) -> FunctionList:
    """The list of `functions` (in their order), capped and with shared names qualified."""
    names = Counter(function.name for function in functions)
    places = Counter((function.name, function.location.path) for function in functions)
    named = []
    for function in functions[:MAX_FUNCTIONS_NAMED]:
        where = ""
        if names[function.name] > 1:
            path = function.location.path
            where = path if places[(function.name, path)] == 1 else f"{path}:{function.location.line}"
        named.append((function.name, where))
    return FunctionList(tuple(named), max(0, len(functions) - MAX_FUNCTIONS_NAMED))


def name_list(names: Sequence[str]) -> FunctionList:
    """The list of functions known only by their names (a file's owners), capped."""
    return FunctionList(tuple((name, "") for name in names[:MAX_FUNCTIONS_NAMED]),
                        max(0, len(names) - MAX_FUNCTIONS_NAMED))
