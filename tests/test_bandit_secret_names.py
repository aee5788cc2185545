"""bandit's B105 flags any string assigned to a name with `secret` or `token` in it. A handler that
names the Secrets Manager secrets it reads (`secret_slack_name = "SlackChannelID"`) or a text
marker (`COMPOSITE_JOIN_TOKEN`) holds no credential there: no finding. A token written in the
source keeps its finding."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.analyzers.bandit_secret_names import names_a_secret_s_place
from reviewer.cli import main

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  NotifierFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: handler.main
      Runtime: python3.11
      Role: arn:aws:iam::123456789012:role/notifier
      Code:
        S3Bucket: artifacts
        S3Key: notifier.zip
"""

HANDLER = '''\
import os

import boto3

COMPOSITE_JOIN_TOKEN = "_JOIN_"
FALLBACK_TOKEN = "xoxb-1234-5678"


def get_secrets():
    secret_slack_name = "SlackChannelID"
    secret_teams_name = "MicrosoftChannelID"
    client = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"])
    return {name: client.get_secret_value(SecretId=name)["SecretString"]
            for name in (secret_slack_name, secret_teams_name)}


def main(event, context):
    return COMPOSITE_JOIN_TOKEN.join(get_secrets()) or FALLBACK_TOKEN
'''


def test_constants_naming_secrets_are_no_hardcoded_passwords(tmp_path: Path) -> None:
    (tmp_path / "CFN_DEPLOY.yml").write_text(TEMPLATE)
    (tmp_path / "handler.py").write_text(HANDLER)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    flagged = [f["line"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "bandit/B105"]
    assert flagged == [6]     # FALLBACK_TOKEN, a token in the source


@pytest.mark.parametrize(("line", "dropped"), [
    ('    secret_slack_name = "SlackChannelID"', True),
    ('TOKEN_PARAMETER = "/app/api-token"', True),
    ('self.secretArn: str = "arn:aws:secretsmanager:eu-west-1:1:secret:x"', True),
    ('COMPOSITE_JOIN_TOKEN = "_S3F2COMP_"', True),
    ('slack_token = "xoxb-1"', False),
    ('password = "hunter2"', False),
    ('db_password_secret = "s3cret"', False),
    ('if password == "hunter2":', False),
])
def test_which_b105_lines_name_a_secret_s_place(line: str, dropped: bool) -> None:
    assert names_a_secret_s_place("B105", line) is dropped
    assert names_a_secret_s_place("B106", line) is False
