"""A container-image function's handler is read when its Dockerfile copies it from the repository.

Real image functions build `FROM public.ecr.aws/lambda/python:3.12`, `COPY src/ ${LAMBDA_TASK_ROOT}`
and `CMD ["app.handler"]`; their code was never read, so a loop in it was never reported. The
Dockerfile says which folder becomes the task root; when it copies built output from another
stage over the code, or code from two folders neither of which brings the handler's module, the
function stays unread rather than read from a guess.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.inventory.container.task_root import copied_to_task_root, task_root_folder

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Thumbnails:
    Type: AWS::S3::Bucket
  Resizer:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Thumbnails
            Events: s3:ObjectCreated:*
      Environment:
        Variables:
          OUTPUT_BUCKET: !Ref Thumbnails
    Metadata:
      DockerContext: ./resizer
      Dockerfile: Dockerfile
"""

HANDLER = """\
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        s3.put_object(Bucket=os.environ["OUTPUT_BUCKET"], Key="thumb-" + key, Body=b"")
"""


def scan(path: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(path), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--osv-url", "http://127.0.0.1:9/v1/query"], stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def image_app(tmp_path: Path, dockerfile: str, handler_folder: str = "src") -> dict:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    code = tmp_path / "resizer" / handler_folder
    code.mkdir(parents=True)
    (code / "app.py").write_text(HANDLER)
    (tmp_path / "resizer" / "requirements.txt").write_text("pillow==10.4.0\n")
    (tmp_path / "resizer" / "Dockerfile").write_text(dockerfile)
    return scan(tmp_path)


def loop_rules(result: dict) -> set[tuple[str, str, int]]:
    return {(f["rule_id"], f["path"], f["line"]) for f in result["findings"] if f["rule_id"].startswith("LR20")}


@pytest.mark.parametrize("copy", [
    "COPY src/ ${LAMBDA_TASK_ROOT}",
    "COPY src/ $LAMBDA_TASK_ROOT/",
    "COPY --chown=1000 src/ /var/task",
    "COPY [\"src/\", \"${LAMBDA_TASK_ROOT}/\"]",
    "COPY src/app.py ./",                  # the base images' working directory is the task root
    "COPY src/*.py ${LAMBDA_TASK_ROOT}",
])
def test_a_loop_in_an_image_functions_handler_is_found(tmp_path, copy):
    result = image_app(tmp_path, "FROM public.ecr.aws/lambda/python:3.12\n"
                                 "COPY requirements.txt ${LAMBDA_TASK_ROOT}\n"
                                 "RUN pip install -r requirements.txt\n"
                                 f"{copy}\n"
                                 'CMD ["app.handler"]\n')
    assert loop_rules(result) == {("LR201", "resizer/src/app.py", 11)}
    coverage = {row["function"]: row for row in result["summary"]["loop_coverage"]}
    assert coverage["Resizer"]["read"] and coverage["Resizer"]["detail"] == "Python, resizer/src/app.py"
    assert {fn["name"]: fn["handler"] for fn in result["functions"]} == {"Resizer": "app.handler"}


@pytest.mark.parametrize("dockerfile", [
    # the handler is built in another stage: its source is not what runs
    "FROM public.ecr.aws/lambda/python:3.12 AS build\nCOPY src/ /build\n"
    "FROM public.ecr.aws/lambda/python:3.12\nCOPY --from=build /build ${LAMBDA_TASK_ROOT}\nCMD [\"app.handler\"]\n",
    # two folders at the task root: which one holds the handler is a guess
    "FROM public.ecr.aws/lambda/python:3.12\nCOPY src/ ${LAMBDA_TASK_ROOT}\nCOPY vendor/ ${LAMBDA_TASK_ROOT}\n"
    "CMD [\"app.handler\"]\n",
    # the working directory moved: `.` is no longer the task root
    "FROM public.ecr.aws/lambda/python:3.12\nWORKDIR /opt/app\nCOPY src/ .\nCMD [\"app.handler\"]\n",
])
def test_an_image_whose_handler_source_is_not_certain_stays_unread(tmp_path, dockerfile):
    result = image_app(tmp_path, dockerfile)
    assert loop_rules(result) == set()
    coverage = {row["function"]: row for row in result["summary"]["loop_coverage"]}
    assert coverage["Resizer"] == {**coverage["Resizer"], "read": False, "detail": "the function is a container image"}


def test_a_standalone_dockerfile_is_read_from_its_own_folder(tmp_path):
    service = tmp_path / "services" / "export"
    service.mkdir(parents=True)
    (service / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\n"
                                        "CMD [\"app.handler\"]\n")
    (service / "app.py").write_text("import subprocess\n\n\ndef handler(event, context):\n"
                                    "    return subprocess.run(event['cmd'], shell=True)\n")
    result = scan(tmp_path)
    coverage = {row["function"]: row for row in result["summary"]["loop_coverage"]}
    assert coverage["services/export/Dockerfile"]["read"]
    # bandit now reads the shipped handler too
    assert any(f["path"] == "services/export/app.py" and f["rule_id"].startswith("bandit/") for f in result["findings"])


def test_copies_into_a_subfolder_and_manifests_do_not_move_the_task_root() -> None:
    sources = (*copied_to_task_root("requirements.txt ${LAMBDA_TASK_ROOT}", "/var/task"),
               *copied_to_task_root("lib/common ${LAMBDA_TASK_ROOT}/common", "/var/task"),
               *copied_to_task_root("handlers/ ${LAMBDA_TASK_ROOT}", "/var/task"))
    assert task_root_folder("svc", sources) == "svc/handlers"
    only_library = tuple(copied_to_task_root("lib/common ${LAMBDA_TASK_ROOT}/common", "/var/task") or ())
    assert task_root_folder("svc", only_library) == "svc/lib"
    assert copied_to_task_root("--from=build /out ${LAMBDA_TASK_ROOT}", "/var/task") is None
    assert copied_to_task_root("app.py /opt/other/", "/var/task") == []
    assert task_root_folder("svc", ("../outside/",)) is None
    assert task_root_folder("svc", ("https://example.com/app.py",)) is None


def test_the_folder_that_brings_the_handlers_module_is_the_task_root(tmp_path):
    # an inference image: the model's training script and the handler come from two folders
    (tmp_path / "resizer" / "model").mkdir(parents=True)
    (tmp_path / "resizer" / "model" / "train.py").write_text("print('trained')\n")
    result = image_app(tmp_path, "FROM public.ecr.aws/lambda/python:3.12\n"
                                 "COPY requirements.txt ./\nRUN pip install -r requirements.txt -t .\n"
                                 "COPY ./model/train.py ./\nRUN python train.py\n"
                                 "COPY ./src/app.py ./\n"
                                 'CMD ["app.handler"]\n')
    assert loop_rules(result) == {("LR201", "resizer/src/app.py", 11)}


def test_a_functions_own_command_chooses_among_the_folders_an_image_copies(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE.replace(
        "    Metadata:", "      ImageConfig:\n        Command: [\"app.handler\"]\n    Metadata:"))
    service = tmp_path / "resizer"
    (service / "src").mkdir(parents=True)
    (service / "jobs").mkdir()
    (service / "src" / "app.py").write_text(HANDLER)
    (service / "jobs" / "nightly.py").write_text("def handler(event, context):\n    return None\n")
    (service / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.12\n"
                                        "COPY jobs/nightly.py src/app.py ${LAMBDA_TASK_ROOT}/\n"
                                        'CMD ["nightly.handler"]\n')
    result = scan(tmp_path)
    assert loop_rules(result) == {("LR201", "resizer/src/app.py", 11)}


def test_installed_packages_copied_from_a_builder_stage_leave_the_handlers_folder_readable(tmp_path):
    # uv's documented Lambda image: a builder stage installs the dependencies into its task root
    result = image_app(tmp_path, "FROM ghcr.io/astral-sh/uv:0.6.14 AS uv\n"
                                 "FROM public.ecr.aws/lambda/python:3.12 AS builder\n"
                                 "COPY . /project\nWORKDIR /project\n"
                                 "RUN --mount=from=uv,source=/uv,target=/bin/uv uv pip install -r requirements.txt "
                                 "--target \"${LAMBDA_TASK_ROOT}\"\n"
                                 "FROM public.ecr.aws/lambda/python:3.12\n"
                                 "COPY --from=builder ${LAMBDA_TASK_ROOT} ${LAMBDA_TASK_ROOT}\n"
                                 "COPY ./src ${LAMBDA_TASK_ROOT}\n"
                                 'CMD ["app.handler"]\n')
    assert loop_rules(result) == {("LR201", "resizer/src/app.py", 11)}


def test_a_terraform_function_taking_a_shared_dockerfile_is_read_from_its_commands_folder(tmp_path):
    service = tmp_path / "resizer"
    (service / "src").mkdir(parents=True)
    (service / "jobs").mkdir()
    (service / "src" / "app.py").write_text(HANDLER)
    (service / "jobs" / "nightly.py").write_text("def handler(event, context):\n    return None\n")
    (service / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.12\n"
                                        "COPY jobs/nightly.py src/app.py ${LAMBDA_TASK_ROOT}/\n"
                                        'CMD ["nightly.handler"]\n')
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        'resource "aws_ecr_repository" "images" {\n  name = "images"\n}\n'
        'resource "aws_lambda_function" "resizer" {\n  function_name = "resizer"\n  role = "arn:aws:iam::1:role/r"\n'
        '  package_type = "Image"\n  image_uri = "${aws_ecr_repository.images.repository_url}:latest"\n'
        '  image_config {\n    command = ["app.handler"]\n  }\n}\n')
    result = scan(tmp_path)
    coverage = {row["function"]: row["detail"] for row in result["summary"]["loop_coverage"]}
    assert coverage == {"aws_lambda_function.resizer": "Python, resizer/src/app.py"}


def test_a_java_image_is_unread_for_its_language_not_for_being_an_image(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "resizer").mkdir()
    (tmp_path / "resizer" / "Dockerfile").write_text(
        "FROM gradle:8-jdk21 AS build\nCOPY src/ /build/src\nRUN gradle build\n"
        "FROM public.ecr.aws/lambda/java:21\nCOPY --from=build /build/libs/ ${LAMBDA_TASK_ROOT}/lib/\n"
        'CMD ["com.example.Resizer::handleRequest"]\n')
    coverage = {row["function"]: row for row in scan(tmp_path)["summary"]["loop_coverage"]}
    assert coverage["Resizer"]["detail"] == "only Python and Node.js handlers are read, and the runtime is java21"
