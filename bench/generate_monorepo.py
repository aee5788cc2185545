"""Write a generated SAM monorepo, the size of a large real one, for the benchmarks in bench/.

    .venv/bin/python bench/generate_monorepo.py OUTPUT_DIR [--seed N] [--functions N]

Four stacks of 30 functions each (120 in all; `--functions 1200` writes 40 stacks, the first four
unchanged). Every function has its own code directory with a
handler module and three modules it imports (boto3 clients, a service layer, models), and a
requirements.txt pinning about six releases drawn from a shared pool (so the 700-odd pins hold
about 90 distinct releases, as in a monorepo where every team uses the same libraries). Each
stack also ships a layer with shared modules, 500 Python files in all. The handler code is what
bandit has things to say about in real Lambda code (`shell=True`, `yaml.load`, `pickle`, MD5,
`requests` without a timeout, SQL built with f-strings, hard-coded `/tmp` paths), and what the
recursion and storage checks read (S3/SQS/SNS writes to buckets named by environment variables,
files written under /tmp).

The output is the same for the same seed: `generate(path, seed)` is what the bench scripts call.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

STACKS = ("orders", "payments", "catalog", "analytics")
FUNCTIONS_PER_STACK = 30
LAYER_MODULES = 5
PINS_PER_FUNCTION = (5, 7)

# (name, versions): most functions pin the first version; a few teams lag behind on the second.
PACKAGE_POOL: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("boto3", ("1.34.34", "1.33.13")), ("botocore", ("1.34.34", "1.33.13")), ("requests", ("2.31.0", "2.28.2")),
    ("urllib3", ("2.0.7", "1.26.18")), ("certifi", ("2024.2.2",)), ("idna", ("3.6",)),
    ("charset-normalizer", ("3.3.2",)), ("aws-lambda-powertools", ("2.33.0", "2.26.1")),
    ("pydantic", ("2.6.1", "1.10.14")), ("pydantic-core", ("2.16.2",)), ("typing-extensions", ("4.9.0",)),
    ("jmespath", ("1.0.1",)), ("python-dateutil", ("2.8.2",)), ("six", ("1.16.0",)), ("s3transfer", ("0.10.0",)),
    ("PyYAML", ("6.0.1", "5.3.1")), ("Jinja2", ("3.1.3", "2.10")), ("MarkupSafe", ("2.1.5",)),
    ("orjson", ("3.9.15",)), ("ujson", ("5.9.0",)), ("simplejson", ("3.19.2",)), ("attrs", ("23.2.0",)),
    ("cryptography", ("42.0.5", "41.0.7")), ("cffi", ("1.16.0",)), ("pycparser", ("2.21",)),
    ("PyJWT", ("2.8.0",)), ("requests-aws4auth", ("1.2.3",)), ("opensearch-py", ("2.4.2",)),
    ("psycopg2-binary", ("2.9.9",)), ("SQLAlchemy", ("2.0.27", "1.4.51")), ("redis", ("5.0.1",)),
    ("pymysql", ("1.1.0",)), ("stripe", ("8.4.0",)), ("sentry-sdk", ("1.40.6",)), ("structlog", ("24.1.0",)),
    ("tenacity", ("8.2.3",)), ("httpx", ("0.26.0",)), ("anyio", ("4.3.0",)), ("sniffio", ("1.3.1",)),
    ("h11", ("0.14.0",)), ("httpcore", ("1.0.4",)), ("pandas", ("2.2.1",)), ("numpy", ("1.26.4",)),
    ("pytz", ("2024.1",)), ("tzdata", ("2024.1",)), ("Pillow", ("10.2.0",)), ("lxml", ("5.1.0",)),
    ("xmltodict", ("0.13.0",)), ("openpyxl", ("3.1.2",)), ("et-xmlfile", ("1.1.0",)), ("boto3-stubs", ("1.34.34",)),
    ("fastjsonschema", ("2.19.1",)), ("jsonschema", ("4.21.1",)), ("referencing", ("0.33.0",)),
    ("rpds-py", ("0.18.0",)), ("aws-xray-sdk", ("2.12.1",)), ("wrapt", ("1.16.0",)), ("mangum", ("0.17.0",)),
    ("fastapi", ("0.109.2",)), ("starlette", ("0.36.3",)), ("elasticsearch", ("8.12.1",)), ("pyotp", ("2.9.0",)),
    ("qrcode", ("7.4.2",)), ("phonenumbers", ("8.13.31",)), ("babel", ("2.14.0",)), ("markdown", ("3.5.2",)),
    ("bleach", ("6.1.0",)), ("webencodings", ("0.5.1",)), ("boltons", ("23.1.1",)), ("cachetools", ("5.3.3",)),
    ("google-auth", ("2.28.1",)), ("pyasn1", ("0.5.1",)), ("rsa", ("4.9",)), ("twilio", ("9.0.0",)),
    ("aiohttp", ("3.9.3",)), ("yarl", ("1.9.4",)), ("multidict", ("6.0.5",)), ("frozenlist", ("1.4.1",)),
)
# Every function pins these core libraries; the rest are drawn from the pool.
CORE = ("boto3", "botocore", "requests")

RUNTIMES = ("python3.12",) * 8 + ("python3.11",) * 3 + ("python3.9", "python3.8")
EVENT_KINDS = ("Api", "SQS", "S3", "Schedule", "Api", "SQS")

# Code fragments with something for bandit to say; each handler gets a few.
RISKY_SNIPPETS = (
    ("import subprocess", '''
def run_export(table):
    return subprocess.run(f"aws dynamodb scan --table-name {table}", shell=True, check=False)
'''),
    ("import yaml", '''
def load_rules(text):
    return yaml.load(text, Loader=yaml.Loader)
'''),
    ("import pickle", '''
def restore(blob):
    return pickle.loads(blob)
'''),
    ("import hashlib", '''
def etag(body):
    return hashlib.md5(body.encode("utf-8")).hexdigest()
'''),
    ("import requests", '''
def notify(url, payload):
    return requests.post(url, json=payload)
'''),
    ("", '''
def customer_query(customer_id):
    return f"SELECT * FROM customers WHERE id = '{customer_id}'"
'''),
    ("", '''
def scratch_path(name):
    return "/tmp/" + name
'''),
    ("import random", '''
def retry_jitter():
    return random.random() * 0.2
'''),
    ("", '''
DB_PASSWORD = "hunter2-changeme"
'''),
    ("", '''
def parse_amount(value):
    try:
        return float(value)
    except Exception:
        pass
'''),
    ("import xml.etree.ElementTree as ET", '''
def parse_feed(text):
    return ET.fromstring(text)
'''),
    ("", '''
def check(event):
    assert "detail" in event
    return event["detail"]
'''),
)


# Ordinary code around the risky lines (real handler modules are mostly this).
PLAIN_SNIPPETS = (
    '''
def paginate(client, operation, key, **kwargs):
    """Every item of a paginated AWS API call."""
    paginator = client.get_paginator(operation)
    for page in paginator.paginate(**kwargs):
        for item in page.get(key, []):
            yield item
''',
    '''
def chunks(items, size=25):
    """Split a list into batches the DynamoDB batch API accepts."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
