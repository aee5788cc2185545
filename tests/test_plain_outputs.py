"""Text, JSON, SARIF and annotations carry plain text; Markdown (with the zero-width spaces and
backslashes that keep GitHub from linking, mentioning or rendering math) only reaches GitHub.

The sentences themselves read right: counted nouns agree with their number, a piece of code is
never quoted twice, and no class name of ours shows up where a template value is described.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer import markdown
from reviewer.cli import main
from reviewer.publish.actions import annotation
from reviewer.review.summary import left_out_note
from reviewer.workspace import unread_declaration_notice

OFFLINE = ["--osv-url", "http://127.0.0.1:9/v1/query"]
DAY = "2026-11-22"
SERVERLESS_TS = Path(__file__).parent / "fixtures" / "serverless" / "typescript-service"
RECURSION_FIXTURES = Path(__file__).parent / "fixtures" / "recursion"
ZWSP = "\u200b"

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    FunctionUrlConfig:
      AuthType: NONE
Resources:
  PhotosBucket:
    Type: AWS::S3::Bucket
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: orders/
  UsersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: users/
  RenameFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: rename/
      Environment:
        Variables:
          BUCKET: !Ref PhotosBucket
      Events:
        Uploaded:
          Type: S3
          Properties:
            Bucket: !Ref PhotosBucket
            Events: s3:ObjectCreated:*
            Filter:
              S3Key:
                Rules:
                  - Name: suffix
                    Value: .raw
  ListedFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: [python3.8]
      CodeUri: orders/
"""

RENAME = """\
import os

import boto3

BUCKET = os.environ["BUCKET"]


def handler(event, context):
    s3 = boto3.client("s3")
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        s3.put_object(Bucket=BUCKET, Key=key.strip().replace(".raw", ".txt"), Body=b"")
"""


