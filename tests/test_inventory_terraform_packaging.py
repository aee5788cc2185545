"""Terraform: where a function's code and runtime come from when another module or a file
holds them: a local module that zips the code without naming Lambda, the archive provider's
managed `archive_file` resource, and a runtime version kept in a file (`data.local_file`)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewer.code.reader import read_function_code
from reviewer.inventory.terraform.read import TerraformFormat
from reviewer.model import Function
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in TerraformFormat().scan(Workspace(root)).functions}


WORKER = """
variable "bundle_path" {}
variable "python" {
  default = "python3.12"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "jobs.handler"
  runtime       = var.python
  filename      = var.bundle_path
}
"""


def test_code_zipped_by_a_called_module_that_never_names_lambda(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            module "bundles" {
              source = "./modules/bundles"
            }

            module "worker" {
              source      = "./modules/worker"
              bundle_path = module.bundles.jobs_path
            }
        """,
        "modules/bundles/main.tf": """
            data "archive_file" "jobs" {
              type        = "zip"
              source_dir  = "${path.module}/../../src/jobs"
              output_path = "${path.module}/jobs.zip"
            }

            output "jobs_path" {
              value = data.archive_file.jobs.output_path
            }
        """,
        "modules/worker/main.tf": WORKER,
        "src/jobs/jobs.py": "def handler(event, context):\n    return event\n",
    })
    function = _functions(root)["module.worker.aws_lambda_function.worker"]
    assert function.code_path == "src/jobs"
    assert "Code" not in function.unresolved


def test_code_zipped_by_a_managed_archive_file_resource(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            resource "archive_file" "jobs" {
              type        = "zip"
              source_dir  = "${path.module}/src/jobs"
              output_path = "${path.module}/build/jobs.zip"
            }

            resource "aws_lambda_function" "worker" {
              function_name = "worker"
              role          = "arn:aws:iam::123456789012:role/worker"
              handler       = "jobs.handler"
              runtime       = "python3.12"
              filename      = archive_file.jobs.output_path
            }
        """,
        "src/jobs/jobs.py": "def handler(event, context):\n    return event\n",
    })
    function = _functions(root)["aws_lambda_function.worker"]
    assert function.code_path == "src/jobs"
    assert function.properties["archive"] == "archive_file.jobs"


def test_runtime_version_read_from_a_file_by_a_local_file_data_source(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            data "local_file" "python_version" {
              filename = "${path.module}/PYTHON_VERSION"
            }

            locals {
              python = format("%s%s", "python", chomp(trimspace(data.local_file.python_version.content)))
            }

            module "worker" {
              source      = "./modules/worker"
              bundle_path = "build/jobs.zip"
              python      = local.python
            }
        """,
        "PYTHON_VERSION": "3.11\n",
        "modules/worker/main.tf": WORKER,
    })
    function = _functions(root)["module.worker.aws_lambda_function.worker"]
    assert function.runtime == "python3.11"
    assert "Runtime" not in function.unresolved


def test_chomp_drops_only_the_newlines_that_end_the_text(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "main.tf": """
            data "local_file" "runtime" {
              filename = "${path.module}/RUNTIME"
            }

            module "worker" {
              source      = "./modules/worker"
              bundle_path = "build/jobs.zip"
              python      = chomp(data.local_file.runtime.content)
            }
        """,
        "RUNTIME": "python3.13\r\n\n",
        "modules/worker/main.tf": WORKER,
    })
    assert _functions(root)["module.worker.aws_lambda_function.worker"].runtime == "python3.13"


def test_a_local_file_outside_the_repository_stays_unknown(tmp_path: Path) -> None:
    root = _write(tmp_path / "repo", {
        "main.tf": """
            data "local_file" "runtime" {
              filename = "/etc/runtime"
            }

            module "worker" {
              source      = "./modules/worker"
              bundle_path = "build/jobs.zip"
              python      = chomp(data.local_file.runtime.content)
            }
        """,
        "modules/worker/main.tf": WORKER,
    })
    function = _functions(root)["module.worker.aws_lambda_function.worker"]
    assert function.runtime is None
    assert "Runtime" in function.unresolved


