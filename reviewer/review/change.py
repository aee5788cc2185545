"""The one code path behind `lambda-review scan`, `lambda-review review` and the action."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from reviewer.analyzers.interface import ChangeFocus
from reviewer.config import Settings
from reviewer.comments import comments_of
from reviewer.content_cache import ContentCache
from reviewer.findings import Finding
from reviewer.model import Function
from reviewer.progress import Progress
from reviewer.review import carry_over, git
from reviewer.review.baseline import load_baseline
from reviewer.review.checkout_tree import CheckoutTree
from reviewer.review.diff import DiffMap
from reviewer.review.fail_closed import fail_closed
from reviewer.review.function_moves import function_moves, moved_function_fingerprints
from reviewer.review.outcome import ReviewOutcome
from reviewer.review.package_edits import edited_package_files
from reviewer.review.plan import DEFAULT_MAX_INLINE, plan_review
from reviewer.review.removed_functions import RemovedFunction, removed_functions
from reviewer.review.renames import function_renames, identity_renames, line_renames, renamed_fingerprints
from reviewer.review.runtime_focus import runtime_focus
from reviewer.review.runtime_moves import moved_runtime_fingerprints
from reviewer.review.revision_tree import RevisionTree
from reviewer.review.summary import NOTES, AddedComment, summarize
from reviewer.run_limits import run_limits
from reviewer.suppress import Suppressed
from reviewer.wording import sentence
from reviewer.workspace import UnreadableFile
from reviewer.scan import PendingScan, ScanResult, scan_checkout, start_scan


# Files in the repository that change what the review reports (they come from the change itself).
REVIEW_SETTINGS_FILES = (".lambda-review.yml", ".bandit")
# A change to one of these can change the findings of every function: it is reviewed in full.
FULL_REVIEW_FILES = (*REVIEW_SETTINGS_FILES, "pyproject.toml")
# How many touched functions the summary names before it only counts them.
MAX_NAMED_FUNCTIONS = 10
# How many edited dependency files of untouched functions' packages the summary names.
MAX_NAMED_FILES = 3
# GitHub lists at most 3,000 files of a pull request: a list that long may be cut short.
MAX_LISTED_FILES = 3000


def full_scan(root: Path, settings: Settings, scope: str = ".", progress: Progress | None = None) -> ReviewOutcome:
    """Everything in the checkout; every finding counts (push, schedule, `scan`)."""
    if progress is not None:
        progress.begin("")
    head = scan_checkout(root, settings, scope, progress=progress)
    head.findings = with_run_limits(head.findings)
    plan = plan_review(head.findings, settings, diff=None, base_fingerprints=None,
                       baseline=load_baseline(root, settings.baseline))
    return ReviewOutcome(head, plan, summarize(plan, head.functions, head.suppressed, settings, head.left_out,
                                                head.engine_status))


def with_run_limits(findings: list[Finding]) -> list[Finding]:
    """The findings, and an LR900 error when the run's deadline or memory ceiling stopped the
    analysis early (reviewer.run_limits): kept in full, and the review does not pass."""
    limits = run_limits()
    limits.disarm()
    extra = limits.findings()
    return sorted(findings + extra, key=Finding.sort_key) if extra else findings


def scan_revision(root: Path, rev: str, settings: Settings, scope: str = ".", focus: ChangeFocus | None = None,
                  cache: ContentCache | None = None, progress: Progress | None = None) -> ScanResult:
    """Analyse a revision of the repository at `root`, read from its git objects as needed."""
    return start_revision_scan(root, rev, settings, scope, focus, cache, progress).finish()


def start_revision_scan(root: Path, rev: str, settings: Settings, scope: str = ".",
                        focus: ChangeFocus | None = None, cache: ContentCache | None = None,
                        progress: Progress | None = None,
                        hidden_for: Callable[[RevisionTree], frozenset[str]] | None = None) -> PendingScan:
    """`scan_revision` up to its engines' answers; the revision's git process ends with `finish`.
    `hidden_for` names what to leave out of the revision's listing once it is listed."""
    tree = RevisionTree(root, rev)
    try:
        hidden = hidden_for(tree) if hidden_for is not None else frozenset()
        pending = start_scan(root, settings, scope, focus=focus, cache=cache, progress=progress, tree=tree,
                             hidden=hidden)
    except BaseException:
        tree.close()
        raise
    pending.on_finish = tree.close
    return pending


def change_focus(diff: DiffMap) -> ChangeFocus | None:
    """What a pull request review analyses with the engines: the functions its paths touch.

    None (everything) when the change edits the review's own settings, which can change the
    findings of every function, or when its list of files may be incomplete.
    """
    paths = diff.paths | diff.removed
    if any(path in FULL_REVIEW_FILES for path in paths) or len(diff.paths) >= MAX_LISTED_FILES:
        return None
    return ChangeFocus(frozenset(paths))


