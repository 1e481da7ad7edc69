"""Correct a person's contact details on the phone: "it's Katharina with a K", "call my mobile
instead", "send it to my work address".

The rep working the lead (or a team lead) types the correction; it is cleaned the way an import
cleans (numbers to E.164, read as national numbers of the person's country when they have one,
else of the policy's region; email syntax checked, names trimmed) and saved
in one transaction with an audit event naming what changed, from what to what. A new phone
number moves the person's calling hours with it. A new number or address that is on the
do-not-call list takes the person out of every queue at once. A number or address already on
file for someone else is refused, naming them, so one person never becomes two.

A person may have three numbers: the phone (the one the queue dials first, on the person), a
mobile and a direct line (kept in the lead's ``extra`` details, as imports keep a second number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.contacts.emails import normalise_email
from leaddesk.contacts.names import tidy_text
from leaddesk.contacts.phones import normalise_phone
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.privacy.do_not_call import EMAIL, HOLD, PHONE, Value, hold_people, listed_values
from leaddesk.queue import zones
from leaddesk.queue.claims import claimed_by_other, holder_message
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Lead, Person, User

CHANGED = AuditAction.CONTACT_CHANGED
# The longest each field may be, as the store keeps it.
LIMITS = {
    "first_name": 128,
    "last_name": 128,
    "title": 256,
    "email": 320,
    "phone": 64,
    "mobile": 64,
    "direct_line": 64,
}
WORDS = {
    "first_name": "first name",
    "last_name": "last name",
    "title": "job title",
    "email": "email",
    "phone": "phone",
    "mobile": "mobile",
    "direct_line": "direct line",
}
NUMBERS = ("phone", "mobile", "direct_line")
# Numbers beside the phone live in the lead's extra details under these keys.
EXTRA_NUMBERS = ("mobile", "direct_line")


@dataclass(frozen=True)
class ContactDetails:
    """What the rep typed; None leaves a field as it is, "" clears it."""

    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    direct_line: str | None = None

    def given(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class ContactChanged:
    lead_id: int
    person_id: int
    person: str
    changed: tuple[str, ...]  # field names, in the order of WORDS
    email: str | None
    phone: str | None
    do_not_call: bool  # the new number or address is on the do-not-call list
    message: str
    mobile: str | None = None
    direct_line: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "person_id": self.person_id,
            "person": self.person,
            "changed": list(self.changed),
            "email": self.email,
            "phone": self.phone,
            "mobile": self.mobile,
            "direct_line": self.direct_line,
            "do_not_call": self.do_not_call,
            "message": self.message,
        }


def change_contact(
    session: Session,
    lead_id: int,
    details: ContactDetails,
    *,
    user_id: int,
    at: datetime,
    any_lead: bool = False,
) -> ContactChanged:
    """Save ``details`` on the person of ``lead_id``. ``any_lead`` lets a team lead correct a
    lead assigned to someone else; a rep corrects their own leads and the one they hold."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise InputError(f"No lead {lead_id}.")
    person = session.get(Person, lead.person_id, with_for_update=True)
    assert person is not None
    if person.erased_at is not None:
        raise Conflict(f"The person of lead {lead_id} was erased; nothing can be added.")
    if claimed_by_other(lead, user_id, at):
        raise Conflict(holder_message(session, lead))
    mine = lead.assigned_to_id == user_id or lead.claimed_by_id == user_id
    if not (mine or any_lead):
        owner = session.scalar(select(User.display_name).where(User.id == lead.assigned_to_id))
        raise NotPermitted(
            f"Lead {lead_id} belongs to {owner or 'the open pool'}; work it first, or ask "
            "your team lead."
        )
    region = person.country or current_policy(session).default_phone_region
    wanted = _cleaned(details.given(), region)
    before = {name: _on_file(person, lead, name) for name in wanted}
    changes = {
        name: [before[name], value] for name, value in wanted.items() if before[name] != value
    }
    first = wanted.get("first_name", person.first_name)
    last = wanted.get("last_name", person.last_name)
    if not (first or last):
        raise InputError(
            "give the person's name (at least a first or a last name)", field="first_name"
        )
    email = wanted.get("email", person.email)
    numbers = [wanted.get(name, _on_file(person, lead, name)) for name in NUMBERS]
    if not (email or any(numbers)):
        raise InputError("give a phone number or an email address to reach them by", field="phone")
    _refuse_someone_else(
        session,
        person,
        email=email if "email" in changes else None,
        phone=wanted["phone"] if "phone" in changes else None,
    )
    if not changes:
        return _result(lead, person, (), False, "Nothing changed.")

    extra = dict(lead.extra or {})
    for name, (_old, new) in changes.items():
        if name in EXTRA_NUMBERS:
            if new is None:
                extra.pop(name, None)
            else:
                extra[name] = new
        else:
            setattr(person, name, new)
    if any(name in EXTRA_NUMBERS for name in changes):
        lead.extra = extra or None
    moved_to: str | None = None
    if "phone" in changes:
        person.phone_raw = (details.phone or "").strip() or None
        zone_key = zones.zone_key_for(
            phone=person.phone, country=person.country, timezone=person.timezone
        )
        if zone_key != person.zone_key:
            person.zone_key = zone_key
            moved_to = _place(zone_key)
    listed = _now_on_the_list(session, changes)
    if listed and not person.do_not_call:
        hold_people(session, [person.id], at=at, keep_lead_id=lead.id)
        if lead.hold_reason is None:
            lead.hold_reason = HOLD
            lead.callback_at = lead.next_attempt_at = None
    names = tuple(name for name in WORDS if name in changes)
    audit.record(
        session,
        at=at,
        actor_id=user_id,
        action=CHANGED,
        lead_id=lead.id,
        subject=f"person {person.id}",
        details={"person_id": person.id, "changed": changes, "do_not_call": listed},
    )
    session.flush()
    said = ", ".join(WORDS[name] for name in names)
    message = f"Saved: {said}."
    if listed:
        message += (
            " The new details are on the do-not-call list: this person is out of every queue."
        )
    elif moved_to:
        message += f" Their calling hours follow the new number: {moved_to} time."
    return _result(lead, person, names, listed, message)