def test_a_filename_that_repeats_the_path_an_archive_writes_ships_what_it_zips(tmp_path: Path) -> None:
    """`filename = "${path.module}/tmp/fn.zip"`, the `output_path` of the archive beside it: the zip
    is built on apply, so its source folder is the code (not a missing file)."""
    root = _write(tmp_path, {
        "main.tf": """
            data "archive_file" "filtered" {
              type        = "zip"
              source_dir  = "${path.module}/src/filtered"
              output_path = "${path.module}/tmp/filtered.zip"
            }

            resource "archive_file" "plain" {
              type        = "zip"
              source_file = "${path.module}/src/plain/app.py"
              output_path = "${path.module}/tmp/plain.zip"
            }

            resource "aws_lambda_function" "filtered" {
              filename      = "${path.module}/tmp/filtered.zip"
              function_name = "filtered"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "app.handler"
              runtime       = "python3.13"
            }

            resource "aws_lambda_function" "plain" {
              filename      = "./tmp/plain.zip"
              function_name = "plain"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "app.handler"
              runtime       = "python3.13"
            }

            resource "aws_lambda_function" "prebuilt" {
              filename      = "dist/prebuilt.zip"
              function_name = "prebuilt"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "app.handler"
              runtime       = "python3.13"
            }
        """,
        "src/filtered/app.py": "def handler(event, context):\n    return event\n",
        "src/plain/app.py": "def handler(event, context):\n    return event\n",
    })
    found = _functions(root)
    assert found["aws_lambda_function.filtered"].code_path == "src/filtered"
    assert found["aws_lambda_function.plain"].code_path == "src/plain/app.py"
    assert found["aws_lambda_function.prebuilt"].code_path == "dist/prebuilt.zip"


NOTIFIER = """
data "archive_file" "notify" {
  type        = "zip"
  source_file = "${path.module}/code/notify.py"
  output_path = "%s"
}

resource "aws_lambda_function" "notify" {
  function_name    = "notify"
  role             = "arn:aws:iam::123456789012:role/notify"
  handler          = "notify.handler"
  runtime          = "python3.13"
  filename         = "notify.zip"
  source_code_hash = data.archive_file.notify.output_base64sha256
}
"""


def test_a_literal_filename_that_is_the_hashed_archive_s_output_is_its_source(tmp_path: Path) -> None:
    """`filename = "notify.zip"` with `source_code_hash` from the archive whose `output_path` is
    "notify.zip": the zip is the archive, built from `source_file` (called as a module, too)."""
    root = _write(tmp_path, {
        "env/main.tf": 'module "jobs" {\n  source = "../modules/jobs"\n}\n',
        "modules/jobs/main.tf": NOTIFIER % "notify.zip",
        "modules/jobs/code/notify.py": "def handler(event, context):\n    return None\n",
    })
    function = _functions(root)["module.jobs.aws_lambda_function.notify"]
    assert function.code_path == "modules/jobs/code/notify.py"
    assert "Code" not in function.unresolved


def test_a_hashed_archive_with_another_output_leaves_the_filename_as_written(tmp_path: Path) -> None:
    root = _write(tmp_path, {"main.tf": NOTIFIER % "build/other.zip", "code/notify.py": "x = 1\n"})
    assert _functions(root)["aws_lambda_function.notify"].code_path == "notify.zip"


