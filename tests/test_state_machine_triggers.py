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


# -- Terraform (fixtures/untrusted/state-machines/terraform: a catalogue pipeline whose hourly
# harvest machine is built with jsonencode from locals, a sync machine a data.template_file renders
# and an EventBridge rule starts, a reindex machine written as a heredoc, and an account-features
# module whose machine is a templatefile of ARNs and names) --------------------------------------


def test_terraform_state_machines_are_triggers_of_the_functions_their_definitions_name():
    assert _triggers("terraform") == {
        # jsonencode of merge(local.harvest_states, local.published_states): FunctionName in Arguments
        "aws_lambda_function.harvest_window": [("stepfunctions", "aws_sfn_state_machine.harvest", 29, ["schedule"], False)],
        # one(aws_lambda_function.mark_published[*].arn), in a `for` the evaluator cannot expand
        "aws_lambda_function.mark_published": [("stepfunctions", "aws_sfn_state_machine.harvest", 45, ["schedule"], False)],
        # a heredoc's "Resource": "${aws_lambda_function.reindex.arn}"; nothing starts it
        "aws_lambda_function.reindex": [("stepfunctions", "aws_sfn_state_machine.reindex", 100, [], False)],
        # data.template_file vars: "${worker_lambda}" is the function's name; a rule matching events starts it
        "aws_lambda_function.sync_records": [("stepfunctions", "aws_sfn_state_machine.sync", 23, ["eventbridge"], False)],
        # templatefile(local.state_machine_source, local.replacements_map): a Resource and a FunctionName
        "module.account_features.aws_lambda_function.delete_default_vpc": [
            ("stepfunctions", "module.account_features.aws_sfn_state_machine.account_features", 5, [], False)],
        "module.account_features.aws_lambda_function.enroll_support": [
            ("stepfunctions", "module.account_features.aws_sfn_state_machine.account_features", 6, [], False)],
    }


def test_lr306_names_the_terraform_state_machine_and_an_event_rule_that_starts_it_makes_it_an_error(tmp_path):
    report = _scan(tmp_path, "terraform")
    found = {(f["path"], f["line"]): f for f in report["findings"] if f["rule_id"] == "LR306"}
    wanted, unwanted = marks(APP / "terraform")
    assert set(found) == wanted and not set(found) & unwanted
    for finding in found.values():
        assert "No trigger of the function is declared" not in finding["message"]
    harvest = found[("functions/harvest_window.py", 7)]
    assert harvest["severity"] == "warning"
    assert "The state machine `aws_sfn_state_machine.harvest` invokes" in harvest["message"]
    assert "Only schedules are declared to start it" in harvest["message"]
    vpc = found[("modules/account-features/lambda/delete_default_vpc.py", 6)]     # an error as bandit's B602
    assert "`module.account_features.aws_sfn_state_machine.account_features`" in vpc["message"]
    assert "whoever starts an execution writes that input" in vpc["message"]
    assert found[("functions/sync_records.py", 7)]["severity"] == "error"     # the harvest.completed rule
    assert "`aws_sfn_state_machine.reindex`" in found[("functions/reindex.py", 6)]["message"]
    assert not [f for f in report["findings"] if f["rule_id"].startswith("LR2") or f["rule_id"] == "LR401"]


def test_a_terraform_definition_written_as_one_quoted_string_names_its_function_by_interpolation(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_lambda_function" "ping" {\n'
        '  function_name = "ping"\n  runtime = "python3.12"\n  handler = "ping.handler"\n  filename = "ping.zip"\n}\n'
        'resource "aws_sfn_state_machine" "ping" {\n'
        '  definition = "{\\"StartAt\\": \\"Ping\\", \\"States\\": {\\"Ping\\": {\\"Type\\": \\"Task\\", '
        '\\"Resource\\": \\"${aws_lambda_function.ping.arn}\\", \\"End\\": true}}}"\n'
        '  role_arn = "arn:aws:iam::123456789012:role/ping"\n}\n')
    (function,) = build_inventory(Workspace(tmp_path)).functions
    assert [(t.kind, t.attributes["machine"], t.location.line) for t in function.triggers] == [
        ("stepfunctions", "aws_sfn_state_machine.ping", 8)]


