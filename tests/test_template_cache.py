"""Compiled templates are kept between runs, never served stale, and never read from a directory
another user could write (reviewer/template_cache.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from reviewer import template_cache, wording
from reviewer.publish import render
from reviewer.template_cache import CACHE_DIR_VARIABLE, bytecode_cache, versioned_directory

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"

# One `lambda-review` command in a new interpreter, counting the templates Jinja compiles.
COUNTING_RUN = textwrap.dedent("""
    import io, json, sys
    import jinja2
    compiled = []
    original = jinja2.Environment.compile
    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)
    jinja2.Environment.compile = counting
    from reviewer.cli import main
    out = io.StringIO()
    main(sys.argv[1:], stdout=out, stderr=io.StringIO())
    print(json.dumps({"compiled": compiled, "output": out.getvalue()}))
""")


def _run(cache: Path | str, *argv: str) -> dict:
    env = {**os.environ, CACHE_DIR_VARIABLE: str(cache)}
    completed = subprocess.run([sys.executable, "-c", COUNTING_RUN, *argv], capture_output=True, text=True,
                               check=True, env=env, cwd=ROOT)
    return json.loads(completed.stdout.splitlines()[-1])


def test_a_second_run_compiles_no_template_and_says_the_same(tmp_path):
    argv = ("scan", str(ROOT / "examples" / "sam-app"), "--format", "markdown", "--reference-date", "2026-01-01",
            "--fail-on", "never", "--audit", "off")
    first = _run(tmp_path / "cache", *argv)
    second = _run(tmp_path / "cache", *argv)
    assert len(first["compiled"]) >= 5           # the summary, its partials and the findings' messages
    assert second["compiled"] == []
    assert second["output"] == first["output"]
    off = _run("off", *argv)
    assert sorted(off["compiled"]) == sorted(first["compiled"]) and off["output"] == first["output"]


def _compiles(monkeypatch) -> list[str]:
    compiled: list[str] = []
    original = Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    return compiled


def _forget() -> None:
    """As a new process would: the environments (and their in-memory templates) built again."""
    wording.forget_templates()
    render.environment.cache_clear()
    render.text_environment.cache_clear()
    template_cache.forget_directories()


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A copy of templates/ that wording reads, with the cache in `tmp_path / "cache"`."""
    copy = Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))
    monkeypatch.setattr(wording, "template_dirs", lambda: [copy])
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    _forget()
    yield copy
    _forget()


# What the sample message's first load compiles: its template and the macros it imports.
SAMPLE_TEMPLATES = ["findings/dependencies.md.j2", "findings/_functions.md.j2"]


def _note() -> str:
    return wording.finding_message("dependencies", "too_many_releases", limit=7)


def test_an_edited_template_is_compiled_again(templates, monkeypatch):
    compiled = _compiles(monkeypatch)
    before = _note()
    _forget()
    assert _note() == before
    assert compiled == SAMPLE_TEMPLATES          # the second time came from the cache
    source = templates / "findings" / "dependencies.md.j2"
    source.write_text(source.read_text().replace("distinct releases", "distinct distributions"))
    _forget()
    assert "distributions" in _note()
    assert compiled == [*SAMPLE_TEMPLATES, "findings/dependencies.md.j2"]   # only the edited one again


def _fill_then(tmp_path: Path, monkeypatch, change) -> list[str]:
    """Fill the cache, apply `change` to its directory, and load again: what was compiled the second time."""
    compiled = _compiles(monkeypatch)
    expected = _note()
    change(versioned_directory(tmp_path / "cache"))
    compiled.clear()
    _forget()
    assert _note() == expected
    return compiled


def test_a_cache_others_may_write_to_is_not_read(templates, tmp_path, monkeypatch):
    assert _fill_then(tmp_path, monkeypatch, lambda directory: directory.chmod(0o777)) == SAMPLE_TEMPLATES


def test_a_cached_file_others_may_write_to_is_not_read(templates, tmp_path, monkeypatch):
    def open_files(directory: Path) -> None:
        for path in directory.iterdir():
            path.chmod(0o666)

    assert _fill_then(tmp_path, monkeypatch, open_files) == SAMPLE_TEMPLATES


def test_a_cache_directory_that_is_a_symlink_is_not_followed(templates, tmp_path, monkeypatch):
    def replace_by_link(directory: Path) -> None:
        moved = directory.rename(tmp_path / "elsewhere")
        directory.symlink_to(moved, target_is_directory=True)

    assert _fill_then(tmp_path, monkeypatch, replace_by_link) == SAMPLE_TEMPLATES


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_cache_of_another_user_is_not_read(templates, tmp_path, monkeypatch):
    assert _fill_then(tmp_path, monkeypatch, lambda directory: os.chown(directory, 4242, 4242)) == SAMPLE_TEMPLATES


@pytest.mark.parametrize("setting", ["off", "relative/cache", "{file}/cache"])
def test_no_cache_when_turned_off_relative_or_not_creatable(setting, tmp_path, monkeypatch):
    (tmp_path / "file").write_text("a file, not a directory")
    monkeypatch.setenv(CACHE_DIR_VARIABLE, setting.format(file=tmp_path / "file"))
    assert bytecode_cache() is None
    _forget()
    try:
        assert "7" in _note()                    # still renders, compiling as before
    finally:
        _forget()


