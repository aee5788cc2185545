"""The write catalogue matches what boto3 and botocore really offer, so no write hides behind a typo."""

from __future__ import annotations

import boto3.session
import botocore.session
import pytest
from botocore import xform_name

from reviewer.code.operations import (
    IDENTIFIER, RESOURCE_FACTORIES, WRITE_OPERATIONS, WriteOperation,
)

_BOTOCORE = botocore.session.get_session()
_SESSION = boto3.session.Session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
_RESOURCE_SAMPLES = {
    ("s3", "Bucket"): lambda r: r.Bucket("b"),
    ("s3", "Object"): lambda r: r.Object("b", "k"),
    ("dynamodb", "Table"): lambda r: r.Table("t"),
    ("dynamodb", "BatchWriter"): lambda r: r.Table("t").batch_writer(),
    ("sqs", "Queue"): lambda r: r.Queue("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
    ("sns", "Topic"): lambda r: r.Topic("arn:aws:sns:us-east-1:123456789012:t"),
}


def _label(op: WriteOperation) -> str:
    return f"{op.service}.{op.shape}.{op.method}"


@pytest.mark.parametrize("op", [op for op in WRITE_OPERATIONS if op.shape == "client"], ids=_label)
def test_every_client_write_is_a_method_of_the_real_client_with_its_target_parameter(op):
    client = _SESSION.client(op.service)
    assert callable(getattr(client, op.method, None))
    if op.model_operation is None:
        return   # a boto3 addition such as upload_file: no model, positional parameters
    model = _BOTOCORE.get_service_model(op.service)
    assert xform_name(op.model_operation) == op.method
    members = model.operation_model(op.model_operation).input_shape.members
    assert set(op.targets) <= set(members)
    if op.key is not None:
        assert op.key in members


@pytest.mark.parametrize("op", [op for op in WRITE_OPERATIONS if op.shape != "client"], ids=_label)
def test_every_resource_write_is_a_method_of_the_real_resource_object(op):
    assert op.convention == IDENTIFIER
    resource = _RESOURCE_SAMPLES[(op.service, op.shape)](_SESSION.resource(op.service))
    assert callable(getattr(resource, op.method, None))


@pytest.mark.parametrize("factory", RESOURCE_FACTORIES, ids=lambda f: f"{f.service}.{f.shape}.{f.method}")
def test_every_resource_factory_exists_on_its_parent(factory):
    service = _SESSION.resource(factory.service)
    parent = service if factory.shape == "resource" else _RESOURCE_SAMPLES[(factory.service, factory.shape)](service)
    assert callable(getattr(parent, factory.method, None))
