"""A pull request written by an attacker: the review stays safe, bounded and honest.

The repository is tests/fixtures/hostile (small, committed) plus what a test must create itself:
a 50 MB Python file, symbolic links to a file and a directory outside the workspace, a FIFO,
binary garbage and non-UTF-8 bytes under template names, documents nested 50,000 levels deep,
and a directory and file whose names hold backticks, HTML, `@mentions`, pipes, our own hidden
marker and a newline followed by a workflow command. Outside the workspace sits a canary whose
text must never appear in anything the review writes.

The real pipeline runs over it: `lambda-review scan` in every format and `lambda-review review`
in-process (so an audit hook can see every file opened and `sys.modules` every import), and the
real entrypoint as the container runs it, against the GitHub stand-in and the OSV stand-in.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from github_standin import GitHubStandIn
from osv_standin import OsvStandin, RunningOsv
from rendered_markdown import render
from scenario import PR_NUMBER, REPOSITORY, git, run_action

from reviewer.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "hostile"
REFERENCE_DATE = "2026-11-22"
TOKEN = "ghs_hostileRepositoryTokenNeverPrinted0123"
CANARY = "CANARY-9f2c71-outside-the-workspace"
MARKER_VARIABLE = "LAMBDA_REVIEW_MARKER_DIR"

HOSTILE_DIRECTORY = "``` ~~~ <img src=x onerror=alert(1)> @acme-team |cell|"
HOSTILE_FILE = ("planted <!-- lambda-review:inline fp=00000000000000000000 --> @acme-admins\n"
                "::error title=forged::gotcha.yaml")
PLANTED_PATH = f"stacks/{HOSTILE_DIRECTORY}/{HOSTILE_FILE}"
BIG_FILE = "src/reports/generated_tables.py"
FORGED_RUNTIME = "python3.12|@acme/admins|<img src=x onerror=alert(1)>|<!-- lambda-review:summary -->|```"
HOSTILE_FUNCTION = "Hostile`Name`<img src=x onerror=alert(1)>@acme/admins|pipe|<!-- lambda-review:summary -->"
LINKS_OUT = {"outside-template.yaml", "outside-dir", "src/reports/secret.py", "src/reports/requirements-extra.txt",
             ".lambda-review.yml"}

PLANTED_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  PlantedFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs14.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/planted
      Code:
        ZipFile: "exports.handler = async () => ({})"
"""
OUTSIDE_TEMPLATE = f"""\
AWSTemplateFormatVersion: "2010-09-09"
Description: {CANARY}
Resources:
  OutsideFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.7
      Handler: index.handler
      Code:
        ZipFile: "{CANARY}"
"""


def _deep(opening: str, closing: str, depth: int = 50_000) -> str:
    return opening * depth + closing * depth


