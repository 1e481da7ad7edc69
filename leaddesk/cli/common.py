"""Pieces every command shares: acting user, JSON output, opening the desk."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaddesk.desk import Desk, open_desk, setup_desk
from leaddesk.domain import LARGEST_RECORD_NUMBER, is_record_number
from leaddesk.errors import InputError, NotPermitted

if TYPE_CHECKING:
    from leaddesk.desk import PasswordAsk

Handler = Callable[[argparse.Namespace], int]


def add_as(
    parser: argparse.ArgumentParser,
    *,
    required: bool = True,
    password_flag: str = "--password-file",
) -> None:
    """``--as USER`` and where their password comes from (``password_flag``: commands whose
    own ``--password-file`` is a new password name it ``--as-password-file``)."""
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        required=required,
        help="the user acting (their role decides what is allowed)",
    )
    add_password_file(parser, password_flag)


def add_password_file(parser: argparse.ArgumentParser, flag: str = "--password-file") -> None:
    """Where the acting user's password comes from on a store with passwords, for scripts."""
    parser.add_argument(
        flag,
        dest="password_file",
        metavar="FILE",
        type=Path,
        help="on a store with passwords: a file whose first line is the --as user's password "
        "(else the OS keyring is used, else it is asked for on a terminal)",
    )
    parser.set_defaults(password_flag=flag)


def add_setup_as(parser: argparse.ArgumentParser) -> None:
    """``--as`` for the setup commands: optional on a local SQLite file (its owner acts), needed
    on a team database once it has users."""
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="the user acting; needed on a team database that has users (default on a SQLite "
        "file: its owner)",
    )
    add_password_file(parser)


# Record numbers are SQL integers: anything beyond 64 bits cannot name one.
def record_number(text: str) -> int:
    """An argparse type for a lead's, a run's or a version's number."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a record number (they start at 1)")
    if not is_record_number(number):
        raise argparse.ArgumentTypeError(
            f"there is no record {text}: it is too large to be a record number "
            f"(they go up to {LARGEST_RECORD_NUMBER})"
        )
    return number


# Times to act at, call back at or fill a demo for: a calendar's worth around now (and no
# date arithmetic near the ends of Python's calendar, which stops at year 9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_time(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{option}: '{text}' is not an ISO date-time; write it like 2026-11-19T14:30+01:00"
        ) from None
    if moment.tzinfo is None:
        raise InputError(f"{option}: give a time zone, e.g. {text.strip()}+01:00 or {text}Z")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InputError(f"{option}: give a time between {FIRST_YEAR} and {LAST_YEAR}")
    return moment


def count(number: int, thing: str) -> str:
    """'1 lead', '2 leads': a count with its noun, for messages."""
    return f"{number:,} {thing}" + ("" if number == 1 else "s")


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def desk_for(args: argparse.Namespace) -> Desk:
    return open_desk(args.db, args.as_user, password=password_asker(args))


def setup_or_user_desk(args: argparse.Namespace, *, create: bool = True) -> Desk:
    """Setup commands act as the named user when ``--as`` is given, else as the store owner."""
    if getattr(args, "as_user", None):
        return open_desk(args.db, args.as_user, create=create, password=password_asker(args))
    return setup_desk(args.db, create=create)


def read_password_file(path: Path, option: str = "--password-file") -> str:
    """The password on the file's first line (its line ending is not part of it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{option} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{option} {path}: cannot be read ({exc})") from None
    password = text.splitlines()[0] if text else ""
    if not password:
        raise InputError(f"{option} {path}: the first line is empty; put the password there")
    return password


def password_asker(args: argparse.Namespace) -> PasswordAsk:
    """Asked only on a store with passwords: ``--password-file``, else the OS keyring, else a
    prompt on a terminal; without any of them the sign-in is refused, saying what to give."""

    def ask(user: str, store_label: str) -> str | None:
        from leaddesk.desk import saved_password

        file = getattr(args, "password_file", None)
        if file is not None:
            return read_password_file(file, getattr(args, "password_flag", "--password-file"))
        saved = saved_password(store_label, user)
        if saved is not None:
            return saved
        if sys.stdin.isatty():
            return getpass.getpass(f"Password for {user}: ")
        raise NotPermitted(
            f"This store has passwords: give {user}'s with "
            f"{getattr(args, 'password_flag', '--password-file')} FILE, or run "
            "the command on a terminal to type it."
        )

    return ask


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "as_json"):
        return value.as_json()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, default=_default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def shown_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: East Asian wide and full-width characters take
    two (洋介 太田 is 9 columns, not 5), combining marks none."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(shown_width(row[i]) for row in cells) for i in range(len(headers))]
    for number, row in enumerate(cells):
        padded = (
            cell + " " * (width - shown_width(cell))
            for cell, width in zip(row, widths, strict=True)
        )
        print("  ".join(padded).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


class ProgressLine:
    """Rows done so far, on stderr (stdout stays clean for --json): one line rewritten in
    place on a terminal; for a log, a line every few seconds and one at the end."""

    EVERY_SECONDS = 5.0

    def __init__(self, verb: str, *, live: bool, estimated: bool = True) -> None:
        self.live = live
        self.verb = verb
        self.of = "of about" if estimated else "of"
        self.shown_at: float | None = None
        self.shown = False

    def show(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.live and self.shown_at is not None and now - self.shown_at < self.EVERY_SECONDS:
            return
        self.shown_at = now
        of = f" {self.of} {total:,}" if total else ""
        text = f"{self.verb}: {done:,}{of} rows"
        sys.stderr.write(f"\r\033[K{text}" if self.live else f"{text}\n")
        sys.stderr.flush()
        self.shown = True

    def finish(self, rows: int) -> None:
        done = f"{self.verb}: {rows:,} rows, done"
        sys.stderr.write(f"\r\033[K{done}\n" if self.live else f"{done}\n")
        sys.stderr.flush()
