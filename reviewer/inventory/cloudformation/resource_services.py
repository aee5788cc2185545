"""The IAM service a policy's `Resource` names, when it names a resource of its own template.

`Action: "*"` on `!GetAtt CognitoUserPool.Arn` allows every action that applies to a user pool,
which are `cognito-idp`'s: the words of LR300 name that service rather than "every service". A
value rendered as policy text (`${CognitoUserPool.Arn}`, `${Bucket.Arn}/*`, `${Queue}`) is looked
up among the template's resources (a SAM or CloudFormation template's `Resources`, a
serverless.yml's `resources.Resources`); a literal ARN is read by `reviewer.inventory.iam.arn_service`.
Only the types below are named: a type missing from the table gives "" (not known), never a guess.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from reviewer.inventory.iam import arn_service

# CloudFormation resource type → the IAM service prefix of the actions that apply to it.
TYPE_SERVICES: dict[str, str] = {
    "AWS::Cognito::UserPool": "cognito-idp", "AWS::Cognito::UserPoolClient": "cognito-idp",
    "AWS::Cognito::IdentityPool": "cognito-identity",
    "AWS::S3::Bucket": "s3", "AWS::DynamoDB::Table": "dynamodb", "AWS::DynamoDB::GlobalTable": "dynamodb",
    "AWS::Serverless::SimpleTable": "dynamodb", "AWS::SQS::Queue": "sqs", "AWS::SNS::Topic": "sns",
    "AWS::Kinesis::Stream": "kinesis", "AWS::KinesisFirehose::DeliveryStream": "firehose",
    "AWS::Events::EventBus": "events", "AWS::Events::Rule": "events",
    "AWS::Lambda::Function": "lambda", "AWS::Serverless::Function": "lambda",
    "AWS::StepFunctions::StateMachine": "states", "AWS::Serverless::StateMachine": "states",
    "AWS::SecretsManager::Secret": "secretsmanager", "AWS::KMS::Key": "kms", "AWS::SSM::Parameter": "ssm",
    "AWS::Logs::LogGroup": "logs", "AWS::IAM::Role": "iam", "AWS::ECR::Repository": "ecr",
    "AWS::AppSync::GraphQLApi": "appsync", "AWS::OpenSearchService::Domain": "es",
    "AWS::Elasticsearch::Domain": "es", "AWS::Timestream::Database": "timestream",
    "AWS::Timestream::Table": "timestream", "AWS::CodeBuild::Project": "codebuild",
}

# `${Logical}` or `${Logical.Attribute}` at the start of a rendered value.
_REFERENCE = re.compile(r"^\$\{([A-Za-z0-9]{1,255})(?:\.[A-Za-z0-9.]{1,255})?\}")


def template_resource_service(resources: Mapping[str, Any]) -> Callable[[str], str]:
    """The service of a rendered `Resource` value: a literal ARN's, or that of the template's
    resource it references by its ARN or name ("" when neither tells)."""
    def service(text: str) -> str:
        named = arn_service(text)
        if named:
            return named
        reference = _REFERENCE.match(text)
        resource = resources.get(reference.group(1)) if reference is not None else None
        kind = resource.get("Type") if isinstance(resource, Mapping) else None
        return TYPE_SERVICES.get(kind, "") if isinstance(kind, str) else ""
    return service


__all__ = ["TYPE_SERVICES", "template_resource_service"]
