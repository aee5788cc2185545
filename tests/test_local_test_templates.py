"""A SAM template kept beside a function's code only for `sam local invoke`, in a repository whose
Terraform module packages and deploys that code: no SAM transform (CloudFormation could not deploy
it), no `Globals`, an old runtime nobody updates. Shaped like a Terraform module of a CI runner
fleet whose poller function is built from `lambdas/poller/` into `lambdas/poller/poller.zip`."""

from __future__ import annotations

from pathlib import Path

from tests.inventory_helpers import scan_report

LOCAL_TEMPLATE = """\
# Only for `sam local invoke`: the module deploys this function with Terraform.
Resources:
  Poller:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs16.x
      Handler: dist/index.handler
      Timeout: 120
      Environment:
        Variables:
          QUEUE_URL:
"""

MODULE = """\
variable "prefix" {
  type    = string
  default = "runners"
}

resource "aws_iam_role" "poller" {
  name               = "${var.prefix}-poller"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "poller" {
  function_name    = "${var.prefix}-poller"
  filename         = "${path.module}/lambdas/poller/poller.zip"
  source_code_hash = filebase64sha256("${path.module}/lambdas/poller/poller.zip")
  handler          = "index.handler"
  runtime          = "nodejs22.x"
  role             = aws_iam_role.poller.arn
}
"""

POLLER = """\
export const handler = async (): Promise<{ polled: number }> => ({ polled: 0 });
"""


def fleet(root: Path, template: str = LOCAL_TEMPLATE, terraform: bool = True) -> Path:
    files = {"lambdas/poller/template.yaml": template, "lambdas/poller/src/index.ts": POLLER,
             "lambdas/poller/package.json": '{"name": "poller", "main": "dist/index.js"}'}
    if terraform:
        files["main.tf"] = MODULE
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_local_template_of_code_terraform_deploys_is_not_a_deployment(tmp_path):
    report = scan_report(fleet(tmp_path), "2026-12-08")
    assert [(function["format"], function["runtime"]) for function in report["functions"]] == [("terraform", "nodejs22.x")]
    assert not [finding for finding in report["findings"] if finding["path"] == "lambdas/poller/template.yaml"]


def test_a_fragment_whose_code_no_other_tool_deploys_is_still_read(tmp_path):
    report = scan_report(fleet(tmp_path, terraform=False), "2026-12-08")
    assert [function["name"] for function in report["functions"]] == ["Poller"]
    assert "LR100" in {finding["rule_id"] for finding in report["findings"]}


def test_a_template_with_the_transform_is_a_deployment_of_its_own(tmp_path):
    with_transform = "Transform: AWS::Serverless-2016-10-31\n" + LOCAL_TEMPLATE
    report = scan_report(fleet(tmp_path, template=with_transform), "2026-12-08")
    assert sorted(function["format"] for function in report["functions"]) == ["sam", "terraform"]
