"""A finding that many functions share names the first few and counts the rest, and tells apart two
functions of one name by the file that declares each.

In the shape of a Serverless monorepo whose services all take their runtime from one common file
(`runtime: ${file(../../serverless.common.yml):provider.runtime}`): its runtime finding named every
function of every service (170 names, 3,900 characters, in each inline comment and SARIF result),
and two services' `wsConnect` showed as the same name twice.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.analyzers.function_lists import MAX_FUNCTIONS_NAMED
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.cli import main
from reviewer.model import Function, Location
from reviewer.rules import LR400

COMMON = """\
provider:
  stage: ${opt:stage, 'dev'}
  runtime: nodejs16.x
  region: us-west-2
"""

SERVICES = {
    "chat": ["wsConnect", "wsDisconnect", "chatSend", "chatList"],
    "live": ["wsConnect", "wsDisconnect", "liveGet", "liveList"],
    "users": ["userCreate", "userGet", "userList", "userUpdate", "userDelete"],
}


def _service(name: str, functions: list[str]) -> str:
    lines = [f"service: biz-{name}", "", "provider:", "  name: aws",
             "  runtime: ${file(../../serverless.common.yml):provider.runtime}", "", "functions:"]
    for function in functions:
        lines += [f"  {function}:", f"    handler: handler.{function}"]
    return "\n".join(lines) + "\n"


def _monorepo(root: Path) -> None:
    (root / "serverless.common.yml").write_text(COMMON)
    for name, functions in SERVICES.items():
        folder = root / "services" / name
        folder.mkdir(parents=True)
        (folder / "serverless.yml").write_text(_service(name, functions))
        (folder / "handler.js").write_text(
            "".join(f"module.exports.{function} = async () => ({{ statusCode: 200 }});\n" for function in functions))


def test_a_runtime_every_service_shares_names_the_first_functions_and_counts_the_rest(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    assert len(report["functions"]) == 13
    [runtime] = [f for f in report["findings"] if f["rule_id"] == "LR100"]
    assert runtime["message"].split("\n\nUsed by: ")[1] == (
        "`wsConnect` (`services/chat/serverless.yml`), `wsDisconnect` (`services/chat/serverless.yml`), "
        "`chatSend`, `chatList`, `wsConnect` (`services/live/serverless.yml`), "
        "`wsDisconnect` (`services/live/serverless.yml`), `liveGet`, `liveList`, `userCreate`, `userGet` and 3 more.")


def _functions(count: int) -> list[Function]:
    functions = [Function(f"fn{index}", "serverless", Location(f"services/s{index}/serverless.yml", 8))
                 for index in range(count)]
    functions += [Function("wsConnect", "serverless", Location(f"services/{service}/serverless.yml", 20))
                  for service in ("btx", "interactions")]
    return functions


def test_a_shared_finding_counts_the_functions_it_does_not_name_and_keeps_both_of_a_shared_name() -> None:
    shared = SharedFindings()
    place = Location("serverless.common.yml", 5)
    for function in _functions(2):
        shared.add(LR400, function, place, "no-code-signing", lambda subject: f"{subject} have no signing.")
    [few] = shared.findings()
    assert few.message == ("the functions `fn0`, `fn1`, `wsConnect` (`services/btx/serverless.yml`) and "
                           "`wsConnect` (`services/interactions/serverless.yml`) have no signing.")

    shared = SharedFindings()
    for function in _functions(40):
        shared.add(LR400, function, place, "no-code-signing", lambda subject: f"{subject} have no signing.")
    [many] = shared.findings()
    assert many.function is None
    assert many.message.endswith(f"`fn{MAX_FUNCTIONS_NAMED - 1}` and 32 more have no signing.")
    assert len(many.message) < 300


def test_the_findings_table_names_the_functions_a_shared_finding_concerns(tmp_path: Path) -> None:
    _monorepo(tmp_path)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "markdown", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    [row] = [line for line in out.getvalue().splitlines() if "| LR100 |" in line]
    assert row.split(" | ")[3] == "`wsConnect`, `wsDisconnect` and 11 more"


def test_a_relayed_finding_keeps_the_functions_it_names(tmp_path: Path) -> None:
    import datetime as dt

    from reviewer.findings import Finding, Severity
    from reviewer.publish.artifact import read_artifact, write_artifact

    finding = Finding(rule_id="LR100", severity=Severity.WARNING, title="t", message="m",
                      path="serverless.common.yml", line=5, functions=("userGet", "userList"))
    write_artifact(tmp_path / "findings.json", repository="o/r", pull_request=1, head_sha="a" * 40,
                   base_sha="b" * 40, fail_on="error", reference_date=dt.date(2026, 12, 7), findings=[finding],
                   new=set(), functions=[])
    [read] = read_artifact(tmp_path / "findings.json").findings
    assert read.functions == ("userGet", "userList")
