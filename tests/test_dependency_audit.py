"""pip-audit over the functions' pinned dependencies, for real, against a loopback OSV server.

pip-audit runs as the review runs it (its auditor and OSV client, pointed at the stand-in's URL
as `--osv-url` would point it); the server (tests/osv_standin.py) serves real OSV records and counts every query.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
from pathlib import Path

import pytest
from scenario import run_action

from reviewer.analyzers import pip_audit_engine
from reviewer.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "engines"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def scan(root: Path, osv_url: str, *extra: str, fmt: str = "json") -> tuple[int, str]:
    out = io.StringIO()
    code = main(["scan", str(root), "--format", fmt, "--reference-date", "2026-01-01", "--osv-url", osv_url,
                 *extra], stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def findings(root: Path, osv_url: str, *extra: str) -> list[dict]:
    return json.loads(scan(root, osv_url, *extra)[1])["findings"]


def by_rule(items: list[dict], rule: str) -> list[dict]:
    return [f for f in items if f["rule_id"] == rule]


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1/query"


def test_vulnerable_pin_is_reported_at_every_file_and_line_that_pins_it(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    jinja = [f for f in by_rule(findings(repo, osv.query_url), "LR500") if "`jinja2==2.10`" in f["message"]]
    places = {(f["path"], f["line"]) for f in jinja}
    assert places == {
        ("services/orders/requirements.txt", 3),
        ("services/billing/pyproject.toml", 6),
        ("services/reports/pyproject.toml", 6),
        ("services/reports/uv.lock", 16),
    }
    orders = next(f for f in jinja if f["path"] == "services/orders/requirements.txt")
    assert orders["severity"] == "error" and orders["engine"] == "pip-audit"
    assert orders["function"] == "OrdersFunction"
    assert orders["suggestion"] == "jinja2==2.10.1"
    for text in ("PYSEC-2019-217", "CVE-2019-10906", "GHSA-462w-v97r-4m45", "`2.10.1`", "sandbox escape"):
        assert text in orders["message"]
    assert orders["help_url"] == "https://osv.dev/vulnerability/PYSEC-2019-217"
    billing = next(f for f in jinja if f["path"] == "services/billing/pyproject.toml")
    assert billing["suggestion"] == '    "jinja2==2.10.1",'
    shared = next(f for f in jinja if f["path"] == "services/reports/uv.lock")
    assert shared["function"] is None and "`ReportsReplayFunction`" in shared["message"]
    assert shared["suggestion"] is None and "uv lock --upgrade-package jinja2" in shared["message"]


def test_a_pin_in_an_included_file_is_reported_there(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    [pyyaml] = [f for f in by_rule(findings(repo, osv.query_url), "LR500")
                if f["path"] == "services/common/requirements-common.txt"]
    assert pyyaml["line"] == 2 and "PYSEC-2021-142" in pyyaml["message"]
    assert pyyaml["suggestion"] == "pyyaml==5.4"


def test_each_distinct_pin_is_queried_once_for_the_whole_monorepo(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    findings(repo, osv.query_url)
    # jinja2 2.10 is pinned in four files, pyyaml 5.3.1 in three, requests 2.32.3 in two.
    assert osv.standin.query_counts == {
        ("jinja2", "2.10"): 1, ("pyyaml", "5.3.1"): 1, ("requests", "2.32.3"): 1,
        ("urllib3", "2.2.2"): 1, ("markupsafe", "1.1.1"): 1,
    }
    assert set(osv.standin.paths) == {"/v1/query"}


def test_a_second_scan_in_the_same_process_asks_only_for_new_pins(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    findings(repo, osv.query_url)
    asked = len(osv.standin.queries)
    (repo / "services/orders/requirements.txt").write_text("jinja2==2.10\nflask==3.0.3\n")
    findings(repo, osv.query_url)
    assert osv.standin.queries[asked:] == [("flask", "3.0.3")]


def test_a_local_package_requirement_is_never_built_or_imported(tmp_path, osv):
    repo = copy_fixture("local-package", tmp_path)
    vendor = repo / "functions/importer/vendor/acme_utils"
    items = findings(repo, osv.query_url)
    assert not (vendor / "SETUP_PY_WAS_EXECUTED").exists()
    assert not (vendor / "acme_utils" / "PACKAGE_WAS_IMPORTED").exists()
    unauditable = {f["line"]: f for f in by_rule(items, "LR501")}
    assert set(unauditable) == {2, 3, 4, 5, 6, 7}
    assert "local path" in unauditable[2]["message"] and "never builds or runs it" in unauditable[2]["message"]
    assert "editable" in unauditable[3]["message"]
    assert "VCS" in unauditable[5]["message"] and "`acme-utils==X.Y.Z`" in unauditable[5]["message"]
    assert "URL" in unauditable[6]["message"]
    assert "outside the workspace" in unauditable[7]["message"]
    assert all(f["severity"] == "notice" for f in unauditable.values())
    # Only the one real pin reached the vulnerability service.
    assert osv.standin.queries == [("jinja2", "2.10")]
    assert [f["line"] for f in by_rule(items, "LR500")] == [8]


def test_unpinned_requirements_say_how_to_pin_them_with_hashes(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    items = findings(repo, osv.query_url)
    [boto3] = [f for f in by_rule(items, "LR501") if f["path"] == "services/orders/requirements.txt"]
    assert boto3["line"] == 5 and "`boto3>=1.34`" in boto3["message"]
    assert "not pinned to one version" in boto3["message"] and "--generate-hashes" in boto3["message"]
    # Unpinned entries of a pyproject.toml whose directory has a lock file are the lock's business.
    assert not [f for f in by_rule(items, "LR501") if f["path"].startswith("services/reports/")]


def test_unreachable_osv_gives_lr900_and_the_rest_of_the_review_goes_on(tmp_path):
    pip_audit_engine.forget_results()
    repo = copy_fixture("sam-monorepo", tmp_path)
    url = closed_port_url()
    code, output = scan(repo, url)
    items = json.loads(output)["findings"]
    [notice] = by_rule(items, "LR900")
    assert notice["severity"] == "notice" and notice["engine"] == "pip-audit"
    assert notice["message"].startswith("Dependency audit did not run: ")
    assert "could not be reached" in notice["message"] and "127.0.0.1" in notice["message"]
    assert by_rule(items, "LR500") == []
    assert [f for f in items if f["rule_id"] == "bandit/B602"]       # the rest of the review is there
    assert by_rule(items, "LR501")
    assert code == 1
    _, summary = scan(repo, url, fmt="markdown")
    assert "Dependencies were not audited." in summary


def test_an_osv_server_error_gives_lr900(tmp_path, osv):
    osv.standin.fail_with = 503
    repo = copy_fixture("sam-monorepo", tmp_path)
    [notice] = by_rule(findings(repo, osv.query_url), "LR900")
    assert "answered 503" in notice["message"]


def test_ignored_vulnerability_ids_are_not_reported(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    items = findings(repo, osv.query_url, "--ignore-vulns", "CVE-2019-10906, GHSA-8q59-q68h-6hv4")
    assert by_rule(items, "LR500") == []


def test_lock_files_are_audited_without_their_development_packages(tmp_path, osv):
    repo = copy_fixture("sam-lockfiles", tmp_path)
    items = findings(repo, osv.query_url)
    places = {(f["path"], f["line"]) for f in by_rule(items, "LR500")}
    assert places == {
        ("functions/poetry_fn/poetry.lock", 18), ("functions/poetry_fn/poetry.lock", 56),
        ("functions/poetry_fn/pyproject.toml", 9), ("functions/poetry_fn/pyproject.toml", 10),
        ("functions/pipenv_fn/Pipfile.lock", 25), ("functions/pylock_fn/pylock.toml", 8),
    }
    assert ("pytest", "8.3.2") not in osv.standin.query_counts
    poetry_pin = next(f for f in by_rule(items, "LR500") if f["path"].endswith("pyproject.toml") and f["line"] == 10)
    assert poetry_pin["suggestion"] == 'pyyaml = { version = "5.4", extras = [] }'
    lr501 = {(f["path"], f["line"]) for f in by_rule(items, "LR501")}
    assert lr501 == {("functions/poetry_fn/poetry.lock", 5), ("functions/pipenv_fn/Pipfile.lock", 33),
                     ("functions/pylock_fn/pylock.toml", 16)}


def test_bad_dependency_flags_exit_2_with_one_line(tmp_path):
    repo = copy_fixture("local-package", tmp_path)
    for flags, words in ((["--osv-url", "ftp://mirror"], "osv-url"),
                         (["--ignore-vulns", "PYSEC-1 <script>"], "ignore-vulns")):
        err = io.StringIO()
        assert main(["scan", str(repo), *flags], stdout=io.StringIO(), stderr=err) == 2
        assert words in err.getvalue() and err.getvalue().count("\n") == 1
    err = io.StringIO()
    with pytest.raises(SystemExit):
        main(["scan", str(repo), "--vulnerability-service", "snyk"], stdout=io.StringIO(), stderr=err)


def test_action_inputs_reach_the_audit(tmp_path, osv):
    repo = copy_fixture("sam-monorepo", tmp_path)
    run = run_action(tmp_path, repo, event_name="push", event_path=None, api_url="http://127.0.0.1:9",
                     token="", inputs={"OSV-URL": osv.query_url, "IGNORE-VULNS": "PYSEC-2021-142",
                                       "VULNERABILITY-SERVICE": "osv"})
    assert run.exit_code == 1, run.stdout + run.stderr
    assert ("jinja2", "2.10") in osv.standin.query_counts
    assert "LR500" in run.stdout and "PYSEC-2019-217" in run.stdout
    assert "PYSEC-2021-142" not in run.stdout


def test_bad_vulnerability_service_input_fails_the_action_with_one_error(tmp_path):
    repo = copy_fixture("local-package", tmp_path)
    run = run_action(tmp_path, repo, event_name="push", event_path=None, api_url="http://127.0.0.1:9",
                     token="", inputs={"VULNERABILITY-SERVICE": "snyk"})
    assert run.exit_code == 2
    assert "::error" in run.stdout and "vulnerability-service" in run.stdout


@pytest.fixture
def fresh_warm_up(monkeypatch):
    """The once-per-run warm-up, as if this were the run's first scan."""
    monkeypatch.setattr(pip_audit_engine, "_warmed", False)
    monkeypatch.setattr(pip_audit_engine, "_warm", None)
    yield
    pip_audit_engine._discard_warm()