''',
    '''
def response(status, body, headers=None):
    """An API Gateway proxy response."""
    merged = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    merged.update(headers or {})
    return {"statusCode": status, "headers": merged, "body": json.dumps(body, default=str)}
''',
    '''
def parse_body(event):
    """The JSON body of an API Gateway or SQS event, or an empty dict."""
    body = event.get("body")
    if body is None:
        return {}
    if event.get("isBase64Encoded"):
        import base64

        body = base64.b64decode(body).decode("utf-8")
    try:
        return json.loads(body)
    except ValueError:
        logging.getLogger(__name__).warning("body is not JSON")
        return {}
''',
    '''
def money(amount, currency="EUR"):
    """Format an amount in minor units for a receipt line."""
    units, cents = divmod(int(amount), 100)
    sign = "-" if units < 0 else ""
    return f"{sign}{abs(units):,}.{cents:02d} {currency}"
''',
    '''
class RetryPolicy:
    """Exponential back-off for throttled AWS calls."""

    def __init__(self, attempts=5, base=0.1, cap=5.0):
        self.attempts = attempts
        self.base = base
        self.cap = cap

    def delays(self):
        delay = self.base
        for _ in range(self.attempts):
            yield min(self.cap, delay)
            delay *= 2

    def call(self, function, *args, **kwargs):
        import time

        last = None
        for delay in self.delays():
            try:
                return function(*args, **kwargs)
            except Exception as exc:  # throttling, timeouts
                last = exc
                time.sleep(delay)
        raise last
