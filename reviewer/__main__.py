"""`python -m reviewer` is the same as the `lambda-review` command.

`python -m` puts the current directory first on the import path. Run from inside the repository
under review, that would let a file the pull request adds (`yaml.py`, `jinja2/`) stand in for a
library this process imports later, and run. The entry is dropped before anything else is
imported: this package itself was found before this line ran (docs/command-line.md says to run
`lambda-review`, or `python -P -m reviewer`, from outside the repository).
"""

import os
import sys

try:
    _here: str | None = os.getcwd()
except OSError:                  # the directory was removed: nothing can be imported from it
    _here = None
if _here is not None and not sys.flags.safe_path and sys.path and os.path.abspath(sys.path[0] or _here) == _here:
    del sys.path[0]

from reviewer.cli import command  # noqa: E402 - only once the directory above is off the path

sys.exit(command())
