"""Who may do what (docs/architecture.md §2). Checked at the desk, whatever window or script
asks."""

from __future__ import annotations

from enum import StrEnum

from leaddesk.domain import Role
from leaddesk.errors import NotPermitted


class Action(StrEnum):
    WORK_QUEUE = "work the call queue"
    LOG_CALL = "log calls"
    QUALIFY = "qualify leads"
    GIVE_VERDICT = "give verdicts"
    IMPORT_LEADS = "import leads"
    EXPORT_OWN = "export handoff batches"
    EXPORT_TEAM = "export the team's handoff batch"
    REASSIGN = "reassign leads"
    MANAGE_USERS = "manage users"
    PUBLISH_DEFINITION = "publish the lead definition"
    VIEW_TEAM = "see the team view"
    VIEW_REPORTS = "see the reports"
    # Calls' notes, notes and the reasons a rep typed: the rep's own words about the person.
    READ_FREE_TEXT = "read reps' notes and answers"
    READ_HANDOFFS = "read handed-off leads"
    RECORD_SALES_FEEDBACK = "record sales feedback"
    RECORD_OPPORTUNITY = "record an opportunity"
    MANAGE_STORE = "set up, back up or fill the store"
    ADD_DO_NOT_CALL = "put someone on the do-not-call list"
    MANAGE_DO_NOT_CALL = "manage the do-not-call list"
    ERASE_PERSON = "erase a person's data"
    CHASE_SALES = "flag and move hand-offs sales is late on"
    SET_UP_SYNC = "set up the sync to sales' CRM"
    SYNC_HANDOFFS = "send hand-offs to sales' CRM"
    # The huddle pack (issue #19 item 4): team leads, admins and marketing.
    MAKE_HUDDLE_PACK = "make the huddle pack"
    BOOK_MEETINGS = "book, move or cancel meetings with sales"
    SET_CALENDAR = "set a salesperson's working hours and calendar"
    ADD_REFERRAL = "add a referral"
    READ_OUTCOMES = "read what became of leads"


_REP = frozenset(
    {
        Action.WORK_QUEUE,
        Action.LOG_CALL,
        Action.QUALIFY,
        Action.GIVE_VERDICT,
        Action.IMPORT_LEADS,
        Action.EXPORT_OWN,
        Action.READ_HANDOFFS,
        # A rep hears "take me off your list" on a call.
        Action.ADD_DO_NOT_CALL,
        Action.SYNC_HANDOFFS,
        Action.BOOK_MEETINGS,
        Action.READ_FREE_TEXT,
    }
)
_TEAM_LEAD = _REP | {
    Action.EXPORT_TEAM,
    Action.REASSIGN,
    Action.MANAGE_USERS,
    Action.PUBLISH_DEFINITION,
    Action.VIEW_TEAM,
    Action.MAKE_HUDDLE_PACK,
    Action.VIEW_REPORTS,
    Action.READ_OUTCOMES,
    Action.MANAGE_DO_NOT_CALL,
    Action.ERASE_PERSON,
    Action.CHASE_SALES,
    Action.SET_CALENDAR,
}
# Only someone who carries a bag creates opportunities; qualifiers and their leads never do.
_SALES = frozenset(
    {
        Action.READ_HANDOFFS,
        Action.RECORD_SALES_FEEDBACK,
        Action.RECORD_OPPORTUNITY,
        # Their own diary: meetings booked with them, their hours and calendar (own only).
        Action.BOOK_MEETINGS,
        Action.SET_CALENDAR,
        Action.READ_FREE_TEXT,
        # "Prospecting at the close": a lead a salesperson picked up, credited to them.
        Action.ADD_REFERRAL,
    }
)
# Marketing learns which sources and campaigns bring leads sales accept: it reads the reports
# and the hand-offs' outcomes, and works no queue and reads no rep's notes or answers.
_MARKETING = frozenset({Action.VIEW_REPORTS, Action.READ_OUTCOMES, Action.MAKE_HUDDLE_PACK})
_ADMIN = frozenset(
    {
        Action.MANAGE_USERS,
        Action.MANAGE_STORE,
        Action.PUBLISH_DEFINITION,
        Action.VIEW_TEAM,
        Action.MAKE_HUDDLE_PACK,
        Action.VIEW_REPORTS,
        Action.READ_OUTCOMES,
        Action.READ_FREE_TEXT,
        Action.REASSIGN,
        Action.IMPORT_LEADS,
        Action.EXPORT_TEAM,
        Action.READ_HANDOFFS,
        Action.ADD_DO_NOT_CALL,
        Action.MANAGE_DO_NOT_CALL,
        Action.ERASE_PERSON,
        Action.CHASE_SALES,
        Action.SET_UP_SYNC,
        Action.SYNC_HANDOFFS,
        Action.SET_CALENDAR,
    }
)

ALLOWED: dict[Role, frozenset[Action]] = {
    Role.QUALIFIER: _REP,
    Role.TEAM_LEAD: _TEAM_LEAD,
    Role.SALES: _SALES,
    Role.ADMIN: _ADMIN,
    Role.MARKETING: _MARKETING,
}

ROLE_LABEL = {
    Role.QUALIFIER: "a qualifier",
    Role.TEAM_LEAD: "a team lead",
    Role.SALES: "a salesperson",
    Role.ADMIN: "an admin",
    Role.MARKETING: "in marketing",
}

# Said after a refusal, for a role whose work is elsewhere than the refused action.
_WHAT_THEY_CAN = {
    Role.MARKETING: (
        "Marketing reads the reports and what became of the leads, by source, campaign and "
        "definition version: leaddesk report acceptance --by campaign."
    ),
}


def can(role: Role, action: Action) -> bool:
    return action in ALLOWED[role]


def require(role: Role, action: Action, who: str) -> None:
    if not can(role, action):
        hint = _WHAT_THEY_CAN.get(role)
        said = f"{who} is {ROLE_LABEL[role]} and cannot {action.value}."
        raise NotPermitted(f"{said} {hint}" if hint else said)
