"""`lambda-review`: scan, review, inventory, rules, explain. The action calls the same functions."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TextIO

from reviewer import __version__
from reviewer.exit_codes import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from reviewer.config import Settings
    from reviewer.progress import Progress
    from reviewer.review.outcome import ReviewOutcome


class UsageError(Exception):
    """Bad input from the user: one line on stderr and exit 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lambda-review",
        description="Review repositories that deploy AWS Lambda functions.",
    )
    parser.add_argument("--version", action="version", version=f"lambda-review {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_settings(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("path", nargs="?", default=".", help="repository checkout (default: .)")
        sub.add_argument("--fail-on", choices=("error", "warning", "notice", "never"), default=None,
                         help="lowest severity that makes the exit code 1 (default: error)")
        sub.add_argument("--reference-date", metavar="YYYY-MM-DD",
                         help="day on which runtime lifecycle is judged (default: today, UTC)")
        sub.add_argument("--config", metavar="FILE", help="settings file (default: .lambda-review.yml if present)")
        sub.add_argument("--max-file-size", metavar="BYTES", help="skip files larger than this (default: 2 MB)")
        sub.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
        sub.add_argument("--vulnerability-service", choices=("osv", "pypi"), default=None,
                         help="where pip-audit looks up advisories (default: osv)")
        sub.add_argument("--osv-url", metavar="URL",
                         help="OSV query endpoint, e.g. a mirror (default: https://api.osv.dev/v1/query)")
        sub.add_argument("--ignore-vulns", metavar="IDS",
                         help="advisory ids to accept, separated by commas or spaces (PYSEC-..., GHSA-..., CVE-...)")
        sub.add_argument("--fail-on-existing", action="store_const", const="true", default=None,
                         help="let pre-existing findings fail the run too, not only new ones")
        sub.add_argument("--baseline", metavar="FILE", help="findings in this baseline file count as pre-existing")
        sub.add_argument("--audit", choices=("on", "off"), default=None,
                         help="off: no dependency audit and no network access at all (default: on)")

    scan = commands.add_parser("scan", help="analyze a checkout and print the findings")
    with_settings(scan)
    scan.add_argument("--format", choices=("text", "json", "sarif", "markdown"), default="text")

    review = commands.add_parser("review", help="what the bot would post for the change between two revisions")
    with_settings(review)
    review.add_argument("--base", required=True, metavar="REV", help="base revision of the change")
    review.add_argument("--head", default="HEAD", metavar="REV", help="head revision (default: HEAD)")
    review.add_argument("--format", choices=("markdown", "json"), default="markdown")
    review.add_argument("--max-inline-comments", type=int, default=25, metavar="N")
    review.add_argument("--inline-severity", choices=("error", "warning", "notice"), default=None,
                        help="lowest severity shown inline (default: warning; notices go to the summary)")

    baseline = commands.add_parser("baseline", help="write a baseline file accepting every current finding")
    with_settings(baseline)

    inventory = commands.add_parser("inventory", help="list the Lambda functions the repository declares")
    inventory.add_argument("path", nargs="?", default=".")
    inventory.add_argument("--format", choices=("text", "json"), default="text")
    inventory.add_argument("--max-file-size", metavar="BYTES")

    publish = commands.add_parser("publish", help="post a findings file from a read-only run (fork pull requests)")
    publish.add_argument("--findings", required=True, metavar="FILE", help="findings file written with findings-file")
    publish.add_argument("--repository", required=True, metavar="OWNER/NAME", help="trusted: the workflow_run repository")
    publish.add_argument("--head-sha", required=True, metavar="SHA", help="trusted: the workflow_run head commit")
    publish.add_argument("--max-inline-comments", type=int, default=25, metavar="N")
    publish.add_argument("--check-run", action="store_true", help="also create a check run")

    account = commands.add_parser("account", help="review the Lambda functions deployed in AWS accounts")
    _account_options(account)

    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="print the documentation of a rule")
    explain.add_argument("rule", metavar="RULE")
    return parser


