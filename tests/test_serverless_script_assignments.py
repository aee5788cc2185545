"""A serverless.ts that declares `functions: {}` and fills the configuration statement by statement
below its literal (`config.functions = { ...config.functions, api: api(vpc) }`, one more function
inside `if (stage === "dev") {...}`) before exporting it: the Framework deploys what the object holds
once the module has run, so those functions are read, at the lines of their assignments. An
assignment the review cannot place (in a loop, under a computed key) is a notice, never silence.

Seen on newjersey/navigator.business.nj.gov (`api/serverless.ts`): 0 functions were listed and no
notice said why; its seven functions are now read. Its LR904 notices were cut at ten per file
before the one saying a function could not be read, one per IAM statement and one per function for
the same `vpc: env.CI ? {...} : undefined`; they are now said once each, declarations first."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.serverless.read import ServerlessFormat
from reviewer.inventory.serverless.script_notices import UnreadValue, unread_notices
from reviewer.workspace import Workspace

SERVICE = {
    "permits/tsconfig.json": (
        '{\n  "compilerOptions": {\n    "baseUrl": ".",\n'
        '    "paths": { "@functions/*": ["src/functions/*"], "@libs/*": ["src/libs/*"] }\n  }\n}\n'),
    "permits/src/libs/paths.ts": (
        "export const handlerPath = (context: string): string =>\n"
        "  `${context.split(process.cwd())[1].substring(1)}`;\n"),
    "permits/src/functions/api/index.ts": (
        "import { handlerPath } from '@libs/paths';\n\n"
        "export default (vpc: object | undefined) => ({\n"
        "  handler: `${handlerPath(__dirname)}/app.handler`,\n"
        "  events: [{ http: { method: 'ANY', path: '/{proxy+}', authorizer: { arn: 'arn:aws:cognito-idp:x' } } }],\n"
        "  vpc,\n"
        "});\n"),
    "permits/src/functions/api/app.ts": "export const handler = async () => ({ statusCode: 200, body: '' });\n",
    # A helper that works one value out before returning its literal.
    "permits/src/functions/nightlySync/index.ts": (
        "import { handlerPath } from '@libs/paths';\n\n"
        "export default (vpc: object | undefined) => {\n"
        "  const weekdays = process.env.STAGE === 'prod';\n"
        "  return {\n"
        "    handler: `${handlerPath(__dirname)}/app.run`,\n"
        "    events: [{ schedule: { rate: [weekdays ? 'cron(0 2 ? * MON-FRI *)' : 'cron(0 2 ? * SUN *)'] } }],\n"
        "    vpc,\n"
        "  };\n"
        "};\n"),
    "permits/src/functions/nightlySync/app.ts": "export const run = async () => undefined;\n",
    "permits/src/functions/rotateKeys/index.ts": (
        "import { handlerPath } from '@libs/paths';\n\n"
        "export default (vpc: object | undefined) => ({ handler: `${handlerPath(__dirname)}/app.handler`, vpc });\n"),
    "permits/src/functions/rotateKeys/app.ts": "export const handler = async () => undefined;\n",
    "permits/serverless.ts": (
        "import type { AWS } from '@serverless/typescript';\n"              # 1
        "import api from '@functions/api';\n"
        "import nightlySync from '@functions/nightlySync';\n"
        "import rotateKeys from '@functions/rotateKeys';\n\n"               # 4
        "const stage = process.env.STAGE || 'local';\n"                     # 6
        "const region = 'us-east-1';\n\n"
        "const serverlessConfiguration: AWS = {\n"                          # 9
        "  service: 'permits-api',\n"
        "  provider: {\n"
        "    name: 'aws',\n"
        "    runtime: 'nodejs20.x',\n"                                     # 13
        "    iam: { role: { statements: [\n"
        "      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: `arn:aws:dynamodb:${region}:*:table/permits-${stage}` },\n"
        "      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::permits-${stage}/*` },\n"
        "      { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: `arn:aws:ssm:${region}:*:parameter/${stage}/*` },\n"
        "    ] } },\n"
        "  },\n"
        "  functions: {},\n"
        "};\n\n"                                                           # 21
        "const vpc = process.env.CI ? { securityGroupIds: ['sg-1'], subnetIds: ['subnet-1'] } : undefined;\n\n"
        "serverlessConfiguration.functions = {\n"                          # 25
        "  ...serverlessConfiguration.functions,\n"
        "  api: api(vpc),\n"                                               # 27
        "  nightlySync: nightlySync(vpc),\n"                               # 28
        "};\n\n"
        "if (stage === 'dev') {\n"                                         # 31
        "  serverlessConfiguration.functions = {\n"
        "    ...serverlessConfiguration.functions,\n"
        "    rotateKeys: rotateKeys(vpc),\n"                               # 34
        "  };\n"
        "}\n\n"
        "module.exports = serverlessConfiguration;\n"),
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _notices(root: Path) -> list[dict]:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out, stderr=io.StringIO())
    return [f for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR904"]


def test_functions_assigned_below_the_literal_are_read_at_their_lines(tmp_path):
    functions = {fn.name: fn for fn in ServerlessFormat().scan(Workspace(_write(tmp_path, SERVICE))).functions}
    assert sorted(functions) == ["api", "nightlySync", "rotateKeys"]     # rotateKeys: deployed to dev
    assert [(functions[n].handler, functions[n].code_path, functions[n].location.line)
            for n in ("api", "nightlySync", "rotateKeys")] == [
        ("src/functions/api/app.handler", "permits/src/functions/api", 27),
        ("src/functions/nightlySync/app.run", "permits/src/functions/nightlySync", 28),
        ("src/functions/rotateKeys/app.handler", "permits/src/functions/rotateKeys", 34),
    ]
    assert {fn.runtime for fn in functions.values()} == {"nodejs20.x"}
    assert [t.kind for t in functions["nightlySync"].triggers] == ["schedule"]


def test_the_notices_say_each_unread_fact_once(tmp_path):
    notices = _notices(_write(tmp_path, SERVICE))
    messages = {(n["path"], n["line"]): n["message"].replace("\\", "") for n in notices}
    # The three statements' resources: one notice for the role's statements, not one each.
    assert "The values of `provider.iam.role.statements` in `permits/serverless.ts` (3:" in \
        messages[("permits/serverless.ts", 15)]
    # The same `vpc` handed to every helper: one notice naming the functions.
    assert "sets `vpc` of 3 functions (`api`, `nightlySync`, `rotateKeys`)" in messages[("permits/serverless.ts", 23)]
    # When the nightly job runs is no fact the review reads: nothing said about the schedule's rate.
    assert not any("rate" in message for message in messages.values())
    assert len(notices) == 2


def test_an_assignment_in_a_loop_is_a_notice_about_the_functions(tmp_path):
    files = dict(SERVICE)
    files["permits/serverless.ts"] = SERVICE["permits/serverless.ts"].replace(
        "module.exports", "for (const name of ['audit', 'export']) {\n"
        "  serverlessConfiguration.functions[name] = { handler: `src/jobs/${name}.handler` };\n}\n\n"
        "module.exports")
    notices = _notices(_write(tmp_path, files))
    [loop] = [n for n in notices if n["line"] == 39]
    assert "`serverlessConfiguration.functions[name]`, written where the review cannot tell which setting it " \
           "changes" in loop["message"].replace("\\", "")
    assert "declares a Lambda function in a form the review cannot read" in loop["message"]


def test_declarations_are_said_before_the_file_s_other_notices_run_out():
    """Eleven blocks of unread values come first in the file; the function the review could not
    read is still said within the file's ten notices."""
    values = [UnreadValue("serverless.ts", 10 + k, f"`process.env.T{k}`, a value computed when the file runs",
                          f"functions.job{k}.timeout", None, True) for k in range(11)]
    values.append(UnreadValue("serverless.ts", 40, "`makeJob(process.env.JOB)`, a value computed when the file runs",
                              "functions.nightly", None, True))
    notices = unread_notices(values, 10)
    assert len(notices) == 10
    assert notices[0].line == 40 and "declares a Lambda function" in notices[0].message


