"""Putting a batch's files on disk so that a reader never sees half of one.

Each file is written under a temporary name in the batch folder, flushed to the disk, and
only then renamed over its final name (a rename within one folder is atomic). The manifest
goes last, so a folder with a manifest has every file the manifest lists.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

from leaddesk.errors import InputError
from leaddesk.handoff.progress import Cancelled, HandoffCancelled, never_cancelled

Checkpoint = Callable[[str], None]
TEMP_SUFFIX = ".tmp"


def no_checkpoint(_step: str) -> None:
    """Production runs pass through; tests inject failures at each named step."""


def temp_name(name: str, token: str) -> str:
    return f".{name}.{token}{TEMP_SUFFIX}"


def is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def _fsync_folder(folder: Path) -> None:
    # Makes the renames themselves durable; folders cannot be opened this way on Windows.
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create the folder {folder}: {exc.strerror or exc}") from exc


def write_atomically(
    folder: Path,
    files: Mapping[str, bytes],
    *,
    checkpoint: Checkpoint = no_checkpoint,
    cancelled: Cancelled = never_cancelled,
    on_file: Callable[[str], None] = lambda _name: None,
) -> None:
    """Write every file under a temporary name, fsync, then rename each into place in order.

    Temporary files never outlive the call. Files already renamed stay if a later step
    fails; the caller decides whether the batch is finished or abandoned.
    """
    make_folder(folder)
    token = secrets.token_hex(6)
    temps: dict[str, Path] = {}
    try:
        for name, data in files.items():
            if cancelled():
                raise HandoffCancelled()
            temp = folder / temp_name(name, token)
            temps[name] = temp
            checkpoint(f"write:{name}")
            with open(temp, "xb") as handle:
                handle.write(data)
                handle.flush()
                checkpoint(f"fsync:{name}")
                os.fsync(handle.fileno())
            on_file(name)
        for name, temp in temps.items():
            checkpoint(f"rename:{name}")
            os.replace(temp, folder / name)
        checkpoint("sync-folder")
        _fsync_folder(folder)
    except OSError as exc:
        raise InputError(f"Cannot write the handoff files in {folder}: {exc}") from exc
    finally:
        for temp in temps.values():
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)


def remove_files(folder: Path, names: list[str]) -> None:
    """Take a batch's files away again (an abandoned batch), and the folder if now empty."""
    for name in names:
        with contextlib.suppress(OSError):
            (folder / name).unlink(missing_ok=True)
    remove_stale_temps(folder)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only succeeds when empty: never takes anything else with it


def remove_stale_temps(folder: Path) -> None:
    """Temporary files a killed export left behind."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if is_temp(path):
            with contextlib.suppress(OSError):
                path.unlink()
