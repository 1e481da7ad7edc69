"""A realistic demo store: a small team, international leads from every source, and history.

Deterministic for a seed and a given "now": the same pair always yields the same store.
Rows go in through bulk inserts, so 100,000 leads take seconds, not minutes. The companies
and people are drawn in ``people``, the calls and verdicts in ``history``, the hand-offs in
``handoff`` and the team in ``team`` (docs/architecture.md §3).
"""

from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from leaddesk import lifecycle
from leaddesk.admin.demo.handoff import hand_off_history, route_to_sales
from leaddesk.admin.demo.history import CallHistory
from leaddesk.admin.demo.people import COUNTRIES, Directory
from leaddesk.admin.demo.rows import DemoRows
from leaddesk.admin.demo.team import make_team, set_capacities
from leaddesk.definition import Definition, Policy
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import Source
from leaddesk.errors import InputError
from leaddesk.handoff.routing import sales_team
from leaddesk.intake.scores import Scorer
from leaddesk.queue.policy import current_policy
from leaddesk.queue.sla import SlaClock
from leaddesk.store import Store
from leaddesk.store.models import Lead

if TYPE_CHECKING:
    from faker import Faker

SOURCES: tuple[tuple[Source, int], ...] = (
    (Source.WEB_FORM, 38),
    (Source.WEBINAR, 18),
    (Source.TRADE_SHOW, 12),
    (Source.PURCHASED_LIST, 14),
    (Source.SALES_REFERRAL, 8),
    (Source.INBOUND_CALL, 10),
)
INQUIRIES = {
    Source.WEB_FORM: ("Pricing request", "Demo request", "Contact us: question about plans"),
    Source.WEBINAR: ("Attended webinar: Faster quoting", "Registered for webinar, did not attend"),
    Source.TRADE_SHOW: ("Badge scan at booth", "Asked for a follow-up call at the booth"),
    Source.PURCHASED_LIST: ("Purchased list entry",),
    Source.SALES_REFERRAL: ("Referred by a salesperson after a closed deal",),
    Source.INBOUND_CALL: ("Called the main line about pricing", "Called about an integration"),
}
CAMPAIGNS = ("Spring pricing push", "Q3 webinar series", "Trade fair Cologne", "Partner list")
ASSIGNED_ON_ARRIVAL = "assigned on arrival"
FRESH_LEADS_A_REP_A_DAY = 35
RECENT_MEAN_HOURS_MOST = 360.0  # three of these reach back 45 days


@dataclass(frozen=True)
class DemoSummary:
    users: int
    accounts: int
    people: int
    leads: int
    calls: int
    verdicts: int
    batches: int

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


# Faker is an extra (`pip install 'leaddesk[demo]'`): only the demo needs it, so the default
# install and the bundle go without it.
MISSING_FAKER = (
    "The demo needs Faker, which this install leaves out: run pip install 'leaddesk[demo]' "
    "and try again."
)


def demo_available() -> bool:
    """Whether this copy can make a demo: the bundled app and a plain pip install carry no
    Faker, so a window offers the demo only where it can be made."""
    return importlib.util.find_spec("faker") is not None


def require_faker() -> type[Faker]:
    """Faker's class, or the one-line message saying how to install it."""
    try:
        from faker import Faker
    except ImportError:
        raise InputError(MISSING_FAKER) from None
    return Faker


