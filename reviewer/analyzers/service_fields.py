"""LR306: the fields of an event the invoking service writes itself, which no sender chooses.

Every source's event carries, beside what others wrote (an object's key, a message's body, a
user's attributes, an HTTP request), fields the service fills in from its own state: the bucket a
notification is about, the queue's ARN, a message's id, the API's stage, a user pool's id, and, in
a Cognito custom message event, the `{####}` and `{username}` placeholders the pool replaces
with the code and the name after the function returned. A flow from one of those is no outsider's
data. Which fields each source writes (the keys in order, `Records[0]` read as `Records`):

- schedule: the top-level fields of the scheduled event EventBridge writes;
- cognito: `userPoolId`, `region`, `version`, `triggerSource`, `callerContext.awsSdkVersion`,
  `callerContext.clientId` (one of the pool's app clients: a request naming another fails),
  `request.codeParameter`, `request.usernameParameter`, `request.linkParameter` (not
  `userName`, `userAttributes` nor `clientMetadata`, which users and clients write);
- s3: a record's `s3.bucket`, `eventName`, `eventTime`, `eventSource`, `awsRegion` (not the
  object's key, `userIdentity` nor `requestParameters`);
- sqs, sns, kinesis, dynamodb: a record's source, ARN, region and ids (not its body, message,
  subject, attributes, data, keys or images);
- api (API Gateway, function URLs): `requestContext`'s `requestId`, `stage`, `apiId`,
  `domainName`, `domainPrefix`, `requestTime`, `requestTimeEpoch`, `time`, `timeEpoch`,
  `accountId` (not `identity.sourceIp`, which API Gateway may take from `X-Forwarded-For`).

A path is read strictly: a step the reading cannot name (`event[key]`, a call between two
steps, a field cut short) makes it no service's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reviewer.code.taint_common import Flow

_RECORD = ("records",)
# One step of a read path, anchored: `['Records']`, `.get("body")`, `.s3`, `?.s3`, `[0]`.
_STEP = re.compile(r"""\s*(?:\[\s*(['"])([^'"]{0,100})\1\s*\]|\.get\(\s*(['"])([^'"]{0,100})\3\s*\)"""
                   r"""|\??\.([A-Za-z_$][\w$]*)|\[\s*\d+\s*\]|\?\.\[\s*\d+\s*\])""")
_ROOT = re.compile(r"\s*[A-Za-z_$][\w$]*")
MAX_TEXT = 400

_SCHEDULED = frozenset({"version", "id", "detail-type", "source", "account", "time", "region", "resources"})
_API_CONTEXT = ("requestid", "stage", "apiid", "domainname", "domainprefix", "requesttime", "requesttimeepoch",
                "time", "timeepoch", "accountid")
_STREAM_RECORD = ("eventsource", "eventsourcearn", "awsregion", "eventid", "eventname", "eventversion")

# The paths (lower-cased keys) each source writes; a read at or under one of them is the source's.
WRITTEN: dict[str, tuple[tuple[str, ...], ...]] = {
    "schedule": tuple((name,) for name in sorted(_SCHEDULED)),
    "cognito": (("userpoolid",), ("region",), ("version",), ("triggersource",), ("callercontext", "awssdkversion"),
                ("callercontext", "clientid"),
                ("request", "codeparameter"), ("request", "usernameparameter"), ("request", "linkparameter")),
    "s3": tuple(_RECORD + path for path in (("s3", "bucket"), ("eventname",), ("eventtime",), ("eventsource",),
                                            ("awsregion",), ("eventversion",))),
    "sqs": tuple(_RECORD + (name,) for name in ("eventsource", "eventsourcearn", "awsregion", "messageid",
                                                "receipthandle", "md5ofbody")),
    "sns": tuple(_RECORD + path for path in (("eventsource",), ("eventsubscriptionarn",), ("eventversion",),
                                             ("sns", "topicarn"), ("sns", "type"), ("sns", "messageid"),
                                             ("sns", "timestamp"), ("sns", "signature"), ("sns", "signatureversion"),
                                             ("sns", "signingcerturl"), ("sns", "unsubscribeurl"))),
    "kinesis": tuple(_RECORD + path for path in (*((name,) for name in _STREAM_RECORD), ("invokeidentityarn",),
                                                 ("kinesis", "sequencenumber"))),
    "dynamodb": tuple(_RECORD + path for path in (*((name,) for name in _STREAM_RECORD),
                                                  ("dynamodb", "sequencenumber"))),
    "api": tuple(("requestcontext", name) for name in _API_CONTEXT),
}


def field_keys(flow: Flow) -> list[str] | None:
    """The keys `flow` read off the event, lower-cased and in order, or None when a step of it
    cannot be named (a computed key, a call, text cut short)."""
    text = flow.field + flow.via
    if len(text) > MAX_TEXT or "…" in text:
        return None
    root = _ROOT.match(text)
    if root is None:
        return None
    keys: list[str] = []
    position = root.end()
    while position < len(text):
        step = _STEP.match(text, position)
        if step is None or step.end() == position:
            return None
        key = step.group(2) or step.group(4) or step.group(5)
        if key is not None:
            keys.append(key.lower())
        position = step.end()
    return keys


def written_by(sources: Iterable[str], flow: Flow) -> bool:
    """Whether every one of `sources` (at least one) writes the field `flow` read."""
    keys = field_keys(flow)
    found = list(sources)
    if not keys or not found:
        return False
    return all(any(keys[:len(path)] == list(path) for path in WRITTEN.get(source, ())) for source in found)
