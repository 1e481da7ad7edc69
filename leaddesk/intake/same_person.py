"""Is a row the same person as someone known? What the row's email, phone and name each prove.

An email is one person's unless the names clearly differ (a shared inbox: a decision for the
rep, never a silent merge). A phone is shared (a switchboard) unless the names and emails agree:
two people with one number are two people, the number kept on both and flagged on both (the
one already known learns it in the same transaction). A close name at the same company is the
same person, but a name that is only close in another word order ("Lee Min" / "Min Lee") is
not enough when their email or phone says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from leaddesk.intake.chunk_plan import PlannedLead
from leaddesk.intake.matching import NAME_SIMILARITY, KnownLead, KnownPerson, close_names
from leaddesk.intake.rows import CleanRow, RowProblem


@dataclass(slots=True)
class Match:
    """Who a row is: a known ``person`` (and ``how`` it was found), or nobody yet; with a
    ``conflict`` (its email is someone else's, under another name) or numbers it ``shares``."""

    person: KnownPerson | None = None
    how: str = ""
    conflict: KnownPerson | None = None
    shares: list[tuple[str, KnownPerson]] = field(default_factory=list)


def name_of(person: KnownPerson) -> str:
    return f"{person.first_name} {person.last_name}".strip()


def names_agree(mine: str, theirs: str) -> bool:
    """Could these names be one person's? A missing name never disagrees; "J. Smith",
    "John Smith" and "John Paul Smith" agree, so do "D" and "Dee Smith"; "Ann Lee" and "Bob
    Jones" do not, nor "Ann Lee" and "Ann Jones"."""
    mine, theirs = mine.casefold(), theirs.casefold()
    if not mine or not theirs or close_names(mine, theirs):
        return True
    my_words = _words(mine)
    their_words = _words(theirs)
    if not my_words or not their_words:
        return True
    if set(my_words) <= set(their_words) or set(their_words) <= set(my_words):
        return True
    first, other = my_words[0], their_words[0]
    alike = first.startswith(other) or other.startswith(first)
    # One word ("D", "Rob"), or the same last name, and first names that start alike:
    # "J Smith" / "John Smith", "Rob Smith" / "Robert Smith".
    if len(my_words) == 1 or len(their_words) == 1 or my_words[-1] == their_words[-1]:
        return alike
    return False


def by_email(row: CleanRow, person: KnownPerson) -> Match:
    if names_agree(row.full_name, name_of(person)):
        return Match(person, "same email")
    return Match(conflict=person)


def by_phone(row: CleanRow, number: str, candidates: Iterable[KnownPerson], match: Match) -> bool:
    """The first candidate the row's ``number`` makes the same person (onto ``match``); the
    others are people the number is shared with. True when one matched."""
    for person in candidates:
        if _emails_differ(row, person) or not names_agree(row.full_name, name_of(person)):
            if all(person is not other for _, other in match.shares):
                match.shares.append((number, person))
            continue
        match.person, match.how = person, "same phone"
        return True
    return False


def by_name(row: CleanRow, person: KnownPerson) -> bool:
    """A close name at the same company: the same person, unless only the word order makes
    it close and their email or phone differs."""
    theirs = name_of(person).casefold()
    mine = row.full_name.casefold()
    if not close_names(mine, theirs):
        return False
    if not (_emails_differ(row, person) or _phones_differ(row, person)):
        return True
    return fuzz.ratio(mine, theirs) >= NAME_SIMILARITY


def _words(name: str) -> list[str]:
    return [word.strip(".,") for word in name.split() if word.strip(".,")]


def _emails_differ(row: CleanRow, person: KnownPerson) -> bool:
    return bool(row.email and person.email and row.email.casefold() != person.email.casefold())


def _phones_differ(row: CleanRow, person: KnownPerson) -> bool:
    mine = {number for number in (row.phone_e164, row.mobile_e164) if number}
    return bool(mine and person.phone and person.phone not in mine)


def _whose(person: KnownPerson) -> str:
    """A known person as the report names them: their name and number, or the earlier row."""
    name = name_of(person) or "someone without a name"
    if person.id is not None:
        return f"{name} (person #{person.id})"
    row = person.leads[0].row if person.leads else None
    return f"{name} (row {row})" if row is not None else name


def to_decide(row: CleanRow, known: KnownPerson) -> RowProblem:
    """A row whose email is already someone else's under another name: not imported."""
    reason = (
        f"to decide: {row.email} is already {_whose(known)}, this row says "
        f"{row.full_name}; not imported. If it is the same person, fix the name and import "
        "the file again; if not, give this row the person's own email"
    )
    return RowProblem(row.number, "email", reason, row.email or "")


def shared_phone(row: CleanRow, number: str, known: KnownPerson) -> RowProblem:
    reason = f"shared number: also {_whose(known)}'s; kept on both, not merged"
    return RowProblem(row.number, "phone", reason, number)


def shared_numbers(extra: dict[str, Any], shares: list[tuple[str, KnownPerson]]) -> None:
    """Note on a new lead which of its numbers someone else has too, shown on its card."""
    held: dict[str, list[str]] = {}
    for number, known in shares:
        held.setdefault(number, []).append(name_of(known) or "someone without a name")
    extra["shared_phone"] = held


def flag_the_others(
    row: CleanRow,
    shares: list[tuple[str, KnownPerson]],
    pending: Mapping[int, PlannedLead],
    shared_on: list[tuple[KnownLead, str, str]],
) -> None:
    """Note on the lead of each person the row's new person shares a number with that the row's
    person has it too: their open lead (the one reps call), else their newest. A lead planned
    in this chunk gets it in its row; a stored one is listed in ``shared_on``, updated with
    the chunk."""
    name = row.full_name or "someone without a name"
    for number, known in shares:
        lead = known.open_lead() or (known.leads[-1] if known.leads else None)
        if lead is None:
            continue
        planned = pending.get(id(lead))
        if planned is not None:
            planned.values["extra"] = also_shared_with(planned.values["extra"], number, name)
        elif lead.id is not None:
            lead.extra = also_shared_with(lead.extra, number, name)
            shared_on.append((lead, number, name))


def also_shared_with(extra: dict[str, Any] | None, number: str, name: str) -> dict[str, Any]:
    """A copy of a lead's ``extra`` noting that ``name`` has ``number`` too (the lead's own
    person had it first); the original is left as it was."""
    flagged = dict(extra or {})
    held = flagged.get("shared_phone")
    held = {key: list(value) for key, value in held.items()} if isinstance(held, dict) else {}
    names = held.setdefault(number, [])
    if name not in names:
        names.append(name)
    flagged["shared_phone"] = held
    return flagged