def test_a_pull_request_review_starts_the_audit_process_early_and_uses_it(tmp_path, osv, fresh_warm_up,
                                                                         monkeypatch):
    from scenario import committed_copy, git

    repo, base = committed_copy(FIXTURES / "sam-monorepo", tmp_path / "sam-monorepo")
    handler = repo / "services/orders/app.py"
    handler.write_text(handler.read_text() + "\nTIMEOUT = 3\n")
    git(repo, "commit", "-q", "-am", "head")
    started, warmed_before_audit = [], []
    real_spawn, real_start = pip_audit_engine._spawn, pip_audit_engine.start_audit
    monkeypatch.setattr(pip_audit_engine, "_spawn", lambda: started.append(1) or real_spawn())
    monkeypatch.setattr(pip_audit_engine, "start_audit", lambda *args: (
        warmed_before_audit.append(pip_audit_engine._warm is not None), real_start(*args))[1])
    monkeypatch.setattr("reviewer.analyzers.dependencies.start_audit", pip_audit_engine.start_audit)
    out = io.StringIO()

    main(["review", str(repo), "--base", base, "--head", "HEAD", "--format", "json", "--osv-url", osv.query_url,
          "--reference-date", "2026-01-01"], stdout=out, stderr=io.StringIO())

    assert by_rule(json.loads(out.getvalue())["findings"], "LR500")
    assert warmed_before_audit[0] is True             # waiting before the pins were known
    # ... then taken by the head's audit; the base pins the same releases, so nothing more starts.
    assert started == [1] and pip_audit_engine._warm is None


