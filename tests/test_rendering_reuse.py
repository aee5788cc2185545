"""What a report works out once and reuses: finding messages, Markdown escapes, fingerprints.

A review of a large repository writes thousands of messages and escapes the same function names
over and over; these tests pin that the repeated work is skipped, and that what is kept can never
be served for a value that prints differently (Markup against str of the same text).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2.runtime import Macro
from markupsafe import Markup

from reviewer import markdown, wording
from reviewer.cli import main
from reviewer.findings import Finding, Severity


@pytest.fixture()
def macro_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the Jinja macros run (each a message written, not a message reused)."""
    wording.forget_templates()
    calls: list[str] = []
    original = Macro.__call__

    def counting(self: Macro, *args: object, **kwargs: object) -> object:
        calls.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Macro, "__call__", counting)
    return calls


def test_a_message_with_the_same_plain_values_is_written_once(macro_calls: list[str]) -> None:
    values = {"subject": Markup("`Orders`"), "several": False, "setting": Markup("`CodeSigningConfigArn`")}
    first = wording.finding_message("deployment", "no_code_signing", **values)
    again = wording.finding_message("deployment", "no_code_signing", **values)
    assert again == first and macro_calls.count("no_code_signing") == 1
    other = wording.finding_message("deployment", "no_code_signing", **{**values, "several": True})
    assert other != first and macro_calls.count("no_code_signing") == 2


def test_markup_and_text_of_the_same_characters_are_kept_apart(macro_calls: list[str]) -> None:
    trusted = wording.finding_message("deployment", "no_code_signing", subject=Markup("`A_b`"), several=False,
                                      setting=Markup("*x*"))
    escaped = wording.finding_message("deployment", "no_code_signing", subject=Markup("`A_b`"), several=False,
                                      setting="*x*")
    assert "*x*" in trusted and "\\*x\\*" in escaped
    assert macro_calls.count("no_code_signing") == 2


@dataclass(frozen=True)
class _Place:
    kind: str
    line: int
    path: str | None
    principal: str | None = None


def test_values_that_are_not_plain_are_written_every_time(macro_calls: list[str]) -> None:
    values = {"subject": Markup("`Orders`"), "several": False, "targets": [_Place("api", 3, None)], "more": 0,
              "how": Markup("`AutoPublishAlias`")}
    first = wording.finding_message("deployment", "latest_only", **values)
    assert wording.finding_message("deployment", "latest_only", **values) == first
    assert macro_calls.count("latest_only") == 2


def test_forgetting_the_templates_forgets_the_messages(macro_calls: list[str]) -> None:
    values = {"subject": Markup("`Orders`"), "several": False, "setting": Markup("`X`")}
    wording.finding_message("deployment", "no_code_signing", **values)
    wording.forget_templates()
    wording.finding_message("deployment", "no_code_signing", **values)
    assert macro_calls.count("no_code_signing") == 2


def test_escapes_are_reused_and_keep_their_answer() -> None:
    markdown._remembered_code.cache_clear()
    markdown._remembered_text.cache_clear()
    name = "orders_handler*[1]"
    assert markdown.code(name) == markdown.code(name) == Markup("`orders_handler*[1]`")
    assert markdown.text(name) == markdown.text(name) == Markup("orders\\_handler\\*\\[1\\]")
    assert markdown._remembered_code.cache_info().hits == 1
    assert markdown._remembered_text.cache_info().hits == 1
    long = "x" * 5000                        # long values are escaped each time, never kept
    assert markdown.text(long) == Markup("x" * 4000 + "…")
    assert markdown._remembered_text.cache_info().currsize == 1


