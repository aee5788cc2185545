"""Values a template gives by `Fn::If`: read as each value a condition may choose, never as `<Fn::If>`.

The fixture is a log forwarder deployed to every partition (its principals `logs.amazonaws.com.cn`
or `logs.amazonaws.com`), whose record source, alert topic and legacy entry point are chosen by
parameters, and a SAM archiver reading the FIFO or the standard queue.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.analyzers.untrusted_writers import EventWriter, function_sources, function_writer
from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.cloudformation.conditions import NO_VALUE, alternatives, cases
from reviewer.located import load_yaml
from reviewer.model import Function
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "conditional_values"


def _functions() -> dict[str, Function]:
    return {function.name: function for function in build_inventory(Workspace(FIXTURE)).functions}


def _scan() -> dict:
    out = io.StringIO()
    main(["scan", str(FIXTURE), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return json.loads(out.getvalue())


def test_a_principal_chosen_by_a_condition_is_each_principal_it_may_be():
    shipper = _functions()["ShipperFunction"]
    logs = [permission for permission in shipper.permissions if permission.location.line == 63]
    assert [permission.principal for permission in logs] == ["logs.amazonaws.com.cn", "logs.amazonaws.com"]
    assert {permission.service for permission in logs} == {"logs.amazonaws.com"}
    assert all(permission.source_account == "${AWS::AccountId}" for permission in logs)


def test_a_source_arn_left_out_in_one_case_is_judged_in_that_case():
    shipper = _functions()["ShipperFunction"]
    bucket = {permission.source_arn: permission.source.value if permission.source else None
              for permission in shipper.permissions if permission.location.line == 74}
    assert bucket == {None: None, "${AccessLogBucket.Arn}": "AccessLogBucket"}
    report = _scan()
    open_topic = [finding for finding in report["findings"] if finding["rule_id"] == "LR303"]
    # the topic's permission without SourceArn when HasAlertTopic is false; the bucket's keeps SourceAccount
    assert [(finding["line"], finding["function"]) for finding in open_topic] == [(82, "ShipperFunction")]
    assert "`sns.amazonaws.com`" in open_topic[0]["message"]


def test_messages_name_the_values_a_condition_chooses_between():
    report = _scan()
    messages = [finding["message"] for finding in report["findings"] if finding["rule_id"] == "LR401"]
    assert not any("Fn::If" in message for message in messages)
    assert any("the permission for `logs.amazonaws.com.cn` or `logs.amazonaws.com` (line 63)" in message
               for message in messages)
    archiver = next(message for message in messages if message.startswith("`ArchiveFunction`"))
    assert archiver.count("the SQS queue (line 19)") == 1


def test_a_schedule_permission_in_any_partition_keeps_the_schedule_the_only_writer():
    legacy = _functions()["LegacyShipperFunction"]
    assert function_writer(legacy) is EventWriter.SCHEDULE
    assert function_sources(legacy) == {"schedule"}


def test_an_event_source_chosen_by_a_condition_is_a_trigger_for_each_source():
    functions = _functions()
    shipper = functions["ShipperFunction"]
    assert sorted((trigger.kind, str(trigger.target.value if trigger.target else None))
                  for trigger in shipper.triggers) == [("kinesis", "RecordStream"), ("sqs", "RecordQueue")]
    archiver = functions["ArchiveFunction"]
    assert [(trigger.kind, trigger.target.value if trigger.target else None) for trigger in archiver.triggers] == [
        ("sqs", "OrdersFifoQueue"), ("sqs", "OrdersQueue")]


def test_a_runtime_or_handler_every_branch_agrees_on_is_that_value():
    shipper = _functions()["ShipperFunction"]
    assert (shipper.runtime, shipper.handler) == ("python3.12", "shipper.handle")
    assert "Runtime" not in shipper.unresolved and "Handler" not in shipper.unresolved
    # written twice, once through the parameter: a runtime finding goes on the `Runtime` line
    assert "Runtime.Default" not in shipper.locations


def test_a_runtime_or_handler_whose_branches_differ_is_unresolved_with_both_values():
    legacy = _functions()["LegacyShipperFunction"]
    assert (legacy.runtime, legacy.handler) == (None, None)
    assert legacy.unresolved["Runtime"] == "chosen by the condition IsLegacy: `python3.9` or `python3.12`"
    assert legacy.unresolved["Handler"] == "chosen by the condition IsLegacy: `legacy_shipper.handle` or no value"


def test_conditions_are_chosen_once_for_a_whole_resource_and_bounded():
    properties = load_yaml(
        "Principal: !If [China, events.amazonaws.com.cn, events.amazonaws.com]\n"
        "SourceArn: !If [China, 'arn:aws-cn:events:::rule/a', 'arn:aws:events:::rule/a']\n")
    assert [(case["Principal"], case["SourceArn"]) for case in cases(properties, ("Principal", "SourceArn"))] == [
        ("events.amazonaws.com.cn", "arn:aws-cn:events:::rule/a"), ("events.amazonaws.com", "arn:aws:events:::rule/a")]
    nested = load_yaml("V: !If [A, !If [B, x, !Ref AWS::NoValue], x]\n")["V"]
    assert alternatives(nested) == ["x", NO_VALUE]
    many = "V: " + "".join(f"!If [C{index}, v{index}, " for index in range(6)) + "last" + "]" * 6 + "\n"
    assert alternatives(load_yaml(many)["V"]) is None
