"""``python -m symdiff``: the command line."""

import sys

from symdiff.cli import command

sys.exit(command())