def _repo(root: Path) -> Path:
    files = {
        "template.yaml": TEMPLATE,
        "orders/app.py": "def handler(event, context):\n    return {}\n",
        "orders/requirements.txt": "requests==2.31.0\n",
        "users/app.py": "def handler(event, context):\n    return {}\n",
        "users/requirements.txt": "requests==2.31.0\n",
        "rename/app.py": RENAME,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _run(*args: str) -> str:
    out = io.StringIO()
    main([*args, "--reference-date", DAY, "--fail-on", "never"], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _scan(root: Path, fmt: str) -> str:
    return _run("scan", str(root), "--format", fmt, *OFFLINE)


def _message(report: dict, rule_id: str) -> str:
    [message] = [f["message"] for f in report["findings"] if f["rule_id"] == rule_id]
    return message


# --- plain text where nothing renders Markdown ------------------------------------------------

def test_json_messages_and_notes_are_plain_text(tmp_path: Path) -> None:
    report = json.loads(_scan(_repo(tmp_path), "json"))
    audit = _message(report, "LR900")
    assert "the vulnerability service at http://127.0.0.1:9/v1/query could not be reached (Connection refused)" in audit
    for finding in report["findings"]:
        assert ZWSP not in finding["message"] and "\\(" not in finding["message"], finding["message"]
        assert "&#36;" not in finding["message"] and "&amp;" not in finding["message"]
    assert not [note for note in report["summary"]["notes"] if ZWSP in note or "\\" in note]


def test_text_and_sarif_outputs_are_plain_text(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    text = _scan(root, "text")
    assert ZWSP not in text and "http://127.0.0.1:9/v1/query" in text
    sarif = json.loads(_scan(root, "sarif"))
    messages = [result["message"]["text"] for result in sarif["runs"][0]["results"]]
    messages += [note["message"]["text"] for note in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any("http://127.0.0.1:9/v1/query" in message for message in messages)
    assert not [message for message in messages if ZWSP in message or "\\(" in message]


def test_markdown_for_github_keeps_its_defences(tmp_path: Path) -> None:
    summary = _scan(_repo(tmp_path), "markdown")
    assert "http:" + ZWSP + "//127.0.0.1:9" in summary and "http://127.0.0.1" not in summary


def test_a_mention_and_an_address_in_a_message_are_plain_in_annotations_and_json() -> None:
    report = json.loads(_run("scan", str(SERVERLESS_TS), "--format", "json"))
    messages = " ".join(f["message"] for f in report["findings"] if f["rule_id"] == "LR904")
    assert "imported from `@functions/hello`" in messages and ZWSP not in messages

    from reviewer.findings import Finding, Severity
    finding = Finding("LR900", Severity.NOTICE, "t", str(markdown.text("see https://example.com/x @team $HOME")),
                      "a.py", 1)
    assert annotation(finding, markdown.plain(finding.message)).endswith("::see https://example.com/x @team $HOME")


_PIECES = [*"ab :/.@w$&;#<>!-|\\`*_[]()~\n\t\x1b\u202e", "www", "://", "&amp;", "&#36;", "&lt;", "<!--"]
_HOSTILE = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_HOSTILE)
def test_plain_undoes_every_escape_text_makes(value: str) -> None:
    assert markdown.plain(markdown.text(value)) == " ".join(markdown.visible(value).split())


def test_plain_undoes_table_cell_and_keeps_code_spans_as_written() -> None:
    assert markdown.plain(str(markdown.table_cell("a|b (c)"))) == "a|b (c)"
    assert markdown.plain("run " + str(markdown.code("a\\(b) @x <!-- y"))) == "run `a\\(b) @x <!-- y`"


# --- code quoted once ---------------------------------------------------------------------------

def test_a_description_that_quotes_code_is_never_wrapped_in_a_second_code_span() -> None:
    rendered = str(markdown.quoted("'out/' + the result of `.replace()` on text"))
    assert rendered == "'out/' + the result of `.replace()` on text".replace("'", "'")
    assert "``" not in rendered and "\\`" not in rendered
    assert str(markdown.quoted("'out/' + event field Records[].s3.object.key")) == \
        "`'out/' + event field Records[].s3.object.key`"


def test_recursion_message_quotes_a_computed_key_once(tmp_path: Path) -> None:
    report = json.loads(_scan(_repo(tmp_path), "json"))
    [message] = [f["message"] for f in report["findings"]
                 if f["rule_id"].startswith("LR20") and f["function"] == "RenameFunction"]
    assert "the result of `.replace()` on text" in message and "``" not in message


def test_a_declaration_form_quoting_code_renders_as_code_spans() -> None:
    notice = unread_declaration_notice("serverless.ts", 19, "`hello`, imported from `@functions/hello`, which "
                                                           "the review does not follow")
    assert "statically: `hello`, imported from `@functions/hello`, which the review" in notice.message
    assert "\\`" not in notice.message


# --- wording -----------------------------------------------------------------------------------

def test_one_release_pinned_in_two_files_reads_in_the_singular(tmp_path: Path) -> None:
    audit = _message(json.loads(_scan(_repo(tmp_path), "json")), "LR900")
    assert "1 release pinned across 2 files was not checked for known vulnerabilities" in audit
    assert audit.endswith("lets the next run audit it.")


def test_left_out_note_counts_in_the_singular() -> None:
    assert left_out_note({"tests/test_a.py": "a test"}).startswith(
        "1 Python file in the functions' code directories is not shipped by any function and was not "
        "analysed (1 test file); set `scan-all-python: true` to include it.")
    note = left_out_note({"tests/test_a.py": "a test", "tools/x.py": "no handler imports it",
                          "tools/y.py": "no handler imports it"})
    assert "(1 test file, 2 files no handler imports)" in note


def test_a_public_url_shared_by_several_functions_is_plural(tmp_path: Path) -> None:
    message = _message(json.loads(_scan(_repo(tmp_path), "json")), "LR302")
    assert message.startswith("The function URLs of the functions `OrdersFunction`, ")
    assert " have auth type `NONE`" in message and "keeps the URLs private" in message


def test_a_list_where_a_runtime_belongs_is_named_without_our_class_names(tmp_path: Path) -> None:
    out = io.StringIO()
    main(["inventory", str(_repo(tmp_path)), "--format", "json"], stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    [listed] = [f for f in report["functions"] if f["name"] == "ListedFunction"]
    assert listed["unresolved"]["Runtime"] == "a list, not a runtime identifier"


def test_scan_text_counts_agree() -> None:
    text = _run("scan", str(SERVERLESS_TS), "--format", "text")
    assert "function(s)" not in text and "finding(s)" not in text


def test_a_headline_stops_at_the_end_of_the_message_s_first_paragraph(tmp_path: Path) -> None:
    """bandit's text for B113 has no full stop of its own: the row ends with bandit's parenthesis,
    not with the first word of the advice paragraph that follows it."""
    root = _repo(tmp_path)
    (root / "orders" / "app.py").write_text(
        "import requests\n\n\ndef handler(event, context):\n    return requests.get(event['url']).text\n")
    [row] = [line for line in _scan(root, "markdown").splitlines() if "bandit/B113" in line]
    cell = row.rstrip(" |").rsplit("|", 1)[-1].strip()
    assert cell.startswith("Call to requests without timeout")
    assert cell.endswith("confidence LOW.\\)"), cell


def test_a_notice_group_explains_its_rule_in_words_true_of_every_finding_in_it() -> None:
    """LR203 groups writes that an S3 filter excludes with writes a stream handler's own condition
    skips: the group's sentence is about the trigger, not about a bucket."""
    summary = _scan(RECURSION_FIXTURES / "sam-guarded-writes", "markdown")
    [group] = [line for line in summary.splitlines() if "**LR203**" in line]
    assert "`TallyFunction`" in group and "`GifFunction`" in group
    explanation = group.split(". ", 1)[1]
    assert "bucket" not in explanation and "resource that triggers it" in explanation, explanation
