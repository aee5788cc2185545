"""Node.js functions kept as packages of their own, each built by its `package.json` script
`ncc build src/lambda.ts -o dist` and zipped beside it (`housekeeper/housekeeper.zip`, built in CI,
not committed), deployed by a Terraform module with the handler `index.<export>`: ncc writes the
bundle's `index.js` from `src/lambda.ts`, which is the code read. Another package of the repository
holds an `index.ts` defining a `handler` of its own, which is not this function's code. Shaped like a
CI runner fleet's Terraform modules with their Lambda packages in `lambdas/functions/`."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

MODULE = """\
resource "aws_iam_role" "lambda" {
  name               = "fleet-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "housekeeper" {
  function_name = "fleet-housekeeper"
  filename      = "${path.module}/lambdas/functions/housekeeper/housekeeper.zip"
  handler       = "index.handler"
  runtime       = "nodejs22.x"
  role          = aws_iam_role.lambda.arn
}

resource "aws_lambda_function" "scale_up" {
  function_name = "fleet-scale-up"
  filename      = "${path.module}/lambdas/functions/control-plane/runners.zip"
  handler       = "index.scaleUp"
  runtime       = "nodejs22.x"
  role          = aws_iam_role.lambda.arn
}
"""


def package(name: str, zip_name: str) -> str:
    return ('{"name": "@fleet/' + name + '", "main": "lambda.ts", "scripts": {'
            '"test": "vitest", "build": "ncc build src/lambda.ts -o dist", '
            '"dist": "yarn build && cd dist && zip ../' + zip_name + ' *"}}')


HOUSEKEEPER = """\
import { EC2Client, DeregisterImageCommand } from '@aws-sdk/client-ec2';

const ec2 = new EC2Client({});

export async function handler(): Promise<void> {
  await ec2.send(new DeregisterImageCommand({ ImageId: process.env.STALE_IMAGE_ID }));
}
"""

SCALE_UP = """\
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';

const sqs = new SQSClient({});

export async function scaleUp(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.RETRY_QUEUE_URL, MessageBody: record.body }));
  }
}
"""

# Another package's module named `index.ts`, defining a `handler`: not the housekeeper's code.
WEBHOOK_INDEX = """\
export async function handler(body: string): Promise<string> {
  return body.trim();
}
"""


def fleet(root: Path) -> Path:
    files = {"main.tf": MODULE,
             "lambdas/functions/housekeeper/package.json": package("housekeeper", "housekeeper.zip"),
             "lambdas/functions/housekeeper/src/lambda.ts": HOUSEKEEPER,
             "lambdas/functions/control-plane/package.json": package("control-plane", "runners.zip"),
             "lambdas/functions/control-plane/src/lambda.ts": SCALE_UP,
             "lambdas/functions/webhook/src/webhook/index.ts": WEBHOOK_INDEX}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def readings(root: Path) -> dict:
    workspace = Workspace(root)
    return {fn.name.rsplit(".", 1)[-1]: read_function_code(workspace, fn) for fn in build_inventory(workspace).functions}


def test_the_entry_the_build_script_bundles_is_read_for_index(tmp_path):
    read = readings(fleet(tmp_path))
    assert read["housekeeper"].handler_path == "lambdas/functions/housekeeper/src/lambda.ts"
    assert read["scale_up"].handler_path == "lambdas/functions/control-plane/src/lambda.ts"
    assert [(write.service, write.operation) for write in read["scale_up"].writes] == [("sqs", "send(SendMessageCommand)")]
    assert read["housekeeper"].source_note == ("the package's `ncc build` script bundles it into the code location "
                                               "lambdas/functions/housekeeper/housekeeper.zip, which is not in the repository")


def test_a_package_whose_scripts_name_no_ncc_build_is_left_as_before(tmp_path):
    fleet(tmp_path)
    (tmp_path / "lambdas/functions/control-plane/package.json").write_text(
        '{"name": "@fleet/control-plane", "scripts": {"build": "tsc"}}')
    read = readings(tmp_path)
    assert read["scale_up"].handler_path != "lambdas/functions/control-plane/src/lambda.ts"