def _account_options(account: argparse.ArgumentParser) -> None:
    account.add_argument("--region", action="append", metavar="REGION",
                         help="region to review; repeat for several (default: the configured region)")
    account.add_argument("--profile", metavar="NAME", help="AWS profile (default: the default credential chain)")
    account.add_argument("--endpoint-url", metavar="URL", help="any Lambda-compatible endpoint (an emulator)")
    account.add_argument("--format", choices=("text", "json", "sarif", "markdown"), default="text")
    account.add_argument("--fail-on", choices=("error", "warning", "notice", "never"), default=None,
                         help="lowest severity that makes the exit code 1 (default: error)")
    account.add_argument("--reference-date", metavar="YYYY-MM-DD",
                         help="day on which runtime lifecycle is judged (default: today, UTC)")
    account.add_argument("--config", metavar="FILE", help="settings file (default: .lambda-review.yml if present)")
    account.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    account.add_argument("--assume-role", metavar="NAME",
                         help="assume this role in every active account of the organization")
    account.add_argument("--role-arn", action="append", metavar="ARN", help="assume this role; repeat for several")
    account.add_argument("--repository", metavar="PATH",
                         help="a checkout whose declared functions are compared with what is deployed")


def _root(path: str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise UsageError(f"{path!r} is not a directory")
    return root.resolve()


def _settings(args: argparse.Namespace, root: Path) -> Settings:
    from reviewer.config import resolve_settings

    return resolve_settings(root, args.config, fail_on=args.fail_on, reference_date=args.reference_date,
                            max_file_size=args.max_file_size, fail_on_existing=args.fail_on_existing,
                            baseline=args.baseline, vulnerability_service=args.vulnerability_service,
                            osv_url=args.osv_url, ignore_vulns=args.ignore_vulns,
                            inline_severity=getattr(args, "inline_severity", None), audit=args.audit)


def _emit(text: str, output: str | None, stdout: TextIO, workspace: Path | None = None) -> None:
    if output:
        from reviewer.output_files import OutputFileError, write_output_file

        try:
            write_output_file(Path(output), text, workspace)
        except OutputFileError as exc:
            raise UsageError(str(exc)) from None
    else:
        stdout.write(text)


@contextmanager
def _report_sink(output: str | None, stdout: TextIO) -> Iterator[Callable[[str], None]]:
    """Where a report written in pieces goes, one piece after the other: `--output` or stdout."""
    if not output:
        def to_stdout(text: str) -> None:
            stdout.write(text)

        yield to_stdout
        return
    from reviewer.output_files import OutputFileError, OutputStream

    stream = OutputStream(Path(output))
    try:
        yield stream.write
        stream.close()
    except OutputFileError as exc:
        raise UsageError(str(exc)) from None
    finally:
        stream.discard()                          # the report failed part way: no half of it is left


def _check_output(output: str | None) -> None:
    """Fail before the analysis when the report could not be written where `--output` says."""
    if output and not Path(output).resolve().parent.is_dir():
        raise UsageError(f"--output {output!r}: the directory {str(Path(output).parent)!r} does not exist")


def _revision(root: Path, rev: str, option: str) -> None:
    from reviewer.review import git

    if not git.has_commit(root, rev):
        raise UsageError(f"{option} {rev!r} is not a commit in {str(root)!r} (a shallow clone may lack it: "
                         "`git fetch` it, or check out with `fetch-depth: 0`)")


def _scan(args: argparse.Namespace, stdout: TextIO, stderr: TextIO | None = None) -> int:
    from reviewer.progress import Progress
    from reviewer.publish.console import ScanReport
    from reviewer.publish.interface import publish_all
    from reviewer.review.change import full_scan

    root = _root(args.path)
    _check_output(args.output)
    progress = Progress(stderr)
    outcome = full_scan(root, _settings(args, root), progress=progress)
    with _report_sink(args.output, stdout) as sink:
        publish_all(outcome, [ScanReport(args.format, sink)])
    progress.finish(f"scanned {_count(len(outcome.functions), 'function')}: "
                    f"{_count(len(outcome.plan.findings), 'finding')}")
    return outcome.exit_code


def _account(args: argparse.Namespace, stdout: TextIO, stderr: TextIO | None = None) -> int:
    from reviewer.account.command import AccountError, run_account_review

    try:
        code, text = run_account_review(args, stderr)
    except AccountError as exc:
        raise UsageError(str(exc)) from None
    _emit(text, args.output, stdout)
    return code


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _start_engines(args: argparse.Namespace) -> None:
    """A review's engines start before this process imports its settings and pipeline
    (reviewer.review.early_engines); a path or revision that is not one starts nothing, and
    `_review` then says why. `audit: off` in the repository's settings leaves the audit's
    process unasked: it ends with this one."""
    from reviewer.review.early_engines import warm_up_engines

    warm_up_engines(Path(args.path), args.head, args.audit != "off")


def _review(args: argparse.Namespace, stdout: TextIO, stderr: TextIO | None = None) -> int:
    from reviewer.review.early_engines import stop_early_engines

    root = _root(args.path)
    _check_output(args.output)
    _revision(root, args.base, "--base")
    _revision(root, args.head, "--head")
    settings = _settings(args, root)

    from reviewer.progress import Progress
    from reviewer.publish.interface import publish_all
    from reviewer.publish.preview import ReviewPreview

    progress = Progress(stderr)
    try:
        outcome = _reviewed(root, args, settings, progress)
    finally:
        stop_early_engines()

    with _report_sink(args.output, stdout) as sink:
        publish_all(outcome, [ReviewPreview(args.format, sink)])
    progress.finish(f"reviewed {_count(len(outcome.functions), 'function')}: "
                    f"{len(outcome.plan.new):,} new of {_count(len(outcome.plan.findings), 'finding')}")
    return outcome.exit_code


def _reviewed(root: Path, args: argparse.Namespace, settings: Settings, progress: Progress) -> ReviewOutcome:
    """The change between `--base` and `--head`, reviewed (`_review`'s work between the engines'
    early start and their stop)."""
    from reviewer.review import git
    from reviewer.review.change import review_change
    from reviewer.review.diff import diff_map_from_unified

    try:
        diff = diff_map_from_unified(git.unified_diff(root, args.base, args.head, settings.max_file_size))
    except git.GitError as exc:
        raise UsageError(str(exc)) from None
    return review_change(root, settings, diff, base_rev=args.base, head_rev=args.head,
                         max_inline=args.max_inline_comments, progress=progress)


def _baseline(args: argparse.Namespace, stdout: TextIO) -> int:
    from reviewer.review.baseline import baseline_document
    from reviewer.scan import scan_checkout

    root = _root(args.path)
    _check_output(args.output)
    settings = _settings(args, root)
    result = scan_checkout(root, settings)
    target = args.output or str(root / ".lambda-review-baseline.json")
    _emit(baseline_document(result.findings), target, stdout, None if args.output else root)
    from reviewer.wording import counted

    stdout.write(f"{counted(len(result.findings), 'finding')} written to the baseline {target}.\n")
    stdout.write(baseline_hint(root, Path(target), settings.baseline))
    return EXIT_OK


def baseline_hint(root: Path, written: Path, configured: str | None) -> str:
    """How the file just written takes effect: scans read a baseline only when the settings name it."""
    try:
        relative = written.resolve().relative_to(root).as_posix()
    except ValueError:
        relative = str(written)
    if configured and (root / configured).resolve() == written.resolve():
        return "The settings already name this file: its findings now count as pre-existing.\n"
    return (f"To use it, commit it and name it in .lambda-review.yml (`baseline: {relative}`), or pass "
            f"`--baseline {relative}`; until then every finding still counts as new.\n")


def _inventory(args: argparse.Namespace, stdout: TextIO) -> int:
    from reviewer.config import parse_positive_int
    from reviewer.inventory import build_inventory
    from reviewer.publish.console import render_inventory
    from reviewer.workspace import DEFAULT_MAX_FILE_SIZE, Workspace

    root = _root(args.path)
    size = parse_positive_int(args.max_file_size, "max-file-size") if args.max_file_size else DEFAULT_MAX_FILE_SIZE
    result = build_inventory(Workspace(root, max_file_size=size))
    stdout.write(render_inventory(result.functions, args.format))
    return EXIT_OK


def _publish(args: argparse.Namespace, stdout: TextIO) -> int:
    """Token and API URL come from the environment (GITHUB_TOKEN, GITHUB_API_URL), never from flags."""
    import os

    from reviewer.publish.relay import publish_artifact

    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        raise UsageError("GITHUB_TOKEN is not set")
    result = publish_artifact(Path(args.findings), repository=args.repository, head_sha=args.head_sha,
                              api_url=os.environ.get("GITHUB_API_URL") or "https://api.github.com", token=token,
                              max_inline=args.max_inline_comments, check_run=args.check_run)
    from reviewer.wording import counted

    stdout.write(f"{counted(result.inline_posted, 'inline comment')} posted, summary comment {result.summary}.\n")
    for error in result.errors:
        stdout.write(f"warning: {error}\n")
    return EXIT_OK


def _rules(stdout: TextIO) -> int:
    from reviewer.rules import RULES

    for rule in RULES.values():
        stdout.write(f"{rule.id}  {rule.severity.value:<7}  {rule.title}\n")
    stdout.write("bandit/B*  (by bandit severity)  findings of the bandit engine keep bandit's test id\n")
    return EXIT_OK


def _explain(args: argparse.Namespace, stdout: TextIO) -> int:
    from reviewer.rules import RULES, get_rule

    rule = get_rule(args.rule)
    if rule is None and args.rule.lower().startswith("bandit/"):
        from reviewer.analyzers.bandit_advice import explain_bandit

        text = explain_bandit(args.rule)
        if text is not None:
            stdout.write(text)
            return EXIT_OK
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r}; `lambda-review rules` lists the {len(RULES)} rules")
    stdout.write(rule.explain())
    return EXIT_OK


