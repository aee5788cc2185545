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
from typing import TYPE_CHECKING, TextIO

from reviewer.exit_codes import EXIT_OK, EXIT_USAGE
from reviewer.config import ConfigError, Settings, parse_bool, parse_positive_int, resolve_settings
from reviewer.output_files import OutputFileError, clear_planted_outputs, write_output_file
from reviewer.progress import Progress

if TYPE_CHECKING:
    from reviewer.publish.github import PullRequestPublisher
    from reviewer.publish.interface import Publisher
    from reviewer.review.outcome import ReviewOutcome

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
_COMMIT_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")          # SHA-1, or SHA-256 repositories
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")
# The `post` input: what a pull request run writes to the pull request.
POST_CHOICES = ("inline-and-summary", "summary", "none")


class ActionError(Exception):
    """Bad inputs or environment: reported as one `::error::` line, exit 2."""


def input_value(name: str, default: str = "") -> str:
    """An action input as the runner passes it (`INPUT_` + upper-cased name, hyphens kept)."""
    return os.environ.get(f"INPUT_{name.replace(' ', '_').upper()}", default).strip()


@dataclass(frozen=True)
class PullRequestEvent:
    """The pull request an event names: its number, its two commits and its repository."""

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


def _post_choice(value: str) -> str:
    if value not in POST_CHOICES:
        raise ActionError(f"post: {value!r} is not one of {', '.join(POST_CHOICES)}")
    return value


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


def _reviews_pull_request() -> bool:
    """Whether this run reviews the pull request's change (not the account, not a findings file)."""
    return ((input_value("source", "pull-request") or "pull-request").lower() != "account"
            and not input_value("publish-findings"))


def _start_engines(workspace: Path) -> None:
    """A review's engines start before the settings are read and the pipeline imported
    (reviewer.review.early_engines), and after the tokens left this process's environment: its
    children never see them. `audit: off` in the settings leaves the audit's process unasked."""
    from reviewer.review.early_engines import warm_up_engines

    warm_up_engines(workspace, None, (input_value("audit") or "on").lower() != "off")