def focus_note(head: ScanResult, changed_paths: frozenset[str] = frozenset()) -> str | None:
    """The summary's plain statement of what the engines analysed on a focused review; a change
    that touches no function but edits dependency files of their packages (`changed_paths`), or a
    permission or event source of a function another stack declares (`ScanResult.imported_grants`),
    says so."""
    if head.focused is None:
        return None
    total, touched = len(head.functions), _touched_labels(head.focused)
    if len(touched) >= total:
        return None
    if not touched:
        edited = edited_package_files(head.functions, changed_paths)
        imported = [grant for grant in head.imported_grants if grant.path in changed_paths]
        return sentence(NOTES, "focus_on_nothing", total=total, python=_may_be_python(head.functions),
                        edited=tuple(edited[:MAX_NAMED_FILES]),
                        more=max(0, len(edited) - MAX_NAMED_FILES),
                        imported=tuple(imported[:MAX_NAMED_FILES]),
                        imported_more=max(0, len(imported) - MAX_NAMED_FILES))
    return sentence(NOTES, "focus_on_touched", touched=len(touched), total=total,
                    named=touched[:MAX_NAMED_FUNCTIONS], more=max(0, len(touched) - MAX_NAMED_FUNCTIONS),
                    python=_may_be_python(head.focused))


def _may_be_python(functions: list[Function]) -> bool:
    """Whether bandit, which reads Python only, is worth naming for these functions: one of them
    runs Python or a runtime the declaration does not say (a Node.js-only change names no bandit)."""
    return any(not function.runtime or function.runtime.lower().startswith("python") for function in functions)


def _touched_labels(focused: list[Function]) -> list[str]:
    """One label per touched function, counted as functions and not as names: a CDK app's
    constructs or a monorepo's apps often declare several functions of one name (`lambda`,
    `HelloWorldFunction`), each its own function; those are told apart by where they are declared."""
    unique = list({id(function): function for function in focused}.values())
    by_name: dict[str, list[Function]] = {}
    for function in unique:
        by_name.setdefault(function.name, []).append(function)
    labels = []
    for name, functions in by_name.items():
        if len(functions) == 1:
            labels.append(name)
            continue
        paths = [function.location.path for function in functions]
        labels.extend(f"{name} ({function.location.path})" if paths.count(function.location.path) == 1
                      else f"{name} ({function.location.path}:{function.location.line})" for function in functions)
    return sorted(labels)


def _head_text(root: Path, head_rev: str | None, path: str, limit: int) -> str | None:
    """The head's text of `path` (bounded, no link followed), or None when it cannot be read."""
    if head_rev is not None:
        try:
            return git.file_at(root, head_rev, path, limit=limit)
        except git.GitError:
            return None
    from reviewer.workspace import UnreadableFile, Workspace

    try:
        return Workspace(root, max_file_size=limit).read_text(path)
    except UnreadableFile:
        return None


