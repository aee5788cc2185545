"""`NodejsFunction({ entry: require.resolve("../lambdas/api") })`: Node resolves the module from the
file's folder, its extension (or a folder's `index`) included, so the handler's code is read."""

from __future__ import annotations

from reviewer.code.reader import read_function_code
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def test_an_entry_resolved_by_require_is_the_module_beside_the_file(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node --prefer-ts-exts bin/app.ts"}')
    (tmp_path / "lambdas" / "jobs").mkdir(parents=True)
    (tmp_path / "lambdas" / "listing.ts").write_text("export const handler = async () => ({ statusCode: 200 });\n")
    (tmp_path / "lambdas" / "jobs" / "index.js").write_text("exports.handler = async () => 1;\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "api-stack.ts").write_text(
        "import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';\n"
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "const listing = new nodejs.NodejsFunction(this, 'Listing', {\n"
        "  runtime: lambda.Runtime.NODEJS_22_X,\n"
        "  entry: require.resolve('../lambdas/listing'),\n"
        "});\n"
        "new nodejs.NodejsFunction(this, 'Jobs', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "  entry: require.resolve('../lambdas/jobs') });\n"
        "new nodejs.NodejsFunction(this, 'Vendor', { runtime: lambda.Runtime.NODEJS_22_X,\n"
        "  entry: require.resolve('some-package/handler') });\n")
    workspace = Workspace(tmp_path)
    fns = {fn.name: fn for fn in build_inventory(workspace).functions}
    assert fns["Listing"].code_path == "lambdas/listing.ts"
    assert fns["Jobs"].code_path == "lambdas/jobs/index.js"
    assert fns["Vendor"].code_path is None
    reading = read_function_code(workspace, fns["Listing"])
    assert reading.skipped is None
    assert reading.handler_path == "lambdas/listing.ts"
