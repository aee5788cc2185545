"""The IAM action lists behind LR300/LR301, checked against IAM's action table as cfn-lint ships it."""

from __future__ import annotations

import json
from pathlib import Path

import cfnlint
import pytest

from reviewer.analyzers.iam import (
    EXECUTION_ROLE_BASICS, STAR_ONLY_ACTIONS, WRITE_VERBS, broad_managed_policy, is_service_wildcard, is_write,
)

POLICIES = json.loads((Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "Policies.json").read_text())


def _actions() -> dict[str, dict]:
    return {f"{service}:{name}": spec for service, data in POLICIES.items()
            for name, spec in data.get("Actions", {}).items()}


def test_star_only_actions_really_accept_no_resource_level_permissions():
    actions = _actions()
    for action in STAR_ONLY_ACTIONS:
        assert action in actions, action
        assert not actions[action].get("Resources"), f"{action} can be scoped to a resource now"


def test_execution_role_basics_are_real_actions():
    actions = _actions()
    assert all(action in actions for action in EXECUTION_ROLE_BASICS)


def test_every_write_verb_begins_real_iam_actions():
    names = {name for data in POLICIES.values() for name in data.get("Actions", {})}
    for verb in WRITE_VERBS:
        assert any(name.startswith(verb.lower()) for name in names), verb


@pytest.mark.parametrize("action", [
    "iam:PassRole", "s3:PutObject", "s3:Put*", "lambda:InvokeFunction", "sqs:SendMessage", "sns:Publish",
    "dynamodb:BatchWriteItem", "iam:AttachRolePolicy", "kms:CreateGrant", "sts:AssumeRole", "s3:*Object",
    "s3:putobject", "events:PutEvents", "lambda:AddPermission",
])
def test_writes_and_permission_changes_are_writes(action):
    assert is_write(action)


@pytest.mark.parametrize("action", [
    "s3:GetObject", "s3:Get*", "dynamodb:Query", "dynamodb:BatchGetItem", "sqs:ReceiveMessage",
    "logs:DescribeLogGroups", "s3:ListBucket", "xray:GetSamplingRules", "iam:Passwords", "garbage", "s3:",
])
def test_reads_are_not_writes(action):
    assert not is_write(action)


def test_service_wildcards():
    assert all(is_service_wildcard(a) for a in ("*", "s3:*", "IAM:*", " lambda:* "))
    assert not any(is_service_wildcard(a) for a in ("s3:Get*", "s3:*Object", "arn:aws:s3:::*"))


def test_only_aws_managed_admin_and_full_access_policies_are_broad():
    assert broad_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    assert broad_managed_policy("arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess")
    assert broad_managed_policy("AmazonDynamoDBFullAccess")
    assert broad_managed_policy("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess") is None
    assert broad_managed_policy("arn:aws:iam::123456789012:policy/TeamFullAccess") is None
    assert broad_managed_policy("S3ReadPolicy") is None
    assert broad_managed_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole") is None
