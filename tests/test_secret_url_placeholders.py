"""LR304 and a URL whose password is a placeholder: a parameter's default that shows the shape of a
connection string (`mongodb://<username>:<password>@<hostname>:<port>/`) holds no secret."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.analyzers.secrets import judge_secret
from reviewer.cli import main
from reviewer.findings import Severity

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  ClusterConnection:
    Type: String
    Default: "e.g. mongodb://<username>:<password>@<hostname>:27017/?tls=true"
  MirrorConnection:
    Type: String
    Default: "mongodb://reader:Kq7vR2pLx9@mirror.internal:27017/"
Resources:
  Connector:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          default_cluster: !Ref ClusterConnection
          mirror_cluster: !Ref MirrorConnection
"""


@pytest.mark.parametrize("value", [
    "mongodb://<username>:<password>@<hostname>:<port>/",
    "postgres://user:{password}@db.example.internal:5432/app",
    "redis://default:********@cache:6379",
    "amqp://app:YOUR_PASSWORD@broker:5672",
])
def test_a_url_whose_password_is_a_placeholder_is_no_secret(value):
    assert judge_secret("CONNECTION", value, literal=True) is None


def test_under_a_secret_name_a_placeholder_url_is_a_notice():
    judged = judge_secret("DB_PASSWORD", "mysql://admin:<password>@db:3306/app", literal=True)
    assert judged is not None and judged[1] == Severity.NOTICE


def test_a_url_with_a_real_password_is_still_an_error():
    judged = judge_secret("CONNECTION", "mongodb://<user>:<pw>@a:1/ mongodb://app:Kq7vR2pLx9@b:2/", literal=True)
    assert judged is not None and judged[1] == Severity.ERROR


def test_a_template_parameter_default_showing_the_shape_is_not_reported(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"],
         stdout=out, stderr=io.StringIO())
    found = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR304"]
    assert [(f["line"], f["severity"]) for f in found] == [(9, "error")]
    assert "mirror_cluster" in found[0]["message"]
