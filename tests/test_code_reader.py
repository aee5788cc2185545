"""The static reader of handler code: every way boto3 writes are made, found without running the code."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.code.modules import MAX_MODULES, parse_handler
from reviewer.code.reader import CodeReading, read_function_code
from reviewer.inventory import build_inventory
from reviewer.model import Function, Location
from reviewer.workspace import Workspace


def read(tmp_path: Path, files: dict[str, str], handler: str = "app.handler", runtime: str | None = "python3.12",
         code_path: str = "src") -> CodeReading:
    for rel, text in files.items():
        path = tmp_path / code_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    function = Function(name="Fn", format="sam", location=Location("template.yaml", 1), runtime=runtime,
                        handler=handler, code_path=code_path)
    return read_function_code(Workspace(tmp_path), function)


def writes(reading: CodeReading) -> set[tuple[str, str]]:
    return {(write.call, write.target.describe()) for write in reading.writes}


def keys(reading: CodeReading) -> set[str]:
    return {write.key.describe() for write in reading.writes if write.key is not None}


# -- how clients are made ----------------------------------------------------------------------


def test_module_level_client_with_a_literal_bucket(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        s3 = boto3.client("s3")
        def handler(event, context):
            s3.put_object(Bucket="photos", Key="a.txt", Body=b"")
    """})
    assert writes(reading) == {("s3.put_object", "'photos'")}
    assert reading.writes[0].location == Location("src/app.py", 5)
    assert reading.handler_path == "src/app.py"


def test_clients_from_sessions_and_from_imported_factories(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        import boto3 as aws
        from boto3 import client as make_client
        from boto3.session import Session

        def handler(event, context):
            boto3.session.Session().client("sqs").send_message(QueueUrl="q1", MessageBody="x")
            session = aws.Session(region_name="eu-west-1")
            session.client("sqs").send_message(QueueUrl="q2", MessageBody="x")
            make_client("sqs").send_message(QueueUrl="q3", MessageBody="x")
            Session().client(service_name="sqs").send_message(QueueUrl="q4", MessageBody="x")
    """})
    assert writes(reading) == {("sqs.send_message", f"'q{n}'") for n in range(1, 5)}


def test_resource_objects_bucket_object_table_and_batch_writer(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        s3 = boto3.resource("s3")
        table = boto3.resource("dynamodb").Table("orders")

        def handler(event, context):
            s3.Bucket("b1").put_object(Key="k1", Body=b"")
            s3.Object("b2", "k2").put(Body=b"")
            s3.Bucket("b3").Object("k3").upload_file("/tmp/f")
            table.update_item(Key={"pk": "1"})
            with table.batch_writer() as batch:
                batch.put_item(Item={"pk": "2"})
    """})
    assert writes(reading) == {
        ("s3.Bucket.put_object", "'b1'"), ("s3.Object.put", "'b2'"), ("s3.Object.upload_file", "'b3'"),
        ("dynamodb.Table.update_item", "'orders'"), ("dynamodb.BatchWriter.put_item", "'orders'"),
    }
    assert keys(reading) == {"'k1'", "'k2'", "'k3'"}


def test_client_bound_to_an_attribute_in_init_and_used_in_another_method(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        import boto3

        class Store:
            def __init__(self, bucket):
                self.s3 = boto3.client("s3")
                self.bucket = bucket

            def save(self, key, body):
                self.s3.put_object(Bucket=self.bucket, Key=key, Body=body)

        store = Store(os.environ["OUTPUT_BUCKET"])

        def handler(event, context):
            store.save("out/" + event["id"], b"")
    """})
    assert writes(reading) == {("s3.put_object", "environment variable OUTPUT_BUCKET")}
    assert keys(reading) == {"'out/' + event field id"}


def test_lazily_created_global_client_property_and_meta_client(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import functools
        import boto3

        _sns = None

        def sns():
            global _sns
            if _sns is None:
                _sns = boto3.client("sns")
            return _sns

        @functools.lru_cache
        def dynamodb():
            return boto3.resource("dynamodb").meta.client

        class Publisher:
            @property
            def client(self):
                return boto3.client("sns")

            def send(self):
                self.client.publish(TopicArn="arn:aws:sns:eu-west-1:123456789012:b", Message="m")

        def handler(event, context):
            sns().publish(TopicArn="arn:aws:sns:eu-west-1:123456789012:a", Message="m")
            dynamodb().put_item(TableName="t", Item={})
            Publisher().send()
    """})
    assert writes(reading) == {
        ("sns.publish", "'arn:aws:sns:eu-west-1:123456789012:a'"),
        ("sns.publish", "'arn:aws:sns:eu-west-1:123456789012:b'"),
        ("dynamodb.put_item", "'t'"),
    }