# -- Serverless (fixtures/untrusted/state-machines/serverless: a case desk whose workflow an HTTP
# route starts, names its tasks by logical id, by key and by a name with an unresolved stage; a
# nightly purge only schedules start, by ARN; an archive workflow nothing starts, by `Ref`) ------


def test_serverless_step_functions_plugin_state_machines_are_triggers_of_the_functions_they_name():
    assert _triggers("serverless") == {
        "openCase": [("stepfunctions", "CaseDesk", 37, ["api"], False)],         # Fn::GetAtt of its logical id
        "assignCase": [("stepfunctions", "CaseDesk", 44, ["api"], False)],       # ...-${opt:stage}-assignCase
        "closeCase": [("stepfunctions", "CaseDesk", 49, ["api"], False)],        # !GetAtt closeCase.Arn
        "purgeCases": [("stepfunctions", "NightlyPurge", 61, ["schedule", "schedule"], False)],  # its ARN
        "archiveCases": [("stepfunctions", "Archive", 69, [], False)],           # Ref: ArchiveCasesLambdaFunction
    }


def test_lr306_names_the_serverless_state_machine_and_its_http_event_makes_it_an_error(tmp_path):
    report = _scan(tmp_path, "serverless")
    found = {(f["path"], f["line"]): f for f in report["findings"] if f["rule_id"] == "LR306"}
    wanted, unwanted = marks(APP / "serverless")
    assert set(found) == wanted and not set(found) & unwanted
    assert found[("src/open_case.py", 7)]["severity"] == "error"       # POST /cases starts CaseDesk
    purge = found[("src/purge_cases.py", 7)]
    assert purge["severity"] == "warning"
    assert "The state machine `NightlyPurge` invokes" in purge["message"]
    assert "Only schedules are declared to start it" in purge["message"]
    archive = found[("src/archive_cases.py", 7)]
    assert archive["severity"] == "warning" and "`Archive`" in archive["message"]
    assert "No trigger of the function is declared" not in archive["message"]
    assert not [f for f in report["findings"] if f["rule_id"].startswith("LR2") or f["rule_id"] == "LR401"]


# -- CDK (fixtures/untrusted/state-machines/cdk: a kitchen whose order workflow an HTTP API's
# `StepFunctions-StartSyncExecution` integration starts, a nightly plan a scheduled rule starts
# whose second task sends a fixed payload, and an audit nothing starts; cdk-python: a trip planner
# an event rule starts, through a function's version, and hourly housekeeping with a fixed payload
# and a `CallAwsService` invoke; cdk-v1: a booking saga of `sfn.Task`s made by a helper; in cdk too,
# refunds whose definition is a file naming the function by substitution, made by a method whose
# result a rule of the payments provider's events targets) ---------------------------------------


def _cdk_triggers(folder: str) -> dict[str, list[tuple[str, str, int, list[str], bool, str]]]:
    return {fn.name: [(t.kind, str(t.attributes["machine"]), t.location.line, list(t.attributes["starters"]),
                       bool(t.attributes["qualified"]), str(t.attributes["payload"])) for t in fn.triggers]
            for fn in build_inventory(Workspace(APP / folder)).functions}


def test_cdk_typescript_tasks_are_triggers_of_their_functions_each_in_the_machine_that_reaches_it():
    assert _cdk_triggers("cdk") == {
        "CheckOrder": [("stepfunctions", "OrderWorkflow", 28, ["api"], False, "state")],     # Chain.start(...)
        "ReserveOven": [("stepfunctions", "NightlyPlan", 63, ["schedule"], False, "state")],   # a JsonPath in it
        "NotifyKitchen": [("stepfunctions", "NightlyPlan", 67, ["schedule"], False, "fixed")],  # reserve.next(notify)
        "AuditOrders": [("stepfunctions", "AuditMachine", 83, [], False, "state")],   # written in the definition
        # named in `definitionSubstitutions` of a machine a method returns, with a computed id
        "IssueRefund": [("stepfunctions", "StateMachine at lib/kitchen-stack.ts:101", 104, ["eventbridge"], False,
                         "state")],
    }