def test_code_uploaded_as_an_s3_object_from_a_zip_of_the_repository(tmp_path: Path) -> None:
    """`s3_key = aws_s3_object.zip.key` with the object's `source` a zip beside the folder it was made
    of (`app/handlers/fruit-api-GET.zip`, `app/handlers/fruit-api-GET/`), or written by an
    `archive_file`: the code is that folder. A key typed in names no code of the repository."""
    root = _write(tmp_path, {
        "infra/main.tf": """
            module "api" {
              source   = "./modules/lambda"
              for_each = toset(["GET", "PUT"])
              method   = each.key
            }

            resource "aws_lambda_function" "prebuilt" {
              function_name = "prebuilt"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "handler.handler"
              runtime       = "nodejs20.x"
              s3_bucket     = "artifacts"
              s3_key        = "prebuilt.zip"
            }
        """,
        "infra/modules/lambda/main.tf": """
            variable "method" {}

            resource "aws_s3_object" "lambda_zip" {
              bucket = "artifacts"
              key    = "fruit-api-${var.method}.zip"
              source = "${path.root}/../app/handlers/fruit-api-${var.method}.zip"
            }

            resource "aws_lambda_function" "this" {
              function_name = "fruit-api-${var.method}"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "handler.handler"
              runtime       = "nodejs20.x"
              s3_bucket     = "artifacts"
              s3_key        = aws_s3_object.lambda_zip.key
            }
        """,
        "app/handlers/fruit-api-GET/handler.js": "exports.handler = async () => 1;\n",
        "app/handlers/fruit-api-PUT/handler.js": "exports.handler = async () => 1;\n",
    })
    found = {name: fn.code_path for name, fn in _functions(root).items()}
    assert found == {'module.api["GET"].aws_lambda_function.this': "app/handlers/fruit-api-GET",
                     'module.api["PUT"].aws_lambda_function.this': "app/handlers/fruit-api-PUT",
                     "aws_lambda_function.prebuilt": None}


def test_each_function_ships_the_instance_of_a_for_each_archive_its_key_selects(tmp_path: Path) -> None:
    """A module that zips and declares one function per entry of a map
    (`filename = data.archive_file.bundle[each.key].output_path`): each function's code is the
    folder its own archive instance zips, not an `each` read outside any instance."""
    root = _write(tmp_path, {
        "infra/main.tf": """
            module "jobs" {
              source = "./modules/jobs"
              jobs = {
                "export" = { folder = "../src/export", handler = "app.handler" }
                "import" = { folder = "../src/import", handler = "app.handler" }
              }
            }
        """,
        "infra/modules/jobs/main.tf": """
            variable "jobs" {}

            data "archive_file" "bundle" {
              for_each    = var.jobs
              type        = "zip"
              source_dir  = each.value.folder
              output_path = "${path.module}/build/${each.key}.zip"
            }

            resource "aws_lambda_function" "job" {
              for_each      = var.jobs
              function_name = each.key
              role          = "arn:aws:iam::123456789012:role/jobs"
              handler       = each.value.handler
              runtime       = "python3.12"
              filename      = data.archive_file.bundle[each.key].output_path
            }
        """,
        "src/export/app.py": "def handler(event, context):\n    return event\n",
        "src/import/app.py": "def handler(event, context):\n    return event\n",
    })
    functions = _functions(root)
    exported = functions['module.jobs.aws_lambda_function.job["export"]']
    imported = functions['module.jobs.aws_lambda_function.job["import"]']
    assert (exported.code_path, imported.code_path) == ("src/export", "src/import")
    assert "Code" not in exported.unresolved and "Code" not in imported.unresolved


def test_a_for_each_archive_read_without_a_known_key_says_so(tmp_path: Path) -> None:
    """An archive instance chosen by a key static reading cannot know: the reason names the
    key, never an `each` said to be used outside a block with `for_each`."""
    root = _write(tmp_path, {
        "main.tf": """
            variable "pick" {}

            data "archive_file" "bundle" {
              for_each    = toset(["a", "b"])
              type        = "zip"
              source_dir  = "${path.module}/src/${each.key}"
              output_path = "${path.module}/build/${each.key}.zip"
            }

            resource "aws_lambda_function" "job" {
              function_name = "job"
              role          = "arn:aws:iam::123456789012:role/jobs"
              handler       = "app.handler"
              runtime       = "python3.12"
              filename      = data.archive_file.bundle[var.pick].output_path
            }
        """,
    })
    function = _functions(root)["aws_lambda_function.job"]
    assert function.code_path is None
    reason = function.unresolved["Code"]
    assert "outside a block" not in reason
    assert "data.archive_file.bundle makes one archive per instance" in reason


