"""`leaddesk dnc …` (the team's do-not-call list) and `leaddesk erase` (a person asked to be
forgotten)."""

from __future__ import annotations

import argparse
from pathlib import Path

from leaddesk.cli.common import add_as, add_json, desk_for, print_json, print_table


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dnc = commands.add_parser(
        "dnc",
        help="the team's do-not-call list: add, import, list, remove",
        description="Numbers and emails nobody may call. Everyone with one is flagged "
        "do-not-call and their open leads are held; imports hold their leads too.",
    )
    actions = dnc.add_subparsers(dest="dnc_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help="put a phone number or email on the list",
        description="Put a phone number or email on the list (anyone with a call queue may: "
        "they heard it on a call). Everyone who has it is flagged do-not-call at once.",
    )
    add.add_argument("value", metavar="PHONE_OR_EMAIL")
    add.add_argument("--reason", required=True, metavar="TEXT", help="why, e.g. 'asked on a call'")
    add_as(add)
    add_json(add)
    add.set_defaults(handler=_add)

    bulk = actions.add_parser(
        "import",
        help="put every phone number and email of a CSV/XLSX file on the list",
        description="A file with a phone and/or an email column (and optionally a reason "
        "column). The whole file is checked first: a bad row stops it (exit 2, naming the row "
        "and column) and nothing is stored. Team leads and admins.",
    )
    bulk.add_argument("file", type=Path, metavar="FILE")
    bulk.add_argument(
        "--reason", metavar="TEXT", help="why, for rows without a reason of their own"
    )
    bulk.add_argument("--encoding", metavar="NAME", help="the file's text encoding if not detected")
    add_as(bulk)
    add_json(bulk)
    bulk.set_defaults(handler=_import)

    listing = actions.add_parser("list", help="the list, newest first (team leads and admins)")
    add_as(listing)
    add_json(listing)
    listing.set_defaults(handler=_list)

    remove = actions.add_parser(
        "remove",
        help="take a phone number or email off the list (team leads and admins)",
        description="Take a phone number or email off the list. People flagged do-not-call "
        "stay flagged and their held leads stay held: removing an entry un-flags nobody.",
    )
    remove.add_argument("value", metavar="PHONE_OR_EMAIL")
    add_as(remove)
    add_json(remove)
    remove.set_defaults(handler=_remove)

    erase = commands.add_parser(
        "erase",
        help="erase a person at their request (team leads and admins)",
        description="Blank a person's personal data (names, email, phones, title, "
        "whereabouts, what their leads kept of the file, notes, free-text answers), close "
        "their open leads, and keep their email and phone on the do-not-call list as one-way "
        "digests, so a later import reports 'erased person: not imported'. Handoff files "
        "already written are outside LeadDesk.",
    )
    erase.add_argument(
        "who",
        metavar="PERSON_OR_LEAD",
        help="a lead id (1234 or #1234), an email, or a phone number with its +country code",
    )
    erase.add_argument("--reason", required=True, metavar="TEXT", help="why (not who)")
    add_as(erase)
    add_json(erase)
    erase.set_defaults(handler=_erase)


def _add(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        added = desk.privacy.add_do_not_call(args.value, args.reason)
    if args.json:
        print_json(added.as_json())
    else:
        print(added.message())
    return 0


def _import(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        added = desk.privacy.import_do_not_call(
            args.file, reason=args.reason, encoding=args.encoding
        )
    if args.json:
        print_json(added.as_json())
        return 0
    already = f", {added.already:,} already on it" if added.already else ""
    people = "person" if added.people == 1 else "people"
    print(
        f"{args.file.name}: {added.rows:,} row(s), {added.added:,} new entr"
        f"{'y' if added.added == 1 else 'ies'} on the do-not-call list{already}; "
        f"{added.people:,} {people} flagged do-not-call, {added.leads_held:,} open lead(s) held."
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        entries = desk.privacy.do_not_call_list()
    if args.json:
        print_json([entry.as_json() for entry in entries])
        return 0
    if not entries:
        print("The do-not-call list is empty.")
        return 0
    print_table(
        ("id", "phone or email", "reason", "added by", "added"),
        [
            (e.id, e.shown, e.reason, e.added_by or "", f"{e.added_at:%Y-%m-%d %H:%M}")
            for e in entries
        ],
    )
    return 0


def _remove(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        removed = desk.privacy.remove_do_not_call(args.value)
    if args.json:
        print_json(removed.as_json())
    else:
        print(removed.message())
    return 0


def _erase(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        erased = desk.privacy.erase_person(args.who, args.reason)
    if args.json:
        print_json(erased.as_json())
    else:
        print(erased.message())
    return 0
