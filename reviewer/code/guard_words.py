"""Names that say a condition can stop a write: the loop check's words, for Python and JavaScript alike."""

from __future__ import annotations

import re

# A comparison of a name holding one of these can stop the write it guards (a warning, not an error);
# the time words bound a poll that re-queues itself until it gives up (`if (elapsed < timeout)`).
GUARD_WORDS = re.compile(
    r"depth|hop|level|recurs|generation|iteration|attempt|retr|remaining|count|ttl|round|processed|marker|"
    r"checksum|etag|hash|status|state|already|done|limit|max|metadata|optimi[sz]ed|tagging|eventname|"
    r"timeout|deadline|elapsed|duration", re.I)
# A Lambda invoke whose payload carries one of these counts its own depth: the loop is bounded.
DEPTH_WORDS = re.compile(r"depth|hop|level|recurs|generation|iteration|attempt|remaining|count|ttl|round", re.I)
