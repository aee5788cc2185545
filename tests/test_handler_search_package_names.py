"""A build script that zips each handler folder under a name spelled from its path
(`src/handlers/orders/show/` → `deploy/orders_show.zip`, shipped with `package.artifact`) ties
each function to its folder, though every folder holds a `handler.py` defining `lambda_handler`.
A name that spells no folder, or two, ties nothing."""

from __future__ import annotations

from pathlib import Path

from reviewer.code import code_location
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace

SERVICE = """\
service: shop
provider:
  name: aws
  runtime: python3.12
package:
  individually: true
functions:
  OrdersShow:
    handler: handler.lambda_handler
    package:
      artifact: ./deploy/orders_show.zip
  MeOrdersShow:
    handler: handler.lambda_handler
    package:
      artifact: ./deploy/me_orders_show.zip
  LaboRandom:
    handler: handler.lambda_handler
    package:
      artifact: ./deploy/labo-random.zip
  Reports:
    handler: handler.lambda_handler
    package:
      artifact: ./deploy/reports.zip
"""


def _handler(table: str) -> str:
    return f"import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.resource('dynamodb').Table('{table}')\n"


def _workspace(root: Path) -> Workspace:
    files = {
        "serverless.yml": SERVICE,
        "src/handlers/orders/show/handler.py": _handler("orders"),
        "src/handlers/me/orders/show/handler.py": _handler("my-orders"),
        "src/handlers/labo/random/handler.py": _handler("labo"),
        # two folders end in `reports`: the name spells both
        "src/handlers/reports/handler.py": _handler("reports"),
        "src/handlers/me/reports/handler.py": _handler("my-reports"),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Workspace(root)


def test_each_package_is_tied_to_the_folder_its_name_spells(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    functions = {fn.name: fn for fn in ServerlessFormat().scan(workspace).functions}
    folders = {name: code_location.python_source_folder(workspace, fn, {}) for name, fn in functions.items()}
    assert folders == {
        "OrdersShow": "src/handlers/orders/show",        # not me/orders/show, whose name has `me_`
        "MeOrdersShow": "src/handlers/me/orders/show",
        "LaboRandom": "src/handlers/labo/random",        # joined by `-` as well
        "Reports": "src/handlers/reports",               # below the shared folder it spells one
    }
    source = code_location.handler_source(workspace, functions["OrdersShow"], "python", {})
    assert source is not None
    assert source.match_words() == ("src/handlers/orders/show/handler.py, the file named handler.py that defines "
                                    "lambda_handler in the folder the package's name orders_show spells")


def test_a_name_that_spells_two_folders_from_anywhere_ties_nothing(tmp_path: Path) -> None:
    _workspace(tmp_path)
    (tmp_path / "src/handlers/team").mkdir()
    (tmp_path / "src/handlers/reports").rename(tmp_path / "src/handlers/team/reports")
    reports = next(fn for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions if fn.name == "Reports")
    assert code_location.python_source_folder(Workspace(tmp_path), reports, {}) is None


WORKERS_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
Resources:
  SyncFeedsFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../dist/lambda/sync-feeds/
      Handler: index.handler
  SendDigestFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../dist/lambda/send-digest/
      Handler: index.handler
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../dist/lambda/api/
      Handler: index.handler
"""


def test_a_build_output_folder_is_tied_to_the_source_folder_its_name_spells(tmp_path: Path) -> None:
    """A script bundles each worker's `index.ts` into `dist/lambda/<worker>/` (not committed), as
    tri-star/chase-light's backend does: every worker has an `index.ts` exporting `handler`."""
    from reviewer.inventory.cloudformation.read import CloudFormationFormat

    worker = "export const handler = async (event: unknown) => ({ ok: true, event });\n"
    files = {
        "backend/infrastructure/template.yaml": WORKERS_TEMPLATE,
        "backend/src/feeds/workers/sync-feeds/index.ts": worker,
        "backend/src/notification/workers/send-digest/index.ts": worker,
        "backend/src/index.ts": worker,     # the API's entry: no folder spells `api`
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    workspace = Workspace(tmp_path)
    functions = {fn.name: fn for fn in CloudFormationFormat().scan(workspace).functions}
    sources = {name: code_location.handler_source(workspace, fn, "javascript", {}) for name, fn in functions.items()}
    assert {name: source.folder if source else None for name, source in sources.items()} == {
        "SyncFeedsFunction": "backend/src/feeds/workers/sync-feeds",
        "SendDigestFunction": "backend/src/notification/workers/send-digest",
        "ApiFunction": None,
    }
