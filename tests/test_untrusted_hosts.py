"""LR306 on the request's `Host` header, judged by what invokes the function
(fixtures/untrusted/host-header: a tenant registration behind API Gateway that calls sibling routes
through the host it was called on, a status page behind an Application Load Balancer, and a
handler file no template declares)."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.analyzers.untrusted_hosts import is_host_header, read_path
from reviewer.code.taint_common import Flow
from tests.test_untrusted_input import FIXTURES, marks, scan


def _findings(tmp_path: Path) -> dict[tuple[str, int], dict]:
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "host-header", root)
    return {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}


def test_behind_api_gateway_the_host_header_is_the_api_s_own_name_and_no_finding(tmp_path):
    found = _findings(tmp_path)
    wanted, unwanted = marks(FIXTURES / "host-header")
    assert set(found) == wanted
    assert not set(found) & unwanted
    # the header a caller can write is still the caller's, whatever the trigger
    assert found[("tenants/registration.py", 21)]["severity"] == "error"


def test_behind_a_load_balancer_the_host_header_is_the_caller_s(tmp_path):
    status = _findings(tmp_path)[("status/index.js", 3)]
    assert status["severity"] == "error"
    assert "Application Load Balancer" in status["message"] and "default rule has no condition" in status["message"]
    assert "environment variable" in status["message"]


def test_with_no_declared_trigger_the_host_header_is_a_warning_that_names_the_load_balancer(tmp_path):
    replay = _findings(tmp_path)[("tools/replay.py", 6)]
    assert replay["severity"] == "warning"
    assert "only when an Application Load Balancer invokes the function" in replay["message"]
    assert "No declared function ships this code" in replay["message"]


def test_the_host_header_is_told_by_its_read_path_in_both_languages():
    def flow(field: str, via: str = "") -> Flow:
        return Flow(field, "app.py", 1, "https://", via)

    assert is_host_header(flow("event['headers']['Host']"))
    assert is_host_header(flow("event.headers.host"))
    assert is_host_header(flow("event['multiValueHeaders']['Host'][0]"))
    assert is_host_header(flow("event.get('headers', {})", ".Host"))
    assert is_host_header(flow("event['headers']", ".host"))
    assert not is_host_header(flow("event['headers']['X-Forwarded-Host']"))
    assert not is_host_header(flow("event['body']"))
    assert not is_host_header(flow("event['body']['headers']['Host']"))    # a body's own fields: the caller's
    assert read_path(flow("event['headers'].get('host')")) == ["headers", "host"]


def test_a_permission_granted_in_a_sibling_nested_stack_decides_for_the_host_header(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "nested-stacks", root)
    found = {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}
    wanted, unwanted = marks(root)
    assert set(found) == wanted and not set(found) & unwanted
    assert found[("services/metrics.py", 6)]["severity"] == "error"     # the load balancer's function