def command() -> int:
    """The `lambda-review` executable (and `python -m reviewer`): `main`, then a quick exit."""
    from reviewer.process_tuning import skip_final_collections

    code = main()
    from reviewer import method_cache

    method_cache.save()
    skip_final_collections()
    return code


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    from reviewer.process_tuning import tune_garbage_collector

    tune_garbage_collector()
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except KeyboardInterrupt:
        return EXIT_USAGE
    checkout = args.repository if args.command == "account" else getattr(args, "path", None)
    if checkout:
        from reviewer.cache_directory import distrust

        distrust(Path(checkout))                # a pull request writes there: no compiled code from it
    from reviewer import method_cache

    method_cache.install()                      # before the pipeline's modules make their dataclasses
    if args.command == "review":
        _start_engines(args)
    from reviewer.config import ConfigError
    from reviewer.publish.artifact import ArtifactError

    from reviewer.run_limits import run_limits, time_limit_from_environment, time_limit_is_default
    limits = run_limits()
    if args.command in ("scan", "review", "baseline", "inventory"):
        limits.start(time_limit_from_environment(), scales_with_size=time_limit_is_default())
    try:
        if args.command == "scan":
            return _scan(args, stdout, stderr)
        if args.command == "review":
            return _review(args, stdout, stderr)
        if args.command == "publish":
            return _publish(args, stdout)
        if args.command == "baseline":
            return _baseline(args, stdout)
        if args.command == "inventory":
            return _inventory(args, stdout)
        if args.command == "account":
            return _account(args, stdout, stderr)
        if args.command == "rules":
            return _rules(stdout)
        return _explain(args, stdout)
    except (UsageError, ConfigError, ArtifactError) as exc:
        stderr.write(f"lambda-review: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write("lambda-review: interrupted\n")
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - never a traceback: one line, exit 2 (1 means "findings")
        stderr.write(f"lambda-review: error: {type(exc).__name__}: {str(exc)[:500]} (this is a bug in "
                     "lambda-review; set LAMBDA_REVIEW_DEBUG=1 for the traceback)\n")
        if os.environ.get("LAMBDA_REVIEW_DEBUG"):
            import traceback

            traceback.print_exc(file=stderr)
        return EXIT_USAGE
    finally:
        limits.stop()
