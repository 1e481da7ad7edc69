"""Who may hand off and who may answer, checked again below the desk.

The desk checks the acting user's role first; these functions are what the desk calls, and
they check once more against the user row in the same transaction, so a script that skips
the desk still cannot make a qualifier record an opportunity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from leaddesk.domain import Role
from leaddesk.errors import InputError, NotPermitted
from leaddesk.people.permissions import Action, can, require
from leaddesk.store.models import User


@dataclass(frozen=True)
class Acting:
    id: int
    name: str
    role: Role

    def can(self, action: Action) -> bool:
        return can(self.role, action)


def acting_user(session: Session, user_id: int | None, action: Action) -> Acting:
    """The user row behind ``user_id``, refused unless active and allowed ``action``."""
    if user_id is None:
        raise NotPermitted(f"Name who is acting with --as to {action.value}.")
    user = session.get(User, user_id)
    if user is None:
        raise InputError(f"No user with id {user_id}.")
    if not user.active:
        raise NotPermitted(f"{user.name} is deactivated; ask your team lead.")
    require(user.role, action, user.name)
    return Acting(user.id, user.name, user.role)
