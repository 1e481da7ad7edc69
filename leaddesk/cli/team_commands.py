"""The team lead's commands: team view, reassign, rebalance, sweep, reports, user admin."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from leaddesk.cli import huddle_command, team_setup_command
from leaddesk.cli.common import (
    FIRST_YEAR,
    LAST_YEAR,
    add_as,
    add_json,
    desk_for,
    print_json,
    print_table,
    record_number,
)
from leaddesk.errors import InputError

if TYPE_CHECKING:
    from leaddesk.desk import PlannedMove, RebalancePlan


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from leaddesk.desk import REPORT_CUTS, REPORTS

    team = commands.add_parser(
        "team", help="the team view: each rep's load, the pool, sales (team setup: a new team)"
    )
    add_as(team, required=False)  # `team setup` is the owner's, without --as
    add_json(team)
    team.set_defaults(handler=run_team)
    team_setup_command.register(team)

    reassign = commands.add_parser("reassign", help="move leads to another rep or the pool")
    add_as(reassign)
    reassign.add_argument(
        "--lead",
        type=record_number,
        action="append",
        default=[],
        metavar="ID",
        help="a lead to move; repeatable",
    )
    reassign.add_argument(
        "--from",
        dest="from_user",
        metavar="USER",
        help="move this rep's open leads ('pool' for the open pool)",
    )
    reassign.add_argument(
        "--to",
        dest="to_user",
        metavar="USER",
        help="the rep who gets them (default: the open pool)",
    )
    reassign.add_argument("--count", type=int, metavar="N", help="only the N oldest")
    reassign.add_argument("--reason", help="why, for the lead's history")
    reassign.add_argument(
        "--spread",
        action="store_true",
        help="with --from: spread over the other reps by spare capacity",
    )
    reassign.add_argument(
        "--force", action="store_true", help="also take leads a rep is calling right now"
    )
    reassign.add_argument(
        "--after-call", action="store_true", help="leads on a call move when the call ends"
    )
    reassign.add_argument(
        "--dry-run", action="store_true", help="show who gets what; change nothing"
    )
    add_json(reassign)
    reassign.set_defaults(handler=run_reassign)

    reopen = commands.add_parser(
        "reopen",
        help="reopen a closed lead (team leads): its verdict withdrawn, open and due now",
        description="Reopen a lead closed in error (disqualified, nurtured, routed to an "
        "account, or qualified and not yet handed off). Its verdict is withdrawn: no report "
        "counts it, the audit trail and the lead's timeline keep it. Leads with sales, and "
        "people on the do-not-call list or erased, stay closed.",
    )
    reopen.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(reopen)
    reopen.add_argument("--reason", required=True, metavar="TEXT", help="why it is reopened")
    reopen.add_argument("--to", metavar="USER|pool", help="who works it now (default: who had it)")
    add_json(reopen)
    reopen.set_defaults(handler=run_reopen)

    rebalance = commands.add_parser(
        "rebalance", help="spread leads by spare capacity, respecting territories"
    )
    add_as(rebalance)
    rebalance.add_argument("--dry-run", action="store_true", help="show the plan; change nothing")
    rebalance.add_argument("--keep-pool", action="store_true", help="leave the open pool as it is")
    add_json(rebalance)
    rebalance.set_defaults(handler=run_rebalance)

    sweep = commands.add_parser(
        "sweep", help="flag untouched leads; move long-untouched ones if the policy says so"
    )
    add_as(sweep)
    sweep.add_argument(
        "--dry-run", action="store_true", help="say what it would do; change nothing"
    )
    add_json(sweep)
    sweep.set_defaults(handler=run_sweep)

    report = commands.add_parser("report", help="dashboard figures for a period")
    names = [*REPORTS, "huddle"]
    report.add_argument(
        "name",
        choices=names,
        metavar="|".join(names),
        help="which figures; huddle writes the huddle pack (a printable page with charts and "
        "the CSV behind each table) into a new dated folder",
    )
    add_as(report)
    report.add_argument("--since", metavar="DATE", help="first day, e.g. 2026-11-01")
    report.add_argument("--until", metavar="DATE", help="last day (default: today)")
    huddle_command.add_out(report)
    report.add_argument(
        "--by",
        choices=REPORT_CUTS,
        help="cut sources and acceptance by source (default), campaign, definition version "
        "or the salesperson who referred the leads",
    )
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print machine-readable JSON")
    form.add_argument("--csv", action="store_true", help="print the table as CSV")
    report.set_defaults(handler=run_report)


def register_user_commands(
    user_commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``users set|deactivate|reactivate``, under the ``users`` command of setup_commands."""
    change = user_commands.add_parser(
        "set", help="change a user's role, capacity, territories or display name"
    )
    change.add_argument("name", help="the user's login name, e.g. rep5")
    add_as(change)
    change.add_argument("--role", help="qualifier, team_lead, sales, marketing or admin")
    change.add_argument("--capacity", type=int, help="most open leads at once")
    change.add_argument(
        "--territory",
        action="extend",
        nargs="+",
        metavar="CC",
        help="country codes the rep covers ('--territory any' clears them)",
    )
    change.add_argument("--display-name", help="the name the team sees (the login stays)")
    change.add_argument(
        "--timezone",
        metavar="ZONE",
        help="a salesperson's own zone for their follow-up clock ('--timezone none': the policy's)",
    )
    add_json(change)
    change.set_defaults(handler=run_users_set)
    for verb, text in (
        ("deactivate", "deactivate a user; their open leads go to the pool"),
        ("reactivate", "let a deactivated user sign in again"),
    ):
        command = user_commands.add_parser(verb, help=text)
        command.add_argument("name", help="the user's login name, e.g. rep5")
        add_as(command)
        add_json(command)
        command.set_defaults(handler=run_users_active, verb=verb)
    login = user_commands.add_parser(
        "login",
        help="team database: give a user a database login of their own (or a new password)",
        description=(
            "On PostgreSQL: a login for the user, in a group whose rights match their role, so "
            "the database itself refuses what their role may not do (a qualifier cannot write "
            "an opportunity even from a SQL prompt). The rights of every group are brought up "
            "to date first. Admins only; the connecting database user needs CREATEROLE."
        ),
    )
    login.add_argument("name", help="the user's login name, e.g. rep5")
    add_as(login, password_flag="--as-password-file")
    login.add_argument(
        "--password-file",
        dest="new_password_file",
        type=Path,
        metavar="FILE",
        help="read the password from the first line of FILE (else it is asked for)",
    )
    add_json(login)
    login.set_defaults(handler=run_users_login)


