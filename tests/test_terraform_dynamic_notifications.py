"""An S3 trigger module that writes one `lambda_function` block per trigger of a map of objects
(`dynamic "lambda_function" { for_each = var.triggers  content { ... lambda_function.value.x } }`,
the shape of NHSDigital/Galleri-Invitations' `modules/lambda_s3_trigger`): each block is read with
its entry, so every function keeps its notification's events and key filters. Read once with the
iterator unbound, no notification was found and a write the prefix filter keeps out was an LR201
warning saying the notification was "configured elsewhere"."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.workspace import Workspace

_TRIGGER_MODULE = """
    resource "aws_lambda_permission" "allow_bucket" {
      for_each      = { for id, trigger in var.triggers : id => trigger.function_arn }
      action        = "lambda:InvokeFunction"
      function_name = each.value
      principal     = "s3.amazonaws.com"
      source_arn    = var.bucket_arn
    }

    resource "aws_s3_bucket_notification" "uploads" {
      bucket = var.bucket_id

      dynamic "lambda_function" {
        for_each = var.triggers
        content {
          lambda_function_arn = lambda_function.value.function_arn
          events              = lambda_function.value.events
          filter_prefix       = lambda_function.value.prefix
          filter_suffix       = lambda_function.value.suffix
        }
      }
    }

    variable "triggers" {
      type = map(object({
        function_arn = string
        events       = list(string)
        prefix       = string
        suffix       = string
      }))
    }
    variable "bucket_id" {}
    variable "bucket_arn" {}
"""

_FUNCTION = """
    resource "aws_lambda_function" "{name}" {{
      function_name = "{name}"
      role          = "arn:aws:iam::123456789012:role/{name}"
      handler       = "{name}.handler"
      runtime       = "nodejs20.x"
      filename      = "build/{name}.zip"
    }}
"""

_ROOT = """
    resource "aws_s3_bucket" "inbox" {
      bucket = "screening-inbox"
    }

    module "inbox_triggers" {
      source     = "./modules/s3_triggers"
      bucket_id  = aws_s3_bucket.inbox.id
      bucket_arn = aws_s3_bucket.inbox.arn
      triggers = {
        accepted = {
          function_arn = aws_lambda_function.accept.arn,
          events       = ["s3:ObjectCreated:*"],
          prefix       = "inbound/accepted-",
          suffix       = ""
        },
        withdrawn = {
          function_arn = aws_lambda_function.withdraw.arn,
          events       = ["s3:ObjectCreated:Put"],
          prefix       = "inbound/withdrawn-",
          suffix       = ".json"
        }
      }
    }
"""

_HANDLER = """
    import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

    const s3 = new S3Client();

    export const handler = async (event) => {
      const bucket = event.Records[0].s3.bucket.name;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `rejected/${Date.now()}.json`, Body: "{}" }));
    };
"""


def _tree(root: Path, trigger_module: str = _TRIGGER_MODULE, calls: str = _ROOT) -> Path:
    files = {
        "infra/modules/s3_triggers/main.tf": trigger_module,
        "infra/main.tf": calls + _FUNCTION.format(name="accept") + _FUNCTION.format(name="withdraw"),
        "infra/accept/accept.js": _HANDLER,
        "infra/withdraw/withdraw.js": _HANDLER,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _notifications(root: Path) -> dict[str, list[tuple[list[str], str, str]]]:
    functions = TerraformFormat().scan(Workspace(root)).functions
    return {fn.name: [(t.attributes["events"], t.attributes["prefix"], t.attributes["suffix"])
                      for t in fn.triggers if t.kind == "s3" and "events" in t.attributes]
            for fn in functions}


def test_each_entry_of_a_dynamic_notification_block_is_its_functions_trigger(tmp_path: Path):
    assert _notifications(_tree(tmp_path)) == {
        "aws_lambda_function.accept": [(["s3:ObjectCreated:*"], "inbound/accepted-", "")],
        "aws_lambda_function.withdraw": [(["s3:ObjectCreated:Put"], "inbound/withdrawn-", ".json")],
    }


def test_a_named_iterator_over_a_list_of_objects_is_read_too(tmp_path: Path):
    module = (_TRIGGER_MODULE.replace("for_each = var.triggers\n", "for_each = var.triggers\n"
                                      "        iterator = trigger\n")
              .replace("lambda_function.value.", "trigger.value.").replace("map(object", "list(object"))
    calls = (_ROOT.replace("triggers = {", "triggers = [").replace("accepted = {", "{")
             .replace("withdrawn = {", "{").replace("        }\n      }\n    }\n", "        }\n      ]\n    }\n"))
    assert "iterator = trigger" in module and "triggers = [" in calls and "      ]\n" in calls
    assert _notifications(_tree(tmp_path, module, calls)) == {
        "aws_lambda_function.accept": [(["s3:ObjectCreated:*"], "inbound/accepted-", "")],
        "aws_lambda_function.withdraw": [(["s3:ObjectCreated:Put"], "inbound/withdrawn-", ".json")],
    }


def test_a_write_the_dynamic_blocks_prefix_keeps_out_is_no_loop_warning(tmp_path: Path):
    out = io.StringIO()
    main(["scan", str(_tree(tmp_path)), "--format", "json", "--reference-date", "2026-06-01",
          "--fail-on", "never", "--audit", "off"], stdout=out, stderr=io.StringIO())
    loops = sorted((f["rule_id"], f["function"]) for f in json.loads(out.getvalue())["findings"]
                   if f["rule_id"] in ("LR201", "LR203", "LR204"))
    assert loops == [("LR203", "aws_lambda_function.accept"), ("LR203", "aws_lambda_function.withdraw")]


def test_a_dynamic_queue_block_lists_each_queue_with_its_filters(tmp_path: Path):
    (tmp_path / "main.tf").write_text(textwrap.dedent("""
        locals {
          queues = [
            { arn = aws_sqs_queue.accepted.arn, prefix = "inbound/accepted-" },
            { arn = aws_sqs_queue.withdrawn.arn, prefix = "inbound/withdrawn-" },
          ]
        }

        resource "aws_sqs_queue" "accepted" {
          name = "accepted"
        }

        resource "aws_sqs_queue" "withdrawn" {
          name = "withdrawn"
        }

        resource "aws_s3_bucket_notification" "inbox" {
          bucket = "screening-inbox"
          dynamic "queue" {
            for_each = local.queues
            content {
              queue_arn     = queue.value.arn
              events        = ["s3:ObjectCreated:*"]
              filter_prefix = queue.value.prefix
            }
          }
        }
        """))
    deliveries = TerraformFormat().scan(Workspace(tmp_path)).deliveries
    listed = sorted((d.via.value, d.attributes["prefix"]) for found in deliveries.values() for d in found)
    assert listed == [("aws_sqs_queue.accepted", "inbound/accepted-"), ("aws_sqs_queue.withdrawn", "inbound/withdrawn-")]
