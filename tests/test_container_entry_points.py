"""An image's entry point decides whether its command is a handler, and whether it is a function at all.

Functions sharing one image each override its `CMD` (Terraform's `image_config.command`, the
module's `image_config_command`, Serverless's `image.command` under Lambda's own
`/lambda-entrypoint.sh`): each runs its own handler, not the Dockerfile's. A Dockerfile built on a
Lambda base image whose `ENTRYPOINT` runs another program (an ECS task's `python3.11`, a layer
build's empty entry point) deploys no function.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.container.entry_points import EntryPoint, classify, entry_point_words
from reviewer.inventory.container.read import read_base_image
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "container-entry-points"


def functions(root: Path) -> dict[str, object]:
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def test_terraform_functions_sharing_an_image_run_the_handler_their_image_config_names(tmp_path):
    shutil.copytree(FIXTURE / "shop", tmp_path / "shop")
    fns = functions(tmp_path)
    assert {name: fn.handler for name, fn in fns.items()} == {
        "aws_lambda_function.checkout": "checkout.handler",    # the Dockerfile's CMD
        "aws_lambda_function.refunds": "refunds.handler",      # image_config.command
        "module.reports": "checkout.handler",                  # image_config_command under Lambda's entry point
    }
    refunds = fns["aws_lambda_function.refunds"]
    assert refunds.runtime == "python3.12" and refunds.task_root == "shop/app/src"
    assert refunds.where("Handler").path == "shop/infra/main.tf" and refunds.where("Handler").line == 23


def test_the_loop_of_a_function_that_overrides_its_images_command_is_found(tmp_path):
    shutil.copytree(FIXTURE / "shop", tmp_path / "shop")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--reference-date", "2026-06-01", "--fail-on", "never",
          "--audit", "off"], stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    coverage = {row["function"]: row["detail"] for row in result["summary"]["loop_coverage"]}
    assert coverage["aws_lambda_function.refunds"] == "Python, shop/app/src/refunds.py"
    loops = {(f["rule_id"], f["path"]) for f in result["findings"] if f["rule_id"].startswith("LR20")}
    assert ("LR201", "shop/app/src/refunds.py") in loops


def test_serverless_commands_under_lambdas_own_entry_point_are_the_handlers(tmp_path):
    shutil.copytree(FIXTURE / "crawler", tmp_path / "crawler")
    fns = functions(tmp_path)
    assert {name: fn.handler for name, fn in fns.items()} == {"fetch": "fetch.handler", "parse": "parse.handler"}
    assert fns["parse"].task_root == "crawler"


def test_a_custom_entry_point_still_keeps_the_images_cmd_from_being_the_handler(tmp_path):
    shutil.copytree(FIXTURE / "crawler", tmp_path / "crawler")
    config = tmp_path / "crawler" / "serverless.yml"
    config.write_text(config.read_text().replace("'/lambda-entrypoint.sh'", "'/opt/bin/start.sh'"))
    assert {name: fn.handler for name, fn in functions(tmp_path).items()} == {"fetch": None, "parse": None}


def test_a_dockerfile_whose_entry_point_runs_another_program_is_no_function(tmp_path):
    shutil.copytree(FIXTURE / "jobs", tmp_path / "jobs")
    assert functions(tmp_path) == {}


def test_an_ecs_task_image_keeps_its_base_image_but_names_no_handler():
    image = read_base_image((FIXTURE / "jobs" / "batch" / "Dockerfile").read_text())
    assert image is not None and image.runtime == "python3.11"
    assert image.handler is None and image.other_entry_point == '[ "python3.11" ]'


@pytest.mark.parametrize("entry_point, kind", [
    ('["/lambda-entrypoint.sh"]', EntryPoint.LAMBDA),
    ("/lambda-entrypoint.sh ${LAMBDA_HANDLER}", EntryPoint.LAMBDA),
    ('["/usr/local/bin/python", "-m", "awslambdaric"]', EntryPoint.LAMBDA),
    ('["/usr/local/bin/npx", "aws-lambda-ric"]', EntryPoint.LAMBDA),
    ('["sh", "-c", "exec python -m awslambdaric $0"]', EntryPoint.LAMBDA),
    ('[""]', EntryPoint.PROGRAM),
    ("[]", EntryPoint.PROGRAM),
    ('["python3.10"]', EntryPoint.PROGRAM),
    ('["gunicorn", "-b", "0.0.0.0:80", "app:app"]', EntryPoint.PROGRAM),
    ("node server.js", EntryPoint.PROGRAM),
    ('["sh", "-c", "python job.py"]', EntryPoint.PROGRAM),
    ('["./entrypoint.sh"]', EntryPoint.SCRIPT),          # may wrap the runtime interface
    ('["/bin/bash", "/entry.sh"]', EntryPoint.SCRIPT),
    ('["/var/task/bootstrap"]', EntryPoint.SCRIPT),
    ('["unclosed', EntryPoint.SCRIPT),
])
def test_entry_points_are_told_apart(entry_point, kind):
    assert classify(entry_point_words(entry_point)) is kind


def test_the_launchers_own_argument_is_the_handler_and_a_build_argument_one_is_unknown():
    named = read_base_image('FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\n'
                            'ENTRYPOINT ["/lambda-entrypoint.sh", "app.handler"]\nCMD ["other.handler"]\n')
    assert named is not None and named.handler == "app.handler"
    built = read_base_image('FROM public.ecr.aws/lambda/python:3.10\nARG SCRIPT\nENV HANDLER="${SCRIPT}.handler"\n'
                            'COPY *.py ./\nCMD ["auth.handler"]\nENTRYPOINT /lambda-entrypoint.sh ${HANDLER}\n')
    assert built is not None and built.handler is None and built.other_entry_point is None
