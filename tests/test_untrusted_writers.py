"""LR306 judged by who writes the event (fixtures/untrusted/event-writers: a log analytics stack
whose Athena partitions are added on a schedule with a constant input, a report export a state
machine runs, an API function behind a Lambda authorizer, and a user pool's pre sign-up trigger)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from reviewer.analyzers.engine_overlap import merge_engine_overlaps
from reviewer.analyzers.untrusted_writers import EventWriter, event_writer, function_writer
from reviewer.code.taint_common import Flow
from reviewer.inventory import build_inventory
from reviewer.findings import Finding, Severity
from reviewer.model import Function, FunctionUrl, InvokePermission, Location, Trigger
from reviewer.workspace import Workspace
from tests.test_untrusted_input import FIXTURES, marks, scan

HERE = Location("template.yaml", 1)


def _findings(tmp_path: Path) -> dict[tuple[str, int], dict]:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "event-writers", root)
    return {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}


def _function(*triggers: str, principals: tuple[str, ...] = (), url: bool = False) -> Function:
    return Function("Fn", "cloudformation", HERE, triggers=[Trigger(kind, HERE) for kind in triggers],
                    permissions=[InvokePermission(principal, HERE) for principal in principals],
                    url=FunctionUrl("NONE", HERE) if url else None)


def test_every_marked_sink_is_reported_whoever_writes_the_event(tmp_path):
    found = _findings(tmp_path)
    wanted, unwanted = marks(FIXTURES / "event-writers")
    assert set(found) == wanted
    assert not set(found) & unwanted


def test_a_scheduled_function_s_constant_input_is_a_notice_and_the_fields_aws_writes_give_nothing(tmp_path):
    found = _findings(tmp_path)
    partitions = found[("partitions/add_partitions.py", 12)]
    assert partitions["severity"] == "notice"
    assert "Only schedules invoke the function" in partitions["message"]
    assert "no one outside the account chooses that value" in partitions["message"]
    assert ("partitions/add_partitions.py", 15) not in found        # event['time']: EventBridge writes it


def test_a_function_with_no_declared_trigger_is_a_warning_that_says_who_invokes_it(tmp_path):
    export = _findings(tmp_path)[("exports/export.js", 4)]
    assert export["severity"] == "warning"
    assert "No trigger of the function is declared" in export["message"]
    assert "a state machine" in export["message"] and "whoever invokes it writes that value" in export["message"]


def test_a_value_of_the_api_s_authorizer_is_a_warning_and_the_request_body_stays_an_error(tmp_path):
    found = _findings(tmp_path)
    authorizer = found[("submissions/submit.py", 5)]
    assert authorizer["severity"] == "warning"
    assert "The API's authorizer writes that value" in authorizer["message"]
    assert "Whoever sends the event" not in authorizer["message"]
    body = found[("submissions/submit.py", 6)]
    assert body["severity"] == "error" and "Whoever sends the event controls that value" in body["message"]


def test_a_user_pool_trigger_stays_an_error_since_users_write_their_attributes(tmp_path):
    assert _findings(tmp_path)[("signup/pre_signup.py", 6)]["severity"] == "error"


def test_the_most_exposed_invoker_decides_for_a_function():
    assert function_writer(_function("schedule", principals=("events.amazonaws.com",))) is EventWriter.SCHEDULE
    assert function_writer(_function()) is EventWriter.ACCOUNT
    assert function_writer(_function("schedule", "sqs")) is EventWriter.CALLER
    assert function_writer(_function("schedule", url=True)) is EventWriter.CALLER
    assert function_writer(_function("other")) is EventWriter.CALLER        # a kind the review does not know
    # a rule's permission with no schedule declared may be any rule's; any other principal is not known
    assert function_writer(_function(principals=("events.amazonaws.com",))) is EventWriter.CALLER
    assert function_writer(_function("schedule", principals=("s3.amazonaws.com",))) is EventWriter.CALLER
    assert function_writer(_function(principals=("123456789012",))) is EventWriter.CALLER


def test_the_field_read_and_every_function_that_ships_the_code_decide_for_a_flow():
    functions = {"Nightly": _function("schedule"), "Worker": _function(), "Api": _function("api")}

    def writer(field: str, *owners: str) -> EventWriter:
        return event_writer(Flow(field, "app.py", 1), owners, functions)

    assert writer("event['time']", "Nightly") is EventWriter.AWS
    assert writer("event.resources[0]", "Nightly") is EventWriter.AWS
    assert writer("event['detail']['x']", "Nightly") is EventWriter.SCHEDULE
    assert writer("event['time']", "Nightly", "Worker") is EventWriter.ACCOUNT
    assert writer("event['time']", "Nightly", "Api") is EventWriter.CALLER
    assert writer("event.requestContext.authorizer.lambda.user", "Api") is EventWriter.AUTHORIZER
    assert writer("event['requestContext']['authorizer']['claims']['email']") is EventWriter.AUTHORIZER
    assert writer("event['requestContext']['identity']['userAgent']", "Api") is EventWriter.CALLER
    assert writer("event['body']") is EventWriter.CALLER          # a file no template declares
    assert writer("event['body']", "Unknown") is EventWriter.CALLER


def test_a_cloudformation_rule_with_a_schedule_and_no_pattern_is_a_schedule(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "event-writers", root)
    template = root / "template.yaml"
    template.write_text(template.read_text() + """
  ExportRequested:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [reports.exporter]}
      ScheduleExpression: rate(1 day)
      Targets:
        - Arn: !GetAtt ExportReport.Arn
          Id: ExportReport
