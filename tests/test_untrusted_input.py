"""LR306: event data reaching dangerous sinks, run for real through `lambda-review scan`.

The handler fixtures mark each line that must be reported with a trailing `LR306` comment and
each twin that must not (sanitised, parameterised, constant) with `no-LR306`; the test compares
the marks with the findings, line by line, in both directions.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.findings import Finding, Severity
from reviewer.publish.sarif import to_sarif

FIXTURES = Path(__file__).parent / "fixtures" / "untrusted"
OFFLINE = ["--osv-url", "http://127.0.0.1:9/v1/query"]
_MARK = re.compile(r"(#|//) (no-)?LR306\s*$")


def scan(root: Path, *extra: str) -> dict:
    out = io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-01-01", *OFFLINE, *extra],
                stdout=out, stderr=io.StringIO())
    assert code in (0, 1)
    return json.loads(out.getvalue())


def marks(root: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    wanted, unwanted = set(), set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = _MARK.search(line)
            if match:
                (unwanted if match.group(2) else wanted).add((rel, number))
    return wanted, unwanted


def taint_lines(report: dict) -> set[tuple[str, int]]:
    return {(f["path"], f["line"]) for f in report["findings"] if f["rule_id"] == "LR306"}


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_every_marked_sink_is_reported_and_every_safe_twin_is_not(tmp_path, language):
    root = tmp_path / "handlers"
    shutil.copytree(FIXTURES / "handlers" / language, root)
    wanted, unwanted = marks(root)
    assert len(wanted) >= 12 and len(unwanted) >= 12
    found = taint_lines(scan(root))
    assert wanted - found == set(), "vulnerable lines not reported"
    assert found & unwanted == set(), "safe lines reported"
    assert found - wanted == set(), "lines reported without a mark"


def test_a_declared_function_names_the_event_field_both_lines_and_the_function(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "sam-app", root)
    report = scan(root)
    by_place = {(f["path"], f["line"]): f for f in report["findings"] if f["rule_id"] == "LR306"}
    command = by_place[("src/thumbs/imaging.py", 7)]          # reached through the imported helper
    assert command["function"] == "ThumbnailFunction" and command["severity"] == "error"
    assert "`evt['body']`" in command["message"] and "src/thumbs/app.py:11" in command["message"]
    assert command["related"] == [{"path": "src/thumbs/app.py", "line": 11}]
    assert "shlex.quote" in command["message"]                 # how to pass the value safely
    search = by_place[("src/search/search.js", 9)]
    assert search["function"] == "SearchFunction" and "event.queryStringParameters.q" in search["message"]
    assert "query parameter" in search["message"]


def test_bandit_and_lr306_on_one_line_give_one_finding_that_cites_bandit(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "sam-app", root)
    findings = scan(root)["findings"]
    on_line = [f for f in findings if (f["path"], f["line"]) == ("src/thumbs/imaging.py", 7)]
    assert [f["rule_id"] for f in on_line] == ["LR306"]
    assert "`bandit/B602`" in on_line[0]["message"]
    # bandit findings about something else on a tainted line stay: a request without a timeout.
    request_line = [f["rule_id"] for f in findings if (f["path"], f["line"]) == ("src/thumbs/app.py", 13)]
    assert sorted(request_line) == ["LR306", "bandit/B113"]


def test_without_the_event_flow_bandit_keeps_its_own_finding(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "sam-app", root)
    helper = root / "src/thumbs/imaging.py"
    helper.write_text(helper.read_text().replace("{photo}", "/tmp/in.png"))
    findings = scan(root)["findings"]
    on_line = [f["rule_id"] for f in findings if (f["path"], f["line"]) == ("src/thumbs/imaging.py", 7)]
    assert on_line == ["bandit/B602"]


def test_sarif_tags_lr306_with_its_cwe_ids():
    finding = Finding(rule_id="LR306", severity=Severity.ERROR, title="t", message="m", path="a.py", line=3)
    [rule] = to_sarif([finding])["runs"][0]["tool"]["driver"]["rules"]
    tags = rule["properties"]["tags"]
    for cwe in (78, 94, 89, 502, 79, 918):
        assert f"external/cwe/cwe-{cwe}" in tags


def test_rules_and_explain_list_lr306_with_examples():
    out = io.StringIO()
    assert main(["explain", "LR306"], stdout=out, stderr=io.StringIO()) == 0
    text = out.getvalue()
    assert "Flagged" in text and "os.system" in text and "Not flagged" in text and "subprocess.run([" in text
    listing = io.StringIO()
    assert main(["rules"], stdout=listing, stderr=io.StringIO()) == 0
    assert "LR306" in listing.getvalue() and "LR305" in listing.getvalue()


def test_switching_lr306_off_gives_bandit_its_own_finding_back(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "sam-app", root)
    (root / ".lambda-review.yml").write_text("severity:\n  LR306: off\n")
    findings = scan(root)["findings"]
    on_line = [f["rule_id"] for f in findings if (f["path"], f["line"]) == ("src/thumbs/imaging.py", 7)]
    assert on_line == ["bandit/B602"]


def test_a_pull_request_reads_only_the_handlers_it_touches(tmp_path):
    from reviewer.analyzers.interface import ChangeFocus
    from reviewer.config import resolve_settings
    from reviewer.scan import scan_checkout

    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "sam-app", root)
    shutil.copytree(FIXTURES / "handlers" / "python", root / "tools")        # handler files no template declares
    settings = resolve_settings(root, None, osv_url=OFFLINE[1], reference_date="2026-01-01")

    def taint_paths(changed: set[str]) -> set[str]:
        result = scan_checkout(root, settings, focus=ChangeFocus(frozenset(changed)))
        return {finding.path for finding in result.findings if finding.rule_id == "LR306"}

    assert taint_paths({"src/search/search.js"}) == {"src/search/search.js"}
    assert taint_paths({"tools/web.py"}) == {"tools/web.py"}
    assert taint_paths({"src/thumbs/imaging.py"}) == {"src/thumbs/app.py", "src/thumbs/imaging.py"}


def test_a_serverless_handler_given_as_a_path_keeps_its_function(tmp_path):
    """`handler: web/handler.hello` is `web/handler.py` in the service directory, like `web.handler.hello`."""
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "handler.py").write_text(
        "import subprocess\n\n\ndef hello(event, context):\n"
        "    name = event['queryStringParameters']['name']\n"
        "    subprocess.run(f'echo {name}', shell=True)\n"
        "    return {'statusCode': 200}\n")
    (tmp_path / "serverless.yml").write_text(
        "service: greeter\nprovider:\n  name: aws\n  runtime: python3.12\n"
        "functions:\n  hello:\n    handler: web/handler.hello\n")
    [finding] = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR306"]
    assert (finding["path"], finding["line"], finding["function"]) == ("web/handler.py", 6, "hello")


def test_a_cdk_nodejs_function_entry_file_keeps_its_function(tmp_path):
    """`new NodejsFunction(this, 'Update', {entry: 'lambdas/update-one.ts'})`: the export is `handler`."""
    (tmp_path / "lambdas").mkdir()
    (tmp_path / "lambdas" / "update-one.ts").write_text(
        "import { execSync } from 'child_process';\n\n"
        "export const handler = async (event: any): Promise<any> => {\n"
        "  const id = event.pathParameters.id;\n"
        "  execSync(`touch /tmp/${id}`);\n"
        "  return { statusCode: 204 };\n};\n")
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node index.ts"}\n')
    (tmp_path / "index.ts").write_text(
        "import * as cdk from 'aws-cdk-lib';\n"
        "import { Runtime } from 'aws-cdk-lib/aws-lambda';\n"
        "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n\n"
        "export class ItemsStack extends cdk.Stack {\n"
        "  constructor(app: cdk.App, id: string) {\n    super(app, id);\n"
        "    new NodejsFunction(this, 'updateItemFunction', {\n"
        "      entry: 'lambdas/update-one.ts',\n      runtime: Runtime.NODEJS_22_X,\n    });\n  }\n}\n")
    [finding] = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR306"]
    assert (finding["path"], finding["line"], finding["function"]) == (
        "lambdas/update-one.ts", 5, "updateItemFunction")


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_each_fix_shows_the_calls_of_the_handler_s_own_language(tmp_path, language):
    """A JavaScript handler is not told to call `subprocess.run` or `shlex.quote`, nor a Python one
    `execFile`: the advice of every finding is written in the language of its file."""
    root = tmp_path / "handlers"
    shutil.copytree(FIXTURES / "handlers" / language, root)
    fixes = [f["message"].split("**How to fix:**", 1)[1] for f in scan(root)["findings"] if f["rule_id"] == "LR306"]
    assert fixes
    foreign = ("execFile", "JSON.parse", "client.query", "$1") if language == "python" else \
        ("subprocess", "shlex", "json.loads", "cursor.execute", "html.escape", "yaml.safe_load")
    assert not [fix for fix in fixes if any(word in fix for word in foreign)]


def test_a_handler_wrapped_at_module_level_is_read_without_stopping(tmp_path):
    """`export const main = middy(async (event) => ...)`: the wrapped handler is read while the
    module's statements are, and its SQL call is judged then (it stopped the check with LR900)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handler.ts").write_text(
        "import middy from '@middy/core';\nimport 'mysql2/promise';\nimport Store from './store';\n\n"
        "export const main = middy(async (event: any) => {\n"
        "  const store = new Store();\n"
        "  await store.query(`SELECT * FROM orders WHERE id = ${event.pathParameters.id}`);\n"
        "  return { statusCode: 200 };\n});\n")
    (tmp_path / "serverless.yml").write_text(
        "service: orders\nprovider:\n  name: aws\n  runtime: nodejs22.x\n"
        "functions:\n  show:\n    handler: src/handler.main\n")
    findings = scan(tmp_path)["findings"]
    assert not [f for f in findings if f["rule_id"] == "LR900"]
    assert [(f["path"], f["line"]) for f in findings if f["rule_id"] == "LR306"] == [("src/handler.ts", 7)]


