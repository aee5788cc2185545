"""The fields of a Step Functions definition that name the function a task invokes.

A task names it in `Resource` (the function's ARN, or `arn:aws:states:::lambda:invoke`) or in
`Parameters.FunctionName`; the CloudFormation and Serverless readers both walk a definition's
states for them, each then judging what the value names in its own format.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from reviewer.located import LocatedList, LocatedMap

INVOKING_KEYS = ("Resource", "FunctionName")
# Nodes of one definition walked at most: a real workflow has a few hundred.
MAX_DEFINITION_NODES = 20_000


def invoking_fields(definition: Any, descend: Callable[[Any], bool] = lambda value: True
                    ) -> Iterator[tuple[LocatedMap, str, Any]]:
    """(mapping, key, value) of each `Resource` and `FunctionName` in the definition, walked
    without recursion; `descend(value)` says whether a mapping's value is walked into."""
    pending: list[Any] = [definition]
    walked = 0
    while pending and walked < MAX_DEFINITION_NODES:
        node = pending.pop()
        walked += 1
        if isinstance(node, LocatedMap):
            for key in INVOKING_KEYS:
                if key in node:
                    yield node, key, node[key]
            pending.extend(value for value in node.values()
                           if isinstance(value, (LocatedMap, LocatedList)) and descend(value))
        elif isinstance(node, LocatedList):
            pending.extend(value for value in node if isinstance(value, (LocatedMap, LocatedList)))


__all__ = ["INVOKING_KEYS", "MAX_DEFINITION_NODES", "invoking_fields"]
