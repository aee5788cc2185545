"""Whose code the readers leave alone before looking for it: a function whose code is not the
team's (a library adds it: CDK's S3 notifications handler) or is in a language they do not read,
a shell script among them: the Lambda Web Adapter's functions name one as their handler
(`Handler: run.sh`, with `AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap`), and the script starts the web
app that serves the requests. Read as `module.function`, `run.sh` would be called a missing
`run.py` beside the script itself.

`reviewer.code.reader` asks it first, so every check that reads handler code (loops, `/tmp`,
untrusted input, which event keys a handler reads) says the same reason in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.model import FUNCTIONS_UNREAD_KEY, Function

# A handler that names a script rather than `module.function`.
SCRIPT_SUFFIXES = (".sh",)


@dataclass(frozen=True)
class OutOfReach:
    """Why a function's code is not read; `other_language` when the reason is its language."""

    reason: str
    other_language: bool = False


def code_out_of_reach(function: Function) -> OutOfReach | None:
    """Why the function's code is not read at all, or None when the readers look for it."""
    if (added := function.added_by) is not None:
        # its code and version are the library's: a finding in it would ask the team for a change
        # only an upgrade of the library makes
        return OutOfReach(f"its code is {added.library}'s own (for {added.purpose}), changed only by upgrading it")
    if function.properties.get(FUNCTIONS_UNREAD_KEY):
        return OutOfReach("it stands for the service's functions, which the review could not read (an LR904 "
                          "notice says why)")
    runtime = (function.runtime or "").lower()
    # the source says more than an OS-only runtime (`GoFunction`, given provided.al2023 or defaulting)
    if function.properties.get("SourceLanguage") and not runtime.startswith(("python", "nodejs")):
        return OutOfReach(f"only Python and Node.js handlers are read, and the function is built from "
                          f"{function.properties['SourceLanguage']} source", other_language=True)
    if runtime and not runtime.startswith(("python", "nodejs")):
        return OutOfReach(f"only Python and Node.js handlers are read, and the runtime is {function.runtime}",
                          other_language=True)
    if (function.handler or "").endswith(SCRIPT_SUFFIXES):
        return OutOfReach(f"its handler {function.handler} is a shell script, which starts the program that serves "
                          "the requests (a web app behind the Lambda Web Adapter), and only Python and Node.js "
                          "handler functions are read", other_language=True)
    return None
