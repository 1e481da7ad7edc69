"""Handing leads to sales from a script: export, verify, sales feedback, what sales owes us."""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from leaddesk.cli import my_handoffs_command
from leaddesk.cli.common import (
    add_as,
    add_json,
    count,
    desk_for,
    print_json,
    print_table,
    record_number,
)
from leaddesk.desk import ExportedBatch, PendingLead, resource_path, verify_batch

if TYPE_CHECKING:
    from leaddesk.desk import MeetingInfo

FEEDBACK_TEMPLATE = ("feedback_template.csv",)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export", help="hand every lead with a hand-off verdict to sales as one batch folder"
    )
    add_as(export)
    export.add_argument("--team", action="store_true", help="the whole team's leads (team leads)")
    export.add_argument(
        "--out", metavar="DIR", default=".", help="where the batch folder goes (default: here)"
    )
    export.add_argument("--xlsx", action="store_true", help="also write an Excel workbook")
    add_json(export)
    export.set_defaults(handler=run_export)

    verify = commands.add_parser(
        "verify-handoff", help="check a handoff batch folder against its manifest"
    )
    verify.add_argument("folder", metavar="DIR", help="the batch folder")
    add_json(verify)
    verify.set_defaults(handler=run_verify)

    feedback = commands.add_parser(
        "feedback", help="record sales' accept/reject decisions from a CSV (sales users)"
    )
    feedback.add_argument(
        "file",
        metavar="FILE",
        help="CSV like resources/feedback_template.csv, or a Salesforce converted-leads "
        "report or HubSpot deals or leads export with a LeadDesk Lead ID column",
    )
    add_as(feedback)
    add_json(feedback)
    feedback.set_defaults(handler=run_feedback)

    handoff = commands.add_parser(
        "handoff", help="handed-off leads: mine, pending, chase, show, preview, rewrite, template"
    )
    sub = handoff.add_subparsers(
        dest="handoff_command",
        metavar="mine|pending|chase|show|preview|rewrite|template",
        required=True,
    )
    my_handoffs_command.register(sub)
    pending = sub.add_parser("pending", help="handed-off leads sales has not answered in time")
    add_as(pending)
    pending.add_argument(
        "--all", action="store_true", help="list those still within the window too"
    )
    add_json(pending)
    pending.set_defaults(handler=run_pending)

    chase = sub.add_parser(
        "chase",
        help="flag hand-offs sales is late on (24 h) and, if the policy says so, move them "
        "to another salesperson (48 h)",
    )
    add_as(chase)
    add_json(chase)
    chase.set_defaults(handler=run_chase)

    show = sub.add_parser("show", help="one handed-off lead as sales got it: summary, answers")
    show.add_argument("lead", metavar="LEAD_ID", type=record_number)
    add_as(show)
    add_json(show)
    show.set_defaults(handler=run_show)

    preview = sub.add_parser("preview", help="what the next export would hand off")
    add_as(preview)
    preview.add_argument("--team", action="store_true", help="the whole team's leads")
    add_json(preview)
    preview.set_defaults(handler=run_preview)

    rewrite = sub.add_parser("rewrite", help="write a batch's lost files again, identically")
    rewrite.add_argument("batch", metavar="BATCH", help="e.g. handoff-20261118-rep1-3f9a2c1b-12")
    add_as(rewrite)
    rewrite.add_argument("--out", metavar="DIR", help="write it here (default: where it was)")
    add_json(rewrite)
    rewrite.set_defaults(handler=run_rewrite)

    template = sub.add_parser(
        "template",
        help="print the sales feedback template CSV (with --as: your team's reject reasons)",
    )
    add_as(template, required=False)
    template.set_defaults(handler=run_template)


def _print_batch(batch: ExportedBatch, heading: str) -> None:
    print(f"{heading}: batch {batch.code} ({count(batch.lead_count, 'lead')})")
    for path in batch.paths:
        print(f"  {path}")