def test_a_counted_archive_of_one_instance_ships_its_folder(tmp_path: Path) -> None:
    """`count = var.enabled ? 1 : 0` on the archive and `data.archive_file.x[0]` in the function:
    the one instance, and a folder that does not depend on `count.index`, still resolve."""
    root = _write(tmp_path, {
        "main.tf": """
            variable "enabled" {
              default = true
            }

            data "archive_file" "bundle" {
              count       = var.enabled ? 1 : 0
              type        = "zip"
              source_dir  = "${path.module}/src/job"
              output_path = "${path.module}/build/job.zip"
            }

            resource "aws_lambda_function" "job" {
              count         = var.enabled ? 1 : 0
              function_name = "job"
              role          = "arn:aws:iam::123456789012:role/jobs"
              handler       = "app.handler"
              runtime       = "python3.12"
              filename      = data.archive_file.bundle[0].output_path
            }
        """,
        "src/job/app.py": "def handler(event, context):\n    return event\n",
    })
    function = _functions(root)["aws_lambda_function.job"]
    assert function.code_path == "src/job"


def test_code_uploaded_as_the_s3_object_an_archive_file_writes(tmp_path: Path) -> None:
    """`s3_key = aws_s3_object.bundle.key` with the object's `source` the archive's own output
    (`source = data.archive_file.bundle.output_path`, the usual zip-upload-deploy chain): the
    code is the folder the archive zips."""
    root = _write(tmp_path, {
        "main.tf": """
            data "archive_file" "bundle" {
              type        = "zip"
              source_dir  = "${path.module}/greeter"
              output_path = "${path.module}/greeter.zip"
            }

            resource "aws_s3_object" "bundle" {
              bucket = "artifacts"
              key    = "greeter.zip"
              source = data.archive_file.bundle.output_path
              etag   = filemd5(data.archive_file.bundle.output_path)
            }

            resource "aws_lambda_function" "greeter" {
              function_name = "greeter"
              role          = "arn:aws:iam::123456789012:role/fn"
              handler       = "greet.handler"
              runtime       = "nodejs20.x"
              s3_bucket     = "artifacts"
              s3_key        = aws_s3_object.bundle.key
            }
        """,
        "greeter/greet.js": "exports.handler = async () => 1;\n",
    })
    function = _functions(root)["aws_lambda_function.greeter"]
    assert function.code_path == "greeter"
    assert "Code" not in function.unresolved


def test_an_unresolved_image_of_a_zip_function_is_no_image(tmp_path: Path) -> None:
    """A reusable module takes an optional image (`var.image_uri != "" ? var.image_uri : null`): a
    .zip function deploys only with a null image, so it is listed with its package, not with the
    expression as its image; an image function keeps the image it is given, as written."""
    functions = _functions(_write(tmp_path, {
        "modules/lambda/main.tf": """
            variable "image_uri" {
              type = string
            }
            resource "aws_lambda_function" "zipped" {
              function_name = "zipped"
              role          = "arn:aws:iam::123456789012:role/r"
              runtime       = "python3.12"
              handler       = "app.handler"
              filename      = "build/app.zip"
              image_uri     = var.image_uri != "" ? var.image_uri : null
            }
            resource "aws_ecr_repository" "repo" {
              name = "app"
            }
            resource "aws_lambda_function" "imaged" {
              function_name = "imaged"
              role          = "arn:aws:iam::123456789012:role/r"
              package_type  = "Image"
              image_uri     = "${aws_ecr_repository.repo.repository_url}:${var.image_uri}"
            }
        """,
    }))
    zipped = next(function for name, function in functions.items() if name.endswith("zipped"))
    imaged = next(function for name, function in functions.items() if name.endswith("imaged"))
    assert zipped.image_uri is None and "ImageUri" not in zipped.locations
    assert imaged.image_uri is not None and "aws_ecr_repository.repo.repository_url" in imaged.image_uri



ALARM_DRILL = """
data "archive_file" "drill" {
  type        = "zip"
  output_path = "${path.module}/drill.zip"

  source {
    content  = <<CODE
import os


def lambda_handler(event, context):
    return {"topic": os.environ["TOPIC_ARN"]}
CODE
    filename = "drill_function.py"
  }
}

data "archive_file" "pager" {
  type        = "zip"
  output_path = "${path.module}/pager.zip"

  source {
    content  = file("${path.module}/functions/pager.py")
    filename = "index.py"
  }
  source {
    content  = file("${path.module}/functions/settings.json")
    filename = "settings.json"
  }
}

resource "aws_lambda_function" "drill" {
  filename         = data.archive_file.drill.output_path
  source_code_hash = data.archive_file.drill.output_base64sha256
  function_name    = "alarm-drill"
  role             = "arn:aws:iam::123456789012:role/drill"
  handler          = "drill_function.lambda_handler"
  runtime          = "python3.12"
}

resource "aws_lambda_function" "pager" {
  filename      = data.archive_file.pager.output_path
  function_name = "pager"
  role          = "arn:aws:iam::123456789012:role/pager"
  handler       = "index.handler"
  runtime       = "python3.12"
}

resource "aws_lambda_function" "unnamed" {
  filename      = data.archive_file.pager.output_path
  function_name = "unnamed"
  role          = "arn:aws:iam::123456789012:role/pager"
  handler       = "main.handler"
  runtime       = "python3.12"
}
"""


