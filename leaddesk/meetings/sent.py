"""What a booking, move or cancellation hands back: the meeting, the invitation written for
it, and the mailto: link that offers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from leaddesk.meetings.booking import MeetingInfo
from leaddesk.meetings.invitation import invitation, mailto, write_invitation


@dataclass(frozen=True)
class MeetingSent:
    meeting: MeetingInfo
    invitation: Path
    mailto: str

    def as_json(self) -> dict[str, Any]:
        return {**self.meeting.as_json(), "invitation": str(self.invitation), "mailto": self.mailto}


def default_invitation_path(meeting: MeetingInfo) -> Path:
    """Where an invitation goes when no file was named: the user's LeadDesk folder."""
    folder = Path(platformdirs.user_data_dir("LeadDesk", appauthor=False)) / "invitations"
    return folder / f"lead-{meeting.lead_id}-{meeting.uid.split('-')[0]}.ics"


def send(meeting: MeetingInfo, *, out: Path | None, stamp: datetime) -> MeetingSent:
    path = write_invitation(
        out or default_invitation_path(meeting), invitation(meeting, stamp=stamp)
    )
    return MeetingSent(meeting, path, mailto(meeting, path))