""")
    functions = {function.name: function for function in build_inventory(Workspace(root=root)).functions}
    (schedule,) = functions["AddPartitions"].triggers
    assert schedule.kind == "schedule" and schedule.attributes["schedule"] == "cron(* ? * * * *)"
    (rule,) = functions["ExportReport"].triggers           # a pattern matches events others put on the bus
    assert rule.kind == "eventbridge" and rule.attributes["pattern"] == {"source": ["reports.exporter"]}


def test_a_bandit_finding_folded_into_a_lower_lr306_finding_keeps_its_severity():
    def finding(rule: str, severity: Severity, engine: str = "lambda-review") -> Finding:
        return Finding(rule_id=rule, severity=severity, title="t", message="m", path="jobs/sync.py", line=7,
                       engine=engine)

    (merged,) = merge_engine_overlaps([finding("LR306", Severity.NOTICE),
                                       finding("bandit/B602", Severity.ERROR, "bandit")])
    assert merged.rule_id == "LR306" and merged.severity is Severity.ERROR
    assert "bandit/B602" in merged.message
    (kept,) = merge_engine_overlaps([finding("LR306", Severity.WARNING),
                                     finding("bandit/B608", Severity.NOTICE, "bandit")])
    assert kept.severity is Severity.WARNING


_ALERT_STACK = {
    "stacks/alerting/terraform/log-alerts.tf": """
        data "aws_region" "current" {}

        resource "aws_lambda_function" "failure_alert" {
          function_name = "failure-alert"
          role          = "arn:aws:iam::123456789012:role/failure-alert"
          handler       = "main.lambda_handler"
          runtime       = "python3.12"
          filename      = "${path.module}/../../../lambdas/failure_alert.zip"
        }

        resource "aws_lambda_permission" "allow_logs" {
          action        = "lambda:InvokeFunction"
          function_name = aws_lambda_function.failure_alert.function_name
          principal     = "logs.${data.aws_region.current.region}.amazonaws.com"
        }

        resource "aws_cloudwatch_log_subscription_filter" "failures" {
          name            = "failures"
          log_group_name  = "/ecs/transfer-pipeline"
          filter_pattern  = "{ $.alert = true }"
          destination_arn = aws_lambda_function.failure_alert.arn
        }
        """,
    "lambdas/failure_alert/main.py": """
        import base64
        import gzip
        import json
        import urllib3

        http = urllib3.PoolManager()


        def lambda_handler(event, context):
            data = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
            message = json.loads(data["logEvents"][0]["message"])
            text = f"<ul><li>Failures: {message['failures']}</li></ul>"
            http.request("POST", "https://alerts.example.org/hook", body=json.dumps({"text": text}))
        """,
}


def test_a_cloudwatch_logs_subscription_s_log_events_are_a_warning_that_says_who_logs_them(tmp_path):
    """NHSDigital/gp2gp-reporting-infrastructure's log alerts: a subscription filter sends the
    pipeline's own structured log lines, which the function turns into a Teams message's HTML.
    It was an error saying whoever sends the event controls the page; what it carries was logged
    by the account's own code, which an outsider reaches only through what that code logs."""
    for rel, text in _ALERT_STACK.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (finding,) = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR306"]
    assert (finding["path"], finding["severity"]) == ("lambdas/failure_alert/main.py", "warning")
    assert "A CloudWatch Logs subscription invokes the function" in finding["message"]
    assert "Whoever sends the event" not in finding["message"]


def test_a_log_subscription_or_the_logs_principal_alone_is_the_logs_writer():
    subscription = Function("Fn", "terraform", HERE,
                            triggers=[Trigger("other", HERE, attributes={"type": "CloudWatchLogs"})])
    assert function_writer(subscription) is EventWriter.LOGS
    assert function_writer(_function(principals=("logs.amazonaws.com",))) is EventWriter.LOGS
    assert function_writer(_function(principals=("logs.eu-west-2.amazonaws.com",))) is EventWriter.LOGS
    # beside a queue, the queue's senders decide
    assert function_writer(_function("sqs", principals=("logs.amazonaws.com",))) is EventWriter.CALLER