def test_a_read_only_cache_is_read_and_never_written(templates, tmp_path, monkeypatch):
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only directories")
    compiled = _fill_then(tmp_path, monkeypatch, lambda directory: directory.chmod(0o500))
    assert compiled == []


def test_environments_with_other_settings_never_share_a_compiled_template(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    source = {"t.j2": "{% if true %}\n  kept\n{% endif %}\n"}
    expected = [Environment(loader=DictLoader(source), trim_blocks=trim).get_template("t.j2").render()
                for trim in (True, False)]
    assert expected[0] != expected[1]
    for _ in range(2):
        rendered = [Environment(loader=DictLoader(source), trim_blocks=trim, bytecode_cache=bytecode_cache())
                    .get_template("t.j2").render() for trim in (True, False)]
        assert rendered == expected
    assert len(list(versioned_directory(tmp_path / "cache").iterdir())) == 2


def test_the_image_build_compiles_every_template_of_a_run(tmp_path, monkeypatch):
    """`python -m reviewer.template_warmup` (the Dockerfile) leaves nothing for a run to compile."""
    env = {**os.environ, CACHE_DIR_VARIABLE: str(tmp_path / "cache")}
    completed = subprocess.run([sys.executable, "-m", "reviewer.template_warmup"], capture_output=True, text=True,
                               env=env, cwd=ROOT, check=True)
    assert "compiled templates" in completed.stdout
    argv = ("scan", str(ROOT / "examples" / "sam-app"), "--format", "markdown", "--reference-date", "2026-01-01",
            "--fail-on", "never", "--audit", "off")
    assert _run(tmp_path / "cache", *argv)["compiled"] == []
    assert template_cache.cache_root() is not None


def test_a_template_used_many_times_in_a_run_is_not_looked_at_again(templates, monkeypatch):
    """Templates do not change during a run: after its first load, a template's file is not
    `stat`ed at each use (a review renders finding messages hundreds of times)."""
    looked_at: list[str] = []
    original = os.path.getmtime

    def counting(path):
        looked_at.append(str(path))
        return original(path)

    monkeypatch.setattr(os.path, "getmtime", counting)
    first = _note()
    for _ in range(20):
        assert _note() == first
        assert render.render("github_texts.md.j2", text="comment_cut")
    template_files = [path for path in looked_at if path.startswith(str(templates)) or path.startswith(str(TEMPLATES))]
    assert template_files and len(template_files) == len(set(template_files))    # each at its first load only


def test_the_image_ships_its_templates_and_its_modules_compiled():
    """The Dockerfile fills the cache that its runs read (the same LAMBDA_REVIEW_CACHE_DIR, the
    templates at the path entrypoint.py loads them from) once both are copied in."""
    joined = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    [environment] = [line for line in lines if line.startswith("ENV ") and CACHE_DIR_VARIABLE in line]
    cache = re.search(CACHE_DIR_VARIABLE + r"=(\S+)", environment).group(1)
    copied = lines.index("COPY templates /action/templates")
    [build] = [line for line in lines[copied:] if "reviewer.template_warmup" in line]
    assert "PYTHONPATH=/action python -P -m reviewer.template_warmup" in build
    assert "python -m compileall -q /action/reviewer" in build
    assert f"chmod -R a+rX,go-w {cache}" in build
    assert lines.index(environment) < lines.index(build)
    assert 'sys.path.insert(0, str(Path(__file__).resolve().parent))' in (ROOT / "entrypoint.py").read_text()


def test_no_compiled_template_is_read_from_or_written_to_the_checkout_under_review(tmp_path):
    """A workflow may point XDG_CACHE_HOME into its workspace; a pull request writes files there
    as the same user, so compiled code it committed must never be loaded."""
    repository = Path(shutil.copytree(ROOT / "examples" / "sam-app", tmp_path / "repository"))
    planted = repository / ".cache" / "lambda-review"
    argv = ("--format", "markdown", "--reference-date", "2026-01-01", "--fail-on", "never", "--audit", "off")
    # The files a pull request would commit: compiled for exactly this run's templates.
    filled = _run(planted, "scan", str(ROOT / "examples" / "sam-app"), *argv)
    assert filled["compiled"] and list(versioned_directory(planted).iterdir())
    before = sorted(path.name for path in versioned_directory(planted).iterdir())
    again = _run(planted, "scan", str(repository), *argv)
    assert sorted(again["compiled"]) == sorted(filled["compiled"])       # compiled, not loaded
    assert sorted(path.name for path in versioned_directory(planted).iterdir()) == before


def test_a_directory_in_place_of_a_compiled_template_means_compiling_again(tmp_path):
    argv = ("scan", str(ROOT / "examples" / "sam-app"), "--format", "markdown", "--reference-date", "2026-01-01",
            "--fail-on", "never", "--audit", "off")
    first = _run(tmp_path / "cache", *argv)
    stored = list(tmp_path.glob("cache/templates-*/*.jinja"))
    assert stored
    for path in stored:
        path.unlink()
        path.mkdir()                          # os.fdopen refuses a directory with an error of its own
    again = _run(tmp_path / "cache", *argv)
    assert sorted(again["compiled"]) == sorted(first["compiled"]) and again["output"] == first["output"]
