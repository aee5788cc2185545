"""State machines whose tasks invoke a function are its triggers, and LR306 says the event is the
state machine's (fixtures/untrusted/state-machines/sam: a billing stack whose nightly workflow
queries usage through `DefinitionSubstitutions` and archives through a published version, an
export machine built with `Fn::Sub` that nothing in the template starts, and an approval
workflow with an inline definition behind an API)."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.analyzers.untrusted_writers import EventWriter, function_writer
from reviewer.inventory import build_inventory
from reviewer.model import Function, Location, Trigger
from reviewer.workspace import Workspace
from tests.test_untrusted_input import FIXTURES, marks, scan

APP = FIXTURES / "state-machines"
HERE = Location("template.yaml", 1)


def _triggers(folder: str) -> dict[str, list[tuple[str, str, int, list[str], bool]]]:
    return {fn.name: [(t.kind, str(t.attributes["machine"]), t.location.line, list(t.attributes["starters"]),
                       bool(t.attributes["qualified"])) for t in fn.triggers]
            for fn in build_inventory(Workspace(APP / folder)).functions}


def _scan(tmp_path: Path, folder: str) -> dict:
    root = tmp_path / folder
    shutil.copytree(APP / folder, root)
    return scan(root)


def test_sam_and_cloudformation_state_machines_are_triggers_of_the_functions_they_name():
    assert _triggers("sam") == {
        "UsageQueryFunction": [("stepfunctions", "BillingWorkflow", 70, ["schedule"], False)],   # substitution
        "ExportFunction": [("stepfunctions", "ExportMachine", 88, [], False)],        # ${ExportFunction.Arn} of a !Sub
        "ApprovalFunction": [("stepfunctions", "ApprovalWorkflow", 121, ["api"], False)],   # inline Definition
        "ArchiveFunction": [("stepfunctions", "BillingWorkflow", 71, ["schedule"], True)],  # its AWS::Lambda::Version
    }


def test_lr306_says_the_state_machine_writes_the_event_and_an_api_that_starts_it_makes_it_an_error(tmp_path):
    report = _scan(tmp_path, "sam")
    found = {(f["path"], f["line"]): f for f in report["findings"] if f["rule_id"] == "LR306"}
    wanted, unwanted = marks(APP / "sam")
    assert set(found) == wanted and not set(found) & unwanted
    for finding in found.values():
        assert "No trigger of the function is declared" not in finding["message"]
    usage = found[("src/usage/query.py", 10)]
    assert usage["severity"] == "warning"
    assert "The state machine `BillingWorkflow` invokes the function with its state" in usage["message"]
    assert "Only schedules are declared to start it" in usage["message"]
    export = found[("src/export/export.py", 7)]
    assert export["severity"] == "warning"
    assert "`ExportMachine`" in export["message"] and "whoever starts an execution writes that input" in export["message"]
    assert found[("src/approval/approve.py", 6)]["severity"] == "error"      # POST /approvals starts it


def test_the_loop_check_and_lr206_do_not_read_a_state_machine_as_a_source_its_writes_could_trigger(tmp_path):
    report = _scan(tmp_path, "sam")
    assert not [f for f in report["findings"] if f["rule_id"].startswith("LR2")]   # ArchiveFunction's code is in S3


def test_a_state_machine_alone_gives_no_latest_only_notice(tmp_path):
    """A workflow's task calls the function as an SDK caller does: no LR401 for it."""
    messages = {f["function"]: f["message"] for f in _scan(tmp_path, "sam")["findings"] if f["rule_id"] == "LR401"}
    assert "UsageQueryFunction" not in messages and "ArchiveFunction" not in messages
    assert not any("state machine" in message for message in messages.values())


def test_a_state_machine_decides_by_what_starts_it():
    def machine(*starters: str) -> Trigger:
        return Trigger("stepfunctions", HERE, None, {"machine": "Workflow", "starters": list(starters)})

    def writer(*triggers: Trigger) -> EventWriter:
        return function_writer(Function("Fn", "sam", HERE, triggers=list(triggers)))

    assert writer(machine()) is EventWriter.STATE_MACHINE
    assert writer(machine("schedule")) is EventWriter.STATE_MACHINE
    assert writer(machine("schedule", "api")) is EventWriter.CALLER
    assert writer(machine("eventbridge")) is EventWriter.CALLER
    assert writer(machine(), Trigger("schedule", HERE)) is EventWriter.STATE_MACHINE
    assert writer(machine(), Trigger("sqs", HERE)) is EventWriter.CALLER
