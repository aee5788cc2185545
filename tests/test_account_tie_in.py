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
from tests.aws_emulator import Deployment, emulator_credentials, reset, start_server


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    server = start_server()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        emulator_credentials(patch)
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


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
