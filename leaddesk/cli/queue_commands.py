"""The headless desk for scripts and dialers: queue (and queue skip), next, log-call,
undo-call, end-call, release."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING

from leaddesk.cli.common import (
    add_as,
    add_json,
    parse_time,
    password_asker,
    print_json,
    print_table,
    record_number,
)
from leaddesk.clock import Clock, FixedClock, system_clock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome, Stage
from leaddesk.errors import InputError, LeadDeskError

if TYPE_CHECKING:
    from leaddesk.desk import Band, QueueRow

MOST_ROWS_SKIPPED = 10_000_000  # more leads than any store holds


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    queue = commands.add_parser("queue", help="list your call queue, best first, with reasons")
    add_as(queue, required=False)  # `queue skip LEAD_ID --as USER` gives it to the skip
    queue.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    queue.add_argument("--offset", type=int, default=0, help="rows to skip, for paging")
    queue.add_argument("--band", help="only one band: callback, new, retry or other")
    queue.add_argument("--source", help="only leads from this source, e.g. web_form")
    _add_at(queue)
    add_json(queue)
    queue.set_defaults(handler=run_queue)
    about = queue.add_subparsers(title="what to do to a lead of it", dest="queue_action")
    skip = about.add_parser(
        "skip", help="skip for now: put the lead behind the next 5 of your queue, no call logged"
    )
    skip.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(skip)
    _add_at(skip)
    add_json(skip)
    skip.set_defaults(handler=run_skip)

    search = commands.add_parser(
        "search",
        help="find leads by name, company, email, phone or #number (open first, then closed)",
    )
    search.add_argument("text", metavar="TEXT", help='e.g. "anna sch", acme, +4930, #3001')
    add_as(search)
    search.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    search.add_argument(
        "--open-only", action="store_true", help="leave out closed leads (how each one ended)"
    )
    _add_at(search)
    add_json(search)
    search.set_defaults(handler=run_search)

    ahead = commands.add_parser(
        "callbacks", help="the callbacks you booked, soonest first (late ones still open first)"
    )
    add_as(ahead)
    ahead.add_argument("--days", type=int, default=7, help="how far ahead (default 7 days)")
    _add_at(ahead)
    add_json(ahead)
    ahead.set_defaults(handler=run_callbacks)

    take = commands.add_parser(
        "next", help="claim the top lead of your queue and print it (null if none is callable)"
    )
    add_as(take)
    _add_at(take)
    add_json(take)
    take.set_defaults(handler=run_next)

    log = commands.add_parser("log-call", help="record how a call went; the queue moves on")
    log.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(log)
    log.add_argument(
        "--outcome",
        required=True,
        help="connected, no_answer, voicemail, busy, gatekeeper, wrong_number, bad_number, "
        "callback, not_interested or do_not_call",
    )
    log.add_argument("--callback", metavar="ISO_TIME", help="the agreed time, for a callback")
    log.add_argument("--note", metavar="TEXT", help="a short note on the call")
    log.add_argument("--duration", type=int, metavar="SECONDS", help="how long the call took")
    _add_at(log, what="when the call ended")
    add_json(log)
    log.set_defaults(handler=run_log_call)

    end = commands.add_parser(
        "end-call", help="a connected call is over: record its whole length (talk time)"
    )
    end.add_argument(
        "call_id", metavar="CALL_ID", type=record_number, help="the number log-call gave it"
    )
    add_as(end)
    end.add_argument(
        "--duration",
        type=int,
        required=True,
        metavar="SECONDS",
        help="the whole call, from dialling to hanging up",
    )
    _add_at(end, what="when the call ended")
    add_json(end)
    end.set_defaults(handler=run_end_call)

    undo = commands.add_parser(
        "undo-call",
        help="take back a call's outcome logged by mistake (within 10 minutes, nothing since)",
    )
    undo.add_argument(
        "call_id", metavar="CALL_ID", type=record_number, help="the number log-call gave it"
    )
    add_as(undo)
    _add_at(undo)
    add_json(undo)
    undo.set_defaults(handler=run_undo_call)

    release = commands.add_parser("release", help="give a lead you claimed back to the queue")
    release.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(release)
    _add_at(release)
    add_json(release)
    release.set_defaults(handler=run_release)


def _add_at(parser: argparse.ArgumentParser, what: str = "the time to act at") -> None:
    parser.add_argument(
        "--at",
        metavar="ISO_TIME",
        help=f"{what} (ISO 8601 with a zone; default: now), e.g. when replaying a dialer's log",
    )


def _desk(args: argparse.Namespace) -> Desk:
    clock: Clock = FixedClock(parse_time(args.at, "--at")) if args.at else system_clock
    return open_desk(args.db, args.as_user, clock=clock, password=password_asker(args))


def run_callbacks(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        rows = desk.queue.callbacks_ahead(days=args.days)
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    if not rows:
        print(f"No callbacks booked for the next {args.days} days.")
        return 0
    print_table(
        ["lead", "person", "company", "phone", "when"],
        [(row.lead_id, row.person, row.company, row.phone, row.reason) for row in rows],
    )
    return 0


def run_queue(args: argparse.Namespace) -> int:
    if args.as_user is None:
        raise InputError("--as: say whose queue to list (a user name, e.g. --as rep1)")
    if not 1 <= args.limit <= 500:
        raise InputError("--limit: give a number of rows between 1 and 500")
    if not 0 <= args.offset <= MOST_ROWS_SKIPPED:
        raise InputError(f"--offset: give a number of rows to skip from 0 to {MOST_ROWS_SKIPPED:,}")
    from leaddesk.desk import parse_band

    band: Band | None = parse_band(args.band) if args.band else None
    with _desk(args) as desk:
        rows = desk.queue.page(limit=args.limit, offset=args.offset, band=band, source=args.source)
        if args.json:
            print_json([row.as_json() for row in rows])
            return 0
        if not rows:
            print(_nothing_callable(desk, filtered=bool(band or args.source or args.offset)))
            return 0
    print_table(
        ["lead", "person", "company", "phone", "their time", "band", "why"],
        [
            (
                row.lead_id,
                row.person,
                row.company,
                row.phone,
                row.local_time.strftime("%H:%M"),
                row.band.key,
                row.reason,
            )
            for row in rows
        ],
    )
    return 0


def run_search(args: argparse.Namespace) -> int:
    from leaddesk.desk import MAX_SEARCH_RESULTS as MAX_RESULTS
    from leaddesk.desk import MIN_SEARCH_CHARS as MIN_CHARS

    if not 1 <= args.limit <= MAX_RESULTS:
        raise InputError(f"--limit: give a number of rows between 1 and {MAX_RESULTS}")
    if len(" ".join(args.text.split())) < MIN_CHARS:
        raise InputError(f"give at least {MIN_CHARS} characters to search for, not {args.text!r}")
    with _desk(args) as desk:
        rows = desk.queue.search(args.text, limit=args.limit, closed=not args.open_only)
        stage_label = _stage_words(desk) if rows and not args.json else None
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    if not rows:
        print(f"No lead you may see matches {args.text!r}.")
        return 0
    print_table(
        ["lead", "person", "company", "phone", "stage", "owner", "why"],
        [
            (
                row.lead_id,
                row.person,
                row.company,
                row.phone,
                stage_label(row.stage) if stage_label else row.stage.label,
                row.assigned_to or "pool",
                row.reason,
            )
            for row in rows
        ],
    )
    return 0


def _stage_words(desk: Desk) -> Callable[[Stage], str] | None:
    """The published definition's name for each stage ("Basic Qualified Lead"), or None on a
    store with no published definition."""
    try:
        return desk.qualifying.definition().definition.stage_label
    except LeadDeskError:
        return None


def _nothing_callable(desk: Desk, *, filtered: bool) -> str:
    """What an empty queue means: no leads yet, nothing matches the filter, or when next."""
    outlook = desk.queue.outlook()
    if not outlook.open_leads:
        return f"No leads to call yet. Import a list: leaddesk import FILE --as {desk.actor.name}"
    if filtered:
        return "Nothing callable right now matches that."
    now = desk.clock()
    return outlook.words(now, now.astimezone().tzinfo or UTC)


def run_next(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        row = desk.queue.next()
    if row is None:
        # Scripts read "null" either way: nothing is callable now, which is not an error.
        print("null")
        return 0
    if args.json:
        print_json(row.as_json())
    else:
        _print_lead(row)
    return 0


def _print_lead(row: QueueRow) -> None:
    company = f" ({row.company})" if row.company else ""
    zone = "+".join(row.zones) + ("" if row.zone_known else ", the team's: theirs is unknown")
    print(f"Lead {row.lead_id}: {row.person}{company}")
    print(f"  call   {row.phone or 'no number on file'}")
    print(f"  their time {row.local_time.strftime('%H:%M')} ({zone})")
    print(f"  why    {row.reason}")
    if row.claimed_until is not None:
        # The rep's own clock: the terminal's time zone.
        print(f"  yours until {row.claimed_until.astimezone():%H:%M} your time")


def run_log_call(args: argparse.Namespace) -> int:
    from leaddesk.desk import parse_outcome

    outcome = parse_outcome(args.outcome)
    callback = parse_time(args.callback, "--callback") if args.callback else None
    with _desk(args) as desk:
        result = desk.calls.log(
            args.lead_id,
            outcome,
            callback_at=callback,
            note=args.note,
            duration_seconds=args.duration,
        )
    if args.json:
        print_json(result.as_json())
        return 0
    print(f"Lead {result.lead_id}: {result.message}")
    if result.outcome is not CallOutcome.DO_NOT_CALL and not result.nurtured:
        print(f"Wrong outcome? leaddesk undo-call {result.call_id} --as {args.as_user}")
    if result.outcome is CallOutcome.CONNECTED and not result.nurtured:
        print(
            f"When you hang up: leaddesk end-call {result.call_id} --as {args.as_user} "
            "--duration SECONDS"
        )
    return 0


def run_undo_call(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        undone = desk.calls.undo(args.call_id)
    if args.json:
        print_json(undone.as_json())
    else:
        print(f"Lead {undone.lead_id}: {undone.message}")
    return 0


def run_end_call(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        ended = desk.calls.end(args.call_id, args.duration)
    if args.json:
        print_json(ended.as_json())
    else:
        print(f"Lead {ended.lead_id}: {ended.message}")
    return 0


def run_release(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        released = desk.queue.release(args.lead_id)
    if args.json:
        print_json({"lead_id": args.lead_id, "released": released})
    elif released:
        print(f"Lead {args.lead_id} is back in the queue.")
    else:
        print(f"Lead {args.lead_id} was not claimed; nothing to release.")
    return 0


def run_skip(args: argparse.Namespace) -> int:
    with _desk(args) as desk:
        skipped = desk.queue.skip(args.lead_id)
    if args.json:
        print_json({"lead_id": skipped.lead_id, "behind": list(skipped.behind)})
    else:
        print(f"Lead {skipped.lead_id}: {skipped.message}")
    return 0