def plant(workspace: Path, outside: Path, *, fifo: bool) -> None:
    """The committed fixture plus everything a test has to create at run time."""
    shutil.copytree(FIXTURE, workspace, dirs_exist_ok=True)
    outside.mkdir()
    (outside / "canary.txt").write_text(CANARY + "\n")
    (outside / "template.yaml").write_text(OUTSIDE_TEMPLATE)
    (outside / "secret.py").write_text(f'OUTSIDE_PASSWORD = "{CANARY}"\n')
    (outside / "requirements.txt").write_text("pyyaml==5.3\n")
    (outside / ".lambda-review.yml").write_text("severity:\n  LR101: off\n  bandit/B602: off\n")

    os.symlink(outside / "template.yaml", workspace / "outside-template.yaml")
    os.symlink(outside, workspace / "outside-dir")
    os.symlink("../../../outside/secret.py", workspace / "src/reports/secret.py")
    os.symlink(outside / "requirements.txt", workspace / "src/reports/requirements-extra.txt")
    os.symlink(outside / ".lambda-review.yml", workspace / ".lambda-review.yml")
    os.symlink("app.py", workspace / "src/reports/inside_link.py")

    with open(workspace / BIG_FILE, "w") as handle:          # 50 MB of valid Python
        line = "GENERATED_ROW = 'x' * 64  # padding padding padding padding\n"
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))

    stacks, infra = workspace / "stacks", workspace / "infra"
    stacks.mkdir()
    infra.mkdir()
    garbage = bytes(range(256)) * 64
    for name in ("stacks/template.yaml", "stacks/serverless.yml", "infra/main.tf", "Dockerfile"):
        (workspace / name).write_bytes(garbage)
    (stacks / "latin1.template.yaml").write_bytes(
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: caf\xe9 cr\xe8me\n".encode("latin-1"))
    (workspace / "src/reports/legacy_latin1.py").write_bytes("# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n".encode("latin-1"))
    (stacks / "deep.template.json").write_text(
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Deep": {"Type": "AWS::Lambda::Function", '
        '"Properties": ' + _deep("[", "]") + "}}}")
    (workspace / "services/deep").mkdir(parents=True)
    (workspace / "services/deep/serverless.yml").write_text("service: deep\nprovider: " + _deep("{a: ", "}") + "\n")
    (infra / "deep.tf").write_text('resource "aws_lambda_function" "deep" {\n  tags = ' + _deep("[", "]") + "\n}\n")
    (workspace / "src/reports/pyproject.toml").write_text("[project]\nname = 'deep'\nx = " + _deep("[", "]") + "\n")
    (workspace / "src/reports/deep_expression.py").write_text("X = " + "-" * 100_000 + "1\n")

    (stacks / HOSTILE_DIRECTORY).mkdir()
    (workspace / PLANTED_PATH).write_text(PLANTED_TEMPLATE)
    if fifo:
        os.mkfifo(stacks / "fifo.template.yaml")


# -- what a scan may touch ------------------------------------------------------------------------

@dataclass
class FileAccess:
    """Every file the process opens or lists while `active`, from Python's audit events."""

    active: bool = False
    opened: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            self.opened.append(os.fsdecode(args[0]))
        elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
            self.listed.append(os.fsdecode(args[0]))


ACCESS = FileAccess()
sys.addaudithook(ACCESS)


def _under(path: str, directory: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(directory.resolve())


@dataclass
class ScanRun:
    root: Path
    workspace: Path
    outside: Path
    markers: Path
    outputs: dict[str, str]
    exit_codes: dict[str, int]
    stderr: str
    opened: list[str]
    listed: list[str]
    new_modules: dict[str, str | None]
    osv: OsvStandin

    @property
    def report(self) -> dict:
        return json.loads(self.outputs["json"])


def _run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> ScanRun:
    root = tmp_path_factory.mktemp("hostile-scan")
    workspace, outside, markers = root / "workspace", root / "outside", root / "markers"
    markers.mkdir()
    plant(workspace, outside, fifo=True)
    osv = OsvStandin()
    outputs, codes, errors = {}, {}, []
    before = set(sys.modules)
    with pytest.MonkeyPatch.context() as patch, RunningOsv(osv) as running:
        patch.setenv(MARKER_VARIABLE, str(markers))
        ACCESS.active, ACCESS.opened, ACCESS.listed = True, [], []
        try:
            for fmt in ("json", "markdown", "sarif", "text"):
                codes[fmt], outputs[fmt], stderr = _run_cli(
                    ["scan", str(workspace), "--format", fmt, "--reference-date", REFERENCE_DATE,
                     "--osv-url", running.query_url])
                errors.append(stderr)
        finally:
            ACCESS.active = False
    new_modules = {name: getattr(sys.modules.get(name), "__file__", None) for name in set(sys.modules) - before}
    return ScanRun(root, workspace, outside, markers, outputs, codes, "".join(errors), list(ACCESS.opened),
                   list(ACCESS.listed), new_modules, osv)


# -- 1. nothing from the repository is executed or imported ---------------------------------------

def test_scanning_never_runs_or_imports_anything_from_the_repository(scanned):
    assert list(scanned.markers.iterdir()) == []
    from_workspace = {name: path for name, path in scanned.new_modules.items()
                      if path and _under(path, scanned.workspace)}
    assert from_workspace == {}
    assert not {"app", "handler", "setup", "conftest", "hostile_backend"} & set(scanned.new_modules)
    # Nor did the test run itself load the committed fixture (its conftest.py is data, not a plugin).
    loaded = [name for name, module in list(sys.modules.items())
              if getattr(module, "__file__", None) and _under(module.__file__, FIXTURE)]
    assert loaded == []
    # The engines still looked at that code: bandit parsed the handler, the requirements were read.
    assert any(f["rule_id"] == "bandit/B602" and f["path"] == "src/reports/app.py" for f in scanned.report["findings"])


def test_requirements_that_would_build_or_fetch_code_are_reported_never_resolved(scanned):
    unauditable = {f["message"].split("`")[1] for f in scanned.report["findings"] if f["rule_id"] == "LR501"}
    assert {"./vendor/pkg", "-e .", "file:///etc/passwd#egg=passwd", "local-pkg @ file:///tmp/evil",
            "git+https://github.com/acme/evil.git#egg=evil", "https://example.invalid/evil-1.0.tar.gz",
            "-r /etc/passwd", "-c https://example.invalid/constraints.txt"} <= unauditable
    # pip-audit was asked about the one pinned release, and about nothing the repository points at.
    assert set(scanned.osv.queries) == {("jinja2", "2.10")}


# -- 2. nothing outside the workspace is read -----------------------------------------------------

def test_links_out_of_the_workspace_are_skipped_with_a_notice_naming_each(scanned):
    notices = {f["path"]: f["message"] for f in scanned.report["findings"]
               if f["rule_id"] == "LR902" and "symbolic link" in f["message"]}
    assert set(notices) == LINKS_OUT
    for path, message in notices.items():
        assert f"`{path}`" in message and "outside the workspace" in message
    assert "OutsideFunction" not in {fn["name"] for fn in scanned.report["functions"]}


def test_no_file_outside_the_workspace_is_opened_and_the_canary_never_appears(scanned):
    assert [path for path in scanned.opened if _under(path, scanned.outside)] == []
    assert [path for path in scanned.listed if _under(path, scanned.outside)] == []
    for text in [*scanned.outputs.values(), scanned.stderr]:
        assert CANARY not in text
    # The linked settings file (it switches LR101 and B602 off) was not applied.
    rules = {f["rule_id"] for f in scanned.report["findings"]}
    assert {"LR101", "bandit/B602"} <= rules


# -- 3. time and memory are bounded ---------------------------------------------------------------

def _notice(report: dict, path: str) -> dict:
    matches = [f for f in report["findings"] if f["path"] == path and f["rule_id"] in ("LR901", "LR902")]
    assert len(matches) == 1, (path, [f["path"] for f in report["findings"] if f["rule_id"].startswith("LR9")])
    return matches[0]


def test_a_file_over_max_file_size_is_skipped_unopened_with_a_notice(scanned):
    notice = _notice(scanned.report, BIG_FILE)
    assert notice["rule_id"] == "LR902"
    assert "larger than max-file-size" in notice["message"] and "2,097,152 bytes" in notice["message"]
    assert not any(path.endswith(BIG_FILE) for path in scanned.opened)


@pytest.mark.parametrize("path, rule, words", [
    ("bomb.yaml", "LR902", "alias expansion limit"),
    ("services/bomb/serverless.yml", "LR902", "alias expansion limit"),
    ("stacks/deep.template.json", "LR902", "nested deeper"),
    ("services/deep/serverless.yml", "LR902", "nested deeper"),
    ("src/reports/pyproject.toml", "LR901", "nests too deeply"),
    ("src/reports/deep_expression.py", "LR901", "could not parse"),
    ("stacks/template.yaml", "LR901", "binary"),
    ("stacks/serverless.yml", "LR901", "binary"),
    ("stacks/latin1.template.yaml", "LR901", "not valid UTF-8"),
    ("src/reports/legacy_latin1.py", "LR901", "not valid UTF-8"),
    ("stacks/fifo.template.yaml", "LR902", "not a regular file"),
])
def test_bombs_deep_nesting_binary_and_special_files_end_in_a_notice(scanned, path, rule, words):
    notice = _notice(scanned.report, path)
    assert notice["rule_id"] == rule and words in notice["message"], notice["message"]


def _only_progress(stderr: str) -> bool:
    """stderr holds at most the one-line run summary per run, never a traceback or a warning."""
    return all(line.startswith("lambda-review: ") and "error" not in line for line in stderr.splitlines())


def test_the_scan_finishes_cleanly_in_every_format(scanned):
    assert _only_progress(scanned.stderr), scanned.stderr
    assert set(scanned.exit_codes.values()) == {1}     # blocked runtimes are errors: the gate fails
    json.loads(scanned.outputs["sarif"])


# -- 4. the real findings of the same repository are still reported -------------------------------

def test_real_findings_of_the_hostile_repository_are_still_reported(scanned):
    found = {(f["rule_id"], f["path"], f["function"]) for f in scanned.report["findings"]}
    assert {
        ("LR100", "template.yaml", "ReportsFunction"),
        ("LR101", "template.yaml", HOSTILE_FUNCTION),
        ("LR103", "template.yaml", "ForgedRuntimeFunction"),
        ("LR101", "serverless.yml", "worker"),
        ("LR101", PLANTED_PATH, "PlantedFunction"),
        ("bandit/B602", "src/reports/app.py", "ReportsFunction"),
        ("bandit/B105", "src/reports/app.py", "ReportsFunction"),
        ("LR500", "src/reports/requirements.txt", "ReportsFunction"),
    } <= found


# -- 5. untrusted text is escaped in every Markdown output ----------------------------------------

def assert_safe_markdown(markdown_text: str, *, our_markers: int = 0, quotes_diff: bool = False,
                         github_links: str | None = None) -> None:
    """Nothing the repository wrote became HTML, a mention, a link or a hidden marker.

    A body GitHub stores may hold the text of our markers only where we put them; a preview that
    quotes the diff (`quotes_diff`) shows the repository's lines verbatim inside code blocks."""
    rendered = render(markdown_text)
    assert rendered.foreign_elements == set()
    assert rendered.live_mentions == []
    # The summary links each row to its inline comment: GitHub's own address for it (`github_links`).
    assert [link for link in rendered.foreign_links
            if not (github_links and re.fullmatch(github_links, link))] == []
    ours = [c for c in rendered.comments if re.fullmatch(r" lambda-review:(summary|inline fp=[0-9a-f]{20}) ", c)]
    assert len(rendered.comments) == len(ours) == our_markers, rendered.comments
    if not quotes_diff:
        assert markdown_text.count("<!-- lambda-review:") == our_markers


def test_scan_markdown_escapes_every_hostile_value_and_still_shows_it(scanned):
    markdown_text = scanned.outputs["markdown"]
    assert_safe_markdown(markdown_text)
    rendered = render(markdown_text)
    # (Notices such as LR501's `./vendor/pkg` are one line per rule in Markdown, without their messages.)
    for value in (FORGED_RUNTIME, HOSTILE_FUNCTION, f"{PLANTED_PATH}:6"):
        assert rendered.shows_in_code(value), value
    # The runtime table keeps its columns: the pipes of the hostile runtime stay inside its cell.
    row = next(line for line in markdown_text.splitlines() if "ForgedRuntimeFunction" in line and line.startswith("|"))
    assert len(re.split(r"(?<!\\)\|", row)) == 8


def test_text_output_prints_names_from_the_repository_on_one_line(scanned):
    lines = scanned.outputs["text"].splitlines()
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert any(line.startswith("stacks/``` ~~~") and "\\n::error title=forged::gotcha.yaml:6: error LR101" in line
               for line in lines)


# -- the pull request: `lambda-review review` and the action -------------------------------------

@dataclass
class PullRequest:
    root: Path
    workspace: Path
    outside: Path
    markers: Path
    base: str
    head: str
    files: list[dict]


def _changed_files(workspace: Path, base: str, head: str) -> list[dict]:
    """The pull request's files as GitHub's API lists them (no patch for binary or huge files)."""
    listing = git(workspace, "diff", "-z", "--no-renames", "--name-status", base, head).split("\0")
    files = []
    for status, name in zip(listing[0::2], listing[1::2], strict=False):  # -z leaves a last empty item
        patch = None
        if name != BIG_FILE:
            text = subprocess.run(["git", "--literal-pathspecs", "diff", "--no-color", base, head, "--", name],
                                  cwd=workspace, check=True, capture_output=True).stdout.decode("utf-8", "replace")
            patch = text[text.index("@@"):].rstrip("\n") if "@@" in text else None
        files.append({"filename": name, "status": "added" if status == "A" else "modified", "patch": patch})
    return files


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory) -> PullRequest:
    root = tmp_path_factory.mktemp("hostile-pr")
    workspace, outside, markers = root / "workspace", root / "outside", root / "markers"
    markers.mkdir()
    workspace.mkdir()
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "README.md").write_text("Reports service\n")
    os.symlink("../outside", workspace / "base-link")          # the base already holds a link out
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    plant(workspace, outside, fifo=False)
    # Files hidden from `git archive` or rewritten by it: the review must not use archive.
    (workspace / ".gitattributes").write_text("template.yaml export-ignore\nserverless.yml export-ignore\n"
                                               "src/** export-ignore\n*.py export-subst\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "head")
    head = git(workspace, "rev-parse", "HEAD").strip()
    return PullRequest(root, workspace, outside, markers, base, head, _changed_files(workspace, base, head))


@pytest.fixture(scope="module")
def previewed(pull_request) -> dict[str, str]:
    """`lambda-review review` over the commits (both exported from git objects), in-process."""
    outputs = {}
    with pytest.MonkeyPatch.context() as patch, RunningOsv(OsvStandin()) as osv:
        patch.setenv(MARKER_VARIABLE, str(pull_request.markers))
        ACCESS.active, ACCESS.opened = True, []
        try:
            for fmt in ("markdown", "json"):
                code, outputs[fmt], outputs[f"{fmt}-stderr"] = _run_cli(
                    ["review", str(pull_request.workspace), "--base", pull_request.base, "--head", pull_request.head,
                     "--format", fmt, "--reference-date", REFERENCE_DATE, "--osv-url", osv.query_url])
                assert code == 1, outputs[f"{fmt}-stderr"]
        finally:
            ACCESS.active = False
    outputs["opened"] = "\n".join(ACCESS.opened)
    return outputs


def test_review_of_commits_reports_links_and_ignores_export_attributes(previewed):
    document = json.loads(previewed["json"])
    found = {(f["rule_id"], f["path"]) for f in document["findings"]}
    # .gitattributes marks these export-ignore: the review reads git objects, not `git archive`.
    assert {("LR100", "template.yaml"), ("LR101", "serverless.yml"), ("bandit/B602", "src/reports/app.py"),
            ("LR101", PLANTED_PATH)} <= found
    links = {f["path"] for f in document["findings"] if f["rule_id"] == "LR902" and "symbolic link" in f["message"]}
    assert links == LINKS_OUT | {"base-link"}
    assert _only_progress(previewed["markdown-stderr"] + previewed["json-stderr"])


def test_review_preview_escapes_untrusted_text(previewed, pull_request):
    document = json.loads(previewed["json"])
    assert document["inline"]
    for comment in document["inline"]:
        assert comment["body"].startswith("<!-- lambda-review:inline fp=")
        assert_safe_markdown(comment["body"], our_markers=1)
    assert_safe_markdown(document["summary_comment"], our_markers=1)
    markdown_text = previewed["markdown"]
    assert_safe_markdown(markdown_text, our_markers=len(document["inline"]) + 1, quotes_diff=True)
    assert CANARY not in previewed["markdown"] + previewed["json"]
    assert list(pull_request.markers.iterdir()) == []
    assert not [path for path in previewed["opened"].splitlines() if _under(path, pull_request.outside)]


@dataclass
class ActionResult:
    run: object
    github: GitHubStandIn
    sarif: str
    child_environments: str


@pytest.fixture(scope="module")
def action_run(pull_request) -> ActionResult:
    """The entrypoint as the container runs it, with a `git` on PATH that records its environment."""
    shims = pull_request.root / "shims"
    shims.mkdir()
    environments = pull_request.root / "git-environments.txt"
    # /proc/$$/environ is the environment as received: `env` in sh would drop INPUT_GITHUB-TOKEN,
    # whose name is not a shell identifier.
    (shims / "git").write_text(f"#!/bin/sh\ntr '\\0' '\\n' < /proc/$$/environ >> '{environments}'\n"
                               f"exec '{shutil.which('git')}' \"$@\"\n")
    (shims / "git").chmod(0o755)
    event = pull_request.root / "event.json"
    event.write_text(json.dumps({
        "action": "synchronize", "number": PR_NUMBER, "repository": {"full_name": REPOSITORY},
        "pull_request": {"number": PR_NUMBER, "head": {"sha": pull_request.head}, "base": {"sha": pull_request.base}},
    }))
    with GitHubStandIn() as github, RunningOsv(OsvStandin()) as osv:
        github.add_token(TOKEN, login="github-actions[bot]", user_type="Bot", can_write=True, is_app=True)
        github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=pull_request.head, base_sha=pull_request.base,
                                files=pull_request.files)
        run = run_action(pull_request.root, pull_request.workspace, event_name="pull_request", event_path=event,
                         api_url=github.api_url, token=TOKEN, inputs={"OSV-URL": osv.query_url},
                         env={MARKER_VARIABLE: str(pull_request.markers),
                              "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"})
        sarif = (pull_request.workspace / "lambda-review.sarif").read_text()
        return ActionResult(run, github, sarif, environments.read_text() if environments.exists() else "")