# -- operations and their targets --------------------------------------------------------------


def test_s3_copy_upload_and_positional_arguments(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        s3 = boto3.client("s3")
        def handler(event, context):
            s3.upload_file("/tmp/a", "b1", "k1")
            s3.upload_fileobj(Fileobj=open("/tmp/a", "rb"), Bucket="b2", Key="k2")
            s3.copy({"Bucket": "src", "Key": "x"}, "b3", "k3")
            s3.copy_object(CopySource="src/x", Bucket="b4", Key="k4")
            s3.get_object(Bucket="b5", Key="k5")
            s3.delete_object(Bucket="b6", Key="k6")
    """})
    assert writes(reading) == {("s3.upload_file", "'b1'"), ("s3.upload_fileobj", "'b2'"),
                               ("s3.copy", "'b3'"), ("s3.copy_object", "'b4'")}
    assert keys(reading) == {"'k1'", "'k2'", "'k3'", "'k4'"}


def test_every_service_the_recursion_rules_know(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        def handler(event, context):
            boto3.client("sqs").send_message_batch(QueueUrl="q", Entries=[])
            boto3.client("sns").publish_batch(TopicArn="t", PublishBatchRequestEntries=[])
            boto3.client("sns").publish(PhoneNumber="+15555550100", Message="sms, not a topic")
            boto3.client("kinesis").put_records(StreamName="s", Records=[])
            boto3.client("kinesis").put_record(StreamARN="arn:aws:kinesis:eu-west-1:1:stream/s2", Data=b"", PartitionKey="p")
            boto3.client("lambda").invoke_async(FunctionName="f", InvokeArgs="{}")
            boto3.client("stepfunctions").start_execution(stateMachineArn="sm", input="{}")
            boto3.client("dynamodb").batch_write_item(RequestItems={"t1": [], "t2": []})
            boto3.client("dynamodb").transact_write_items(TransactItems=[{"Put": {"TableName": "t3", "Item": {}}}])
            boto3.resource("sqs").get_queue_by_name(QueueName="q2").send_message(MessageBody="x")
            boto3.resource("sns").Topic("arn:t2").publish(Message="x")
    """})
    assert writes(reading) == {
        ("sqs.send_message_batch", "'q'"), ("sns.publish_batch", "'t'"), ("kinesis.put_records", "'s'"),
        ("kinesis.put_record", "'arn:aws:kinesis:eu-west-1:1:stream/s2'"), ("lambda.invoke_async", "'f'"),
        ("stepfunctions.start_execution", "'sm'"), ("dynamodb.batch_write_item", "'t1'"),
        ("dynamodb.batch_write_item", "'t2'"), ("dynamodb.transact_write_items", "'t3'"),
        ("sqs.Queue.send_message", "'q2'"), ("sns.Topic.publish", "'arn:t2'"),
    }


def test_eventbridge_entries_carry_bus_source_and_detail_type(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        import boto3
        events = boto3.client("events")
        def handler(event, context):
            entry = {"Source": "acme.orders", "DetailType": "OrderPlaced", "Detail": "{}"}
            events.put_events(Entries=[entry, {"Source": event["source"], "DetailType": "Retry",
                                               "EventBusName": os.environ["BUS"], "Detail": "{}"}])
    """})
    found = {(w.target.describe(), w.event_source.describe(), w.detail_type.describe()) for w in reading.writes}
    assert found == {("'default'", "'acme.orders'", "'OrderPlaced'"),
                     ("environment variable BUS", "event field source", "'Retry'")}


def test_queue_url_looked_up_by_name(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        sqs = boto3.client("sqs")
        URL = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
        def handler(event, context):
            sqs.send_message(QueueUrl=URL, MessageBody="x")
    """})
    assert writes(reading) == {("sqs.send_message", "'jobs'")}


# -- how targets and keys are computed --------------------------------------------------------


