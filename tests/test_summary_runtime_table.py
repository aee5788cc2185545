"""The summary's runtime table says once what many functions share: one sentence when every
function has the same runtime, status and dates, one numbered note for an unresolved reason that
several rows give, one note for the aws-cdk-lib release that names `Runtime.NODEJS_LATEST`.

The app is the npm-workspaces monorepo of `test_cdk_variable_runtimes.py`.
"""

from __future__ import annotations

import io
from pathlib import Path

from reviewer.cli import main
from tests.test_cdk_variable_runtimes import DAY, monorepo


def markdown(root: Path) -> str:
    out = io.StringIO()
    main(["scan", str(root), "--format", "markdown", "--reference-date", DAY, "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return out.getvalue()


def test_a_range_without_a_lock_is_said_once_for_all_functions(tmp_path):
    monorepo(tmp_path, locked=None)
    text = markdown(tmp_path)
    assert text.count("^2.154.1") == 1
    assert "All 2 functions: runtime `unresolved`, `Runtime.NODEJS_LATEST` is the runtime" in text
    assert "| Function | Declared at |\n" in text and "Note 1" not in text


def test_a_reason_several_rows_share_is_one_numbered_note_below_the_table(tmp_path):
    monorepo(tmp_path, locked=None)
    api = tmp_path / "packages/cdk/lib/construct/api.ts"
    api.write_text(api.read_text().replace(
        "  }\n}\n",
        "    new NodejsFunction(this, 'Health', { runtime: Runtime.NODEJS_22_X, entry: './lambda/predict.ts' });\n"
        "  }\n}\n"))
    text = markdown(tmp_path)
    assert text.count("^2.154.1") == 1 and text.count("| see note 1 |") == 2
    assert "| Function | Declared at | Runtime | Status | Key date | Successor |" in text
    assert "Note 1: `Runtime.NODEJS_LATEST` is the runtime" in text


def test_the_named_runtime_and_its_release_are_said_once_in_the_summary(tmp_path):
    monorepo(tmp_path)
    text = markdown(tmp_path)
    assert "All 2 functions: runtime `nodejs18.x`, deprecated" in text
    assert text.count("aws-cdk-lib 2.187.0, the release package-lock.json locks") == 1
    assert "| Function | Declared at | Runtime |" not in text


def test_a_table_of_different_runtimes_keeps_its_columns(tmp_path):
    monorepo(tmp_path)
    api = tmp_path / "packages/cdk/lib/construct/api.ts"
    api.write_text(api.read_text().replace("Runtime.NODEJS_LATEST,\n      entry: './lambda/listChats.ts'",
                                           "Runtime.NODEJS_22_X,\n      entry: './lambda/listChats.ts'"))
    text = markdown(tmp_path)
    assert "| Function | Declared at | Runtime | Status | Key date | Successor |" in text
    assert "All 2 functions" not in text
    assert "the runtime of 1 function above" in text


def _shared_runtime_services(root, common_runtime: str) -> None:
    """ubc-biztech's shape: every service reads `provider.runtime` from a common file outside it."""
    (root / "serverless.common.yml").write_text(f"provider:\n  runtime: {common_runtime}\n")
    for service, handlers in (("events", ("create", "list")), ("members", ("get",))):
        folder = root / "services" / service
        folder.mkdir(parents=True)
        functions = "".join(f"  {name}:\n    handler: handlers.{name}\n" for name in handlers)
        (folder / "serverless.yml").write_text(
            f"service: biztech-{service}\nprovider:\n  name: aws\n"
            "  runtime: ${file(../../serverless.common.yml):provider.runtime}\n"
            f"functions:\n{functions}")
        (folder / "handlers.js").write_text("".join(f"module.exports.{name} = async () => ({{}});\n"
                                                    for name in handlers))


def test_services_sharing_a_provider_runtime_from_another_file_say_it_once(tmp_path):
    _shared_runtime_services(tmp_path, "nodejs20.x")
    runtimes = markdown(tmp_path).split("### Runtimes", 1)[1].split("<details>", 1)[0]
    assert "All 3 functions: runtime `nodejs20.x`" in runtimes and "| Runtime |" not in runtimes


def test_services_sharing_an_unresolved_runtime_from_another_file_say_its_reason_once(tmp_path):
    _shared_runtime_services(tmp_path, "${opt:runtime}")
    runtimes = markdown(tmp_path).split("### Runtimes", 1)[1].split("<details>", 1)[0]
    assert "All 3 functions: runtime `unresolved`, depends on" in runtimes
    assert runtimes.count("opt:runtime") == 1 and "| Runtime |" not in runtimes


def test_a_blocked_runtime_says_since_when_once(tmp_path):
    """insify's poll service on nodejs12.x read "update blocked, update blocked 2023-04-30"."""
    _shared_runtime_services(tmp_path, "nodejs12.x")
    runtimes = markdown(tmp_path).split("### Runtimes", 1)[1].split("<details>", 1)[0]
    assert "All 3 functions: runtime `nodejs12.x`, update blocked since 2023-04-30, successor" in runtimes
    (tmp_path / "services" / "members" / "serverless.yml").write_text(
        (tmp_path / "services" / "members" / "serverless.yml").read_text().replace(
            "${file(../../serverless.common.yml):provider.runtime}", "nodejs22.x"))
    table = markdown(tmp_path).split("### Runtimes", 1)[1].split("<details>", 1)[0]
    assert "| `nodejs12.x` | update blocked | since 2023-04-30 | `nodejs24.x` |" in table
