"""The IAM action lists behind LR300/LR301, checked against IAM's action table as cfn-lint ships it."""

from __future__ import annotations

import json
from pathlib import Path

import cfnlint
import pytest

from reviewer.analyzers.iam import (
    EXECUTION_ROLE_BASICS, WRITE_VERBS, broad_managed_policy, decrypts, is_service_wildcard, is_write, read_actions,
    unscoped_writes, unverbed_writes,
)

POLICIES = json.loads((Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "Policies.json").read_text())


def _actions() -> dict[str, dict]:
    return {f"{service}:{name}": spec for service, data in POLICIES.items()
            for name, spec in data.get("Actions", {}).items()}


def expected_unscoped_writes() -> list[str]:
    """The write actions of IAM's table that accept no resource but `*`, as the data file lists them."""
    return sorted(action for action, spec in _actions().items() if not spec.get("Resources") and is_write(action))


def test_the_unscoped_writes_are_exactly_iam_s_write_actions_without_resource_types():
    """reviewer/data/iam_unscoped_writes.json; after a cfn-lint upgrade (or a change of WRITE_VERBS),
    rewrite it with `.venv/bin/python tests/test_guardrail_iam_data.py` (reviewer/data/README.md)."""
    assert sorted(unscoped_writes()) == expected_unscoped_writes()
    assert {"config:putevaluations", "iam:updateaccountpasswordpolicy", "xray:puttracesegments"} <= unscoped_writes()
    assert "s3:putobject" not in unscoped_writes() and "iam:passrole" not in unscoped_writes()


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
    "s3:putobject", "events:PutEvents", "lambda:AddPermission", "appconfig:StartDeployment", "appconfig:Start*",
    "logs:Start*", "bedrock:CreateAgent",
    # IAM's Write or Tagging access level though no write verb begins them (iam_unverbed_writes.json)
    "kms:Decrypt", "kms:GenerateDataKey", "appsync:GraphQL", "rds-data:ExecuteStatement", "sts:GetFederationToken",
    "rekognition:IndexFaces", "execute-api:ManageConnections", "es:ESHttpPost", "cognito-idp:AdminCreateUser",
    "KMS:DECRYPT", "kms:Generate*", "es:ESHttp*", "rds-data:*Statement", "sqs:TagQueue", "lambda:UntagResource",
])
def test_writes_and_permission_changes_are_writes(action):
    assert is_write(action)


@pytest.mark.parametrize("action", [
    "s3:GetObject", "s3:Get*", "dynamodb:Query", "dynamodb:BatchGetItem", "sqs:ReceiveMessage",
    "logs:DescribeLogGroups", "s3:ListBucket", "xray:GetSamplingRules", "iam:Passwords", "garbage", "s3:",
    "appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration", "logs:StartQuery",
    "bedrock:InvokeModel", "sagemaker:InvokeEndpoint", "LOGS:STARTQUERY",
    "kms:DescribeKey", "kms:Describe*", "es:ESHttpGet", "es:ESHttpGet*", "rds-data:Get*", "appsync:GetGraphqlApi",
])
def test_reads_are_not_writes(action):
    assert not is_write(action)


def test_every_read_action_is_a_real_action_a_write_verb_begins():
    """reviewer/data/iam_read_actions.json lists only reads a verb of WRITE_VERBS begins (the others
    are no writes already), each an action of IAM's table, so a renamed or mistyped entry is caught."""
    known = _actions()
    assert {"appconfig:startconfigurationsession", "logs:startquery", "bedrock:invokemodel"} <= read_actions()
    for action in read_actions():
        verb = action.partition(":")[2]
        assert action in known, action
        assert any(verb.startswith(candidate.lower()) for candidate in WRITE_VERBS), action


def test_every_unverbed_write_is_an_action_no_write_verb_begins():
    """reviewer/data/iam_unverbed_writes.json, lower-cased and sorted per service: its services are
    IAM's, and its actions IAM's but for the few newer than the installed cfn-lint's table (a
    misspelt service or a stale list is caught). That no verb begins one was checked on IAM's own
    spelling (`SetupInstanceHttps`) when the file was written; lower-cased, `set` would."""
    known = _actions()
    services = {action.partition(":")[0] for action in known}
    entries = [f"{service}:{name}" for service, names in unverbed_writes().items() for name in names]
    assert {"kms:decrypt", "appsync:graphql", "rds-data:executestatement"} <= set(entries)
    raw = json.loads((Path(__file__).resolve().parent.parent / "reviewer" / "data" / "iam_unverbed_writes.json").read_text())
    assert list(raw["actions"]) == sorted(raw["actions"])
    for service, names in raw["actions"].items():
        assert service in services, service
        assert names == sorted(name.lower() for name in names), service
    unknown = [entry for entry in entries if entry not in known]
    assert len(unknown) * 100 <= len(entries), unknown


def test_only_kms_decryption_decrypts():
    assert all(decrypts(a) for a in ("kms:Decrypt", "KMS:DECRYPT", "kms:ReEncryptFrom", "kms:Decrypt*", "kms:ReEncrypt*"))
    assert not any(decrypts(a) for a in ("kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptTo", "s3:GetObject"))


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


if __name__ == "__main__":   # rewrite the data file from the installed cfn-lint's table
    import importlib.metadata

    DATA = Path(__file__).resolve().parent.parent / "reviewer" / "data" / "iam_unscoped_writes.json"
    document = json.loads(DATA.read_text())
    document["source"] = (f"cfn-lint {importlib.metadata.version('cfn-lint')}, cfnlint/data/AdditionalSpecs/"
                          "Policies.json (IAM actions and the resource types each accepts, from the AWS "
                          "Service Authorization Reference)")
    document["actions"] = expected_unscoped_writes()
    DATA.write_text(json.dumps(document, indent=1) + "\n")
    SERVICES = DATA.with_name("iam_services.json")
    services = json.loads(SERVICES.read_text())
    services["source"] = (f"cfn-lint {importlib.metadata.version('cfn-lint')}, cfnlint/data/AdditionalSpecs/"
                          "Policies.json (the IAM service prefixes of the AWS Service Authorization Reference)")
    services["services"] = sorted(service.lower() for service in POLICIES)
    SERVICES.write_text(json.dumps(services, indent=1) + "\n")