def test_the_action_runs_nothing_from_the_repository(action_run, pull_request):
    assert action_run.run.exit_code == 1, action_run.run.stdout + action_run.run.stderr
    assert "Traceback" not in action_run.run.stderr
    assert list(pull_request.markers.iterdir()) == []


def test_posted_comments_escape_untrusted_text_and_markers_cannot_be_forged(action_run):
    comments = action_run.github.review_comments(REPOSITORY, PR_NUMBER)
    assert comments
    for comment in comments:
        assert comment["body"].startswith("<!-- lambda-review:inline fp=")
        assert_safe_markdown(comment["body"], our_markers=1)
    [summary] = action_run.github.issue_comments(REPOSITORY, PR_NUMBER)
    body = summary["body"]
    assert body.startswith("<!-- lambda-review:summary -->\n<!-- lambda-review:state ")
    # Ours: the summary marker and the run state; the hostile copies are defused.
    assert body.count("<!-- lambda-review:") == 2
    assert_safe_markdown(body.replace(body.splitlines()[1], ""), our_markers=1,
                         github_links=r"http://127\.0\.0\.1:\d+/acme/orders/pull/7#discussion_r\d+")
    assert render(body).shows_in_code(FORGED_RUNTIME)
    assert_safe_markdown(action_run.run.job_summary)
    for review in action_run.github.reviews(REPOSITORY, PR_NUMBER):
        assert_safe_markdown(review["body"] or "")


