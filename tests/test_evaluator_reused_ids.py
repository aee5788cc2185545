"""The evaluator's answers belong to the expression asked about, whatever address it has.

The evaluator remembers each answer under the expression's `id`. Readers also hand it expressions
they build and drop: a stream handler's record filter inlined from its helpers
(`is_operation(records[0], "INSERT")` from `get_records(records, "JobEvent", "INSERT")`). CPython
gives a freed object's address to a later one, so an answer kept under a dropped expression's
number went to whichever expression next took that address: the filter of amazon-s3-find-and-forget's
StreamProcessor was read as another helper's, and one of its updates was an LR201 error in some
runs and an LR203 notice in others.

Which address a new object takes depends on what else the process allocates (another thread,
the order of a set); here `id` is replaced, in the evaluator's module only, by numbers handed out
the way the allocator hands out addresses, a dropped object's number going to a later object, and
the garbage collector waits until the reading is done, so each case is the same on every run.
"""

from __future__ import annotations

import ast
import gc
import random
import textwrap
import weakref
from pathlib import Path

import pytest

from reviewer.code import evaluate
from reviewer.code.evaluate import Evaluator
from reviewer.code.evaluated_values import Scope
from reviewer.code.modules import load_modules
from reviewer.code.program import build_program
from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


class ReusedNumbers:
    """`id` as an allocator gives addresses: the number of an object that was freed goes to a later
    object (the most recently freed first, or, with a seed, any freed one or a new one at random)."""

    def __init__(self, seed: int | None = None) -> None:
        self.random = random.Random(seed) if seed is not None else None
        self.numbers: dict[int, int] = {}        # the object's real id -> its number, while it lives
        self.freed: list[int] = []
        self.next = 1

    def __call__(self, thing: object) -> int:
        number = self.numbers.get(id(thing))
        if number is not None:
            return number
        if self.freed and (self.random is None or self.random.random() < 0.5):
            number = self.freed.pop(-1 if self.random is None else self.random.randrange(len(self.freed)))
        else:
            number, self.next = self.next, self.next + 1
        self.numbers[id(thing)] = number
        weakref.finalize(thing, self._freed, id(thing), number)
        return number

    def _freed(self, real: int, number: int) -> None:
        self.numbers.pop(real, None)
        self.freed.append(number)


def test_an_expression_built_and_dropped_leaves_no_answer_to_the_next(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return None\n")
    module_set = load_modules(Workspace(tmp_path), ".", "app.handler")
    assert not isinstance(module_set, str)
    evaluator = Evaluator(build_program(module_set))
    monkeypatch.setattr(evaluate, "id", ReusedNumbers(), raising=False)
    scope = Scope("app")
    # each constant is dropped once answered: the next takes its number
    answers = [evaluator.strings(ast.Constant(text), scope)[0].text for text in ("INSERT", "REMOVE", "MODIFY")]
    assert answers == ["INSERT", "REMOVE", "MODIFY"]


TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: Id, KeyType: HASH}, {AttributeName: Sk, KeyType: RANGE}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  Processor:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: jobs/
      Handler: processor.handler
      Runtime: python3.13
      Environment: {Variables: {JOBS_TABLE: !Ref Jobs}}
      Events:
        Stream:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Jobs.StreamArn, StartingPosition: TRIM_HORIZON}
"""

PROCESSOR = """\
from itertools import groupby
from operator import itemgetter

from counts import add_counts
from progress import set_progress


def handler(event, context):
    records = event["Records"]
    events = select(records, "Step", "INSERT")
    for run_id, group in groupby(sorted(events, key=itemgetter("RunId")), key=itemgetter("RunId")):
        group = list(group)
        add_counts(run_id, group)
        set_progress(run_id, group)


def has_event_name(record, name):
    return record.get("eventName") == name


def has_kind(record, kind):
    return record["dynamodb"]["NewImage"]["Kind"]["S"] == kind


def select(records, kind, name):
    return [r["dynamodb"]["NewImage"] for r in records if has_kind(r, kind) and has_event_name(r, name)]
"""

UPDATER = """\
import os

import boto3

runs = boto3.resource("dynamodb").Table(os.environ["JOBS_TABLE"])


def {name}(run_id, steps):
    return _update(run_id, len(steps))


def _update(run_id, value):
    return runs.update_item(
        Key={{"Id": run_id, "Sk": run_id}},
        ConditionExpression="attribute_exists(Id)",
        UpdateExpression="SET #v = :v",
        ExpressionAttributeNames={{"#v": "{attribute}"}},
        ExpressionAttributeValues={{":v": value}},
    )
"""


def _guards(root: Path) -> dict[str, tuple[tuple[str | None, str, int], ...]]:
    """Each write's path, with the record conditions that guard it (attribute, value, line)."""
    workspace = Workspace(root)
    [function] = build_inventory(workspace).functions
    reading = read_function_code(workspace, function, {})
    return {write.location.path: tuple((guard.attribute, guard.text, guard.line) for guard in write.key_guards)
            for write in reading.writes}


@pytest.mark.parametrize("seed", range(1, 9))
def test_two_updates_behind_one_inlined_filter_keep_it_however_addresses_are_reused(tmp_path, monkeypatch, seed):
    files = {"template.yaml": TEMPLATE, "jobs/processor.py": PROCESSOR,
             "jobs/counts.py": UPDATER.format(name="add_counts", attribute="Counts"),
             "jobs/progress.py": UPDATER.format(name="set_progress", attribute="Progress")}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    expected = (("Kind", "Step", 10), ("eventName", "INSERT", 10))
    assert _guards(tmp_path) == {"jobs/counts.py": expected, "jobs/progress.py": expected}
    monkeypatch.setattr(evaluate, "id", ReusedNumbers(seed), raising=False)
    gc.collect()
    gc.disable()      # objects are freed as their last reference goes, never when a collection runs
    try:
        assert _guards(tmp_path) == {"jobs/counts.py": expected, "jobs/progress.py": expected}
    finally:
        gc.enable()
