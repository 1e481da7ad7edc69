"""`leaddesk lead LEAD_ID`: one lead's file, as its card shows it — who, this interest, where
it stands, its timeline, the person's earlier leads and the others at their company. "Was X a
lead, and did sales act on it?" from a script."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import datetime

from leaddesk.cli.common import add_as, add_json, count, desk_for, print_json, record_number
from leaddesk.desk import LeadFile

_WHEN = "%a %d %b %Y %H:%M"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lead = commands.add_parser(
        "lead",
        help="one lead's file: who, this interest, where it stands, its timeline",
        description="Show one lead as its card shows it, open or closed: the person and "
        "company, this interest, its stage and owner, the timeline (calls, notes, verdicts, "
        "sales' answer, corrections), the person's earlier leads and others at the company. "
        "Times in UTC.",
    )
    lead.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(lead)
    add_json(lead)
    lead.set_defaults(handler=run_lead)


def run_lead(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        file = desk.queue.lead_file(args.lead_id)
    if args.json:
        print_json({**dataclasses.asdict(file), "person": file.person})
        return 0
    for line in lead_lines(file):
        print(line)
    return 0


def _when(moment: datetime) -> str:
    return moment.strftime(_WHEN)


def lead_lines(file: LeadFile) -> list[str]:
    """The lead file as plain lines, for people."""
    company = file.company or "no company on file"
    facts = [f for f in (file.industry, f"{file.employees} people" if file.employees else "") if f]
    if facts:
        company += f" ({', '.join(facts)})"
    if file.existing_customer:
        company += " · existing customer" + (
            f" (owner {file.account_owner})" if file.account_owner else ""
        )
    phone = file.phone or (f"{file.phone_as_typed} (as typed)" if file.phone_as_typed else None)
    country = file.country
    if country and file.country_assumed == country:
        country = f"country assumed: {country}"
    place = ", ".join(p for p in (file.city, country) if p)
    lines = [
        f"Lead {file.lead_id}: {file.person} — {file.title or 'no title'} · {company}",
        " · ".join(p for p in (file.email, phone, place) if p) or "no contact details",
    ]
    if file.do_not_call:
        lines.append("Do not call.")
    owner = f"with {file.assigned_to}" if file.assigned_to else "in the open pool"
    lines.append(
        f"Stage: {file.stage_label} · {owner} · fit {file.fit_score}, "
        f"interest {file.interest_score} · {count(file.attempts, 'call')}"
    )
    if file.sales_answer:
        lines.append(file.sales_answer)
    asked = f' · "{file.inquiry}"' if file.inquiry else ""
    campaign = f" ({file.campaign})" if file.campaign else ""
    if file.referred_by:
        campaign += f", referred by {file.referred_by}"
    lines.append(
        f"This interest: {file.source.replace('_', ' ')}{campaign}, arrived "
        f"{_when(file.arrived_at)}{asked}"
    )
    if file.from_the_file:
        lines.append("")
        lines.append("From the file:")
        lines.extend(f"  {what}: {value}" for what, value in file.from_the_file)
    lines.append("")
    lines.append(f"Timeline ({len(file.timeline)}, newest first):")
    for entry in file.timeline:
        who = f"  {entry.who}" if entry.who else ""
        lines.append(f"  {_when(entry.at)}{who}  {entry.text}")
    if file.earlier:
        lines.append("")
        lines.append(f"Earlier leads of this person ({len(file.earlier)}):")
        for earlier in file.earlier:
            lines.append(
                f"  #{earlier.lead_id}  {earlier.arrived_at:%d %b %Y}  "
                f"{earlier.source.replace('_', ' ')}: {earlier.outcome}"
            )
    if file.also_worked_by:
        lines.append("")
        lines.append(f"Also open at this company: {_shared(file)}. Agree who calls.")
    if file.colleagues:
        lines.append("")
        lines.append(f"Others at the same company ({len(file.colleagues)}):")
        for other in file.colleagues:
            state = (
                f"open with {other.owner or 'the open pool'}"
                if other.is_open
                else f"ended: {other.outcome}"
            )
            lines.append(f"  #{other.lead_id}  {other.name}: {state}")
    return lines


def _shared(file: LeadFile) -> str:
    return "; ".join(f"{other.name} with {other.owner}" for other in file.also_worked_by)
