"""The ``run_cli`` fixture: ``leaddesk …`` run through ``leaddesk.cli.main`` in the test's own
process, answering as ``subprocess.run`` does. A start-up of the real command costs more than
most commands; tests/end2end keeps the few things only a real process proves.

Each call behaves as a fresh process would: its own environment, working folder and stdin (a
pipe, never a terminal), and nothing it set up survives it: the log handler it added, the engines
(and their pooled connections) it opened, a SIGINT handler it left behind. The per-user folders
(settings, store, logs) point into the test's temporary folder, as ``HOME`` would for a process
started by a test that cares. Module-level caches in the core are pure (parsed phone numbers,
built statements, holiday calendars), so they are kept: sharing them is what makes this fast.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import Connection, Engine, event

from leaddesk.cli import main

# The folders platformdirs reads on Linux (macOS and Windows derive theirs from HOME/APPDATA).
USER_FOLDERS = {
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_STATE_HOME": "state",
    "XDG_CACHE_HOME": "cache",
    "APPDATA": "appdata",
    "LOCALAPPDATA": "localappdata",
}


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    # A text stream with a .buffer, as sys.stdout has (CSV output writes bytes to it).
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8").replace("\r\n", "\n")


@contextmanager
def _environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    saved = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    # The C library reads TZ once; a process started with it would see it from the start.
    if "TZ" in changes:
        time.tzset()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        if "TZ" in changes:
            time.tzset()


@contextmanager
def _working_folder(cwd: str | Path | None) -> Iterator[None]:
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _engines_disposed() -> Iterator[None]:
    """Every engine the command connects is disposed when it returns, as a process exit would
    close its connections (a pooled SQLite connection would otherwise hold the file)."""
    opened: weakref.WeakSet[Engine] = weakref.WeakSet()

    def seen(connection: Connection) -> None:
        opened.add(connection.engine)

    event.listen(Engine, "engine_connect", seen)
    try:
        yield
    finally:
        event.remove(Engine, "engine_connect", seen)
        for engine in list(opened):
            engine.dispose()


@contextmanager
def _logging_restored() -> Iterator[None]:
    """The command's log handler goes with it: the next command (and the next test) logs to
    its own folder, as a new process would."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


@contextmanager
def _interrupt_handler_restored() -> Iterator[None]:
    before = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


class CliResult(subprocess.CompletedProcess[str]):
    """What ``subprocess.run`` gives, that also reads as the triple ``(code, out, err)``:
    ``code, out, err = run_cli(…)`` or ``run_cli(…)[0]``."""

    def _triple(self) -> tuple[int, str, str]:
        return (self.returncode, self.stdout, self.stderr)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._triple())

    def __getitem__(self, index: int) -> Any:
        return self._triple()[index]


class RunCli:
    """``run_cli(*args, db=…, env=…, cwd=…, input=…)``: a ``CompletedProcess`` of
    ``leaddesk [--db DB] ARGS…`` (argparse's usage errors included: exit 2). ``env`` changes
    the environment for this command only (None removes a variable); ``input`` is what a
    script pipes in; ``stdin`` replaces the pipe (e.g. a stand-in for a terminal)."""

    def __call__(
        self,
        *args: str | Path,
        db: str | Path | None = None,
        env: Mapping[str, str | None] | None = None,
        cwd: str | Path | None = None,
        input: str | None = None,
        stdin: IO[str] | None = None,
    ) -> CliResult:
        argv = [str(a) for a in args]
        if db is not None:
            argv = ["--db", str(db), *argv]
        out, err = _stream(), _stream()
        if stdin is None:  # a pipe holding ``input``, as a script gives a command
            stdin = _stream((input or "").encode("utf-8"))
        saved_stdin = sys.stdin
        with (
            _environment(env or {}),
            _working_folder(cwd),
            _logging_restored(),
            _engines_disposed(),
            _interrupt_handler_restored(),
            redirect_stdout(out),
            redirect_stderr(err),
        ):
            sys.stdin = stdin
            try:
                code = main(argv)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            finally:
                sys.stdin = saved_stdin
        return CliResult(argv, code, _text(out), _text(err))


def isolate_user_folders(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Settings, the per-user store and logs under ``root``, not the developer's own."""
    monkeypatch.setenv("HOME", str(root))
    for name, folder in USER_FOLDERS.items():
        monkeypatch.setenv(name, str(root / folder))


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> RunCli:
    isolate_user_folders(monkeypatch, tmp_path / "home")
    return RunCli()
