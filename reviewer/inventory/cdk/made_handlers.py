"""The handler a helper's function deploys once one call of the helper fills it in (`cdk/factories.py`).

Two constructs build their handler from more than one property, so a call that passes one of them
changes only its part:

- `PythonFunction` deploys `<index without .py>.<handler>` (`index` defaults to `index.py`,
  `handler` to `handler`): a helper `new PythonFunction(scope, id, { entry: "app", ...props })`
  called with `{ index: "jobs/clean.py", handler: "lambda_handler" }` deploys
  `jobs.clean.lambda_handler` from `app`, and one called with only `handler` keeps the helper's module;
- `NodejsFunction` runs the export `handler` (or the one its `handler` names) of its `entry` file.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.inventory.cdk.constructs import default_handler
from reviewer.model import Function

# The files `NodejsFunction` takes as its `entry`.
_ENTRY_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def given_handler(function: Function, index: str | None, handler: str | None) -> None:
    """The handler once a call passes `handler` and, to a `PythonFunction`, `index` (None: not
    passed; a `PythonFunction`'s is then the helper's own, its function's `module.function`)."""
    if function.properties.get("Construct") != "PythonFunction":
        function.handler = handler if handler is not None else function.handler
        return
    if index is None and handler is None:
        return
    module, _, written = (function.handler or "").rpartition(".")
    if index is None and module:
        index = f"{module.replace('.', '/')}.py"
    function.handler = default_handler("PythonFunction", handler or written or None, index)


def entry_export(function: Function) -> None:
    """A `NodejsFunction` runs the export `handler` (or the one its `handler` names) of its entry
    file: as a handler string, `create.createBanner` in the entry's folder, as `cdk/read.py` says
    it for a construct written in place, so the code is read like any other function's."""
    code = function.code_path
    if function.properties.get("Construct") != "NodejsFunction" or code is None \
            or PurePosixPath(code).suffix not in _ENTRY_SUFFIXES:
        return
    handler = function.handler or "handler"
    if "." in handler:
        return
    entry = PurePosixPath(code)
    function.handler = f"{entry.stem}.{handler}"
    function.code_path = str(entry.parent)
