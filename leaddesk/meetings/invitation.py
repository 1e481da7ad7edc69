"""The meeting's invitation: an iCalendar file (METHOD:REQUEST, or CANCEL) for the prospect and
the salesperson, and a mailto: link that offers it. The UID never changes for a meeting, so a
calendar program updates the event it has when SEQUENCE goes up."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from leaddesk.errors import InputError

if TYPE_CHECKING:
    from leaddesk.meetings.booking import MeetingInfo

PRODID = "-//LeadDesk//Meetings//EN"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def named_address(text: str) -> tuple[str, str | None]:
    """'Jane Roe, CFO <jane@x.com>' → ('Jane Roe, CFO', 'jane@x.com'); no address → None."""
    found = _EMAIL.search(text)
    if found is None:
        return text.strip(), None
    name = (text[: found.start()] + text[found.end() :]).replace("<", "").replace(">", "")
    return name.strip(" ,") or found.group(), found.group()


def invitation(meeting: MeetingInfo, *, stamp: datetime) -> bytes:
    """The .ics bytes for ``meeting`` as it stands (a cancelled one is METHOD:CANCEL)."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cancelled = meeting.status == "cancelled"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    # On the prospect's wall clock, with its VTIMEZONE: the time they agreed on the phone.
    zone = ZoneInfo(meeting.prospect_zone)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", f"{meeting.company or meeting.prospect} and {meeting.salesperson_name}")
    event.add("description", describe(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(_address(meeting.salesperson_email, meeting.salesperson))
    organizer.params["cn"] = vText(meeting.salesperson_name)
    event["organizer"] = organizer
    attendees = [
        (meeting.prospect, meeting.prospect_email, "REQ-PARTICIPANT"),
        (meeting.salesperson_name, meeting.salesperson_email or None, "REQ-PARTICIPANT"),
    ]
    for text in (meeting.decision_maker, *meeting.others):
        name, email = named_address(text or "")
        if email:
            attendees.append((name, email, "OPT-PARTICIPANT"))
    for name, email, role in attendees:
        if name == meeting.salesperson_name and not email:
            email = _address(None, meeting.salesperson)
        if not email:
            continue
        attendee = vCalAddress(email if ":" in email else f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText(role)
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def describe(meeting: MeetingInfo) -> str:
    lines = [
        f"{meeting.salesperson_name} meets {meeting.prospect}"
        + (f" of {meeting.company}" if meeting.company else "")
        + f" (LeadDesk lead {meeting.lead_id}), booked by {meeting.booked_by_name} on the call.",
    ]
    if meeting.was and not meeting.cancelled:
        lines.append(f"Moved from {meeting.was} ({meeting.prospect_zone}).")
    if meeting.decision_maker:
        lines.append(f"Decision maker: {meeting.decision_maker}")
    if meeting.others:
        lines.append(f"Also involved: {'; '.join(meeting.others)}")
    return "\n".join(lines)


def _address(email: str | None, login: str) -> str:
    # A salesperson who gave no address is named by their LeadDesk login (a valid CAL-ADDRESS).
    return f"mailto:{email}" if email else f"urn:leaddesk:user:{login}"


def mailto(meeting: MeetingInfo, ics_path: Path | None) -> str:
    """A mailto: link to the prospect (the salesperson copied) that says when, in the prospect's
    time; the .ics itself is attached by hand (mailto cannot carry a file)."""
    to = meeting.prospect_email or ""
    when = meeting.starts_at.astimezone(ZoneInfo(meeting.prospect_zone))
    verb = "Cancelled" if meeting.cancelled else "Moved" if meeting.was else "Invitation"
    subject = f"{verb}: {meeting.salesperson_name}, {when:%a %d %b %H:%M} ({meeting.prospect_zone})"
    body = describe(meeting)
    if ics_path is not None:
        body += f"\n\nThe calendar invitation is attached: {ics_path.name}"
    query = f"subject={quote(subject)}&body={quote(body)}"
    if meeting.salesperson_email:
        query = f"cc={quote(meeting.salesperson_email)}&" + query
    return f"mailto:{quote(to, safe='@')}?{query}"


def write_invitation(path: Path, data: bytes) -> Path:
    """Write the .ics under a temporary name and rename it into place."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name ending in .ics.", field="ics_out")
    temporary = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(
            f"The invitation cannot be written to {path} ({exc.strerror or exc}); pick another "
            "place.",
            field="ics_out",
        ) from None
    return path
