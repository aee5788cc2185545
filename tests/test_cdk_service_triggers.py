"""The services a CDK app points at a function by naming it, read as its triggers
(fixtures/untrusted/cdk-service-triggers: a TypeScript app whose user pool's triggers are set in
properties kept in a variable or added to an existing pool, a chat WebSocket API, an AppSync
resolver and a CloudFront edge function; a Python app with a user pool and an AppSync API)."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.analyzers.untrusted_writers import EventWriter, function_writer
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_untrusted_input import FIXTURES, marks, scan

APP = FIXTURES / "cdk-service-triggers"


def _triggers() -> dict[str, list[tuple[str, str, str, int]]]:
    functions = build_inventory(Workspace(APP)).functions
    return {fn.name: [(t.kind, t.attributes["type"], t.location.path, t.location.line) for t in fn.triggers]
            for fn in functions}


def test_user_pool_triggers_in_properties_and_added_to_a_pool_invoke_the_functions():
    found = _triggers()
    assert found["PreSignUp"] == [("other", "Cognito", "lib/auth-stack.ts", 37)]
    assert found["CustomMessage"] == [("other", "Cognito", "lib/auth-stack.ts", 30),
                                      ("other", "Cognito", "lib/auth-stack.ts", 38)]
    assert found["PostConfirmation"] == [("other", "Cognito", "analytics/stack.py", 17)]


def test_websocket_routes_appsync_data_sources_and_edge_associations_invoke_the_functions():
    found = _triggers()
    assert found["Message"] == [("api", "WebSocket", "lib/chat-stack.ts", 21)]
    assert found["Rooms"] == [("other", "AppSync", "lib/chat-stack.ts", 33)]
    assert found["Report"] == [("other", "AppSync", "analytics/stack.py", 27)]
    assert found["Rewrite"] == [("other", "CloudFront", "lib/chat-stack.ts", 44)]


def test_a_function_a_service_invokes_is_written_to_by_outsiders_not_only_the_account():
    functions = build_inventory(Workspace(APP)).functions
    assert {fn.name: function_writer(fn) for fn in functions} == dict.fromkeys(
        ("PreSignUp", "CustomMessage", "PostConfirmation", "Message", "Rooms", "Report", "Rewrite"),
        EventWriter.CALLER)


def test_what_users_a_socket_a_query_or_a_viewer_send_is_an_error_not_the_account_s_warning(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    found = {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}
    wanted, _ = marks(APP)
    assert set(found) == wanted
    for finding in found.values():
        assert finding["severity"] == "error"
        assert "Whoever sends the event controls that value" in finding["message"]
        assert "No trigger of the function is declared" not in finding["message"]


def test_a_file_with_none_of_the_services_gives_no_trigger(tmp_path: Path):
    shutil.copytree(APP, tmp_path / "app")
    (tmp_path / "app" / "lib" / "chat-stack.ts").write_text(
        (APP / "lib" / "chat-stack.ts").read_text().replace("WebSocketLambdaIntegration('Default', messageHandler)",
                                                             "undefined"))
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path / "app")).functions}
    assert functions["Message"].triggers == []
