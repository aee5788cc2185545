"""LR306 by who writes the event data a flow carries: an outsider, the API's authorizer, the account.

"Whoever sends the event controls that value" holds behind an API, a function URL or a load
balancer, and for the many sources whose records carry what others wrote (an uploaded object's
key, a queue message, a stream record, a Cognito user's attributes). It overstates what the
other invokers deliver:

- A schedule (EventBridge `ScheduleExpression`, SAM `Schedule`/`ScheduleV2`, Serverless
  `schedule`, Terraform `schedule_expression`, CDK `Schedule`) invokes the function with an event
  AWS writes (`time`, `id`, `account`, `region`, `resources`...), or with the constant `Input`
  the rule's target sets in its place: no one outside the account chooses any of it.
- A function with no trigger declared at all is invoked directly: by principals of the account
  that may call `lambda:InvokeFunction`, a state machine's task, another function, a
  CloudFormation custom resource. Whoever that is writes the event, and the review cannot see
  who; a trigger it could not link (an API in another stack) would make it the caller's.
- `requestContext.authorizer` is written by the API's authorizer (a Lambda authorizer's
  `context`, the claims of a token a JWT or Cognito authorizer verified, IAM's caller identity),
  not by the request: the caller reaches it only through what the authorizer copies.

The judgement is over every function that ships the code: one that an outsider can invoke
decides. A trigger of any other kind, a permission for any other principal, and a handler no
declared function ships keep the error.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from reviewer.analyzers.untrusted_hosts import read_path
from reviewer.analyzers.untrusted_pages import http_invokers
from reviewer.code.taint_common import Flow
from reviewer.model import Function, Severity, Trigger

# The top-level fields of a scheduled event, which EventBridge writes (`detail` is empty).
_SCHEDULED_EVENT_FIELDS = frozenset({"version", "id", "detail-type", "source", "account", "time", "region",
                                     "resources"})
# The principal of the permission a rule needs to invoke the function (a schedule's, when the
# function's declared rules are schedules).
_EVENTS_PRINCIPAL = "events.amazonaws.com"


class EventWriter(enum.Enum):
    """Who writes the value a flow carries, from the most to the least exposed."""

    CALLER = "caller"            # an outsider can: an HTTP caller, an uploader, a message's sender...
    AUTHORIZER = "authorizer"    # the API's authorizer, from what it verified of the caller
    ACCOUNT = "account"          # no trigger is declared: whoever in the account invokes it directly
    SCHEDULE = "schedule"        # only schedules are declared: the schedule's constant input
    AWS = "aws"                  # a field EventBridge writes in a scheduled event: no finding


# What each writer makes of LR306's error; None: no finding.
SEVERITY: dict[EventWriter, Severity | None] = {
    EventWriter.CALLER: Severity.ERROR,
    EventWriter.AUTHORIZER: Severity.WARNING,
    EventWriter.ACCOUNT: Severity.WARNING,
    EventWriter.SCHEDULE: Severity.NOTICE,
    EventWriter.AWS: None,
}
_ORDER = (EventWriter.CALLER, EventWriter.ACCOUNT, EventWriter.SCHEDULE)


def is_schedule(trigger: Trigger) -> bool:
    return trigger.kind == "schedule"


def function_writer(function: Function) -> EventWriter:
    """Who writes the events of one function, by what its declarations say invokes it."""
    if http_invokers(function):
        return EventWriter.CALLER
    if any(not is_schedule(trigger) for trigger in function.triggers):
        return EventWriter.CALLER
    scheduled = bool(function.triggers)
    for permission in function.permissions:
        if not (scheduled and str(permission.principal).lower() == _EVENTS_PRINCIPAL):
            return EventWriter.CALLER     # a service, an account, anyone: what it sends is not known
    return EventWriter.SCHEDULE if scheduled else EventWriter.ACCOUNT


def event_writer(flow: Flow, owners: Sequence[str], functions: dict[str, Function]) -> EventWriter:
    """Who writes the value `flow` carries in the functions `owners` (none: a file no template declares)."""
    keys = [key.lower() for key in read_path(flow)]
    writer = EventWriter.CALLER if not owners else _owners_writer(owners, functions)
    if writer is EventWriter.CALLER and keys[:2] == ["requestcontext", "authorizer"]:
        return EventWriter.AUTHORIZER
    if writer is EventWriter.SCHEDULE and keys[:1] and keys[0] in _SCHEDULED_EVENT_FIELDS:
        return EventWriter.AWS
    return writer


def _owners_writer(owners: Sequence[str], functions: dict[str, Function]) -> EventWriter:
    """The most exposed writer among the functions that ship the code."""
    found = set()
    for owner in owners:
        function = functions.get(owner)
        found.add(function_writer(function) if function is not None else EventWriter.CALLER)
    return next(writer for writer in _ORDER if writer in found)
