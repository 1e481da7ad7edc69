"""Putting a batch's files on disk so that a reader never sees half of one.

Each file is written under a fresh temporary name in the batch folder, flushed to the disk,
and only then put in place under its final name (atomically, never over a file someone else
wrote). The manifest goes last, so a folder with a manifest has every file the manifest lists.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from leaddesk.errors import InputError
from leaddesk.files import writing as output_files
from leaddesk.handoff.progress import Cancelled, HandoffCancelled, never_cancelled

Checkpoint = Callable[[str], None]
TEMP_SUFFIX = ".tmp"
WHAT = "an export"


def no_checkpoint(_step: str) -> None:
    """Production runs pass through; tests inject failures at each named step."""


def is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def make_folder(folder: Path) -> None:
    """The batch folder, in a folder no one else can change (see output_files.py)."""
    output_files.make_folder(folder.parent, WHAT)
    output_files.make_folder(folder, WHAT)


def _in_the_way(target: Path, digest: str, replaceable: str | None) -> bool:
    """Whether a file at ``target`` stops us writing the file of SHA-256 ``digest`` there:
    anything but a plain file that already holds it (this batch, written by a run that was
    killed) or whose SHA-256 is ``replaceable`` (this batch's file as it was last written)."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(found.st_mode):
        return True
    with open(target, "rb") as held:
        found_digest = hashlib.sha256(held.read()).hexdigest()
    return found_digest not in (digest, replaceable)


def write_atomically(
    folder: Path,
    files: Mapping[str, bytes],
    *,
    checkpoint: Checkpoint = no_checkpoint,
    cancelled: Cancelled = never_cancelled,
    on_file: Callable[[str], None] = lambda _name: None,
    replaceable: Mapping[str, str] | None = None,
    placed: list[Path] | None = None,
    digests: Mapping[str, str] | None = None,
) -> None:
    """Write every file under a temporary name, fsync, then put each in place in order.

    Never replaces a file this batch did not write: a file already there must hold the same
    bytes (left by a killed run of this batch) or have the SHA-256 ``replaceable`` gives for
    its name; anything else is refused before a byte is written. ``digests`` are the files'
    SHA-256s where the caller has them. Temporary files never
    outlive the call. The files put in place are added to ``placed``; they stay if a later
    step fails, and the caller decides whether the batch is finished or abandoned.
    """
    make_folder(folder)
    replaceable = replaceable or {}
    digests = digests or {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    temps: dict[str, Path] = {}
    try:
        for name in files:
            if _in_the_way(folder / name, digests[name], replaceable.get(name)):
                raise output_files.FileInTheWay(
                    f"{folder / name} is there already and this export did not write it; move "
                    "it away, or export to another folder (--out)",
                    folder / name,
                )
        for name, data in files.items():
            if cancelled():
                raise HandoffCancelled()
            checkpoint(f"write:{name}")
            handle, temps[name] = output_files.new_temporary(folder, name, TEMP_SUFFIX)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                checkpoint(f"fsync:{name}")
                os.fsync(out.fileno())
            on_file(name)
        for name, temp in temps.items():
            checkpoint(f"rename:{name}")
            target = folder / name
            if not os.path.lexists(target):
                output_files.place(temp, target, WHAT)
            elif _in_the_way(target, digests[name], replaceable.get(name)):
                raise output_files.taken(target, WHAT)  # appeared meanwhile
            else:
                os.replace(temp, target)  # our own file, the same or an earlier write
            if placed is not None:
                placed.append(target)
        checkpoint("sync-folder")
        output_files.sync_folder(folder)
    except OSError as exc:
        raise InputError(f"Cannot write the handoff files in {folder}: {exc}") from exc
    finally:
        for temp in temps.values():
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)


def remove_files(folder: Path, placed: list[Path]) -> None:
    """Take away the files a failed export put in place in ``folder`` (and the folder if now
    empty); nothing else in it is touched."""
    for path in placed:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    remove_stale_temps(folder, [path.name for path in placed])
    with contextlib.suppress(OSError):
        folder.rmdir()  # only succeeds when empty: never takes anything else with it


def remove_stale_temps(folder: Path, names: list[str]) -> None:
    """Temporary files a killed export of these files left behind (and no one else's)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if is_temp(path) and any(path.name.startswith(f".{name}.") for name in names):
            with contextlib.suppress(OSError):
                path.unlink()
