"""Dockerfiles built on AWS Lambda base images: one container-image function each, judged by LR106."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.container.read import read_base_image
from reviewer.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "container"
DAY = "2026-11-22"


def scan(root: Path, *extra: str) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", DAY, *extra], stdout=out)
    return json.loads(out.getvalue())


def functions(root: Path) -> dict[str, object]:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


@pytest.mark.parametrize("from_line, runtime", [
    ("FROM public.ecr.aws/lambda/python:3.8", "python3.8"),
    ("FROM public.ecr.aws/lambda/nodejs:16", "nodejs16.x"),
    ("FROM amazon/aws-lambda-python:3.9", "python3.9"),
    ("FROM docker.io/amazon/aws-lambda-nodejs:20", "nodejs20.x"),
    ("FROM public.ecr.aws/lambda/provided:al2", "provided.al2"),
    ("FROM public.ecr.aws/lambda/provided:al2023", "provided.al2023"),
    ("FROM public.ecr.aws/lambda/provided:alami", "provided"),
    ("FROM public.ecr.aws/lambda/provided:latest", "provided.al2023"),
    ("FROM public.ecr.aws/lambda/java:8", "java8"),
    ("FROM public.ecr.aws/lambda/java:8.al2", "java8.al2"),
    ("FROM public.ecr.aws/lambda/java:17.al2023", "java17.al2023"),
    ("FROM public.ecr.aws/lambda/java:21", "java21"),
    ("FROM public.ecr.aws/lambda/dotnet:core3.1", "dotnetcore3.1"),
    ("FROM public.ecr.aws/lambda/dotnet:5.0", "dotnet5.0"),
    ("FROM public.ecr.aws/lambda/dotnet:9", "dotnet9"),
    ("FROM public.ecr.aws/lambda/ruby:3.2", "ruby3.2"),
    ("FROM public.ecr.aws/lambda/go:1", "go1.x"),
    ("FROM public.ecr.aws/lambda/python:3.15-preview", "python3.15"),
    ("FROM public.ecr.aws/lambda/python:3.12-arm64", "python3.12"),
    ("FROM public.ecr.aws/lambda/python:3.12.2024.01.05.15", "python3.12"),
    ("FROM public.ecr.aws/lambda/nodejs:18.2024.03.04.09-x86_64 as builder", "nodejs18.x"),
    ("FROM public.ecr.aws/lambda/python:3.11@sha256:" + "ab" * 32, "python3.11"),
    ("FROM --platform=linux/arm64 public.ecr.aws/lambda/ruby:3.4", "ruby3.4"),
    ('FROM "public.ecr.aws/lambda/nodejs:18.2022.12.01.19"', "nodejs18.x"),
    ("FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/lambda/python:3.13", "python3.13"),
])
def test_every_base_image_tag_form_maps_to_its_runtime(from_line, runtime):
    image = read_base_image(f"{from_line}\nCMD [\"app.handler\"]\n")
    assert image is not None and image.runtime == runtime and image.from_line == 1


@pytest.mark.parametrize("text, reason", [
    ("FROM public.ecr.aws/lambda/python:latest", "moves between major versions"),
    ("FROM public.ecr.aws/lambda/python@sha256:" + "cd" * 32, "pinned by digest only"),
    ("FROM public.ecr.aws/lambda/python:3.5", "not a tag AWS publishes"),
    ("ARG PY\nFROM public.ecr.aws/lambda/python:${PY}", "PY, which has no ARG default"),
])
def test_a_tag_that_says_no_runtime_is_unresolved_not_guessed(text, reason):
    image = read_base_image(text)
    assert image is not None and image.runtime is None and reason in (image.unresolved or "")


def test_images_that_are_not_lambda_base_images_are_not_functions():
    assert read_base_image("FROM python:3.12-slim\nRUN pip install awslambdaric\n") is None
    assert read_base_image("FROM node:20\n") is None
    assert read_base_image("# only a comment\n") is None


def test_arg_defaults_resolve_the_tag_and_the_version_arg_is_the_declaration():
    image = read_base_image("ARG PY=3.9\nARG ARCH=arm64\nFROM public.ecr.aws/lambda/python:${PY}-${ARCH}\n")
    assert (image.runtime, image.from_line, image.arg_line) == ("python3.9", 3, 1)
    braced_default = read_base_image("FROM public.ecr.aws/lambda/nodejs:${NODE:-20}\n")
    assert braced_default.runtime == "nodejs20.x" and braced_default.arg_line is None


def test_the_final_stage_decides_and_a_lambda_builder_stage_is_not_the_runtime():
    fns = functions(FIXTURES)
    assert "deps-builder-only/Dockerfile" not in fns and "web-not-lambda/Dockerfile" not in fns
    orders = fns["orders-node/Dockerfile"]
    assert (orders.runtime, orders.where("Runtime").line) == ("nodejs22.x", 13)
    assert orders.properties["BuildStage"] == "runtime" and orders.handler == "index.handler"


def test_a_stage_built_from_an_earlier_stage_takes_that_stages_base_image():
    text = ("FROM public.ecr.aws/lambda/python:3.10 AS base\nRUN pip install boto3\n"
            "FROM base AS app\nCMD [\"app.handler\"]\n")
    image = read_base_image(text)
    assert (image.runtime, image.from_line, image.stage, image.handler) == ("python3.10", 1, "app", "app.handler")


def test_a_template_can_name_the_build_target_stage():
    text = "FROM public.ecr.aws/lambda/nodejs:20 AS lambda\nFROM node:24-alpine AS local\n"
    assert read_base_image(text) is None
    assert read_base_image(text, target="lambda").runtime == "nodejs20.x"


def test_line_continuations_comments_and_heredocs_keep_lines_right():
    text = ("# escape=\\\nFROM \\\n  # a comment inside the instruction\n  public.ecr.aws/lambda/python:3.11 \\\n"
            "  AS app\nRUN <<EOF\nFROM public.ecr.aws/lambda/python:3.6\nEOF\n")
    image = read_base_image(text)
    assert (image.runtime, image.from_line, image.from_end_line) == ("python3.11", 2, 5)


def test_each_dockerfile_is_a_container_image_function_named_by_its_path():
    fns = functions(FIXTURES)
    assert set(fns) == {
        "billing-dotnet/Dockerfile", "edge-provided/Dockerfile", "ledger-java/api.Dockerfile",
        "orders-node/Dockerfile", "reports-args/Dockerfile.lambda", "resize-python/Dockerfile",
        "ruby-unpinned/Dockerfile",
    }
    resize = fns["resize-python/Dockerfile"]
    assert (resize.format, resize.package_type, resize.runtime, resize.handler) == (
        "container", "Image", "python3.8", "app.handler")
    assert str(resize.where("Runtime")) == "resize-python/Dockerfile:1" and resize.code_path == "resize-python"
    assert fns["ledger-java/api.Dockerfile"].properties["BaseImageDigest"].startswith("sha256:")
    assert "RUBY_TAG" in fns["ruby-unpinned/Dockerfile"].unresolved["Runtime"]


def test_deprecated_and_soon_deprecated_base_images_get_lr106_at_the_declaring_line():
    findings = [f for f in scan(FIXTURES)["findings"] if f["rule_id"].startswith("LR1")]
    assert sorted((f["rule_id"], f["severity"], f["path"], f["line"]) for f in findings) == [
        ("LR106", "notice", "orders-node/Dockerfile", 13),
        ("LR106", "warning", "billing-dotnet/Dockerfile", 6),
        ("LR106", "warning", "reports-args/Dockerfile.lambda", 1),
        ("LR106", "warning", "resize-python/Dockerfile", 1),
    ]


def test_lr106_says_the_image_still_deploys_with_dates_and_the_successor_tag():
    by_path = {f["path"]: f for f in scan(FIXTURES)["findings"]}
    resize = by_path["resize-python/Dockerfile"]
    assert "2024-10-14" in resize["message"] and "still deploys" in resize["message"]
    assert "`public.ecr.aws/lambda/python:3.14`" in resize["message"]
    assert resize["suggestion"] == "FROM public.ecr.aws/lambda/python:3.14"
    assert resize["function"] == "resize-python/Dockerfile"
    assert by_path["reports-args/Dockerfile.lambda"]["suggestion"] == "ARG PYTHON_VERSION=3.14"
    orders = by_path["orders-node/Dockerfile"]
    assert "2027-04-30" in orders["message"] and "in 159 days" in orders["message"]
    assert orders["suggestion"].endswith("public.ecr.aws/lambda/nodejs:24-arm64 AS runtime")


def test_image_only_dotnet_runtimes_are_valid_images_never_lr103_or_blocked_errors():
    findings = scan(FIXTURES)["findings"]
    dotnet = [f for f in findings if f["path"] == "billing-dotnet/Dockerfile" and f["rule_id"].startswith("LR1")]
    assert [(f["rule_id"], f["severity"]) for f in dotnet] == [("LR106", "warning")]
    assert "`public.ecr.aws/lambda/dotnet:10`" in dotnet[0]["message"]


def test_container_images_never_get_zip_runtime_rules(tmp_path):
    # python3.6, go1.x and provided are update- or create-blocked as .zip runtimes, and provided is OS-only.
    for name, image in [("a", "python:3.6"), ("b", "go:1"), ("c", "provided:alami")]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(f"FROM public.ecr.aws/lambda/{image}\n")
    findings = [f for f in scan(tmp_path)["findings"] if f["rule_id"].startswith("LR1")]
    assert {f["rule_id"] for f in findings} == {"LR106"}
    assert all(f["severity"] == "warning" for f in findings)
    go = next(f for f in findings if f["path"] == "b/Dockerfile")
    # provided:al2023 starts a `bootstrap` the go:1 build does not make: the FROM line alone breaks the image.
    assert go["suggestion"] is None and "`bootstrap`" in go["message"]
    assert "The current base image of the Go family" not in go["message"]


def test_digest_pinned_images_get_no_suggestion_that_would_keep_the_old_digest(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.8@sha256:" + "ef" * 32 + "\n")
    finding, = [f for f in scan(tmp_path)["findings"] if f["rule_id"].startswith("LR1")]
    assert finding["rule_id"] == "LR106" and finding["suggestion"] is None


def test_an_unreadable_dockerfile_is_a_notice_and_the_scan_goes_on(tmp_path):
    shutil.copytree(FIXTURES / "resize-python", tmp_path / "resize-python")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "Dockerfile").write_bytes(b"FROM public.ecr.aws/lambda/python:3.8\n\x00\xff")
    findings = scan(tmp_path)["findings"]
    assert ("LR901", "broken/Dockerfile") in {(f["rule_id"], f["path"]) for f in findings}
    assert ("LR106", "resize-python/Dockerfile") in {(f["rule_id"], f["path"]) for f in findings}


def test_dockerignore_and_cdk_asset_copies_are_not_dockerfiles(tmp_path):
    (tmp_path / "Dockerfile.dockerignore").write_text("FROM public.ecr.aws/lambda/python:3.8\n")
    asset = tmp_path / "cdk.out" / "asset.0123abcd"
    asset.mkdir(parents=True)
    (asset / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.8\n")
    assert functions(tmp_path) == {}


def test_inventory_lists_container_functions_with_their_format():
    out = io.StringIO()
    main(["inventory", str(FIXTURES)], stdout=out)
    assert "resize-python/Dockerfile  [container]  resize-python/Dockerfile:1" in out.getvalue()
    assert "runtime: python3.8  (at resize-python/Dockerfile:1)" in out.getvalue()


def test_the_summary_runtime_table_shows_image_functions_as_unpatched_not_blocked():
    out = io.StringIO()
    main(["scan", str(FIXTURES), "--format", "markdown", "--reference-date", DAY], stdout=out)
    assert "| `python3.8 (image)` | base image deprecated | deprecated 2024-10-14 | `python3.14` |" in out.getvalue()
    assert "blocked" not in "".join(line for line in out.getvalue().splitlines() if "(image)" in line)


LOCAL_TEST_DOCKERFILE = (
    "FROM public.ecr.aws/lambda/provided:al2023 AS build\nCOPY ./ ./\nRUN make\n"
    "FROM public.ecr.aws/lambda/provided:al2023\nCOPY --from=build /src/bin/ ${LAMBDA_TASK_ROOT}\n"
)


def _zip_functions_template(root: Path, *, image_function: str = "") -> None:
    """Two zip functions whose code sits under functions/, as a SAM app lays them out."""
    (root / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  PutRecords:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: provided.al2023\n      Handler: bootstrap\n      CodeUri: functions/put/\n"
        "  GetRecords:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: provided.al2023\n      Handler: bootstrap\n      CodeUri: functions/get/\n"
        + image_function)


@pytest.mark.parametrize("dockerfile", ["functions/Dockerfile", "functions/put/Dockerfile", "Dockerfile"])
def test_a_local_test_image_of_zip_functions_code_is_not_another_function(tmp_path, dockerfile):
    _zip_functions_template(tmp_path)
    (tmp_path / dockerfile).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / dockerfile).write_text(LOCAL_TEST_DOCKERFILE)
    assert sorted(functions(tmp_path)) == ["GetRecords", "PutRecords"]


def test_a_dockerfile_beside_other_code_or_an_unlinked_image_function_stays_a_function(tmp_path):
    _zip_functions_template(tmp_path)
    (tmp_path / "images" / "thumbnail").mkdir(parents=True)
    (tmp_path / "images" / "thumbnail" / "Dockerfile").write_text(LOCAL_TEST_DOCKERFILE)
    assert "images/thumbnail/Dockerfile" in functions(tmp_path)
    # An image function whose Dockerfile the template does not name may be built from this one.
    (tmp_path / "functions" / "Dockerfile").parent.mkdir(parents=True)
    (tmp_path / "functions" / "Dockerfile").write_text(LOCAL_TEST_DOCKERFILE)
    _zip_functions_template(tmp_path, image_function=(
        "  Resize:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"
        "      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/resize:1\n"))
    assert {"functions/Dockerfile", "images/thumbnail/Dockerfile"} <= set(functions(tmp_path))


IMAGE_FUNCTION_TF = """
resource "aws_ecr_repository" "app" {{
  name = "app"
}}
{functions}
"""
IMAGE_FUNCTION_RESOURCE = """
resource "aws_lambda_function" "{name}" {{
  function_name = "{name}"
  role          = "arn:aws:iam::123456789012:role/app"
  package_type  = "Image"
  image_uri     = "${{aws_ecr_repository.app.repository_url}}:latest"
}}
"""


def test_an_image_function_declared_without_its_dockerfile_takes_the_one_beside_it(tmp_path):
    (tmp_path / "main.tf").write_text(IMAGE_FUNCTION_TF.format(
        functions=IMAGE_FUNCTION_RESOURCE.format(name="api")))
    (tmp_path / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/nodejs:14\nCOPY handler.js ${LAMBDA_TASK_ROOT}\nCMD [\"handler.main\"]\n")
    (tmp_path / "handler.js").write_text("exports.main = async () => 'ok';\n")
    found = functions(tmp_path)
    assert list(found) == ["aws_lambda_function.api"]
    api = found["aws_lambda_function.api"]
    assert (api.runtime, api.properties["Dockerfile"], api.locations["Runtime"].line) == ("nodejs14.x", "Dockerfile", 1)
    assert api.handler == "handler.main" and api.task_root == "." and api.code_path == "."
    assert "Runtime" not in api.unresolved
    report = scan(tmp_path, "--audit", "off")
    assert [(f["rule_id"], f["path"], f["function"]) for f in report["findings"] if f["rule_id"] == "LR106"] == [
        ("LR106", "Dockerfile", "aws_lambda_function.api")]


def test_two_image_functions_beside_one_dockerfile_both_build_from_it(tmp_path):
    # both name the one ECR repository this folder's Dockerfile is built into
    (tmp_path / "main.tf").write_text(IMAGE_FUNCTION_TF.format(
        functions=IMAGE_FUNCTION_RESOURCE.format(name="api") + IMAGE_FUNCTION_RESOURCE.format(name="worker")))
    (tmp_path / "Dockerfile").write_text("FROM public.ecr.aws/lambda/nodejs:14\n")
    found = functions(tmp_path)
    assert sorted(found) == ["aws_lambda_function.api", "aws_lambda_function.worker"]
    assert [found[name].runtime for name in sorted(found)] == ["nodejs14.x", "nodejs14.x"]


def test_image_functions_of_several_roots_share_the_one_dockerfile_of_the_project(tmp_path):
    # one Dockerfile built once per function (a build argument names the handler script), pushed
    # to one repository per function, deployed by a dev and a prod root through a shared module
    for env in ("dev", "prod"):
        (tmp_path / "infra" / env).mkdir(parents=True)
        (tmp_path / "infra" / env / "main.tf").write_text(
            'module "fns" {\n  source = "../modules/fns"\n  env = "%s"\n}\n' % env)
    (tmp_path / "infra" / "modules" / "fns").mkdir(parents=True)
    (tmp_path / "infra" / "modules" / "fns" / "main.tf").write_text(
        'variable "env" {\n  type = string\n}\n' + "".join(
            f'resource "aws_lambda_function" "{name}" {{\n  function_name = "{name}-${{var.env}}"\n'
            '  role = "arn:aws:iam::123456789012:role/app"\n  package_type = "Image"\n'
            f'  image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fns/{name}:${{var.env}}"\n}}\n'
            for name in ("login", "upload")))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.10\nARG SCRIPT\nENV HANDLER=\"${SCRIPT}.handler\"\n"
        "COPY *.py ${LAMBDA_TASK_ROOT}\nENTRYPOINT /lambda-entrypoint.sh ${HANDLER}\n")
    (tmp_path / "src" / "login.py").write_text("def handler(event, context):\n    return {}\n")
    found = functions(tmp_path)
    assert "src/Dockerfile" not in found and len(found) == 4
    assert {(fn.runtime, fn.properties["Dockerfile"], fn.locations["Runtime"].line) for fn in found.values()} == {
        ("python3.10", "src/Dockerfile", 1)}


def test_image_functions_beside_a_zip_function_leave_the_dockerfile_alone(tmp_path):
    (tmp_path / "terraform").mkdir()
    (tmp_path / "terraform" / "lambda.tf").write_text(IMAGE_FUNCTION_TF.format(
        functions=IMAGE_FUNCTION_RESOURCE.format(name="api") + IMAGE_FUNCTION_RESOURCE.format(name="worker")))
    (tmp_path / "terraform" / "zip.tf").write_text(
        'resource "aws_lambda_function" "cron" {\n  function_name = "cron"\n  role = "r"\n'
        '  runtime = "python3.12"\n  handler = "cron.handler"\n  filename = "cron.zip"\n}\n')
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.12\n")
    found = functions(tmp_path)
    assert "docker/Dockerfile" in found
    assert found["aws_lambda_function.api"].runtime is None and found["aws_lambda_function.worker"].runtime is None


def test_an_image_function_takes_the_one_dockerfile_of_a_sibling_folder(tmp_path):
    # terraform/ names the ECR repository, CI builds docker/Dockerfile into it: one function
    (tmp_path / "terraform").mkdir()
    (tmp_path / "terraform" / "lambda.tf").write_text(IMAGE_FUNCTION_TF.format(
        functions=IMAGE_FUNCTION_RESOURCE.format(name="api")))
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}\nCMD [\"app.handler\"]\n")
    (tmp_path / "docker" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    found = functions(tmp_path)
    assert list(found) == ["aws_lambda_function.api"]
    api = found["aws_lambda_function.api"]
    assert (api.runtime, api.properties["Dockerfile"]) == ("python3.12", "docker/Dockerfile")
    assert (api.locations["Runtime"].path, api.locations["Runtime"].line) == ("docker/Dockerfile", 1)
    assert api.handler == "app.handler"


def test_a_dockerfile_of_a_sibling_folder_is_not_guessed_for_one_of_several_functions(tmp_path):
    (tmp_path / "terraform").mkdir()
    (tmp_path / "terraform" / "lambda.tf").write_text(IMAGE_FUNCTION_TF.format(
        functions=IMAGE_FUNCTION_RESOURCE.format(name="api")))
    (tmp_path / "terraform" / "zip.tf").write_text(
        'resource "aws_lambda_function" "cron" {\n  function_name = "cron"\n  role = "r"\n'
        '  runtime = "python3.12"\n  handler = "cron.handler"\n  filename = "cron.zip"\n}\n')
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.12\n")
    found = functions(tmp_path)
    assert sorted(found) == ["aws_lambda_function.api", "aws_lambda_function.cron", "docker/Dockerfile"]
    assert found["aws_lambda_function.api"].runtime is None


def test_the_code_of_an_image_function_given_its_dockerfile_is_scanned_by_bandit(tmp_path):
    """Linking the Dockerfile to the declared function keeps its build context as the code bandit
    reads (it was the standalone Dockerfile function's before the link)."""
    (tmp_path / "main.tf").write_text(IMAGE_FUNCTION_TF.format(functions=IMAGE_FUNCTION_RESOURCE.format(name="api")))
    (tmp_path / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD [\"app.handler\"]\n")
    (tmp_path / "app.py").write_text("import hashlib\n\ndef handler(event, context):\n"
                                     "    return hashlib.md5(b'x').hexdigest()\n")
    report = scan(tmp_path, "--audit", "off")
    assert ("bandit/B324", "aws_lambda_function.api") in {
        (f["rule_id"], f["function"]) for f in report["findings"] if f["rule_id"].startswith("bandit/")}


def test_functions_sharing_one_image_take_the_handler_their_command_names(tmp_path):
    # one build context, one Dockerfile, and each function overrides the image's CMD
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY *.py ${LAMBDA_TASK_ROOT}\nCMD [\"orders.handler\"]\n")
    for module in ("orders", "refunds"):
        (tmp_path / "api" / f"{module}.py").write_text("def handler(event, context):\n    return {}\n")
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n" + "".join(
            f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"
            f"      ImageConfig:\n        Command: [\"{module}.handler\"]\n"
            "    Metadata:\n      Dockerfile: Dockerfile\n      DockerContext: ./api\n"
            for name, module in (("Orders", "orders"), ("Refunds", "refunds"))))
    found = functions(tmp_path)
    assert {name: (fn.handler, fn.task_root) for name, fn in found.items()} == {
        "Orders": ("orders.handler", "api"), "Refunds": ("refunds.handler", "api")}
    assert str(found["Refunds"].where("Handler")) == "template.yaml:17"


