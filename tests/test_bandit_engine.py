"""bandit over the Lambda source, run for real through `lambda-review scan` on SAM fixtures."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.analyzers.bandit_profile import BanditProfile
from reviewer.analyzers.bandit_workers import PARALLEL_MIN_BYTES, scan_chunk, scan_files
from reviewer.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "engines"
# No dependency audit in these tests: nothing listens on port 9 of the loopback interface.
OFFLINE = ["--osv-url", "http://127.0.0.1:9/v1/query"]


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "sam-monorepo", target)
    return target


def scan(root: Path, *extra: str) -> dict:
    out = io.StringIO()
    code = main(["scan", str(root), "--format", "json", "--reference-date", "2026-01-01", *OFFLINE, *extra],
                stdout=out, stderr=io.StringIO())
    assert code in (0, 1)
    return json.loads(out.getvalue())


def bandit_findings(report: dict, test_id: str | None = None) -> list[dict]:
    return [f for f in report["findings"] if f["engine"] == "bandit"
            and (test_id is None or f["rule_id"] == f"bandit/{test_id}")]


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_shell_true_is_an_error_at_its_line_naming_the_function(monorepo):
    report = scan(monorepo)
    [finding] = bandit_findings(report, "B602")
    app = monorepo / "services/orders/app.py"
    assert finding["path"] == "services/orders/app.py"
    assert finding["line"] == line_of(app, 'subprocess.run(f"tar czf')
    assert finding["function"] == "OrdersFunction"
    assert finding["severity"] == "error" and finding["engine"] == "bandit"
    assert "shell=True" in finding["message"]
    assert "[CWE-78](https://cwe.mitre.org/data/definitions/78.html)" in finding["message"]
    assert finding["help_url"] == ("https://bandit.readthedocs.io/en/1.9.4/plugins/"
                                   "b602_subprocess_popen_with_shell_equals_true.html")
    # The inline comment links the documentation once (from help_url); the message says what to do instead.
    assert finding["help_url"] not in finding["message"]
    assert "**Instead:**" in finding["message"] and "shlex.quote" in finding["message"]


def test_nosec_comment_silences_the_named_test_on_its_line(monorepo):
    report = scan(monorepo)
    nosec_line = line_of(monorepo / "services/orders/app.py", "# nosec B602")
    assert not [f for f in bandit_findings(report, "B602") if f["line"] == nosec_line]
    # The comment names B602 only, as in bandit: other tests still apply to that line.
    assert [f for f in bandit_findings(report, "B607") if f["line"] == nosec_line]


def test_tool_bandit_skips_and_exclude_dirs_in_pyproject_are_honoured(monorepo):
    report = scan(monorepo)
    assert bandit_findings(report, "B101") == []
    assert not [f for f in bandit_findings(report) if "/tests/" in f["path"]]

    (monorepo / "pyproject.toml").unlink()
    report = scan(monorepo)
    [assert_used] = bandit_findings(report, "B101")
    assert assert_used["path"] == "services/orders/app.py" and assert_used["severity"] == "notice"
    # The reports function never imports its tests: they are not shipped, so not reported...
    assert not [f for f in bandit_findings(report) if f["path"] == "services/reports/tests/check_reports.py"]
    # ...unless every Python file is asked for, and then only pyproject's exclude_dirs kept them out.
    (monorepo / ".lambda-review.yml").write_text("scan-all-python: true\n")
    report = scan(monorepo)
    assert [f for f in bandit_findings(report) if f["path"] == "services/reports/tests/check_reports.py"]


def test_dot_bandit_ini_skips_are_honoured(monorepo):
    (monorepo / "pyproject.toml").unlink()
    (monorepo / ".bandit").write_text("[bandit]\nskips = B101,B404\n")
    report = scan(monorepo)
    assert bandit_findings(report, "B101") == [] and bandit_findings(report, "B404") == []
    assert bandit_findings(report, "B602")


def test_a_file_bandit_cannot_parse_gives_an_lr901_notice_and_the_rest_is_scanned(monorepo):
    # No handler imports the legacy exporter, so it is read only when every file is asked for.
    (monorepo / ".lambda-review.yml").write_text("scan-all-python: true\n")
    report = scan(monorepo)
    [notice] = [f for f in report["findings"] if f["rule_id"] == "LR901"]
    assert notice["path"] == "services/billing/legacy_export.py"
    assert notice["line"] == 4 and notice["severity"] == "notice"
    assert "bandit could not parse it" in notice["message"]
    assert bandit_findings(report, "B324")[0]["path"] == "services/billing/billing.py"


def test_a_file_shared_by_two_functions_is_one_finding_naming_both(monorepo):
    report = scan(monorepo)
    [pickle_call] = bandit_findings(report, "B301")
    assert pickle_call["path"] == "services/reports/reports.py"
    assert pickle_call["function"] is None
    assert "`ReportsFunction` and `ReportsReplayFunction`" in pickle_call["message"]


def test_only_function_code_is_scanned_unless_scan_all_python_is_set(monorepo):
    assert not [f for f in bandit_findings(scan(monorepo)) if f["path"].startswith("scripts/")]
    (monorepo / ".lambda-review.yml").write_text("scan-all-python: true\n")
    [helper] = [f for f in bandit_findings(scan(monorepo), "B602") if f["path"] == "scripts/seed_db.py"]
    assert helper["function"] is None


def test_bandit_thresholds_decide_the_severity(monorepo):
    (monorepo / ".lambda-review.yml").write_text(
        "bandit-thresholds:\n  error: high/high\n  warning: medium/medium\n  notice: off\n")
    report = scan(monorepo)
    assert bandit_findings(report, "B324")[0]["severity"] == "error"        # HIGH/HIGH
    assert bandit_findings(report, "B506")[0]["severity"] == "warning"      # MEDIUM/HIGH
    assert bandit_findings(report, "B404") == []                            # LOW: off


def test_bad_bandit_thresholds_stop_the_run_with_exit_2(monorepo):
    (monorepo / ".lambda-review.yml").write_text("bandit-thresholds:\n  error: severe/high\n")
    err = io.StringIO()
    assert main(["scan", str(monorepo)], stdout=io.StringIO(), stderr=err) == 2
    assert "bandit-thresholds.error" in err.getvalue() and ":2:" in err.getvalue()


def test_fingerprint_survives_lines_added_above_the_finding(monorepo):
    before = bandit_findings(scan(monorepo), "B602")[0]
    app = monorepo / "services/orders/app.py"
    app.write_text('"""Orders."""\n\nimport logging\n\nLOG = logging.getLogger()\n' + app.read_text())
    after = bandit_findings(scan(monorepo), "B602")[0]
    assert after["line"] == before["line"] + 5
    assert after["fingerprint"] == before["fingerprint"]


def test_two_identical_lines_are_two_findings(monorepo):
    app = monorepo / "services/orders/app.py"
    app.write_text(app.read_text() + '\n\ndef again(order_id):\n'
                   '    subprocess.run(f"tar czf /tmp/{order_id}.tgz /tmp/{order_id}", shell=True, check=True)\n')
    findings = bandit_findings(scan(monorepo), "B602")
    assert len(findings) == 2 and len({f["fingerprint"] for f in findings}) == 2


def test_a_symlinked_source_file_is_never_read(monorepo, tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("import subprocess\nsubprocess.call('id', shell=True)\n")
    (monorepo / "services/orders/linked.py").symlink_to(outside)
    report = scan(monorepo)
    assert not [f for f in report["findings"] if f["path"] == "services/orders/linked.py"
                and f["engine"] == "bandit"]


def test_messages_escape_markdown_in_bandit_text(monorepo):
    app = monorepo / "services/orders/app.py"
    app.write_text(app.read_text() + '\nPASSWORD = "hunter2"  # <img src=x onerror=alert(1)>\n')
    [finding] = bandit_findings(scan(monorepo), "B105")
    assert "<img" not in finding["message"]
    assert "hunter2" not in finding["message"] and "value hidden by lambda-review" in finding["message"]


def test_files_spread_over_processes_give_the_same_results_as_one(tmp_path):
    source = ("import subprocess\n\n\ndef run_{n}(cmd):\n    subprocess.call(cmd, shell=True)\n"
              + "\n".join(f"VALUE_{i} = {i}" for i in range(600)) + "\n")
    files = [(f"pkg/mod{n}.py", source.replace("{n}", str(n)).encode()) for n in range(40)]
    assert sum(len(data) for _, data in files) > PARALLEL_MIN_BYTES
    serial = scan_chunk(BanditProfile(), files)
    spread = scan_files(BanditProfile(), files, workers=2)
    assert [(r.path, [(i.test_id, i.line) for i in r.issues]) for r in spread] == \
           [(r.path, [(i.test_id, i.line) for i in r.issues]) for r in sorted(serial, key=lambda r: r.path)]
    assert all(any(i.test_id == "B602" and i.line == 5 for i in r.issues) for r in spread)


def test_hardcoded_password_findings_never_quote_the_password(tmp_path):
    import io as _io
    import json as _json

    from reviewer.cli import main as _main

    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src}\n")
    (tmp_path / "src" / "app.py").write_text(
        'password = "SuperSecret-Value-42"\n\ndef handler(event, context):\n    return connect(password="SuperSecret-Value-43")\n')
    for fmt in ("json", "sarif", "markdown", "text"):
        out = _io.StringIO()
        _main(["scan", str(tmp_path), "--format", fmt, "--fail-on", "never"], stdout=out)
        assert "SuperSecret" not in out.getvalue(), fmt
    out = _io.StringIO()
    _main(["scan", str(tmp_path), "--format", "json", "--fail-on", "never"], stdout=out)
    rules = {f["rule_id"] for f in _json.loads(out.getvalue())["findings"]}
    assert {"bandit/B105", "bandit/B106"} <= rules


def test_a_module_copied_into_two_functions_is_scanned_once_and_reported_at_both_paths(monorepo):
    from reviewer.config import Settings
    from reviewer.content_cache import ContentCache
    from reviewer.scan import scan_checkout

    shutil.copy(monorepo / "services/orders/app.py", monorepo / "services/billing/orders_copy.py")
    billing = monorepo / "services/billing/billing.py"     # shipped: the billing handler imports it
    billing.write_text("import orders_copy\n" + billing.read_text())
    cache = ContentCache()

    result = scan_checkout(monorepo, Settings(osv_url=OFFLINE[1]), cache=cache)

    shell = {finding.path for finding in result.findings if finding.rule_id == "bandit/B602"}
    assert shell == {"services/orders/app.py", "services/billing/orders_copy.py"}
    # Workers start on every non-test file of the code paths while the handlers' imports are
    # followed; the legacy exporter, which no handler imports, is scanned but never reported.
    distinct = {(monorepo / rel).read_text() for rel in (
        "services/orders/app.py", "services/billing/billing.py", "services/billing/legacy_export.py",
        "services/reports/reports.py")}
    assert cache.parses["bandit"] == len(distinct)          # the copy was not scanned again
    assert cache.hits["bandit"] == 0 and len(distinct) == 4
    assert "services/billing/legacy_export.py" in result.left_out   # no handler imports it
    assert not [f for f in result.findings if f.path == "services/billing/legacy_export.py"]


def test_assert_used_skips_match_each_copy_by_its_own_path(monorepo):
    (monorepo / "pyproject.toml").write_text('[tool.bandit.assert_used]\nskips = ["*/billing/*"]\n')
    shutil.copy(monorepo / "services/orders/app.py", monorepo / "services/billing/orders_copy.py")
    billing = monorepo / "services/billing/billing.py"     # shipped: the billing handler imports it
    billing.write_text("import orders_copy\n" + billing.read_text())

    asserts = {finding["path"] for finding in bandit_findings(scan(monorepo), "B101")}

    assert "services/orders/app.py" in asserts
    assert "services/billing/orders_copy.py" not in asserts


def test_a_text_another_scan_is_still_scanning_is_waited_for_not_scanned_again():
    """A review starts the base's bandit while the head's may still run: a handler the change left
    alone is scanned once, and either scan gets its report whichever asks first."""
    from reviewer.analyzers.bandit_engine import _start_by_content
    from reviewer.content_cache import ContentCache

    cache = ContentCache()
    risky = "import subprocess\n\ndef handler(event, context):\n    subprocess.call(event['cmd'], shell=True)\n"
    head = _start_by_content(cache, BanditProfile(), {"src/app.py": risky, "src/other.py": "VALUE = 1\n"})
    base = _start_by_content(cache, BanditProfile(), {"src/app.py": risky})

    base_reports = base()                        # asked first, before the scan that claimed the text
    head_reports = head()

    assert cache.parses["bandit"] == 2 and cache.hits["bandit"] == 1
    assert [issue.test_id for issue in base_reports[0].issues] == ["B404", "B602"]
    assert [report.path for report in head_reports] == ["src/app.py", "src/other.py"]
    assert head_reports[0].issues == base_reports[0].issues and head_reports[1].issues == []


def test_a_failed_bandit_scan_fails_the_scans_waiting_for_it_instead_of_hanging(monkeypatch):
    from reviewer.analyzers import bandit_engine, bandit_workers
    from reviewer.content_cache import ContentCache

    def broken(profile, files):  # type: ignore[no-untyped-def]
        raise MemoryError("bandit ran out of memory")

    monkeypatch.setattr(bandit_workers, "scan_chunk", broken)
    cache = ContentCache()
    first = bandit_engine._start_by_content(cache, BanditProfile(), {"a.py": "x = 1\n"})
    second = bandit_engine._start_by_content(cache, BanditProfile(), {"b.py": "x = 1\n"})
    for waiting in (second, first):
        with pytest.raises(MemoryError):
            waiting()


def test_a_scan_forks_bandits_pool_only_once_the_other_scans_bandit_work_is_done(monkeypatch):
    """A process forked while another thread runs bandit would inherit the locks that thread holds."""
    import threading
    from concurrent.futures import Future

    from reviewer.analyzers import bandit_engine, bandit_workers
    from reviewer.content_cache import ContentCache

    release = threading.Event()
    real_chunk = bandit_workers.scan_chunk

    def chunk(profile, files):  # type: ignore[no-untyped-def]
        if any(rel == "head.py" for rel, _ in files):
            release.wait(10)                     # the head's bandit, still running on its thread
        return real_chunk(profile, files)

    forked_after_head: list[bool] = []

    class Pool:
        """Stands in for the process pool: notes whether the head's report was in when it was made."""

        def __init__(self, max_workers: int, initializer=None) -> None:  # type: ignore[no-untyped-def]
            forked_after_head.append(head_report.done())

        def submit(self, fn, *args):  # type: ignore[no-untyped-def]
            future: Future = Future()
            future.set_result(fn(*args))
            return future

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            return None

    monkeypatch.setattr(bandit_workers, "scan_chunk", chunk)
    monkeypatch.setattr(bandit_workers, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(bandit_workers, "_worker_count", lambda: 2)
    monkeypatch.setattr(bandit_workers, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(bandit_workers, "PARALLEL_MIN_BYTES", 0)
    cache = ContentCache()
    head = bandit_engine._start_by_content(cache, BanditProfile(), {"head.py": "x = 1\n"})   # one file: serial
    [head_report] = cache.in_flight("bandit")
    started: list = []
    base_files = {f"module_{index}.py": f"y = {index}\n" for index in range(6)}
    base = threading.Thread(target=lambda: started.append(
        bandit_engine._start_by_content(cache, BanditProfile(), base_files)))

    base.start()
    base.join(0.3)
    assert forked_after_head == [] and base.is_alive()      # waiting for the head's bandit
    release.set()
    base.join(10)

    assert forked_after_head == [True]
    assert [report.path for report in started[0]()] == sorted(base_files)
    assert [report.path for report in head()] == ["head.py"]


def test_a_scan_that_cannot_start_bandit_fails_its_claims_instead_of_leaving_them_pending(monkeypatch):
    from reviewer.analyzers import bandit_engine
    from reviewer.content_cache import ContentCache

    def unloadable(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ImportError("bandit's plugins could not be loaded")

    monkeypatch.setattr(bandit_engine, "start_scan", unloadable)
    cache = ContentCache()
    with pytest.raises(ImportError):
        bandit_engine._start_by_content(cache, BanditProfile(), {"a.py": "x = 1\n"})
    assert cache.in_flight("bandit") == []                  # a later scan would not wait on it


def test_a_message_is_rendered_once_per_distinct_issue_and_shared(monorepo, monkeypatch):
    """Identical issues (the same line twice in a file, a module's copies) share one message: the
    template renders once per distinct (text, test, severity, confidence, CWE, owners)."""
    from reviewer.analyzers import bandit_words
    from reviewer.config import Settings
    from reviewer.scan import scan_checkout

    rendered: list[str] = []
    render = bandit_words.finding_message

    def counted(family: str, name: str, **values: object) -> str:
        rendered.append(name)
        return render(family, name, **values)

    monkeypatch.setattr(bandit_words, "finding_message", counted)
    app = monorepo / "services/orders/app.py"
    line = '    subprocess.run(f"tar czf /tmp/{order_id}.tgz /tmp/{order_id}", shell=True, check=True)\n'
    app.write_text(app.read_text() + "\n\ndef again(order_id):\n" + line + line + line)

    findings = [f for f in scan_checkout(monorepo, Settings(osv_url=OFFLINE[1])).findings if f.engine == "bandit"]

    shell = [f for f in findings if f.rule_id == "bandit/B602"]
    assert len(shell) == 4 and len({f.fingerprint for f in shell}) == 4
    assert len({id(f.message) for f in shell}) == 1 and len({id(f.title) for f in shell}) == 1
    distinct = {(f.rule_id, f.message) for f in findings}
    assert rendered.count("issue") == len(distinct) < len(findings)


CYCLIC = "import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return [x for x in cmd]\n"


def _garbage_left_after(files):  # type: ignore[no-untyped-def]
    """In a worker: scan, then count what a collection still finds (bandit's trees are cycles)."""
    import gc

    reports = scan_chunk(BanditProfile(), files)
    return len(reports), gc.collect()


def test_a_worker_collects_the_files_syntax_trees_as_it_goes():
    """bandit's trees link each node to its parent; a worker collects them every few files, so
    they never pile up between the collector's own rounds (each worker grew by 26 MB before)."""
    from concurrent.futures import ProcessPoolExecutor

    from reviewer.analyzers import bandit_workers

    every = bandit_workers.COLLECT_EVERY_FILES
    with ProcessPoolExecutor(max_workers=1, initializer=bandit_workers._prepare_worker) as pool:
        few = pool.submit(_garbage_left_after, [(f"pkg/a{n}.py", CYCLIC) for n in range(every)]).result()
        many = pool.submit(_garbage_left_after, [(f"pkg/b{n}.py", CYCLIC) for n in range(3 * every)]).result()
    # What is left is the chunk's own (its bandit manager), however many files it had: the files'
    # trees (about 60 objects each here) were collected every few files.
    assert few[0] == every and many[0] == 3 * every and many[1] == few[1] < 30


def _bandit_left_to_the_collector() -> bool:
    """In a worker: whether the collector still walks bandit's modules (their dictionaries)."""
    import gc
    import sys

    namespace = sys.modules["bandit.core.manager"].__dict__
    return any(tracked is namespace for tracked in gc.get_objects())


def test_a_worker_loads_bandit_before_it_hides_what_it_holds_from_the_collector():
    """A worker loads bandit itself, then freezes: loaded after the freeze, bandit's and rich's
    modules were walked by every collection the worker makes every few files."""
    from concurrent.futures import ProcessPoolExecutor

    from reviewer.analyzers import bandit_workers

    with ProcessPoolExecutor(max_workers=1, initializer=bandit_workers._prepare_worker) as pool:
        assert pool.submit(_bandit_left_to_the_collector).result() is False


def test_the_review_process_does_not_collect_after_each_file(monkeypatch):
    """In the review's own process a collection walks every template and tree it holds."""
    import gc

    collections: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(1) or 0)
    scan_chunk(BanditProfile(), [(f"m{n}.py", CYCLIC) for n in range(3)])
    assert collections == []


def test_each_issue_comes_back_with_its_line_from_a_text_or_bytes():
    source = "import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd,   shell=True)  # caf\u00e9\n"
    for content in (source, source.encode()):
        [report] = scan_chunk(BanditProfile(), [("app.py", content)])
        [issue] = [i for i in report.issues if i.test_id == "B602"]
        assert issue.line == 5 and issue.code_line == "    subprocess.call(cmd,   shell=True)  # caf\u00e9"


def test_a_chunk_whose_reports_are_in_lets_its_files_go():
    from concurrent.futures import Future

    from reviewer.analyzers.bandit_dispatch import ChunkDispatch

    class Pool:
        """Answers a.py's chunk; b.py's worker dies."""

        def submit(self, fn, files):  # type: ignore[no-untyped-def]
            future: Future = Future()
            if files[0][0] == "a.py":
                future.set_result([])
            else:
                future.set_exception(OSError("the worker died"))
            return future

    chunks: list = [[("a.py", "x = 1\n")], [("b.py", "y = 2\n")]]
    dispatch = ChunkDispatch(Pool(), len, (), chunks, limit=2)  # type: ignore[arg-type]
    dispatch.start()
    assert dispatch.futures[0].result() == [] and isinstance(dispatch.futures[1].exception(), OSError)
    assert dispatch.chunk(0) == [] and dispatch.chunk(1) == [("b.py", "y = 2\n")]


def test_only_the_chunk_of_a_failed_worker_is_scanned_again_here(monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from reviewer.analyzers import bandit_workers

    here: list[list[str]] = []
    real_chunk = bandit_workers.scan_chunk

    def chunk(profile, files):  # type: ignore[no-untyped-def]
        here.append([rel for rel, _ in files])
        return real_chunk(profile, files)

    class Pool:
        """Stands in for the process pool: the worker given b.py dies."""

        def __init__(self, max_workers: int, initializer=None) -> None:  # type: ignore[no-untyped-def]
            pass

        def submit(self, fn, profile, files):  # type: ignore[no-untyped-def]
            future: Future = Future()
            if any(rel == "b.py" for rel, _ in files):
                future.set_exception(BrokenProcessPool("a worker died"))
            else:
                future.set_result(real_chunk(profile, files))
            return future

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            return None

    monkeypatch.setattr(bandit_workers, "scan_chunk", chunk)
    monkeypatch.setattr(bandit_workers, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(bandit_workers, "_take_prestarted", lambda: None)
    monkeypatch.setattr(bandit_workers, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(bandit_workers, "PARALLEL_MIN_BYTES", 0)
    files = [(name, CYCLIC) for name in ("a.py", "b.py", "c.py", "d.py")]

    reports = bandit_workers.start_scan(BanditProfile(), files, workers=2)()

    assert [report.path for report in reports] == ["a.py", "b.py", "c.py", "d.py"]
    assert all(any(issue.test_id == "B602" for issue in report.issues) for report in reports)
    assert here == [["b.py", "d.py"]]          # b.py's chunk, dealt round-robin: not every file
