"""`leaddesk add-lead`: one lead typed in (an inbound call, a referral), by the import's rules."""

from __future__ import annotations

import argparse

from leaddesk.cli.common import add_as, add_json, desk_for, print_json
from leaddesk.desk import NewInterest
from leaddesk.domain import Source


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "add-lead",
        help="add one lead by hand: an inbound call, a referral",
        description="Add one lead by hand. A person the store knows (same email, same phone, "
        "or the same name at the same company) gets a new lead, or the new interest goes onto "
        "their open lead; a customer's company is flagged. Give an email or a phone.",
    )
    add_as(parser)
    parser.add_argument("--first-name", default="", metavar="TEXT")
    parser.add_argument("--last-name", default="", metavar="TEXT")
    parser.add_argument("--email", default="", metavar="ADDRESS")
    parser.add_argument(
        "--phone", default="", metavar="NUMBER", help="any format; +country or the team's region"
    )
    parser.add_argument("--company", default="", metavar="NAME")
    parser.add_argument("--title", default="", metavar="TEXT", help="their job title")
    parser.add_argument("--country", default="", metavar="CC", help="country code or name")
    parser.add_argument("--inquiry", default="", metavar="TEXT", help="what they asked for")
    parser.add_argument(
        "--source",
        default=Source.INBOUND_CALL.value,
        choices=[source.value for source in Source],
        help="where the interest came from (default: inbound_call)",
    )
    parser.add_argument(
        "--for",
        dest="for_user",
        metavar="USER|pool|policy",
        help="who gets it (default: you; team leads and admins may name a rep, the pool, or "
        "the policy's assignment)",
    )
    add_json(parser)
    parser.set_defaults(handler=run_add_lead)


def run_add_lead(args: argparse.Namespace) -> int:
    entry = NewInterest(
        first_name=args.first_name,
        last_name=args.last_name,
        email=args.email,
        phone=args.phone,
        company=args.company,
        title=args.title,
        country=args.country,
        inquiry=args.inquiry,
        source=args.source,
    )
    with desk_for(args) as desk:
        added = desk.intake.add_lead(entry, for_user=args.for_user)
        actor_id = desk.actor.id
    if args.json:
        print_json(added.as_json())
        return 0
    print(added.message(actor_id or 0))
    for note in added.notes:
        print(f"  {note}")
    return 0
