"""`python -m reviewer` is the same as the `lambda-review` command."""

import sys

from reviewer.cli import command

sys.exit(command())
