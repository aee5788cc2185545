"""Paths that grew with the square of the input are linear now.

Recursion edges were matched all-pairs (every write against every trigger of every function:
8,800 S3-triggered functions took minutes); suppression markers were looked up by splitting the
whole file again for every finding. Tests never time anything: they count the work instead.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

FUNCTIONS = 150


def _chain_repository(root: Path) -> None:
    """Each function reads its own queue and sends to the next one's: one long chain, no cycle."""
    resources = []
    for n in range(FUNCTIONS):
        resources.append(f"""\
  Queue{n}:
    Type: AWS::SQS::Queue
  Worker{n}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          NEXT_QUEUE_URL: !Ref Queue{n + 1}
      Events:
        Incoming:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue{n}.Arn
""")
    resources.append(f"  Queue{FUNCTIONS}:\n    Type: AWS::SQS::Queue\n")
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text(
        "import os\n\nimport boto3\n\nsqs = boto3.client('sqs')\n\n\ndef handler(event, context):\n"
        "    for record in event['Records']:\n"
        "        sqs.send_message(QueueUrl=os.environ['NEXT_QUEUE_URL'], MessageBody=record['body'])\n")
    (root / "template.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
        "Globals:\n  Function:\n    Runtime: python3.13\nResources:\n" + "".join(resources))


def test_recursion_matching_judges_only_triggers_on_the_written_resource(tmp_path, monkeypatch):
    from reviewer.analyzers import recursion

    judged = []
    original = recursion._Review.judge

    def counting(self, *args, **kwargs):
        judged.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(recursion._Review, "judge", counting)
    _chain_repository(tmp_path)
    stdout = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"],
         stdout=stdout, stderr=io.StringIO())
    report = json.loads(stdout.getvalue())

    assert len(report["functions"]) == FUNCTIONS
    assert not [f for f in report["findings"] if f["rule_id"].startswith("LR20")]      # a chain, no loop
    assert len(judged) < 4 * FUNCTIONS                 # all-pairs judged FUNCTIONS² triggers


def test_suppression_markers_are_read_once_per_file(tmp_path, monkeypatch):
    from reviewer import comments, suppress

    tokenized = []
    original = comments.comments_of

    def counting(path, text):
        tokenized.append(path)
        return original(path, text)

    monkeypatch.setattr(suppress, "comments_of", counting)
    resources = "".join(f"""\
  Legacy{n}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.7   # lambda-review: ignore[LR100] retired with the old stack
      Handler: app.handler
      CodeUri: src/
""" for n in range(60))
    (tmp_path / "template.yaml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n' + resources)
    stdout = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never"],
         stdout=stdout, stderr=io.StringIO())
    report = json.loads(stdout.getvalue())
    assert len([f for f in report["findings"] if f["rule_id"] == "LR101"]) == 60
    assert tokenized.count("template.yaml") == 1
