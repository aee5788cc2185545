"""The AWS SDK for JavaScript calls (v2 and v3) that write to a resource able to invoke a function.

This is data, derived from the same botocore operations as the Python table (`operations.py`),
so both readers know the same writes: v2 clients call them as camelCase methods
(`s3.putObject(params)`), v3 clients send a command named after them
(`client.send(new PutObjectCommand(input))`, or the aggregated `s3.putObject(input)`). The
document clients of DynamoDB (v2 `AWS.DynamoDB.DocumentClient`, v3 `@aws-sdk/lib-dynamodb`),
v2's managed `s3.upload()` and v3's `@aws-sdk/lib-storage` `Upload` are the SDKs' own additions.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.code.operations import EVENT_ENTRIES, PARAMETER, REQUEST_ITEMS, TRANSACT_ITEMS, WRITE_OPERATIONS


@dataclass(frozen=True)
class JsWrite:
    """One writing operation as JavaScript names it: `method` for v2 and aggregated v3 clients,
    `command` for v3 `send(new …Command())`; the input parameter(s) naming the target and key."""

    service: str
    operation: str            # the botocore name: PutObject
    method: str               # putObject
    command: str              # PutObjectCommand
    convention: str = PARAMETER
    targets: tuple[str, ...] = ()
    key: str | None = None


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _from_model() -> list[JsWrite]:
    found = []
    for op in WRITE_OPERATIONS:
        if op.shape != "client" or op.model_operation is None:
            continue
        found.append(JsWrite(op.service, op.model_operation, _camel(op.model_operation),
                             f"{op.model_operation}Command", op.convention, op.targets, op.key))
    return found


# The DynamoDB document clients: same tables, plain JavaScript values for items.
_DOCUMENT_CLIENT = (
    JsWrite("dynamodb", "PutItem", "put", "PutCommand", PARAMETER, ("TableName",)),
    JsWrite("dynamodb", "UpdateItem", "update", "UpdateCommand", PARAMETER, ("TableName",)),
    JsWrite("dynamodb", "DeleteItem", "delete", "DeleteCommand", PARAMETER, ("TableName",)),
    JsWrite("dynamodb", "BatchWriteItem", "batchWrite", "BatchWriteCommand", REQUEST_ITEMS, ("RequestItems",)),
    JsWrite("dynamodb", "TransactWriteItems", "transactWrite", "TransactWriteCommand", TRANSACT_ITEMS,
            ("TransactItems",)),
)

JS_WRITES: tuple[JsWrite, ...] = (
    *_from_model(),
    # v2's managed upload (`s3.upload(params).promise()`), multipart under the hood.
    JsWrite("s3", "Upload", "upload", "", PARAMETER, ("Bucket",), "Key"),
)

WRITES_BY_METHOD: dict[tuple[str, str], JsWrite] = {(op.service, op.method): op for op in JS_WRITES}
WRITES_BY_COMMAND: dict[str, JsWrite] = {op.command: op for op in JS_WRITES if op.command}
DOCUMENT_WRITES_BY_METHOD: dict[str, JsWrite] = {op.method: op for op in _DOCUMENT_CLIENT}
DOCUMENT_WRITES_BY_COMMAND: dict[str, JsWrite] = {op.command: op for op in _DOCUMENT_CLIENT}
LIB_STORAGE_UPLOAD = JsWrite("s3", "Upload", "Upload", "", PARAMETER, ("Bucket",), "Key")

# v2 class names under `AWS.` and v3 package suffixes (`@aws-sdk/client-<x>`), by service.
V2_CLASSES = {
    "S3": "s3", "SQS": "sqs", "SNS": "sns", "DynamoDB": "dynamodb", "Kinesis": "kinesis",
    "EventBridge": "events", "CloudWatchEvents": "events", "Lambda": "lambda", "StepFunctions": "stepfunctions",
}
V3_PACKAGES = {
    "client-s3": "s3", "client-sqs": "sqs", "client-sns": "sns", "client-dynamodb": "dynamodb",
    "client-kinesis": "kinesis", "client-eventbridge": "events", "client-cloudwatch-events": "events",
    "client-lambda": "lambda", "client-sfn": "stepfunctions",
}
V2_CLIENT_MODULES = {f"aws-sdk/clients/{name.lower()}": service for name, service in V2_CLASSES.items()}
V2_CLIENT_MODULES["aws-sdk/clients/dynamodb"] = "dynamodb"
V2_CLIENT_MODULES["aws-sdk/clients/cloudwatchevents"] = "events"

__all__ = ["JsWrite", "JS_WRITES", "WRITES_BY_METHOD", "WRITES_BY_COMMAND", "DOCUMENT_WRITES_BY_METHOD",
           "DOCUMENT_WRITES_BY_COMMAND", "LIB_STORAGE_UPLOAD", "V2_CLASSES", "V3_PACKAGES", "V2_CLIENT_MODULES",
           "EVENT_ENTRIES"]
