"""bandit's plugins, loaded once per process, and what their metadata says (documentation links).

Both the engine that runs bandit (`bandit_engine.py`) and `explain bandit/BXXX` (`bandit_advice.py`)
need bandit loaded the same quiet way and its documentation link for a test; kept here, apart from
both, so neither imports the other for it. bandit is imported only when one of these is called.
"""

from __future__ import annotations

import functools
import logging
import threading
import warnings

# bandit's `get_url` rewrites a blacklist entry's name while it builds the link (restored by
# `doc_url`); a scan on another thread of the process reads that name (`blacklist_name`).
_BLACKLIST_ENTRIES = threading.Lock()


def load_bandit() -> None:
    """Import bandit quietly: its plugin loader passes stevedore a deprecated argument on import."""
    logging.getLogger("bandit").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from bandit.core import extension_loader  # noqa: F401 - loads the plugins once per process


@functools.lru_cache(maxsize=None)
def doc_url(test_id: str) -> str | None:
    """bandit's `more_info` URL of a test (get_url rewrites the blacklist entry's name: restored)."""
    try:
        load_bandit()
        from bandit.core import docs_utils, extension_loader

        with _BLACKLIST_ENTRIES:
            entry = extension_loader.MANAGER.blacklist_by_id.get(test_id)
            saved = dict(entry) if entry is not None else None
            try:
                return str(docs_utils.get_url(test_id))
            finally:
                if entry is not None and saved is not None:
                    entry.clear()
                    entry.update(saved)
    except Exception:  # noqa: BLE001 - a missing doc link must not cost the finding
        return None


def blacklist_name(test_id: str, default: str) -> str:
    """The name of a blacklist test (B3xx, B4xx: `subprocess`, `pickle`), `default` for the others."""
    from bandit.core import extension_loader

    with _BLACKLIST_ENTRIES:
        entry = extension_loader.MANAGER.blacklist_by_id.get(test_id)
        return str(entry.get("name", default)) if entry is not None else default
