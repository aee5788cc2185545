"""Recursion loops in code shaped like real projects: Node.js handlers (SDK v2 and v3, JavaScript
and TypeScript), inline code in templates, self-invocation by the function's own name, triggers
declared only as invoke permissions, loops through a second service, packaged code whose source
sits beside the declaration, and the near misses next to each that must stay quiet."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from reviewer.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "recursion"
RECURSION_RULES = ("LR200", "LR201", "LR202", "LR203", "LR204", "LR205")


def run(*args: str) -> str:
    out = io.StringIO()
    main(list(args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def scan(path: Path) -> list[dict]:
    out = run("scan", str(path), "--format", "json", "--reference-date", "2026-06-01")
    return [finding for finding in json.loads(out)["findings"] if finding["rule_id"] in RECURSION_RULES]


def verdicts(path: Path) -> set[tuple[str, str, str, str]]:
    return {(f["rule_id"], f["severity"], f["function"], f"{f['path']}:{f['line']}") for f in scan(path)}


def by_function(path: Path) -> dict[str, dict]:
    return {f["function"]: f for f in scan(path)}


def steps(finding: dict) -> list[tuple[str, str, str]]:
    return [(step["from"], step["action"], f"{step['path']}:{step['line']}") for step in finding["loop"]]


def test_node_handlers_through_sdk_v2_and_v3_and_their_near_misses():
    assert verdicts(FIXTURES / "sam-node-loops") == {
        ("LR201", "error", "ResizeFunction", "src/resize/index.js:11"),       # v2 putObject, event bucket
        ("LR201", "error", "ThumbsFunction", "src/thumbs/src/index.ts:12"),   # v3 send, dist/ mapped to src/
        ("LR203", "notice", "UploadFunction", "src/upload/app.mjs:9"),       # lib-storage, prefix excluded
        ("LR201", "error", "OrdersFunction", "src/orders/index.js:8"),        # lib-dynamodb on its stream
        ("LR200", "error", "SelfFunction", "src/self/app.js:7"),              # AWS_LAMBDA_FUNCTION_NAME
        ("LR200", "warning", "PagerFunction", "src/pager/index.js:10"),       # context.functionName, guarded
    }   # EncryptFunction writes to `${bucket}-encrypted`, ArchiveFunction to ArchiveBucket: nothing


def test_a_typescript_helper_module_gives_the_key_and_the_finding_names_what_was_read():
    thumbs = by_function(FIXTURES / "sam-node-loops")["ThumbsFunction"]
    assert "`OUTPUT_BUCKET`" in thumbs["message"] and "`thumbnails/`" in thumbs["message"]
    assert {"template.yaml:44", "template.yaml:42"} <= {f"{p['path']}:{p['line']}" for p in thumbs["related"]}


def test_a_guarded_self_invocation_names_the_guard_and_why_a_bound_past_16_passes_is_none():
    pager = by_function(FIXTURES / "sam-node-loops")["PagerFunction"]
    assert "`src/pager/index.js:7`" in pager["message"]
    assert "about 16 invocations" in pager["message"]
    assert "a condition that ends the chain only after more passes than that never takes effect" in pager["message"]
    assert "30" not in pager["message"]     # the sentence speaks of no bound the code does not have


def test_a_layer_imported_at_opt_nodejs_through_tsconfig_paths_is_read_for_the_loop():
    """The handler imports the layer's services by the path Lambda mounts them at; its package's
    tsconfig maps that path to the layer's sources, where the requeue is written. The alert
    handler calls the same service with another queue in its environment: nothing."""
    assert verdicts(FIXTURES / "sam-node-layer-paths") == {
        ("LR201", "error", "PushSenderFunction", "runtime/layers/base/src/services/pushsender.service.ts:15"),
    }


def test_inline_code_permission_triggers_and_loops_through_a_queue():
    assert verdicts(FIXTURES / "cfn-inline-permissions") == {
        ("LR201", "error", "RepublishFunction", "template.yaml:34"),   # ZipFile, topic ARN from the record
        ("LR200", "error", "RetryInline", "template.yaml:63"),         # InlineCode, invokedFunctionArn
        ("LR201", "warning", "CopyFunction", "src/copy/app.py:10"),    # AWS::Lambda::Permission only: filter unknown
        ("LR201", "error", "MetadataFunction", "src/meta/index.js:9"),  # bucket -> SQS -> function
        ("LR201", "warning", "FanoutFunction", "src/fanout/index.js:9"),  # topic -> SQS -> function, guarded
    }   # ForwardFunction publishes elsewhere, CopyOtherFunction copies out of OtherBucket, AsyncFunction
    #     writes to the bucket named `async-destination-${AWS::StackName}`, SideFunction's queue is not notified


def test_a_loop_through_a_queue_is_drawn_with_every_hop():
    finding = by_function(FIXTURES / "cfn-inline-permissions")["MetadataFunction"]
    assert steps(finding) == [
        ("S3 bucket IngestBucket", "notifies", "template.yaml:72"),
        ("SQS queue IngestQueue", "invokes", "template.yaml:125"),
        ("MetadataFunction", "send(PutObjectCommand)", "src/meta/index.js:9"),
    ]
    fanout = by_function(FIXTURES / "cfn-inline-permissions")["FanoutFunction"]
    assert steps(fanout) == [
        ("SNS topic FanoutTopic", "notifies", "template.yaml:164"),
        ("SQS queue FanoutQueue", "invokes", "template.yaml:178"),
        ("FanoutFunction", "send(PublishCommand)", "src/fanout/index.js:9"),
    ]
    assert "`src/fanout/index.js:8`" in fanout["message"]
    out = run("scan", str(FIXTURES / "cfn-inline-permissions"), "--format", "markdown",
              "--reference-date", "2026-06-01")
    block = next(b for b in re.findall(r"```mermaid\n(.*?)\n```", out, flags=re.S) if "IngestQueue" in b)
    assert '-->|"notifies, template.yaml:72"|' in block and '-->|"invokes, template.yaml:125"|' in block


def test_serverless_node_handlers_guard_filters_and_plain_loops():
    assert verdicts(FIXTURES / "serverless-node") == {
        ("LR201", "warning", "optimize", "src/handlers/optimize.js:13"),   # metadata marker checked first
        ("LR203", "notice", "convert", "src/handlers/convert.js:9"),       # .webp never matches .png
        ("LR201", "error", "strip", "src/handlers/strip.ts:8"),
    }
    optimize = by_function(FIXTURES / "serverless-node")["optimize"]
    assert "`src/handlers/optimize.js:10`" in optimize["message"] and "16 invocations" in optimize["message"]


def test_terraform_packages_are_read_from_the_source_beside_them():
    assert verdicts(FIXTURES / "terraform-packaged") == {
        ("LR201", "warning", "aws_lambda_function.copier", "infra/src/copier/index.mjs:7"),   # permission only
        ("LR200", "error", "aws_lambda_function.crawler", "infra/app.py:9"),
    }   # reporter's code is not in the repository


def test_a_bucket_known_only_from_an_invoke_permission_is_a_warning_saying_its_filter_is_unknown():
    """The notification is configured elsewhere (another stack, a custom resource): its prefix or
    suffix filter may keep the written keys out, so the loop is possible, not certain."""
    [copier] = [f for f in scan_all(FIXTURES / "terraform-packaged") if f["rule_id"] == "LR201"]
    assert copier["severity"] == "warning"
    assert "Only the invoke permission is declared here" in copier["message"]
    assert "Unless that filter keeps them out, every object it writes is a new upload event" in copier["message"]


def test_the_summary_says_whose_code_was_read_and_why_not():
    out = run("scan", str(FIXTURES / "terraform-packaged"), "--format", "markdown", "--reference-date", "2026-06-01")
    assert "Recursion check: code read for 2 of 3 functions" in out
    lines = {line.split(":", 1)[0]: line for line in out.splitlines() if line.startswith("- **aws\\_lambda\\_function.")}
    assert "**not read**, its code location is not in the repository \\(a package built" in \
        lines["- **aws\\_lambda\\_function.reporter** at `infra/main.tf"]
    assert "infra/src/copier/index.mjs" in lines["- **aws\\_lambda\\_function.copier** at `infra/main.tf"]


def test_an_unresolvable_target_is_a_notice_and_other_runtimes_are_listed_as_not_read(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Bucket: {Type: AWS::S3::Bucket}\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: nodejs22.x\n"
        "      Handler: app.handler\n"
        "      CodeUri: src\n"
        "      Events: {Up: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: 's3:ObjectCreated:*'}}}\n"
        "  Java:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: java21, Handler: a.B::handle, CodeUri: src}\n")
    (tmp_path / "src" / "app.js").write_text(
        "const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');\n"
        "const s3 = new S3Client({});\n"
        "exports.handler = async (event) => {\n"
        "  await s3.send(new PutObjectCommand({ Bucket: await lookupBucket(), Key: 'x' }));\n"
        "};\n")
    assert verdicts(tmp_path) == {("LR204", "notice", "Fn", "src/app.js:4")}
    out = run("scan", str(tmp_path), "--format", "markdown", "--reference-date", "2026-06-01")
    assert "**not read**, only Python and Node.js handlers are read, and the runtime is java21" in out


def test_another_handler_in_the_same_file_does_not_lend_its_writes(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Queue: {Type: AWS::SQS::Queue}\n"
        "  Consumer:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: nodejs22.x\n"
        "      Handler: handlers.consume\n"
        "      CodeUri: .\n"
        "      Environment: {Variables: {QUEUE_URL: !Ref Queue}}\n"
        "      Events: {Q: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}}\n"
        "  Producer:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: nodejs22.x\n"
        "      Handler: handlers.produce\n"
        "      CodeUri: .\n"
        "      Environment: {Variables: {QUEUE_URL: !Ref Queue}}\n")
    (tmp_path / "handlers.js").write_text(
        "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\n"
        "const sqs = new SQSClient({});\n"
        "async function enqueue(body) {\n"
        "  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }));\n"
        "}\n"
        "export const produce = async (event) => enqueue(JSON.stringify(event));\n"
        "export const consume = async (event) => { console.log(event.Records.length); };\n")
    assert verdicts(tmp_path) == set()
    (tmp_path / "handlers.js").write_text((tmp_path / "handlers.js").read_text().replace(
        "console.log(event.Records.length)", "await enqueue('again')"))
    assert verdicts(tmp_path) == {("LR201", "error", "Consumer", "handlers.js:4")}


def test_hostile_javascript_gives_no_traceback(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: .}\n")
    deep = "(" * 3000 + "x" + ")" * 3000
    (tmp_path / "app.js").write_text(
        "const a = b; const b = a; const c = require('./app');\n"
        f"const d = {deep};\n"
        "exports.handler = async (event) => { const s3 = new (require('aws-sdk').S3)(); s3.putObject(a); "
        "s3.putObject({...c, ...d}); };\n"
        "function f(x) { return f(x); }\nf(1);\n")
    assert {f["rule_id"] for f in scan(tmp_path)} <= {"LR204"}


def test_cdk_inline_code_is_read_at_the_stack_source_lines():
    assert verdicts(FIXTURES / "cdk-python-inline") == {
        ("LR200", "error", "InlineSelfInvoker", "stacks/queue_stack.py:34"),
    }   # RequeueFunction sends to a queue, but nothing triggers it
    out = run("scan", str(FIXTURES / "cdk-python-inline"), "--format", "markdown", "--reference-date", "2026-06-01")
    assert "read (Python, inline code in stacks/queue\\_stack.py)" in out


def test_self_invocation_through_an_alias_and_a_dispatch_condition(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Api:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: nodejs22.x, Handler: api.handler, CodeUri: ., AutoPublishAlias: live}\n"
        "  Batch:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.13, Handler: batch.handler, CodeUri: .}\n")
    (tmp_path / "api.js").write_text(
        "const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');\n"
        "const lambda = new LambdaClient({});\n"
        "exports.handler = async (event) => {\n"
        "  if (event.mode !== 'worker') {\n"
        "    await lambda.send(new InvokeCommand({\n"
        "      FunctionName: `${process.env.AWS_LAMBDA_FUNCTION_NAME}:live`,\n"
        "      InvocationType: 'Event', Payload: JSON.stringify({ ...event, mode: 'worker' }) }));\n"
        "    return { statusCode: 202 };\n"
        "  }\n"
        "};\n")
    (tmp_path / "batch.py").write_text(
        "import boto3\n"
        "client = boto3.client('lambda')\n"
        "def handler(event, context):\n"
        "    client.invoke(FunctionName=f'{context.invoked_function_arn}', InvocationType='Event')\n")
    found = {f["function"]: f for f in scan(tmp_path)}
    assert {(f["rule_id"], f["severity"], f["line"]) for f in found.values()} == {
        ("LR200", "warning", 5), ("LR200", "error", 4)}
    assert "`api.js:4`" in found["Api"]["message"]


def test_cdk_typescript_inline_code_and_nodejs_function_entries_are_read():
    assert verdicts(FIXTURES / "cdk-typescript-inline") == {("LR200", "error", "Poller", "lib/poller-stack.ts:17")}
    out = run("scan", str(FIXTURES.parent / "cdk" / "typescript-app"), "--format", "markdown",
              "--reference-date", "2026-06-01")
    assert "**Checkout** at `lib/checkout-stack.ts:29`: read (JavaScript/TypeScript, lambda/checkout.ts)" in out
    assert "**Health** at `lib/checkout-stack.ts:34`: read (JavaScript/TypeScript, inline code in" in out


def test_the_json_summary_lists_the_loop_check_coverage():
    out = run("scan", str(FIXTURES / "terraform-packaged"), "--format", "json", "--reference-date", "2026-06-01")
    coverage = {row["function"]: row for row in json.loads(out)["summary"]["loop_coverage"]}
    assert coverage["aws_lambda_function.reporter"]["read"] is False
    assert coverage["aws_lambda_function.crawler"]["read"] is True
    assert "infra/app.py" in coverage["aws_lambda_function.crawler"]["detail"]


def test_a_configured_name_with_a_constant_suffix_is_compared_by_name(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Uploads: {Type: AWS::S3::Bucket}\n"
        "  Named: {Type: AWS::S3::Bucket, Properties: {BucketName: acme}}\n"
        "  NamedOut: {Type: AWS::S3::Bucket, Properties: {BucketName: acme-out}}\n"
        "  Quiet:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: app.handler\n"
        "      CodeUri: src\n"
        "      Environment: {Variables: {BUCKET: !Ref Uploads}}\n"
        "      Events: {Up: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}}\n"
        "  Loops:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: app.handler\n"
        "      CodeUri: src\n"
        "      Environment: {Variables: {BUCKET: !Ref Named}}\n"
        "      Events: {Up: {Type: S3, Properties: {Bucket: !Ref NamedOut, Events: 's3:ObjectCreated:*'}}}\n")
    (tmp_path / "src" / "app.py").write_text(
        "import os\nimport boto3\n\n\ndef handler(event, context):\n"
        "    boto3.client('s3').put_object(Bucket=f\"{os.environ['BUCKET']}-out\", Key='k')\n")
    assert verdicts(tmp_path) == {("LR201", "error", "Loops", "src/app.py:6")}


def test_node_handlers_that_leave_files_in_tmp_are_flagged_and_cleaners_are_not(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Export:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: nodejs22.x, Handler: export.handler, CodeUri: src}\n"
        "  Clean:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: nodejs22.x, Handler: clean.handler, CodeUri: src}\n")
    (tmp_path / "src" / "export.js").write_text(
        "const fs = require('fs');\nconst path = require('path');\nconst os = require('os');\n"
        "exports.handler = async (event) => {\n"
        "  const file = path.join(os.tmpdir(), `${event.id}.csv`);\n"
        "  fs.writeFileSync(file, event.rows.join('\\n'));\n"
        "  fs.writeFileSync('./relative.txt', 'not under /tmp');\n"
        "};\n")
    (tmp_path / "src" / "clean.mjs").write_text(
        "import { writeFile, rm } from 'node:fs/promises';\n"
        "export const handler = async (event) => {\n"
        "  await writeFile(`/tmp/${event.id}`, 'x');\n"
        "  await rm(`/tmp/${event.id}`);\n"
        "};\n")
    out = run("scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01")
    found = [f for f in json.loads(out)["findings"] if f["rule_id"] == "LR402"]
    assert [(f["function"], f"{f['path']}:{f['line']}") for f in found] == [("Export", "src/export.js:6")]
    assert "`fs.rm`" in found[0]["message"]


def test_a_triggered_function_whose_code_is_not_found_gets_a_notice():
    [notice] = [f for f in scan_all(FIXTURES / "terraform-packaged") if f["rule_id"] == "LR206"]
    assert (notice["severity"], notice["function"], notice["path"], notice["line"]) == (
        "notice", "aws_lambda_function.reporter", "infra/main.tf", 41)
    assert "an S3 bucket" in notice["message"] and "not in the repository" in notice["message"]


def scan_all(path: Path) -> list[dict]:
    return json.loads(run("scan", str(path), "--format", "json", "--reference-date", "2026-06-01"))["findings"]


def test_a_module_read_once_per_root_gets_one_unread_code_notice_naming_each_function(tmp_path):
    """Two root modules call one module whose function is triggered by a bucket and whose code is
    built elsewhere: one LR206 at the module's line, naming both functions, not one per root."""
    module = tmp_path / "modules" / "reporter"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        'resource "aws_s3_bucket" "reports" {\n  bucket = "acme-reports"\n}\n\n'
        'resource "aws_lambda_function" "reporter" {\n  function_name = "reporter"\n  runtime = "python3.12"\n'
        '  handler = "reporter.handler"\n  filename = "build/reporter.zip"\n'
        '  role = "arn:aws:iam::123456789012:role/reporter"\n}\n\n'
        'resource "aws_lambda_permission" "reports_invoke" {\n  action = "lambda:InvokeFunction"\n'
        '  function_name = aws_lambda_function.reporter.function_name\n  principal = "s3.amazonaws.com"\n'
        '  source_arn = aws_s3_bucket.reports.arn\n}\n')
    for env in ("dev", "prod"):
        (tmp_path / "envs" / env).mkdir(parents=True)
        (tmp_path / "envs" / env / "main.tf").write_text('module "reporter" {\n  source = "../../modules/reporter"\n}\n')
    [notice] = [f for f in scan_all(tmp_path) if f["rule_id"] == "LR206"]
    assert (notice["path"], notice["line"], notice["function"]) == ("modules/reporter/main.tf", 9, None)   # filename
    assert notice["message"].startswith("The functions `envs/dev:module.reporter.aws_lambda_function.reporter` and "
                                        "`envs/prod:module.reporter.aws_lambda_function.reporter` are triggered by "
                                        "an S3 bucket, but the loop check could not read the code of the "
                                        "declaration they share: its code location is not in the repository")
    # One declaration's reason under a plural subject: no singular "its trigger" left over.
    assert "A write in that code back to their trigger would go unnoticed." in notice["message"]
    assert "could not read their code" not in notice["message"]


