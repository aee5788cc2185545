"""The boto3 calls that write to a resource able to invoke a Lambda function, and where the target is.

This is data. Client operations and their parameter names are those of botocore's service models
(`tests/test_code_operations.py` checks every entry against them, so a typo cannot hide a write);
boto3's own additions (`upload_file`, `copy`, `batch_writer`) and the resource shapes (`Bucket`,
`Object`, `Table`...) come from boto3's documentation and its resource models.
"""

from __future__ import annotations

from dataclasses import dataclass

# The argument conventions a write can use to name its target.
PARAMETER = "parameter"              # a keyword argument (or a positional one, for boto3 additions)
IDENTIFIER = "identifier"            # an identifier of the resource object (Bucket name, Table name)
REQUEST_ITEMS = "request-items"      # DynamoDB BatchWriteItem: the keys of RequestItems
TRANSACT_ITEMS = "transact-items"    # DynamoDB TransactWriteItems: each item's TableName
EVENT_ENTRIES = "event-entries"      # EventBridge PutEvents: each entry's EventBusName/Source/DetailType


@dataclass(frozen=True)
class WriteOperation:
    """One writing method: on a client (`shape` "client") or on a resource object.

    `targets` lists the keyword parameters that can name the target, in order of preference
    (`TopicArn` or `TargetArn`); for resource objects, `target_identifier` is the index of the
    identifier that names it. `positional` gives the names of positional parameters (only boto3's
    additions such as `upload_file(Filename, Bucket, Key)` accept them). `model_operation` is the
    botocore operation the method calls, None for boto3 additions.
    """

    service: str
    shape: str
    method: str
    convention: str = PARAMETER
    targets: tuple[str, ...] = ()
    positional: tuple[str, ...] = ()
    key: str | None = None
    key_identifier: int | None = None
    target_identifier: int = 0
    model_operation: str | None = None


def _client(service: str, method: str, model_operation: str | None, *targets: str,
            positional: tuple[str, ...] = (), key: str | None = None,
            convention: str = PARAMETER) -> WriteOperation:
    return WriteOperation(service, "client", method, convention, tuple(targets), positional, key,
                          model_operation=model_operation)


def _resource(service: str, shape: str, method: str, model_operation: str | None,
              positional: tuple[str, ...] = (), key: str | None = None,
              key_identifier: int | None = None) -> WriteOperation:
    return WriteOperation(service, shape, method, IDENTIFIER, (), positional, key, key_identifier,
                          model_operation=model_operation)


WRITE_OPERATIONS: tuple[WriteOperation, ...] = (
    # S3: every way to create an object produces an s3:ObjectCreated:* notification.
    _client("s3", "put_object", "PutObject", "Bucket", key="Key"),
    _client("s3", "copy_object", "CopyObject", "Bucket", key="Key"),
    _client("s3", "complete_multipart_upload", "CompleteMultipartUpload", "Bucket", key="Key"),
    _client("s3", "upload_file", None, "Bucket", positional=("Filename", "Bucket", "Key"), key="Key"),
    _client("s3", "upload_fileobj", None, "Bucket", positional=("Fileobj", "Bucket", "Key"), key="Key"),
    _client("s3", "copy", None, "Bucket", positional=("CopySource", "Bucket", "Key"), key="Key"),
    _resource("s3", "Bucket", "put_object", "PutObject", key="Key"),
    _resource("s3", "Bucket", "upload_file", None, positional=("Filename", "Key"), key="Key"),
    _resource("s3", "Bucket", "upload_fileobj", None, positional=("Fileobj", "Key"), key="Key"),
    _resource("s3", "Bucket", "copy", None, positional=("CopySource", "Key"), key="Key"),
    _resource("s3", "Object", "put", "PutObject", key_identifier=1),
    _resource("s3", "Object", "upload_file", None, key_identifier=1),
    _resource("s3", "Object", "upload_fileobj", None, key_identifier=1),
    _resource("s3", "Object", "copy_from", "CopyObject", key_identifier=1),
    _resource("s3", "Object", "copy", None, key_identifier=1),
    # SQS
    _client("sqs", "send_message", "SendMessage", "QueueUrl"),
    _client("sqs", "send_message_batch", "SendMessageBatch", "QueueUrl"),
    _resource("sqs", "Queue", "send_message", "SendMessage"),
    _resource("sqs", "Queue", "send_messages", "SendMessageBatch"),
    # SNS
    _client("sns", "publish", "Publish", "TopicArn", "TargetArn"),
    _client("sns", "publish_batch", "PublishBatch", "TopicArn"),
    _resource("sns", "Topic", "publish", "Publish"),
    # DynamoDB: every item change (deletes included) becomes a stream record.
    _client("dynamodb", "put_item", "PutItem", "TableName"),
    _client("dynamodb", "update_item", "UpdateItem", "TableName"),
    _client("dynamodb", "delete_item", "DeleteItem", "TableName"),
    _client("dynamodb", "batch_write_item", "BatchWriteItem", "RequestItems", convention=REQUEST_ITEMS),
    _client("dynamodb", "transact_write_items", "TransactWriteItems", "TransactItems",
            convention=TRANSACT_ITEMS),
    _resource("dynamodb", "Table", "put_item", "PutItem"),
    _resource("dynamodb", "Table", "update_item", "UpdateItem"),
    _resource("dynamodb", "Table", "delete_item", "DeleteItem"),
    _resource("dynamodb", "BatchWriter", "put_item", None),
    _resource("dynamodb", "BatchWriter", "delete_item", None),
    # Kinesis
    _client("kinesis", "put_record", "PutRecord", "StreamName", "StreamARN"),
    _client("kinesis", "put_records", "PutRecords", "StreamName", "StreamARN"),
    # EventBridge
    _client("events", "put_events", "PutEvents", "Entries", convention=EVENT_ENTRIES),
    # Lambda
    _client("lambda", "invoke", "Invoke", "FunctionName"),
    _client("lambda", "invoke_async", "InvokeAsync", "FunctionName"),
    _client("lambda", "invoke_with_response_stream", "InvokeWithResponseStream", "FunctionName"),
    # Step Functions (recorded: a state machine may invoke the function again)
    _client("stepfunctions", "start_execution", "StartExecution", "stateMachineArn"),
    _client("stepfunctions", "start_sync_execution", "StartSyncExecution", "stateMachineArn"),
)