# -- handlers ---------------------------------------------------------------------------------


def run_users_login(args: argparse.Namespace) -> int:
    password = new_password(args.new_password_file, args.name)
    with desk_for(args) as desk:
        made = desk.admin.set_database_login(args.name, password)
        url = desk.store.engine.url.set(username=args.name, password="PASSWORD")
    shown = url.render_as_string(hide_password=False).replace("+psycopg", "")
    if args.json:
        print_json({"user": args.name, "made": made, "url": shown})
    else:
        did = "has a database login now" if made else "database login updated"
        print(f"{args.name}: {did}; they connect with --db {shown}")
    return 0


def new_password(path: Path | None, name: str) -> str:
    from leaddesk.desk import read_text_file

    if path is not None:
        text = read_text_file(path, "a password file")
        password = text.splitlines()[0] if text else ""
    else:
        if not sys.stdin.isatty():
            raise InputError("Give the password with --password-file FILE (no terminal to ask).")
        password = getpass.getpass(f"Database password for {name}: ")
        if getpass.getpass("Again: ") != password:
            raise InputError("The two passwords differ; nothing was changed.")
    if len(password) < 8:
        raise InputError("A database password needs at least 8 characters.")
    return password


def run_team(args: argparse.Namespace) -> int:
    if not args.as_user:
        raise InputError("team: name who is looking with --as USER (a team lead or admin)")
    with desk_for(args) as desk:
        view = desk.team.view()
    if args.json:
        print_json(view.as_json())
        return 0
    if view.reps:
        print(f"Today from midnight {view.timezone} (the team's day).")
        print_table(view.headers, view.rows())
    else:
        print(f"No reps yet. Add one: leaddesk users add NAME --role qualifier --as {args.as_user}")
    pool = view.pool
    oldest = (
        f", oldest {pool.oldest_arrived_at.isoformat(timespec='minutes')}"
        if pool.oldest_arrived_at
        else ""
    )
    print(
        f"\nOpen pool: {_leads(pool.open_leads)}, {pool.sla_breaches} past SLA, "
        f"{pool.untouched} untouched{oldest}"
    )
    wait = view.awaiting_sales
    print(
        f"Waiting for sales: {wait.waiting} handed off, {wait.past_follow_up} past "
        f"{wait.follow_up_hours:g} h, {wait.past_escalation} past {wait.escalation_hours:g} h"
    )
    return 0


