"""The ``leaddesk`` entry point: headless commands go to the core, the rest opens the window."""

from __future__ import annotations

import argparse
import sys

from leaddesk import cli


def open_window(args: argparse.Namespace) -> int:
    # Qt is imported only when a window is really wanted, so scripted commands start fast.
    from ui.launch import launch

    return launch(args)


def main() -> int:
    return cli.main(sys.argv[1:], open_window=open_window)


if __name__ == "__main__":
    sys.exit(main())