def test_environment_lookups_in_every_spelling(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        from os import environ, getenv
        import boto3
        s3 = boto3.client("s3")
        def handler(event, context):
            s3.put_object(Bucket=os.environ["A"], Key="k")
            s3.put_object(Bucket=os.environ.get("B"), Key="k")
            s3.put_object(Bucket=os.getenv("C", "fallback"), Key="k")
            s3.put_object(Bucket=environ["D"], Key="k")
            s3.put_object(Bucket=getenv("E"), Key="k")
            s3.put_object(Bucket=os.environ.get("F") or "dev-bucket", Key="k")
    """})
    assert writes(reading) == {("s3.put_object", f"environment variable {name}") for name in "ABCDEF"}
    defaults = {write.target.parts[0].text: write.target.parts[0].default for write in reading.writes}
    assert defaults["C"] == "fallback" and defaults["F"] == "dev-bucket" and defaults["A"] is None


def test_keys_keep_their_literal_prefix_through_fstrings_concatenation_and_formatting(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        import boto3
        s3 = boto3.client("s3")
        PREFIX = "thumbs/"
        def handler(event, context):
            key = event["Records"][0]["s3"]["object"]["key"]
            s3.put_object(Bucket="b", Key=f"{PREFIX}{key}.png")
            s3.put_object(Bucket="b", Key="a/" + key)
            s3.put_object(Bucket="b", Key="b/{}".format(key))
            s3.put_object(Bucket="b", Key="c/%s" % key)
            s3.put_object(Bucket="b", Key=os.path.join("d", key))
            s3.put_object(Bucket="b", Key="/".join(["e", key]))
            name = "f/"
            name += os.path.basename(key)
            s3.put_object(Bucket="b", Key=name)
    """})
    prefixes = {write.key.literal_prefix for write in reading.writes}
    assert prefixes == {"thumbs/", "a/", "b/", "c/", "d/", "e/", "f/"}
    assert any(write.key.literal_suffix == ".png" for write in reading.writes)
    event_key = "event field Records[].s3.object.key"
    assert f"'thumbs/' + {event_key} + '.png'" in keys(reading)


def test_the_functions_own_name_from_context_and_from_the_environment(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        import boto3
        client = boto3.client("lambda")
        def handler(event, context):
            client.invoke(FunctionName=context.function_name, Payload="{}")
            client.invoke(FunctionName=os.environ["AWS_LAMBDA_FUNCTION_NAME"], Payload="{}")
            client.invoke(FunctionName=context.invoked_function_arn, Payload="{}")
    """})
    assert writes(reading) == {("lambda.invoke", "the function's own name")}
    assert len(reading.writes) == 3


def test_targets_read_from_the_triggering_event(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        s3 = boto3.resource("s3")
        def handler(event, context):
            for record in event.get("Records", []):
                bucket = record["s3"]["bucket"]["name"]
                s3.Object(bucket, "copy-" + record["s3"]["object"]["key"]).put(Body=b"")
    """})
    assert writes(reading) == {("s3.Object.put", "event field Records[].s3.bucket.name")}


def test_parameters_follow_every_call_site(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import os
        import boto3
        sqs = boto3.client("sqs")

        def send(queue_url, body="x"):
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)

        def handler(event, context):
            send(os.environ["RETRY_QUEUE"])
            send(queue_url=os.environ["DONE_QUEUE"], body="done")
    """})
    assert writes(reading) == {("sqs.send_message", "environment variable RETRY_QUEUE"),
                               ("sqs.send_message", "environment variable DONE_QUEUE")}


def test_names_imported_from_other_modules_of_the_code_directory(tmp_path):
    reading = read(tmp_path, {
        "app.py": """
            from config import OUTPUT_BUCKET
            import storage
            def handler(event, context):
                storage.save(OUTPUT_BUCKET, "k")
        """,
        "config.py": """
            import os
            OUTPUT_BUCKET = os.environ["OUTPUT_BUCKET"]
        """,
        "storage.py": """
            from clients import s3
            def save(bucket, key):
                s3.put_object(Bucket=bucket, Key=key, Body=b"")
        """,
        "clients.py": """
            import boto3
            s3 = boto3.client("s3")
        """,
    })
    assert writes(reading) == {("s3.put_object", "environment variable OUTPUT_BUCKET")}
    assert set(reading.modules) == {"src/app.py", "src/config.py", "src/storage.py", "src/clients.py"}


def test_handlers_in_packages_with_relative_imports(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/handlers/__init__.py": "",
        "pkg/handlers/api.py": """
            from ..aws import publish
            def handler(event, context):
                publish("arn:aws:sns:eu-west-1:123456789012:events")
        """,
        "pkg/aws.py": """
            import boto3
            def publish(topic):
                boto3.client("sns").publish(TopicArn=topic, Message="m")
        """,
    }
    for handler in ("pkg/handlers/api.handler", "pkg.handlers.api.handler"):
        reading = read(tmp_path, files, handler=handler)
        assert reading.handler_path == "src/pkg/handlers/api.py"
        assert writes(reading) == {("sns.publish", "'arn:aws:sns:eu-west-1:123456789012:events'")}
    assert parse_handler("app.lambda_handler") == ("app", "lambda_handler")
    assert parse_handler("no-dot") is None
    assert parse_handler("lambda-handler.handler") == ("lambda-handler", "handler")   # importlib finds the file
    assert parse_handler("src/my-app.main") == ("src.my-app", "main")
    assert parse_handler("app.not-a-function") is None and parse_handler("a b.handler") is None


def test_only_code_reachable_from_this_handler_counts(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        s3 = boto3.client("s3")
        def handler(event, context):
            s3.put_object(Bucket="mine", Key="k")
        def other_handler(event, context):
            s3.put_object(Bucket="someone-elses", Key="k")
    """})
    assert writes(reading) == {("s3.put_object", "'mine'")}


