"""`python -m kapprep` runs the same entry point as the `kapprep` command."""

import sys

from kapprep.cli import main

sys.exit(main())
