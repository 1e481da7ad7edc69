"""`leaddesk …` run through `leaddesk.cli.main` in the test's own process, answering as
`subprocess.run` does: a start-up of the real command costs more than most commands."""

from __future__ import annotations

import io
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from leaddesk.cli import main


def _stream() -> io.TextIOWrapper:
    # A text stream with a .buffer, as sys.stdout has (CSV output writes bytes to it).
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8").replace("\r\n", "\n")


def run_main(db: str | Path, *args: str) -> subprocess.CompletedProcess[str]:
    """(exit code, stdout, stderr) of `leaddesk --db DB ARGS…`, as the real command gives them
    (argparse's usage errors included: exit 2)."""
    out, err = _stream(), _stream()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(list(args), code, _text(out), _text(err))
