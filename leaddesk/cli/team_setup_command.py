"""``leaddesk team setup URL``: a team's PostgreSQL store from nothing, run by its owner."""

from __future__ import annotations

import argparse
from pathlib import Path

from leaddesk.cli.common import add_json, print_json


def register(team: argparse.ArgumentParser) -> None:
    """``setup`` under the ``team`` command (whose bare form is the team view)."""
    commands = team.add_subparsers(dest="team_command", metavar="setup")
    setup = commands.add_parser(
        "setup",
        help="make a team's PostgreSQL store: the database, its role groups, the first admin",
        description=(
            "Run once by the database's owner, with a URL whose login may create databases and "
            "roles, e.g. postgresql://owner:PW@db.example:5432/sales_team?sslmode=require. "
            "Creates the database if missing, the store, one group role per LeadDesk role and "
            "the first admin with a database login, then prints the line each person starts "
            "LeadDesk with. Off this machine the connection must be encrypted (TLS) unless "
            "--local. Safe to run again."
        ),
    )
    setup.add_argument("url", metavar="URL", help="postgresql://OWNER:PASSWORD@HOST:PORT/DATABASE")
    setup.add_argument(
        "--admin", default="admin", metavar="NAME", help="the first admin's user name (admin)"
    )
    setup.add_argument(
        "--admin-password-file",
        type=Path,
        metavar="FILE",
        help="the admin's database password, first line of FILE (else it is asked for twice)",
    )
    setup.add_argument(
        "--local",
        action="store_true",
        help="allow an unencrypted connection to a server on a private network",
    )
    add_json(setup)
    setup.set_defaults(handler=run_team_setup)


def run_team_setup(args: argparse.Namespace) -> int:
    from leaddesk.cli.team_commands import new_password  # which registers this command
    from leaddesk.desk.setting_up import REP, set_up_team

    done = set_up_team(
        args.url,
        admin=args.admin,
        password=lambda: new_password(args.admin_password_file, args.admin),
        local=args.local,
    )
    if args.json:
        print_json(done.as_json())
        return 0
    made = "created" if done.database_made else "there already"
    print(f"Database {done.database} on {done.server}: {made}.")
    print(f"Store ready (schema {done.schema}); role groups: {', '.join(done.groups)}.")
    if done.admin_added:
        print(f"First admin {done.admin} added, with a database login.")
    elif done.login_made:
        print(f"Admin {done.admin} was there already; now with a database login.")
    else:
        print(f"Admin {done.admin} and their database login were there already; unchanged.")
    print(
        f"\nEach person starts LeadDesk with (their own user name for {REP}):\n"
        f'  leaddesk --db "{done.rep_url}" gui\n'
        f"\nTo add a rep (the admin adds them; the owner gives them a login):\n"
        f'  leaddesk --db "{done.admin_url}" users add {REP} --role qualifier --as {done.admin}\n'
        f'  leaddesk --db "{done.owner_url}" users login {REP} --as {done.admin}\n'
        "The window asks for the password; commands read it from PGPASSWORD or ~/.pgpass."
    )
    return 0
