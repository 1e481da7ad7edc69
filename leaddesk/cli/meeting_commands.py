"""`leaddesk meeting slots|book|move|cancel`: the salesperson's free slots and the meeting
booked while the prospect is on the line; `leaddesk users calendar`: a salesperson's working
hours and calendar (ICS file or URL)."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from leaddesk.cli.common import (
    FIRST_YEAR,
    LAST_YEAR,
    add_as,
    add_json,
    count,
    desk_for,
    print_json,
    record_number,
)
from leaddesk.errors import InputError

if TYPE_CHECKING:
    from leaddesk.desk import FreeSlots, MeetingSent


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    meeting = commands.add_parser(
        "meeting",
        help="book the salesperson's meeting while the prospect is on the line",
        description="The lead's salesperson (routed at the verdict, or whom the policy would "
        "route it to; --with names another): their free slots, and the meeting booked, moved "
        "or cancelled in one step, with an .ics invitation written and a mailto: link to send "
        "it. Exit 4 when someone took the slot meanwhile.",
    )
    verbs = meeting.add_subparsers(
        dest="meeting_command", metavar="slots|book|move|cancel", required=True
    )
    slots = verbs.add_parser(
        "slots",
        help="the salesperson's free slots, in the prospect's time and yours",
        description="Working hours (default Mon–Fri 09:00–17:00 in the salesperson's zone) "
        "minus their calendar's busy times and the meetings booked already, in 30-minute "
        "slots.",
    )
    _lead_and_as(slots)
    slots.add_argument("--days", type=int, default=7, metavar="N", help="how many days ahead")
    slots.add_argument("--with", dest="with_", metavar="SALES_USER", help="another salesperson")
    add_json(slots)
    slots.set_defaults(handler=run_slots)

    book = verbs.add_parser("book", help="book a free slot and write the invitation")
    _lead_and_as(book)
    _at(book)
    book.add_argument("--with", dest="with_", metavar="SALES_USER", help="another salesperson")
    book.add_argument(
        "--decision-maker", metavar="TEXT", help="who decides, e.g. 'Jane Roe, CFO <jane@x.com>'"
    )
    book.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="TEXT",
        help="someone else involved (repeat for more); with an address they are invited too",
    )
    _ics_out(book)
    add_json(book)
    book.set_defaults(handler=run_book)

    move = verbs.add_parser("move", help="move the lead's meeting to another free slot")
    _lead_and_as(move)
    _at(move)
    _ics_out(move)
    add_json(move)
    move.set_defaults(handler=run_move)

    cancel = verbs.add_parser("cancel", help="cancel the lead's meeting")
    _lead_and_as(cancel)
    _ics_out(cancel)
    add_json(cancel)
    cancel.set_defaults(handler=run_cancel)


def register_calendar_command(
    user_commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``users calendar``, under the ``users`` command of setup_commands."""
    calendar = user_commands.add_parser(
        "calendar",
        help="a salesperson's calendar (ICS file or URL) and working hours",
        description="Reps book meetings into a salesperson's working hours, minus the busy "
        "times of the calendar given here (read now and kept; give it again to refresh). A "
        "file that is not iCalendar, has times with no time zone or is over 2 MB is refused "
        "and nothing changes.",
    )
    calendar.add_argument("salesperson", metavar="SALES_USER", help="the salesperson")
    add_as(calendar)
    calendar.add_argument("--ics", metavar="FILE|URL", help="their calendar, as .ics")
    calendar.add_argument("--hours", metavar="HH:MM-HH:MM", help="working day, e.g. 08:30-16:30")
    calendar.add_argument("--weekdays", metavar="DAYS", help="working days, e.g. mon-fri")
    calendar.add_argument("--email", metavar="ADDRESS", help="where their invitations go")
    add_json(calendar)
    calendar.set_defaults(handler=run_calendar)