def test_an_archive_of_written_content_ships_the_content_named_like_the_handler(tmp_path: Path) -> None:
    _write(tmp_path, {"ops/drill.tf": ALARM_DRILL,
                      "ops/functions/pager.py": "def handler(event, context):\n    return event\n",
                      "ops/functions/settings.json": "{}\n"})
    found = _functions(tmp_path)
    drill, pager = found["aws_lambda_function.drill"], found["aws_lambda_function.pager"]
    assert drill.inline_code is not None and "Code" not in drill.unresolved
    assert drill.inline_code.location == drill.where("Code")
    heredoc_line = (tmp_path / "ops/drill.tf").read_text().splitlines().index("import os") + 1
    assert (drill.inline_code.location.path, drill.inline_code.location.line) == ("ops/drill.tf", heredoc_line)
    assert pager.inline_code is not None and pager.inline_code.location.path == "ops/functions/pager.py"
    assert (pager.inline_code.text or "").startswith("def handler")
    for function in (drill, pager):
        reading = read_function_code(Workspace(tmp_path), function)
        assert reading.skipped is None, reading.skipped
    # no content is written under `main.py`: which text is the handler is not known
    unnamed = found["aws_lambda_function.unnamed"]
    assert unnamed.inline_code is None and "inline content" in unnamed.unresolved["Code"]


def test_code_zipped_from_folders_named_with_abspath(tmp_path: Path) -> None:
    """A root module kept in `infra/` names the code beside it with `abspath("${path.module}/..")`
    and ships the zip by repeating the archive's output path: the code is what the archive zips."""
    root = _write(tmp_path, {
        "infra/locals.tf": """
            locals {
              app_root = abspath("${path.module}/../app")
            }
        """,
        "infra/main.tf": """
            data "archive_file" "api" {
              type        = "zip"
              source_dir  = "${local.app_root}/functions"
              output_path = "${local.app_root}/api.zip"
            }

            resource "aws_lambda_function" "api" {
              function_name    = "orders-api"
              role             = "arn:aws:iam::123456789012:role/orders"
              handler          = "orders/web.handler"
              runtime          = "python3.13"
              filename         = "${local.app_root}/api.zip"
              source_code_hash = data.archive_file.api.output_base64sha256
            }
        """,
        "app/functions/orders/web.py": "def handler(event, context):\n    return {'statusCode': 200}\n",
    })
    function = _functions(root)["aws_lambda_function.api"]
    assert function.code_path == "app/functions"
    assert "Code" not in function.unresolved


HEALTH_ALERTS = """
locals {
  source_files = ["${path.module}/../../notifier.py", "${path.module}/../../formatting.py"]
}

data "archive_file" "notifier_zip" {
  type        = "zip"
  output_path = "${path.module}/notifier.zip"
  source {
    filename = basename(local.source_files[0])
    content  = file(local.source_files[0])
  }
  source {
    filename = basename(local.source_files[1])
    content  = file(local.source_files[1])
  }
}

resource "aws_lambda_function" "notifier" {
  function_name    = "health-notifier"
  role             = "arn:aws:iam::123456789012:role/notifier"
  filename         = data.archive_file.notifier_zip.output_path
  source_code_hash = data.archive_file.notifier_zip.output_base64sha256
  handler          = "notifier.main"
  runtime          = "python3.12"
}
"""


