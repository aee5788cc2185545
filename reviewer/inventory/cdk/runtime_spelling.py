"""How CDK source spells a runtime: by constant (`Runtime.PYTHON_3_9`), not by identifier.

A suggestion that moves a function to a newer runtime rewrites the declaring line; in CDK source
that line names a constant, which this module swaps for the successor's.
"""

from __future__ import annotations

import re

from reviewer.inventory.cdk.constructs import constant_for_identifier


# The imports of a CDK v1 app (`aws_cdk.core`, `@aws-cdk/core`, `software.amazon.awscdk.core`,
# aws-cdk-go without `/v2`). CDK v1 reached end of support in June 2023: its last release has no
# constant for the runtimes since, so a line moved to `Runtime.PYTHON_3_14` would not compile.
_CDK_V1_IMPORTS = ("aws_cdk.core", "from aws_cdk import core", "'@aws-cdk/core'", '"@aws-cdk/core"',
                   "'@aws-cdk/aws-lambda'", '"@aws-cdk/aws-lambda"', "software.amazon.awscdk.core.",
                   '"github.com/aws/aws-cdk-go/awscdk"', '"github.com/aws/aws-cdk-go/awscdk/awslambda"')


def is_cdk_v1(source: str) -> bool:
    """Whether a CDK source file imports CDK v1's packages."""
    return any(marker in source for marker in _CDK_V1_IMPORTS)


def constant_replaced(line: str, runtime: str, successor: str, source: str | None = None) -> str | None:
    """`Runtime.PYTHON_3_9` → `Runtime.PYTHON_3_14` (Go: `Runtime_...`) on `line`, when it names
    the runtime's constant exactly once; None otherwise, and in a CDK v1 app (`source`, the
    file's text), whose packages name no newer constant."""
    old, new = constant_for_identifier(runtime), constant_for_identifier(successor)
    if old is None or new is None or (source is not None and is_cdk_v1(source)):
        return None
    token = re.compile(r"(?<=Runtime[._])" + re.escape(old) + r"\b")   # Go: awslambda.Runtime_PYTHON_3_9()
    if len(token.findall(line)) != 1:
        return None
    return token.sub(new, line)
