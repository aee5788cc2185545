"""What bandit's worker does with a file bandit could not parse: read it again in older grammar
when it is Python 3.12 on an older interpreter, else say why it was skipped (LR901 or LR903)."""

from __future__ import annotations

import ast
import sys

from reviewer.code.python_grammar import needed_version, version_label
from reviewer.python_downgrade import downgrade


def older_grammar(data: bytes) -> bytes | None:
    """The file's text in Python 3.11 grammar when it needs 3.12's and the interpreter is older
    (`reviewer.python_downgrade`, lines kept), else None."""
    if sys.version_info >= (3, 12):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    older = downgrade(text)
    return older.encode("utf-8") if older is not None and older != text else None


def why_unparsed(data: bytes, bandit_reason: str) -> tuple[str, int, str | None]:
    """Why bandit skipped a file: (reason, line, the newer Python it needs when that is the cause)."""
    try:
        ast.parse(data)
    except SyntaxError as exc:
        version = needed_version(data.decode("utf-8", "replace"))
        if version is not None:   # newer syntax, not a broken file: reported as LR903
            return "it needs a newer Python grammar", exc.lineno or 1, version_label(version)
        return f"bandit could not parse it as Python ({exc.msg}, line {exc.lineno})", exc.lineno or 1, None
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"bandit could not parse it as Python ({type(exc).__name__})", 1, None
    return f"bandit could not scan it ({bandit_reason})", 1, None


__all__ = ["older_grammar", "why_unparsed"]