def _place(zone_key: str | None) -> str:
    """ "America/Los_Angeles" -> "Los Angeles"; several zones -> the first and "or nearby"."""
    names = zones.zones_of(zone_key)
    if not names:
        return "the team's"
    place = names[0].rsplit("/", 1)[-1].replace("_", " ")
    return place if len(names) == 1 else f"{place} (or nearby)"


def _on_file(person: Person, lead: Lead, name: str) -> str | None:
    if name in EXTRA_NUMBERS:
        value = (lead.extra or {}).get(name)
        return value if isinstance(value, str) else None
    value = getattr(person, name)
    return value if value is None else str(value)


def _cleaned(given: dict[str, str], region: str | None) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = {}
    for name, typed in given.items():
        text = typed.strip()
        if len(text) > LIMITS[name]:
            raise InputError(
                f"the {WORDS[name]} takes at most {LIMITS[name]} characters", field=name
            )
        if name == "email":
            if not text:
                cleaned[name] = None
                continue
            email = normalise_email(text)
            if email.address is None:
                raise InputError(
                    f"'{text}' is {email.flag or 'not an email address'}", field="email"
                )
            cleaned[name] = email.address
        elif name in NUMBERS:
            if not text:
                cleaned[name] = None
                continue
            phone = normalise_phone(text, region)
            if phone.e164 is None:
                why = phone.flag or "not a phone number"
                if region and region not in why:
                    why += f" (read as a number in {region})"
                raise InputError(
                    f"'{text}': {why}; type it with +country code if it is from abroad",
                    field=name,
                )
            cleaned[name] = phone.e164
        elif name == "title":
            cleaned[name] = tidy_text(text) or None
        else:
            cleaned[name] = tidy_text(text)
    return cleaned


def _refuse_someone_else(
    session: Session, person: Person, *, email: str | None, phone: str | None
) -> None:
    """One person stays one person: a number or address on file for another is refused."""
    if email is None and phone is None:
        return
    same = []
    if email is not None:
        same.append(func.lower(Person.email) == email.lower())
    if phone is not None:
        same.append(Person.phone == phone)
    other = session.execute(
        select(Person, func.min(Lead.id))
        .outerjoin(Lead, Lead.person_id == Person.id)
        .where(or_(*same), Person.id != person.id, Person.erased_at.is_(None))
        .group_by(Person.id)
        .order_by(Person.id)
        .limit(1)
    ).first()
    if other is None:
        return
    found, lead_id = other
    field = (
        "email" if email is not None and (found.email or "").lower() == email.lower() else "phone"
    )
    value = email if field == "email" else phone
    where = f" (lead #{lead_id})" if lead_id is not None else ""
    raise InputError(
        f"{value} is already on file for {found.full_name or 'another person'}{where}; "
        "ask your team lead before one person becomes two",
        field=field,
    )


def _now_on_the_list(session: Session, changes: dict[str, list[Any]]) -> bool:
    values = []
    if changes.get("email", [None, None])[1]:
        values.append(Value(EMAIL, str(changes["email"][1]).lower()))
    for name in NUMBERS:
        if changes.get(name, [None, None])[1]:
            values.append(Value(PHONE, str(changes[name][1])))
    return bool(values) and bool(listed_values(session, values))


def _result(
    lead: Lead, person: Person, names: tuple[str, ...], listed: bool, message: str
) -> ContactChanged:
    return ContactChanged(
        lead_id=lead.id,
        person_id=person.id,
        person=person.full_name,
        changed=names,
        email=person.email,
        phone=person.phone,
        do_not_call=listed,
        message=message,
        mobile=_on_file(person, lead, "mobile"),
        direct_line=_on_file(person, lead, "direct_line"),
    )