def test_cdk_python_tasks_are_triggers_of_their_functions_with_their_versions_and_payloads():
    assert _cdk_triggers("cdk-python") == {
        "Itinerary": [("stepfunctions", "TripWorkflow", 29, ["eventbridge"], False, "state")],
        "PickHotel": [("stepfunctions", "TripWorkflow", 23, ["eventbridge"], True, "state")],   # .current_version
        "Cleanup": [("stepfunctions", "Housekeeping", 56, ["schedule"], False, "fixed")],
        "Purge": [("stepfunctions", "Housekeeping", 62, ["schedule"], False, "state")],     # CallAwsService
        "Remind": [("stepfunctions", "Reminders", 88, [], False, "state")],     # definition_substitutions
    }


def test_cdk_v1_run_lambda_tasks_belong_to_the_machine_their_catches_and_chains_reach():
    assert _cdk_triggers("cdk-v1") == {
        "holdRoomHandler": [("stepfunctions", "BookingSaga", 20, [], False, "state")],
        "releaseRoomHandler": [("stepfunctions", "BookingSaga", 16, [], False, "state")],   # holdRoom.addCatch
        "chargeHandler": [("stepfunctions", "BookingSaga", 25, [], False, "state")],        # InvokeFunction
        "reportHandler": [("stepfunctions", "DailyReport", 36, [], False, "fixed")],
    }


def test_lr306_judges_a_cdk_task_by_what_starts_its_machine_and_a_fixed_payload_is_a_notice(tmp_path):
    for folder in ("cdk", "cdk-python"):
        report = _scan(tmp_path, folder)
        found = {(f["path"], f["line"]): f for f in report["findings"] if f["rule_id"] == "LR306"}
        wanted, unwanted = marks(APP / folder)
        assert set(found) == wanted and not set(found) & unwanted
        assert not any("No trigger of the function is declared" in f["message"] for f in found.values())
        assert not [f for f in report["findings"] if f["rule_id"].startswith("LR2") or f["rule_id"] == "LR401"]
    typescript = {(f["path"], f["line"]): f for f in _scan(tmp_path / "again", "cdk")["findings"]
                  if f["rule_id"] == "LR306"}
    assert typescript[("lambda-fns/check/check.py", 7)]["severity"] == "error"     # POST /orders starts it
    reserve = typescript[("lambda-fns/reserve/reserve.py", 6)]
    assert reserve["severity"] == "warning"
    assert "The state machine `NightlyPlan` invokes the function with its state" in reserve["message"]
    assert "Only schedules are declared to start it" in reserve["message"]
    notify = typescript[("lambda-fns/notify/notify.py", 6)]
    assert notify["severity"] == "notice"
    assert "The state machine `NightlyPlan` invokes the function with a payload its task fixes" in notify["message"]
    assert "no execution's input reaches that value" in notify["message"]
    audit = typescript[("lambda-fns/audit/audit.py", 7)]
    assert audit["severity"] == "warning" and "whoever starts an execution writes that input" in audit["message"]
    assert typescript[("lambda-fns/refund/refund.py", 7)]["severity"] == "error"   # the provider's events


def test_a_cdk_task_whose_machine_is_made_in_another_file_is_a_state_machine_s_all_the_same(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib" / "steps.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';\n"
        "import { Construct } from 'constructs';\n\n"
        "export class Steps extends Construct {\n"
        "  readonly first: tasks.LambdaInvoke;\n"
        "  constructor(scope: Construct, id: string) {\n"
        "    super(scope, id);\n"
        "    const fn = new lambda.Function(this, 'Resize', {\n"
        "      runtime: lambda.Runtime.PYTHON_3_12, handler: 'resize.handler', code: lambda.Code.fromAsset('src'),\n"
        "    });\n"
        "    this.first = new tasks.LambdaInvoke(this, 'Resize Image', { lambdaFunction: fn });\n"
        "  }\n"
        "}\n")
    (tmp_path / "src" / "resize.py").write_text(
        "import sqlite3\n\n\ndef handler(event, context):\n"
        "    images = sqlite3.connect('/tmp/images.db')\n"
        "    return images.execute(f\"SELECT size FROM images WHERE key = '{event['key']}'\").fetchone()\n")
    (function,) = build_inventory(Workspace(tmp_path)).functions
    (trigger,) = function.triggers
    assert (trigger.kind, trigger.attributes["machine"], trigger.attributes["starters"]) == ("stepfunctions", "", [])
    assert function_writer(function) is EventWriter.STATE_MACHINE
    (finding,) = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR306"]
    assert "A state machine's task invokes the function with its state" in finding["message"]


