"""A CDK app with a port of itself in a subfolder (its own `cdk.json`), and the original app's
`cdk.out/` committed: the synthesized function is the original's construct, not a third function."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

STACK = """import * as lambda from 'aws-cdk-lib/aws-lambda';
export class FilesStack {
  constructor() {
    new lambda.Function(this, 'FilesHandler', {
      runtime: lambda.Runtime.%s, code: lambda.Code.fromAsset('lambda'), handler: 'files.handler',
    });
  }
}
"""

TEMPLATE = """{
  "Resources": {
    "FilesHandler0A1B2C3D": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Handler": "files.handler", "Runtime": "nodejs20.x", "Code": {"S3Bucket": "b", "S3Key": "k"}},
      "Metadata": {"aws:cdk:path": "FilesStack/FilesHandler/Resource"}
    }
  }
}
"""


def test_the_synthesized_function_joins_the_construct_of_its_own_app(tmp_path: Path) -> None:
    app = tmp_path / "files-app"
    for folder, runtime in ((app, "NODEJS_20_X"), (app / "port", "PYTHON_3_13")):
        (folder / "lib").mkdir(parents=True)
        (folder / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}')
        (folder / "lib" / "stack.ts").write_text(STACK % runtime)
    (app / "cdk.out").mkdir()
    (app / "cdk.out" / "FilesStack.template.json").write_text(TEMPLATE)
    functions = sorted((fn.location.path, fn.runtime) for fn in build_inventory(Workspace(tmp_path)).functions)
    assert functions == [("files-app/lib/stack.ts", "nodejs20.x"), ("files-app/port/lib/stack.ts", "python3.13")]
