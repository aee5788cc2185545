"""Session-wide guards shared by every test module."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def no_internet_for_http_clients():
    """The suite needs no network: HTTP(S) to anything but the loopback stand-ins fails at once.

    Scans of fixtures with pinned dependencies run pip-audit for real; without this, those that do
    not name a loopback OSV stand-in would ask api.osv.dev. requests (pip-audit, PyGithub) honours
    these variables (pip-audit's client reads them at each request): the audit then reports LR900.
    """
    names = [case(name) for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
             for case in (str.upper, str.lower)]
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = "127.0.0.1,localhost" if name.lower() == "no_proxy" else "http://127.0.0.1:9"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True, scope="session")
def template_cache_of_the_session(tmp_path_factory):
    """Compiled templates (reviewer/template_cache.py) go to a directory of this session, for the
    test process and the commands it starts, not to the home of whoever runs the suite."""
    saved = os.environ.get("LAMBDA_REVIEW_CACHE_DIR")
    os.environ["LAMBDA_REVIEW_CACHE_DIR"] = str(tmp_path_factory.mktemp("template-cache"))
    yield
    if saved is None:
        os.environ.pop("LAMBDA_REVIEW_CACHE_DIR", None)
    else:
        os.environ["LAMBDA_REVIEW_CACHE_DIR"] = saved


@pytest.fixture
def osv():
    """A loopback OSV stand-in serving real advisory records, for one test; the audit engine's
    remembered answers are forgotten before and after, so each test counts its own queries."""
    from osv_standin import OsvStandin, RunningOsv

    from reviewer.analyzers import pip_audit_engine

    pip_audit_engine.forget_results()
    with RunningOsv(OsvStandin()) as running:
        yield running
    pip_audit_engine.forget_results()