def test_a_helper_s_declared_name_built_from_its_parameter_is_spliced(tmp_path):
    """`const folder = \u0060src/functions/${name}\u0060; return { handler: \u0060${folder}/handler.main\u0060 }`:
    the template names a constant the helper declares from its parameter, spliced as the call
    binds it; the handler and its code are known, not a notice."""
    files = {
        "shop/serverless.ts": (
            "import { makeFunction } from './src/make';\n\n"
            "const serverlessConfiguration = {\n  service: 'shop',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
            "  functions: { orders: makeFunction('orders') },\n};\n\nmodule.exports = serverlessConfiguration;\n"),
        "shop/src/make.ts": (
            "export const makeFunction = (name: string) => {\n"
            "  const folder = `src/functions/${name}`;\n"
            "  return { handler: `${folder}/handler.main` };\n"
            "};\n"),
        "shop/src/functions/orders/handler.ts": "export const main = async () => ({ statusCode: 200 });\n",
    }
    [orders] = ServerlessFormat().scan(Workspace(_write(tmp_path, files))).functions
    assert (orders.handler, orders.code_path) == ("src/functions/orders/handler.main", "shop/src/functions/orders")


def test_a_choice_between_two_objects_that_spread_the_setting_writes_both(tmp_path):
    """`config.custom = stage === 'local' ? { ...config.custom, config: {...} } : { ...config.custom,
    config: {...} }`: the literal's `custom` keeps its keys and gains `config`, as both blocks of an
    `if` are read; the literal's unread values, read once more through each spread, are said once."""
    files = dict(SERVICE)
    files["permits/serverless.ts"] = SERVICE["permits/serverless.ts"].replace(
        "  functions: {},\n",
        "  custom: { tableName: 'permits', port: Number(process.env.PORT), table: '${self:custom.port}' },\n"
        "  functions: {},\n").replace(
        "module.exports",
        "serverlessConfiguration.custom = stage === 'local'\n"
        "  ? { ...serverlessConfiguration.custom, config: { source: 'local' } }\n"
        "  : { ...serverlessConfiguration.custom, config: { source: 'ssm' } };\n\n"
        "module.exports")
    root = _write(tmp_path, files)
    notices = [n for n in _notices(root) if "PORT" in n["message"]]
    assert len(notices) == 1
    assert notices[0]["message"].replace("\\", "").startswith("`permits/serverless.ts` sets `custom.port` to ")
    from reviewer.inventory.serverless.script import load_script
    workspace = Workspace(root)
    configuration = load_script(workspace, "permits/serverless.ts", workspace.read_text("permits/serverless.ts"), [])
    assert configuration is not None
    assert sorted(configuration["custom"]) == ["config", "port", "table", "tableName"]
    assert configuration["custom"]["config"] == {"source": "ssm"}
