"""The exit statuses every face of the tool returns (CLI, action, account mode).

Branch protection and CI read them: 0 the review ran and found nothing at or above `fail-on`,
1 it found something at or above `fail-on`, 2 it could not run as asked (usage, settings,
a revision or path that does not exist). A traceback is never an exit status.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