def fill_demo(
    store: Store,
    *,
    leads: int = 2_000,
    reps: int = 4,
    seed: int = 7,
    now: datetime,
) -> DemoSummary:
    if leads < 1 or leads > 5_000_000:
        raise InputError("give a number of leads between 1 and 5000000", field="leads")
    if reps < 1 or reps > 200:
        raise InputError("give a number of reps between 1 and 200", field="reps")
    require_faker()  # before anything is written, so a missing Faker leaves the store alone
    rng = random.Random(seed)
    with store.transaction() as session:
        if session.scalar(select(func.count()).select_from(Lead)):
            raise InputError(
                f"{store.label} already holds leads; demo data goes into a new store "
                "(use --db with a new file name)"
            )
        version = definition_versions.ensure_default(session, at=now)
        version_id = definition_versions.current_id(session)
        assert version_id is not None
        definition = definition_versions.definition_for_version(session, version_id)
        policy = current_policy(session)
        team = make_team(session, reps, now)
        sales = sales_team(session)
    rep_ids = [team[f"rep{i}"] for i in range(1, reps + 1)]
    builder = _Builder(
        rng, seed, now, rep_ids, team["sales1"], version_id, version.version, policy, definition
    )
    builder.build(leads)
    route_to_sales(builder.rows, sales, policy)
    with store.transaction() as session:
        builder.rows.write(session)
        set_capacities(session, builder.rows.leads, rep_ids)
    return builder.summary(len(team))


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        seed: int,
        now: datetime,
        rep_ids: list[int],
        sales_id: int,
        version_id: int | None,
        version: int,
        policy: Policy,
        definition: Definition,
    ) -> None:
        self.rng = rng
        self.policy = policy
        # Leads carry the scores an import would have given them on arrival, so the lead card
        # and the questionnaire agree on a fresh lead.
        self.scorer = Scorer(definition)
        # Arrivals reach back about two months; deadlines fall within days of arrival.
        self.sla = SlaClock(
            policy, (now - timedelta(days=90)).date(), (now + timedelta(days=30)).date()
        )
        self.now = now
        self.rep_ids = rep_ids
        self.sales_id = sales_id
        self.version_id = version_id
        self.version = version
        self.rows = DemoRows()
        self.directory = Directory(rng, seed, now, self.rows, require_faker())
        self.history = CallHistory(rng, now, policy, version_id, self.rows)
        self.last_lead: dict[int, dict[str, Any]] = {}
        self.leads_of: dict[int, int] = {}  # person id → leads so far
        # One company, one rep: the rep who works an account gets its next lead too, so no
        # customer hears from four reps in a week.
        self.rep_of_account: dict[int, int] = {}
        self.recent_mean_hours = 60.0  # set by build for the team's size

    # -- generation -----------------------------------------------------------------------

    def build(self, lead_count: int) -> None:
        rng = self.rng
        # Fresh interest arrives at about a real team's pace, some 35 leads a rep a day, so a
        # rep's "today" reads like a day on the phone (within two months, however many leads).
        days = 0.8 * lead_count / (FRESH_LEADS_A_REP_A_DAY * len(self.rep_ids))
        self.recent_mean_hours = min(RECENT_MEAN_HOURS_MOST, max(60.0, days * 24 / 3))
        countries = rng.choices(COUNTRIES, [c.weight for c in COUNTRIES], k=lead_count)
        account_count = max(len(COUNTRIES), lead_count // 4)
        by_country: dict[str, list[dict[str, Any]]] = {}
        for account_id in range(1, account_count + 1):
            country = COUNTRIES[(account_id - 1) % len(COUNTRIES)]
            account = self.directory.account(account_id, country)
            by_country.setdefault(country.code, []).append(account)
        person_id = 0
        for lead_id, country in enumerate(countries, start=1):
            account = rng.choice(by_country[country.code])
            people = self.rows.people
            person = people[rng.randrange(len(people))] if people else {}
            earlier = self.last_lead.get(person.get("id", 0))
            # Interest comes back after an earlier lead ended: a new lead on the same person.
            repeat = earlier is not None and earlier["closed_at"] is not None and rng.random() < 0.3
            if not repeat:
                person_id += 1
                person = self.directory.person(person_id, country, account)
            self.last_lead[person["id"]] = self._lead(lead_id, person, earlier if repeat else None)
        hand_off_history(self.rows, rng, now=self.now, version=self.version, sales_id=self.sales_id)

    def _lead(
        self, lead_id: int, person: dict[str, Any], earlier: dict[str, Any] | None
    ) -> dict[str, Any]:
        rng = self.rng
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        # Most interest is recent; a tail reaches back two months for the reports.
        age = (
            timedelta(hours=rng.expovariate(1 / self.recent_mean_hours))
            if rng.random() < 0.8
            else timedelta(days=rng.uniform(3, 60))
        )
        if earlier is not None:
            age = timedelta(
                seconds=rng.uniform(0, (self.now - earlier["closed_at"]).total_seconds())
            )
        arrived = self.now - age
        owner = self.rep_of_account.get(person["account_id"])
        assigned = rng.choice(self.rep_ids) if rng.random() < 0.8 else None
        if owner is not None:
            assigned = owner
        account = self.rows.accounts[person["account_id"] - 1]
        campaign = rng.choice(CAMPAIGNS) if rng.random() < 0.5 else None
        inquiry = rng.choice(INQUIRIES[source])
        earlier_leads = self.leads_of.get(person["id"], 0)
        self.leads_of[person["id"]] = earlier_leads + 1
        scores = self.scorer.score(
            {
                "employees": account["employees"],
                "industry": account["industry"].casefold().replace(" ", "_"),
                "title": person["title"],
                "seniority": person["seniority"],
                "country": person["country"],
                "region": person["region"],
                "city": person["city"],
                "email_domain": person["email"].rsplit("@", 1)[1],
                "source": source.value,
                "campaign": campaign,
                "inquiry": inquiry,
                "existing_customer": bool(account["is_customer"]),
                "earlier_leads": earlier_leads,
                "hours_since_arrival": 0.0,
                "call_attempts": 0,
            }
        )
        lead: dict[str, Any] = {
            "id": lead_id,
            "person_id": person["id"],
            "account_id": account["id"],
            "source": source.value,
            "campaign": campaign,
            "inquiry": inquiry,
            "arrived_at": arrived,
            "stage": lifecycle.NEW_LEAD.value,
            "stage_changed_at": arrived,
            "lead_type": None,
            "existing_account": bool(account["is_customer"]),
            "assigned_to_id": assigned,
            "fit_score": scores.fit,
            "interest_score": scores.interest,
            "framework_score": None,
            "sla_due_at": self.sla.deadline(arrived),
            "first_contact_at": None,
            "last_attempt_at": None,
            "next_attempt_at": arrived,
            "callback_at": None,
            "attempts": 0,
            "cadence_attempts": 0,
            "claimed_by_id": None,
            "claim_expires_at": None,
            "definition_version_id": None,
            "handoff_batch_id": None,
            "flagged_untouched_at": None,
            "closed_at": None,
            "hold_reason": "do_not_call" if person["do_not_call"] else None,
            "import_key": None,
            "extra": None,
            "version": 1,
            "created_at": arrived,
        }
        self.rows.leads.append(lead)
        if assigned is not None:
            self.history.assign(lead, assigned, by=None, at=arrived, reason=ASSIGNED_ON_ARRIVAL)
        # Reps reach nearly everything within a day or two; only recent interest waits untouched.
        if age > timedelta(hours=3) and (rng.random() < 0.75 or age > timedelta(days=2)):
            self.history.work(lead, person, assigned or rng.choice(self.rep_ids))
        if lead["assigned_to_id"] is not None:
            self.rep_of_account.setdefault(account["id"], lead["assigned_to_id"])
        return lead

    def summary(self, users: int) -> DemoSummary:
        return DemoSummary(
            users=users,
            accounts=len(self.rows.accounts),
            people=len(self.rows.people),
            leads=len(self.rows.leads),
            calls=len(self.rows.calls),
            verdicts=len(self.rows.verdicts),
            batches=len(self.rows.batches),
        )
