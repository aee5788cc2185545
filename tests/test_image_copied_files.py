"""An image function ships the files of its build context that its Dockerfile copies, not the folder.

The real shape (a chat app's CDK backend): `DockerImageFunction`s built from `backend/` with
`file: "Dockerfile"` (a web-adapter image, `WORKDIR /backend`) or `file: "worker.Dockerfile"` (a
Lambda base image), both copying only `COPY ./app ./app`, while `backend/` also holds an ECS
task's `ingest/` and a Cognito trigger's zip folder. bandit named the image functions as the
owners of the ECS task's files, and a change to them touched the functions. Every format that
builds an image from a local Dockerfile is read the same way; `COPY . .` keeps the whole folder.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.analyzers.interface import ChangeFocus
from reviewer.cli import main
from reviewer.code.ownership import UNCOPIED, python_sources
from reviewer.inventory import build_inventory
from reviewer.inventory.container.read import context_copies
from reviewer.review.summary import left_out_note
from reviewer.workspace import Workspace

WEB_DOCKERFILE = """\
FROM public.ecr.aws/docker/library/python:3.12-slim
COPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:0.8.4 /lambda-adapter /opt/extensions/lambda-adapter
WORKDIR /backend
COPY ./pyproject.toml ./poetry.lock ./
RUN pip install poetry && poetry install --no-root
COPY ./app ./app
CMD ["uvicorn", "app.main:app", "--port", "8000"]
"""

WORKER_DOCKERFILE = """\
FROM public.ecr.aws/lambda/python:3.12
COPY ./pyproject.toml ./poetry.lock ./
RUN pip install poetry && poetry install --no-root
COPY ./app ./app
CMD ["app.worker.handler"]
"""

STACK = """\
import * as path from "path";
import { Stack } from "aws-cdk-lib";
import { DockerImageCode, DockerImageFunction } from "aws-cdk-lib/aws-lambda";

export class ChatStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new DockerImageFunction(this, "Api", {
      code: DockerImageCode.fromImageAsset(path.join(__dirname, "../../backend"), {
        file: "Dockerfile",
      }),
    });
    new DockerImageFunction(this, "Worker", {
      code: DockerImageCode.fromImageAsset(path.join(__dirname, "../../backend"), {
        file: "worker.Dockerfile",
        cmd: ["app.worker.handler"],
      }),
    });
  }
}
"""

INGEST = """\
import subprocess
import requests


def main(url):
    requests.get(url)
    subprocess.call("convert " + url, shell=True)
