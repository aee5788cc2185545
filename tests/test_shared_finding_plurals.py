"""A finding several functions share speaks of them in the plural, every sentence of it.

A Serverless service's `provider` block (its role, its environment, its runtime) is shared by
every function of the service, so each finding on it names them all ("the functions `createOrder`
and `listOrders`"). The advice that followed still said "what the function needs", "the function
can act on", "when the function runs": wrong for the reader, who sees two functions named.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from reviewer.cli import main

SERVICE = """\
service: orders-api

provider:
  name: aws
  runtime: python3.8
  environment:
    STRIPE_SECRET_KEY: sk_live_51HqLyjWDarjtT1zdp7dcXYZabcdEFGHijkl
    API_TOKEN: changeme
    DB_PASSWORD: ${ssm:/aws/reference/secretsmanager/orders/db}
  iam:
    role:
      managedPolicies:
        - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
      statements:
        - Effect: Allow
          Action:
            - s3:*
          Resource: "*"
        - Effect: Allow
          Action:
            - sqs:SendMessage
          Resource: "*"
        - Effect: Allow
          Action:
            - iam:PassRole
            - sqs:DeleteMessage
          Resource: "*"

functions:
  createOrder:
    handler: handlers/create.handler
  listOrders:
    handler: handlers/list.handler
"""

HANDLER = "def handler(event, context):\n    return {'statusCode': 200}\n"

# "the function" alone (not "the functions", not "the function URL"), or "the function's".
SINGULAR = re.compile(r"\bthe function(?:'s)?(?![\w'])(?! URL)")


def _shared_findings(tmp_path: Path) -> list[dict[str, str]]:
    (tmp_path / "serverless.yml").write_text(SERVICE)
    (tmp_path / "handlers").mkdir()
    for name in ("create", "list"):
        (tmp_path / "handlers" / f"{name}.py").write_text(HANDLER)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["function"] is None]


def test_every_finding_on_a_shared_provider_block_speaks_of_the_functions(tmp_path: Path) -> None:
    shared = _shared_findings(tmp_path)
    kinds = {(f["rule_id"], f["line"]) for f in shared}
    # the runtime, the three variables, the managed policy and the three statements
    assert {("LR100", 5), ("LR304", 7), ("LR304", 8), ("LR304", 9), ("LR300", 13), ("LR300", 15),
            ("LR301", 19), ("LR301", 23)} <= kinds
    singular = {(f["rule_id"], f["line"]): SINGULAR.findall(f["message"]) for f in shared}
    assert {key: found for key, found in singular.items() if found} == {}


def test_the_advice_of_a_shared_statement_names_what_the_functions_need(tmp_path: Path) -> None:
    messages = {(f["rule_id"], f["line"]): f["message"] for f in _shared_findings(tmp_path)}
    assert "keeps the role to what the functions need." in messages[("LR300", 15)]
    assert "actions and resources the functions use keeps the role to what the functions need." in messages[("LR300", 13)]
    assert "With it the functions can act on any such resource" in messages[("LR301", 19)]
    assert "With `iam:PassRole` on `*` the functions can hand any role" in messages[("LR301", 23)]
    assert "out of the functions' configuration" in messages[("LR304", 7)]
    assert "a test of the functions on the new version" in messages[("LR100", 5)]


def test_a_route_or_a_local_package_several_functions_share_speaks_of_them_in_the_plural() -> None:
    from markupsafe import Markup

    from reviewer.wording import finding_message

    body = finding_message("routes", "unvalidated_body", method="POST", path="/orders",
                           subject=Markup("the functions `a` and `b`"), several=True)
    assert "before the functions run" in body
    local = finding_message("dependencies", "not_auditable", requirement="-e ./shared", reason="a local path",
                            source="local", package="shared", several=True)
    assert "when the functions are packaged" in local and "in the functions' requirements" in local
