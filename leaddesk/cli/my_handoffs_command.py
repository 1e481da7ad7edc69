"""`leaddesk handoff mine --as REP`: what became of the leads I handed to sales — waiting,
accepted (with the opportunity) or rejected (with sales' reason, comment and where the lead
went), who answered and when."""

from __future__ import annotations

import argparse

from leaddesk.cli.common import add_as, add_json, count, desk_for, print_json

_WHEN = "%d %b %Y %H:%M"


def register(handoff: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mine = handoff.add_parser(
        "mine",
        help="my hand-offs: waiting, accepted or rejected, with sales' answer",
        description="The leads you handed to sales, newest first: waiting for an answer, "
        "accepted with the opportunity sales opened, or rejected with sales' reason and "
        "comment and where the lead went. Times in UTC.",
    )
    add_as(mine)
    mine.add_argument(
        "--status",
        choices=("waiting", "accepted", "rejected"),
        help="only the hand-offs with this answer",
    )
    add_json(mine)
    mine.set_defaults(handler=run_mine)


def run_mine(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        mine = desk.handoff.mine(status=args.status)
    if args.json:
        print_json(mine.as_json())
        return 0
    if not mine.leads:
        which = f"{args.status} " if args.status else ""
        print(f"No {which}hand-offs of yours yet: leads you hand off to sales show here.")
        return 0
    if args.status:
        print(f"{count(len(mine.leads), f'{args.status} hand-off')} of {mine.rep}.")
    else:
        print(
            f"{count(len(mine.leads), 'hand-off')} of {mine.rep}: "
            f"{mine.count('waiting')} waiting, {mine.count('accepted')} accepted, "
            f"{mine.count('rejected')} rejected."
        )
    for lead in mine.leads:
        company = f", {lead.company}" if lead.company else ""
        to = lead.salesperson or "sales"
        print(f"\n#{lead.lead_id}  {lead.person}{company} · {lead.stage}")
        print(f"  Handed off to {to} {lead.handed_off_at:{_WHEN}} in batch {lead.batch}")
        if lead.answered_at is not None:
            print(f"  {lead.answer}")
            print(f"  Answered by {lead.answered_by or 'sales'} on {lead.answered_at:{_WHEN}}")
            if lead.recycle_at is not None:
                print(f"  Comes back from nurture on {lead.recycle_at:%d %b %Y}")
        else:
            print("  Waiting for sales")
    return 0
