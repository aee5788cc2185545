"""How CDK source spells a runtime: by constant (`Runtime.PYTHON_3_9`), not by identifier.

A suggestion that moves a function to a newer runtime rewrites the declaring line; in CDK source
that line names a constant, which this module swaps for the successor's.
"""

from __future__ import annotations

import re

from reviewer.inventory.cdk.constructs import constant_for_identifier


def constant_replaced(line: str, runtime: str, successor: str) -> str | None:
    """`Runtime.PYTHON_3_9` → `Runtime.PYTHON_3_14` (Go: `Runtime_...`) on `line`, when it names
    the runtime's constant exactly once; None otherwise."""
    old, new = constant_for_identifier(runtime), constant_for_identifier(successor)
    if old is None or new is None:
        return None
    token = re.compile(r"(?<=Runtime[._])" + re.escape(old) + r"\b")   # Go: awslambda.Runtime_PYTHON_3_9()
    if len(token.findall(line)) != 1:
        return None
    return token.sub(new, line)