"""


def _chat_app(root: Path, web_dockerfile: str = WEB_DOCKERFILE) -> Path:
    backend = root / "backend"
    for folder in ("cdk/lib", "backend/app", "backend/ingest", "backend/tests"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "cdk" / "cdk.json").write_text('{"app": "npx ts-node bin/chat.ts"}\n')
    (root / "cdk" / "lib" / "chat-stack.ts").write_text(STACK)
    (backend / "Dockerfile").write_text(web_dockerfile)
    (backend / "worker.Dockerfile").write_text(WORKER_DOCKERFILE)
    (backend / "pyproject.toml").write_text("[tool.poetry]\nname = 'backend'\n")
    (backend / "poetry.lock").write_text("")
    (backend / "app" / "__init__.py").write_text("")
    (backend / "app" / "main.py").write_text("import subprocess\n\napp = subprocess.run\n")
    (backend / "app" / "worker.py").write_text("def handler(event, context):\n    return event\n")
    (backend / "ingest" / "main.py").write_text(INGEST)
    (backend / "tests" / "test_main.py").write_text("def test_it():\n    assert True\n")
    return root


def _functions(root: Path) -> dict:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def _scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_cdk_image_functions_ship_only_what_their_dockerfiles_copy(tmp_path):
    root = _chat_app(tmp_path)
    workspace = Workspace(root)
    functions = build_inventory(workspace).functions
    sources = python_sources(workspace, functions)
    assert sources.owners["backend/app/main.py"] == ("Api",)
    assert "backend/ingest/main.py" not in sources.owners
    assert sources.left_out["backend/ingest/main.py"] == UNCOPIED
    assert "Dockerfile does not copy" in left_out_note(sources.left_out)
    findings = _scan(root)["findings"]
    assert not [f for f in findings if f["path"].startswith("backend/ingest/")]
    assert [f["function"] for f in findings if f["path"] == "backend/app/main.py" and f["engine"] == "bandit"] == ["Api"]


def test_a_change_the_image_does_not_copy_touches_no_image_function(tmp_path):
    functions = _functions(_chat_app(tmp_path))
    for name in ("Api", "Worker"):
        assert not ChangeFocus(frozenset({"backend/ingest/main.py"})).touches(functions[name])
        assert ChangeFocus(frozenset({"backend/app/worker.py"})).touches(functions[name])
    # a changed Dockerfile changes what the image holds
    assert ChangeFocus(frozenset({"backend/Dockerfile"})).touches(functions["Api"])


def test_an_image_that_copies_its_whole_context_keeps_every_file(tmp_path):
    root = _chat_app(tmp_path, WEB_DOCKERFILE.replace("COPY ./app ./app", "COPY . ."))
    functions = _functions(root)
    assert functions["Api"].package_contents is None
    assert functions["Worker"].package_contents is not None
    workspace = Workspace(root)
    assert python_sources(workspace, list(functions.values())).owners["backend/ingest/main.py"] == ("Api",)


def test_copies_naming_no_file_of_the_context_leave_the_folder_whole(tmp_path):
    """A Dockerfile built from another context than the one the review took (`docker build -f
    backend/Dockerfile .`): its copies name no file here, and narrowing would ship nothing."""
    root = _chat_app(tmp_path, WEB_DOCKERFILE.replace("COPY ./app ./app", "COPY ./backend/app ./app"))
    assert _functions(root)["Api"].package_contents is None


@pytest.mark.parametrize(("dockerfile", "expected"), [
    # a builder stage's copies are in the image its output is copied into
    ("FROM python:3.12 AS build\nCOPY src ./src\nRUN pip wheel ./src\n"
     "FROM public.ecr.aws/lambda/python:3.12\nCOPY --from=build /wheels /wheels\nCOPY handler.py ./\n",
     ("src", "handler.py")),
    # a stage the built one never uses ships nothing
    ("FROM python:3.12 AS docs\nCOPY docs ./docs\nFROM public.ecr.aws/lambda/python:3.12\nCOPY /app/ ./\n",
     ("app",)),
    ("FROM public.ecr.aws/lambda/python:3.12\nCOPY *.py requirements.txt ./\n", ("*.py", "requirements.txt")),
    ("FROM public.ecr.aws/lambda/python:3.12\nRUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync\n"
     "COPY app ./app\n", ("uv.lock", "app")),
    # the whole context, a build argument, a path out of it, or a bind mount of the context: any file
    ("FROM public.ecr.aws/lambda/python:3.12\nCOPY app ./app\nCOPY . ${LAMBDA_TASK_ROOT}\n", None),
    ("FROM public.ecr.aws/lambda/python:3.12\nARG DIR=app\nCOPY ${DIR} ./\n", None),
    ("FROM public.ecr.aws/lambda/python:3.12\nCOPY ../shared ./shared\n", None),
    ("FROM public.ecr.aws/lambda/python:3.12\nRUN --mount=type=bind,target=/src pip install /src\n", None),
    ("FROM public.ecr.aws/lambda/python:3.12\nADD https://example.com/tool.tar.gz /opt/\n", None),
])
def test_what_a_dockerfile_copies_from_its_context(dockerfile, expected):
    assert context_copies(dockerfile)[0] == expected


SAM_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  ChatWorker:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
    Metadata:
      DockerContext: ./backend
      Dockerfile: worker.Dockerfile
"""

SERVERLESS = """\
service: chat
provider:
  name: aws
  ecr:
    images:
      worker:
        path: ./backend
        file: worker.Dockerfile
functions:
  chatWorker:
    image:
      name: worker
"""

TERRAFORM = """\
module "worker_image" {
  source          = "terraform-aws-modules/lambda/aws//modules/docker-build"
  source_path     = "${path.module}/backend"
  docker_file_path = "worker.Dockerfile"
  ecr_repo        = "chat-worker"
}

module "worker" {
  source         = "terraform-aws-modules/lambda/aws"
  function_name  = "chat-worker"
  create_package = false
  package_type   = "Image"
  image_uri      = module.worker_image.image_uri
}
"""


@pytest.mark.parametrize(("name", "text"), [("template.yaml", SAM_TEMPLATE), ("serverless.yml", SERVERLESS),
                                            ("main.tf", TERRAFORM)])
def test_every_format_ships_what_the_image_copies(tmp_path, name, text):
    root = _chat_app(tmp_path)
    (root / "cdk" / "lib" / "chat-stack.ts").unlink()
    (root / name).write_text(text)
    workspace = Workspace(root)
    functions = [fn for fn in build_inventory(workspace).functions if fn.package_type == "Image"]
    assert len(functions) == 1, [(fn.name, fn.format) for fn in functions]
    [function] = functions
    assert function.package_contents is not None and function.package_contents.image
    owners = python_sources(workspace, functions).owners
    assert owners.get("backend/app/worker.py") == (function.name,)
    assert "backend/ingest/main.py" not in owners


def test_many_stages_copying_many_paths_leave_the_folder_whole():
    """Bounded: past MAX_SOURCES paths in all, the image may hold anything, and nothing is narrowed."""
    stages = "".join(f"FROM python:3.12 AS s{index}\n" + "".join(f"COPY d{index}_{n} ./\n" for n in range(150))
                     for index in range(3))
    final = "FROM public.ecr.aws/lambda/python:3.12\n" + "".join(f"COPY --from=s{index} /x /x\n" for index in range(3))
    assert context_copies(stages + final)[0] is None
    assert len(context_copies(stages.split("FROM python:3.12 AS s1")[0] + final.replace("COPY --from=s1", "#")
                              .replace("COPY --from=s2", "#"))[0]) == 150