def review_change(root: Path, settings: Settings, diff: DiffMap, base_rev: str | None,
                  head_rev: str | None = None, max_inline: int = DEFAULT_MAX_INLINE,
                  notes: list[str] | None = None, scope: str = ".", progress: Progress | None = None,
                  cache: ContentCache | None = None) -> ReviewOutcome:
    """Findings of the head, classified against the base (when it can be read) and the diff.

    `head_rev` None means the checkout at `root` is the head. bandit and the dependency audit
    analyse only the functions the change touches (`change_focus`), on both sides; the two
    scans share one cache, so files identical in both are parsed once. The base is analysed while
    the head's engines finish; bandit's reports and the audit's answers that both need are worked
    out once (the cache holds them as futures until they are in).
    """
    focus = change_focus(diff)
    cache = cache if cache is not None else ContentCache()
    base_fingerprints: set[str] | None = None
    extra_notes = list(notes or [])
    if progress is not None:
        progress.begin("head")
    # The checkout as the head (the action): git tells which files hold no CDK marker (reviewer.review.checkout_tree).
    checkout = CheckoutTree(root.resolve()) if head_rev is None and focus is not None else None
    head_scan = (start_scan(root, settings, scope, focus=focus, cache=cache, progress=progress, tree=checkout)
                 if head_rev is None else start_revision_scan(root, head_rev, settings, scope, focus, cache, progress))
    # The base is analysed while the head's engines finish (its audit mostly waits on the network);
    # what the two share (parsed files, bandit's reports, the audit's answers) is worked out once.
    base_scan: PendingScan | None = None
    base_unreadable: str | None = None
    carried: list[carry_over.CarryOver] = []

    def leave_out(base_tree: RevisionTree) -> frozenset[str]:
        """What the base takes over from the head (reviewer.review.carry_over), once it is listed."""
        if not carry_over.enabled():
            return frozenset()
        try:
            changed = carry_over.changed_paths(root, head_scan, base_tree)
        except git.GitError:
            return frozenset()
        plan = carry_over.plan_carry_over(head_scan, base_tree, changed, focus)
        carried.extend([plan] if plan is not None else [])
        return plan.hidden if plan is not None else frozenset()

    if base_rev is not None:
        try:
            if progress is not None:
                progress.begin("base")
            base_scan = start_revision_scan(root, base_rev, settings, scope, focus, cache, progress, leave_out)
        except git.GitError as exc:
            base_unreadable = str(exc)
    head = head_scan.finish()
    if (note := focus_note(head, focus.changed_paths if focus is not None else frozenset())) is not None:
        extra_notes.append(note)
    base_functions: list[Function] | None = None
    removed: list[RemovedFunction] = []
    if base_scan is not None and base_rev is not None:
        base = base_scan.finish()
        carried_fingerprints = carried[0].carried_fingerprints(head) if carried else set()
        if carried and (carried_fingerprints is None or not carried[0].base_agrees(base)):
            base = scan_revision(root, base_rev, settings, scope, focus, cache)   # read the base in full
            carried_fingerprints, carried = set(), []
        base_functions = base.functions + [function for plan in carried for function in plan.functions]
        base_fingerprints = {finding.fingerprint for finding in base.findings} | (carried_fingerprints or set())
        base_fingerprints.update(item.finding.fingerprint for item in base.suppressed)
        base_findings = [*base.findings, *(item.finding for item in base.suppressed)]
        names = function_renames(base_functions, head.functions, diff.renamed)
        names.update(line_renames(base_functions, head.functions, diff))
        names.update({old: new for old, new in identity_renames(base_functions, head.functions, diff).items()
                      if old not in names})
        base_fingerprints |= renamed_fingerprints(base_findings, diff.renamed, names)
        moves = function_moves(base_functions, head.functions, diff.renamed, names)
        base_fingerprints |= moved_function_fingerprints(base_findings, moves, diff.renamed, names)
        base_fingerprints |= moved_runtime_fingerprints(head.findings, base_fingerprints, head.functions,
                                                        base_findings, base_functions, diff.renamed, names, moves)
        removed = removed_functions(base_functions, base.findings, head.functions, head.findings, diff.renamed, names)
    head.findings = fail_closed(head.findings, settings, diff, base_functions,
                                lambda path: _head_text(root, head_rev, path, settings.max_file_size))
    head.findings = with_run_limits(head.findings)
    if base_unreadable is not None:
        extra_notes.append(sentence(NOTES, "base_unreadable", reason=base_unreadable))
    settings_changed = sorted(path for path in diff.paths if path in REVIEW_SETTINGS_FILES)
    if settings_changed:
        extra_notes.append(sentence(NOTES, "settings_changed", paths=settings_changed))
    plan = plan_review(head.findings, settings, diff, base_fingerprints, max_inline=max_inline,
                       baseline=load_baseline(root, settings.baseline))
    facts = summarize(plan, head.functions, head.suppressed, settings, _left_out_in_focus(head.left_out, focus),
                      head.engine_status)
    facts.notes[:0] = extra_notes
    facts.removed_functions = removed
    facts.runtime_focus = runtime_focus(head.functions, head.focused, diff, base_functions)
    facts.accepted_in_change, facts.nosec_in_change = accepted_in_change(head, diff)
    return ReviewOutcome(head, plan, facts, diff)



def _left_out_in_focus(left_out: dict[str, str], focus: ChangeFocus | None) -> dict[str, str]:
    """The Python files bandit left out that the summary names: on a focused review, those the
    change edits. A file it does not edit would not have been analysed whatever its owners (the
    focus note says what was), and `scan-all-python` would not bring it into this review: naming
    the repository's test files under every pull request is noise."""
    if focus is None:
        return left_out
    return {path: reason for path, reason in left_out.items() if path in focus.changed_paths}

# Added `# nosec` comments listed at most; past that, the summary says how many more.
MAX_LISTED_NOSEC = 50


def accepted_in_change(head: ScanResult, diff: DiffMap) -> tuple[list[Suppressed], list[AddedComment]]:
    """Inline suppressions whose marker the change adds, and the `# nosec` comments it adds to
    Python files: they still apply (they are visible in the diff), and the summary lists them
    openly so that a pull request cannot accept its own findings unnoticed."""
    suppressions = [item for item in head.suppressed
                    if item.marker_path is not None and item.marker_line is not None
                    and diff.is_added(item.marker_path, item.marker_line)]
    nosec: list[AddedComment] = []
    workspace = head.workspace
    if workspace is not None:
        for path in sorted(diff.paths):
            file_diff = diff.get(path)
            if not path.endswith(".py") or file_diff is None or not file_diff.added:
                continue
            try:
                text = workspace.read_text(path)
            except UnreadableFile:
                continue
            if "nosec" not in text:
                continue
            for line, comment in sorted(comments_of(path, text).items()):
                if line in file_diff.added and "nosec" in comment.lower():
                    nosec.append(AddedComment(path, line, comment))
                    if len(nosec) >= MAX_LISTED_NOSEC:
                        return suppressions, nosec
    return suppressions, nosec
