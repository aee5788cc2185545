"""TypeScript CDK functions that take their runtime and code from a shared construct passed in their
props (`runtime: props.common.pythonRuntime`, `code: props.common.packager.lambdaCode(path.join(
__dirname, "functions/list"))`): the chain is followed through the declared types (the props
interface, the class of the shared construct, imported from another module) to a field with a
literal runtime and to a method that returns `Code.fromAsset` of its parameter, or `Code.fromBucket`
of an S3 asset built from it. What a caller fills in (a field set from a constructor parameter, a
property of the props interface) stays "computed when the app runs"."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

CDK_JSON = '{"app": "npx ts-node bin/app.ts"}'
HANDLER = "def handler(event, context):\n    return {}\n"

COMMON = """\
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { CodePackager } from "./code-packager";

const defaultRuntime = lambda.Runtime.PYTHON_3_12;

export interface CommonProps {
  readonly callerRuntime: lambda.Runtime;
}

export class Common extends Construct {
  readonly pythonRuntime: lambda.Runtime = defaultRuntime;
  readonly workerRuntime: lambda.Runtime;
  readonly callerRuntime: lambda.Runtime;
  readonly packager: CodePackager;

  constructor(scope: Construct, id: string, props: CommonProps) {
    super(scope, id);
    this.workerRuntime = lambda.Runtime.PYTHON_3_10;
    this.callerRuntime = props.callerRuntime;
    this.packager = new CodePackager(this, "Packager");
  }
}
"""

PACKAGER = """\
import { aws_s3_assets } from "aws-cdk-lib";
import { Code } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export class CodePackager extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  upload(folder: string): aws_s3_assets.Asset {
    const uploaded = new aws_s3_assets.Asset(this, "Upload", {
      path: folder,
      exclude: ["*.pyc"],
    });
    return uploaded;
  }

  lambdaCode(folder: string): Code {
    const uploaded = this.upload(folder);
    return Code.fromBucket(uploaded.bucket, uploaded.s3ObjectKey);
  }

  zipped(folder: string): Code {
    return Code.fromAsset(folder, { exclude: ["tests"] });
  }
}
"""

ORDERS = """\
import * as path from "path";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { Common } from "../common";

export interface OrdersProps {
  readonly common: Common;
  readonly runtime: lambda.Runtime;
}

