"""The summary names everything new in one place: errors and warnings, vulnerable pins, notices per rule."""

from __future__ import annotations

import datetime as dt

from rendered_markdown import render as rendered

from reviewer.analyzers.interface import AUDIT_ENGINE, EngineStatus
from reviewer.config import Settings
from reviewer.findings import Finding, Severity, VulnerablePin
from reviewer.model import Function, Location
from reviewer.publish.render import render, render_bounded, render_text
from reviewer.review.diff import DiffMap
from reviewer.review.plan import plan_review
from reviewer.review.summary import summarize

SETTINGS = Settings(reference_date=dt.date(2026, 6, 1))


def _finding(rule_id: str, severity: Severity, path: str, line: int, message: str, function: str | None = None,
             **extra) -> Finding:
    return Finding(rule_id=rule_id, severity=severity, title=f"title of {rule_id}", message=message, path=path,
                   line=line, function=function, evidence=f"{rule_id} {path} {line} {function}", **extra)


def _facts(findings: list[Finding], base: set[str] | None = None, engine_status=None):
    plan = plan_review(findings, SETTINGS, DiffMap(), base if base is not None else set())
    functions = [Function("Api", "sam", Location("template.yaml", 3), runtime="python3.13")]
    return summarize(plan, functions, [], SETTINGS, engine_status=engine_status)


def _pin_finding() -> Finding:
    return _finding("LR500", Severity.ERROR, "src/api/requirements.txt", 2,
                    "`jinja2==2.10` has 1 known vulnerability:\n\n- **PYSEC-2019-217**: sandbox escape.", "Api",
                    engine="pip-audit",
                    vulnerable_pin=VulnerablePin("jinja2", "2.10", ("PYSEC-2019-217",), "2.10.1"))


def test_summary_lists_every_new_error_and_warning_and_the_vulnerable_pins():
    shell = _finding("bandit/B602", Severity.ERROR, "src/api/app.py", 14,
                     "subprocess call with shell=True identified, security issue.", "Api", engine="bandit")
    old = _finding("LR100", Severity.WARNING, "template.yaml", 9, "python3.9 was deprecated.", "Api")
    facts = _facts([shell, _pin_finding(), old], base={old.fingerprint})

    body = render("summary.md.j2", facts=facts)

    assert "### New errors and warnings (2)" in body
    assert "| 🔴 error | bandit/B602 | `src/api/app.py:14` | `Api` | subprocess call with shell=True" in body
    assert "jinja2==2.10: PYSEC-2019-217 (fixed in 2.10.1)" in " ".join(rendered(body).prose)
    assert "### Dependencies" in body
    assert ("| `jinja2` (new) | `2.10` | [PYSEC-2019-217](https://osv.dev/vulnerability/PYSEC-2019-217) | `2.10.1` "
            "| `src/api/requirements.txt` |") in body
    assert "Pre-existing findings (1)" in body and "not on a changed line" not in body
    html = rendered(body)
    assert html.elements.count("table") == 5    # counts, new findings, dependencies, runtimes, pre-existing
    assert "https://osv.dev/vulnerability/PYSEC-2019-217" in html.links


def test_notices_are_one_line_per_rule_naming_the_functions():
    notices = [_finding("LR400", Severity.NOTICE, "template.yaml", 10 + i,
                        "A long paragraph about code signing that should not repeat. " * 5, f"Fn{i:02d}")
               for i in range(30)]
    facts = _facts(notices)

    body = render("summary.md.j2", facts=facts)

    assert "### New notices (30)" in body
    assert body.count("**LR400**") == 1
    assert "A long paragraph about code signing" not in body
    assert "`Fn00`, `Fn01`" in body and "and 22 more" in body


def _audit_not_run() -> Finding:
    return Finding(rule_id="LR900", severity=Severity.NOTICE, title="An analysis engine did not run",
                   message="Dependency audit did not run: the service is unreachable.", path="requirements.txt",
                   line=1, engine="pip-audit", evidence="dependency-audit")


def test_an_audit_that_did_not_run_is_said_once():
    lr900 = _audit_not_run()
    facts = _facts([lr900], engine_status={AUDIT_ENGINE: EngineStatus("failed", "unreachable", notice=lr900)})

    body = render("summary.md.j2", facts=facts)

    assert "**Dependencies were not audited.** Dependency audit did not run" in body
    assert body.count("Dependency audit did not run") == 1
    assert "**LR900**" not in body


