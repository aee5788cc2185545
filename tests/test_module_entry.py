"""`python -m reviewer` run from inside the repository under review imports nothing from it.

`python -m` puts the current directory first on the import path; the repository a pull request
changes can hold a `yaml.py` that would stand in for PyYAML. reviewer/__main__.py drops that entry
before the command imports anything, and this test runs the module the way a user would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""


def test_a_module_in_the_reviewed_repository_is_never_imported(tmp_path: Path) -> None:
    marker = tmp_path / "imported-from-the-repository"
    repository = tmp_path / "repository"
    (repository / "src").mkdir(parents=True)
    (repository / "template.yaml").write_text(TEMPLATE)
    (repository / "src" / "app.py").write_text("def handler(event, context):\n    return event\n")
    for shadow in ("yaml.py", "jinja2.py", "bandit.py"):
        (repository / shadow).write_text(f"open({str(marker)!r}, 'a').write({shadow!r})\n")

    run = subprocess.run([sys.executable, "-m", "reviewer", "scan", ".", "--fail-on", "never", "--audit", "off",
                          "--format", "json"], cwd=repository, capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stderr
    assert not marker.exists(), marker.read_text()
    assert '"OrdersFunction"' in run.stdout          # the scan read the template with the real PyYAML


def test_a_removed_current_directory_is_no_traceback(tmp_path: Path) -> None:
    """The entry that drops the current directory asks for it: a directory removed under the
    command (a CI step that cleaned up) must not turn `--version` into a traceback."""
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f'cd "{gone}" && rmdir "{gone}" && exec "{sys.executable}" -m reviewer --version'

    run = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout.startswith("lambda-review ")
