"""`leaddesk contact`: correct a person's name, job title, email or phone on a lead."""

from __future__ import annotations

import argparse

from leaddesk.cli.common import add_as, add_json, desk_for, print_json, record_number
from leaddesk.desk import ContactDetails


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "contact",
        help="correct a person's name, job title, email or phone on a lead you work",
        description="Correct the contact details of a lead's person; what you leave out stays "
        "as it is, an empty value (--title '') clears it. Cleaned as an import cleans; a new "
        "phone number moves their calling hours with it; a number or address on the "
        "do-not-call list takes them out of every queue; one already on file for someone else "
        "is refused, naming them.",
    )
    parser.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(parser)
    parser.add_argument("--first-name", metavar="TEXT")
    parser.add_argument("--last-name", metavar="TEXT")
    parser.add_argument("--title", metavar="TEXT", help="their job title")
    parser.add_argument("--email", metavar="ADDRESS")
    parser.add_argument(
        "--phone", metavar="NUMBER", help="any format; +country or the team's region"
    )
    add_json(parser)
    parser.set_defaults(handler=run_contact)


def run_contact(args: argparse.Namespace) -> int:
    details = ContactDetails(
        first_name=args.first_name,
        last_name=args.last_name,
        title=args.title,
        email=args.email,
        phone=args.phone,
    )
    with desk_for(args) as desk:
        changed = desk.calls.change_contact(args.lead_id, details)
    if args.json:
        print_json(changed.as_json())
    else:
        print(f"Lead {changed.lead_id} ({changed.person}): {changed.message}")
    return 0