def test_a_full_scan_starts_the_audit_process_only_when_it_has_the_pins(tmp_path, osv, fresh_warm_up):
    repo = copy_fixture("sam-monorepo", tmp_path)
    assert by_rule(findings(repo, osv.query_url), "LR500")
    assert not pip_audit_engine._warmed and pip_audit_engine._warm is None


def test_no_audit_process_starts_for_a_repository_without_dependency_files(tmp_path, fresh_warm_up):
    (tmp_path / "template.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.13\n      Handler: app.handler\n      InlineCode: x\n")
    findings(tmp_path, closed_port_url())
    assert not pip_audit_engine._warmed and pip_audit_engine._warm is None


def test_a_warm_process_no_audit_takes_is_stopped(fresh_warm_up):
    pip_audit_engine.warm_up()
    worker = pip_audit_engine._warm
    assert worker is not None and worker.process.poll() is None

    pip_audit_engine._discard_warm()

    assert worker.process.poll() is not None and not Path(worker.directory.name).exists()


def test_a_review_starts_the_audit_process_when_the_head_tracks_dependency_files(tmp_path, fresh_warm_up):
    from scenario import git

    from reviewer.review.early_engines import warm_up_audit

    (tmp_path / "template.yaml").write_text("Resources: {}\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "no dependency files")
    (tmp_path / "src").mkdir()
    (tmp_path / "src/requirements.txt").write_text("requests==2.31.0\n")   # not tracked yet
    warm_up_audit(tmp_path, None)
    warm_up_audit(tmp_path, "HEAD")
    assert not pip_audit_engine._warmed

    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "a function's requirements")
    warm_up_audit(tmp_path, "HEAD")
    assert pip_audit_engine._warm is not None


