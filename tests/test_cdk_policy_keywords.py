"""Python CDK names the statement of `add_to_role_policy` and `add_to_principal_policy` as a
keyword (`statement=iam.PolicyStatement(...)`); the role's statement is judged either way."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main


def _access_findings(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--reference-date", "2026-11-22",
          "--fail-on", "never"], stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] in ("LR300", "LR301")]


def test_a_statement_passed_by_keyword_to_the_function_s_role_is_judged(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "python3 app.py"}')
    (tmp_path / "handlers").mkdir()
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import Stack, aws_iam as iam, aws_lambda\n"
        "class Escalation(Stack):\n"
        "    def __init__(self, scope, id):\n"
        "        super().__init__(scope, id)\n"
        "        worker = aws_lambda.Function(self, 'Worker', handler='app.handler',\n"
        "                                     runtime=aws_lambda.Runtime.PYTHON_3_13,\n"
        "                                     code=aws_lambda.Code.from_asset('handlers'))\n"
        "        worker.role.add_to_principal_policy(\n"
        "            statement=iam.PolicyStatement(actions=['iam:*', 'ses:*'], resources=['*']))\n"
        "        worker.add_to_role_policy(statement=iam.PolicyStatement(actions=['sqs:SendMessage'],\n"
        "                                                                resources=['*']))\n")
    findings = sorted((f["rule_id"], f["function"], f["line"]) for f in _access_findings(tmp_path))
    assert findings == [("LR300", "Worker", 9), ("LR301", "Worker", 10)]
    [broad] = [f for f in _access_findings(tmp_path) if f["rule_id"] == "LR300"]
    # Two services: every action of each, not "of the service".
    assert "every action of each of these services" in broad["message"]
