"""The sentences of the summary live in `templates/`: the code passes values, the templates hold the words.

Two checks: the review's notes, drawings and the findings' messages that moved change when their
template does (rendered from a copy of `templates/` with other words), and the review's source
spells no sentence of its own (a source scan, so a note written back into Python fails here).
"""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest

from reviewer import wording
from reviewer.analyzers.interface import AUDIT_ENGINE, EngineStatus
from reviewer.config import Settings
from reviewer.findings import Finding, Loop, LoopEdge, LoopNode, Severity, VulnerablePin
from reviewer.model import Function, Location, Trigger
from reviewer.publish.render import render
from reviewer.review.change import focus_note
from reviewer.review.loops import mermaid
from reviewer.review.plan import ReviewPlan
from reviewer.review.summary import STALE_AFTER_DAYS, left_out_note, summarize
from reviewer.review.summary_rows import headline
from reviewer.scan import ScanResult

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SETTINGS = Settings(reference_date=dt.date(2026, 6, 1))

# Modules of review/ that still spell a sentence, and why: the list may only shrink.
SPELLS_SENTENCES: set[str] = set()
MIN_SENTENCE_WORDS = 6
# Analyzers whose messages are macros of templates/findings/<family>.md.j2: none of theirs is written in Python.
MESSAGES_IN_TEMPLATES = {"analyzers/dependencies.py", "analyzers/deployment.py", "analyzers/engine_overlap.py",
                         "analyzers/exposure.py", "analyzers/iam.py", "analyzers/recursion.py",
                         "analyzers/recursion_messages.py", "analyzers/routes.py",
                         "analyzers/runtimes.py", "analyzers/secrets.py", "analyzers/tmp_storage.py",
                         "analyzers/untrusted_input.py"}


@pytest.fixture
def other_words(tmp_path, monkeypatch):
    """A copy of templates/ whose notes and drawing say something else; wording reads it."""
    copy = Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))
    monkeypatch.setattr(wording, "template_dirs", lambda: [copy])
    wording.forget_templates()
    yield copy
    wording.forget_templates()


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_notes_say_what_their_template_says(other_words):
    notes = other_words / "notes.txt.j2"
    _rewrite(notes, "The dependency audit is switched off", "AUDIT-OFF WORDS")
    _rewrite(notes, "is not shipped by any function", "LEFT-OUT WORDS")
    _rewrite(notes, "This change touches none of the", "FOCUS WORDS")
    _rewrite(notes, "The base commit could not be analysed", "CHANGED-LINES WORDS")

    facts = summarize(ReviewPlan([], baseline="changed-lines"), [], [], SETTINGS, {"tests/test_a.py": "a test"},
                      {AUDIT_ENGINE: EngineStatus("skipped", "audit: off", setting="audit")})
    assert [note.split(" ")[0] for note in facts.notes] == ["CHANGED-LINES", "1", "AUDIT-OFF"]
    assert "LEFT-OUT WORDS" in left_out_note({"tests/test_a.py": "a test"})
    functions = [Function(name, "sam", Location("template.yaml", line)) for line, name in enumerate("AB", 1)]
    assert (focus_note(ScanResult(functions, [], focused=[])) or "").startswith("FOCUS WORDS 2 ")


def test_a_vulnerable_release_row_says_what_its_template_says(other_words):
    _rewrite(other_words / "rows.txt.j2", "(no fixed release)", "NO-FIX WORDS")
    pin = Finding(rule_id="LR500", severity=Severity.ERROR, title="t", message="m", path="requirements.txt", line=2,
                  vulnerable_pin=VulnerablePin("jinja2", "2.10", ("PYSEC-2019-217",), None))
    assert headline(pin) == "jinja2==2.10: PYSEC-2019-217 NO-FIX WORDS"


def test_the_loop_drawing_is_its_template_with_escaped_labels(other_words):
    _rewrite(other_words / "mermaid.txt.j2", "flowchart LR", "flowchart TB")
    bucket = LoopNode("resource", 'S3 bucket "Uploads"')
    loop = Loop((LoopEdge(bucket, LoopNode("function", "Thumbs"), "invokes", Location("template.yaml", 36)),))

    assert str(mermaid(loop)) == ('flowchart TB\n  n0[("S3 bucket #quot;Uploads#quot;")]\n  n1(["Thumbs"])\n'
                                  '  n0 -->|"invokes, template.yaml:36"| n1')


