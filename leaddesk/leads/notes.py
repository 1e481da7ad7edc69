"""A rep's notes on a lead, saved while they type: each save is its own small transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.errors import InputError, NotPermitted
from leaddesk.store.models import Lead, Note

MAX_NOTE = 20_000


def save_note(
    session: Session,
    *,
    lead_id: int,
    text: str,
    user_id: int,
    at: datetime,
    note_id: int | None = None,
) -> int:
    """Create the note (first keystrokes) or update it (later ones); returns its id."""
    if len(text) > MAX_NOTE:
        raise InputError(f"keep notes under {MAX_NOTE} characters", field="note")
    if session.get(Lead, lead_id) is None:
        raise InputError(f"No lead with id {lead_id}.")
    if note_id is not None:
        note = session.get(Note, note_id)
        if note is None or note.lead_id != lead_id:
            raise InputError(f"No note {note_id} on lead {lead_id}.")
        if note.user_id != user_id:
            raise NotPermitted("Only the author can change a note.")
        note.text = text
        note.updated_at = at
        return note.id
    note = Note(lead_id=lead_id, user_id=user_id, text=text, created_at=at, updated_at=at)
    session.add(note)
    session.flush()
    audit.record(session, at=at, actor_id=user_id, action=AuditAction.NOTE_ADDED, lead_id=lead_id)
    return note.id


def notes_for(session: Session, lead_id: int) -> list[Note]:
    return list(
        session.scalars(select(Note).where(Note.lead_id == lead_id).order_by(Note.created_at))
    )