def test_a_route_parameter_is_named_as_coming_from_the_path_only_when_the_path_has_it(tmp_path):
    """FastAPI fills `name` from `/files/{name}` but `copies` from the query string: the finding
    must not say a query value came from the path."""
    root = tmp_path / "handlers"
    root.mkdir()
    shutil.copy(FIXTURES / "handlers" / "python" / "fastapi_routes.py", root)
    line = next(number for number, text in enumerate((root / "fastapi_routes.py").read_text().splitlines(), 1)
                if "fetch {name}" in text)
    by_line = {f["line"]: f["message"] for f in scan(root)["findings"] if f["rule_id"] == "LR306"}
    assert "`name (from the request path)`" in by_line[line]
    source = (root / "fastapi_routes.py").read_text().replace('@app.get("/files/{name}")', '@app.get("/files")')
    (root / "fastapi_routes.py").write_text(source)
    by_line = {f["line"]: f["message"] for f in scan(root)["findings"] if f["rule_id"] == "LR306"}
    assert "`name (from the request)`" in by_line[line] and "request path" not in by_line[line]


def test_a_declared_handlers_extra_parameters_keep_their_defaults_not_event_data(tmp_path):
    """`def main(event=None, context=None, http_client=None)`: a handler that takes its clients as
    parameters for its tests (LBHackney-IT/Data-Platform's shape). Lambda passes only the event and
    the context, so a URL built from the client's answer is no request value; the event still is."""
    (tmp_path / "lambdas" / "timesheets").mkdir(parents=True)
    (tmp_path / "lambdas" / "timesheets" / "main.py").write_text(
        "import os\n\nimport boto3\nimport requests\n\n\n"
        "def fetch(endpoint, key):\n    return requests.post(endpoint, data={'k': key}, timeout=5)\n\n\n"
        "def main(event=None, context=None, s3_client=None, ssm_client=None):\n"
        "    ssm_client = ssm_client or boto3.client('ssm')\n"
        "    endpoint = ssm_client.get_parameter(Name=os.environ['ENDPOINT'])['Parameter']['Value']\n"
        "    fetch(endpoint, 'x')\n"
        "    requests.get(event['callback'], timeout=5)\n")
    (tmp_path / "main.tf").write_text(
        'resource "aws_lambda_function" "timesheets" {\n  function_name = "timesheets"\n'
        '  role = "arn:aws:iam::111122223333:role/t"\n  handler = "main.main"\n  runtime = "python3.12"\n'
        '  filename = "lambdas/timesheets.zip"\n}\n\n'
        'data "archive_file" "timesheets" {\n  type = "zip"\n  source_dir = "lambdas/timesheets"\n'
        '  output_path = "lambdas/timesheets.zip"\n}\n')
    lines = [f["line"] for f in scan(tmp_path)["findings"] if f["rule_id"] == "LR306"]
    assert lines == [15]
