"""The action's image keeps only the AWS service model the review reads (docker/slim_botocore.py).

There is no Docker engine on the machines that run these tests, so the build step is checked the
way the image uses it: a copy of the installed botocore is slimmed by the script, and a review in
a fresh interpreter that imports that copy still judges runtime identifiers against Lambda's model.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import botocore
import pytest

ROOT = Path(__file__).resolve().parents[1]
BOTOCORE = Path(botocore.__file__).resolve().parent


def _slimmer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("slim_botocore", ROOT / "docker" / "slim_botocore.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def slimmed_site(tmp_path_factory) -> Path:
    """A site directory holding a copy of the installed botocore, slimmed as the image's is."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(BOTOCORE, site / "botocore", ignore=shutil.ignore_patterns("__pycache__"))
    freed = _slimmer().slim(site / "botocore" / "data")
    assert freed > 15 * 2**20                                    # the models of the other services
    return site


def test_only_lambdas_model_and_botocores_own_data_are_left(slimmed_site):
    data = slimmed_site / "botocore" / "data"
    assert sorted(path.name for path in data.iterdir() if path.is_dir()) == ["lambda", "organizations", "sts"]
    installed = sorted(path.name for path in (BOTOCORE / "data").iterdir() if path.is_file())
    assert installed and sorted(path.name for path in data.iterdir() if path.is_file()) == installed
    assert (data / "lambda").exists() and not (data / "s3").exists()


def test_a_review_that_imports_the_slimmed_botocore_still_knows_lambdas_runtimes(slimmed_site, tmp_path):
    """An identifier missing from the lifecycle table is looked up in botocore's Lambda model (LR103)."""
    (tmp_path / "template.yaml").write_text(textwrap.dedent("""\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Typo:
            Type: AWS::Serverless::Function
            Properties: {Runtime: pyhton3.12, Handler: app.handler, CodeUri: src/}
          Current:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/}
        """))
    program = textwrap.dedent("""
        import io, json, sys, botocore
        from reviewer.cli import main
        out = io.StringIO()
        main(["scan", sys.argv[1], "--format", "json", "--reference-date", "2026-11-22"], stdout=out)
        print(json.dumps({"botocore": botocore.__file__, "report": json.loads(out.getvalue())}))
    """)
    completed = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True,
                               env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{slimmed_site}:{ROOT}"}, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    answer = json.loads(completed.stdout)
    assert answer["botocore"].startswith(str(slimmed_site))
    by_function = {finding["function"]: finding for finding in answer["report"]["findings"]
                   if finding["rule_id"].startswith("LR10")}
    assert by_function["Typo"]["rule_id"] == "LR103" and "`python3.12`" in by_function["Typo"]["message"]
    assert "Current" not in by_function


def test_a_directory_without_lambdas_model_is_refused_untouched(tmp_path):
    (tmp_path / "s3" / "2006-03-01").mkdir(parents=True)
    (tmp_path / "endpoints.json").write_text("{}")
    with pytest.raises(ValueError, match="no model of lambda"):
        _slimmer().slim(tmp_path)
    assert (tmp_path / "s3" / "2006-03-01").is_dir()


def _instructions(dockerfile: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_image_slims_botocore_in_the_layer_that_installs_it():
    """A file deleted by a later layer still weighs in the image."""
    runs = [line for line in _instructions((ROOT / "Dockerfile").read_text()) if line.startswith("RUN ")]
    [install] = [line for line in runs if "-r /action/requirements.txt" in line]
    assert install.index("--require-hashes") < install.index("slim_botocore.py")


def test_the_build_context_holds_what_the_dockerfile_copies_and_not_the_tests():
    patterns = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
    assert patterns[0] == "*"                                    # everything out, then what is let in
    allowed = [line[1:].rstrip("/") for line in patterns if line.startswith("!")]
    copies = [line.split()[1:-1] for line in _instructions((ROOT / "Dockerfile").read_text())
              if line.startswith("COPY ")]
    for source in (source for sources in copies for source in sources):
        assert any(source == item or source.startswith(item + "/") for item in allowed), source
    assert not {"tests", "examples", "bench", ".venv"} & set(allowed)


def test_the_account_review_can_create_every_client_it_uses_from_the_slimmed_botocore(slimmed_site):
    """`source: account` calls Lambda, STS and Organizations; their models survive the slimming."""
    script = textwrap.dedent("""\
        import sys
        sys.path.insert(0, sys.argv[1])
        import botocore, botocore.session
        assert botocore.__file__.startswith(sys.argv[1]), botocore.__file__
        session = botocore.session.get_session()
        for service in ("lambda", "sts", "organizations"):
            session.create_client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        print("ok")
        """)
    completed = subprocess.run([sys.executable, "-c", script, str(slimmed_site)], capture_output=True, text=True)
    assert completed.stdout.strip() == "ok", completed.stderr
