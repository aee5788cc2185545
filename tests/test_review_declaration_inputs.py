"""A pull request that changes only a file a CDK or Terraform declaration reads brings the
functions it decides into review (`Function.declaration_inputs`).

The repositories have the shapes such apps take: a TypeScript CDK app whose stack makes its
functions through a helper of `lib/constructs/` that takes their handler and asset folder from a
settings module (`lib/settings.ts`) and their runtime from the caller, and one function written in the stack that reads the same
settings; a Python CDK app that names a function and its code folder with the constants of
`stacks/constants.py`; a Terraform root whose module call makes its function from a module folder
whose `archive.tf` zips the code. Each pull request is a real commit reviewed by the real pipeline.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import Settings, resolve_settings
from reviewer.review import git as review_git
from reviewer.review.change import ReviewOutcome, review_change
from reviewer.review.diff import diff_map_from_unified

CDK_PACKAGE = '{"name": "shop", "dependencies": {"aws-cdk-lib": "2.150.0", "constructs": "10.3.0"}}\n'

SETTINGS_TS = """\
export const HANDLER = '{handler}';
export const LAMBDA_ROOT = 'lambda';
export const TAGS = {{ team: 'shop' }};
"""

HELPER_TS = """\
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as path from 'path';
import { HANDLER, LAMBDA_ROOT } from '../settings';

export function createApiFunction(scope: Construct, id: string, runtime: lambda.Runtime,
                                  folder: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime,
    handler: HANDLER,
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', LAMBDA_ROOT, folder)),
  });
}
"""

STACK_TS = """\
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createApiFunction } from './constructs/api-function';
import { HANDLER, TAGS } from './settings';

export class ShopStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    createApiFunction(this, 'ListOrders', lambda.Runtime.NODEJS_20_X, 'orders');
    createApiFunction(this, 'ListUsers', lambda.Runtime.NODEJS_22_X, 'users');
    new lambda.Function(this, 'Reports', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: HANDLER,
      code: lambda.Code.fromAsset('lambda/reports'),
    });
    new lambda.Function(this, 'Cleanup', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('lambda/cleanup'),
    });
    cdk.Tags.of(this).add('team', TAGS.team);
  }
}
"""

HANDLER_JS = "exports.handler = async () => ({ statusCode: 200 });\nexports.main = exports.handler;\n"


def settings(root: Path) -> Settings:
    return resolve_settings(root, None, reference_date="2026-12-07", audit="off")


def review(root: Path, base: str, head: str) -> ReviewOutcome:
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    return review_change(root, settings(root), diff, base_rev=base, head_rev=head)


def commit(root: Path, path: str, text: str) -> str:
    (root / path).write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", f"change {path}")
    return git(root, "rev-parse", "HEAD").strip()


def focused(outcome: ReviewOutcome) -> set[str]:
    assert outcome.head is not None and outcome.head.focused is not None
    return {function.name for function in outcome.head.focused}


def typescript_app(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "shop"
    (root / "bin").mkdir(parents=True)
    (root / "lib" / "constructs").mkdir(parents=True)
    (root / "package.json").write_text(CDK_PACKAGE, encoding="utf-8")
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/shop.ts"}\n', encoding="utf-8")
    (root / "bin" / "shop.ts").write_text(
        "import * as cdk from 'aws-cdk-lib';\nimport { ShopStack } from '../lib/shop-stack';\n"
        "new ShopStack(new cdk.App(), 'Shop');\n", encoding="utf-8")
    (root / "lib" / "settings.ts").write_text(SETTINGS_TS.format(handler="index.handler"), encoding="utf-8")
    (root / "lib" / "constructs" / "api-function.ts").write_text(HELPER_TS, encoding="utf-8")
    (root / "lib" / "shop-stack.ts").write_text(STACK_TS, encoding="utf-8")
    for folder in ("orders", "users", "reports", "cleanup"):
        (root / "lambda" / folder).mkdir(parents=True)
        (root / "lambda" / folder / "index.js").write_text(HANDLER_JS, encoding="utf-8")
    return root, first_commit(root)


def test_a_handler_changed_in_a_cdk_settings_module_brings_the_functions_it_names_into_review(tmp_path):
    root, base = typescript_app(tmp_path)
    head = commit(root, "lib/settings.ts", SETTINGS_TS.format(handler="index.main"))

    outcome = review(root, base, head)

    assert outcome.head is not None
    handlers = {function.name: function.handler for function in outcome.head.functions}
    assert handlers == {"ListOrders": "index.main", "ListUsers": "index.main", "Reports": "index.main",
                        "Cleanup": "index.handler"}
    # the helper's functions and the stack's own that read the module; not the one that does not
    assert focused(outcome) == {"ListOrders", "ListUsers", "Reports"}


def test_a_change_to_the_helper_module_brings_the_functions_its_callers_make_into_review(tmp_path):
    root, base = typescript_app(tmp_path)   # no fact of theirs is located there: the callers pass the runtime
    head = commit(root, "lib/constructs/api-function.ts",
                  HELPER_TS.replace("    code:", "    memorySize: 512,\n    code:"))

    assert focused(review(root, base, head)) == {"ListOrders", "ListUsers"}


PYTHON_STACK = """\
from aws_cdk import Stack, aws_lambda as _lambda
from constructs import Construct

from stacks import constants


class OrdersStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        _lambda.Function(self, constants.CREATE_ORDER, runtime=_lambda.Runtime.PYTHON_3_12,
                         handler="app.handler", code=_lambda.Code.from_asset(constants.CREATE_ORDER_CODE))
        _lambda.Function(self, "ListOrders", runtime=_lambda.Runtime.PYTHON_3_12,
                         handler="app.handler", code=_lambda.Code.from_asset("functions/list_orders"))