def test_a_fingerprint_is_hashed_once_until_its_fields_change(monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[bytes] = []
    sha256 = hashlib.sha256

    def counting(data: bytes) -> object:
        hashed.append(data)
        return sha256(data)

    monkeypatch.setattr(hashlib, "sha256", counting)         # findings.py asks hashlib.sha256 each time
    finding = Finding("LR400", Severity.NOTICE, "t", "m", "template.yaml", 3, function="Orders",
                      evidence="no-code-signing")
    first = finding.fingerprint
    assert [finding.fingerprint for _ in range(5)] == [first] * 5 and len(hashed) == 1
    finding.function = "Billing"              # a field the fingerprint hashes: hashed again
    assert finding.fingerprint != first and len(hashed) == 2
    finding.line = 9                          # not one of them
    assert finding.fingerprint == finding.fingerprint and len(hashed) == 2
    assert Finding("LR400", Severity.NOTICE, "t", "m", "template.yaml", 9, function="Billing",
                   evidence="no-code-signing") == finding        # what is kept is no field


def test_a_sentence_with_the_same_plain_values_is_said_once(macro_calls: list[str]) -> None:
    import datetime as dt

    said = [wording.sentence("rows.txt.j2", "runtime_key_date", event="deprecated", date=dt.date(2026, 6, 30))
            for _ in range(3)]
    assert said[0] == said[1] == said[2] and "2026" in said[0]
    assert macro_calls.count("runtime_key_date") == 1


def test_table_cells_are_escaped_once_per_value() -> None:
    markdown._remembered_code_cell.cache_clear()
    markdown._remembered_table_cell.cache_clear()
    assert markdown.code_cell("a|b") == markdown.code_cell("a|b") == Markup("`a\\|b`")
    assert markdown.table_cell("a|b") == markdown.table_cell("a|b") == Markup("a&#124;b")
    assert markdown._remembered_code_cell.cache_info().hits == 1
    assert markdown._remembered_table_cell.cache_info().hits == 1


def test_notice_groups_name_each_subject_once_in_order() -> None:
    from reviewer.review.summary_rows import notice_groups

    def notice(function: str | None, line: int) -> Finding:
        return Finding("LR400", Severity.NOTICE, "No code signing", "m", "template.yaml", line,
                       function=function, evidence="no-code-signing")

    findings = [notice(f"Fn{index % 700:03d}", index) for index in range(1400)] + [notice(None, 5)]
    (group,) = notice_groups(findings)
    assert group.count == 1401
    assert group.subjects == sorted({f"Fn{index:03d}" for index in range(700)} | {"template.yaml:5"})
    left_out = notice_groups(findings, {findings[0].fingerprint})
    assert left_out[0].count == 1399


def test_routes_split_a_template_once_and_still_honour_the_public_marker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.workspace import Workspace

    functions = "".join(f"""\
  Fn{index}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.main
      CodeUri: src
      Events:
        # {"lambda-review: public" if index == 3 else "an ordinary comment"}
        Get:
          Type: Api
          Properties: {{Path: /items/{index}, Method: get}}
""" for index in range(6))
    (tmp_path / "template.yaml").write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n" + functions)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def main(event, context):\n    return None\n")
    read: list[str] = []
    original = Workspace.read_text

    def counting(self: Workspace, rel: str, *args: object, **kwargs: object) -> str:
        read.append(rel)
        return original(self, rel, *args, **kwargs)

    monkeypatch.setattr(Workspace, "read_text", counting)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22",
          "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=out, stderr=io.StringIO())
    lr305 = [finding for finding in json.loads(out.getvalue())["findings"] if finding["rule_id"] == "LR305"]
    assert sorted((finding["function"], finding["severity"]) for finding in lr305) == [
        (f"Fn{index}", "notice" if index == 3 else "warning") for index in range(6)]
    # The inventory's read, the suppressions' and one for all six routes (it was one per route: 8).
    assert read.count("template.yaml") <= 3


def test_notice_groups_tell_apart_functions_of_one_name_in_two_files() -> None:
    """Two apps of a monorepo each declare `webHook`: the group names both, by file."""
    from reviewer.review.summary_rows import notice_groups

    findings = [Finding("LR400", Severity.NOTICE, "No code signing", "m", path, 3, function=name,
                        evidence="no-code-signing")
                for name, path in (("webHook", "app-a/stack.ts"), ("webHook", "app-b/stack.ts"),
                                   ("orders", "app-a/stack.ts"), ("orders", "app-a/stack.ts"))]
    (group,) = notice_groups(findings)
    assert group.count == 4
    assert group.subjects == ["orders", "webHook (app-a/stack.ts)", "webHook (app-b/stack.ts)"]
