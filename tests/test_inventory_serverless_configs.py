"""Service files named by `serverless deploy --config FILE` in a package.json script are read;
other files named like a service are not."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.inventory.serverless.configs import configured_services
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_services_named_by_a_deploy_script_are_read_and_an_unnamed_variant_is_not(tmp_path):
    _write(tmp_path, {
        "package.json": json.dumps({"scripts": {
            "jobs": "serverless offline --stage dev --config jobs.serverless.ts --noTimeout",
            "jobs:dev": "npm run build && npx sls deploy -c jobs.serverless.ts --stage dev",
            "reports:dev": "serverless deploy --config=infra/reports.yml",
            "missing": "serverless deploy --config gone.serverless.ts",
            "lint": "eslint --config .eslintrc.json .",
        }}),
        "jobs.serverless.ts": (
            "import { fetchJobs } from './src/app';\n\n"
            "const configuration = {\n  service: 'jobs',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: { fetchJobs },\n};\nmodule.exports = configuration;\n"),
        "src/app/index.ts": "export const fetchJobs = { handler: 'src/app/fetch.handler' };\n",
        "infra/reports.yml": (
            "service: reports\nprovider:\n  name: aws\n  runtime: python3.12\n"
            "functions:\n  daily:\n    handler: daily.handler\n"),
        "serverless.offline.ts": "module.exports = { service: 'jobs-offline', functions: { x: { handler: 'x.y' } } };\n",
    })
    workspace = Workspace(tmp_path)
    assert configured_services(workspace) == ["infra/reports.yml", "jobs.serverless.ts"]
    fns = {fn.name: fn for fn in ServerlessFormat().scan(workspace).functions}
    assert set(fns) == {"fetchJobs", "daily"}
    assert (fns["fetchJobs"].runtime, fns["fetchJobs"].handler) == ("nodejs20.x", "src/app/fetch.handler")
    assert (str(fns["daily"].location), fns["daily"].runtime) == ("infra/reports.yml:6", "python3.12")


def test_a_service_named_by_its_usual_name_and_by_a_script_is_read_once(tmp_path):
    _write(tmp_path, {
        "api/package.json": json.dumps({"scripts": {"deploy": "serverless deploy --config serverless.yml"}}),
        "api/serverless.yml": "service: api\nprovider:\n  name: aws\n  runtime: python3.12\n"
                              "functions:\n  ping:\n    handler: ping.handler\n",
    })
    assert [fn.name for fn in ServerlessFormat().scan(Workspace(tmp_path)).functions] == ["ping"]


def test_services_a_compose_file_names_with_config_are_read(tmp_path):
    """serverless-compose.yml: `path: functions/api` with `config: serverless-api.yml` is that
    service's file; a service without `config` is its folder's serverless.yml, read by its name."""
    service = "service: {name}\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  {fn}:\n    handler: h.main\n"
    _write(tmp_path, {
        "serverless-compose.yml": (
            "services:\n  api:\n    path: functions/api\n    config: serverless-api.yml\n"
            "  jobs:\n    path: functions/jobs\n    config: serverless-jobs.yml\n"
            "  web:\n    path: web\n  ghost:\n    path: gone\n    config: serverless-gone.yml\n"),
        "functions/api/serverless-api.yml": service.format(name="api", fn="getPrices"),
        "functions/jobs/serverless-jobs.yml": service.format(name="jobs", fn="importPrices"),
        "web/serverless.yml": service.format(name="web", fn="render"),
    })
    workspace = Workspace(tmp_path)
    assert configured_services(workspace) == ["functions/api/serverless-api.yml", "functions/jobs/serverless-jobs.yml"]
    fns = {fn.name: str(fn.location) for fn in ServerlessFormat().scan(workspace).functions}
    assert fns == {"getPrices": "functions/api/serverless-api.yml:6", "importPrices": "functions/jobs/serverless-jobs.yml:6",
                   "render": "web/serverless.yml:6"}
