"""How CDK source spells a runtime: by constant (`Runtime.PYTHON_3_9`), not by identifier.

A suggestion that moves a function to a newer runtime rewrites the declaring line; in CDK source
that line names a constant, which this module swaps for the successor's.
"""

from __future__ import annotations

import ast
import re

from reviewer.inventory.cdk.constructs import constant_for_identifier
from reviewer.python_downgrade import parse_python


# The module specifiers of a CDK v1 app's imports in TypeScript/JavaScript, Java and Go
# (`@aws-cdk/core`, `software.amazon.awscdk.core`, aws-cdk-go without `/v2`); Python's are read
# from its import statements (`from aws_cdk import core`). CDK v1 reached end of support in June
# 2023: its last release has no constant for the runtimes since, so a line moved to
# `Runtime.PYTHON_3_14` would not run.
_CDK_V1_IMPORTS = ("'@aws-cdk/core'", '"@aws-cdk/core"', "'@aws-cdk/aws-lambda'", '"@aws-cdk/aws-lambda"',
                   "'@aws-cdk/aws-lambda-nodejs'", '"@aws-cdk/aws-lambda-nodejs"',
                   "software.amazon.awscdk.core.", '"github.com/aws/aws-cdk-go/awscdk"',
                   '"github.com/aws/aws-cdk-go/awscdk/awslambda"')


def is_cdk_v1(source: str) -> bool:
    """Whether a CDK source file imports CDK v1's packages."""
    if any(marker in source for marker in _CDK_V1_IMPORTS):
        return True
    return "aws_cdk" in source and _python_imports_v1(source)


def _python_imports_v1(source: str) -> bool:
    """`from aws_cdk import core`, `from aws_cdk.core import Stack`, `import aws_cdk.core as cdk`
    (parsed, never run; source that does not parse as Python is not read as v1)."""
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None and (
                node.module == "aws_cdk.core" or node.module.startswith("aws_cdk.core.")
                or node.module == "aws_cdk" and any(alias.name == "core" for alias in node.names)):
            return True
        if isinstance(node, ast.Import) and any(alias.name == "aws_cdk.core" for alias in node.names):
            return True
    return False


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
