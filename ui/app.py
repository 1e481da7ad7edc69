"""The ``leaddesk`` entry point: headless commands go to the core, the rest opens the window."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

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


# Collections of the young objects every N allocations: a command imports ~500 modules, and
# with Python's default (700) the collector ran hundreds of times while they loaded. Cycles a
# long import or export leaves are still collected, a few thousand objects later.
START_UP_GC_THRESHOLD = 20_000


def run() -> NoReturn:
    """The installed ``leaddesk`` program: ``main``, then, for a command, an exit that skips
    the interpreter's own teardown (freeing every module's objects one by one took ~0.1 s of
    a 0.6 s command). Nothing is lost by it: the command has closed its store and files; its
    threads are waited for and the exit hooks (the log's handlers among them) run first, and
    what was printed is flushed. The window exits as Python does."""
    gc.set_threshold(START_UP_GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        code = main()
    except SystemExit as stop:  # argparse's --help, --version and usage errors
        code = _status(stop.code)
    if "PySide6" in sys.modules:
        sys.exit(code)
    leave(code)


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` gives."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def leave(code: int) -> NoReturn:
    for thread in threading.enumerate():
        if not thread.daemon and thread is not threading.current_thread():
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader stopped listening (`leaddesk queue | head`): as a normal exit
        except (OSError, ValueError):
            code = code or 120  # what Python exits with when it cannot flush stdout
    os._exit(code)


if __name__ == "__main__":
    # In the bundled app a helper process (an import's row cleaning) starts as another copy of
    # this program; this hands it to its task instead of opening a second LeadDesk.
    import multiprocessing

    multiprocessing.freeze_support()
    run()
