"""LR304 on deployed functions: the template check's own judgement, severity included. A
placeholder under a secret's name is a notice with no "rotate the exposed value"; a real-looking
literal stays an error; references (ARNs, parameter paths, empty values) are no finding."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.aws_emulator import Deployment, reset, running_emulator
from tests.test_account import account


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with running_emulator() as url:
        yield url


def test_a_deployed_placeholder_is_a_notice_and_a_literal_password_an_error(emulator: str) -> None:
    reset(emulator)
    east = Deployment(emulator, "us-east-1")
    east.function("billing-staging-sync", environment={
        "ADMIN_TOKEN": "changeme", "DB_PASSWORD": "Wint3r-Harbour-2291",
        "API_KEY_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:billing-api-AbCdEf",
        "DB_PASSWORD_PARAM": "/billing/staging/db-password", "WEBHOOK_SECRET": ""})
    document = json.loads(account(emulator)[1])
    secrets = {name: finding for finding in document["findings"] if finding["rule_id"] == "LR304"
               for name in ("ADMIN_TOKEN", "DB_PASSWORD", "API_KEY_SECRET_ARN", "DB_PASSWORD_PARAM", "WEBHOOK_SECRET")
               if f"`{name}`" in finding["message"]}
    assert set(secrets) == {"ADMIN_TOKEN", "DB_PASSWORD"}
    placeholder, password = secrets["ADMIN_TOKEN"], secrets["DB_PASSWORD"]
    assert placeholder["severity"] == "notice" and password["severity"] == "error"
    assert "rotated" not in placeholder["message"] and "is a placeholder" in placeholder["message"]
    assert "rotated" in password["message"]
    assert "changeme" not in placeholder["message"] and "Wint3r" not in password["message"]
