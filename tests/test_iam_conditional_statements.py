"""LR300 and LR301 on role statements and policies a template chooses by `Fn::If`: each case that
may deploy is judged, and the words name the conditions' values under which it does
(reviewer.inventory.cloudformation.policy_conditions). In the shape of a log forwarder whose
`kms:Decrypt` and queue actions are on `*` unless the deployment names its keys and queues."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.cloudformation.policy_conditions import both_ways, statement_cases
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "conditional_policies"


def _findings() -> list[dict[str, object]]:
    out = io.StringIO()
    main(["scan", str(FIXTURE), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if str(f["rule_id"]).startswith("LR30")]


def _statements(function: str) -> list[tuple[int, tuple[str, ...], tuple[str, ...], object]]:
    inventory = build_inventory(Workspace(FIXTURE))
    (found,) = [f for f in inventory.functions if f.name == function]
    return [(s.location.line, s.actions, s.resources, s.when) for s in found.policy_statements]


def test_a_resource_chosen_by_a_condition_is_read_as_each_branch():
    statements = _statements("ShipperFunction")
    assert (58, ("kms:Decrypt",), ("${DecryptKeyArns}",), ((("HasDecryptKeys", True),),)) in statements
    assert (58, ("kms:Decrypt",), ("*",), ((("HasDecryptKeys", False),),)) in statements
    assert not any("<Fn::If>" in text for _, actions, resources, _ in statements for text in actions + resources)


def test_a_whole_statement_chosen_by_a_condition_keeps_its_actions_and_the_case_it_deploys_in():
    statements = _statements("ShipperFunction")
    assert (72, ("dynamodb:PutItem",), ("*",), ((("KeepDeadLetters", True),),)) in statements
    # The `*` inside a statement that only deploys when the same condition is true cannot deploy.
    assert [s for s in statements if s[1] == ("s3:PutObject",) and s[2] == ("*",)] == []


def test_lr301_names_the_condition_value_that_deploys_the_star():
    messages = {(f["rule_id"], f["line"]): str(f["message"]) for f in _findings()}
    assert ("allows `kms:Decrypt` on every resource (`Resource: \"*\"`) when the template's condition "
            "`HasDecryptKeys` is false.") in messages[("LR301", 58)]
    assert "allows `sqs:DeleteMessage` on every resource (`Resource: \"*\"`) when the template's condition " \
           "`HasReplayQueues` is false." in messages[("LR301", 65)]
    assert "when the template's condition `KeepDeadLetters` is true." in messages[("LR301", 72)]
    assert "(SAM Policies) allows `dynamodb:DeleteItem`" in messages[("LR301", 120)]
    assert not any(rule == "LR301" and line in (79, 84, 91) for rule, line in messages)


def test_a_managed_policy_chosen_by_a_condition_says_when_it_is_attached():
    (message,) = [str(f["message"]) for f in _findings() if f["rule_id"] == "LR300"]
    assert ("attaches the AWS managed policy `arn:aws:iam::aws:policy/AdministratorAccess` when the template's "
            "condition `HasReplayRoleArn` is false and `GrantDebugAccess` is true, which grants") in message


def test_a_role_chosen_by_a_condition_gives_its_policies_in_the_case_that_chooses_it():
    messages = {(f["rule_id"], f["line"]): str(f["message"]) for f in _findings()}
    # `Role: !If [HasConsumerRoleArn, !Ref ConsumerRoleArn, !GetAtt ConsumerRole.Arn]`, and the policy's
    # `Roles: !If [HasConsumerRoleArn, [<the passed role's name>], [!Ref ConsumerRole]]`.
    assert ("(AWS::IAM::Policy ConsumerPolicy) allows `sqs:SendMessage` on every resource (`Resource: \"*\"`) when "
            "the template's condition `HasConsumerRoleArn` is false.") in messages[("LR301", 147)]
    # SAM makes the role from `Policies` only when `Role` is `AWS::NoValue`.
    assert "when the template's condition `HasReplayRoleArn` is false and `KeepDeadLetters` is true." in \
        messages[("LR301", 120)]


def test_ways_that_decide_one_condition_both_ways_cannot_deploy():
    assert both_ways(((("A", True),),), ((("A", False),),)) is None
    assert both_ways(((("A", True),),), ((("B", False),),)) == ((("A", True), ("B", False)),)
    assert both_ways((), ((("B", False),),)) == ((("B", False),),)


def test_a_statement_that_is_no_value_in_every_case_deploys_nothing():
    no_value = {"Ref": "AWS::NoValue"}
    assert statement_cases({"Fn::If": ["A", no_value, no_value]}) == []


SERVERLESS = Path(__file__).parent / "fixtures" / "serverless" / "conditional_statements"


def test_a_serverless_statement_chosen_by_a_condition_is_judged_in_each_case():
    out = io.StringIO()
    main(["scan", str(SERVERLESS), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    messages = {f["line"]: str(f["message"]) for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR301"}
    assert sorted(messages) == [9, 19]
    assert ("allows `sqs:SendMessage` on every resource (`Resource: \"*\"`) when the template's condition "
            "`HasTargetQueue` is false.") in messages[9]
    assert "allows `firehose:PutRecordBatch` on every resource (`Resource: \"*\"`) when the template's condition " \
           "`ArchiveEvents` is true." in messages[19]


def test_a_statement_list_chosen_whole_is_read_as_each_list():
    from reviewer.inventory.cloudformation.policy_conditions import document_cases
    from reviewer.located import load_yaml

    document = load_yaml("""
Statement: !If
  - UseVpc
  - - Effect: Allow
      Action: ec2:CreateNetworkInterface
      Resource: "*"
    - Effect: Allow
      Action: sqs:SendMessage
      Resource: !If [HasQueue, !Ref QueueArn, "*"]
  - !Ref AWS::NoValue
""")
    expanded, ways = document_cases(document)
    assert [(s["Action"], s.get("Resource")) for s in expanded["Statement"]] == [
        ("ec2:CreateNetworkInterface", "*"), ("sqs:SendMessage", {"Ref": "QueueArn"}), ("sqs:SendMessage", "*")]
    assert ways == [((("UseVpc", True),),), ((("UseVpc", True), ("HasQueue", True)),),
                    ((("UseVpc", True), ("HasQueue", False)),)]