def test_the_summary_learns_from_the_engine_status_not_from_the_findings():
    """The LR900 alone (no status) is an ordinary notice; the status says whether the audit ran."""
    lr900 = _audit_not_run()

    without_status = render("summary.md.j2", facts=_facts([lr900]))
    assert "Dependencies were not audited" not in without_status and "**LR900**" in without_status

    switched_off = _facts([], engine_status={AUDIT_ENGINE: EngineStatus("skipped", "audit: off", setting="audit")})
    assert any("switched off (`audit: off`)" in note for note in switched_off.notes)
    assert switched_off.dependencies_not_audited is None

    nothing_to_do = _facts([], engine_status={AUDIT_ENGINE: EngineStatus("skipped", "no pinned release")})
    assert not nothing_to_do.notes and nothing_to_do.dependencies_not_audited is None

    failed = _facts([lr900], engine_status={AUDIT_ENGINE: EngineStatus("failed", "unreachable", notice=lr900)})
    assert not failed.notes and failed.dependencies_not_audited == lr900.message
    assert failed.said_elsewhere == {lr900.fingerprint}


def test_inline_comments_are_linked_from_their_rows():
    facts = _facts([_pin_finding()])
    facts.inline_links = {facts.plan.new[0].fingerprint: "https://github.com/acme/orders/pull/7#discussion_r1"}

    body = render("summary.md.j2", facts=facts)

    assert "[`src/api/requirements.txt:2`](https://github.com/acme/orders/pull/7#discussion_r1)" in body


def test_errors_beyond_githubs_limit_are_counted_and_pointed_to():
    many = [_finding("LR101", Severity.ERROR, f"stacks/stack{i:04d}/template.yaml", 7,
                     "nodejs14.x is blocked for updates. " + "x" * 300, f"Function{i:04d}") for i in range(3000)]
    facts = _facts(many)

    body = render_bounded("summary.md.j2", 60_000, facts=facts)

    assert len(body) <= 60_000
    shown = body.count("| 🔴 error | LR101 |")
    assert 0 < shown < 3000
    assert f"… and {3000 - shown} more new errors and warnings are left out here" in body
    assert "the job summary and the SARIF report list every one" in body


def test_long_rows_are_shortened_before_any_is_dropped():
    many = [_finding("LR101", Severity.ERROR, f"stacks/s{i:03d}.yaml", 7, "word " * 60, f"F{i:03d}")
            for i in range(200)]
    facts = _facts(many)
    full = render("summary.md.j2", facts=facts)

    body = render_bounded("summary.md.j2", len(full) - 1000, facts=facts)

    assert body.count("| 🔴 error | LR101 |") == 200 and "left out" not in body


# -- end to end: the action against the loopback GitHub and OSV ------------------------------------

SAM = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/orders/
  ReportsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/reports/
