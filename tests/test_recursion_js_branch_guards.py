"""A Node.js poller that waits for a job by sending itself a delayed check message through its
own queue (CloudFormation inline code, as widdix/aws-cf-templates' ECS drain function does): the
helper that sends it is called twice, once for the message another system sends (a condition on
the message's `Source` that the poller's own messages fail) and once, for its own check message,
only while a time limit allows. Each call is bounded, so the loop is a warning naming the limit,
not an error saying it runs until someone stops it; one more call with no condition keeps the
error, and so does a second call whose condition the poller's own messages pass."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Description: Waits for the exports a partner requests, polling through its own queue.
Resources:
  ExportQueue:
    Type: 'AWS::SQS::Queue'
  PollerMapping:
    Type: 'AWS::Lambda::EventSourceMapping'
    Properties:
      BatchSize: 1
      EventSourceArn: !GetAtt 'ExportQueue.Arn'
      FunctionName: !GetAtt 'PollerFunction.Arn'
  PollerFunction:
    Type: 'AWS::Lambda::Function'
    Properties:
      Handler: 'index.handler'
      Runtime: 'nodejs22.x'
      Role: !GetAtt 'PollerRole.Arn'
      Environment:
        Variables:
          QUEUE_URL: !Ref ExportQueue
      Code:
        ZipFile: |
          const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
          const sqs = new SQSClient({});
          const maxWaitSeconds = 3600;
          async function checkLater(jobId, requestedAt) {
            await sqs.send(new SendMessageCommand({
              QueueUrl: process.env.QUEUE_URL,
              DelaySeconds: 60,
              MessageBody: JSON.stringify({ Source: 'ExportPoller', Kind: 'CHECK', JobId: jobId, RequestedAt: requestedAt })
            }));
          }
          exports.handler = async function(event) {
            const message = JSON.parse(event.Records[0].body);
            if (%s) {
              await checkLater(message.JobId, message.Time);
            } else if (message.Source === 'ExportPoller' && message.Kind === 'CHECK') {
              const response = await fetch(`https://exports.example/jobs/${message.JobId}`);
              const job = await response.json();
              if (job.ready !== true) {
                const waited = (Date.now() - new Date(message.RequestedAt).getTime()) / 1000;
                if (waited < maxWaitSeconds) {
                  await checkLater(message.JobId, message.RequestedAt);
                }
              }
            }%s
          };
  PollerRole:
    Type: 'AWS::IAM::Role'
    Properties:
      AssumeRolePolicyDocument:
        Statement:
        - Effect: Allow
          Principal:
            Service: 'lambda.amazonaws.com'
          Action: 'sts:AssumeRole'
"""


PARTNER = "message.Source === 'Partner' && message.Kind === 'EXPORT_REQUESTED'"


def loop_findings(root: Path, partner: str = PARTNER, extra: str = "") -> list[dict]:
    (root / "template.yaml").write_text(TEMPLATE % (partner, extra))
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"].startswith("LR2")]


def test_a_helper_called_for_others_messages_and_behind_a_time_limit_is_a_warning(tmp_path):
    [finding] = loop_findings(tmp_path)
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "warning")
    assert finding["line"] == 27
    assert "a condition at `template.yaml:42`" in finding["message"]


def test_one_more_call_with_no_condition_stays_an_error(tmp_path):
    [finding] = loop_findings(tmp_path, extra="\n            await checkLater(message.JobId, message.Time);")
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "error")


def test_a_call_whose_condition_the_own_messages_pass_stays_an_error(tmp_path):
    [finding] = loop_findings(tmp_path, partner="message.Source === 'ExportPoller' && !message.JobId")
    assert (finding["rule_id"], finding["severity"]) == ("LR201", "error")
