"""A CDK function whose code is an object a build script uploads (`Code.from_bucket(bucket,
"blueprints/lambdas/train_model.zip")`) names its package: among the folders holding a `main.py`
that defines `handler`, its source is the one the object's name spells (`code/handler_search.py`)."""

from __future__ import annotations

from pathlib import Path

from reviewer.code import code_location
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

PIPELINES = '''\
from aws_cdk import Stack, aws_lambda as lambda_, aws_s3 as s3
from lib import keys


def training_lambda(scope, blueprints):
    return lambda_.Function(
        scope,
        "TrainModel",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="main.handler",
        code=lambda_.Code.from_bucket(blueprints, "blueprints/lambdas/train_model.zip"),
    )


class Pipelines(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        blueprints = s3.Bucket.from_bucket_name(self, "Blueprints", "acme-blueprints")
        training_lambda(self, blueprints)
        lambda_.Function(
            self,
            "ScoreBatch",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="main.handler",
            code=lambda_.Code.from_bucket(bucket=blueprints, key=keys.SCORE_BATCH),
        )
        lambda_.Function(
            self,
            "Unnamed",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="main.handler",
            code=lambda_.Code.from_bucket(blueprints, "latest"),
        )
'''

STACK_TS = '''\
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';

export class Scoring extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const blueprints = s3.Bucket.fromBucketName(this, 'Blueprints', 'acme-blueprints');
    new lambda.Function(this, 'ScoreStream', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'main.handler',
      code: lambda.Code.fromBucket(blueprints, 'blueprints/lambdas/score_stream.zip'),
    });
  }
}
'''


def _handler(job: str) -> str:
    return f"import boto3\n\n\ndef handler(event, context):\n    return boto3.client('sagemaker').describe_{job}()\n"


def _workspace(root: Path, files: dict[str, str]) -> Workspace:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Workspace(root)


def test_python_from_bucket_ties_each_function_to_the_folder_its_object_spells(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, {
        "infra/cdk.json": '{"app": "python3 app.py"}',
        "infra/lib/pipelines.py": PIPELINES,
        "infra/lib/keys.py": 'SCORE_BATCH = "blueprints/lambdas/score_batch.zip"\n',
        "infra/lib/blueprints/lambdas/train_model/main.py": _handler("training_job"),
        "infra/lib/blueprints/lambdas/score_batch/main.py": _handler("transform_job"),
    })
    functions = {fn.name: fn for fn in build_inventory(workspace).functions}
    assert {name: fn.built_package for name, fn in functions.items()} == {
        "TrainModel": "train_model", "ScoreBatch": "score_batch", "Unnamed": None}
    folders = {name: code_location.python_source_folder(workspace, fn, {}) for name, fn in functions.items()}
    assert folders == {"TrainModel": "infra/lib/blueprints/lambdas/train_model",
                       "ScoreBatch": "infra/lib/blueprints/lambdas/score_batch",
                       "Unnamed": None}   # two `main.py` define `handler`: nothing tells them apart


def test_typescript_from_bucket_names_its_package(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}',
        "lib/scoring.ts": STACK_TS,
        "functions/score_stream/main.py": _handler("endpoint"),
        "functions/score_batch/main.py": _handler("transform_job"),
    })
    function = next(fn for fn in build_inventory(workspace).functions if fn.name == "ScoreStream")
    assert function.built_package == "score_stream"
    assert code_location.python_source_folder(workspace, function, {}) == "functions/score_stream"