def run_export(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        result = desk.handoff.export(Path(args.out), team=args.team, xlsx=args.xlsx)
    if args.json:
        print_json(result.as_json())
        return 0
    if result.nothing_to_hand_off:
        whose = "the team's" if args.team else "your"
        print(f"Nothing to hand off: none of {whose} leads is waiting with a hand-off verdict.")
        return 0
    for batch in result.batches:
        if batch.finished_earlier_run:
            _print_batch(batch, "Finished an interrupted export")
    if result.new_batch is not None:
        _print_batch(result.new_batch, "Handed off")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    report = verify_batch(Path(args.folder))
    if args.json:
        print_json(report.as_json())
    elif report.ok:
        print(
            f"OK: {report.batch} — {count(report.lead_count or 0, 'lead')}, "
            f"{count(len(report.checked), 'file')} match the manifest."
        )
    else:
        print(f"{args.folder}: {count(len(report.problems), 'problem')}:")
        for problem in report.problems:
            print(f"  {problem}")
    return 0 if report.ok else 2


def run_feedback(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        report = desk.handoff.import_feedback(Path(args.file))
    # A colleague's routed lead is not this salesperson's to answer: the rest still counts.
    refused = any(problem.kind == "not_permitted" for problem in report.problems)
    # Not one row could be recorded (nor was one already): the file is bad input as a whole,
    # and a scheduled run must be able to tell.
    unusable = bool(report.problems) and not (report.applied or report.unchanged)
    code = 3 if refused else 2 if unusable else 0
    if args.json:
        print_json(report.as_json())
        return code
    print(
        f"{args.file}: {count(report.applied, 'decision')} recorded "
        f"({len(report.accepted)} accepted, {len(report.rejected)} rejected); "
        f"{len(report.unchanged)} already recorded."
    )
    if report.problems:
        print(f"Not applied ({len(report.problems)}):")
        for problem in report.problems:
            print(f"  {problem}")
    return code


def run_pending(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        report = desk.handoff.pending(everything=args.all)
    if args.json:
        print_json(report.as_json())
        return 0
    if not (report.leads or report.waiting_within_window or report.accepted or report.rejected):
        print("Nothing has been handed off to sales yet, so sales owes no answer.")
        return 0
    print(
        f"Sales owes an answer on {count(report.late, 'handed-off lead')} past "
        f"{report.followup_hours:g} h ({report.escalated} past {report.escalation_hours:g} h); "
        f"{report.waiting_within_window} more still within the window. "
        f"Answered so far: {report.accepted} accepted, {report.rejected} rejected."
    )
    if report.leads:
        print_table(
            (
                "lead",
                "name",
                "company",
                "batch",
                "qualified by",
                "salesperson",
                "due",
                "waiting",
                "level",
            ),
            [
                (
                    lead.lead_id,
                    lead.name,
                    lead.company,
                    lead.batch or "not exported yet",
                    lead.qualified_by,
                    _salesperson(lead, report.unrouted),
                    f"{lead.due_at:%Y-%m-%d %H:%M} UTC" if lead.due_at else "",
                    f"{lead.hours_waiting:g} h",
                    lead.level,
                )
                for lead in report.leads
            ],
        )
    return 0


def _salesperson(lead: PendingLead, unrouted: str) -> str:
    if lead.salesperson is None:  # routed to nobody: the routing policy's words
        return unrouted
    owner = " (account owner)" if lead.kind == "existing_customer" else ""
    return f"{lead.salesperson}{owner}"


def run_chase(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        result = desk.handoff.chase()
    if args.json:
        print_json(result.as_json())
        return 0
    told = ", ".join(result.told) or "nobody (the team has no team lead)"
    print(f"Flagged {count(len(result.flagged), 'late hand-off')} to {told}.")
    for move in result.moved:
        print(f"Lead {move.lead_id}: moved from {move.from_name} to {move.to_name}.")
    if result.stuck:
        stuck = ", ".join(str(lead_id) for lead_id in result.stuck)
        print(f"No other salesperson to move lead(s) {stuck} to; add one or answer them.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        record = desk.handoff.record(args.lead)
    if args.json:
        print_json(dataclasses.asdict(record))
        return 0
    name = f"{record.first_name} {record.last_name}".strip() or record.email or "no name on file"
    company = f", {record.company}" if record.company else ""
    print(f"Lead {record.lead_id}: {name}{company}")
    for label, value in (("email", record.email), ("phone", record.phone)):
        if value:
            print(f"  {label}: {value}")
    print(f"\n{record.summary}")
    _print_meeting(record.meeting)
    answered = [(question, answer) for _id, question, answer in record.answer_labels if answer]
    if answered:
        print()
        print_table(("question", "answer"), answered)
    for note in record.notes:
        print(f"\nNote ({note['by']}, {note['at'][:10]}): {note['text']}")
    return 0


def _print_meeting(meeting: MeetingInfo | None) -> None:
    """The meeting the rep booked on the call as it is now, as the sales page shows it."""
    if meeting is None:
        return
    if meeting.cancelled:
        print(f"\nMeeting cancelled: {meeting.when} is off; nothing booked now.")
        return
    moved = f", moved from {meeting.was}" if meeting.was else ""
    their = meeting.local(meeting.salesperson_zone)
    print(
        f"\nMeeting booked on the call: {meeting.when} with {meeting.salesperson_name}{moved} "
        f"(their time {their:%a %d %b %H:%M})"
    )
    if meeting.decision_maker:
        print(f"  Decision maker: {meeting.decision_maker}")
    if meeting.others:
        print(f"  Others involved: {'; '.join(meeting.others)}")


def run_preview(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        preview = desk.handoff.preview(team=args.team)
    if args.json:
        print_json(preview.as_json())
        return 0
    if preview.unfinished_batches:
        print(f"Export will first finish: {', '.join(preview.unfinished_batches)}")
    if not preview.leads:
        print("Nothing waiting to hand off.")
        return 0
    print(f"{count(preview.count, 'lead')} would be handed off:")
    print_table(
        ("lead", "name", "company", "qualified by", "fit", "interest", "warnings"),
        [
            (
                p.lead_id,
                p.name,
                p.company,
                p.qualified_by,
                p.fit_score,
                p.interest_score,
                "; ".join(p.warnings),
            )
            for p in preview.leads
        ],
    )
    return 0


def run_rewrite(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        batch = desk.handoff.rewrite(args.batch, out_dir=Path(args.out) if args.out else None)
    if args.json:
        print_json(batch.as_json())
        return 0
    _print_batch(batch, "Wrote again")
    if not batch.same_as_before:
        print("  Lead data changed since the first export, so the files differ from the original.")
    return 0


def run_template(args: argparse.Namespace) -> int:
    """The template, its reason line naming the reasons sales may give: the team's published
    lead definition's (with --as), else the shipped definition's."""
    from leaddesk.desk import DEFAULT_REJECT_REASONS

    reasons = DEFAULT_REJECT_REASONS
    if args.as_user:
        with desk_for(args) as desk:
            reasons = desk.handoff.reject_reasons()
    text = resource_path(*FEEDBACK_TEMPLATE).read_text(encoding="utf-8")
    sys.stdout.write(_with_reasons(text, [reason.key for reason in reasons]))
    return 0


_REASON_LINES = re.compile(r"^# reason .*\n(?:#  {16}.*\n)*", re.MULTILINE)


def _with_reasons(template: str, keys: list[str]) -> str:
    """``template`` with its reason description listing ``keys``, wrapped as the file is."""
    head = "# reason          "
    words = [*textwrap.wrap(f"rejected: required, one of {', '.join(keys)}.", 95 - len(head))]
    words.append("accepted: leave empty.")
    lines = [head + words[0]] + ["#" + " " * (len(head) - 1) + line for line in words[1:]]
    return _REASON_LINES.sub(lambda _found: "\n".join(lines) + "\n", template, count=1)