def test_a_serverless_image_command_overrides_the_dockerfile_cmd(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY *.py ${LAMBDA_TASK_ROOT}\nCMD [\"main.handler\"]\n")
    (tmp_path / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\n  ecr:\n    images:\n      appimage:\n        path: ./app\n"
        "functions:\n  main:\n    image:\n      name: appimage\n"
        "  nightly:\n    image:\n      name: appimage\n      command:\n        - nightly.run\n")
    found = functions(tmp_path)
    assert (found["main"].handler, found["nightly"].handler) == ("main.handler", "nightly.run")
    assert str(found["nightly"].where("Handler")) == "serverless.yml:15"


def test_a_command_under_a_custom_entry_point_names_no_handler(tmp_path):
    """With its own `entryPoint` (`EntryPoint`), the image runs that program and the command is
    its arguments: neither it nor the image's `CMD` says which handler runs."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(
        "FROM public.ecr.aws/lambda/python:3.12\nCOPY *.py ${LAMBDA_TASK_ROOT}\nCMD [\"main.handler\"]\n")
    (tmp_path / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\n  ecr:\n    images:\n      appimage:\n        path: ./app\n"
        "functions:\n  wrapped:\n    image:\n      name: appimage\n      entryPoint:\n        - /opt/run.sh\n"
        "      command:\n        - --verbose\n")
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Wrapped:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      PackageType: Image\n      ImageConfig:\n        EntryPoint: [\"/opt/run.sh\"]\n"
        "        Command: [\"--verbose\"]\n    Metadata:\n      Dockerfile: Dockerfile\n      DockerContext: ./app\n")
    found = functions(tmp_path)
    assert found["Wrapped"].handler != "--verbose" and found["wrapped"].handler != "--verbose"
