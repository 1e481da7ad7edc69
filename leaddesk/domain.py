"""The words of the product: roles, stages, lead types, verdicts, call outcomes.

Stages are fixed here; their labels and definitions come from the lead definition.
"""

from __future__ import annotations

from enum import StrEnum

# Record numbers (leads, runs, calls, verdicts…) are 32-bit integers on PostgreSQL: a larger
# or negative number names no record, and is never handed to the database.
LARGEST_RECORD_NUMBER = 2**31 - 1


def is_record_number(number: int) -> bool:
    """Whether ``number`` can be the number of a stored record."""
    return 1 <= number <= LARGEST_RECORD_NUMBER


class Word(StrEnum):
    """A word of the product, stored as its value and said as its label."""

    @property
    def label(self) -> str:
        """How a rep reads it: 'no answer', 'in qualification', 'team lead'."""
        return self.value.replace("_", " ")


class Role(Word):
    QUALIFIER = "qualifier"
    TEAM_LEAD = "team_lead"
    SALES = "sales"
    ADMIN = "admin"
    # Reads the reports and what sales made of the hand-offs; no call queue, no rep's notes.
    MARKETING = "marketing"


class Stage(Word):
    NEW = "new"
    # A stage the team adds in its lead definition ([stages.marketing_qualified]): a new lead
    # that meets the definition's rule on arrival ("Basic Qualified Lead"). Fresh like NEW.
    MARKETING_QUALIFIED = "marketing_qualified"
    WORKING = "working"
    IN_QUALIFICATION = "in_qualification"
    QUALIFIED = "qualified"
    HANDED_OFF = "handed_off"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"
    EXISTING_ACCOUNT = "existing_account"

    @property
    def is_open(self) -> bool:
        """Open leads still wait for a qualifier; the rest are out of every queue."""
        return self in OPEN_STAGES


OPEN_STAGES = frozenset(
    {Stage.NEW, Stage.MARKETING_QUALIFIED, Stage.WORKING, Stage.IN_QUALIFICATION}
)
# Open leads no rep has worked yet: the queue's new band, speed to lead, an import's undo.
FRESH_STAGES = frozenset({Stage.NEW, Stage.MARKETING_QUALIFIED})
# Stages a lead definition may leave out; every other stage is the lifecycle's own.
OPTIONAL_STAGES = frozenset({Stage.MARKETING_QUALIFIED})
CLOSED_STAGES = frozenset(set(Stage) - OPEN_STAGES)
# Where sales has the lead: handed off to them, and their answer.
WITH_SALES = frozenset({Stage.HANDED_OFF, Stage.ACCEPTED, Stage.REJECTED})


class LeadType(Word):
    """What the qualifier learned about a lead (docs/architecture.md §1)."""

    DUBIOUS = "dubious"
    UNWORTHY = "unworthy"
    UNQUALIFIED_INTEREST = "unqualified_interest"
    UNQUALIFIED_SUITABILITY = "unqualified_suitability"
    SALES_WORTHY = "sales_worthy"


class Verdict(Word):
    HAND_OFF = "hand_off"
    NURTURE = "nurture"
    DISQUALIFY = "disqualify"
    EXISTING_ACCOUNT = "existing_account"

    @property
    def choice(self) -> str:
        """The verdict as a rep picks it: 'Hand off to sales'."""
        return _VERDICT_CHOICES[self]

    @property
    def done(self) -> str:
        """What the verdict did to the lead: 'handed off', 'routed to the account owner'."""
        return _VERDICT_DONE[self]

    @property
    def usual_lead_type(self) -> LeadType | None:
        """The lead type the verdict usually goes with; None for existing account, which is
        routing, not a judgement."""
        return _USUAL_LEAD_TYPE.get(self)


_VERDICT_CHOICES = {
    Verdict.HAND_OFF: "Hand off to sales",
    Verdict.NURTURE: "Nurture (back to marketing)",
    Verdict.DISQUALIFY: "Disqualify",
    Verdict.EXISTING_ACCOUNT: "Existing account (route to owner)",
}
_VERDICT_DONE = {
    Verdict.HAND_OFF: "handed off",
    Verdict.NURTURE: "nurtured",
    Verdict.DISQUALIFY: "disqualified",
    Verdict.EXISTING_ACCOUNT: "routed to the account owner",
}
_USUAL_LEAD_TYPE = {
    Verdict.HAND_OFF: LeadType.SALES_WORTHY,
    Verdict.NURTURE: LeadType.UNQUALIFIED_SUITABILITY,
    Verdict.DISQUALIFY: LeadType.UNWORTHY,
}


VERDICT_STAGE = {
    Verdict.HAND_OFF: Stage.QUALIFIED,
    Verdict.NURTURE: Stage.NURTURE,
    Verdict.DISQUALIFY: Stage.DISQUALIFIED,
    Verdict.EXISTING_ACCOUNT: Stage.EXISTING_ACCOUNT,
}


class DisqualifyReason(Word):
    UNWORTHY = "unworthy"
    DUBIOUS = "dubious"
    DUPLICATE = "duplicate"
    COMPETITOR = "competitor"
    OTHER = "other"


class CallOutcome(Word):
    CONNECTED = "connected"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    BUSY = "busy"
    GATEKEEPER = "gatekeeper"
    WRONG_NUMBER = "wrong_number"
    BAD_NUMBER = "bad_number"
    CALLBACK = "callback"
    NOT_INTERESTED = "not_interested"
    DO_NOT_CALL = "do_not_call"


class SalesDecision(Word):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Source(Word):
    """Where interest came from; imports may bring others, kept as typed."""

    WEB_FORM = "web_form"
    WEBINAR = "webinar"
    TRADE_SHOW = "trade_show"
    PURCHASED_LIST = "purchased_list"
    SALES_REFERRAL = "sales_referral"
    INBOUND_CALL = "inbound_call"


def talk_time(seconds: int | None) -> str:
    """A call's length as reps say it: ``3:05``."""
    minutes, rest = divmod(seconds or 0, 60)
    return f"{minutes}:{rest:02d}"