def test_an_archive_of_repository_files_under_their_own_names_ships_those_files(tmp_path: Path) -> None:
    """`source { filename = basename(f), content = file(f) }` zips the repository's files as they
    are: the handler is read as its file, with the module beside it that it imports, and the
    package is a .zip archive (code signing applies), not code written in the configuration."""
    _write(tmp_path, {"deploy/terraform/alerts.tf": HEALTH_ALERTS,
                      "notifier.py": "from formatting import text\n\n\ndef main(event, context):\n"
                                     "    return text(event)\n",
                      "formatting.py": "def text(event):\n    return str(event)\n"})
    notifier = _functions(tmp_path)["aws_lambda_function.notifier"]
    assert notifier.inline_code is None and notifier.code_path == "notifier.py"
    reading = read_function_code(Workspace(tmp_path), notifier)
    assert reading.skipped is None and not reading.inline
    assert reading.modules == ("notifier.py", "formatting.py")


def test_content_an_archive_zips_is_a_package_code_signing_covers(tmp_path: Path) -> None:
    import io
    import json

    from reviewer.cli import main

    _write(tmp_path, {"ops/drill.tf": ALARM_DRILL,
                      "ops/functions/pager.py": "def handler(event, context):\n    return event\n"})
    found = _functions(tmp_path)
    assert found["aws_lambda_function.drill"].inline_code.packaged   # type: ignore[union-attr]
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out, stderr=io.StringIO())
    unsigned = {f["function"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR400"}
    assert {"aws_lambda_function.drill", "aws_lambda_function.pager"} <= unsigned


def test_an_s3_key_written_as_a_name_ships_the_archive_its_source_code_hash_hashes(tmp_path: Path) -> None:
    """A shared module that zips a folder, uploads the zip and deploys it by name
    (`s3_key = var.s3_key`, `"${local.name}.zip"`), with `source_code_hash` the archive's hash or a
    hash of the file it writes (LBHackney-IT/Data-Platform's `modules/aws-lambda`): the code is the
    folder the archive zips, where the function named no code folder."""
    root = _write(tmp_path, {
        "terraform/etl/main.tf": """
            module "exporter" {
              source            = "../modules/packaged-lambda"
              name              = "exporter"
              lambda_source_dir = "../../lambdas/exporter"
              s3_key            = "exporter.zip"
            }

            module "alerts" {
              source = "../modules/alerts-lambda"
            }
        """,
        "terraform/modules/packaged-lambda/main.tf": """
            variable "name" {}
            variable "lambda_source_dir" {}
            variable "s3_key" {}

            data "archive_file" "lambda" {
              type        = "zip"
              source_dir  = var.lambda_source_dir
              output_path = "../../build/${var.name}.zip"
            }

            resource "aws_s3_object" "lambda" {
              bucket = "artefacts"
              key    = var.s3_key
              source = data.archive_file.lambda.output_path
            }

            resource "aws_lambda_function" "lambda" {
              function_name    = var.name
              role             = "arn:aws:iam::123456789012:role/fn"
              handler          = "main.lambda_handler"
              runtime          = "python3.12"
              s3_bucket        = "artefacts"
              s3_key           = var.s3_key
              source_code_hash = data.archive_file.lambda.output_base64sha256
            }
        """,
        "terraform/modules/alerts-lambda/main.tf": """
            data "archive_file" "lambda" {
              type        = "zip"
              source_dir  = "../../lambdas/alerts"
              output_path = "../../build/alerts.zip"
            }

            resource "aws_lambda_function" "lambda" {
              function_name    = "alerts"
              role             = "arn:aws:iam::123456789012:role/fn"
              handler          = "main.lambda_handler"
              runtime          = "python3.12"
              s3_bucket        = "artefacts"
              s3_key           = "alerts.zip"
              source_code_hash = filebase64sha256(data.archive_file.lambda.output_path)
            }
        """,
        "lambdas/exporter/main.py": "def lambda_handler(event, context):\n    return 1\n",
        "lambdas/alerts/main.py": "def lambda_handler(event, context):\n    return 1\n",
    })
    found = {name: fn.code_path for name, fn in _functions(root).items()}
    assert found == {"module.exporter.aws_lambda_function.lambda": "lambdas/exporter",
                     "module.alerts.aws_lambda_function.lambda": "lambdas/alerts"}
