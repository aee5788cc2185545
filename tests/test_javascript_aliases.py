"""The repository file a handler's non-relative import names through its tsconfig's `paths` or
`baseUrl`: the nearest config above the importer, the files it extends, TypeScript's choice of
pattern, and nothing outside the workspace or in a declaration file."""

from __future__ import annotations

from pathlib import Path

from reviewer.code.javascript_aliases import aliased_module
from reviewer.code.javascript_program import load_program
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _found(root: Path, importer: str, specifier: str) -> str | None:
    workspace = Workspace(root)

    def resolve(base: str) -> str | None:
        for candidate in (base, base + ".ts", base + "/index.ts"):
            if workspace.exists(candidate) and not workspace.is_dir(candidate):
                return candidate
        return None

    return aliased_module(workspace, importer, specifier, resolve, {})


def test_paths_from_an_extended_config_are_relative_to_its_base_url(tmp_path: Path) -> None:
    _write(tmp_path, {
        "tsconfig.base.json": '{"compilerOptions": {"baseUrl": "./packages", "paths": {"@shared/*": ["shared/src/*"]}}}',
        "services/orders/tsconfig.json": '{"extends": "../../tsconfig.base.json", "compilerOptions": {"outDir": "dist"}}',
        "services/orders/src/handler.ts": "",
        "packages/shared/src/db.ts": "",
        "packages/config/index.ts": "",
    })
    assert _found(tmp_path, "services/orders/src/handler.ts", "@shared/db") == "packages/shared/src/db.ts"
    assert _found(tmp_path, "services/orders/src/handler.ts", "config") == "packages/config/index.ts"   # baseUrl
    assert _found(tmp_path, "services/orders/src/handler.ts", "aws-sdk") is None


def test_the_longest_prefix_wins_and_an_exact_pattern_over_any_wildcard(tmp_path: Path) -> None:
    _write(tmp_path, {
        "tsconfig.json": '{"compilerOptions": {"paths": {"@app/*": ["src/*"], "@app/lib/*": ["lib/*"],'
                         ' "@app/lib/db": ["db/main"]}}}',
        "src/lib/db.ts": "", "lib/db.ts": "", "lib/queue.ts": "", "src/lib/queue.ts": "", "db/main.ts": "",
    })
    assert _found(tmp_path, "handler.ts", "@app/lib/queue") == "lib/queue.ts"
    assert _found(tmp_path, "handler.ts", "@app/lib/db") == "db/main.ts"


def test_nothing_outside_the_workspace_nor_a_declaration_file(tmp_path: Path) -> None:
    _write(tmp_path, {
        "repo/tsconfig.json": '{"compilerOptions": {"paths": {"/opt/nodejs/*": ["../../layer/*"],'
                              ' "pkg": ["types/pkg.d.ts"]}, "baseUrl": "."}}',
        "repo/types/pkg.d.ts": "",
        "layer/util.ts": "",
    })
    assert _found(tmp_path / "repo", "src/handler.ts", "/opt/nodejs/util") is None
    assert _found(tmp_path / "repo", "src/handler.ts", "pkg") is None


def test_a_program_follows_the_nearest_configs_alias_to_a_layer_and_the_layers_own(tmp_path: Path) -> None:
    _write(tmp_path, {
        "runtime/sender/tsconfig.json": '{"compilerOptions": {"paths": {"/opt/nodejs/src/services": '
                                        '["../layers/base/src/services"],}, // the layer\n},\n}',
        "runtime/sender/src/handler.ts": "import { send } from '/opt/nodejs/src/services';\n"
                                         "export const handler = async () => send();\n",
        "runtime/layers/base/tsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}',
        "runtime/layers/base/src/services/index.ts": "import { client } from 'clients/sqs';\n"
                                                     "export const send = () => client;\n",
        "runtime/layers/base/src/clients/sqs.ts": "export const client = 1;\n",
    })
    program = load_program(Workspace(tmp_path), "runtime/sender/src/handler.ts", "handler")
    assert list(program.files) == ["runtime/sender/src/handler.ts", "runtime/layers/base/src/services/index.ts",
                                   "runtime/layers/base/src/clients/sqs.ts"]


def test_a_function_imported_from_a_layers_barrel_is_followed_to_its_write(tmp_path: Path) -> None:
    """`import { requeue } from '/opt/nodejs/src/services'`, whose `index.ts` only re-exports
    (`export * from './queue.service'`, `export { send as dispatch } from ...`): the calls reach the
    functions the barrel passes on."""
    from reviewer.code.javascript_reader import read_javascript_writes

    _write(tmp_path, {
        "runtime/sender/tsconfig.json": '{"compilerOptions": {"paths": {"/opt/nodejs/src/*": ["../layers/base/src/*"]}}}',
        "runtime/sender/src/handler.ts": "import { requeue, dispatch } from '/opt/nodejs/src/services';\n"
                                         "export const handler = async (event: any) => {\n"
                                         "  await requeue(event.Records[0].body);\n"
                                         "  await dispatch(event.Records[0].body);\n"
                                         "};\n",
        "runtime/layers/base/src/services/index.ts": "export * from './logging.service';\n"
                                                     "export * from './queue.service';\n"
                                                     "export { send as dispatch } from './topic.service';\n",
        "runtime/layers/base/src/services/logging.service.ts": "export const log = (m: string) => console.log(m);\n",
        "runtime/layers/base/src/services/queue.service.ts":
            "import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';\n"
            "const sqs = new SQSClient({});\n"
            "export const requeue = async (body: string) =>\n"
            "  sqs.send(new SendMessageCommand({ QueueUrl: process.env.RETRY_QUEUE_URL, MessageBody: body }));\n",
        "runtime/layers/base/src/services/topic.service.ts":
            "import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';\n"
            "const sns = new SNSClient({});\n"
            "export async function send(message: string) {\n"
            "  return sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: message }));\n"
            "}\n",
    })
    program = load_program(Workspace(tmp_path), "runtime/sender/src/handler.ts", "handler")
    assert {(write.location.path, write.location.line, write.target.describe()) for write in read_javascript_writes(program)} == {
        ("runtime/layers/base/src/services/queue.service.ts", 4, "environment variable RETRY_QUEUE_URL"),
        ("runtime/layers/base/src/services/topic.service.ts", 4, "environment variable TOPIC_ARN"),
    }