def test_a_cycle_through_a_bucket_known_only_from_a_permission_may_loop(tmp_path):
    """Export writes to a bucket whose notification (configured elsewhere) invokes Process, which
    sends to the queue Export consumes: a possible cycle, a warning that says which step is unsure."""
    (tmp_path / "export").mkdir()
    (tmp_path / "process").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Data: {Type: AWS::S3::Bucket}\n  Jobs: {Type: AWS::SQS::Queue}\n"
        "  Export:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      CodeUri: export/\n      Handler: app.handler\n      Runtime: python3.13\n"
        "      Environment: {Variables: {BUCKET: !Ref Data}}\n"
        "      Events: {Job: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}\n"
        "  Process:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      CodeUri: process/\n      Handler: app.handler\n      Runtime: python3.13\n"
        "      Environment: {Variables: {QUEUE: !Ref Jobs}}\n"
        "  DataInvokesProcess:\n    Type: AWS::Lambda::Permission\n    Properties:\n"
        "      Action: lambda:InvokeFunction\n      FunctionName: !Ref Process\n"
        "      Principal: s3.amazonaws.com\n      SourceArn: !GetAtt Data.Arn\n")
    (tmp_path / "export" / "app.py").write_text(
        "import os\nimport boto3\ns3 = boto3.client('s3')\n\n\ndef handler(event, context):\n"
        "    s3.put_object(Bucket=os.environ['BUCKET'], Key='out.csv', Body=b'')\n")
    (tmp_path / "process" / "app.py").write_text(
        "import os\nimport boto3\nsqs = boto3.client('sqs')\n\n\ndef handler(event, context):\n"
        "    sqs.send_message(QueueUrl=os.environ['QUEUE'], MessageBody='again')\n")
    [cycle] = [f for f in scan_all(tmp_path) if f["rule_id"] == "LR205"]
    assert cycle["severity"] == "warning"
    assert cycle["message"].startswith("These functions may trigger each other in a loop: ")
    assert "an invoke permission whose notification, and its filter, are configured elsewhere" in cycle["message"]