def test_a_fixed_payload_is_its_own_writer_unless_another_task_sends_the_state():
    def task(payload: str, *starters: str) -> Trigger:
        return Trigger("stepfunctions", HERE, None, {"machine": "Workflow", "starters": list(starters),
                                                     "payload": payload})

    def writer(*triggers: Trigger) -> EventWriter:
        return function_writer(Function("Fn", "cdk", HERE, triggers=list(triggers)))

    assert writer(task("fixed", "api")) is EventWriter.FIXED_PAYLOAD     # whoever starts it, the same constants
    assert writer(task("fixed"), task("state", "schedule")) is EventWriter.STATE_MACHINE
    assert writer(task("fixed"), task("state", "api")) is EventWriter.CALLER


def test_cdk_java_go_and_csharp_tasks_are_triggers_of_their_functions():
    """fixtures/untrusted/state-machines/cdk-languages: one workflow of one task, in each spelling
    (`LambdaInvoke.Builder.create(...)`, `awsstepfunctionstasks.NewLambdaInvoke(...)`, `new LambdaInvoke(...)`)."""
    for folder, path, line in (("java", "src/main/java/com/myorg/FlowStack.java", 20), ("go", "flow.go", 19),
                               ("csharp", "src/App/FlowStack.cs", 19)):
        (function,) = build_inventory(Workspace(APP / "cdk-languages" / folder)).functions
        assert [(t.kind, t.location.path, t.location.line, t.attributes["machine"]) for t in function.triggers] == [
            ("stepfunctions", path, line, "Flow")], folder


def test_a_cdk_fragment_s_task_invokes_the_function_each_instance_is_given(tmp_path):
    """fixtures/untrusted/state-machines/cdk-fragments: a `StateMachineFragment` whose task takes its
    function from its properties, one instance per carrier, in a machine a REST API starts."""
    assert _cdk_triggers("cdk-fragments") == {
        "carrier-a-quote": [("stepfunctions", "quotes-machine", 24, ["api"], False, "state")],
        "carrier-b-quote": [("stepfunctions", "quotes-machine", 25, ["api"], True, "state")],
    }
    (finding,) = [f for f in _scan(tmp_path, "cdk-fragments")["findings"] if f["rule_id"] == "LR306"]
    assert (finding["path"], finding["line"], finding["severity"]) == ("lambda/quote.py", 7, "error")


def test_what_starts_a_cdk_state_machine_in_each_spelling():
    """fixtures/untrusted/state-machines/cdk-starters: a REST method's `StepFunctionsIntegration`, an
    HTTP API's `HttpStepFunctionsIntegration`, a scheduler's target, a pipe's target, and the
    Python spellings of the REST ones (`start_execution`, `StepFunctionsRestApi(state_machine=...)`)."""
    def starters(folder: str) -> dict[str, list[str]]:
        return {fn.name: [kind for t in fn.triggers for kind in t.attributes["starters"]]
                for fn in build_inventory(Workspace(APP / "cdk-starters" / folder)).functions}

    assert starters("typescript") == {"A": ["api"], "B": ["api"], "C": ["schedule"], "D": ["other"]}
    assert starters("python") == {"A": ["api"], "B": ["api"]}


def test_two_workflow_methods_that_both_name_their_chain_chain_keep_their_own_tasks():
    """fixtures/untrusted/state-machines/cdk-scopes: `const chain = ...` (Python `chain = ...`) in
    each of two methods returning a machine; the API starts one, a monthly rule the other."""
    for folder, lines in (("typescript", (34, 40)), ("python", (27, 31))):
        assert _cdk_triggers(f"cdk-scopes/{folder}") == {
            "Charge": [("stepfunctions", "Charges", lines[0], ["api"], False, "state")],
            "Summary": [("stepfunctions", "Summaries", lines[1], ["schedule"], False, "state")],
        }, folder
