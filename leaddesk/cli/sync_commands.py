"""The sync to sales' CRM from a script: set it up (admins), test it, see what waits, send."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from leaddesk.cli.common import add_json, add_setup_as, count, print_json, print_table
from leaddesk.cli.common import setup_or_user_desk as desk_for
from leaddesk.desk import SYNC_CONNECTORS, SYNC_VALUES, Action, SyncSettings
from leaddesk.errors import InputError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = commands.add_parser(
        "sync",
        help="send hand-offs to sales' CRM as they happen, read sales' answers back: "
        "setup, test, status, run, pull",
    )
    sub = sync.add_subparsers(
        dest="sync_command", metavar="setup|test|status|run|pull", required=True
    )

    setup = sub.add_parser("setup", help="choose the team's connector and its settings (admins)")
    setup.add_argument("connector", choices=sorted(SYNC_CONNECTORS), help="where hand-offs go")
    add_setup_as(setup)
    setup.add_argument("--login-url", help="Salesforce's sign-in (default login.salesforce.com)")
    setup.add_argument("--client-id", help="the connected app's consumer key")
    setup.add_argument(
        "--client-secret-file",
        metavar="FILE",
        type=Path,
        help="a file whose first line is the connected app's secret (else it is asked for); "
        "it goes to this computer's keyring, never the store",
    )
    setup.add_argument(
        "--token-file",
        metavar="FILE",
        type=Path,
        help="HubSpot: a file whose first line is the private app's access token (else it is "
        "asked for); it goes to this computer's keyring, never the store",
    )
    setup.add_argument("--api-url", help="HubSpot's API address (default api.hubapi.com)")
    setup.add_argument(
        "--no-leads-object",
        action="store_true",
        help="HubSpot portal without the leads object: a note and a call task on the contact",
    )
    setup.add_argument("--api-version", help="Salesforce REST API version, e.g. 62.0")
    setup.add_argument("--ca-bundle", metavar="FILE", help="a certificate file to trust")
    setup.add_argument("--folder", metavar="DIR", help="the files connector's batch folder")
    setup.add_argument(
        "--map",
        metavar="FIELD=VALUE",
        action="append",
        default=[],
        help=f"map a CRM field to a LeadDesk value ({', '.join(SYNC_VALUES)}); FIELD= drops it",
    )
    setup.add_argument(
        "--pull-rejected-status",
        metavar="STATUS",
        action="append",
        default=[],
        help="a Lead status that means sales turned the lead down (repeat it; default "
        "Unqualified and Disqualified)",
    )
    setup.add_argument(
        "--pull-reason-field", metavar="FIELD", help="the Lead field with sales' reason"
    )
    setup.add_argument(
        "--pull-comment-field",
        metavar="FIELD",
        help="the Lead field with sales' comment (default Description, when LeadDesk does "
        "not fill it)",
    )
    add_json(setup)
    setup.set_defaults(handler=run_setup)

    test = sub.add_parser("test", help="sign in and check the field mapping against the CRM")
    add_setup_as(test)
    add_json(test)
    test.set_defaults(handler=run_test)

    status = sub.add_parser("status", help="the connector, the mapping, what waits or is held")
    add_setup_as(status)
    add_json(status)
    status.set_defaults(handler=run_status)

    run = sub.add_parser("run", help="send every hand-off waiting to sync (for a scheduler)")
    add_setup_as(run)
    run.add_argument(
        "--send-held-again",
        action="store_true",
        help="also resend hand-offs the CRM refused before (after fixing the CRM or the mapping)",
    )
    add_json(run)
    run.set_defaults(handler=run_run)

    pull = sub.add_parser(
        "pull",
        help="record what sales did in the CRM since the last pull: converted → accepted, "
        "turned down → rejected (salespeople)",
    )
    add_setup_as(pull)
    add_json(pull)
    pull.set_defaults(handler=run_pull)


def _mapping(pairs: list[str]) -> dict[str, str]:
    changes = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise InputError(f"--map {pair}: write it as FIELD=VALUE, e.g. Title=title")
        changes[field.strip()] = value.strip()
    return changes


def _secret(args: argparse.Namespace) -> str | None:
    if args.connector not in ("salesforce", "hubspot"):
        return None
    hubspot = args.connector == "hubspot"
    option, given = (
        ("--token-file", args.token_file)
        if hubspot
        else ("--client-secret-file", args.client_secret_file)
    )
    if given is not None:
        try:
            lines = given.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise InputError(f"{given}: cannot read it ({error.strerror})", field=option) from error
        return lines[0].strip() if lines else None
    if sys.stdin.isatty():
        what = "HubSpot private app's access token" if hubspot else "Connected app's client secret"
        return getpass.getpass(f"{what} (Enter keeps the saved one): ")
    line = sys.stdin.readline().strip()
    return line or None


def _print_mapping(settings: SyncSettings) -> None:
    print_table(("CRM field", "LeadDesk value"), sorted(settings.mapping.items()))


def run_setup(args: argparse.Namespace) -> int:
    mapping = _mapping(args.map)
    with desk_for(args, create=False) as desk:
        desk.require(Action.SET_UP_SYNC)  # before the secret is asked for
        settings = desk.sync.setup(
            args.connector,
            login_url=args.login_url,
            client_id=args.client_id,
            client_secret=_secret(args),
            api_version=args.api_version,
            folder=args.folder,
            ca_bundle=args.ca_bundle,
            mapping=mapping,
            rejected_statuses=args.pull_rejected_status,
            reason_field=args.pull_reason_field,
            comment_field=args.pull_comment_field,
            api_url=args.api_url,
            leads_object=False if args.no_leads_object else None,
        )
    if args.json:
        print_json(settings.as_json())
        return 0
    if settings.connector == "files":
        print(f"Hand-offs sync as batch folders in {settings.folder}.")
        return 0
    if settings.connector == "hubspot":
        what = (
            f"a contact (by email) and a lead found again by its {settings.external_id_field}"
            if settings.leads_object
            else "a contact (by email) with a note and a call task"
        )
        print(f"Hand-offs sync to HubSpot ({settings.api_url}): each is {what}.")
        print("The contact's properties:")
        _print_mapping(settings)
        print("Check it against your portal with: leaddesk sync test")
        return 0
    print(f"Hand-offs sync to Salesforce ({settings.login_url}, API {settings.api_version}).")
    print(f"Each is a Lead upserted by {settings.external_id_field}, with these fields:")
    _print_mapping(settings)
    print("Check it against your org with: leaddesk sync test")
    return 0


def run_test(args: argparse.Namespace) -> int:
    with desk_for(args, create=False) as desk:
        check = desk.sync.check()
    if args.json:
        print_json(
            {"ok": check.ok, "problems": list(check.problems), "unreachable": check.unreachable}
        )
    elif check.unreachable:
        print(f"Could not check: {check.unreachable}")
    elif check.ok:
        print(f"OK: signed in to {SYNC_CONNECTORS[check.connector]}; the field mapping fits.")
    else:
        print(f"{count(len(check.problems), 'thing')} to fix before the first send:")
        for problem in check.problems:
            print(f"  - {problem}")
    return 0 if check.ok else 2


def run_status(args: argparse.Namespace) -> int:
    with desk_for(args, create=False) as desk:
        status = desk.sync.status()
    if args.json:
        print_json(status.as_json())
        return 0
    if status.settings is None:
        print("No sync is set up: hand-offs go to sales by the end-of-day export.")
        return 0
    print(f"Connector: {status.settings.label}. {status.line}. Sent so far: {status.sent}.")
    if status.settings.connector in ("salesforce", "hubspot"):
        _print_mapping(status.settings)
    for held in status.held:
        print(f"  held: lead {held.lead_id}: {held.error}")
    if status.pulled_until is not None:
        print(f"Sales' answers read back up to {status.pulled_until:%Y-%m-%d %H:%M} UTC.")
    return 0


def run_run(args: argparse.Namespace) -> int:
    with desk_for(args, create=False) as desk:
        run = desk.sync.run(send_held_again=args.send_held_again)
    if args.json:
        print_json(run.as_json())
        return 0 if run.unreachable is None else 4
    label = SYNC_CONNECTORS[run.connector]
    print(f"Sent {count(len(run.sent), 'hand-off')} to {label}.")
    for sent in run.sent:
        print(f"  lead {sent.lead_id}: {sent.crm_id}")
    for held in run.held:
        print(f"  held: lead {held.lead_id}: {held.error}")
    if run.unreachable:
        print(f"Not sent now: {run.unreachable} {run.waiting} still waiting for the next run.")
        return 4
    return 0


def run_pull(args: argparse.Namespace) -> int:
    with desk_for(args, create=False) as desk:
        pulled = desk.sync.pull()
    if args.json:
        print_json(pulled.as_json())
        return 0 if pulled.unreachable is None else 4
    label = pulled.label
    if pulled.unreachable:
        print(
            f"Not read now: {pulled.unreachable} Nothing was recorded; the next pull tries again."
        )
        return 4
    if pulled.connector == "files":
        print(
            "The files sync has nothing to read back: record sales' answers with "
            "leaddesk feedback FILE."
        )
        return 0
    print(
        f"From {label}: {len(pulled.accepted)} accepted, {len(pulled.rejected)} rejected, "
        f"{len(pulled.unchanged)} unchanged ({count(pulled.read, 'answer')} read)."
    )
    for lead_id in pulled.accepted:
        print(f"  lead {lead_id}: accepted")
    for lead_id in pulled.rejected:
        print(f"  lead {lead_id}: rejected")
    for problem in pulled.not_applied:
        lead = f"lead {problem.lead_id}: " if problem.lead_id else ""
        print(f"  not recorded: {lead}{problem.message}")
    return 0