export class Orders extends Construct {
  constructor(scope: Construct, id: string, props: OrdersProps) {
    super(scope, id);

    new lambda.Function(this, "ListOrders", {
      code: props.common.packager.lambdaCode(
        path.join(__dirname, "./functions/list")
      ),
      handler: "index.handler",
      runtime: props.common.pythonRuntime,
    });

    new lambda.Function(this, "ShipOrder", {
      code: props.common.packager.zipped(path.join(__dirname, "functions/ship")),
      handler: "index.handler",
      runtime: props.common.workerRuntime,
    });

    new lambda.Function(this, "CancelOrder", {
      code: lambda.Code.fromAsset(path.join(__dirname, "functions/cancel")),
      handler: "index.handler",
      runtime: props.common.callerRuntime,
    });

    new lambda.Function(this, "RefundOrder", {
      code: lambda.Code.fromAsset(path.join(__dirname, "functions/refund")),
      handler: "index.handler",
      runtime: props.runtime,
    });
  }
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def inventory(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def line_of(root: Path, rel: str, text: str) -> int:
    lines = (root / rel).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def app(tmp_path: Path) -> Path:
    files = {"cdk.json": CDK_JSON, "lib/common/index.ts": COMMON, "lib/common/code-packager.ts": PACKAGER,
             "lib/orders/orders.ts": ORDERS}
    for name in ("list", "ship", "cancel", "refund"):
        files[f"lib/orders/functions/{name}/index.py"] = HANDLER
    return write(tmp_path, files)


def test_a_shared_constructs_runtime_field_is_its_literal_runtime_where_the_module_writes_it(tmp_path):
    root = app(tmp_path)
    functions = inventory(root)
    listing, ship = functions["ListOrders"], functions["ShipOrder"]
    assert listing.runtime == "python3.12"
    assert ship.runtime == "python3.10"
    for function, setting in ((listing, "pythonRuntime"), (ship, "workerRuntime")):
        assert "Runtime" not in function.unresolved
        assert function.where("Runtime").path == "lib/orders/orders.ts"
        assert function.where("Runtime").line == line_of(root, "lib/orders/orders.ts", f"common.{setting}")
    default = listing.locations["Runtime.Default"]
    assert (default.path, default.line) == ("lib/common/index.ts", line_of(root, "lib/common/index.ts", "PYTHON_3_12"))
    default = ship.locations["Runtime.Default"]
    assert (default.path, default.line) == ("lib/common/index.ts", line_of(root, "lib/common/index.ts", "PYTHON_3_10"))


def test_a_shared_constructs_code_method_gives_the_folder_its_caller_passes(tmp_path):
    functions = inventory(app(tmp_path))
    assert functions["ListOrders"].code_path == "lib/orders/functions/list"   # Code.fromBucket of an S3 asset
    assert functions["ShipOrder"].code_path == "lib/orders/functions/ship"    # Code.fromAsset
    for name in ("ListOrders", "ShipOrder"):
        assert "CodeUri" not in functions[name].unresolved and "Code" not in functions[name].unresolved


def test_what_a_caller_fills_in_stays_computed_when_the_app_runs(tmp_path):
    functions = inventory(app(tmp_path))
    cancel, refund = functions["CancelOrder"], functions["RefundOrder"]
    assert cancel.runtime is None and refund.runtime is None
    assert "props.common.callerRuntime" in cancel.unresolved["Runtime"]
    assert "props.runtime" in refund.unresolved["Runtime"]
    assert cancel.code_path == "lib/orders/functions/cancel"


def test_code_from_the_bucket_of_an_s3_asset_of_the_same_file_is_the_assets_folder(tmp_path):
    stack = """\
import * as path from "path";
import * as assets from "aws-cdk-lib/aws-s3-assets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export class Endpoint extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const handlerAsset = new assets.Asset(this, "HandlerAsset", {
      path: path.join(__dirname, "../handlers"),
    });
    new lambda.Function(this, "OnEvent", {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: "index.on_event",
      code: lambda.Code.fromBucket(handlerAsset.bucket, handlerAsset.s3ObjectKey),
    });
    new lambda.Function(this, "OtherBucket", {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: "index.on_event",
      code: lambda.Code.fromBucket(handlerAsset.bucket, "prebuilt/handler.zip"),
    });
  }
}
"""
    root = write(tmp_path, {"cdk.json": CDK_JSON, "src/endpoint.ts": stack, "handlers/index.py": HANDLER})
    functions = inventory(root)
    assert functions["OnEvent"].code_path == "handlers"
    assert functions["OtherBucket"].code_path is None


def test_this_chain_through_a_constructor_parameter_property_and_an_unread_method_quoted_as_written(tmp_path):
    packager = PACKAGER.replace("  zipped(", """  prebuilt(folder: string): Code {
    return Code.fromBucket(this.bucket, folder);
  }

  zipped(""")
    stack = """\
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { Common } from "../common";

export class Billing extends Construct {
  constructor(scope: Construct, id: string, private readonly common: Common) {
    super(scope, id);
    new lambda.Function(this, "Invoice", {
      // a key naming no package file (`invoice.zip` would be a package built elsewhere)
      code: this.common.packager.prebuilt("invoice"),
      handler: "index.handler",
      runtime: this.common.pythonRuntime,
    });
  }
}
"""
    root = write(tmp_path, {"cdk.json": CDK_JSON, "lib/common/index.ts": COMMON,
                            "lib/common/code-packager.ts": packager, "lib/billing/billing.ts": stack})
    invoice = inventory(root)["Invoice"]
    assert invoice.runtime == "python3.12"
    assert invoice.code_path is None
    assert invoice.unresolved["Code"] == ('the code location `this.common.packager.prebuilt("invoice")` '
                                          "is computed when the app runs")