def test_a_handler_missing_from_the_root_folder_is_said_in_words(tmp_path):
    (tmp_path / "serverless.yml").write_text(
        "service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n"
        "  f:\n    handler: handler.main\n    events: [{s3: uploads}]\n")
    [notice] = [f for f in scan_all(tmp_path) if f["rule_id"] == "LR206"]
    assert "is not in the repository's root folder." in notice["message"] and "is not in ." not in notice["message"]


def test_a_go_function_on_an_event_bus_gets_no_advice_to_keep_its_source_beside_it(tmp_path):
    """A `provided.al2` (Go) function triggered by EventBridge: its code is not read whatever its
    location, so the notice does not say that keeping the source beside the declaration helps."""
    (tmp_path / "resolver").mkdir()
    (tmp_path / "resolver" / "serverless.yml").write_text(
        "service: resolver\nprovider:\n  name: aws\n  runtime: provided.al2\n"
        "functions:\n  acceptTerm:\n    handler: bootstrap\n    package:\n      artifact: dist/accept/accept.zip\n"
        "    events:\n      - eventBridge:\n          eventBus: terms\n          pattern:\n"
        "            source:\n              - terms.manager\n")
    [notice] = [f for f in scan_all(tmp_path) if f["rule_id"] == "LR206"]
    assert "the runtime is provided.al2" in notice["message"]
    assert "beside the declaration" not in notice["message"]
    assert notice["message"].endswith("ruling one out is left to a reader of the code.")
