"""Broken or hostile templates give an LR9xx notice naming the file, and the scan goes on."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from reviewer.cli import main

GOOD = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Good:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.8\n"
        "      Handler: app.handler\n      CodeUri: src\n")

ALIAS_BOMB = "AWSTemplateFormatVersion: '2010-09-09'\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
) + "Resources:\n  X:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: *j}\n"


def _scan(root: Path, *args: str) -> tuple[int, dict, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-11-22", *args], stdout=out, stderr=err)
    return code, json.loads(out.getvalue()), err.getvalue()


@pytest.mark.parametrize("name, content, rule, words", [
    ("broken.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn: {Type: AWS::Lambda::Function\n", "LR901", "syntax"),
    ("template.yaml", bytes(range(256)) * 4, "LR901", "binary"),
    ("template.json", "AWSTemplateFormatVersion: caf\xe9".encode("latin-1"), "LR901", "UTF-8"),
    ("bomb.yaml", ALIAS_BOMB, "LR902", "alias"),
    ("deep.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + "[" * 20000 + "]" * 20000 + "}", "LR902", "nest"),
    ("tabs.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\tFn:\n\t\tType: AWS::Lambda::Function\n", "LR901", "syntax"),
])
def test_bad_template_gives_a_notice_naming_the_file_and_the_scan_goes_on(tmp_path, name, content, rule, words):
    (tmp_path / "good.yaml").write_text(GOOD)
    target = tmp_path / "infra" / name
    target.parent.mkdir()
    target.write_bytes(content if isinstance(content, bytes) else content.encode())

    code, report, stderr = _scan(tmp_path)

    # Nothing but the one-line run summary: no traceback, no warning.
    assert stderr.startswith("lambda-review: scanned ") and stderr.count("\n") == 1, stderr
    notices = [f for f in report["findings"] if f["rule_id"] == rule]
    assert len(notices) == 1, report["findings"]
    assert notices[0]["path"] == f"infra/{name}" and f"infra/{name}" in notices[0]["message"]
    assert words.lower() in notices[0]["message"].lower()
    assert notices[0]["severity"] == "notice"
    # The good template in the same repository is still reviewed.
    assert any(f["rule_id"] == "LR100" and f["function"] == "Good" for f in report["findings"])
    assert code == 0


def test_files_larger_than_max_file_size_are_skipped_with_a_notice(tmp_path):
    (tmp_path / "big.yaml").write_text(GOOD + "#" * 5000 + "\n")
    code, report, _ = _scan(tmp_path, "--max-file-size", "1000")
    assert [f["rule_id"] for f in report["findings"]] == ["LR902"]
    assert "max-file-size" in report["findings"][0]["message"]


def test_a_symlink_leading_outside_the_workspace_is_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(GOOD.replace("Good", "Outside"))
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside / "secret.yaml", repo / "template.yaml")
    os.symlink(outside, repo / "linked-dir")

    _, report, _ = _scan(repo)

    assert not any(f.get("function") == "Outside" for f in report["findings"])
    assert report["functions"] == []
    skipped = sorted(f["path"] for f in report["findings"] if f["rule_id"] == "LR902")
    assert skipped == ["linked-dir", "template.yaml"]


def test_yaml_files_that_are_not_templates_are_ignored_quietly(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: [push\n")   # broken, but not a template
    (tmp_path / "logo.yaml").write_bytes(b"\x89PNG\x00\x00")                     # binary, not template-named
    code, report, _ = _scan(tmp_path)
    assert report["findings"] == [] and code == 0


def test_templates_beyond_the_scans_yaml_allowance_are_skipped_with_a_notice(tmp_path, monkeypatch):
    from reviewer.inventory import interface

    for name in ("a", "b", "c"):
        stack = tmp_path / name
        stack.mkdir()
        (stack / "template.yaml").write_text(GOOD.replace("Good:", f"{name.upper()}Function:"))
    monkeypatch.setattr(interface, "MAX_TOTAL_YAML_BYTES", 2 * len(GOOD) + 40)

    _, report, _ = _scan(tmp_path)

    assert sorted(function["name"] for function in report["functions"]) == ["AFunction", "BFunction"]
    [notice] = [f for f in report["findings"] if f["rule_id"] == "LR902"]
    assert notice["path"] == "c/template.yaml" and "the limit parsed in one review" in notice["message"]
