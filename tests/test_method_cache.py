"""The compiled methods of dataclasses are kept between runs, behave as freshly compiled ones, and
are never read from a file another user could write or from the checkout under review
(reviewer/method_cache.py, reviewer/cache_directory.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from reviewer.cache_directory import CACHE_DIR_VARIABLE
from reviewer.method_cache import file_name

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sam-app"

# The `lambda-review` executable in a new interpreter; how many methods it took from the cache.
COUNTED_RUN = textwrap.dedent("""
    import json, sys
    from reviewer import method_cache
    from reviewer.cli import command
    sys.argv = ["lambda-review", *sys.argv[1:]]
    code = command()
    print(json.dumps({"served": method_cache.served(), "code": code}), file=sys.stderr)
""")

# Dataclasses of every kind the package uses, made and exercised after `install`.
DATACLASS_RUN = textwrap.dedent("""
    import json, sys
    from reviewer import method_cache
    installed = method_cache.install()
    from dataclasses import dataclass, field, FrozenInstanceError

    @dataclass(frozen=True, order=True)
    class Place:
        path: str
        line: int = 0
        tags: tuple = ()

    @dataclass
    class Holder:
        name: str
        items: list = field(default_factory=list)
        note: str = field(default="", compare=False, repr=False)

    a, b = Place("a.py", 3), Place("a.py", 3, ("x",))
    try:
        a.line = 4
        frozen = False
    except FrozenInstanceError:
        frozen = True
    h = Holder("h")
    h.items.append(1)
    facts = [repr(a), a == Place("a.py", 3), a < b, hash(a) == hash(Place("a.py", 3)), frozen, repr(h),
             h == Holder("h", [1], note="other"), Holder("k").items is not Holder("k").items]
    print(json.dumps({"installed": installed, "saved": method_cache.save(), "served": method_cache.served(),
                      "facts": facts}))
""")


def _scan(cache: Path, target: Path = EXAMPLE) -> tuple[str, dict]:
    env = {**os.environ, CACHE_DIR_VARIABLE: str(cache)}
    completed = subprocess.run([sys.executable, "-c", COUNTED_RUN, "scan", str(target), "--format", "json",
                                "--reference-date", "2026-01-01", "--fail-on", "never", "--audit", "off"],
                               capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    return completed.stdout, json.loads(completed.stderr.splitlines()[-1])


def _dataclasses(cache: Path) -> dict:
    env = {**os.environ, CACHE_DIR_VARIABLE: str(cache)}
    completed = subprocess.run([sys.executable, "-c", DATACLASS_RUN], capture_output=True, text=True, check=True,
                               env=env, cwd=ROOT, timeout=60)
    return json.loads(completed.stdout.splitlines()[-1])


def test_a_second_run_takes_the_methods_from_the_cache_and_reports_the_same(tmp_path):
    cache = tmp_path / "cache"
    first_report, first = _scan(cache)
    assert first == {"served": 0, "code": 0}
    assert (cache / file_name()).stat().st_mode & 0o077 == 0        # private to this user
    second_report, second = _scan(cache)
    assert second["served"] >= 100 and second["code"] == 0         # the pipeline's dataclasses, none compiled
    assert second_report == first_report
    off_report, off = _scan(Path("off"))
    assert off["served"] == 0 and off_report == first_report


def test_methods_from_the_cache_behave_as_freshly_compiled_ones(tmp_path):
    cache = tmp_path / "cache"
    compiled = _dataclasses(cache)
    # Python 3.11 and 3.12 compile each method alone; 3.13 a class's methods in one text.
    assert compiled["installed"] and compiled["served"] == 0 and compiled["saved"] >= 2
    served = _dataclasses(cache)
    assert served["served"] == compiled["saved"] and served["saved"] == 0
    assert served["facts"] == compiled["facts"]
    assert compiled["facts"] == ["Place(path='a.py', line=3, tags=())", True, True, True, True,
                                 "Holder(name='h', items=[1])", True, True]


def test_a_file_others_may_write_a_directory_in_its_place_or_a_damaged_file_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    _dataclasses(cache)
    stored = cache / file_name()
    stored.chmod(0o666)
    assert _dataclasses(cache)["served"] == 0                        # writable by others: compiled again
    stored.unlink()
    stored.mkdir()
    assert _dataclasses(cache)["served"] == 0                        # no file to read, none can be written
    stored.rmdir()
    stored.write_bytes(b"\xe3not marshal data")
    stored.chmod(0o600)
    damaged = _dataclasses(cache)
    assert damaged["served"] == 0 and damaged["saved"] >= 2
    assert _dataclasses(cache)["served"] == damaged["saved"]           # written whole again


def test_no_cache_inside_the_checkout_under_review(tmp_path):
    checkout = tmp_path / "repo"
    checkout.mkdir()
    (checkout / "template.yaml").write_text((EXAMPLE / "template.yaml").read_text())
    planted = checkout / ".cache"
    planted.mkdir(mode=0o700)
    _, run = _scan(planted, checkout)
    assert run == {"served": 0, "code": 0}
    assert list(planted.iterdir()) == []


def test_the_image_build_leaves_no_method_for_a_run_to_compile(tmp_path):
    """`python -m reviewer.template_warmup` (the Dockerfile) imports every module with the cache
    installed: a scan after it compiles nothing, so it writes nothing back."""
    cache = tmp_path / "cache"
    env = {**os.environ, CACHE_DIR_VARIABLE: str(cache)}
    completed = subprocess.run([sys.executable, "-m", "reviewer.template_warmup"], capture_output=True, text=True,
                               env=env, cwd=ROOT, check=True, timeout=300)
    assert "compiled dataclass methods" in completed.stdout
    stored = cache / file_name()
    before = stored.stat()
    _, run = _scan(cache)
    assert run["served"] >= 100
    after = stored.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)


def test_a_bandit_worker_keeps_what_it_compiled(tmp_path):
    """bandit's worker processes import bandit and rich after the fork, and never reach the end of
    a run's `save`: each saves what it compiled once bandit is loaded, so the next run's workers
    compile nothing."""
    cache = tmp_path / "cache"
    env = {**os.environ, CACHE_DIR_VARIABLE: str(cache)}
    worker = ("from reviewer import method_cache\nmethod_cache.install()\n"
              "from reviewer.analyzers.bandit_workers import _prepare_worker\n_prepare_worker()\n")
    subprocess.run([sys.executable, "-c", worker], check=True, env=env, cwd=ROOT, timeout=120)
    later = ("import json\nfrom reviewer import method_cache\nmethod_cache.install()\n"
             "from reviewer.analyzers.bandit_plugins import load_bandit\nload_bandit()\n"
             "print(json.dumps([method_cache.served(), method_cache.save()]))\n")
    completed = subprocess.run([sys.executable, "-c", later], capture_output=True, text=True, check=True, env=env,
                               cwd=ROOT, timeout=120)
    served, saved = json.loads(completed.stdout.splitlines()[-1])
    assert served > 0 and saved == 0
