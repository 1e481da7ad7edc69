"""Putting a file the user asked for (a backup, a hand-off batch) on disk without harming
anything else there.

* A new file only: never over a file that is there, nor over a link planted in its place.
* Written under a fresh temporary name (``tempfile.mkstemp``: O_EXCL, so a planted link is
  never followed), flushed to the disk, then *linked* to its name, which fails rather than
  replaces if someone took the name meanwhile; the temporary name goes away either way.
* Only into a folder no one else can change. Refused: a folder anyone may write to
  (world-writable, sticky /tmp-like folders included), a group-writable folder that is not
  the user's own, and a folder owned by another user (root exporting into someone's home).
  Folders on Windows are guarded by ACLs, not by these bits, and are not checked there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from leaddesk.errors import InputError

# A file system without hard links (FAT, some network shares) says one of these to link().
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV}


class FileInTheWay(InputError):
    """The name a file was to take is taken (by a file, a folder or a link)."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def taken(path: Path, what: str) -> FileInTheWay:
    return FileInTheWay(
        f"{path} already exists, and {what} never overwrites one; give a new name or move "
        "that file away",
        path,
    )


def _owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def check_folder(folder: Path, what: str) -> None:
    """Refuse ``folder`` (with a message naming it) if someone else could change what is
    in it: swap a file for a link, or take a name before we do."""
    try:
        found = os.stat(folder)
    except FileNotFoundError:
        raise InputError(f"{folder}: no such folder") from None
    except OSError as exc:
        raise InputError(f"{folder}: cannot look at it ({exc.strerror or exc})") from None
    if not stat.S_ISDIR(found.st_mode):
        raise InputError(f"{folder} is a file, not a folder; name a folder for {what}")
    if os.name != "posix":
        return
    me = os.geteuid()
    advice = f"{what} goes only into a folder of your own; choose another (or make one)"
    if found.st_mode & stat.S_IWOTH:
        shared = " (like /tmp)" if found.st_mode & stat.S_ISVTX else ""
        raise InputError(f"{folder}: anyone on this computer can write in it{shared}; {advice}")
    if found.st_uid not in (me, 0):
        owner = _owner_name(found.st_uid)
        raise InputError(f"{folder}: belongs to {owner}, who could swap files in it; {advice}")
    if found.st_mode & stat.S_IWGRP and found.st_uid != me:
        raise InputError(f"{folder}: others in its group can write in it; {advice}")


def make_folder(folder: Path, what: str) -> None:
    """``folder`` and its parents, made if they are not there, then checked."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{folder} is a file, not a folder; name a folder for {what}") from None
    except OSError as exc:
        blocking = next((p for p in folder.parents if p.exists()), None)
        why = (
            f"{blocking} is a file, not a folder"
            if blocking is not None and not blocking.is_dir()
            else exc.strerror or str(exc)
        )
        raise InputError(f"Cannot make the folder {folder}: {why}") from None
    check_folder(folder, what)


def refuse_existing(target: Path, what: str) -> None:
    if os.path.lexists(target):  # a dangling link too
        raise taken(target, what)


def new_temporary(folder: Path, name: str, suffix: str = ".partial") -> tuple[int, Path]:
    """A new, empty file of our own in ``folder`` (O_CREAT | O_EXCL, mode 0600)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=folder)
    return handle, Path(temporary)


def place(temporary: Path, target: Path, what: str) -> None:
    """Give the finished ``temporary`` its name ``target``, never replacing what is there.

    Raises ``FileInTheWay`` if the name is taken; the temporary file stays for the caller
    to remove.
    """
    try:
        os.link(temporary, target)  # fails if the name is taken, unlike a rename
    except FileExistsError:
        raise taken(target, what) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        # No hard links here: look, then rename (Windows' rename refuses to replace anyway).
        refuse_existing(target, what)
        os.rename(temporary, target)
        return
    os.unlink(temporary)


def sync_folder(folder: Path) -> None:
    """Makes a rename durable; folders cannot be opened this way on Windows."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextmanager
def new_file(target: Path, what: str) -> Iterator[BinaryIO]:
    """Write ``target`` through the handle given; it appears whole when the block ends, or
    not at all. ``what`` names the file in messages ("a backup")."""
    folder = target.parent
    check_folder(folder, what)
    refuse_existing(target, what)
    handle, temporary = new_temporary(folder, target.name)
    try:
        with os.fdopen(handle, "w+b") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        place(temporary, target, what)
        sync_folder(folder)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
