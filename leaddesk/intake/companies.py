"""Which stored company a row belongs to, and which rep already works it: the look-ups an
import makes per chunk, not per row (docs/architecture.md §6)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.contacts.emails import company_domain
from leaddesk.domain import OPEN_STAGES, Role
from leaddesk.intake.cleaning import Chunk
from leaddesk.intake.matching import KnownAccount
from leaddesk.intake.rows import CleanRow
from leaddesk.store.models import Account, Lead, User


class CompanyLookups:
    """The stored accounts an import's rows name, and the rep working each, remembered for
    the whole import; ``start_chunk`` reads the chunk's company domains in one go."""

    def __init__(self) -> None:
        # One company, one rep: account (id, or id() of one this import adds) -> its rep.
        self.reps: dict[int, tuple[int, str] | None] = {}
        self._accounts_by_id: dict[int, KnownAccount | None] = {}
        self._accounts_by_domain: dict[str, KnownAccount] = {}
        self._session: Session | None = None

    def start_chunk(self, session: Session, chunk: Chunk) -> None:
        """The accounts of the company domains of the chunk's rows without a company, read
        in one query per 900 domains (not one per row)."""
        self._session = session
        wanted = {
            domain
            for item in chunk.items
            if isinstance(item, CleanRow) and not item.company
            if (domain := company_domain(item.email_domain)) is not None
        }
        self._accounts_by_domain = {}
        listed = sorted(wanted)
        for start in range(0, len(listed), 900):
            for found in session.execute(
                select(
                    Account.domain, Account.id, Account.name, Account.is_customer,
                    Account.owner_name,
                )
                .where(Account.domain.in_(listed[start : start + 900]))
                .order_by(Account.is_customer.asc(), Account.id.desc())
            ):  # fmt: skip
                # Read last wins: the oldest customer account, else the oldest account.
                domain, account_id, name, customer, owner = found
                self._accounts_by_domain[domain] = KnownAccount(
                    account_id, name, bool(customer), owner
                )

    def with_domain(self, domain: str) -> KnownAccount | None:
        return self._accounts_by_domain.get(domain)

    def stored(self, account_id: int) -> KnownAccount | None:
        if account_id not in self._accounts_by_id and self._session is not None:
            found = self._session.get(Account, account_id)
            self._accounts_by_id[account_id] = (
                KnownAccount(found.id, found.name, found.is_customer, found.owner_name)
                if found is not None
                else None
            )
        return self._accounts_by_id.get(account_id)

    def rep_of(self, account: KnownAccount | None) -> tuple[int, str] | None:
        """The active rep working an open lead at ``account`` (the latest to arrive), or the
        rep this import gave the company's first lead; None when nobody works it."""
        if account is None:
            return None
        key = account.id if account.id is not None else id(account)
        if key not in self.reps:
            found = None
            if account.id is not None and self._session is not None:
                found = self._session.execute(
                    select(User.id, User.display_name, User.name)
                    .join(Lead, Lead.assigned_to_id == User.id)
                    .where(
                        Lead.account_id == account.id,
                        Lead.stage.in_(OPEN_STAGES),
                        User.active.is_(True),
                        User.role == Role.QUALIFIER,
                    )
                    .order_by(Lead.arrived_at.desc(), Lead.id.desc())
                    .limit(1)
                ).first()
            self.reps[key] = (found[0], found[1] or found[2]) if found else None
        return self.reps[key]