"""
# The command comes from the environment, not the event: bandit's B602 stays bandit's (event data
# reaching the shell would be one LR306 finding citing B602 instead).
HANDLER = ("import os\nimport subprocess\n\n\ndef handler(event, context):\n"
           "    return subprocess.run(os.environ['REPORT_COMMAND'], shell=True)\n")


def test_the_action_summary_names_every_new_error_and_the_vulnerable_pin_once(tmp_path):
    import json

    from github_standin import GitHubStandIn
    from osv_standin import serve
    from scenario import PR_NUMBER, REPOSITORY, git, run_action

    from reviewer.analyzers import pip_audit_engine

    pip_audit_engine.forget_results()
    workspace = tmp_path / "workspace"
    (workspace / "src" / "orders").mkdir(parents=True)
    (workspace / "src" / "reports").mkdir(parents=True)
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "template.yaml").write_text(SAM)
    (workspace / "src" / "orders" / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (workspace / "src" / "reports" / "app.py").write_text("def handler(event, context):\n    return 2\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD").strip()
    (workspace / "src" / "orders" / "app.py").write_text(HANDLER)
    (workspace / "src" / "orders" / "requirements.txt").write_text("jinja2==2.10\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "head")
    head = git(workspace, "rev-parse", "HEAD").strip()
    files = []
    for row in git(workspace, "diff", "--name-status", base, head).splitlines():
        status, name = row.split("\t")
        full = git(workspace, "diff", base, head, "--", name)
        files.append({"filename": name, "status": "added" if status == "A" else "modified",
                      "patch": full[full.index("@@"):].rstrip("\n")})
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": PR_NUMBER, "head": {"sha": head}, "base": {"sha": base}},
                                 "repository": {"full_name": REPOSITORY}}))
    token = "ghs_summaryTablesToken"
    osv_iter = serve()
    osv = next(osv_iter)
    try:
        with GitHubStandIn() as github:
            github.add_token(token, login="github-actions[bot]", user_type="Bot")
            github.add_pull_request(REPOSITORY, PR_NUMBER, head_sha=head, base_sha=base, files=files)
            runs = [run_action(tmp_path, workspace, event_name="pull_request", event_path=event,
                               api_url=github.api_url, token=token, inputs={"OSV-URL": osv.query_url})
                    for _ in range(2)]
            summaries = github.issue_comments(REPOSITORY, PR_NUMBER)
            inline = github.review_comments(REPOSITORY, PR_NUMBER)
    finally:
        next(osv_iter, None)

    assert [run.exit_code for run in runs] == [1, 1], runs[0].stdout + runs[0].stderr
    assert len(summaries) == 1
    body = summaries[0]["body"]
    assert "| 🔴 error | LR500 | " in body and "| 🔴 error | bandit/B602 | " in body
    assert "### Dependencies" in body and "[PYSEC-2019-217](https://osv.dev/vulnerability/PYSEC-2019-217)" in body
    assert "| `jinja2` (new) | `2.10` |" in body
    assert "**LR400**" in body and body.count("**LR400**") == 1     # the notices, once per rule
    assert len({comment["body"] for comment in inline}) == len(inline)
    b602 = next(comment["body"] for comment in inline if "bandit/B602" in comment["body"])
    assert b602.count("bandit.readthedocs.io") == 1 and "`# nosec B602`" in b602
    assert "lambda-review: ignore" not in b602 and "**Instead:**" in b602


def test_fail_on_never_says_that_nothing_fails_not_that_nothing_is_at_or_above_never():
    """`fail-on: never` ranks no finding at or above it: the headline says what it means."""
    shell = _finding("bandit/B602", Severity.ERROR, "src/api/app.py", 14, "subprocess call with shell=True.", "Api",
                     engine="bandit")
    never = Settings(reference_date=dt.date(2026, 6, 1), fail_on="never")
    plan = plan_review([shell], never, DiffMap(), set())
    facts = summarize(plan, [Function("Api", "sam", Location("template.yaml", 3), runtime="python3.13")], [], never)
    for template in ("summary.md.j2", "job_summary.md.j2"):
        body = render(template, facts=facts)
        assert "`fail-on` is `never`" in body and "at or above `never`" not in body, template
    assert render_text("check_run_title.txt.j2", new=1, failing=0, fail_on="never") == (
        "1 new finding; none fails the check (fail-on: never)")
    assert render_text("check_run_title.txt.j2", new=2, failing=1, fail_on="error") == (
        "2 new findings, 1 at or above error")


def test_a_note_shows_the_settings_it_names_as_code_not_as_escaped_backticks():
    """The notes are written with the settings they name in backticks (`audit: off`,
    `scan-all-python: true`); the summary shows those as code spans, and a name from the
    repository within a note stays escaped text."""
    facts = _facts([], engine_status={AUDIT_ENGINE: EngineStatus("skipped", "audit: off", setting="audit")})
    facts.notes.append("Only the functions (`Api_<b>x</b>` and @octocat) were read.")
    html = rendered(render("summary.md.j2", facts=facts))
    assert html.shows_in_code("audit: off")
    assert not any("`" in text for text in html.prose)
    assert html.shows_in_code("Api_<b>x</b>") and not html.foreign_elements and not html.live_mentions
    for template in ("job_summary.md.j2",):
        shown = rendered(render(template, facts=facts))
        assert shown.shows_in_code("audit: off") and not any("`" in text for text in shown.prose)


def test_a_notice_line_keeps_places_apart_from_functions_in_file_order():
    """A Terraform root whose code-signing notices are shared by several functions at four
    declarations, and one function's own: the places come by line number (8 before 39), after
    the function and labelled, and the count says it counts notices."""
    notices = [_finding("LR400", Severity.NOTICE, "main.tf", line, "No code signing.")
               for line in (114, 154, 39, 8)]
    notices.append(_finding("LR400", Severity.NOTICE, "modules/trigger/main.tf", 3, "No code signing.",
                            "module.aft_lambda_layer.aws_lambda_function.codebuild_trigger"))

    body = render("summary.md.j2", facts=_facts(notices))

    assert ("(5 notices): `module.aft_lambda_layer.aws_lambda_function.codebuild_trigger`; at `main.tf:8`, "
            "`main.tf:39`, `main.tf:114`, `main.tf:154`.") in body