def run(stdout: TextIO = sys.stdout) -> int:
    from reviewer.publish import actions
    from reviewer.publish.interface import publish_all
    from reviewer.cache_directory import distrust

    token = input_value("github-token")
    actions.mask(token, stdout)
    _keep_tokens_from_child_processes()
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    distrust(workspace)                         # a pull request writes there: no compiled template from it
    trusted: _TrustedSettingsFiles | None = None
    try:
        _clear_outputs(workspace)
        scope = _scope(workspace, input_value("path", "."))
        event = os.environ.get("GITHUB_EVENT_NAME", "")
        if event in PULL_REQUEST_EVENTS and _reviews_pull_request():
            _start_engines(workspace)
        trusted = _TrustedSettingsFiles(workspace, event)
        settings = resolve_settings(
            workspace, trusted.config(input_value("config") or None), default_file=not trusted.active,
            fail_on=input_value("fail-on", "error") or None,
            reference_date=input_value("reference-date") or None, max_file_size=input_value("max-file-size") or None,
            fail_on_existing=input_value("fail-on-existing") or None,
            inline_severity=input_value("inline-severity") or None,
            vulnerability_service=input_value("vulnerability-service") or None,
            osv_url=input_value("osv-url") or None, ignore_vulns=input_value("ignore-vulns") or None,
            audit=input_value("audit") or None,
        )
        settings = trusted.with_baseline(settings)
        if (input_value("source", "pull-request") or "pull-request").lower() == "account":
            return _account_source(workspace, token, settings, stdout)
        check_run = parse_bool(input_value("check-run", "false") or "false", "check-run")
        max_inline = parse_positive_int(input_value("max-inline-comments", "25") or "25", "max-inline-comments")
        post = _post_choice(input_value("post", POST_CHOICES[0]) or POST_CHOICES[0])
        if post == "summary":
            max_inline = 0                     # every finding goes to the summary comment
        publish_file = input_value("publish-findings")
        if publish_file and post == "none":
            stdout.write("post: none, so the findings file was not posted.\n")
            return EXIT_OK
        if publish_file:
            return _publish_artifact(workspace, publish_file, token, max_inline, check_run, stdout)
        # In the Actions log (not a terminal): one line when the analysis is done, nothing before.
        progress = Progress(sys.stderr)
        # The pull request's publishers post first (their links go into the outputs); a findings file
        # that cannot be written is a usage error (exit 2). The run's own reports follow below.
        publishers: list[Publisher] = []
        pull_request: PullRequestPublisher | None = None
        if event in PULL_REQUEST_EVENTS:
            pull = read_pull_request_event(os.environ.get("GITHUB_EVENT_PATH"), os.environ.get("GITHUB_REPOSITORY", ""))
            if not token:
                raise ActionError("github-token is empty; a pull request review needs a token")
            outcome, pull_request = _review_pull_request(
                workspace, scope, settings, pull, token, max_inline, stdout, progress,
                trusted.notes + _deployed_runtime_notes(workspace, scope, settings), post=post != "none")
            if pull_request is not None:
                publishers += _pull_request_publishers(pull_request, pull, check_run, stdout)
            findings_file = input_value("findings-file")
            if findings_file:
                from reviewer.publish.artifact import FindingsFile

                publishers.append(FindingsFile(workspace / findings_file, workspace, pull.repository, pull.number,
                                               pull.head_sha, pull.base_sha, settings.fail_on,
                                               settings.reference_date))
        elif event == "merge_group":
            outcome = _review_merge_group(workspace, scope, settings, progress)
        else:
            from reviewer.review.change import full_scan

            outcome = full_scan(workspace, settings, scope, progress=progress)
        publish_all(outcome, publishers)
    except (ConfigError, ActionError, OutputFileError) as exc:
        stdout.write(f"::error title=Lambda Review configuration::{actions._escape_data(str(exc))}\n")
        write_stopped_sarif(workspace, f"Lambda Review stopped before reviewing: {exc}")
        return EXIT_USAGE
    finally:
        if trusted is not None:
            trusted.close()               # the engines that read the base's settings are done
    progress.finish(f"analysed {len(outcome.functions)} function(s): {len(outcome.plan.findings)} finding(s)"
                    + (f", {len(outcome.plan.new)} new" if event in (*PULL_REQUEST_EVENTS, "merge_group") else ""))
    publish_all(outcome, _report_publishers(workspace, stdout, pull_request))
    return outcome.exit_code


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
                self.notes.append(_note("settings_from_pull_request"))
        self.directory = Path(tempfile.mkdtemp(prefix="lambda-review-settings-")) if self.base else None

    @property
    def active(self) -> bool:
        return self.base is not None

    def close(self) -> None:
        """Remove the copies of the base's settings files: a self-hosted runner keeps its /tmp."""
        import shutil

        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

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
        if copied is None and head_text is not None:
            # The pull request that adopts the action adds its settings file: the base has none yet.
            self.notes.append(_note("settings_file_added", path=rel))
        elif head_text != git.file_at(self.workspace, self.base or "", rel):
            self.notes.append(_note("settings_file_changed", path=rel))
        if copied is None and named and head_text is None:
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


def _deployed_runtime_notes(workspace: Path, scope: str, settings: Settings) -> list[str]:
    """With `regions` on a pull request (AWS credentials configured): declared functions deployed older."""
    from reviewer.account.action_source import words

    regions = words(input_value("regions"))
    if not regions:
        return []
    from reviewer.account.tie_in import deployed_runtime_notes
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    declared = build_inventory(Workspace(workspace, max_file_size=settings.max_file_size, exclude=settings.exclude,
                                         scope=scope)).functions
    return deployed_runtime_notes(declared, regions, input_value("aws-endpoint-url") or None)


def _account_source(workspace: Path, token: str, settings: Settings, stdout: TextIO) -> int:
    """`source: account`: the deployed functions, not the checkout (reviewer/account/action_source.py)."""
    from reviewer.account.action_source import run_account_source, words
    from reviewer.account.command import AccountError, AccountRequest
    from reviewer.publish import actions

    request = AccountRequest(regions=words(input_value("regions")),
                             endpoint_url=input_value("aws-endpoint-url") or None,
                             assume_role=input_value("assume-role") or None,
                             role_arns=tuple(words(input_value("role-arns"))))
    tracking = parse_bool(input_value("tracking-issue", "false") or "false", "tracking-issue")
    try:
        result = run_account_source(workspace, token, settings, request, tracking, stdout, sys.stderr)
    except AccountError as exc:
        raise ActionError(f"source: account: {exc}") from None
    actions.write_outputs({**result.outputs, "api-calls": result.api_calls, "tracking-issue": result.tracking_issue},
                          actions.output_path())
    return result.exit_code


