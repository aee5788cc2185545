"""On a pull request the summary names the Python files bandit left out (tests, modules no handler
imports) only when the change edits them: the review analyses the touched functions' code alone,
so the repository's other unshipped files were never going to be read, and `scan-all-python`
would not bring them in. A full scan still names every one.

The fixture is a SAM app shaped like a service with one handler per folder under `src/handlers`,
its unit tests and a seeding script beside them in the code folder.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from reviewer.config import Settings
from reviewer.review import git as review_git
from reviewer.review.change import full_scan, review_change
from reviewer.review.diff import diff_map_from_unified

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    CodeUri: src/
Resources:
  LoginFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: handlers.login.handler
  ArticlesFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: handlers.articles.handler
"""
SETTINGS = Settings(audit=False, reference_date=dt.date(2026, 12, 7))
LEFT_OUT = "not shipped by any function"


def _committed(root: Path) -> list[str]:
    (root / "template.yaml").write_text(TEMPLATE)
    for folder in ("src/handlers", "src/tests", "src/scripts"):
        (root / folder).mkdir(parents=True)
    (root / "src" / "handlers" / "__init__.py").write_text("")
    (root / "src" / "handlers" / "login.py").write_text("def handler(event, context):\n    return {'statusCode': 200}\n")
    (root / "src" / "handlers" / "articles.py").write_text("def handler(event, context):\n    return {'items': []}\n")
    (root / "src" / "tests" / "test_login.py").write_text(
        "from handlers.login import handler\n\n\ndef test_login():\n    assert handler({}, None)\n")
    (root / "src" / "scripts" / "seed.py").write_text("ARTICLES = ['welcome']\n")
    (root / "README.md").write_text("# Articles service\n")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    return git


def _notes(root: Path, git: list[str], edits: dict[str, str]) -> list[str]:
    for rel, text in edits.items():
        (root / rel).write_text(text)
    subprocess.run([*git, "commit", "-q", "-am", "change"], check=True)
    diff = diff_map_from_unified(review_git.unified_diff(root, "HEAD~1", "HEAD"))
    return review_change(root, SETTINGS, diff, base_rev="HEAD~1", head_rev="HEAD").facts.notes


def test_a_change_to_a_handler_does_not_name_the_unshipped_files_it_leaves_alone(tmp_path):
    git = _committed(tmp_path)
    notes = _notes(tmp_path, git, {"src/handlers/login.py": "def handler(event, context):\n    return {'statusCode': 204}\n"})
    assert not [note for note in notes if LEFT_OUT in note]


def test_a_change_to_an_unshipped_file_names_it_as_not_analysed(tmp_path):
    git = _committed(tmp_path)
    notes = _notes(tmp_path, git, {"src/scripts/seed.py": "ARTICLES = ['welcome', 'pricing']\n"})
    (note,) = [note for note in notes if LEFT_OUT in note]
    assert note.startswith("1 Python file in the functions' code directories is not shipped")


def test_a_full_scan_names_every_unshipped_file(tmp_path):
    _committed(tmp_path)
    (note,) = [note for note in full_scan(tmp_path, SETTINGS).facts.notes if LEFT_OUT in note]
    assert note.startswith("2 Python files")