def test_no_early_audit_process_outside_a_git_repository(tmp_path, fresh_warm_up):
    from reviewer.review.early_engines import warm_up_audit

    (tmp_path / "requirements.txt").write_text("requests==2.31.0\n")
    warm_up_audit(tmp_path, None)
    assert not pip_audit_engine._warmed


def test_an_audit_waits_for_the_releases_another_audit_is_still_asking_about(osv, fresh_warm_up, monkeypatch):
    """A review audits the base while the head's audit is under way: what both pin is asked once,
    and the waiting audit is answered even before the first one's result is asked for."""
    spawned = []
    real_spawn = pip_audit_engine._spawn
    monkeypatch.setattr(pip_audit_engine, "_spawn", lambda: spawned.append(1) or real_spawn())
    head = pip_audit_engine.start_audit([("jinja2", "2.10"), ("requests", "2.32.3")], "osv", osv.query_url)
    base = pip_audit_engine.start_audit([("Jinja2", "2.10")], "osv", osv.query_url)

    assert base.missing == [] and spawned == [1]          # nothing of its own to ask: no second process
    base_outcome = base.result()
    head_outcome = head.result()

    assert any("GHSA-462w-v97r-4m45" in (advisory.id, *advisory.aliases)
               for advisory in base_outcome.advisories[("jinja2", "2.10")])
    assert head_outcome.advisories[("jinja2", "2.10")] == base_outcome.advisories[("jinja2", "2.10")]
    assert head_outcome.advisories[("requests", "2.32.3")] is not None
    assert osv.standin.query_counts == {("jinja2", "2.10"): 1, ("requests", "2.32.3"): 1}


def test_a_failed_audit_fails_the_audits_waiting_for_it_and_a_later_one_asks_again(osv, fresh_warm_up):
    osv.standin.fail_with = 503
    first = pip_audit_engine.start_audit([("jinja2", "2.10")], "osv", osv.query_url)
    waiting = pip_audit_engine.start_audit([("jinja2", "2.10")], "osv", osv.query_url)

    assert "answered 503" in (waiting.result().error or "")
    assert "answered 503" in (first.result().error or "")

    osv.standin.fail_with = None
    later = pip_audit_engine.audit([("jinja2", "2.10")], "osv", osv.query_url)
    assert later.error is None and later.advisories[("jinja2", "2.10")]


def test_an_audit_that_cannot_start_leaves_no_release_claimed(osv, fresh_warm_up, monkeypatch):
    def broken() -> None:
        raise RuntimeError("no process table")

    with monkeypatch.context() as patched:
        patched.setattr(pip_audit_engine, "_take_worker", broken)
        with pytest.raises(RuntimeError):
            pip_audit_engine.start_audit([("jinja2", "2.10")], "osv", osv.query_url)

    remembered = [future for answers in pip_audit_engine._CACHE.values() for future in answers.values()]
    assert not [future for future in remembered if not future.done()]      # nothing a later audit waits on
    later = pip_audit_engine.audit([("jinja2", "2.10")], "osv", osv.query_url)
    assert later.error is None and later.advisories[("jinja2", "2.10")]
