"""serverless-lift's `constructs:`: the worker functions they deploy and the resources they name.

Lift (https://github.com/getlift/lift) is a Serverless plugin whose `constructs:` section adds
CDK constructs to the service's stack. Two things matter to a review of Lambda functions:

- a `queue` construct deploys a worker: `worker: {handler: src/worker.handler, ...}` is a whole
  function's settings, added to the service under the key `<construct id>Worker` (so deployed as
  `<service>-<stage>-<id>Worker`) with an `sqs` event on the construct's queue; `worker: send`
  (a string) subscribes the service's own function `send` to the queue instead;
- `${construct:<id>.<variable>}` names a resource a construct creates (`jobs.queueUrl`,
  `uploads.bucketName`, `db.tableStreamArn`): the same resource wherever it is written, so a
  worker that sends to its own queue, or a function that copies from one storage bucket to
  another, is matched by the loop check as written.

Constructs are read only when the service lists the `serverless-lift` plugin, as the Framework
does. A construct's resources are `ResourceRef("cdk", "<service file>#<id>")` (its dead-letter
queue `#<id>.dlq`, a website's assets bucket `#<id>.assets`): constructs of one file, as CDK's
are. Variables that name no resource (`url`, `cname`, `publicUrl`) stay unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reviewer.located import LocatedMap
from reviewer.model import ResourceRef

PLUGIN = "serverless-lift"
MAX_CONSTRUCTS = 200
# `${construct:jobs.queueUrl}` written alone: the resource the construct's variable names.
_CONSTRUCT_VARIABLE = re.compile(r"\$\{construct:([A-Za-z0-9_-]{1,128})\.([A-Za-z]{1,40})\}")
# Each variable of a construct that names one of its resources, and which one ("" the main one).
_RESOURCE_VARIABLES = {
    "queueUrl": "", "queueArn": "", "dlqUrl": "dlq", "dlqArn": "dlq",
    "bucketName": "", "bucketArn": "", "tableName": "", "tableArn": "", "tableStreamArn": "",
    "busName": "", "assetsBucketName": "assets",
}


@dataclass(frozen=True)
class LiftWorker:
    """The function a queue construct runs: its key in the service, its settings (a mapping for a
    worker the construct declares, None when it names a function of `functions:`), where it is
    written, and the queue it is subscribed to."""

    name: str
    settings: LocatedMap | None
    line: int
    construct_line: int
    queue: ResourceRef
    batch_size: Any


def uses_lift(plugins: tuple[str, ...]) -> bool:
    return PLUGIN in plugins


def constructs(document: LocatedMap) -> dict[str, LocatedMap]:
    """The service's constructs by id (those written as mappings), in order, bounded."""
    section = document.get("constructs")
    if not isinstance(section, LocatedMap):
        return {}
    found: dict[str, LocatedMap] = {}
    for key, value in section.items():
        if len(found) >= MAX_CONSTRUCTS:
            break
        if isinstance(value, LocatedMap):
            found[str(key)] = value
    return found


def construct_ref(path: str, construct_id: str, part: str = "") -> ResourceRef:
    """The resource `construct_id` (or its `part`: `dlq`, `assets`) of the service file `path`."""
    return ResourceRef("cdk", f"{path}#{construct_id}{'.' + part if part else ''}")


def construct_reference(value: Any, path: str, declared: dict[str, LocatedMap]) -> ResourceRef | None:
    """`${construct:jobs.queueUrl}`, the whole value, naming a resource of a declared construct; else None."""
    if not isinstance(value, str):
        return None
    match = _CONSTRUCT_VARIABLE.fullmatch(value.strip())
    if match is None or match.group(1) not in declared or match.group(2) not in _RESOURCE_VARIABLES:
        return None
    return construct_ref(path, match.group(1), _RESOURCE_VARIABLES[match.group(2)])


def workers(path: str, declared: dict[str, LocatedMap], text: Any) -> list[LiftWorker]:
    """The worker of each `type: queue` construct; `text` resolves a scalar's variables."""
    found: list[LiftWorker] = []
    for construct_id, construct in declared.items():
        if text(construct.get("type")) != "queue" or "worker" not in construct:
            continue
        worker = construct["worker"]
        line = construct.line_of("worker") or construct.line
        queue = construct_ref(path, construct_id)
        batch_size = construct.get("batchSize", 1)
        if isinstance(worker, LocatedMap):
            found.append(LiftWorker(f"{construct_id}Worker", worker, line, construct.line, queue, batch_size))
        elif (name := text(worker)) is not None:
            found.append(LiftWorker(name, None, line, construct.line, queue, batch_size))
    return found
