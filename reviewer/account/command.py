"""The shared entry of `lambda-review account` and the action's `source: account`."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from reviewer.config import Settings
from reviewer.wording import counted


class AccountError(Exception):
    """Cannot review at all (no region, no credentials, endpoint unreachable): one line, exit 2."""


@dataclass
class AccountRequest:
    """Where to look: the regions, and how to reach each account (profile, endpoint, roles to assume)."""

    regions: list[str] = field(default_factory=list)
    profile: str | None = None
    endpoint_url: str | None = None
    assume_role: str | None = None
    role_arns: tuple[str, ...] = ()


@dataclass
class AccountRun:
    """One account review's outcome, its summary's facts and the settings it ran with."""

    review: Any
    facts: Any
    settings: Settings


def review_account(request: AccountRequest, settings: Settings, stderr: TextIO | None = None,
                   session: Any = None) -> AccountRun:
    """Connect, review every account and region, and compute the summary facts."""
    from botocore.exceptions import BotoCoreError, NoCredentialsError, ProfileNotFound

    from reviewer.account.connection import connect
    from reviewer.account.report import facts_of
    from reviewer.account.review import AccountProgress, review_accounts

    try:
        connection = connect(request.profile, request.endpoint_url, session)
    except ProfileNotFound as exc:
        raise AccountError(str(exc)) from None
    regions = list(dict.fromkeys(request.regions)) or [connection.session.region_name or ""]
    if not regions[0]:
        raise AccountError("no region: pass --region, or configure one (AWS_REGION or the profile's region)")
    progress = AccountProgress(stderr)
    try:
        review = review_accounts(connection, regions, settings, request.assume_role, request.role_arns, progress)
    except NoCredentialsError:
        raise AccountError("no AWS credentials found (environment, profile, web identity or instance role)") from None
    except BotoCoreError as exc:
        raise AccountError(f"the AWS endpoint could not be used: {exc}") from None
    progress.finish(f"reviewed {counted(len(review.functions), 'deployed function')} in "
                    f"{counted(len(review.accounts), 'account')} with {counted(review.calls.requests, 'API request')}")
    return AccountRun(review, facts_of(review, settings), settings)


def run_account_review(args: argparse.Namespace, stderr: TextIO | None = None) -> tuple[int, str]:
    """The CLI: (exit code, report text)."""
    from reviewer.account.report import render_account, summary_markdown
    from reviewer.config import ConfigError, resolve_settings

    try:
        settings = resolve_settings(Path.cwd(), args.config, fail_on=args.fail_on, reference_date=args.reference_date)
    except ConfigError as exc:
        raise AccountError(str(exc)) from None
    request = AccountRequest(regions=list(args.region or ()), profile=args.profile, endpoint_url=args.endpoint_url,
                             assume_role=args.assume_role, role_arns=tuple(args.role_arn or ()))
    run = review_account(request, settings, stderr)
    if args.format == "markdown" and args.repository:
        text = summary_markdown(run.review, run.facts, settings, tie_in=declared_and_older(Path(args.repository),
                                                                                           run, settings))
    else:
        text = render_account(run.review, run.facts, settings, args.format)
    return (1 if run.facts.plan.failed else 0), text


def declared_and_older(root: Path, run: AccountRun, settings: Settings) -> list[Any]:
    """Functions the checkout declares that run an older runtime where deployed (see tie_in.py)."""
    from reviewer.account.tie_in import older_deployments
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    if not root.is_dir():
        raise AccountError(f"{str(root)!r} is not a directory")
    declared = build_inventory(Workspace(root.resolve(), max_file_size=settings.max_file_size)).functions
    return older_deployments(declared, run.review.functions)