def test_reads_are_not_writes(tmp_path):
    reading = read(tmp_path, {"app.py": """
        import boto3
        def handler(event, context):
            boto3.client("s3").get_object(Bucket="b", Key="k")
            boto3.resource("dynamodb").Table("t").get_item(Key={})
            boto3.client("sqs").receive_message(QueueUrl="q")
            boto3.client("lambda").get_function(FunctionName="f")
    """})
    assert reading.writes == []


def test_depth_guard_is_a_comparison_before_the_call_and_a_counter_in_the_payload(tmp_path):
    guarded = read(tmp_path / "a", {"app.py": """
        import json
        import boto3
        def handler(event, context):
            depth = event.get("depth", 0)
            if depth >= 5:
                return
            boto3.client("lambda").invoke(FunctionName=context.function_name,
                                          Payload=json.dumps({"depth": depth + 1}))
    """})
    unguarded = read(tmp_path / "b", {"app.py": """
        import json
        import boto3
        def handler(event, context):
            if event.get("more"):
                boto3.client("lambda").invoke(FunctionName=context.function_name, Payload=json.dumps(event))
    """})
    assert [w.depth_guard for w in guarded.writes] == [True]
    assert [w.depth_guard for w in unguarded.writes] == [False]


# -- safety and bounds -------------------------------------------------------------------------


def test_the_code_is_never_imported_or_run(tmp_path):
    marker = tmp_path / "ran"
    reading = read(tmp_path, {"app.py": f"""
        import boto3
        open({str(marker)!r}, "w").write("imported")
        raise SystemExit("the review must never import this")
        def handler(event, context):
            boto3.client("sqs").send_message(QueueUrl="q", MessageBody="x")
    """})
    assert not marker.exists()
    assert writes(reading) == {("sqs.send_message", "'q'")}


def test_a_syntax_error_is_a_notice_naming_the_file(tmp_path):
    reading = read(tmp_path, {"app.py": "import storage\ndef handler(event, context):\n    pass\n",
                              "storage.py": "def broken(:\n"})
    assert [(n.rule_id, n.path, n.line) for n in reading.notices] == [("LR901", "src/storage.py", 1)]


def test_other_runtimes_images_and_missing_code_are_skipped_with_a_reason(tmp_path):
    assert "runtime is java21" in read(tmp_path / "a", {"app.py": ""}, runtime="java21").skipped
    assert "not in" in read(tmp_path / "b", {"other.py": ""}).skipped
    missing = Function(name="Fn", format="sam", location=Location("t.yaml", 1), runtime="python3.12",
                       handler="app.handler", code_path="nowhere")
    assert read_function_code(Workspace(tmp_path), missing).skipped == (
        "its code location is not in the repository (a package built or uploaded elsewhere), and no source of "
        "its handler was found beside the declaration")


def test_the_number_of_modules_read_is_bounded(tmp_path):
    files = {"app.py": "import m0\ndef handler(event, context):\n    pass\n"}
    for index in range(MAX_MODULES + 20):
        files[f"m{index}.py"] = f"import m{index + 1}\n"
    reading = read(tmp_path, files)
    assert reading.truncated and len(reading.modules) == MAX_MODULES


