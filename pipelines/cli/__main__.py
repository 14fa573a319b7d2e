"""`python -m pipelines.cli`: the `dv` command."""

import sys

from pipelines.cli import main

sys.exit(main())