''',
    '''
def dynamo_update_expression(changes):
    """SET expression, names and values for an UpdateItem call."""
    names, values, parts = {}, {}, []
    for index, (field_name, value) in enumerate(sorted(changes.items())):
        names[f"#f{index}"] = field_name
        values[f":v{index}"] = value
        parts.append(f"#f{index} = :v{index}")
    return "SET " + ", ".join(parts), names, values
''',
    '''
def group_by(items, key):
    """Items grouped by the value of `key`, keeping their order."""
    groups = {}
    for item in items:
        groups.setdefault(item.get(key), []).append(item)
    return groups
''',
    '''
def s3_records(event):
    """(bucket, key) of every S3 record in an event (also when wrapped in SQS)."""
    for record in event.get("Records", []):
        if "s3" in record:
            yield record["s3"]["bucket"]["name"], record["s3"]["object"]["key"]
        elif "body" in record:
            inner = json.loads(record["body"])
            for nested in inner.get("Records", []):
                yield nested["s3"]["bucket"]["name"], nested["s3"]["object"]["key"]
''',
    '''
def redact(payload, secret_keys=("password", "token", "card_number")):
    """A copy of the payload safe to log."""
    if isinstance(payload, dict):
        return {key: "***" if key in secret_keys else redact(value, secret_keys) for key, value in payload.items()}
    if isinstance(payload, list):
        return [redact(item, secret_keys) for item in payload]
    return payload
''',
)


def _plain(rng: random.Random, count: int) -> list[str]:
    return [snippet.strip("\n") for snippet in rng.sample(PLAIN_SNIPPETS, count)]


def _snake(name: str) -> str:
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in name).lstrip("_")


def _handler_module(rng: random.Random, stack: str, index: int, writes_trigger: bool) -> str:
    imports = {"import json", "import logging", "import os", "import boto3"}
    body = []
    for header, snippet in rng.sample(RISKY_SNIPPETS, 3):
        if header:
            imports.add(header)
        body.append(snippet.strip("\n"))
    body += _plain(rng, 5)
    rng.shuffle(body)
    target_env = "SOURCE_BUCKET" if writes_trigger else "OUTPUT_BUCKET"
    handler = f'''
logger = logging.getLogger(__name__)
s3 = boto3.client("s3")
sqs = boto3.client("sqs")
TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    """Entry point of {stack} function {index}."""
    records = event.get("Records") or [event]
    processed = 0
    for record in records:
        item = service.build_item(record, TABLE)
        if item is None:
            continue
        s3.put_object(Bucket=os.environ["{target_env}"], Key=f"{{item['id']}}.json",
                      Body=json.dumps(item).encode("utf-8"))
        sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=json.dumps({{"id": item["id"]}}))
        processed += 1
    with open(f"/tmp/{stack}-{index}-last.json", "w", encoding="utf-8") as handle:
        json.dump({{"processed": processed}}, handle)
    logger.info("processed %d records", processed)
    return {{"statusCode": 200, "body": json.dumps({{"processed": processed}})}}
