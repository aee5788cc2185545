"""moto's server on loopback, and deployed functions created through boto3 itself (never invoked)."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile
from contextlib import contextmanager
from typing import Any, Iterator

import boto3

ACCOUNT = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def start_server() -> Any:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)       # one line per request otherwise

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    return server


@contextmanager
def running_emulator() -> Iterator[str]:
    """moto's server on loopback with the emulator's credentials set, for a module's tests: its URL."""
    import pytest

    server = start_server()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        emulator_credentials(patch)
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


def reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request) as answer:
        answer.read()


def emulator_credentials(patch: Any) -> None:
    """Static keys for the emulator, and no profile or region from the machine running the tests."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION"):
        patch.delenv(name, raising=False)
    patch.setenv("AWS_ACCESS_KEY_ID", "testing")
    patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    patch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


def handler_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buffer.getvalue()


class Deployment:
    """Creates functions in one account and region the way a deployment tool would: role, then functions."""

    def __init__(self, endpoint: str, region: str, session: boto3.session.Session | None = None) -> None:
        self.session = session or boto3.session.Session()
        self.region = region
        self.lam = self.session.client("lambda", region_name=region, endpoint_url=endpoint)
        self.sqs = self.session.client("sqs", region_name=region, endpoint_url=endpoint)
        iam = self.session.client("iam", region_name=region, endpoint_url=endpoint)
        try:
            self.role = iam.create_role(RoleName="orders-fn-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        except iam.exceptions.EntityAlreadyExistsException:
            self.role = iam.get_role(RoleName="orders-fn-role")["Role"]["Arn"]
        self.code = handler_zip()

    def function(self, name: str, runtime: str = "python3.13", environment: dict[str, str] | None = None) -> str:
        answer = self.lam.create_function(
            FunctionName=name, Runtime=runtime, Role=self.role, Handler="app.handler", Code={"ZipFile": self.code},
            Environment={"Variables": environment or {}},
        )
        return str(answer["FunctionArn"])

    def layer(self, name: str, runtimes: list[str]) -> str:
        answer = self.lam.publish_layer_version(LayerName=name, Content={"ZipFile": self.code},
                                                CompatibleRuntimes=runtimes)
        return str(answer["LayerVersionArn"])

    def public_url(self, name: str) -> None:
        self.lam.create_function_url_config(FunctionName=name, AuthType="NONE")

    def open_to_everyone(self, name: str) -> None:
        self.lam.add_permission(FunctionName=name, StatementId="anyone", Action="lambda:InvokeFunction", Principal="*")

    def queue_to_latest(self, name: str) -> str:
        url = self.sqs.create_queue(QueueName=f"{name}-jobs")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=name)
        return str(arn)
