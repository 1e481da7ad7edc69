"""What a sweep did, or would do, in the few lines the CLI prints and the team console shows:
how many leads were (or would be) flagged, moved, left where they are, or wait for the next
run, and what came back from nurture."""

from __future__ import annotations

from collections import Counter

from leaddesk.team.sweep import SweepResult


def sweep_summary(result: SweepResult) -> list[str]:
    """The whole summary, first line first; a dry run says so and says "would"."""
    dry = result.dry_run
    would = "Would flag" if dry else "Flagged"
    moving = (
        f"{'would move' if dry else 'moved'} {_leads(len(result.moved))} to reps with room."
        if result.auto_reassign
        else "moving untouched leads is off in the lead definition."
    )
    lines = [
        f"{'Dry run, nothing changed. ' if dry else ''}"
        f"{would} {_leads(len(result.flagged))} as untouched; "
        f"{'would clear' if dry else 'cleared'} {len(result.unflagged)} flags; {moving}"
    ]
    lines += left_where_they_are(result)
    if result.moved_after_call:
        lines.append(f"Moved after their call: {', '.join(map(str, result.moved_after_call))}.")
    back = result.brought_back
    if back:
        lines.append(
            f"Back from nurture (recycle date reached): {_leads(len(back))}, new lead "
            + ", ".join(str(item.new_lead_id) for item in back)
            + "."
        )
    lines += [
        f"Lead {item.nurtured_lead_id} not brought back: {item.skipped}."
        for item in result.recycled
        if item.skipped
    ]
    return lines


def left_where_they_are(result: SweepResult) -> list[str]:
    """What the sweep left where it was, in a few lines rather than one per lead."""
    lines = []
    why_counts = Counter(why for _lead, why in result.not_moved)
    for why, count in sorted(why_counts.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"{_leads(count)} stay: {why}.")
    if result.waiting:
        lines.append(
            f"{_leads(result.waiting)} wait for the next sweep "
            "(auto_reassign.max_per_run in the lead definition's policy)."
        )
    if result.resting:
        lines.append(
            f"{_leads(result.resting)} moved by a sweep lately stay where they are "
            "(auto_reassign.rest_business_days)."
        )
    return lines


def _leads(count: int) -> str:
    return f"{count} lead" if count == 1 else f"{count} leads"