def test_the_action_reports_the_real_findings_of_the_hostile_repository(action_run):
    """Each real finding is an inline comment on its line, or listed in the summary comment."""
    github = action_run.github
    inline = {(re.search(r"\*\*(\S+) · ", c["body"])[1], f"{c['path']}:{c['line']}")
              for c in github.review_comments(REPOSITORY, PR_NUMBER)}
    [summary] = github.issue_comments(REPOSITORY, PR_NUMBER)
    rendered = render(summary["body"])
    for rule, place in (("LR100", "template.yaml:10"), ("LR101", "serverless.yml:15"),
                        ("LR500", "src/reports/requirements.txt:2"), ("bandit/B602", "src/reports/app.py:23"),
                        ("LR101", f"{PLANTED_PATH}:6"), ("LR103", "template.yaml:25")):
        assert (rule, place) in inline or (rule in summary["body"] and rendered.shows_in_code(place)), (rule, place)
    sarif_rules = {result["ruleId"] for result in json.loads(action_run.sarif)["runs"][0]["results"]}
    assert {"LR100", "LR101", "LR103", "LR500", "LR501", "LR902", "bandit/B602"} <= sarif_rules


def _workflow_commands(log: str) -> list[tuple[str, dict[str, str], str]]:
    """The commands the Actions runner would execute from this log (it trims leading white space
    and honours `::stop-commands::TOKEN` until `::TOKEN::`)."""
    commands, paused = [], None
    for line in log.split("\n"):
        text = line.rstrip("\r").lstrip()
        if paused is not None:
            if text == f"::{paused}::":
                paused = None
            continue
        match = re.match(r"^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$", text)
        if not match:
            continue
        if match[1] == "stop-commands":
            paused = match[3]
            continue
        properties = dict(item.split("=", 1) for item in (match[2] or "").split(",") if "=" in item)
        unescaped = {k: v.replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
                     for k, v in properties.items()}
        commands.append((match[1], unescaped, match[3]))
    return commands


