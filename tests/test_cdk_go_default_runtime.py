"""A `GoFunction` without `runtime` deploys its construct's fixed default, `provided.al2`.

Shaped on a Go CDK app whose helpers each call `awscdklambdagoalpha.NewGoFunction` with an entry and
bundling flags but no runtime: both functions were listed with an unresolved runtime ("depends on
the CDK version"), though every release of the construct assigns `lambda.Runtime.PROVIDED_AL2`, a
deprecated runtime on the reference date.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from reviewer.cli import main
from reviewer.code.code_reach import code_out_of_reach
from reviewer.inventory import build_inventory
from reviewer.inventory.release_runtimes import DEFAULT_OF
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "go-default-runtime-app"


def functions(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_a_go_function_without_runtime_takes_the_constructs_default():
    fns = functions(APP)
    listed, added = fns["listBooks"], fns["addBook"]
    assert listed.runtime == "provided.al2" and "Runtime" not in listed.unresolved
    assert listed.properties[DEFAULT_OF] == "GoFunction"
    assert added.runtime == "provided.al2023" and DEFAULT_OF not in added.properties   # as written
    reach = code_out_of_reach(listed)
    assert reach is not None and "built from Go source" in reach.reason


def test_the_runtime_finding_says_the_default_is_why_and_offers_no_line_edit(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    out = tmp_path / "report.json"
    main(["scan", str(root), "--format", "json", "--output", str(out), "--fail-on", "never", "--audit", "off",
          "--reference-date", "2026-12-07"], stdout=io.StringIO())
    findings = [f for f in json.loads(out.read_text())["findings"] if f["rule_id"] == "LR100"]
    assert [(f["path"], f["line"]) for f in findings] == [("cdk/stack/functions.go", 20)]
    assert "No `runtime` is set, so `GoFunction` deploys its default, `provided.al2`" in findings[0]["message"]
    assert findings[0]["suggestion"] is None


def test_a_typescript_go_function_without_runtime_takes_the_same_default(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/stack.ts").write_text(
        "import { GoFunction } from '@aws-cdk/aws-lambda-go-alpha';\n"
        "import { Stack } from 'aws-cdk-lib';\n"
        "export class Api extends Stack {\n"
        "  constructor(scope: any, id: string) {\n"
        "    super(scope, id);\n"
        "    new GoFunction(this, 'Orders', { entry: 'cmd/orders' });\n"
        "  }\n"
        "}\n")
    assert functions(tmp_path)["Orders"].runtime == "provided.al2"