def _review_merge_group(workspace: Path, scope: str, settings: Settings, progress: Progress) -> ReviewOutcome:
    """A merge queue's check: the queued commit against the queue's base, with nothing posted.

    It gates on what the queued pull requests add, as their own checks did, so findings already on
    the base branch do not block the queue. Without the base commit it falls back to a full scan.
    """
    from reviewer.review import git
    from reviewer.review.change import full_scan, review_change
    from reviewer.review.diff import diff_map_from_unified

    base = _merge_group_base(os.environ.get("GITHUB_EVENT_PATH"))
    if base is None or not (git.has_commit(workspace, base) or git.fetch_commit(workspace, base)):
        return full_scan(workspace, settings, scope, progress=progress)
    try:
        diff = diff_map_from_unified(git.unified_diff(workspace, base, "HEAD", settings.max_file_size))
    except git.GitError:
        return full_scan(workspace, settings, scope, progress=progress)
    return review_change(workspace, settings, diff, base_rev=base, head_rev=None, max_inline=0,
                         notes=[_note("merge_queue_base", commit=base[:12])],
                         scope=scope, progress=progress)


def _merge_group_base(path: str | None) -> str | None:
    try:
        payload = json.loads(Path(path or "").read_text(encoding="utf-8"))
        base = str(payload["merge_group"]["base_sha"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return base if _COMMIT_ID.fullmatch(base) else None


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


def _note(name: str, **values: str) -> str:
    """One of the action's notes for the summary (templates/run_notes.txt.j2)."""
    from reviewer.publish.render import render_text

    return render_text("run_notes.txt.j2", note=name, **values)


def _review_pull_request(workspace: Path, scope: str, settings: Settings, pull: PullRequestEvent, token: str,
                         max_inline: int, stdout: TextIO, progress: Progress | None = None,
                         settings_notes: list[str] | None = None,
                         post: bool = True) -> tuple[ReviewOutcome, PullRequestPublisher | None]:
    """Review the pull request's change; with `post`, the publisher that posts it (None without)."""
    from reviewer.review.early_engines import stop_early_engines, warm_up_engines

    warm_up_engines(workspace, None, settings.audit)   # before PyGithub's import and the API's answers
    try:
        return _reviewed_pull_request(workspace, scope, settings, pull, token, max_inline, stdout, progress,
                                      settings_notes, post)
    finally:
        stop_early_engines()


def _reviewed_pull_request(workspace: Path, scope: str, settings: Settings, pull: PullRequestEvent, token: str,
                           max_inline: int, stdout: TextIO, progress: Progress | None,
                           settings_notes: list[str] | None,
                           post: bool) -> tuple[ReviewOutcome, PullRequestPublisher | None]:
    """`_review_pull_request`'s work between the engines' early start and their stop."""
    from github import GithubException

    from reviewer.publish.github import PullRequestPublisher, connect
    from reviewer.review import git
    from reviewer.review.change import review_change

    api_url = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    publisher = PullRequestPublisher(connect(api_url, token), pull.repository, pull.number, commit=pull.head_sha)
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
            notes.append(_note("head_not_in_clone", commit=pull.head_sha[:12]))
    base_rev: str | None = pull.base_sha
    if not git.has_commit(workspace, pull.base_sha) and not git.fetch_commit(workspace, pull.base_sha):
        base_rev = None
        notes.append(_note("base_not_in_clone", commit=pull.base_sha[:12]))
    outcome = review_change(workspace, settings, diff, base_rev=base_rev, head_rev=head_rev,
                            max_inline=max_inline, notes=notes, scope=scope, progress=progress)
    if not post:
        stdout.write(f"Pull request #{pull.number}: post: none, so nothing was posted; the results are in the "
                     "job summary, the annotations and the SARIF report.\n")
        return outcome, None
    return outcome, publisher


def _pull_request_publishers(pull_request: PullRequestPublisher, pull: PullRequestEvent, check_run: bool,
                             stdout: TextIO) -> list[Publisher]:
    """The review and summary comment, the check run when asked for, and their lines in the log."""
    from reviewer.publish.github import CheckRunPublisher

    return [pull_request, *([CheckRunPublisher(pull_request)] if check_run else []),
            _PostedLines(pull_request, pull.number, stdout)]


class _PostedLines:
    """The log's account of what was posted to the pull request, and why anything was not."""

    def __init__(self, pull_request: PullRequestPublisher, number: int, stdout: TextIO) -> None:
        self.pull_request, self.number, self.stdout = pull_request, number, stdout

    def publish(self, outcome: ReviewOutcome) -> None:
        from reviewer.publish import actions

        published = self.pull_request.result
        for error in published.errors:
            self.stdout.write(f"::warning title=Lambda Review could not post::{actions._escape_data(error)}\n")
        self.stdout.write(f"Pull request #{self.number}: {published.inline_posted} inline comment(s) posted, "
                          f"{published.inline_already_present} already present; summary comment {published.summary}.\n")


def _sarif_category() -> str | None:
    """The `sarif-category` input; empty leaves the category to upload-sarif's `category`."""
    return input_value("sarif-category") or None


def write_stopped_sarif(workspace: Path, error: str) -> None:
    """On exit 2, the SARIF file the workflow's upload step expects: no results, and the reason as an
    error notification of an unsuccessful run. Written as the normal report is; a failure to write
    it must not hide the error already reported."""
    from reviewer.publish import actions
    from reviewer.publish.sarif import to_sarif

    try:
        sarif_input, sarif_path = sarif_output_path(workspace)
        write_output_file(sarif_path, json.dumps(to_sarif([], category=_sarif_category(), errors=[error]),
                                                 indent=2) + "\n", workspace)
        actions.write_outputs({"sarif-file": sarif_input, "conclusion": "failure"}, actions.output_path())
    except (OSError, OutputFileError) as exc:
        sys.stderr.write(f"lambda-review: the SARIF file could not be written: {exc}\n")


def _report_publishers(workspace: Path, stdout: TextIO,
                       pull_request: PullRequestPublisher | None) -> list[Publisher]:
    """What every run writes, whatever the event: SARIF, job summary, log, annotations, outputs."""
    from reviewer.publish import actions
    from reviewer.publish.console import ScanReport
    from reviewer.publish.sarif import SarifFile

    sarif_input, sarif_path = sarif_output_path(workspace)
    return [SarifFile(sarif_path, workspace, _sarif_category()),
            actions.JobSummary(actions.step_summary_path()),
            ScanReport("text", lambda text: actions.write_untrusted(text, stdout)),
            actions.Annotations(stdout),
            actions.ActionOutputs(actions.output_path(), sarif_input, pull_request)]


def main() -> int:
    from reviewer.process_tuning import tune_garbage_collector

    tune_garbage_collector()
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    from reviewer.run_limits import (run_limits, set_memory_ceiling, time_limit_from_environment,
                                     time_limit_is_default)

    set_memory_ceiling()
    limits = run_limits()
    limits.start(time_limit_from_environment(), scales_with_size=time_limit_is_default())
    try:
        return run()
    except KeyboardInterrupt:
        sys.stdout.write("::error title=Lambda Review interrupted::the run was cancelled before it finished\n")
        write_stopped_sarif(workspace, "Lambda Review was interrupted before it finished.")
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - last line of defence: a clear error line; the traceback on request
        if os.environ.get("RUNNER_DEBUG") == "1":
            import traceback

            traceback.print_exc(file=sys.stderr)
        sys.stdout.write(f"::error title=Lambda Review failed::{type(exc).__name__}: {exc} (re-run with debug "
                         "logging for the traceback)\n")
        write_stopped_sarif(workspace, f"Lambda Review failed: {type(exc).__name__}: {exc}")
        return EXIT_USAGE
    finally:
        limits.stop()
