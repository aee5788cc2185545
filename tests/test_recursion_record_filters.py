"""Stream processors whose event source mapping declares which records invoke them, in every
format: SAM `FilterCriteria`, a CloudFormation `AWS::Lambda::EventSourceMapping`, Serverless
`filterPatterns`, Terraform `filter_criteria`, CDK `FilterCriteria.filter(...)` (TypeScript and
Python). The handler updates the item the incoming record is about, which makes only `MODIFY`
records: a filter that keeps only `INSERT` records (or only TTL deletions) means its writes never
invoke it again (LR203, not a loop); a filter that keeps `MODIFY` records is a loop the filter
does not change (an error, not a warning about a filter "not evaluated"); a filter the review
cannot read keeps today's warning."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

HANDLER = ("import os\nimport boto3\n\ntable = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n\n\n"
           "def handler(event, context):\n    for record in event['Records']:\n"
           "        table.update_item(Key={'pk': record['dynamodb']['Keys']['pk']['S']},\n"
           "                          UpdateExpression='SET enriched = :t', ExpressionAttributeValues={':t': True})\n")
PUT = ("import os\nimport boto3\n\ntable = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n\n\n"
       "def handler(event, context):\n    for record in event['Records']:\n"
       "        table.put_item(Item={'pk': 'audit-' + record['eventID']})\n")
TABLE = ("  {name}Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
         "      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]\n"
         "      KeySchema: [{{AttributeName: pk, KeyType: HASH}}]\n      BillingMode: PAY_PER_REQUEST\n"
         "      StreamSpecification: {{StreamViewType: NEW_AND_OLD_IMAGES}}\n")


def _scan(root: Path) -> dict[str, dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-06-01"],
         stdout=out, stderr=io.StringIO())
    return {f["function"]: f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in ("LR201", "LR203")}


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _sam(root: Path, patterns: dict[str, str], handlers: dict[str, str] | None = None) -> Path:
    parts = ["Transform: AWS::Serverless-2016-10-31\nResources:\n"]
    for name, pattern in patterns.items():
        parts.append(TABLE.format(name=name))
        parts.append(
            f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            f"      CodeUri: {name}/\n      Handler: app.handler\n      Runtime: python3.13\n"
            f"      Environment: {{Variables: {{TABLE: !Ref {name}Table}}}}\n"
            "      Events:\n        Changes:\n          Type: DynamoDB\n          Properties:\n"
            f"            Stream: !GetAtt {name}Table.StreamArn\n            StartingPosition: LATEST\n"
            f"            FilterCriteria:\n              Filters:\n                - Pattern: '{pattern}'\n")
    files = {"template.yaml": "".join(parts)}
    files.update({f"{name}/app.py": (handlers or {}).get(name, HANDLER) for name in patterns})
    return _write(root, files)


def _verdicts(found: dict[str, dict]) -> dict[str, tuple[str, str]]:
    return {name: (finding["rule_id"], finding["severity"]) for name, finding in found.items()}


def test_sam_filter_criteria_that_keep_other_event_names_rule_the_loop_out(tmp_path):
    found = _scan(_sam(tmp_path, {
        "NewOnly": '{"eventName": ["INSERT"]}',
        "NotModified": '{"eventName": [{"anything-but": ["MODIFY"]}]}',
        "Expired": '{"userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}}',
        "Modified": '{"eventName": ["MODIFY"]}',
        "ByState": '{"dynamodb": {"NewImage": {"state": {"S": ["NEW"]}}}}',
        "Puts": '{"eventName": ["INSERT"]}',
    }, {"Puts": PUT}))
    assert _verdicts(found) == {
        "NewOnly": ("LR203", "notice"), "NotModified": ("LR203", "notice"), "Expired": ("LR203", "notice"),
        "Modified": ("LR201", "error"), "ByState": ("LR201", "warning"), "Puts": ("LR201", "warning"),
    }
    message = found["NewOnly"]["message"]
    assert "makes only `MODIFY` records (the update can only change an item that exists)" in message
    assert "its filter does not match them (it keeps only records whose `eventName` is `INSERT`)" in message
    assert "filter criteria at `template.yaml:" in message and "separate table" in message
    assert "S3" not in message and "bucket" not in message
    assert "anything but `MODIFY`" in found["NotModified"]["message"]
    assert "TTL" in found["Expired"]["message"]
    assert "static reading does not evaluate" not in found["Modified"]["message"]
    assert "keeps records whose `eventName` is `MODIFY`" in found["Modified"]["message"]
    # a NewImage attribute the write does not set is not known: the filter stays unevaluated
    assert "static reading does not evaluate" in found["ByState"]["message"]
    # a put inserts or replaces: the INSERT filter passes some of its records, not all
    assert "keep `INSERT` ones, so whether its writes invoke it again depends on which items" \
        in found["Puts"]["message"]


def test_cloudformation_event_source_mapping_filter_criteria(tmp_path):
    root = _write(tmp_path, {
        "template.yaml": (
            "Resources:\n" + TABLE.format(name="Jobs") +
            "  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n"
            "      Handler: app.handler\n      Code: worker/\n      Role: arn:aws:iam::123456789012:role/r\n"
            "      Environment: {Variables: {TABLE: !Ref JobsTable}}\n"
            "  WorkerStream:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n"
            "      FunctionName: !Ref Worker\n      EventSourceArn: !GetAtt JobsTable.StreamArn\n"
            "      StartingPosition: LATEST\n"
            "      FilterCriteria:\n        Filters:\n          - Pattern: '{\"eventName\": [\"INSERT\", \"REMOVE\"]}'\n"),
        "worker/app.py": HANDLER,
    })
    found = _scan(root)
    assert _verdicts(found) == {"Worker": ("LR203", "notice")}
    assert "`INSERT` or `REMOVE`" in found["Worker"]["message"]


def test_serverless_filter_patterns(tmp_path):
    root = _write(tmp_path, {
        "serverless.yml": (
            "service: orders\nprovider:\n  name: aws\n  runtime: python3.12\n"
            "functions:\n"
            "  enrich:\n    handler: app.handler\n    environment:\n      TABLE: !Ref OrdersTable\n"
            "    events:\n      - stream:\n          type: dynamodb\n"
            "          arn: !GetAtt OrdersTable.StreamArn\n"
            "          filterPatterns:\n            - eventName: [INSERT]\n"
            "  audit:\n    handler: app.handler\n    environment:\n      TABLE: !Ref OrdersTable\n"
            "    events:\n      - stream:\n          type: dynamodb\n"
            "          arn: !GetAtt OrdersTable.StreamArn\n"
            "          filterPatterns:\n            - eventName: ['${self:custom.kept}']\n"
            "custom:\n  other: x\n"
            "resources:\n  Resources:\n" + TABLE.format(name="Orders").replace("\n  ", "\n    ")
            .replace("  OrdersTable", "    OrdersTable", 1)),
        "app.py": HANDLER,
    })
    found = _scan(root)
    assert _verdicts(found) == {"enrich": ("LR203", "notice"), "audit": ("LR201", "warning")}
    assert "filter criteria at `serverless.yml:14`" in found["enrich"]["message"]
    assert "static reading does not evaluate" in found["audit"]["message"]


def test_terraform_filter_criteria(tmp_path):
    root = _write(tmp_path, {
        "infra/main.tf": (
            'resource "aws_dynamodb_table" "orders" {\n  name = "orders"\n  hash_key = "pk"\n'
            '  stream_enabled = true\n  stream_view_type = "NEW_IMAGE"\n'
            '  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n\n'
            'data "archive_file" "enrich" {\n  type = "zip"\n  source_dir = "${path.module}/../src/enrich"\n'
            '  output_path = "${path.module}/enrich.zip"\n}\n\n'
            'resource "aws_lambda_function" "enrich" {\n  function_name = "enrich"\n'
            '  role = "arn:aws:iam::123456789012:role/r"\n  handler = "app.handler"\n  runtime = "python3.13"\n'
            '  filename = data.archive_file.enrich.output_path\n'
            '  environment {\n    variables = {\n      TABLE = aws_dynamodb_table.orders.name\n    }\n  }\n}\n\n'
            'resource "aws_lambda_event_source_mapping" "orders" {\n'
            '  event_source_arn = aws_dynamodb_table.orders.stream_arn\n'
            '  function_name = aws_lambda_function.enrich.arn\n  starting_position = "LATEST"\n'
            '  filter_criteria {\n    filter {\n      pattern = jsonencode({\n'
            '        eventName = ["INSERT"]\n      })\n    }\n  }\n}\n'),
        "src/enrich/app.py": HANDLER,
    })
    found = _scan(root)
    assert _verdicts(found) == {"aws_lambda_function.enrich": ("LR203", "notice")}
    assert "filter criteria at `infra/main.tf:35`" in found["aws_lambda_function.enrich"]["message"]


def test_cdk_filter_criteria_typescript_and_python(tmp_path):
    typescript = _write(tmp_path / "ts", {
        "cdk.json": '{"app": "npx ts-node app.ts"}',
        "lib/stack.ts": (
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            "import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\n"
            "const orders = new dynamodb.Table(this, 'Orders', {});\n"
            "const enrich = new lambda.Function(this, 'Enrich', { runtime: lambda.Runtime.PYTHON_3_13,\n"
            "  handler: 'app.handler', code: lambda.Code.fromAsset('enrich'),\n"
            "  environment: { TABLE: orders.tableName } });\n"
            "enrich.addEventSource(new DynamoEventSource(orders, { startingPosition: lambda.StartingPosition.LATEST,\n"
            "  filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })] }));\n"),
        "enrich/app.py": HANDLER,
    })
    python = _write(tmp_path / "py", {
        "cdk.json": '{"app": "python3 app.py"}',
        "app.py": (
            "from aws_cdk import Stack, aws_dynamodb as dynamodb, aws_lambda as _lambda\n"
            "from aws_cdk.aws_lambda_event_sources import DynamoEventSource\n\n\n"
            "class Orders(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
            "        orders = dynamodb.Table(self, 'Orders')\n"
            "        enrich = _lambda.Function(self, 'Enrich', runtime=_lambda.Runtime.PYTHON_3_13,\n"
            "                                  handler='app.handler', code=_lambda.Code.from_asset('enrich'),\n"
            "                                  environment={'TABLE': orders.table_name})\n"
            "        enrich.add_event_source(DynamoEventSource(orders, starting_position=_lambda.StartingPosition.LATEST,\n"
            "            filters=[_lambda.FilterCriteria.filter({'eventName': _lambda.FilterRule.is_equal('INSERT')})]))\n"),
        "enrich/app.py": HANDLER,
    })
    for root in (typescript, python):
        found = _scan(root)
        assert [(finding["rule_id"], finding["severity"]) for finding in found.values()] == [("LR203", "notice")], root
        assert "its filter does not match them" in next(iter(found.values()))["message"]