def _lead_and_as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lead_id", metavar="LEAD", type=record_number, help="the lead's number")
    add_as(parser)


def _at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--at",
        required=True,
        metavar="ISO",
        help="the slot's start, e.g. 2026-12-10T10:00 (the prospect's time) or with a zone, "
        "2026-12-10T09:00Z",
    )


def _ics_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ics-out",
        type=Path,
        metavar="FILE",
        help="where to write the .ics invitation (default: LeadDesk's invitations folder)",
    )


def slot_time(text: str) -> datetime:
    """An ISO time; without a zone it is the prospect's (the core places it)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"'{text}' is not a date and time; write it like 2026-12-10T10:00.", field="at"
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InputError(f"give a time between {FIRST_YEAR} and {LAST_YEAR}.", field="at")
    return moment


def run_slots(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        free = desk.meetings.slots(args.lead_id, days=args.days, with_=args.with_)
    if args.json:
        print_json(free.as_json())
    else:
        _print_slots(free)
    return 0


def _print_slots(free: FreeSlots) -> None:
    source = f"calendar {free.calendar}" if free.calendar else "no calendar given"
    print(
        f"{free.salesperson_name}'s free slots for lead {free.lead_id} ({free.prospect}): "
        f"{count(len(free.slots), 'slot')}; hours {free.hours} {free.salesperson_zone}, {source}."
    )
    if not free.slots:
        days = free.further_days()
        further = f", or look further ahead with --days {days}" if days else ""
        print(f"{free.none_because()}: pick another salesperson with --with{further}.")
        return
    print(f"{'their time (' + free.prospect_zone + ')':<36}your time ({free.rep_zone})")
    for slot in free.slots:
        theirs, yours = slot.local(free.prospect_zone), slot.local(free.rep_zone)
        print(f"{theirs:%a %d %b %H:%M}{'':<20}{yours:%a %d %b %H:%M}")


def run_book(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        sent = desk.meetings.book(
            args.lead_id,
            slot_time(args.at),
            with_=args.with_,
            decision_maker=args.decision_maker,
            others=tuple(args.also),
            ics_out=args.ics_out,
        )
    return _print_sent(args, sent, "Booked")


def run_move(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        sent = desk.meetings.move(args.lead_id, slot_time(args.at), ics_out=args.ics_out)
    return _print_sent(args, sent, "Moved")


def run_cancel(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        sent = desk.meetings.cancel(args.lead_id, ics_out=args.ics_out)
    return _print_sent(args, sent, "Cancelled")


def _print_sent(args: argparse.Namespace, sent: MeetingSent, verb: str) -> int:
    if args.json:
        print_json(sent.as_json())
        return 0
    meeting = sent.meeting
    print(
        f"{verb}: lead {meeting.lead_id} ({meeting.prospect}) with {meeting.salesperson_name}, "
        f"{meeting.when}; {meeting.local(meeting.salesperson_zone):%a %d %b %H:%M} "
        f"{meeting.salesperson_zone} for them."
    )
    print(f"Invitation: {sent.invitation}")
    print(f"Send it: {sent.mailto}")
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    if not any((args.ics, args.hours, args.weekdays, args.email is not None)):
        raise InputError("Say what to set: --ics, --hours, --weekdays or --email.", field="ics")
    with desk_for(args) as desk:
        info = desk.meetings.set_calendar(
            args.salesperson,
            ics=args.ics,
            hours=args.hours,
            weekdays=args.weekdays,
            email=args.email,
        )
    if args.json:
        print_json(info.as_json())
    else:
        source = (
            f"calendar {info.source} ({count(info.events, 'event')})"
            if info.source
            else ("no calendar")
        )
        print(f"{info.salesperson}: working {info.hours.describe()}; {source}.")
        for line in info.followed:
            print(f"Followed the calendar: {line}")
        for clash in info.clashes:
            print(f"Busy now in the calendar: the meeting of {clash}; move it with meeting move.")
    return 0
