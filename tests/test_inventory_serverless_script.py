"""serverless.ts and serverless.js: the exported configuration read as data (never run), through the
same reader as serverless.yml, with notices for what is only known when the file runs."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "serverless"
DAY = "2026-11-22"


def scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, "--fail-on", "never"], stdout=out)
    return json.loads(out.getvalue())


def findings(report: dict, *rules: str) -> list[tuple[str, str, int, str | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["function"]) for f in report["findings"]
                  if f["rule_id"] in rules)


def test_typescript_service_runtimes_events_iam_and_environment_at_their_lines():
    root = FIXTURES / "typescript-service"
    result = ServerlessFormat().scan(Workspace(root))
    fns = {fn.name: fn for fn in result.functions}
    assert set(fns) == {"hello", "importer"}
    importer = fns["importer"]
    assert (importer.runtime, str(importer.where("Runtime"))) == ("python3.8", "serverless.ts:34")
    assert importer.handler == "src/importer.handler" and importer.code_path == "src"
    assert [(t.kind, t.target.value, t.location.line) for t in importer.triggers] == [("s3", "catalog-imports", 35)]
    # ${self:custom.tableName} is followed inside the file; ${sls:stage} depends on the deployment.
    assert importer.environment["TABLE_NAME"].value == "catalog-${sls:stage}"
    hello = fns["hello"]   # imported from another module: listed with the provider's runtime
    assert (hello.runtime, hello.where("Runtime").line, hello.location.line) == ("nodejs14.x", 16, 30)
    assert [(s.actions, s.location.line) for s in hello.policy_statements] == [(("dynamodb:*",), 24)]


def test_typescript_service_findings_and_notices():
    report = scan(FIXTURES / "typescript-service")
    assert findings(report, "LR100", "LR101", "LR300", "LR904") == [
        ("LR100", "serverless.ts", 34, "importer"),
        ("LR101", "serverless.ts", 16, "hello"),
        ("LR300", "serverless.ts", 24, None),
        ("LR904", "serverless.ts", 19, None),
        ("LR904", "serverless.ts", 30, None),
    ]
    messages = " ".join(f["message"] for f in report["findings"] if f["rule_id"] == "LR904")
    plain = messages.replace("\\", "").replace("\u200b", "")   # as Markdown renders it
    assert "process.env.API_KEY" in plain and "@functions/hello" in plain


def test_javascript_service_with_module_exports_literal():
    report = scan(FIXTURES / "javascript-service")
    assert findings(report, "LR100", "LR101", "LR904") == [
        ("LR100", "serverless.js", 7, "bounce"),
        ("LR101", "serverless.js", 12, "send"),
    ]


def test_export_default_export_assignment_and_a_compiled_copy_are_read_once(tmp_path):
    (tmp_path / "serverless.ts").write_text(
        "const provider = { name: 'aws', runtime: 'nodejs16.x' } as const;\n"
        "export default {\n"
        "  service: 'svc',\n"
        "  provider,\n"
        "  functions: { ping: { handler: 'ping.handler', timeout: 0x1e } },\n"
        "} satisfies Record<string, unknown>;\n")
    (tmp_path / "serverless.js").write_text("module.exports = require('./build/serverless').default;\n")
    fns = ServerlessFormat().scan(Workspace(tmp_path)).functions
    assert [(fn.name, fn.runtime, fn.where("Runtime").line) for fn in fns] == [("ping", "nodejs16.x", 1)]
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "serverless.ts").write_text(
        "const config = {\n  service: 'old',\n  provider: { name: 'aws', runtime: 'nodejs12.x' },\n"
        "  functions: { f: { handler: 'h.f' } },\n};\nexport = config;\n")
    legacy = ServerlessFormat().scan(Workspace(tmp_path / "legacy")).functions
    assert [(fn.name, fn.runtime, fn.where("Runtime").line) for fn in legacy] == [("f", "nodejs12.x", 3)]


def test_a_configuration_built_at_run_time_is_a_notice_not_silence(tmp_path):
    (tmp_path / "serverless.js").write_text("const build = require('./config');\nmodule.exports = build(process.env);\n")
    result = ServerlessFormat().scan(Workspace(tmp_path))
    assert result.functions == []
    assert [(n.rule_id, n.path, n.line) for n in result.notices] == [("LR904", "serverless.js", 2)]


def test_a_service_for_another_cloud_is_skipped_without_notices(tmp_path):
    """`provider.name: 'google'` declares Cloud Functions: nothing of Lambda is missing, as in YAML."""
    (tmp_path / "serverless.ts").write_text(
        "import { functions } from './functions';\n\n"
        "const config = {\n  service: 'gcf-demo',\n"
        "  provider: { name: 'google', runtime: 'nodejs18', region: process.env.REGION },\n"
        "  functions,\n};\nmodule.exports = config;\n")
    result = ServerlessFormat().scan(Workspace(tmp_path))
    assert (result.functions, result.notices) == ([], [])


def test_an_unread_value_is_named_and_a_known_runtime_is_not_called_missing(tmp_path):
    (tmp_path / "serverless.ts").write_text(
        "import type { AWS } from '@serverless/typescript';\nimport hello from '@functions/hello';\n\n"
        "const serverlessConfiguration: AWS = {\n  service: 'starter',\n"
        "  provider: { name: 'aws', runtime: 'nodejs14.x' },\n"
        "  functions: { hello },\n};\nmodule.exports = serverlessConfiguration;\n")
    report = scan(tmp_path)
    assert findings(report, "LR101", "LR904") == [("LR101", "serverless.ts", 6, "hello"),
                                                  ("LR904", "serverless.ts", 7, None)]
    [notice] = [f["message"] for f in report["findings"] if f["rule_id"] == "LR904"]
    assert "the value of `functions.hello` is missing" in notice and "runtime" not in notice
