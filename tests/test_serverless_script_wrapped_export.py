"""A serverless.ts that hands its configuration to a helper of the project which fills it in and
hands it back: `module.exports = withDefaults(service)`, the helper (a package of the monorepo,
imported through a `tsconfig.json` path) setting `config.provider.runtime` and plugins. The
functions and settings are read from what the call is handed, and the notice says the call may
change them; a runtime the literal does not write is unknown, not the Framework's default.

Seen on silasstoffel/book-store (`module.exports = serverlessSidecar(serverless)` in each app):
no function was listed, only one LR904 notice per service."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.workspace import Workspace

MONOREPO = {
    "tsconfig.base.json": (
        '{\n  "compilerOptions": {\n    "baseUrl": ".",\n'
        '    "paths": { "@kit/sls-defaults": ["packages/sls-defaults/src/index.ts"] }\n  }\n}\n'),
    "packages/sls-defaults/src/index.ts": (
        "import type { AWS } from '@serverless/typescript'\n\n"
        "export function withDefaults(config: AWS): AWS {\n"
        "  config.provider.runtime = 'nodejs18.x'\n"
        "  config.plugins = ['serverless-esbuild']\n"
        "  return config\n}\n"),
    "apps/catalog/tsconfig.json": '{ "extends": "../../tsconfig.base.json" }\n',
    "apps/catalog/serverless.ts": (
        "import type { AWS } from '@serverless/typescript'\n"
        "import { withDefaults } from '@kit/sls-defaults'\n"
        "import functions from './src/handlers'\n\n"
        "const service: AWS = {\n"
        "  service: 'catalog',\n"
        "  provider: { name: 'aws', memorySize: 256 },\n"
        "  functions,\n"
        "}\n\n"
        "module.exports = withDefaults(service)\n"),
    "apps/catalog/src/handlers/index.ts": (
        "export default {\n"
        "  'list-books': { handler: 'src/handlers/list.main', events: [{ http: { method: 'GET', path: '/books' } }] },\n"
        "  'add-book': { handler: 'src/handlers/add.main' },\n"
        "}\n"),
    "apps/catalog/src/handlers/list.ts": "export const main = async () => ({ statusCode: 200, body: '[]' })\n",
    "apps/catalog/src/handlers/add.ts": "export const main = async () => ({ statusCode: 201, body: '{}' })\n",
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_functions_of_a_configuration_handed_to_a_helper_are_read(tmp_path):
    functions = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(_write(tmp_path, MONOREPO))).functions}
    assert sorted(functions) == ["add-book", "list-books"]
    listed = functions["list-books"]
    assert (listed.handler, listed.code_path) == ("src/handlers/list.main", "apps/catalog/src/handlers")
    assert listed.runtime is None
    assert "not read statically" in listed.unresolved["Runtime"]


def test_the_notice_says_the_call_may_change_what_was_read(tmp_path):
    out = io.StringIO()
    main(["scan", str(_write(tmp_path, MONOREPO)), "--format", "json", "--audit", "off", "--fail-on", "never"],
         stdout=out, stderr=io.StringIO())
    notices = [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR904"]
    assert [(f["path"], f["line"]) for f in notices] == [("apps/catalog/serverless.ts", 11)]
    assert "`withDefaults(service)`" in notices[0]["message"]
    assert "read from `service`" in notices[0]["message"]


def test_options_handed_to_a_factory_are_no_service(tmp_path):
    files = dict(MONOREPO)
    files["apps/catalog/serverless.ts"] = (
        "import { makeService } from '@kit/sls-defaults'\n\n"
        "module.exports = makeService({ name: 'catalog', handlers: ['list', 'add'] })\n")
    assert ServerlessFormat().scan(Workspace(_write(tmp_path, files))).functions == []