def test_file_and_function_names_cannot_inject_workflow_commands(action_run):
    commands = _workflow_commands(action_run.run.stdout)
    assert {name for name, _, _ in commands} <= {"add-mask", "error", "warning", "notice"}
    annotations = [(properties, data) for name, properties, data in commands if name != "add-mask"]
    assert annotations
    for properties, _ in annotations:
        assert re.match(r"^(LR\d{3}|bandit/B\d{3}) ", properties.get("title", "")), properties
    assert any(properties.get("file") == PLANTED_PATH for properties, _ in annotations)
    # The whole report is printed, inside a pause the report cannot end.
    assert "gotcha.yaml:6: error LR101" in action_run.run.stdout


def test_the_token_is_masked_and_never_printed_or_handed_to_child_processes(action_run, pull_request):
    run = action_run.run
    lines = run.stdout.splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}"
    github = action_run.github
    for text in ["\n".join(lines[1:]), run.stderr, run.job_summary, json.dumps(run.outputs), action_run.sarif,
                 *(c["body"] for c in github.issue_comments(REPOSITORY, PR_NUMBER)),
                 *(c["body"] for c in github.review_comments(REPOSITORY, PR_NUMBER))]:
        assert TOKEN not in text
        assert CANARY not in text
    assert f"GITHUB_WORKSPACE={pull_request.workspace}" in action_run.child_environments.splitlines()  # git ran
    assert TOKEN not in action_run.child_environments and "INPUT_GITHUB-TOKEN" not in action_run.child_environments