def test_hostile_shapes_do_not_break_the_reader(tmp_path):
    too_deep = read(tmp_path / "deep", {"app.py": "x = " + " + ".join(["'a'"] * 100_000) + "\n"})
    assert [(n.rule_id, n.path) for n in too_deep.notices] == [("LR902", "src/app.py")]
    chain = " + ".join(["'a'"] * 500)
    reading = read(tmp_path / "shapes", {"app.py": f"""
        import boto3
        a = b
        b = a
        deep = {chain}
        key = "k"
        key = key + key
        def loop(x):
            return loop(x)
        def handler(event, context):
            boto3.client("s3").put_object(Bucket=a, Key=deep)
            boto3.client("s3").put_object(Bucket=loop(1), Key=key)
            boto3.client("s3").put_object(**event)
    """})
    assert len(reading.writes) == 3
    assert all(not write.target.is_literal for write in reading.writes)


def test_a_symlinked_handler_is_not_followed(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("import boto3\ndef handler(e, c):\n    boto3.client('sqs').send_message(QueueUrl='q')\n")
    (tmp_path / "repo" / "src").mkdir(parents=True)
    (tmp_path / "repo" / "src" / "app.py").symlink_to(outside)
    function = Function(name="Fn", format="sam", location=Location("template.yaml", 1), runtime="python3.12",
                        handler="app.handler", code_path="src")
    reading = read_function_code(Workspace(tmp_path / "repo"), function)
    assert reading.writes == []
    assert [n.rule_id for n in reading.notices] == ["LR902"]


def test_a_package_s_source_in_a_sources_folder_beside_the_templates_folder_is_read(tmp_path):
    """`deployment/app.template` uploads `Code: {S3Bucket, S3Key}`; the source of `LogParser` is in
    `source/log_parser/`, named after the function. A function named otherwise whose handler's
    module two folders define (`timer.py` in `source/timer/` and `source/legacy_timer/`), its
    package's name spelling neither (`scheduler.zip`), stays unread, and says its declaration
    names no code folder."""
    (tmp_path / "deployment").mkdir()
    (tmp_path / "deployment" / "app.template").write_text(
        "Resources:\n"
        "  LogParser:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: log_parser.lambda_handler\n      Role: arn:aws:iam::123456789012:role/x\n"
        "      Code: {S3Bucket: dist-bucket, S3Key: log_parser.zip}\n"
        "  CustomTimer:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: timer.lambda_handler\n      Role: arn:aws:iam::123456789012:role/x\n"
        "      Code: {S3Bucket: dist-bucket, S3Key: scheduler.zip}\n")
    (tmp_path / "source" / "log_parser").mkdir(parents=True)
    (tmp_path / "source" / "log_parser" / "log_parser.py").write_text("def lambda_handler(event, context):\n    pass\n")
    (tmp_path / "source" / "timer").mkdir(parents=True)
    (tmp_path / "source" / "timer" / "timer.py").write_text("def lambda_handler(event, context):\n    pass\n")
    (tmp_path / "source" / "legacy_timer").mkdir(parents=True)
    (tmp_path / "source" / "legacy_timer" / "timer.py").write_text("def lambda_handler(event, context):\n    pass\n")
    workspace = Workspace(tmp_path)
    functions = {fn.name: fn for fn in build_inventory(workspace).functions}
    parser = read_function_code(workspace, functions["LogParser"])
    assert parser.handler_path == "source/log_parser/log_parser.py"
    assert read_function_code(workspace, functions["CustomTimer"]).skipped == (
        "the declaration names no code folder in the repository (a package built or uploaded elsewhere), "
        "and no source of its handler was found beside it")


def test_a_committed_zip_package_is_named_as_what_was_not_read(tmp_path):
    """Terraform's `filename = "lambda_source/trigger.zip"` committed to the repository: the reason
    names the archive (the review does not unpack it), not a missing handler module."""
    (tmp_path / "lambda_source").mkdir()
    (tmp_path / "lambda_source" / "trigger.zip").write_bytes(b"PK\x03\x04")
    function = Function(name="Trigger", format="terraform", location=Location("main.tf", 1), runtime="python3.12",
                        handler="trigger.handler", code_path="lambda_source/trigger.zip")
    assert read_function_code(Workspace(tmp_path), function).skipped == (
        "its package is the archive lambda_source/trigger.zip, committed to the repository, which the review "
        "does not unpack, and no source of its handler was found beside the declaration")
    (tmp_path / "lambda_source" / "trigger.py").write_text("def handler(event, context):\n    return None\n")
    assert read_function_code(Workspace(tmp_path), function).skipped is None     # its source beside it is read
