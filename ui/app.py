"""The ``leaddesk`` entry point: headless commands go to the core, the rest opens the window."""

from __future__ import annotations

import argparse
import os
import sys

from leaddesk import cli
from leaddesk.errors import InputError


def open_window(args: argparse.Namespace) -> int:
    # The desk is imported here, not at the top: `leaddesk --version` and the headless commands
    # start without it.
    from leaddesk.desk import missing_library_message, require_window_platform

    # Before Qt is asked for a platform: a missing library is named with its package, where
    # Qt would abort the process naming at most one of them.
    require_window_platform(os.environ)
    # Qt is imported only when a window is really wanted, so scripted commands start fast.
    try:
        from ui.launch import launch
    except ImportError as exc:
        said = missing_library_message(exc)
        if said is None:
            raise
        raise InputError(said) from exc
    return launch(args)


def main() -> int:
    return cli.main(sys.argv[1:], open_window=open_window)


if __name__ == "__main__":
    # In the bundled app a helper process (an import's row cleaning) starts as another copy of
    # this program; this hands it to its task instead of opening a second LeadDesk.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
