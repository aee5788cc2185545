"""Which functions a construct call of a source file stands for, by the call's line.

What a file does with a function after constructing it (a URL, a role statement, an event source,
a route) names the variable the construct is stored in, and `file_calls.py` gives that variable's
construct line. Most functions are listed at that line. A construct made in a helper of the file
that uses the helper's parameters is one function per call of the helper, each listed at its call
(`source.py`), and one made in a loop is one function per element at the same line: each of them
still takes what the helper or the loop body does with the variable (`fn.addFunctionUrl(...)`
written next to the construct), so each is found here under the construct's line too.
"""

from __future__ import annotations

from reviewer.model import Function

# `Function.properties` key: the line of the construct call a helper's instance was made from,
# when the function is listed at the helper's call instead.
CONSTRUCT_LINE = "ConstructLine"


def by_construct_line(functions: list[Function]) -> dict[int, list[Function]]:
    """Each line → the functions listed there or made by the construct call written there."""
    found: dict[int, list[Function]] = {}
    for function in functions:
        found.setdefault(function.location.line, []).append(function)
        line = function.properties.get(CONSTRUCT_LINE)
        if isinstance(line, int) and line != function.location.line:
            found.setdefault(line, []).append(function)
    return found
