"""Why sales may reject a lead, and where each reason sends it (issue #19 item 2).

The reasons are the team's, written in the lead definition as ``[reject_reasons.<key>]`` with a
label, where the lead goes (``route``) and, for nurture, when marketing looks again
(``recycle_days``). A definition without the table uses the defaults below, so versions
published before it existed keep working.

Routes: ``nurture`` puts the lead back in nurture with a recycle date, as a nurture verdict
does; ``rep`` gives it back to the rep who qualified it for another try; ``marketing`` ends it
as rejected, for marketing to read in the reports by reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from leaddesk.definition.fields import TableReader

Report = Callable[[str, str], None]
_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")


class RejectRoute(StrEnum):
    NURTURE = "nurture"
    REP = "rep"
    MARKETING = "marketing"

    @property
    def said(self) -> str:
        """Where the lead went, as a rep reads it."""
        return _SAID[self]


_SAID = {
    RejectRoute.NURTURE: "back to nurture",
    RejectRoute.REP: "back to the rep for another try",
    RejectRoute.MARKETING: "out to marketing",
}


@dataclass(frozen=True)
class RejectReason:
    key: str
    label: str
    route: RejectRoute
    recycle_days: int | None = None  # nurture only: when the person comes back as a new lead


DEFAULT_REJECT_REASONS: tuple[RejectReason, ...] = (
    RejectReason("not_meeting_definition", "Does not meet the definition", RejectRoute.REP),
    RejectReason("wrong_person", "Wrong person", RejectRoute.REP),
    RejectReason("bad_timing", "Bad timing", RejectRoute.NURTURE, 90),
    RejectReason("no_budget", "No budget", RejectRoute.NURTURE, 180),
    RejectReason("not_decision_maker", "Not the decision maker", RejectRoute.REP),
    RejectReason("already_customer", "Already a customer", RejectRoute.MARKETING),
    RejectReason("duplicate", "Duplicate", RejectRoute.MARKETING),
    RejectReason("unreachable", "Could not reach them", RejectRoute.NURTURE, 60),
    RejectReason("other", "Other", RejectRoute.MARKETING),
)
# A nurture reason without its own recycle_days comes back after this many days.
DEFAULT_RECYCLE_DAYS = 90


def read_reject_reasons(top: TableReader, report: Report) -> tuple[RejectReason, ...]:
    """``[reject_reasons.<key>]`` tables, in file order; the defaults when there are none."""
    if not top.has("reject_reasons"):
        return DEFAULT_REJECT_REASONS
    table = top.table("reject_reasons")
    reasons: list[RejectReason] = []
    routes = ", ".join(route.value for route in RejectRoute)
    for key in table.raw:
        entry = table.table(key)
        if not _KEY.fullmatch(key):
            report(table.at(key), "a reason's key is lower-case letters, digits and _")
        label = entry.text("label", required=True)
        raw_route = entry.text("route", required=True)
        try:
            route = RejectRoute(raw_route)
        except ValueError:
            if raw_route:
                report(entry.at("route"), f"unknown route '{raw_route}'; use one of: {routes}")
            route = RejectRoute.MARKETING
        recycle_days = None
        if entry.has("recycle_days"):
            recycle_days = entry.whole("recycle_days", DEFAULT_RECYCLE_DAYS, 1)
            if route is not RejectRoute.NURTURE:
                report(entry.at("recycle_days"), "only the nurture route takes this")
        elif route is RejectRoute.NURTURE:
            recycle_days = DEFAULT_RECYCLE_DAYS
        entry.finish()
        reasons.append(RejectReason(key, label or key, route, recycle_days))
    if not reasons:
        report("reject_reasons", "empty: add [reject_reasons.<key>] with label and route")
        return DEFAULT_REJECT_REASONS
    return tuple(reasons)


def reason_for(reasons: tuple[RejectReason, ...], key: str) -> RejectReason | None:
    """The reason with this key (or this label, as a salesperson may type it)."""
    wanted = key.strip().lower()
    for reason in reasons:
        if wanted in (reason.key, reason.label.lower()):
            return reason
    return None
