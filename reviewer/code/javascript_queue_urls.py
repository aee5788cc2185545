"""The queue an SQS `GetQueueUrl` answer names, for the JavaScript reader (`javascript_values.py`).

Node handlers often look a queue's URL up by its name before sending to it: `const { QueueUrl } =
await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.OUTBOX_QUEUE }))` (SDK v3) or
`(await sqs.getQueueUrl({ QueueName: name }).promise()).QueueUrl` (v2). The answer's `QueueUrl`
is the URL of the queue so named, so the loop check follows the name, as it does for Python's
`get_queue_url` (`library_calls.py`); any other field of the answer stays unknown.
"""

from __future__ import annotations

from typing import Any, Callable


def queue_url_request(receiver: Any, method: str, items: list[Any], file: str,
                      values: Callable[[Any], list[Any]]) -> tuple[str, Any] | None:
    """(file, request node) of a GetQueueUrl call on an SQS client (`receiver`, an SDK object of
    the reader), or of `.promise()` on its answer; None for any other call."""
    if getattr(receiver, "service", "") != "sqs":
        return None
    if receiver.kind == "queue-url-response" and method == "promise":
        return receiver.file, receiver.input
    if receiver.kind != "client" or not items:
        return None
    if method == "getQueueUrl":
        return file, items[0]
    if method == "send":
        for command in values(items[0]):
            if getattr(command, "kind", "") == "command" and command.name == "GetQueueUrlCommand" \
                    and command.input is not None:
                return command.file, command.input
    return None