WRITES_BY_SHAPE: dict[tuple[str, str, str], WriteOperation] = {
    (op.service, op.shape, op.method): op for op in WRITE_OPERATIONS
}

SERVICES = frozenset(op.service for op in WRITE_OPERATIONS)


@dataclass(frozen=True)
class ResourceFactory:
    """A method that returns a resource object: `s3.Bucket(name)`, `bucket.Object(key)`.

    `identifiers` says where each identifier of the new object comes from: ("parent", i) the
    parent's identifier i, ("argument", i, keyword) the i-th positional argument or that keyword.
    """

    service: str
    shape: str
    method: str
    returns: str
    identifiers: tuple[tuple, ...]


RESOURCE_FACTORIES: tuple[ResourceFactory, ...] = (
    ResourceFactory("s3", "resource", "Bucket", "Bucket", (("argument", 0, "name"),)),
    ResourceFactory("s3", "resource", "Object", "Object",
                    (("argument", 0, "bucket_name"), ("argument", 1, "key"))),
    ResourceFactory("s3", "resource", "ObjectSummary", "Object",
                    (("argument", 0, "bucket_name"), ("argument", 1, "key"))),
    ResourceFactory("s3", "Bucket", "Object", "Object", (("parent", 0), ("argument", 0, "key"))),
    ResourceFactory("dynamodb", "resource", "Table", "Table", (("argument", 0, "name"),)),
    ResourceFactory("dynamodb", "Table", "batch_writer", "BatchWriter", (("parent", 0),)),
    ResourceFactory("sqs", "resource", "Queue", "Queue", (("argument", 0, "url"),)),
    ResourceFactory("sqs", "resource", "get_queue_by_name", "Queue", (("argument", -1, "QueueName"),)),
    ResourceFactory("sns", "resource", "Topic", "Topic", (("argument", 0, "arn"),)),
    ResourceFactory("sns", "resource", "create_topic", "Topic", (("argument", -1, "Name"),)),
)

FACTORIES_BY_SHAPE: dict[tuple[str, str, str], ResourceFactory] = {
    (factory.service, factory.shape, factory.method): factory for factory in RESOURCE_FACTORIES
}

# Attributes of resource objects that read back an identifier: `bucket.name`, `obj.key`.
IDENTIFIER_ATTRIBUTES: dict[tuple[str, str], int] = {
    ("Bucket", "name"): 0, ("Object", "bucket_name"): 0, ("Object", "key"): 1,
    ("Table", "name"): 0, ("Table", "table_name"): 0, ("Queue", "url"): 0, ("Topic", "arn"): 0,
}
