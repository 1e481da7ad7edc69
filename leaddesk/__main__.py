"""``python -m leaddesk``: the headless commands (the window needs the ``leaddesk`` command)."""

import sys

from leaddesk.cli import main

sys.exit(main())
