"""A small team with qualified leads waiting for handoff, built straight through the models.

Verdicts are written as rows (stage "qualified", latest verdict "hand off"), so these tests
do not depend on how the questionnaire reaches a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk
from leaddesk.domain import LeadType, Stage, Verdict
from leaddesk.store import Store, open_store
from leaddesk.store.models import Account, Answer, CallAttempt, Lead, Note, Person, VerdictRecord
from tests.factories import EVERYONE, add_team

BANT_ANSWERS = {
    "contact_check": "yes",
    "inquiry_reason": "project",
    "pain_level": "major",
    "decision_role": "decision_maker",
    "budget_status": "approved",
    "budget_amount": {"amount": 50000, "currency": "USD"},
    "timeline": "3_months",
    "next_step_agreed": True,
    "best_time": "Thursday 10:00 with the CFO",
}


@dataclass
class Team:
    location: str
    store: Store
    clock: FixedClock
    ids: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def desk(self, name: str) -> Any:
        return open_desk(self.location, name, clock=self.clock)

    def qualified_lead(
        self,
        rep: str,
        *,
        first: str = "Ada",
        last: str = "Byron",
        company: str | None = "Analytical Engines Ltd",
        email: str | None = None,
        phone: str | None = "+442079460000",
        title: str | None = "Head of IT",
        answers: dict[str, Any] | None = None,
        note: str | None = "Wants a call on Thursday",
        latest: Verdict = Verdict.HAND_OFF,
        hours_ago: float = 2,
    ) -> int:
        """A lead the rep qualified ``hours_ago``; ``latest`` is the lead's final verdict."""
        self.counter += 1
        now = self.clock()
        decided = now - timedelta(hours=hours_ago)
        with self.store.transaction() as session:
            version_id = definition_versions.current_id(session)
            account = None
            if company is not None:
                account = Account(
                    name=company,
                    name_key=company.casefold(),
                    domain="engines.example",
                    industry="Software",
                    employees=250,
                    country="GB",
                    created_at=now - timedelta(days=30),
                )
                session.add(account)
                session.flush()
            person = Person(
                account_id=account.id if account else None,
                first_name=first,
                last_name=last,
                email=email if email is not None else f"person{self.counter}@engines.example",
                phone=phone,
                phone_raw=phone,
                title=title,
                country="GB",
                created_at=now - timedelta(days=3),
            )
            session.add(person)
            session.flush()
            stage = Stage.QUALIFIED if latest is Verdict.HAND_OFF else Stage.NURTURE
            lead = Lead(
                person_id=person.id,
                account_id=account.id if account else None,
                source="web_form",
                inquiry="Pricing request",
                arrived_at=now - timedelta(days=1),
                stage=stage,
                stage_changed_at=decided,
                lead_type=LeadType.SALES_WORTHY,
                assigned_to_id=self.ids[rep],
                fit_score=72,
                interest_score=80,
                definition_version_id=version_id,
                created_at=now - timedelta(days=1),
            )
            session.add(lead)
            session.flush()
            session.add(
                CallAttempt(
                    lead_id=lead.id,
                    user_id=self.ids[rep],
                    at=decided - timedelta(minutes=20),
                    outcome="connected",
                    duration_seconds=600,
                )
            )
            if note:
                session.add(
                    Note(
                        lead_id=lead.id,
                        user_id=self.ids[rep],
                        created_at=decided,
                        updated_at=decided,
                        text=note,
                    )
                )
            given = BANT_ANSWERS if answers is None else answers
            for question, value in given.items():
                session.add(
                    Answer(
                        lead_id=lead.id,
                        question_id=question,
                        value=value,
                        definition_version_id=version_id,
                        answered_by_id=self.ids[rep],
                        answered_at=decided - timedelta(minutes=5),
                    )
                )
            verdicts = (
                [Verdict.HAND_OFF] if latest is Verdict.HAND_OFF else [Verdict.HAND_OFF, latest]
            )
            for offset, verdict in enumerate(verdicts):
                session.add(
                    VerdictRecord(
                        lead_id=lead.id,
                        verdict=verdict,
                        lead_type=LeadType.SALES_WORTHY,
                        reason="Meets BANT and agreed to talk to sales",
                        definition_version_id=version_id,
                        fit_score=72,
                        interest_score=80,
                        framework_score=85,
                        decided_by_id=self.ids[rep],
                        decided_at=decided + timedelta(minutes=offset),
                    )
                )
            return lead.id

    def lead(self, lead_id: int) -> Lead:
        with self.store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            return lead

    def leads(self) -> list[Lead]:
        with self.store.reading() as session:
            return list(session.scalars(select(Lead).order_by(Lead.id)))


def make_team(location: str, clock: FixedClock) -> Team:
    """Two reps, a team lead, a salesperson and an admin in the (empty) store at ``location``."""
    store = open_store(location)
    team = Team(location, store, clock)
    with store.transaction() as session:
        team.ids = add_team(session, clock(), EVERYONE, display_name=str.capitalize)
    return team


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def write_feedback(path: Path, rows: list[str]) -> Path:
    header = "lead_id,decision,opportunity_id,owner,date,reason,comment"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
