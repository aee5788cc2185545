"""Recursion loops end to end: `lambda-review scan` on projects shaped like real SAM, CloudFormation,
Serverless and Terraform repositories finds the loops, stays quiet on near misses, and draws them."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path


from reviewer.cli import main
from scenario import git

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recursion"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sam-app"
RECURSION_RULES = ("LR200", "LR201", "LR202", "LR203", "LR204", "LR205")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def scan(path: Path) -> list[dict]:
    _, out = run("scan", str(path), "--format", "json", "--reference-date", "2026-06-01")
    return [finding for finding in json.loads(out)["findings"] if finding["rule_id"] in RECURSION_RULES]


def verdicts(path: Path) -> set[tuple[str, str, str, str]]:
    """(rule, severity, function, path:line) of every recursion finding."""
    return {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}") for f in scan(path)}


def related(finding: dict) -> set[str]:
    return {f"{place['path']}:{place['line']}" for place in finding["related"]}


# -- loops found, near misses quiet ------------------------------------------------------------


def test_s3_loops_through_the_client_and_the_resource_api_and_a_filter_that_keeps_output_out():
    assert verdicts(FIXTURES / "sam-s3-loops") == {
        ("LR201", "error", "ThumbnailFunction", "src/thumbnails/app.py:16"),
        ("LR201", "error", "ResizeFunction", "src/resize/images.py:12"),
        ("LR203", "notice", "FilteredFunction", "src/filtered/app.py:13"),
    }   # ArchiveFunction copies to another bucket: nothing


def test_a_loop_finding_points_at_the_write_and_carries_the_trigger_and_the_environment_line():
    thumbnail = next(f for f in scan(FIXTURES / "sam-s3-loops") if f["function"] == "ThumbnailFunction")
    assert related(thumbnail) == {"template.yaml:29", "template.yaml:27"}   # trigger, OUTPUT_BUCKET
    assert [step["action"] for step in thumbnail["loop"]] == ["invokes", "put_object"]
    assert "PhotosBucket" in thumbnail["message"] and "`thumbnails/`" in thumbnail["message"]


def test_a_filter_that_excludes_the_output_is_explained_as_safe_and_fragile():
    filtered = next(f for f in scan(FIXTURES / "sam-s3-loops") if f["rule_id"] == "LR203")
    assert "`processed/`" in filtered["message"] and "`incoming/`" in filtered["message"]
    assert "renaming the output prefix" in filtered["message"]
    assert "loop" not in filtered


def test_sqs_and_sns_loops_and_a_queue_that_forwards_elsewhere():
    assert verdicts(FIXTURES / "sam-messaging") == {
        ("LR201", "error", "RetryWorker", "src/retry/jobqueue.py:15"),
        ("LR202", "warning", "RetryWorker", "template.yaml:28"),
        ("LR201", "error", "NotifyFunction", "src/notify/notify.py:18"),
    }   # ForwardWorker sends to DoneQueue: nothing


def test_dynamodb_and_kinesis_stream_loops_and_a_read_only_stream_consumer():
    findings = scan(FIXTURES / "sam-streams")
    assert {(f["rule_id"], f["function"]) for f in findings} == {("LR201", "AuditFunction"),
                                                                 ("LR201", "MetricsFunction")}
    audit = next(f for f in findings if f["function"] == "AuditFunction")
    assert "does not cover DynamoDB streams" in audit["message"]


def test_eventbridge_and_self_invocation_with_and_without_a_depth_bound():
    assert verdicts(FIXTURES / "sam-events-invoke") == {
        ("LR201", "error", "OrderProcessor", "src/orders/processor.py:23"),
        ("LR200", "warning", "ChunkerFunction", "src/chunker/chunker.py:13"),   # `if rest:` ends the chain
        ("LR200", "warning", "CrawlerFunction", "src/crawler/crawler.py:15"),
    }   # ShippingFunction emits OrderShipped, DispatchFunction invokes WorkerFunction: nothing


def test_triggers_declared_on_other_resources_of_a_template():
    assert verdicts(FIXTURES / "cfn-event-resources") == {
        ("LR201", "error", "IngestFunction", "src/ingest/ingest.py:14"),        # EventSourceMapping
        ("LR203", "notice", "ProcessFunction", "src/process/process.py:10"),   # bucket notification
        ("LR201", "error", "EscalateFunction", "src/escalate/escalate.py:11"),  # topic Subscription
        ("LR201", "error", "BillingFunction", "src/billing/billing.py:9"),      # Events::Rule
    }   # AuditFunction publishes to a topic it is not subscribed to: nothing


def test_a_loop_through_two_functions_is_one_finding_listing_the_path():
    findings = scan(FIXTURES / "sam-cycle")
    assert [(f["rule_id"], f["function"]) for f in findings] == [("LR205", "ResubmitterFunction")]
    cycle = findings[0]
    assert related(cycle) == {"template.yaml:32", "src/validator/validator.py:13", "template.yaml:47"}
    assert [step["from"] for step in cycle["loop"]] == [
        "ResubmitterFunction", "SQS queue IncomingQueue", "ValidatorFunction", "SNS topic ResultsTopic"]
    # EnricherFunction -> ArchiveQueue -> ArchiverFunction ends: no cycle


def test_serverless_service_loops():
    assert verdicts(FIXTURES / "serverless-loops") == {
        ("LR201", "error", "normalize", "src/photos/normalize.py:12"),
        ("LR203", "notice", "preview", "src/photos/preview.py:12"),
        ("LR201", "error", "splitter", "src/jobs/splitter.py:13"),
        ("LR202", "warning", "splitter", "serverless.yml:63"),
    }   # finisher sends to ResultsQueue; preview's previews/ never reach its incoming/ filter


def test_terraform_module_loops():
    assert verdicts(FIXTURES / "terraform-loops") == {
        ("LR201", "error", "aws_lambda_function.resize", "src/resize/app.py:11"),
        ("LR202", "warning", "aws_lambda_function.resize", "infra/main.tf:59"),
        ("LR201", "error", "aws_lambda_function.worker", "src/worker/worker.py:13"),
    }   # forwarder sends to aws_sqs_queue.done


def test_writes_whose_target_cannot_be_followed_say_what_could_not_be_resolved():
    findings = {f["function"]: f for f in scan(FIXTURES / "sam-unresolved")}
    assert {f["rule_id"] for f in findings.values()} == {"LR204"}
    assert "CONFIG['output_bucket']" in findings["ConfiguredFunction"]["message"]
    assert "Fn::ImportValue" in findings["ImportedFunction"]["message"]


# -- what a reviewer sees -------------------------------------------------------------------------


_MERMAID_LINE = re.compile(
    r'^(flowchart LR|  n\d+\(\["[^"`<>]*"\]\)|  n\d+\[\("[^"`<>]*"\)\]|  n\d+ -->\|"[^"`<>|]*"\| n\d+)$')


def mermaid_blocks(markdown_text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)\n```", markdown_text, flags=re.S)


def test_the_example_app_shows_its_thumbnail_loop_as_a_diagram():
    code, out = run("scan", str(EXAMPLE), "--format", "markdown", "--reference-date", "2026-06-01")
    assert code == 1
    blocks = mermaid_blocks(out)
    assert len(blocks) == 1
    assert blocks[0].splitlines() == [
        "flowchart LR",
        '  n0[("S3 bucket UploadsBucket")]',
        '  n1(["ThumbnailFunction"])',
        '  n0 -->|"invokes, template.yaml:36"| n1',
        '  n1 -->|"put_object, src/thumbnails/app.py:20"| n0',
    ]


# No ":", "/", "?" or "#": the queue's ARN and URL must still name the same queue.
HOSTILE = 'Evil"]-->x[("pwn")] %%{init}%% ```<img src=x onerror=alert(1)> @octocat |'


def test_hostile_resource_names_cannot_escape_the_diagram(tmp_path):
    queue_arn = f"arn:aws:sqs:eu-west-1:123456789012:{HOSTILE}"
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        f"  {json.dumps('Fn' + HOSTILE)}:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      CodeUri: src\n"
        f"  Mapping:\n"
        "    Type: AWS::Lambda::EventSourceMapping\n"
        "    Properties:\n"
        f"      FunctionName: {json.dumps('Fn' + HOSTILE)}\n"
        f"      EventSourceArn: {json.dumps(queue_arn)}\n")
    (tmp_path / "src" / "app.py").write_text(
        "import boto3\n"
        f"URL = {('https://sqs.eu-west-1.amazonaws.com/123456789012/' + HOSTILE)!r}\n"
        "def handler(event, context):\n"
        "    boto3.client('sqs').send_message(QueueUrl=URL, MessageBody='again')\n")
    _, out = run("scan", str(tmp_path), "--format", "markdown", "--reference-date", "2026-06-01")
    blocks = mermaid_blocks(out)
    assert len(blocks) == 1, out
    for line in blocks[0].splitlines():
        assert _MERMAID_LINE.match(line), line
    assert "%%" not in blocks[0] and "#quot;" in blocks[0] and "-->x" not in blocks[0]
    assert out.count("```") % 2 == 0


def test_mermaid_labels_escape_everything_outside_a_small_safe_set():
    from reviewer.markdown import mermaid_label

    assert mermaid_label("S3 bucket Uploads_1, template.yaml:36") == "S3 bucket Uploads_1, template.yaml:36"
    assert mermaid_label('a"b') == "a#quot;b"
    assert mermaid_label("#quot;") == "#35;quot#59;"
    assert mermaid_label("line\nbreak\tand  spaces") == "line break and spaces"
    assert mermaid_label("`x`<b>|%%") == "#96;x#96;#60;b#62;#124;#37;#37;"
    assert mermaid_label("é→") == "#233;#8594;"
    assert len(mermaid_label("x" * 500)) == 80


def test_the_review_comments_on_the_template_line_the_change_touched(tmp_path):
    workspace = tmp_path / "repo"
    shutil.copytree(FIXTURES / "sam-s3-loops", workspace)
    template = workspace / "template.yaml"
    template.write_text(template.read_text().replace(
        "          OUTPUT_BUCKET: !Ref PhotosBucket", "          OUTPUT_BUCKET: !Ref ArchiveBucket"))
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    template.write_text(template.read_text().replace(
        "          OUTPUT_BUCKET: !Ref ArchiveBucket", "          OUTPUT_BUCKET: !Ref PhotosBucket"))
    git(workspace, "commit", "-q", "-am", "write thumbnails next to the photos")

    _, out = run("review", str(workspace), "--base", "HEAD~1", "--format", "json", "--reference-date", "2026-06-01")
    review = json.loads(out)
    inline = [c for c in review["inline"] if "LR201" in c["body"]]
    assert [(c["path"], c["line"]) for c in inline] == [("template.yaml", 27)]
    assert "ThumbnailFunction" in inline[0]["body"]
    assert "```mermaid" in review["summary_comment"] and "(new)" in review["summary_comment"]
    # the pre-existing loop of ResizeFunction is in the summary, not inline
    assert "ResizeFunction" in review["summary_comment"]


def test_an_ignore_comment_on_the_trigger_line_accepts_the_loop(tmp_path):
    workspace = tmp_path / "repo"
    shutil.copytree(FIXTURES / "sam-s3-loops", workspace)
    template = workspace / "template.yaml"
    lines = template.read_text().splitlines()
    assert lines[28].strip() == "Uploaded:"
    lines[28] += "  # lambda-review: ignore[LR201] thumbnails go to a prefix no consumer reads"
    template.write_text("\n".join(lines) + "\n")
    _, out = run("scan", str(workspace), "--format", "json", "--reference-date", "2026-06-01")
    report = json.loads(out)
    assert not any(f["rule_id"] == "LR201" and f["function"] == "ThumbnailFunction" for f in report["findings"])
    assert any(item["rule_id"] == "LR201" and "no consumer" in item["reason"]
               for item in report["summary"]["suppressed"])


def test_explain_documents_every_recursion_rule():
    for rule in RECURSION_RULES:
        code, out = run("explain", rule)
        assert code == 0 and "Flagged" in out and "invocation-recursion" in out


def test_triggers_of_other_resources_are_in_the_inventory_with_their_filters():
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    functions = {fn.name: fn for fn in build_inventory(Workspace(FIXTURES / "cfn-event-resources")).functions}
    summary = {name: [(t.kind, str(t.target), t.location.line) for t in fn.triggers] for name, fn in functions.items()}
    assert summary == {
        "IngestFunction": [("sqs", "IngestQueue", 22)],
        "ProcessFunction": [("s3", "UploadsBucket", 36)],
        "EscalateFunction": [("sns", "AlertsTopic", 62)],
        "AuditFunction": [("sns", "AuditTopic", 77)],   # the Subscription resource
        "BillingFunction": [("eventbridge", "None", 102)],
    }
    process = functions["ProcessFunction"].triggers[0].attributes
    assert (process["events"], process["prefix"], process["suffix"]) == (["s3:ObjectCreated:*"], "raw/", "")
    billing = functions["BillingFunction"].triggers[0].attributes
    assert billing["bus"] == "default" and billing["pattern"]["source"] == ["acme.billing"]


def test_malformed_event_wiring_gives_no_traceback(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: app.handler\n"
        "      CodeUri: .\n"
        "      RecursiveLoop: [Allow]\n"
        "      Environment: {Variables: {A: {'Fn::Sub': [1, 2]}, B: !Sub '${AWS::StackName}-${Nope.Arn}'}}\n"
        "      Events:\n"
        "        E1: {Type: S3, Properties: {Bucket: [1], Events: {x: 1}, Filter: {S3Key: {Rules: prefix}}}}\n"
        "        E2: {Type: EventBridgeRule, Properties: {Pattern: [1, 2], EventBusName: {'Fn::If': [c, a, b]}}}\n"
        "        E3: {Type: SQS, Properties: not-a-map}\n"
        "        E4: scalar\n"
        "  Bucket:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Properties:\n"
        "      NotificationConfiguration:\n"
        "        LambdaConfigurations: [1, x, {Function: [1]}, {Function: !GetAtt Fn.Arn,\n"
        "                               Filter: {S3Key: {Rules: [{Name: prefix, Value: !Ref X}]}}}]\n"
        "  Topic: {Type: AWS::SNS::Topic, Properties: {Subscription: x}}\n"
        "  Sub: {Type: AWS::SNS::Subscription, Properties: {Protocol: [lambda], Endpoint: !GetAtt Fn.Arn}}\n"
        "  Rule: {Type: AWS::Events::Rule, Properties: {Targets: {Arn: x}, EventPattern: str}}\n"
        "  Rule2: {Type: AWS::Events::Rule, Properties: {Targets: [{Arn: !Ref Fn}],\n"
        "                                               EventPattern: {source: [{numeric: ['>', 1]}]}}}\n"
        "  Map: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref Fn, EventSourceArn: [x]}}\n")
    (tmp_path / "app.py").write_text(
        "import os, boto3\n"
        "s3 = boto3.client('s3')\n"
        "def handler(event, context):\n"
        "    s3.put_object(Bucket=os.environ['A'], Key='k')\n"
        "    s3.put_object(Bucket=os.environ['B'], Key='k')\n"
        "    boto3.client('events').put_events(Entries=[{'Source': 'x', 'DetailType': 'y'}])\n")
    found = {(f["rule_id"], f["line"]) for f in scan(tmp_path)}
    assert found == {("LR204", 4), ("LR204", 5), ("LR204", 6)}