"""


def test_a_python_constants_module_naming_a_functions_code_folder_brings_it_into_review(tmp_path):
    root = tmp_path / "orders"
    (root / "stacks").mkdir(parents=True)
    (root / "cdk.json").write_text('{"app": "python3 app.py"}\n', encoding="utf-8")
    (root / "app.py").write_text("import aws_cdk as cdk\nfrom stacks.orders import OrdersStack\n"
                                 "app = cdk.App()\nOrdersStack(app, 'Orders')\napp.synth()\n", encoding="utf-8")
    (root / "stacks" / "__init__.py").write_text("", encoding="utf-8")
    (root / "stacks" / "orders.py").write_text(PYTHON_STACK, encoding="utf-8")
    constants = 'CREATE_ORDER = "CreateOrder"\nCREATE_ORDER_CODE = "functions/{}"\n'
    (root / "stacks" / "constants.py").write_text(constants.format("create_order"), encoding="utf-8")
    for folder in ("create_order", "create_order_v2", "list_orders"):
        (root / "functions" / folder).mkdir(parents=True)
        (root / "functions" / folder / "app.py").write_text("def handler(event, context):\n    return {}\n",
                                                            encoding="utf-8")
    base = first_commit(root)
    head = commit(root, "stacks/constants.py", constants.format("create_order_v2"))

    outcome = review(root, base, head)

    assert outcome.head is not None
    assert {fn.name: fn.code_path for fn in outcome.head.functions} == {
        "CreateOrder": "functions/create_order_v2", "ListOrders": "functions/list_orders"}
    assert focused(outcome) == {"CreateOrder"}


ROOT_TF = """\
module "orders" {
  source = "./modules/function"
  name   = "orders"
}

resource "aws_lambda_function" "health" {
  function_name = "health"
  role          = "arn:aws:iam::123456789012:role/health"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "health.zip"
}
"""

MODULE_TF = """\
variable "name" {
  type = string
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/${var.name}"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.code.output_path
}
"""

ARCHIVE_TF = """\
data "archive_file" "code" {{
  type        = "zip"
  source_dir  = "${{path.module}}/../../{folder}/${{var.name}}"
  output_path = "${{path.module}}/${{var.name}}.zip"
}}
"""


def test_a_file_of_a_terraform_module_folder_brings_the_function_its_call_makes_into_review(tmp_path):
    root = tmp_path / "infra"
    (root / "modules" / "function").mkdir(parents=True)
    (root / "main.tf").write_text(ROOT_TF, encoding="utf-8")
    (root / "modules" / "function" / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    (root / "modules" / "function" / "archive.tf").write_text(ARCHIVE_TF.format(folder="src"), encoding="utf-8")
    for folder in ("src/orders", "services/orders"):
        (root / folder).mkdir(parents=True)
        (root / folder / "app.py").write_text("def handler(event, context):\n    return {}\n", encoding="utf-8")
    base = first_commit(root)
    head = commit(root, "modules/function/archive.tf", ARCHIVE_TF.format(folder="services"))

    outcome = review(root, base, head)

    assert outcome.head is not None
    code_paths = {fn.name: fn.code_path for fn in outcome.head.functions}
    assert code_paths["module.orders.aws_lambda_function.this"] == "services/orders"
    assert focused(outcome) == {"module.orders.aws_lambda_function.this"}


API_ROOT_TF = """\
module "api" {
  source = "./modules/api"
  stage  = "prod"
}
"""

API_GATEWAY_TF = """\
resource "aws_api_gateway_rest_api" "this" {{
  name = "shop-{stage}"
}}
"""

API_LAMBDA_TF = """\
module "orders_lambda" {{
  source        = "terraform-aws-modules/lambda/aws"
  version       = "7.2.0"
  function_name = "orders-${{var.stage}}"
  handler       = "app.handler"
  runtime       = "{runtime}"
  source_path   = "${{path.module}}/../../src/orders"
}}

variable "stage" {{
  type = string
}}
"""


def api_module(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "platform"
    (root / "modules" / "api").mkdir(parents=True)
    (root / "src" / "orders").mkdir(parents=True)
    (root / "main.tf").write_text(API_ROOT_TF, encoding="utf-8")
    (root / "modules" / "api" / "gateway.tf").write_text(API_GATEWAY_TF.format(stage="${var.stage}"), encoding="utf-8")
    (root / "modules" / "api" / "orders.tf").write_text(API_LAMBDA_TF.format(runtime="python3.12"), encoding="utf-8")
    (root / "src" / "orders" / "app.py").write_text("def handler(event, context):\n    return {}\n", encoding="utf-8")
    return root, first_commit(root)


def test_the_file_of_a_registry_module_call_inside_a_local_module_brings_its_function_into_review(tmp_path):
    root, base = api_module(tmp_path)
    head = commit(root, "modules/api/orders.tf", API_LAMBDA_TF.format(runtime="python3.13"))

    outcome = review(root, base, head)

    assert outcome.head is not None
    assert [fn.runtime for fn in outcome.head.functions] == ["python3.13"]
    assert focused(outcome) == {"module.api.module.orders_lambda"}


def test_another_file_of_that_local_module_does_not(tmp_path):
    root, base = api_module(tmp_path)   # the API's own resources decide nothing of the function
    head = commit(root, "modules/api/gateway.tf", API_GATEWAY_TF.format(stage="shop-${var.stage}"))

    assert focused(review(root, base, head)) == set()