def test_the_staleness_window_is_passed_to_the_templates_not_repeated_in_them():
    spelled = [path.name for path in TEMPLATES.glob("*.j2")
               if f"{STALE_AFTER_DAYS} days" in path.read_text(encoding="utf-8")]
    assert spelled == []
    facts = summarize(ReviewPlan([], baseline="full-scan"), [], [], Settings(reference_date=dt.date(2031, 1, 1)))
    facts.stale_after_days = 45
    assert facts.data_stale
    for template in ("summary.md.j2", "job_summary.md.j2"):
        assert "more than 45 days before 2031-01-01" in render(template, facts=facts)


def _deployment_findings(function: Function) -> list[Finding]:
    from reviewer.analyzers.deployment import DeploymentAnalyzer
    from reviewer.analyzers.interface import AnalysisContext
    from reviewer.inventory.interface import InventoryResult
    from reviewer.workspace import Workspace

    context = AnalysisContext(Workspace(ROOT / "examples"), InventoryResult([function], []), SETTINGS)
    return sorted(DeploymentAnalyzer().analyze(context), key=lambda finding: finding.rule_id)


def test_a_finding_message_says_what_its_template_says(other_words):
    _rewrite(other_words / "findings" / "deployment.md.j2", "no code signing configuration", "SIGNING WORDS")
    function = Function("Api", "sam", Location("template.yaml", 3),
                        triggers=[Trigger("sqs", Location("queues/a_b*.yaml", 9))])

    unsigned, latest = _deployment_findings(function)

    assert unsigned.message.startswith("`Api` has SIGNING WORDS, so Lambda deploys")
    # Values printed by a message template are escaped as Markdown text unless they are Markup.
    assert "invoked through the SQS queue (queues/a\\_b\\*.yaml:9), pointing at" in latest.message


def test_the_dependencies_not_audited_text_says_what_its_template_says(other_words, tmp_path):
    from test_dependency_audit import closed_port_url

    from reviewer.analyzers import pip_audit_engine
    from reviewer.review.change import full_scan

    _rewrite(other_words / "findings" / "dependencies.md.j2", "Dependency audit did not run:", "AUDIT WORDS:")
    pip_audit_engine.forget_results()
    repo = shutil.copytree(ROOT / "tests" / "fixtures" / "engines" / "sam-monorepo", tmp_path / "repo")

    facts = full_scan(Path(repo), Settings(reference_date=dt.date(2026, 1, 1), osv_url=closed_port_url())).facts

    assert (facts.dependencies_not_audited or "").startswith("AUDIT WORDS: ")
    assert "**Dependencies were not audited.** AUDIT WORDS: " in render("summary.md.j2", facts=facts)


def _literal_words(node: ast.AST) -> str:
    """The words a string literal or f-string spells itself (its interpolated values left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(part.value for part in node.values
                        if isinstance(part, ast.Constant) and isinstance(part.value, str))
    return ""


def _sentences(path: Path) -> list[str]:
    """Sentence-like literals outside docstrings and raised errors (those are for logs and exit 2)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.body and isinstance(node.body[0], ast.Expr):
                skipped.add(id(node.body[0].value))
        if isinstance(node, ast.Raise) or isinstance(node, ast.JoinedStr):
            skipped.update(id(inner) for inner in ast.walk(node) if inner is not node)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        words = _literal_words(node)
        if len([word for word in words.split() if word.isalpha()]) >= MIN_SENTENCE_WORDS:
            found.append(words)
    return found


def test_the_review_spells_no_sentence_of_its_own():
    package = ROOT / "reviewer"
    spelling = {path.relative_to(package).as_posix(): _sentences(path)
                for path in sorted((package / "review").glob("*.py"))}
    offenders = {name: found for name, found in spelling.items() if found and name not in SPELLS_SENTENCES}
    assert offenders == {}, "move these sentences into templates/ (reviewer.wording.sentence)"
    fixed = sorted(name for name in SPELLS_SENTENCES if not spelling.get(name))
    assert fixed == [], f"no sentence left: drop them from SPELLS_SENTENCES: {fixed}"


def test_analyzers_whose_messages_moved_spell_no_sentence_of_their_own():
    package = ROOT / "reviewer"
    spelling = {name: _sentences(package / name) for name in sorted(MESSAGES_IN_TEMPLATES)}
    assert {name: found for name, found in spelling.items() if found} == {}
