terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "media-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

# Deprecated runtime, set through a variable default (variables.tf).
resource "aws_lambda_function" "thumbnailer" {
  function_name = "media-thumbnailer"
  role          = aws_iam_role.lambda.arn
  handler       = "app.handler"
  runtime       = var.python_runtime
  filename      = "build/thumbnailer.zip"
}

# The clean one.
resource "aws_lambda_function" "api" {
  function_name = "media-api"
  role          = aws_iam_role.lambda.arn
  handler       = "app.handler"
  runtime       = "python3.13"
  filename      = "build/api.zip"
}
