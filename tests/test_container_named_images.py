"""A Terraform image function whose image CI builds from a Dockerfile named like it.

The layout of a repository that builds one image per folder in CI and passes each pushed URI to
Terraform as a root variable (`TF_VAR_orders_image_uri`), or pushes it to the ECR repository the
configuration declares: the Dockerfile is the function's image, not a second function.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.inventory.container.named_images import dockerfile_stems, name_stem
from reviewer.workspace import Workspace

DOCKERFILE = ("FROM public.ecr.aws/lambda/python:3.12\nCOPY src/ ${LAMBDA_TASK_ROOT}\n"
              "CMD [\"main.handler\"]\n")
FUNCTION = ('resource "aws_lambda_function" "{name}" {{\n  function_name = "{name}"\n  role = "r"\n'
            '  package_type = "Image"\n  image_uri = {uri}\n}}\n')


def functions(root: Path) -> dict[str, object]:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def _image_folder(root: Path, folder: str) -> None:
    (root / "lambdas" / folder / "src").mkdir(parents=True)
    (root / "lambdas" / folder / "Dockerfile").write_text(DOCKERFILE)
    (root / "lambdas" / folder / "src" / "main.py").write_text("def handler(event, context):\n    return {}\n")


def _layout(root: Path, functions_tf: str, folders: tuple[str, ...] = ("orders_sync", "billing")) -> None:
    (root / "infra").mkdir(exist_ok=True)
    (root / "infra" / "functions.tf").write_text(functions_tf)
    (root / "infra" / "variables.tf").write_text(
        'variable "orders_sync_image_uri" {\n  type = string\n  default = ""\n}\n'
        'variable "billing_image_uri" {\n  type = string\n}\n')
    for folder in folders:
        _image_folder(root, folder)


def test_a_root_variable_named_like_a_dockerfiles_folder_links_the_two(tmp_path):
    _layout(tmp_path, FUNCTION.format(name="sync_lambda", uri="var.orders_sync_image_uri")
            + FUNCTION.format(name="billing_lambda", uri="var.billing_image_uri"))
    found = functions(tmp_path)
    assert sorted(found) == ["aws_lambda_function.billing_lambda", "aws_lambda_function.sync_lambda"]
    sync = found["aws_lambda_function.sync_lambda"]
    assert (sync.runtime, sync.properties["Dockerfile"]) == ("python3.12", "lambdas/orders_sync/Dockerfile")
    assert (sync.handler, sync.task_root) == ("main.handler", "lambdas/orders_sync/src")


def test_a_module_input_and_an_ecr_repository_name_link_too(tmp_path):
    module = ('variable "image" {\n  type = string\n}\n'
              + FUNCTION.format(name="this", uri="var.image"))
    (tmp_path / "infra" / "modules" / "fn").mkdir(parents=True)
    (tmp_path / "infra" / "modules" / "fn" / "main.tf").write_text(module)
    _layout(tmp_path, 'module "sync" {\n  source = "./modules/fn"\n  image = var.orders_sync_image_uri\n}\n'
            'resource "aws_ecr_repository" "payments" {\n  name = "billing-repo"\n}\n'
            + FUNCTION.format(name="billing_lambda",
                              uri='"${aws_ecr_repository.payments.repository_url}:latest"'))
    found = functions(tmp_path)
    assert sorted(found) == ["aws_lambda_function.billing_lambda", "module.sync.aws_lambda_function.this"]
    assert found["module.sync.aws_lambda_function.this"].properties["Dockerfile"] == "lambdas/orders_sync/Dockerfile"
    assert found["aws_lambda_function.billing_lambda"].properties["Dockerfile"] == "lambdas/billing/Dockerfile"


def test_an_unnamed_or_ambiguous_image_links_nothing(tmp_path):
    _layout(tmp_path, FUNCTION.format(name="sync_lambda", uri="var.orders_sync_image_uri")
            + FUNCTION.format(name="billing_lambda", uri="var.billing_image_uri"),
            folders=("orders_sync", "reports"))
    (tmp_path / "old" / "orders_sync").mkdir(parents=True)
    (tmp_path / "old" / "orders_sync" / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.9\n")
    found = functions(tmp_path)
    # two Dockerfiles in folders named orders_sync: which one CI builds is not written
    assert "lambdas/orders_sync/Dockerfile" in found and "old/orders_sync/Dockerfile" in found
    assert "lambdas/reports/Dockerfile" in found
    assert found["aws_lambda_function.sync_lambda"].runtime is None


def test_names_lose_the_words_that_say_image_not_which_one():
    assert name_stem("orders_sync_image_uri") == "orders_sync"
    assert name_stem("Orders-Sync-Repo") == "orders_sync"
    assert name_stem("image_uri") == ""
    assert dockerfile_stems("lambdas/x/Dockerfile.orders") == {"x", "orders"}
    assert name_stem("ecr_repository_url_orders_sync_lambda") == "orders_sync"
    assert name_stem("lambda-orders-sync") == "orders_sync"
    assert name_stem("ecr_repository_lambda_urls") == ""


def test_a_key_of_a_map_of_image_urls_and_a_name_wrapped_in_image_words_link(tmp_path):
    """Each component folder a root of its own (Terragrunt fills its inputs): one takes its image
    from a map of ECR URLs by a quoted key, another from a variable whose name wraps the folder's
    name in words that say ECR and Lambda."""
    (tmp_path / "infra" / "workers").mkdir(parents=True)
    (tmp_path / "infra" / "workers" / "main.tf").write_text(
        'variable "ecr_repository_lambda_urls" {\n  type = map(string)\n}\n'
        + FUNCTION.format(name="sync", uri='"${var.ecr_repository_lambda_urls["orders-sync-lambda"]}:latest"'))
    (tmp_path / "infra" / "alerts").mkdir(parents=True)
    (tmp_path / "infra" / "alerts" / "main.tf").write_text(
        'variable "ecr_repository_url_billing_lambda" {\n  type = string\n}\n'
        + FUNCTION.format(name="billing", uri='"${var.ecr_repository_url_billing_lambda}:latest"'))
    for folder in ("orders-sync", "billing"):
        _image_folder(tmp_path, folder)
    found = functions(tmp_path)
    assert sorted(found) == ["infra/alerts:aws_lambda_function.billing", "infra/workers:aws_lambda_function.sync"]
    assert found["infra/workers:aws_lambda_function.sync"].properties["Dockerfile"] == "lambdas/orders-sync/Dockerfile"
    assert found["infra/alerts:aws_lambda_function.billing"].runtime == "python3.12"