'''
    return ("\n".join(sorted(imports)) + "\n\nimport service\n\n" + "\n\n\n".join(body)
            + "\n\n" + handler.lstrip("\n"))


def _service_module(rng: random.Random, stack: str) -> str:
    header, snippet = rng.choice(RISKY_SNIPPETS)
    fields = rng.sample(["amount", "currency", "sku", "quantity", "region", "status", "owner", "channel"], 4)
    lines = "\n".join(f'        "{field}": payload.get("{field}"),' for field in fields)
    return textwrap.dedent('''\
        """Business rules of the {stack} service."""

        import json
        import uuid
        {header}

        import models
        from clients import table


        def build_item(record, table_name):
            body = record.get("body") or record.get("detail") or "{{}}"
            payload = json.loads(body) if isinstance(body, str) else body
            if not payload:
                return None
            item = {{
                "id": payload.get("id") or str(uuid.uuid4()),
        {lines}
            }}
            models.validate(item)
            table(table_name).put_item(Item=item)
            return item
        ''').format(stack=stack, header=header, lines=lines) + "\n\n" + "\n\n\n".join(
            [snippet.strip("\n")] + _plain(rng, 4)) + "\n"


def _models_module(rng: random.Random) -> str:
    required = rng.sample(["id", "amount", "sku", "status", "owner"], 2)
    return textwrap.dedent(f'''\
        """Shapes of the items this function stores."""

        from dataclasses import dataclass, field

        REQUIRED = {tuple(required)!r}


        @dataclass
        class Item:
            id: str
            attributes: dict = field(default_factory=dict)


        def validate(item):
            missing = [name for name in REQUIRED if item.get(name) in (None, "")]
            if missing:
                raise ValueError(f"missing fields: {{missing}}")
            return Item(item["id"], dict(item))
        ''')


def _clients_module() -> str:
    return textwrap.dedent('''\
        """AWS clients, created once per execution environment."""

        import functools

        import boto3


        @functools.lru_cache(maxsize=None)
        def table(name):
            return boto3.resource("dynamodb").Table(name)


        @functools.lru_cache(maxsize=None)
        def secrets():
            return boto3.client("secretsmanager")
        ''')


def _layer_module(rng: random.Random, stack: str, index: int) -> str:
    header, snippet = rng.choice(RISKY_SNIPPETS)
    return (f'"""Shared helpers of the {stack} stack ({index})."""\n\nimport json\nimport logging\n{header}\n\n\n'
            + "\n\n\n".join([snippet.strip("\n")] + _plain(rng, 6)) + "\n")


def _requirements(rng: random.Random) -> str:
    names = list(CORE) + rng.sample([name for name, _ in PACKAGE_POOL if name not in CORE],
                                    rng.randint(*PINS_PER_FUNCTION) - len(CORE))
    versions = dict(PACKAGE_POOL)
    lines = []
    for name in sorted(names, key=str.lower):
        options = versions[name]
        version = options[0] if len(options) == 1 or rng.random() < 0.8 else options[1]
        lines.append(f"{name}=={version}")
    return "\n".join(lines) + "\n"


def _function_yaml(rng: random.Random, stack: str, index: int, logical: str, code_dir: str) -> str:
    kind = EVENT_KINDS[index % len(EVENT_KINDS)]
    runtime = rng.choice(RUNTIMES)
    events = {
        "Api": f"""        Api:
          Type: Api
          Properties:
            Path: /{stack}/{index}
            Method: post""",
        "SQS": """        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt WorkQueue.Arn
            BatchSize: 10""",
        "S3": """        Upload:
          Type: S3
          Properties:
            Bucket: !Ref IngestBucket
            Events: s3:ObjectCreated:*""",
        "Schedule": f"""        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 {index % 24} * * ? *)""",
    }[kind]
    return f"""  {logical}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {code_dir}
      Handler: app.handler
      Runtime: {runtime}
      MemorySize: {rng.choice((128, 256, 512, 1024))}
      Timeout: {rng.choice((10, 30, 60))}
      Layers:
        - !Ref CommonLayer
      Environment:
        Variables:
          TABLE_NAME: !Ref ItemsTable
          OUTPUT_BUCKET: !Ref OutputBucket
          SOURCE_BUCKET: !Ref IngestBucket
          QUEUE_URL: !Ref WorkQueue
          LOG_LEVEL: INFO
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref ItemsTable
        - S3CrudPolicy:
            BucketName: !Ref OutputBucket
        - SQSSendMessagePolicy:
            QueueName: !GetAtt WorkQueue.QueueName
      Events:
{events}
"""


def _template(rng: random.Random, stack: str, functions: list[tuple[str, str]]) -> str:
    head = f"""AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: {stack} stack of the generated monorepo

Globals:
  Function:
    Architectures:
      - arm64
    Tracing: Active

Resources:
  ItemsTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH

  IngestBucket:
    Type: AWS::S3::Bucket

  OutputBucket:
    Type: AWS::S3::Bucket

  WorkQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 120

  CommonLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/common
      CompatibleRuntimes:
        - python3.12

"""
    body = "\n".join(_function_yaml(rng, stack, index, logical, code_dir)
                     for index, (logical, code_dir) in enumerate(functions))
    return head + body


def function_names(stack: str) -> list[str]:
    """Logical ids of a stack's functions (stable; the PR benchmark edits the first one's handler)."""
    nouns = ("Order", "Invoice", "Refund", "Report", "Export", "Import", "Sync", "Notify", "Audit", "Archive")
    verbs = ("Create", "Update", "Process", "Validate")
    return [f"{stack.capitalize()}{verb}{noun}Function" for verb in verbs for noun in nouns][:FUNCTIONS_PER_STACK]


def stack_names(functions: int = 120) -> list[str]:
    """One stack per 30 functions: the four named stacks, then numbered copies of their names."""
    count = max(1, -(-functions // FUNCTIONS_PER_STACK))
    return [STACKS[index] if index < len(STACKS) else f"{STACKS[index % len(STACKS)]}{index // len(STACKS) + 1}"
            for index in range(count)]


def generate(root: Path, seed: int = 8, functions: int = 120) -> dict[str, int]:
    """Write the monorepo under `root` (created), about `functions` functions; returns its counts."""
    rng = random.Random(seed)
    counts = {"stacks": 0, "functions": 0, "python_files": 0, "pins": 0}
    distinct: set[str] = set()
    for stack in stack_names(functions):
        stack_dir = root / "stacks" / stack
        functions = []
        for index, logical in enumerate(function_names(stack)):
            code_dir = f"src/{_snake(logical.removesuffix('Function'))}"
            target = stack_dir / code_dir
            target.mkdir(parents=True, exist_ok=True)
            # One function in ten writes into the bucket that triggers it: a recursion finding.
            writes_trigger = EVENT_KINDS[index % len(EVENT_KINDS)] == "S3" and index % 10 == 2
            (target / "app.py").write_text(_handler_module(rng, stack, index, writes_trigger), encoding="utf-8")
            (target / "service.py").write_text(_service_module(rng, stack), encoding="utf-8")
            (target / "models.py").write_text(_models_module(rng), encoding="utf-8")
            (target / "clients.py").write_text(_clients_module(), encoding="utf-8")
            requirements = _requirements(rng)
            (target / "requirements.txt").write_text(requirements, encoding="utf-8")
            pins = requirements.split()
            counts["pins"] += len(pins)
            distinct.update(pin.lower() for pin in pins)
            counts["python_files"] += 4
            functions.append((logical, code_dir))
        layer = stack_dir / "layers" / "common" / "python" / "common"
        layer.mkdir(parents=True, exist_ok=True)
        for index in range(LAYER_MODULES):
            (layer / f"helpers_{index}.py").write_text(_layer_module(rng, stack, index), encoding="utf-8")
            counts["python_files"] += 1
        (stack_dir / "template.yaml").write_text(_template(rng, stack, functions), encoding="utf-8")
        counts["stacks"] += 1
        counts["functions"] += len(functions)
    counts["distinct_pins"] = len(distinct)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--functions", type=int, default=120, help="rounded up to a multiple of 30")
    args = parser.parse_args()
    counts = generate(args.output, args.seed, args.functions)
    print(", ".join(f"{key}: {value}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
