"""A TypeScript monorepo compiled once at its root (`tsconfig.json`, `outDir: ./dist`, the sources'
paths mirrored from the root) whose build script copies `dist` into every Serverless service before
deploying (`cp -r dist services/reports/dist`): each service's handler is
`dist/services/reports/build-report/build-report.handler`, the compiled copy of
`services/reports/build-report/build-report.ts`. The source is read from that path under the folder
above the service; the loop check and LR306 read the handler instead of saying it is not there.

Seen on SFOE/EnergyDashboard-Backend (140 functions in seven composed services): code read for 0
of 140 functions, and an LR206 notice on the S3-triggered router; all 140 are now read."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

FILES = {
    "tsconfig.json": '{\n  "compilerOptions": { "outDir": "./dist", "module": "commonjs" },\n  "include": ["**/*.ts"]\n}\n',
    "build.sh": "#!/usr/bin/env bash\ntsc\ncp -r dist services/reports/dist\ncp -r dist services/api/dist\n",
    "services/reports/serverless.yml": (
        "service: reports\n"
        "provider:\n  name: aws\n  runtime: nodejs20.x\n"
        "functions:\n"
        "  build-report:\n"
        "    handler: dist/services/reports/build-report/build-report.handler\n"
        "    events:\n"
        "      - s3:\n          bucket: uploads-raw\n          event: s3:ObjectCreated:*\n          existing: true\n"),
    "services/reports/build-report/build-report.ts": (
        "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\n"
        "import { S3Event } from 'aws-lambda';\n\n"
        "const s3 = new S3Client({});\n\n"
        "export const handler = async (event: S3Event) => {\n"
        "  const key = event.Records[0].s3.object.key;\n"
        "  await s3.send(new PutObjectCommand({ Bucket: 'reports-out', Key: `${key}.json`, Body: '{}' }));\n"
        "};\n"),
    "services/api/serverless.yml": (
        "service: api\n"
        "provider:\n  name: aws\n  runtime: nodejs20.x\n"
        "functions:\n"
        "  get-report:\n"
        "    handler: dist/services/api/reports/get-report.handler\n"
        "    events:\n      - http: { path: reports, method: get }\n"),
    "services/api/reports/get-report.ts": "export const handler = async () => ({ statusCode: 200, body: '[]' });\n",
}


def test_the_compiled_copy_s_source_is_read_from_the_folder_above_the_service(tmp_path: Path) -> None:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "markdown", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out, stderr=io.StringIO())
    report = out.getvalue()
    assert "Recursion check: code read for 2 of 2 functions" in report
    assert "read (JavaScript/TypeScript, services/reports/build-report/build-report.ts" in report
    assert "read (JavaScript/TypeScript, services/api/reports/get-report.ts" in report
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out, stderr=io.StringIO())
    assert not [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR206"]
