"""The GitHub Action face: translate the Actions environment into what the CLI would have taken.

Inputs arrive as `INPUT_<NAME>` with hyphens kept (`INPUT_GITHUB-TOKEN`). On `pull_request`
events the review is posted to the pull request; on any other event the whole repository is
scanned and reported through the job summary, annotations and SARIF only.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from reviewer import markdown
from reviewer.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from reviewer.config import ConfigError, Settings, parse_bool, parse_positive_int, resolve_settings
from reviewer.output_files import OutputFileError, clear_planted_outputs, write_output_file
from reviewer.progress import Progress

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
_COMMIT_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")          # SHA-1, or SHA-256 repositories
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


class ActionError(Exception):
    """Bad inputs or environment: reported as one `::error::` line, exit 2."""


def input_value(name: str, default: str = "") -> str:
    """An action input as the runner passes it (`INPUT_` + upper-cased name, hyphens kept)."""
    return os.environ.get(f"INPUT_{name.replace(' ', '_').upper()}", default).strip()


@dataclass(frozen=True)
class PullRequestEvent:
    number: int
    head_sha: str
    base_sha: str
    repository: str


def read_pull_request_event(path: str | None, repository: str) -> PullRequestEvent:
    if not path:
        raise ActionError("GITHUB_EVENT_PATH is not set, so the pull request cannot be identified")
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
        pull = payload["pull_request"]
        event = PullRequestEvent(
            number=int(pull["number"]), head_sha=str(pull["head"]["sha"]), base_sha=str(pull["base"]["sha"]),
            repository=str((payload.get("repository") or {}).get("full_name") or repository),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        raise ActionError(f"the event payload at {path} is not a pull request event ({detail})") from None
    if not (_COMMIT_ID.fullmatch(event.head_sha) and _COMMIT_ID.fullmatch(event.base_sha)
            and 0 < event.number < 10**9 and _REPOSITORY.fullmatch(event.repository)):
        raise ActionError(f"the event payload at {path} names a malformed pull request, commit or repository")
    return event


def _scope(workspace: Path, path_input: str) -> str:
    from reviewer.workspace import Workspace

    scope = Workspace(workspace).resolve(path_input or ".")
    if scope is None or not (workspace / scope).is_dir():
        raise ActionError(f"path: {path_input!r} is not a directory inside the workspace")
    return scope


# Credentials the runner may hand the container. The review starts git and pip-audit; neither needs
# them, so they are removed from the environment those processes inherit.
_CREDENTIAL_VARIABLES = ("INPUT_GITHUB-TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN",
                         "ACTIONS_ID_TOKEN_REQUEST_TOKEN")


def _keep_tokens_from_child_processes() -> None:
    for name in _CREDENTIAL_VARIABLES:
        os.environ.pop(name, None)


def run(stdout: TextIO = sys.stdout) -> int:
    from reviewer.publish import actions

    token = input_value("github-token")
    actions.mask(token, stdout)
    _keep_tokens_from_child_processes()
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    try:
        _clear_outputs(workspace)
        scope = _scope(workspace, input_value("path", "."))
        event = os.environ.get("GITHUB_EVENT_NAME", "")
        trusted = _TrustedSettingsFiles(workspace, event)
        settings = resolve_settings(
            workspace, trusted.config(input_value("config") or None), default_file=not trusted.active,
            fail_on=input_value("fail-on", "error") or None,
            reference_date=input_value("reference-date") or None, max_file_size=input_value("max-file-size") or None,
            fail_on_existing=input_value("fail-on-existing") or None,
            inline_severity=input_value("inline-severity") or None,
            vulnerability_service=input_value("vulnerability-service") or None,
            osv_url=input_value("osv-url") or None, ignore_vulns=input_value("ignore-vulns") or None,
        )
        settings = trusted.with_baseline(settings)
        check_run = parse_bool(input_value("check-run", "false") or "false", "check-run")
        max_inline = parse_positive_int(input_value("max-inline-comments", "25") or "25", "max-inline-comments")
        publish_file = input_value("publish-findings")
        if publish_file:
            return _publish_artifact(workspace, publish_file, token, max_inline, check_run, stdout)
        # In the Actions log (not a terminal): one line when the analysis is done, nothing before.
        progress = Progress(sys.stderr)
        if event in PULL_REQUEST_EVENTS:
            pull = read_pull_request_event(os.environ.get("GITHUB_EVENT_PATH"), os.environ.get("GITHUB_REPOSITORY", ""))
            if not token:
                raise ActionError("github-token is empty; a pull request review needs a token")
            outcome, published = _review_pull_request(workspace, scope, settings, pull, token, max_inline,
                                                      check_run, stdout, progress, trusted.notes)
            findings_file = input_value("findings-file")
            if findings_file:
                _write_findings_file(workspace / findings_file, pull, settings, outcome, workspace)
        else:
            from reviewer.review.change import full_scan

            outcome, published = full_scan(workspace, settings, scope, progress=progress), None
    except (ConfigError, ActionError, OutputFileError) as exc:
        stdout.write(f"::error title=Lambda Review configuration::{actions._escape_data(str(exc))}\n")
        return EXIT_USAGE
    progress.finish(f"analysed {len(outcome.head.functions)} function(s): {len(outcome.plan.findings)} finding(s)"
                    + (f", {len(outcome.plan.new)} new" if event in PULL_REQUEST_EVENTS else ""))
    return _report(outcome, published, settings, workspace, stdout)


def sarif_output_path(workspace: Path) -> tuple[str, Path]:
    """The `sarif-file` input as given, and where it is written (relative: under the workspace)."""
    sarif_input = input_value("sarif-file", "lambda-review.sarif") or "lambda-review.sarif"
    return sarif_input, (Path(sarif_input) if Path(sarif_input).is_absolute() else workspace / sarif_input)


def output_paths(workspace: Path) -> list[Path]:
    """Every file this run may write in the workspace: the SARIF report and the findings file."""
    paths = [sarif_output_path(workspace)[1]]
    findings_file = input_value("findings-file")
    if findings_file and not input_value("publish-findings"):
        paths.append(workspace / findings_file)
    return paths


def _clear_outputs(workspace: Path) -> None:
    """Before anything else runs, remove what the pull request committed at an output name, so a
    crash cannot leave forged results for the upload steps (reviewer.output_files)."""
    clear_planted_outputs(output_paths(workspace), workspace)


class _TrustedSettingsFiles:
    """On pull requests, settings come from the base commit, not from the change under review.

    A pull request could otherwise switch rules off, exclude its own files or list its new findings
    in a baseline, and so approve its own exceptions; its edits to these files apply once merged.
    Where the base commit is not in the clone, the pull request's files are used and the summary
    says so.
    """

    def __init__(self, workspace: Path, event: str) -> None:
        import tempfile

        from reviewer.review import git

        self.workspace = workspace
        self.notes: list[str] = []
        self.base: str | None = None
        if event in PULL_REQUEST_EVENTS:
            try:
                pull = read_pull_request_event(os.environ.get("GITHUB_EVENT_PATH"), "")
            except ActionError:
                pull = None
            if pull is not None and (git.has_commit(workspace, pull.base_sha)
                                     or git.fetch_commit(workspace, pull.base_sha)):
                self.base = pull.base_sha
            elif pull is not None:
                self.notes.append("Settings were read from the pull request itself, because its base commit "
                                  "is not in the clone.")
        self.directory = Path(tempfile.mkdtemp(prefix="lambda-review-settings-")) if self.base else None

    @property
    def active(self) -> bool:
        return self.base is not None

    def _copy(self, rel: str, name: str) -> str | None:
        from reviewer.review import git

        assert self.base is not None and self.directory is not None
        text = git.file_at(self.workspace, self.base, rel)
        if text is None:
            return None
        target = self.directory / name
        target.write_text(text, encoding="utf-8")
        return str(target)

    def config(self, named: str | None) -> str | None:
        if not self.active:
            return named
        from reviewer.config import CONFIG_FILE_NAME
        from reviewer.review import git

        rel = named or CONFIG_FILE_NAME
        copied = self._copy(rel, "config.yml")
        head = (self.workspace / rel)
        head_text = head.read_text(encoding="utf-8", errors="replace") if head.is_file() and not head.is_symlink() else None
        if head_text != git.file_at(self.workspace, self.base or "", rel):
            self.notes.append(f"This pull request changes {rel}; the review used the base commit's settings, and "
                              "the change applies once merged.")
        if copied is None and named:
            raise ConfigError(f"config: {named!r} does not exist in the base commit")
        return copied

    def with_baseline(self, settings: Settings) -> Settings:
        """A relative baseline file, and bandit's own settings, are read from the base commit too."""
        from dataclasses import replace

        if not self.active:
            return settings
        assert self.directory is not None
        (self.directory / "bandit").mkdir()
        for name in (".bandit", "pyproject.toml"):
            self._copy(name, f"bandit/{name}")
        settings = replace(settings, bandit_settings_root=str(self.directory / "bandit"))
        if not settings.baseline or Path(settings.baseline).is_absolute():
            return settings
        return replace(settings, baseline=self._copy(settings.baseline, "baseline.json"))