# -- the repository's own settings are repository content too ------------------------------------

def _scan_with_settings(tmp_path: Path, settings: str) -> tuple[int, str, str]:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "baseline.json").write_text(
        json.dumps({"version": 1, "findings": [{"fingerprint": CANARY}]}))
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    os.symlink(tmp_path / "outside" / "baseline.json", repo / "accepted.json")
    (repo / ".lambda-review.yml").write_text(settings)
    return _run_cli(["scan", str(repo), "--reference-date", REFERENCE_DATE, "--osv-url", "http://127.0.0.1:9/v1/query"])


@pytest.mark.parametrize("settings, words", [
    ("baseline: /etc/passwd\n", "must be a path inside the repository"),
    ("baseline: ../outside/baseline.json\n", "must be a path inside the repository"),
    ("baseline: accepted.json\n", "leads outside the repository"),
    ("max-file-size: 60000000\n", "may raise it to at most"),
])
def test_settings_file_cannot_read_outside_the_repository_or_lift_the_size_bound(tmp_path, settings, words):
    code, stdout, stderr = _scan_with_settings(tmp_path, settings)
    assert code == 2 and stdout == ""
    assert stderr.startswith("lambda-review: error:") and words in stderr and stderr.count("\n") == 1
    assert CANARY not in stderr
