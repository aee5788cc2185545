"""An asset path a CDK app builds from its working directory (`System.getProperty("user.dir")`,
`process.cwd()`, `Directory.GetCurrentDirectory()`) is the app's folder, where the CDK CLI runs it:
the code folder is read like a literal path, where it was "computed when the app runs"."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

JAVA_STACK = """package com.parcel;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;
import java.nio.file.Paths;

public class ParcelStack extends Stack {
    public ParcelStack(final Construct scope, final String id) {
        super(scope, id, null);
        Function track = Function.Builder.create(this, "track")
            .code(Code.fromAsset(System.getProperty("user.dir") + "/functions/track"))
            .handler("track.handler")
            .runtime(Runtime.PYTHON_3_12)
            .build();
        Function label = Function.Builder.create(this, "label")
            .code(Code.fromAsset(Paths.get(System.getProperty("user.dir"), "functions", "label").toString()))
            .handler("label.handler")
            .runtime(Runtime.PYTHON_3_12)
            .build();
        Function other = Function.Builder.create(this, "other")
            .code(Code.fromAsset(System.getProperty("java.io.tmpdir") + "/functions/track"))
            .handler("track.handler")
            .runtime(Runtime.PYTHON_3_12)
            .build();
    }
}
"""
TS_STACK = """import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class ParcelStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new lambda.Function(this, 'track', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'track.handler',
      code: lambda.Code.fromAsset(path.join(process.cwd(), 'functions', 'track')),
    });
    new lambda.Function(this, 'label', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'label.handler',
      code: lambda.Code.fromAsset(`${process.cwd()}/functions/label`),
    });
  }
}
"""
CS_STACK = """using System.IO;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace Parcel
{
    public class ParcelStack : Stack
    {
        internal ParcelStack(Construct scope, string id) : base(scope, id)
        {
            new Function(this, "track", new FunctionProps
            {
                Runtime = Runtime.PYTHON_3_12,
                Handler = "track.handler",
                Code = Code.FromAsset(Path.Combine(Directory.GetCurrentDirectory(), "functions/track"))
            });
            new Function(this, "label", new FunctionProps
            {
                Runtime = Runtime.PYTHON_3_12,
                Handler = "label.handler",
                Code = Code.FromAsset(Directory.GetCurrentDirectory() + "/functions/label")
            });
        }
    }
}
"""


def _app(tmp_path: Path, source: str, text: str) -> dict[str, tuple[str | None, dict[str, str]]]:
    app = tmp_path / "infra"
    for name in ("track", "label"):
        (app / "functions" / name).mkdir(parents=True)
        (app / "functions" / name / f"{name}.py").write_text("def handler(event, context):\n    return event\n")
    (app / "cdk.json").write_text('{"app": "run the app"}')
    (app / source).parent.mkdir(parents=True, exist_ok=True)
    (app / source).write_text(text)
    functions = build_inventory(Workspace(tmp_path)).functions
    return {fn.name: (fn.code_path, dict(fn.unresolved)) for fn in functions}


def test_a_java_path_from_the_jvms_working_directory_is_the_apps_folder(tmp_path):
    found = _app(tmp_path, "src/main/java/com/parcel/ParcelStack.java", JAVA_STACK)
    assert found["track"] == ("infra/functions/track", {})
    assert found["label"] == ("infra/functions/label", {})
    assert found["other"][0] is None and "Code" in found["other"][1]   # another property is no folder of the app


def test_a_typescript_path_from_process_cwd_is_the_apps_folder(tmp_path):
    found = _app(tmp_path, "lib/parcel-stack.ts", TS_STACK)
    assert found == {"track": ("infra/functions/track", {}), "label": ("infra/functions/label", {})}


def test_a_csharp_path_from_the_current_directory_is_the_apps_folder(tmp_path):
    found = _app(tmp_path, "src/Parcel/ParcelStack.cs", CS_STACK)
    assert found == {"track": ("infra/functions/track", {}), "label": ("infra/functions/label", {})}