def _write_findings_file(path: Path, pull: PullRequestEvent, settings: Settings, outcome: Any,
                         workspace: Path | None = None) -> None:
    """The artifact a `workflow_run` workflow posts with `publish-findings` (fork pull requests)."""
    from reviewer.publish.artifact import write_artifact

    write_artifact(path, workspace=workspace, repository=pull.repository, pull_request=pull.number, head_sha=pull.head_sha,
                   base_sha=pull.base_sha, fail_on=settings.fail_on, reference_date=settings.reference_date,
                   findings=outcome.plan.findings, new={f.fingerprint for f in outcome.plan.new},
                   functions=outcome.head.functions)


def _publish_artifact(workspace: Path, findings_file: str, token: str, max_inline: int, check_run: bool,
                      stdout: TextIO) -> int:
    """workflow_run side of the fork pattern: trusted repository and head commit come from the event."""
    from reviewer.publish import actions
    from reviewer.publish.artifact import ArtifactError
    from reviewer.publish.relay import publish_artifact

    try:
        payload = json.loads(Path(os.environ.get("GITHUB_EVENT_PATH", "")).read_text(encoding="utf-8"))
        head_sha = str(payload["workflow_run"]["head_sha"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ActionError("publish-findings runs in a workflow triggered by `workflow_run`; its event has no "
                          "workflow_run.head_sha") from None
    try:
        result = publish_artifact(workspace / findings_file, repository=os.environ.get("GITHUB_REPOSITORY", ""),
                                  head_sha=head_sha, api_url=os.environ.get("GITHUB_API_URL") or "https://api.github.com",
                                  token=token, max_inline=max_inline, check_run=check_run)
    except ArtifactError as exc:
        raise ActionError(f"publish-findings: {exc}") from None
    for error in result.errors:
        stdout.write(f"::warning title=Lambda Review could not post::{actions._escape_data(error)}\n")
    stdout.write(f"Posted {result.inline_posted} inline comment(s); summary comment {result.summary}.\n")
    return EXIT_OK


def _review_pull_request(workspace: Path, scope: str, settings: Settings, pull: PullRequestEvent, token: str,
                         max_inline: int, check_run: bool, stdout: TextIO,
                         progress: Progress | None = None, settings_notes: list[str] | None = None) -> tuple[Any, Any]:
    from reviewer.review.early_audit import warm_up_audit

    warm_up_audit(workspace, None)                     # before PyGithub's import and the API's answers

    from github import GithubException

    from reviewer.publish import actions
    from reviewer.publish.github import PullRequestPublisher, connect
    from reviewer.review import git
    from reviewer.review.change import review_change

    api_url = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    publisher = PullRequestPublisher(connect(api_url, token), pull.repository, pull.number)
    try:
        diff = publisher.changed_files()
    except GithubException as exc:
        raise ActionError(f"the files of pull request #{pull.number} could not be listed ({exc.status})") from None
    notes = list(settings_notes or [])
    head_rev: str | None = None
    if git.head_commit(workspace) != pull.head_sha:
        if git.has_commit(workspace, pull.head_sha):
            head_rev = pull.head_sha
        else:
            # Lines of another commit must not be commented on the pull request's diff.
            max_inline = 0
            notes.append(f"The head commit {pull.head_sha[:12]} is not in the clone, so the checked-out commit "
                         "was analysed and nothing was commented inline; use `actions/checkout` with "
                         "`fetch-depth: 0`.")
    base_rev: str | None = pull.base_sha
    if not git.has_commit(workspace, pull.base_sha) and not git.fetch_commit(workspace, pull.base_sha):
        base_rev = None
        notes.append(f"The base commit {pull.base_sha[:12]} is not in the clone and could not be fetched "
                     "(use `actions/checkout` with `fetch-depth: 0`).")
    outcome = review_change(workspace, settings, diff, base_rev=base_rev, head_rev=head_rev,
                            max_inline=max_inline, notes=notes, scope=scope, progress=progress)
    published = publisher.publish(outcome.plan, outcome.facts, pull.head_sha, diff, check_run=check_run)
    for error in published.errors:
        stdout.write(f"::warning title=Lambda Review could not post::{actions._escape_data(error)}\n")
    stdout.write(f"Pull request #{pull.number}: {published.inline_posted} inline comment(s) posted, "
                 f"{published.inline_already_present} already present; summary comment {published.summary}.\n")
    return outcome, published


def _report(outcome: Any, published: Any, settings: Settings, workspace: Path, stdout: TextIO) -> int:
    from reviewer.publish import actions
    from reviewer.publish.console import render_scan
    from reviewer.publish.render import render_bounded
    from reviewer.publish.sarif import to_sarif

    sarif_input, sarif_path = sarif_output_path(workspace)
    write_output_file(sarif_path, json.dumps(to_sarif(outcome.plan.findings), indent=2) + "\n", workspace)
    # Characters, not bytes: a quarter of the byte limit is safe whatever the script.
    actions.write_job_summary(render_bounded("job_summary.md.j2", actions.JOB_SUMMARY_LIMIT // 4, facts=outcome.facts),
                              actions.step_summary_path())
    actions.write_untrusted(render_scan(outcome.facts, "text"), stdout)
    actions.write_annotations(outcome.plan.new, stdout, markdown.plain)
    errors = sum(1 for finding in outcome.plan.findings if finding.severity.value == "error")
    actions.write_outputs({
        "findings": str(len(outcome.plan.findings)),
        "new-findings": str(len(outcome.plan.new)),
        "errors": str(errors),
        "sarif-file": sarif_input,
        "conclusion": outcome.plan.conclusion,
    }, actions.output_path())
    return EXIT_FINDINGS if outcome.plan.failed else EXIT_OK


def main() -> int:
    from reviewer.process_tuning import tune_garbage_collector

    tune_garbage_collector()
    from reviewer.run_limits import run_limits, set_memory_ceiling, time_limit_from_environment

    set_memory_ceiling()
    limits = run_limits()
    limits.start(time_limit_from_environment())
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - last line of defence: a clear error line, details on stderr
        import traceback

        traceback.print_exc(file=sys.stderr)
        sys.stdout.write(f"::error title=Lambda Review failed::{type(exc).__name__}: {exc}\n")
        return EXIT_USAGE
    finally:
        limits.stop()