def run_reassign(args: argparse.Namespace) -> int:
    from leaddesk.desk import LeadPick

    if args.spread:
        return _spread(args)
    pick = LeadPick(lead_ids=tuple(args.lead), from_user=args.from_user, count=args.count)
    with desk_for(args) as desk:
        if args.dry_run:
            preview = desk.team.preview_reassign(pick, to_user=args.to_user, reason=args.reason)
            if args.json:
                print_json(preview.as_json())
            else:
                _print_moves(preview.moves)
                for line in (*preview.warnings, *preview.skipped):
                    print(line)
            return 0
        result = desk.team.reassign(
            pick,
            to_user=args.to_user,
            reason=args.reason,
            force=args.force,
            after_call=args.after_call,
        )
    if args.json:
        print_json(result.as_json())
        return 0
    target = result.preview.to_user or "the open pool"
    if not result.moved and not result.after_call:
        print("Nothing to move.")
    elif result.moved:
        print(f"Moved {_leads(len(result.moved))} to {target}.")
    if result.forced:
        print(f"Taken from a call: {', '.join(str(m.lead_id) for m in result.forced)}.")
    if result.after_call:
        print(f"{_leads(len(result.after_call))} will move to {target} when the call ends.")
    for line in (*result.preview.warnings, *result.preview.skipped):
        print(line)
    return 0


def _spread(args: argparse.Namespace) -> int:
    from leaddesk.desk import POOL

    if not args.from_user or args.from_user.lower() == POOL:
        raise InputError("--spread needs --from USER: the rep whose leads to spread")
    if args.to_user or args.lead or args.count:
        raise InputError("--spread picks the receivers itself; drop --to, --lead and --count")
    with desk_for(args) as desk:
        plan = desk.team.plan_spread(args.from_user)
        if not args.dry_run:
            plan = desk.team.apply_rebalance(plan)
    _show_plan(plan, args, applied=not args.dry_run)
    return 0


def run_reopen(args: argparse.Namespace) -> int:
    from leaddesk.desk import KEEP

    with desk_for(args) as desk:
        reopened = desk.team.reopen(
            args.lead_id, args.reason, to_user=args.to if args.to is not None else KEEP
        )
    if args.json:
        print_json(reopened.as_json())
    else:
        print(reopened.message)
    return 0


