"""`sns:Publish` on `Resource: "*"` for code that only sends SMS to phone numbers (LR301).

An SNS publish to a `PhoneNumber` names no resource: IAM authorizes it only on `*`, so "name the
topic's ARN" cannot be followed. What `*` adds beyond the phone numbers is every topic and mobile
endpoint of the account, and `NotResource: "arn:aws:sns:*:*:*"` in place of `Resource: "*"`
leaves those out. The role check says so when the code of every function the statement reaches
is read whole and all its SNS publishes go to phone numbers (the code readers keep those calls
in `CodeReading.sms_publishes`); otherwise it keeps its ordinary advice.
"""

from __future__ import annotations

from reviewer.analyzers.interface import AnalysisContext
from reviewer.code.reader import CodeReading, read_function_code
from reviewer.model import Function, Location, PolicyStatement

# The action whose phone-number form has no resource. `sns:PublishBatch` takes a topic only.
SMS_ACTION = "sns:publish"


def _statement_key(statement: PolicyStatement) -> tuple[str, int, int | None]:
    return statement.location.path, statement.location.line, statement.location.end_line


def _read_whole(reading: CodeReading) -> bool:
    """Whether the reading saw all the code: nothing skipped, cut short or left unread."""
    return reading.skipped is None and not reading.truncated and not reading.notices


class SmsPublishes:
    """Per statement, the SMS publishes of the functions it reaches, when those are their only
    SNS publishes; the code is read only for statements that allow `sns:Publish` on `*`."""

    def __init__(self, context: AnalysisContext) -> None:
        self._context = context
        self._holders: dict[tuple[str, int, int | None], list[Function]] | None = None
        self._verdicts: dict[tuple[str, int, int | None], tuple[Location, ...]] = {}

    def only_sms(self, statement: PolicyStatement) -> tuple[Location, ...]:
        """The SMS publishes in the code of every function `statement` reaches, when every SNS
        publish of that code goes to a phone number; () when any publishes to a topic, an
        endpoint or a target the reading cannot tell, when any function's code is not read whole,
        or when none sends an SMS (a statement nothing uses is not judged here)."""
        key = _statement_key(statement)
        if key not in self._verdicts:
            self._verdicts[key] = self._judge(key)
        return self._verdicts[key]

    def _judge(self, key: tuple[str, int, int | None]) -> tuple[Location, ...]:
        found: list[Location] = []
        for function in self._holders_of(key):
            reading = read_function_code(self._context.workspace, function, self._context.code_cache)
            if not _read_whole(reading) or any(write.service == "sns" for write in reading.writes):
                return ()
            found += [call for call in reading.sms_publishes if call not in found]
        return tuple(found)

    def _holders_of(self, key: tuple[str, int, int | None]) -> list[Function]:
        if self._holders is None:
            self._holders = {}
            for function in self._context.inventory.functions:
                for statement in function.policy_statements:
                    holders = self._holders.setdefault(_statement_key(statement), [])
                    if all(holder is not function for holder in holders):
                        holders.append(function)
        return self._holders.get(key, [])
