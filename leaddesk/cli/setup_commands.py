"""Setting a store up: init, users, demo data, backup and restore."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from leaddesk.cli import meeting_commands, password_command, team_commands
from leaddesk.cli.common import (
    ProgressLine,
    add_json,
    add_setup_as,
    parse_time,
    print_json,
    print_table,
    setup_or_user_desk,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from leaddesk.desk import default_backup_folder

    init = commands.add_parser("init", help="create the store, or upgrade an older one")
    add_setup_as(init)
    add_json(init)
    init.set_defaults(handler=run_init)

    users = commands.add_parser("users", help="add and list users")
    user_commands = users.add_subparsers(
        dest="users_command",
        metavar="add|list|set|deactivate|reactivate|login|password|passwords-off|calendar",
        required=True,
    )
    add = user_commands.add_parser("add", help="add a user")
    add.add_argument("name", help="login name, e.g. rep5")
    add.add_argument(
        "--role", required=True, help="qualifier, team_lead, sales, marketing or admin"
    )
    add.add_argument("--capacity", type=int, default=40, help="most open leads at once")
    add.add_argument("--display-name", help="the name shown in the window")
    add.add_argument(
        "--territory",
        action="extend",
        nargs="+",
        default=[],
        metavar="CC",
        help="country codes the user covers, e.g. --territory DE,AT (default: anywhere); "
        "a salesperson gets the hand-offs from there",
    )
    add.add_argument(
        "--timezone",
        metavar="ZONE",
        help="a salesperson's own zone, e.g. Europe/Berlin: their follow-up clock runs in "
        "the policy's business hours on their clock (default: the policy's zone)",
    )
    add_setup_as(add)
    add_json(add)
    add.set_defaults(handler=run_users_add)
    listing = user_commands.add_parser("list", help="list users")
    add_setup_as(listing)
    add_json(listing)
    listing.set_defaults(handler=run_users_list)
    team_commands.register_user_commands(user_commands)  # set, (de|re)activate, login
    password_command.register(user_commands)
    meeting_commands.register_calendar_command(user_commands)

    demo = commands.add_parser("demo", help="fill a new store with a realistic demo team")
    demo.add_argument("--leads", type=int, default=2_000, help="how many leads (default 2000)")
    demo.add_argument("--reps", type=int, default=4, help="how many qualifiers (default 4)")
    demo.add_argument("--seed", type=int, default=7, help="same seed, same store")
    demo.add_argument("--now", help="ISO time the demo is anchored to (default: now)")
    demo.add_argument(
        "--passwords",
        action="store_true",
        help="give every demo user a known password (demo-NAME) and print them",
    )
    add_setup_as(demo)
    add_json(demo)
    demo.set_defaults(handler=run_demo)

    backup = commands.add_parser(
        "backup", help="copy every row of the store to one file (admins; works while others work)"
    )
    backup.add_argument(
        "--out",
        metavar="PATH",
        help="the file, or a folder for it (end it with / to have a new folder made; "
        f"default: {default_backup_folder()})",
    )
    add_setup_as(backup)
    add_json(backup)
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser(
        "restore",
        help="put a backup into a new, empty store (SQLite or PostgreSQL, whichever it came from)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="a backup from leaddesk backup")
    restore.add_argument(
        "--dry-run", action="store_true", help="read and check the whole backup; write nothing"
    )
    add_json(restore)
    restore.set_defaults(handler=run_restore)


def run_init(args: argparse.Namespace) -> int:
    from leaddesk.desk.setting_up import current_revision

    with setup_or_user_desk(args) as desk:
        version = desk.admin.prepare_store()
        revision = current_revision(desk.store)
        if args.json:
            print_json(
                {"store": desk.store.label, "schema": revision, "definition": version.version}
            )
        else:
            print(f"Store ready: {desk.store.label} (schema {revision})")
    return 0


def run_users_add(args: argparse.Namespace) -> int:
    from leaddesk.desk import Action, parse_role

    role = parse_role(args.role)
    with setup_or_user_desk(args) as desk:
        if desk.can(Action.MANAGE_STORE):
            # A store begun with `users add` instead of `init` is ready to work all the same.
            desk.admin.prepare_store()
        user = desk.people.add(
            args.name,
            role,
            capacity=args.capacity,
            display_name=args.display_name,
            territories=tuple(args.territory),
            timezone=args.timezone,
        )
    if args.json:
        print_json(user.as_json())
    else:
        print(f"Added {user.name} ({user.role.value}, capacity {user.capacity})")
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    from leaddesk.desk import QUEUE_ROLES

    with setup_or_user_desk(args, create=False) as desk:
        users = desk.people.users()
    if args.json:
        print_json([u.as_json() for u in users])
    elif not users:
        print("No users yet. Add the first: leaddesk users add NAME --role admin")
    else:
        print_table(
            ["name", "role", "capacity", "active", "display name", "territories"],
            [
                (
                    u.name,
                    u.role.value,
                    u.capacity,
                    "yes" if u.active else "no",
                    u.display_name,
                    " ".join(u.territories) or ("anywhere" if u.role in QUEUE_ROLES else ""),
                )
                for u in users
            ],
        )
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from leaddesk.desk import Action
    from leaddesk.desk.setting_up import fill_demo, give_demo_passwords, require_faker

    require_faker()  # an install without the demo extra says so before a store is made
    with setup_or_user_desk(args) as desk:
        desk.require(Action.MANAGE_STORE)
        now = desk.clock()
        if args.now:
            now = parse_time(args.now, "--now")
        started = time.perf_counter()
        summary = fill_demo(desk.store, leads=args.leads, reps=args.reps, seed=args.seed, now=now)
        given = give_demo_passwords(desk.store, at=now) if args.passwords else {}
        seconds = time.perf_counter() - started
    if args.json:
        print_json({**summary.as_json(), "seconds": round(seconds, 2), "passwords": given})
    else:
        print(
            f"Demo store ready in {seconds:.1f} s: {summary.leads} leads from "
            f"{summary.people} people at {summary.accounts} accounts, {summary.calls} past calls, "
            f"{summary.verdicts} verdicts, {summary.batches} handoff batches. "
            f"Sign in as rep1 (qualifier), lead1 (team lead) or sales1 (sales)."
        )
        if given:
            print("Demo passwords (known to anyone who reads this; for a demo only):")
            print_table(["user", "password"], sorted(given.items()))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    line = ProgressLine("Backing up", live=sys.stderr.isatty(), estimated=False)
    with setup_or_user_desk(args, create=False) as desk:
        summary = desk.admin.take_backup(args.out, progress=line.show)
    rows = sum(summary.rows.values())
    line.finish(rows)
    if args.json:
        print_json(summary.as_json())
    else:
        size = summary.size / 1e6
        print(f"Backed up {rows:,} rows ({size:.1f} MB) to {summary.path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from leaddesk.clock import system_clock
    from leaddesk.desk.setting_up import restore_backup

    # The file is read twice: checked whole first, then written; each pass says its rows.
    check = ProgressLine("Checking", live=sys.stderr.isatty(), estimated=False)
    line = check if args.dry_run else ProgressLine("Restoring", live=check.live, estimated=False)

    def checking(done: int, total: int) -> None:
        if done == total:
            check.finish(total)
        else:
            check.show(done, total)

    summary = restore_backup(
        args.db,
        args.file,
        at=system_clock(),
        dry_run=args.dry_run,
        progress=line.show,
        checked=checking,
    )
    rows = sum(summary.rows.values())
    line.finish(rows)
    if args.json:
        print_json(summary.as_json())
        return 0
    taken = f"taken {summary.taken_at:%Y-%m-%d %H:%M} UTC by {summary.taken_by}"
    if args.dry_run:
        print(f"{args.file.name} is whole: {rows:,} rows, {taken}. Nothing was written.")
    else:
        print(f"Restored {rows:,} rows ({taken}) into {summary.store}")
        if summary.set_again:
            db = f"--db {shlex.quote(str(args.db))} " if args.db else ""
            print(
                f"Backups carry no passwords: {len(summary.set_again)} user(s) need theirs set "
                f"again, an admin's first: leaddesk {db}users password {summary.set_again[0]}"
            )
        if summary.store.startswith("postgresql"):
            # Logins are the server's, not the store's: a backup cannot carry them.
            print("Database logins are not in a backup: give them again with 'users login'.")
    return 0
