"""An image function's code is the folder its Dockerfile copies the handler from, in every format,
and what else the Dockerfile copies onto the task root is found under the name it has there.

Two real shapes: SAM inference samples (`PackageType: Image`, `Metadata: {DockerContext: .}`, a
Dockerfile that copies `requirements.txt`, a model script and `app/app.py` to the task root) had
no code path at all, so bandit read nothing of them and a review's change to the handler touched
no function; a Serverless service whose images are built from the repository's root copies a
shared folder into a subfolder (`COPY services/common ./common`) beside its handler files, and its
handler imports `common.http`: the function's code path was the whole repository.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.analyzers.dependencies import dependency_directories
from reviewer.analyzers.interface import ChangeFocus
from reviewer.cli import main
from reviewer.code.modules import load_modules
from reviewer.code.ownership import python_sources
from reviewer.inventory import build_inventory
from reviewer.inventory.carry_over import code_folders
from reviewer.inventory.container.task_root import copied_to_task_root, task_root_copies
from reviewer.workspace import Workspace

SAM_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ClassifyFunction:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      MemorySize: 1024
    Metadata:
      DockerContext: .
      Dockerfile: Dockerfile
"""

SAM_DOCKERFILE = """\
FROM public.ecr.aws/lambda/python:3.12
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY ./model/labels.py ./
COPY ./app/app.py ./
CMD ["app.handler"]
"""

SAM_HANDLER = """\
import json
import pickle
import urllib.request

import labels


def handler(event, context):
    with urllib.request.urlopen(event["image_url"]) as response:
        image = response.read()
    return {"statusCode": 200, "body": json.dumps({"label": labels.name_of(image)})}
"""

LABELS = """\
import pickle

with open("/var/task/labels.pkl", "rb") as source:
    TABLE = pickle.load(source)


def name_of(image):
    return TABLE.get(len(image), "unknown")
"""


def _sam_app(root: Path) -> Path:
    app = root / "classify-image"
    (app / "app").mkdir(parents=True)
    (app / "model").mkdir()
    (app / "template.yaml").write_text(SAM_TEMPLATE)
    (app / "Dockerfile").write_text(SAM_DOCKERFILE)
    (app / "requirements.txt").write_text("pillow==10.4.0\n")
    (app / "app" / "app.py").write_text(SAM_HANDLER)
    (app / "model" / "labels.py").write_text(LABELS)
    (app / "model" / "train.py").write_text("import subprocess\nsubprocess.call('make model', shell=True)\n")
    (app / "README.md").write_text("# Classify images\n")
    return root


def _scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_a_sam_image_functions_code_path_is_the_folder_its_handler_is_copied_from(tmp_path):
    [function] = build_inventory(Workspace(_sam_app(tmp_path))).functions
    assert (function.code_path, function.task_root) == ("classify-image/app", "classify-image/app")
    # the model script copied to the task root is imported as `labels`
    assert function.task_root_copies == (("classify-image/model/labels.py", "labels"),)
    assert code_folders(function)[:2] == ("classify-image/app", "classify-image/model/labels.py")


def test_bandit_and_untrusted_input_name_the_sam_image_function(tmp_path):
    findings = _scan(_sam_app(tmp_path))["findings"]
    owners = {(f["rule_id"], f["path"]): f["function"] for f in findings
              if f["rule_id"] == "LR306" or f["engine"] == "bandit"}
    assert owners[("LR306", "classify-image/app/app.py")] == "ClassifyFunction"
    assert owners[("bandit/B301", "classify-image/model/labels.py")] == "ClassifyFunction"
    # a script beside the copied module, never copied into the image, is no one's code
    assert not [path for _, path in owners if path == "classify-image/model/train.py"]


def test_a_change_to_the_handler_or_a_copied_module_touches_the_image_function(tmp_path):
    [function] = build_inventory(Workspace(_sam_app(tmp_path))).functions
    assert ChangeFocus(frozenset({"classify-image/app/app.py"})).touches(function)
    assert ChangeFocus(frozenset({"classify-image/model/labels.py"})).touches(function)
    assert not ChangeFocus(frozenset({"classify-image/model/train.py"})).touches(function)
    assert not ChangeFocus(frozenset({"classify-image/README.md"})).touches(function)


# A Serverless service whose image is built from the repository's root (`path: ../..`).
SERVERLESS = """\
service: content-api
provider:
  name: aws
  ecr:
    images:
      api_image:
        path: ../..
        file: api.Dockerfile
functions:
  fetch_page:
    image:
      name: api_image
      command:
        - pages_api.fetch
"""

API_DOCKERFILE = """\
FROM public.ecr.aws/lambda/python:3.11
COPY services/api/Docker.requirements.txt ./
RUN python3.11 -m pip install -r Docker.requirements.txt
RUN mkdir common
COPY services/common ./common
COPY services/api/pages_api.py ./
CMD ["pages_api.fetch"]
"""

