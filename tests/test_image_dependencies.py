"""The dependencies a container image installs are audited as its function's: an image function has
no code folder the audit reads, so the requirements its Dockerfile copies and installs were never
checked, and a pull request changing them touched no function."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.analyzers import dependencies
from reviewer.analyzers.interface import AnalysisContext, ChangeFocus
from reviewer.cli import main
from reviewer.config import Settings
from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

# The shape of a SAM inference sample: one folder per model, the image built from that folder.
SAM_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  CaptionFunction:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      MemorySize: 2048
      Timeout: 60
    Metadata:
      DockerTag: v1
      DockerContext: .
      Dockerfile: Dockerfile
"""
SAM_DOCKERFILE = """\
FROM public.ecr.aws/lambda/python:3.12

COPY requirements.txt ./requirements.txt
RUN pip install -r requirements.txt

RUN mkdir ./weights && rm -rf /tmp/cache
COPY ./app/app.py ./

CMD ["app.handler"]
"""


def _sam_app(root: Path) -> Path:
    app = root / "caption-inference"
    (app / "app").mkdir(parents=True)
    (app / "template.yaml").write_text(SAM_TEMPLATE)
    (app / "Dockerfile").write_text(SAM_DOCKERFILE)
    (app / "requirements.txt").write_text("jinja2==2.10\n")
    (app / "app" / "app.py").write_text("def handler(event, context):\n    return {'statusCode': 200}\n")
    return app


def test_the_audit_reads_the_requirements_a_sam_image_installs(tmp_path, osv):
    _sam_app(tmp_path)
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-11-22", "--fail-on", "never",
          "--osv-url", osv.query_url], stdout=out)
    vulnerable = {(f["path"], f["line"], f["function"])
                  for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR500"}
    assert vulnerable == {("caption-inference/requirements.txt", 1, "CaptionFunction")}


def test_a_change_to_the_installed_requirements_touches_the_image_function(tmp_path):
    _sam_app(tmp_path)
    workspace = Workspace(tmp_path)
    inventory = build_inventory(workspace)
    [function] = inventory.functions
    assert function.image_dependency_files == ("caption-inference/requirements.txt",)
    focus = ChangeFocus(frozenset({"caption-inference/requirements.txt"}))
    assert focus.touches(function)
    context = AnalysisContext(workspace, inventory, Settings(), focus=focus)
    kept = dependencies.keep_focus(dependencies.collect_dependencies(context), context)
    assert {(site.item.name, site.item.version) for site in kept.pins.values()} == {("jinja2", "2.10")}


# The shape of a Serverless service whose image is built from the repository's root, copying one
# service's requirements under their own name and installing them.
API_DOCKERFILE = """\
FROM public.ecr.aws/lambda/python:3.11 AS build
COPY services/api/build.requirements.txt ./
RUN python3.11 -m pip install -r build.requirements.txt -t /opt/wheels

FROM public.ecr.aws/lambda/python:3.11
COPY --from=build /opt/wheels /opt/python
COPY services/api/Docker.requirements.txt ./
RUN python3.11 -m pip install -r Docker.requirements.txt && rm -rf /root/.cache
COPY services/api/ ./
RUN pip install --requirement=pinned/requirements-prod.txt && \\
    python3.11 -m pip install --no-cache-dir -rservices-extra.txt
COPY services/api/requirements-dev.txt ./
CMD ["workflow_api.handler"]
"""
SERVERLESS = """\
service: writer-api
provider:
  name: aws
  ecr:
    images:
      api_image:
        path: ../..
        file: api.Dockerfile
functions:
  run_workflow:
    image:
      name: api_image
      command: [workflow_api.run_workflow]
"""


def test_requirements_a_dockerfile_installs_under_any_name_are_the_image_functions(tmp_path):
    (tmp_path / "api.Dockerfile").write_text(API_DOCKERFILE)
    api = tmp_path / "services" / "api"
    (api / "pinned").mkdir(parents=True)
    (api / "serverless.yml").write_text(SERVERLESS)
    (api / "workflow_api.py").write_text("def run_workflow(event, context):\n    return event\n")
    for name in ("build.requirements.txt", "Docker.requirements.txt", "services-extra.txt",
                 "pinned/requirements-prod.txt", "requirements-dev.txt"):
        (api / name).write_text("requests==2.19.0\n")
    [function] = [fn for fn in build_inventory(Workspace(tmp_path)).functions if fn.name == "run_workflow"]
    assert function.image_dependency_files == (
        "services/api/build.requirements.txt",            # the builder stage's, copied in with --from
        "services/api/Docker.requirements.txt",
        "services/api/pinned/requirements-prod.txt",
        "services/api/services-extra.txt",
    )
