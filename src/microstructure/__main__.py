"""Allow ``python -m microstructure``."""

import sys

from microstructure.cli import main

sys.exit(main())