PAGES_API = """\
import json

from common.http import get_text


def fetch(event, context):
    body = json.loads(event["body"])
    return {"statusCode": 200, "body": get_text(body["url"])}
"""

COMMON_HTTP = """\
import requests


def get_text(url):
    return requests.get(url, verify=False, timeout=10).text
"""


def _root_built_service(root: Path) -> Path:
    (root / "services" / "api").mkdir(parents=True)
    (root / "services" / "common").mkdir()
    (root / "services" / "billing").mkdir()
    (root / "api.Dockerfile").write_text(API_DOCKERFILE)
    (root / "services" / "api" / "serverless.yml").write_text(SERVERLESS)
    (root / "services" / "api" / "Docker.requirements.txt").write_text("requests==2.32.3\n")
    (root / "services" / "api" / "pages_api.py").write_text(PAGES_API)
    (root / "services" / "common" / "__init__.py").write_text("")
    (root / "services" / "common" / "http.py").write_text(COMMON_HTTP)
    # a sibling of the copied folder, never in the image: `import billing` does not reach it
    (root / "services" / "billing" / "invoice.py").write_text("import subprocess\n")
    (root / "services" / "__init__.py").write_text("")
    return root


def test_a_folder_copied_into_the_task_root_is_imported_by_its_name_there(tmp_path):
    workspace = Workspace(_root_built_service(tmp_path))
    [function] = build_inventory(workspace).functions
    assert (function.code_path, function.handler) == ("services/api", "pages_api.fetch")
    assert function.task_root_copies == (("services/common", "common"),)
    modules = load_modules(workspace, "services/api", "pages_api.fetch", None, (), function.task_root_copies)
    assert not isinstance(modules, str)
    assert {module.path for module in modules.modules.values()} == {"services/api/pages_api.py", "services/common/http.py"}
    # the copy's parent is not on the import path: neither its siblings nor the copy by another name
    (tmp_path / "services" / "api" / "probe.py").write_text(
        "import billing.invoice\nimport services.common.http\nimport common\n\n\ndef handler(event, context):\n"
        "    return None\n")
    probed = load_modules(Workspace(tmp_path), "services/api", "probe.handler", None, (), function.task_root_copies)
    assert not isinstance(probed, str)
    assert {module.path for module in probed.modules.values()} == {
        "services/api/probe.py", "services/common/__init__.py"}


def test_the_copied_folder_is_the_functions_code_for_bandit_the_focus_and_the_carry_over(tmp_path):
    workspace = Workspace(_root_built_service(tmp_path))
    [function] = build_inventory(workspace).functions
    owners = python_sources(workspace, [function]).owners
    assert owners["services/common/http.py"] == owners["services/common/__init__.py"] == ("fetch_page",)
    assert "services/__init__.py" not in owners      # the copy's package starts at its own folder
    assert "services/billing/invoice.py" not in owners
    assert ChangeFocus(frozenset({"services/common/http.py"})).touches(function)
    assert not ChangeFocus(frozenset({"services/billing/invoice.py"})).touches(function)
    assert not ChangeFocus(frozenset({"README.md"})).touches(function)
    assert "services/common" in code_folders(function)
    findings = _scan(tmp_path)["findings"]
    assert {(f["rule_id"], f["function"]) for f in findings if f["path"] == "services/common/http.py"} >= {
        ("LR306", "fetch_page"), ("bandit/B501", "fetch_page")}


def test_the_image_audits_what_it_installs_not_the_requirements_beside_its_handler(tmp_path):
    _root_built_service(tmp_path)
    # the service's zip functions are packaged with this one; the image installs its own file
    (tmp_path / "services" / "api" / "requirements.txt").write_text("google-api-python-client==2.100.0\n")
    workspace = Workspace(tmp_path)
    [function] = build_inventory(workspace).functions
    assert dependency_directories(workspace, function) == ["services/api/Docker.requirements.txt"]


def test_what_the_task_root_copies_pair_with_their_names_there() -> None:
    sources = (*copied_to_task_root("services/common ./common", "/var/task"),
               *copied_to_task_root("lib/ ./", "/var/task"),
               *copied_to_task_root("services/api/pages_api.py ./", "/var/task"),
               *copied_to_task_root("services/task/ecs_api.py ecs_api.py", "/var/task"),
               *copied_to_task_root("assets ./static/assets", "/var/task"),
               *copied_to_task_root("services/api/helpers ./helpers", "/var/task"))
    # a file copied under its own name is at the task root itself, not in a subfolder of it
    assert "services/task/ecs_api.py" in sources
    assert task_root_copies(".", sources, "services/api") == (
        ("services/common", "common"), ("services/task/ecs_api.py", "ecs_api"))
