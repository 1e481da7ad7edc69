"""The ``leaddesk`` entry point: headless commands go to the core, the rest opens the window."""

from __future__ import annotations

import argparse
import multiprocessing
import sys

from leaddesk import cli


def open_window(args: argparse.Namespace) -> int:
    # Qt is imported only when a window is really wanted, so scripted commands start fast.
    from ui.launch import launch

    return launch(args)


def main() -> int:
    return cli.main(sys.argv[1:], open_window=open_window)


if __name__ == "__main__":
    # In the bundled app a helper process (an import's row cleaning) starts as another copy of
    # this program; this hands it to its task instead of opening a second LeadDesk.
    multiprocessing.freeze_support()
    sys.exit(main())