def run_rebalance(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        if args.dry_run:
            plan = desk.team.plan_rebalance(include_pool=not args.keep_pool)
        else:
            plan = desk.team.rebalance(include_pool=not args.keep_pool)
    _show_plan(plan, args, applied=not args.dry_run)
    return 0


def run_sweep(args: argparse.Namespace) -> int:
    from leaddesk.desk import sweep_summary

    with desk_for(args) as desk:
        result = desk.team.sweep(dry_run=args.dry_run)
    if args.json:
        print_json(result.as_json())
        return 0
    for line in sweep_summary(result):
        print(line)
    return 0


def run_report(args: argparse.Namespace) -> int:
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    if args.name == "huddle":
        return huddle_command.run(args, since=since, until=until)
    huddle_command.refuse_out(args)
    with desk_for(args) as desk:
        report = desk.team.report(args.name, since=since, until=until, by=args.by)
    if args.json:
        print_json(report.as_json())
    elif args.csv:
        sys.stdout.flush()
        sys.stdout.buffer.write(report.csv_text().encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        span = report.period
        print(f"{report.title}, {span.since} to {span.until} ({span.timezone})")
        print_table(report.headers, report.rows())
        for key, value in report.summary.items():
            print(f"{key.replace('_', ' ')}: {'-' if value is None else value}")
    return 0


def run_users_set(args: argparse.Namespace) -> int:
    from leaddesk.desk import parse_role

    role = parse_role(args.role) if args.role else None
    territories = None
    if args.territory is not None:
        codes = [code for code in args.territory if code.lower() not in ("any", "none")]
        territories = tuple(codes)
    zone = None
    if args.timezone is not None:
        zone = "" if args.timezone.strip().lower() in ("none", "any", "") else args.timezone
    if (
        role is None
        and args.capacity is None
        and territories is None
        and not args.display_name
        and zone is None
    ):
        raise InputError(
            "Say what to change: --role, --capacity, --territory, --display-name or --timezone"
        )
    with desk_for(args) as desk:
        change = desk.people.change(
            args.name,
            role=role,
            capacity=args.capacity,
            territories=territories,
            display_name=args.display_name,
            timezone=zone,
        )
    if args.json:
        print_json(change.as_json())
        return 0
    if not change.changes:
        print(f"{change.user.name}: nothing to change.")
    else:
        print(f"{change.user.name}: {'; '.join(change.changes)}.")
    if change.returned_to_pool:
        print(f"{_leads(len(change.returned_to_pool))} went back to the open pool.")
    for line in change.warnings:
        print(line)
    return 0


def run_users_active(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        if args.verb == "deactivate":
            change = desk.people.deactivate(args.name)
        else:
            change = desk.people.reactivate(args.name)
    if args.json:
        print_json(change.as_json())
        return 0
    state = "active" if change.user.active else "deactivated"
    print(f"{change.user.name} is {state}" + ("." if change.changes else " already."))
    if change.returned_to_pool:
        print(f"{_leads(len(change.returned_to_pool))} went back to the open pool.")
    return 0


# -- output -----------------------------------------------------------------------------------


def _show_plan(plan: RebalancePlan, args: argparse.Namespace, *, applied: bool) -> None:
    if args.json:
        print_json({**plan.as_json(), "applied": applied})
        return
    print_table(
        ("rep", "capacity", "territories", "open now", "after", "fair share"), plan.rep_rows()
    )
    received = plan.received()
    print()
    if not plan.moves:
        print("Nothing can move." if plan.unplaced else "Nothing to move.")
    else:
        shares = ", ".join(f"{name} {count}" for name, count in sorted(received.items()))
        verb = "Moved" if applied else "Would move"
        print(f"{verb} {_leads(len(plan.moves))}: {shares}.")
        if not applied:
            _print_moves(plan.moves)
    if plan.unplaced:
        stay = "stays where it is" if len(plan.unplaced) == 1 else "stay where they are"
        print(f"{_leads(len(plan.unplaced))} {stay}:")
        for item in plan.unplaced[:20]:
            print(f"  lead {item.lead_id}: {item.why}")
        if len(plan.unplaced) > 20:
            print(f"  … and {len(plan.unplaced) - 20} more")


def _print_moves(moves: tuple[PlannedMove, ...]) -> None:
    from leaddesk.desk import PlannedMove

    if moves:
        print_table(PlannedMove.HEADERS, [m.row() for m in moves])
    else:
        print("Nothing to move.")


def _leads(count: int) -> str:
    return f"{count} lead" if count == 1 else f"{count} leads"


def _date(text: str | None, flag: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{flag}: '{text}' is not a date like 2026-11-01") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(f"{flag}: give a date between {FIRST_YEAR} and {LAST_YEAR}")
    return day
