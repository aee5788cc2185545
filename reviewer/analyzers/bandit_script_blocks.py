"""The lines of a module's `if __name__ == "__main__":` blocks, where bandit's issues never run in Lambda.

Lambda imports a handler's module under its own name, so the block a developer keeps at the end
of it to run the handler locally (a sample event, `os.popen("cp /tmp/...")` to stage a file) is
never executed by the function. bandit reports what it finds there like any other line; the
review keeps such an issue as a notice, saying where it is, rather than an error or a warning
about code the function does not run (the loop check skips these blocks the same way,
`code/program.py`).
"""

from __future__ import annotations

import ast

from reviewer.code.program import runs_as_script
from reviewer.python_downgrade import parse_python


def script_block_lines(source: str) -> list[tuple[int, int]]:
    """The first and last line of the body of each module-level `if __name__ == "__main__":`
    (not its `else`, which is what runs when Lambda imports the module); nothing when the file
    does not parse here or never names `__main__`."""
    if "__main__" not in source:
        return []
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError):
        return []
    return [(statement.body[0].lineno, statement.body[-1].end_lineno or statement.body[-1].lineno)
            for statement in tree.body
            if isinstance(statement, ast.If) and runs_as_script(statement.test) and statement.body]


def in_script_block(blocks: list[tuple[int, int]], line: int) -> bool:
    return any(first <= line <= last for first, last in blocks)
