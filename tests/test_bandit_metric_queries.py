"""bandit's B608 flags a string that starts like SQL and interpolates values. A custom resource
that builds CloudWatch Metrics Insights queries for `GetMetricData` (in the shape of the metrics
payload of AWS Solutions' generative-ai-application-builder-on-aws) runs no database query: no
finding. A database query built the same way keeps its finding."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.analyzers.bandit_metric_queries import is_metric_query
from reviewer.cli import main

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  UsageReportFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: report.handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/report
      Code:
        S3Bucket: artifacts
        S3Key: report.zip
"""

HANDLER = '''\
import os

import boto3

SERVICE = os.environ.get("SERVICE_NAME", "unknown")
NAMESPACE = "Solution/Usage"


def queries():
    return [
        f"""SELECT COUNT(Invocations) FROM SCHEMA("{NAMESPACE}", service) WHERE service = '{SERVICE}'""",
        f"""SELECT MAX(Latency)
            FROM SCHEMA("{NAMESPACE}", service)
            WHERE service = '{SERVICE}'""",
    ]


def handler(event, context):
    cloudwatch = boto3.client("cloudwatch")
    data = [{"Id": f"q{i}", "Expression": q, "Period": 3600} for i, q in enumerate(queries())]
    connection = context.connection
    connection.execute(f"SELECT * FROM reports WHERE owner = '{SERVICE}'")
    return cloudwatch.get_metric_data(MetricDataQueries=data, StartTime=0, EndTime=1)
'''


def test_metrics_insights_queries_are_no_sql_injection(tmp_path: Path) -> None:
    (tmp_path / "template.yml").write_text(TEMPLATE)
    (tmp_path / "report.py").write_text(HANDLER)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    flagged = [f["line"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "bandit/B608"]
    assert flagged == [22]     # the reports table's query, a database's


@pytest.mark.parametrize(("lines", "dropped"), [
    (['f"SELECT AVG(x) FROM SCHEMA(\\"{ns}\\", service) WHERE service = \'{s}\'"'], True),
    (['f"""SELECT SUM(x)', '    from schema ("{ns}", service)"""'], True),
    (['f"SELECT * FROM orders WHERE id = {order_id}"'], False),
    (['f"SELECT * FROM information_schema.tables WHERE name = \'{t}\'"'], False),
])
def test_which_b608_strings_are_metrics_insights_queries(lines: list[str], dropped: bool) -> None:
    assert is_metric_query("B608", lines) is dropped
    assert is_metric_query("B105", lines) is False
