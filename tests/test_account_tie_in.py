"""The tie-in of a pull request (or `account --repository`) to what is deployed, against moto's
server: which declared function a deployed one is, and the words of the note that says it runs an
older runtime than the repository declares."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.account.tie_in import deployed_runtime_notes
from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace
from tests.aws_emulator import Deployment, reset, running_emulator


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with running_emulator() as url:
        yield url


def _declared(root: Path, files: dict[str, str]) -> list[Function]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return build_inventory(Workspace(root)).functions


def _notes(emulator: str, declared: list[Function], deployed: dict[str, str]) -> list[str]:
    reset(emulator)
    region = Deployment(emulator, "us-east-1")
    for name, runtime in deployed.items():
        region.function(name, runtime)
    return deployed_runtime_notes(declared, ["us-east-1"], emulator)


TERRAFORM = """\
    resource "aws_lambda_function" "ruby" {
      function_name = "tf-ruby"
      runtime       = "ruby3.3"
      handler       = "app.handler"
      filename      = "ruby.zip"
      role          = "arn:aws:iam::123456789012:role/fn"
    }
    """


def test_a_quoted_terraform_name_ties_to_the_function_deployed_under_it(tmp_path: Path, emulator: str) -> None:
    notes = _notes(emulator, _declared(tmp_path, {"main.tf": TERRAFORM}),
                   {"tf-ruby": "ruby2.7", "tf-ruby-canary": "ruby2.7"})
    assert len(notes) == 1
    assert notes[0].startswith("aws_lambda_function.ruby (main.tf:1) declares ruby3.3, but the deployed function "
                               "tf-ruby in us-east-1 runs the older ruby2.7")


SERVICE = """\
    service: ingest
    provider:
      name: aws
      runtime: python3.12
    functions:
      poller:
        handler: poller/app.handler
      api:
        handler: api/app.handler
    """


def test_a_serverless_function_ties_by_its_service_stage_name_and_the_note_says_so(tmp_path: Path,
                                                                                     emulator: str) -> None:
    """`<service>-<stage>-<key>` exactly; never by the key alone (`-api-` is in another service's name)."""
    notes = _notes(emulator, _declared(tmp_path, {"serverless.yml": SERVICE}),
                   {"ingest-dev-poller": "python3.9", "ingest-prod-poller": "python3.8",
                    "billing-api-handler": "python3.8", "poller": "python3.8"})
    assert notes == [
        "poller (serverless.yml:6) declares python3.12, but the deployed function ingest-dev-poller in us-east-1 "
        "(its name worked out from the service and stage) runs the older python3.9: the next deployment moves it, "
        "and anything that depends on the old version should be checked first."]


def test_a_computed_name_two_declarations_share_ties_to_neither(tmp_path: Path, emulator: str) -> None:
    declared = _declared(tmp_path, {"a/serverless.yml": SERVICE, "b/serverless.yml": SERVICE})
    assert _notes(emulator, declared, {"ingest-dev-poller": "python3.9"}) == []


CDK_STACK = """\
    import * as lambda from 'aws-cdk-lib/aws-lambda';
    import { Stack } from 'aws-cdk-lib';

    export class OrdersStack extends Stack {
      constructor(scope: any, id: string) {
        super(scope, id);
        new lambda.Function(this, 'OrdersHandler', {
          runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src/orders'),
        });
        new lambda.Function(this, 'Orders', {
          runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src/main'),
        });
        new lambda.Function(this, 'Audit', {
          runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset('src/audit'),
        });
      }
    }
    """


def test_a_cdk_function_ties_by_its_construct_id_and_hash_in_the_generated_name(tmp_path: Path,
                                                                                        emulator: str) -> None:
    """`<stack>-<ConstructId><8 hex>-<suffix>`: `OrdersHandler<hash>` is not `Orders` (its rest is no
    hash), `AuditTrail<hash>` not `Audit`, and `ApiAudit<hash>` (a construct nested in another) is not
    tied to `Audit`, which would otherwise claim every `...Audit<hash>` of the account."""
    declared = _declared(tmp_path, {"cdk.json": '{"app": "npx ts-node bin/app.ts"}\n', "lib/stack.ts": CDK_STACK})
    notes = _notes(emulator, declared, {
        "Orders-prod-AuditA1B2C3D4-Q7W8E9R0T1Y2": "nodejs18.x",
        "Orders-prod-OrdersHandler5E6F7A8B-Z1X2C3V4B5N6": "nodejs18.x",
        "Orders-prod-AuditTrail0C1D2E3F-M1N2B3V4C5X6": "nodejs18.x",
        "Orders-prod-Audit-M1N2B3V4C5X6": "nodejs18.x",
        "Orders-prod-ApiAuditA1B2C3D4-M1N2B3V4C5X7": "nodejs18.x"})
    assert notes == [
        "OrdersHandler (lib/stack.ts:7) declares nodejs22.x, but the deployed function "
        "Orders-prod-OrdersHandler5E6F7A8B-Z1X2C3V4B5N6 in us-east-1 (matched by its construct id in the name "
        "CloudFormation generated) runs the older nodejs18.x: the next deployment moves it, and anything that "
        "depends on the old version should be checked first.",
        "Audit (lib/stack.ts:13) declares nodejs22.x, but the deployed function Orders-prod-AuditA1B2C3D4-Q7W8E9R0T1Y2 "
        "in us-east-1 (matched by its construct id in the name CloudFormation generated) runs the older "
        "nodejs18.x: the next deployment moves it, and anything that depends on the old version should be "
        "checked first."]


def test_account_repository_summary_says_how_a_worked_out_name_was_matched(tmp_path: Path, emulator: str) -> None:
    from tests.test_account import account

    _notes(emulator, _declared(tmp_path, {"serverless.yml": SERVICE}), {"ingest-dev-poller": "python3.9"})
    _, summary = account(emulator, "--repository", str(tmp_path), fmt="markdown")
    assert ("- `poller` (`serverless.yml:6`) declares `python3.12`; `ingest-dev-poller` in `us-east-1` "
            "(its name worked out from the service and stage) runs `python3.9`.") in summary
