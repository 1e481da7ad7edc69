"""``leaddesk users password NAME``: turn passwords on for a shared store, or change one;
``leaddesk users passwords-off``: turn them off again."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from leaddesk.cli.common import add_as, read_password_file, setup_or_user_desk
from leaddesk.desk import NO_PASSWORDS_NOTE, check_new_password
from leaddesk.errors import InputError


def register(user_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    password = user_commands.add_parser(
        "password",
        help="set a user's password (the first one turns passwords on for the whole store)",
        description=(
            "Admins set anyone's password; a user may change their own. Once any user of a "
            "store has a password, every sign-in on it needs the user's own. On a SQLite file "
            "this keeps honest people in their own name; anyone who can write the file can "
            "still change it (see the README)."
        ),
    )
    password.add_argument("name", help="the user's login name, e.g. rep5")
    add_as(password, required=False, password_flag="--as-password-file")
    password.add_argument(
        "--password-file",
        dest="new_password_file",
        type=Path,
        metavar="FILE",
        help="read the new password from the first line of FILE (else it is asked for twice)",
    )
    password.set_defaults(handler=run_users_password)
    off = user_commands.add_parser(
        "passwords-off",
        help="clear every user's password: anyone who opens the store may pick any name (admin)",
        description=(
            "For a store one person uses, or a demo: an admin clears every user's password, "
            "and from then on nobody is asked for one. Audited. Not on a team database with "
            "logins, where the database login is the sign-in."
        ),
    )
    add_as(off, required=True)
    off.set_defaults(handler=run_passwords_off)


def run_users_password(args: argparse.Namespace) -> int:
    new = _new_password(args.new_password_file, args.name)
    with setup_or_user_desk(args, create=False) as desk:
        first = not desk.people.passwords_on()
        desk.people.set_password(args.name, new)
    print(f"Password set for {args.name.strip().lower()}.")
    if first:
        print("This store now asks everyone for their password; give the others theirs.")
    return 0


def run_passwords_off(args: argparse.Namespace) -> int:
    with setup_or_user_desk(args, create=False) as desk:
        cleared = desk.people.turn_passwords_off()
    if not cleared:
        print(NO_PASSWORDS_NOTE)
        return 0
    print(f"Passwords turned off: cleared for {', '.join(cleared)}.")
    print(NO_PASSWORDS_NOTE)
    return 0


def _new_password(path: Path | None, name: str) -> str:
    if path is not None:
        return check_new_password(read_password_file(path))
    if not sys.stdin.isatty():
        raise InputError("Give the new password with --password-file FILE (no terminal to ask).")
    password = check_new_password(getpass.getpass(f"New password for {name}: "))
    if getpass.getpass("Again: ") != password:
        raise InputError("The two passwords differ; nothing was changed.")
    return password
