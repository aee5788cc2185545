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
- A function a state machine's task invokes (SAM's `DefinitionSubstitutions`, a definition that
  names it, CDK's `LambdaInvoke`, the Serverless Step Functions plugin, Terraform's
  `aws_sfn_state_machine`) gets the state machine's state: the input its execution started
  with, written by whoever starts it, and what earlier states added. A state machine an API or
  an event rule starts makes it the caller's; one only schedules start, or whose starts are not
  declared, is judged as the state machine's (its names go into the words). A task whose payload
  the definition fixes (CDK's `TaskInput.fromObject` of constants) sends no execution's input:
  what the function reads is what the app's author wrote, a notice like a schedule's input.
- A function only the app's CloudFormation custom resources invoke (CDK's `CustomResource` whose
  `serviceToken` is its ARN, or a `Provider`'s `onEventHandler`) gets the request CloudFormation
  sends on each deployment: the `ResourceProperties` the stack's template sets, and fields
  CloudFormation writes. Only whoever deploys the stack chooses them: a notice.
- A CloudWatch Logs subscription (Terraform's `aws_cloudwatch_log_subscription_filter`, SAM's
  `CloudWatchLogs` event, Serverless's `cloudwatchLog`, or a permission for `logs.amazonaws.com`
  or a regional `logs.<region>.amazonaws.com`) sends the log events of its log group: what the
  account's functions, services and agents wrote there, their own metrics and errors. An
  outsider reaches that text only as far as something logs what they sent (a logged request,
  an access log's user agent): a warning, like the authorizer's.
- `requestContext.authorizer` is written by the API's authorizer (a Lambda authorizer's
  `context`, the claims of a token a JWT or Cognito authorizer verified, IAM's caller identity),
  not by the request: the caller reaches it only through what the authorizer copies.

The judgement is over every function that ships the code: one that an outsider can invoke
decides. A trigger of any other kind, a permission for any other principal, and a handler no
declared function ships keep the error.

Whatever the writer, a field the invoking service fills in itself (the bucket of an S3
notification, a queue's ARN, an API's stage, a Cognito custom message's `{####}` placeholder:
`service_fields.py`) gives no finding when every source of every function that ships the code
writes it; the value's other event data, if it holds any, is judged in its place.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from reviewer.analyzers.service_fields import written_by
from reviewer.analyzers.untrusted_hosts import read_path
from reviewer.analyzers.untrusted_pages import http_invokers
from reviewer.code.taint_common import Flow
from reviewer.findings import Severity
from reviewer.model import CUSTOM_RESOURCE_TYPE, Function, Trigger

# The principal of the permission a rule needs to invoke the function (a schedule's, when the
# function's declared rules are schedules).
_EVENTS_PRINCIPAL = "events.amazonaws.com"


class EventWriter(enum.Enum):
    """Who writes the value a flow carries, from the most to the least exposed."""

    CALLER = "caller"            # an outsider can: an HTTP caller, an uploader, a message's sender...
    AUTHORIZER = "authorizer"    # the API's authorizer, from what it verified of the caller
    LOGS = "logs"                # a CloudWatch Logs subscription: what was logged to its log group
    ACCOUNT = "account"          # no trigger is declared: whoever in the account invokes it directly
    STATE_MACHINE = "state_machine"  # a state machine's task: what its execution started with, and earlier states
    FIXED_PAYLOAD = "fixed_payload"  # a state machine's task, with a payload its definition fixes
    STACK = "stack"              # a CloudFormation custom resource: the properties the stack's template sets
    SCHEDULE = "schedule"        # only schedules are declared: the schedule's constant input
    AWS = "aws"                  # a field the invoking service writes (service_fields.py): no finding


# What each writer makes of LR306's error; None: no finding.
SEVERITY: dict[EventWriter, Severity | None] = {
    EventWriter.CALLER: Severity.ERROR,
    EventWriter.AUTHORIZER: Severity.WARNING,
    EventWriter.LOGS: Severity.WARNING,
    EventWriter.ACCOUNT: Severity.WARNING,
    EventWriter.STATE_MACHINE: Severity.WARNING,
    EventWriter.FIXED_PAYLOAD: Severity.NOTICE,
    EventWriter.STACK: Severity.NOTICE,
    EventWriter.SCHEDULE: Severity.NOTICE,
    EventWriter.AWS: None,
}
_ORDER = (EventWriter.CALLER, EventWriter.LOGS, EventWriter.ACCOUNT, EventWriter.STATE_MACHINE, EventWriter.FIXED_PAYLOAD,
          EventWriter.STACK, EventWriter.SCHEDULE)
STATE_MACHINE_KIND = "stepfunctions"
# How each format spells a CloudWatch Logs subscription's trigger type (SAM and Terraform's reader, Serverless).
_LOG_SUBSCRIPTIONS = frozenset({"cloudwatchlogs", "cloudwatchlog"})


def is_schedule(trigger: Trigger) -> bool:
    return trigger.kind == "schedule"


def _is_logs_principal(service: str) -> bool:
    """`logs.amazonaws.com`, or the regional `logs.eu-west-2.amazonaws.com` older subscriptions
    name (`logs.${region}.amazonaws.com` as a template writes it)."""
    return service.startswith("logs.") and service.endswith(".amazonaws.com")


def _trigger_writer(trigger: Trigger) -> EventWriter:
    """Who writes what one trigger sends: a schedule's constant input, a state machine's state (the
    caller's when something other than a schedule is declared to start it), or anyone's."""
    if is_schedule(trigger):
        return EventWriter.SCHEDULE
    if trigger.kind == "other" and trigger.attributes.get("type") == CUSTOM_RESOURCE_TYPE:
        return EventWriter.STACK     # CloudFormation sends what the template sets, on each deployment
    if trigger.kind == "other" and str(trigger.attributes.get("type", "")).lower() in _LOG_SUBSCRIPTIONS:
        return EventWriter.LOGS      # the log events of the subscribed group
    if trigger.kind == STATE_MACHINE_KIND:
        if trigger.attributes.get("payload") == "fixed":
            return EventWriter.FIXED_PAYLOAD      # whoever starts it, the task sends the same constants
        starters = trigger.attributes.get("starters") or ()
        return EventWriter.STATE_MACHINE if all(kind == "schedule" for kind in starters) else EventWriter.CALLER
    return EventWriter.CALLER


def function_writer(function: Function) -> EventWriter:
    """Who writes the events of one function, by what its declarations say invokes it."""
    if http_invokers(function):
        return EventWriter.CALLER
    found = {_trigger_writer(trigger) for trigger in function.triggers}
    if EventWriter.CALLER in found:
        return EventWriter.CALLER
    scheduled = EventWriter.SCHEDULE in found
    for permission in function.permissions:
        if _is_logs_principal(permission.service):
            found.add(EventWriter.LOGS)   # CloudWatch Logs invokes only through a subscription
        elif not (scheduled and permission.service == _EVENTS_PRINCIPAL):
            return EventWriter.CALLER     # a service, an account, anyone: what it sends is not known
    return next((writer for writer in _ORDER if writer in found), EventWriter.ACCOUNT)


def state_machines(owners: Sequence[str], functions: dict[str, Function]) -> tuple[list[str], bool]:
    """The state machines whose tasks invoke the functions `owners`, and whether schedules alone
    are declared to start every one of them (none declared: whoever starts an execution)."""
    names: list[str] = []
    scheduled = True
    for owner in owners:
        function = functions.get(owner)
        for trigger in function.triggers if function is not None else ():
            if trigger.kind != STATE_MACHINE_KIND:
                continue
            name = str(trigger.attributes.get("machine") or trigger.target or "")
            if name and name not in names:
                names.append(name)
            scheduled = scheduled and bool(trigger.attributes.get("starters"))
    return names, scheduled and bool(names)


def event_writer(flow: Flow, owners: Sequence[str], functions: dict[str, Function]) -> EventWriter:
    """Who writes the value `flow` carries in the functions `owners` (none: a file no template declares)."""
    keys = [key.lower() for key in read_path(flow)]
    writer = EventWriter.CALLER if not owners else _owners_writer(owners, functions)
    if owners and written_by(_owners_sources(owners, functions), flow):
        return EventWriter.AWS
    if writer is EventWriter.CALLER and keys[:2] == ["requestcontext", "authorizer"]:
        return EventWriter.AUTHORIZER
    return writer


# The sources whose fields `service_fields.py` knows, by trigger kind, trigger type and principal.
_KIND_SOURCES = {"s3": "s3", "sqs": "sqs", "sns": "sns", "kinesis": "kinesis", "dynamodb": "dynamodb",
                 "schedule": "schedule", "api": "api"}
_TYPE_SOURCES = {"cognito": "cognito", "cognitouserpool": "cognito"}     # SAM and CDK, Serverless
_PRINCIPAL_SOURCES = {"s3.amazonaws.com": "s3", "sns.amazonaws.com": "sns", "cognito-idp.amazonaws.com": "cognito",
                      "apigateway.amazonaws.com": "api"}


def function_sources(function: Function) -> set[str] | None:
    """The sources that invoke `function`, or None when one of them is not known (a trigger of
    another kind, a load balancer, a permission for another principal, no invoker declared)."""
    found: set[str] = set()
    for trigger in function.triggers:
        kind = str(trigger.attributes.get("type", "")).lower()
        source = _TYPE_SOURCES.get(kind) if trigger.kind == "other" else \
            None if kind == "alb" else _KIND_SOURCES.get(trigger.kind)
        if source is None:
            return None
        found.add(source)
    if function.routes or function.url is not None:
        found.add("api")
    scheduled = "schedule" in found
    for permission in function.permissions:
        principal = permission.service
        source = "schedule" if scheduled and principal == _EVENTS_PRINCIPAL else _PRINCIPAL_SOURCES.get(principal)
        if source is None:
            return None
        found.add(source)
    return found or None


def _owners_sources(owners: Sequence[str], functions: dict[str, Function]) -> set[str]:
    """The sources of every function that ships the code; empty when one of them is not known."""
    found: set[str] = set()
    for owner in owners:
        function = functions.get(owner)
        sources = function_sources(function) if function is not None else None
        if sources is None:
            return set()
        found |= sources
    return found


def _owners_writer(owners: Sequence[str], functions: dict[str, Function]) -> EventWriter:
    """The most exposed writer among the functions that ship the code."""
    found = set()
    for owner in owners:
        function = functions.get(owner)
        found.add(function_writer(function) if function is not None else EventWriter.CALLER)
    return next(writer for writer in _ORDER if writer in found)
