"""A realistic demo store: a small team, international leads from every source, and history.

Deterministic for a seed and a given "now": the same pair always yields the same store.
Rows go in through bulk inserts, so 100,000 leads take seconds, not minutes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import phonenumbers
from phonenumbers import timezone as phone_zones
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from leaddesk.calling.call_log import TAKEN_FROM_POOL
from leaddesk.definition import Definition, Policy
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import (
    CallOutcome,
    LeadType,
    Role,
    SalesDecision,
    Source,
    Stage,
    Verdict,
)
from leaddesk.errors import InputError
from leaddesk.intake.cleanup import company_key
from leaddesk.intake.scores import Scorer
from leaddesk.people import users as user_ops
from leaddesk.queue.policy import current_policy
from leaddesk.queue.sla import SlaClock
from leaddesk.queue.zones import callable_now, zone_key_for
from leaddesk.sign_in import passwords
from leaddesk.store import Store
from leaddesk.store.database import catch_up_sequences
from leaddesk.store.models import (
    Account,
    Assignment,
    AuditEvent,
    CallAttempt,
    HandoffBatch,
    Lead,
    OpportunityRef,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)

if TYPE_CHECKING:
    from faker import Faker

CHUNK = 5_000


@dataclass(frozen=True)
class Country:
    code: str
    locale: str
    weight: int
    prefixes: tuple[str, ...]  # national number prefixes giving numbers in varied zones


COUNTRIES = (
    Country("US", "en_US", 34, ("212", "312", "303", "213", "415", "617", "214", "206")),
    Country("GB", "en_GB", 12, ("7700", "20", "161")),
    Country("DE", "de_DE", 10, ("151", "30", "89")),
    Country("FR", "fr_FR", 7, ("6", "1")),
    Country("NL", "nl_NL", 5, ("6", "20")),
    Country("CA", "en_CA", 6, ("416", "604", "403")),
    Country("AU", "en_AU", 6, ("4", "2", "8")),
    Country("BR", "pt_BR", 5, ("11", "21")),
    Country("IN", "en_IN", 5, ("98", "22")),
    Country("JP", "ja_JP", 4, ("90", "3")),
    Country("ES", "es_ES", 6, ("6", "91")),
)

INDUSTRIES = (
    "Software",
    "Manufacturing",
    "Healthcare",
    "Financial services",
    "Retail",
    "Logistics",
    "Education",
    "Professional services",
    "Energy",
    "Telecommunications",
)
TITLES = (
    ("Chief Executive Officer", "c_level"),
    ("Chief Financial Officer", "c_level"),
    ("VP of Sales", "vp"),
    ("VP of Operations", "vp"),
    ("Head of IT", "director"),
    ("Director of Marketing", "director"),
    ("Operations Manager", "manager"),
    ("IT Manager", "manager"),
    ("Procurement Specialist", "individual"),
    ("Office Manager", "individual"),
    ("Analyst", "individual"),
    ("Student", "other"),
)
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
# An unanswered lead older than this has had its whole cadence (6 tries in 10 business days).
CADENCE_RUN_OUT = timedelta(days=14)
REJECT_REASONS = ("no_budget", "bad_timing", "not_decision_maker", "already_customer", "other")
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


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


class _Phones:
    """Valid, distinct numbers per country, fast.

    Validity and time zone depend on a number's leading digits and length, not on its
    last three, so each validated stem yields a thousand numbers without another parse.
    """

    SUFFIXES = 1000

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.stems: dict[str, tuple[str, str | None, int]] = {}
        self.used: set[str] = set()
        self.zone_keys: dict[str, str | None] = {}  # per stem: the queue's calling zone(s)

    def draw(self, country: Country) -> tuple[str, str | None, str | None]:
        stem, zone, taken = self.stems.get(country.code) or self._new_stem(country)
        if taken >= self.SUFFIXES:
            stem, zone, taken = self._new_stem(country)
        # 7919 is coprime with 1000: every suffix once, in a scrambled order.
        number = f"{stem}{(taken * 7919) % self.SUFFIXES:03d}"
        self.stems[country.code] = (stem, zone, taken + 1)
        return number, zone, self.zone_keys[stem]

    def _new_stem(self, country: Country) -> tuple[str, str | None, int]:
        length = _NATIONAL_LENGTH.get(country.code)
        if length is None:
            example = phonenumbers.example_number_for_type(
                country.code, phonenumbers.PhoneNumberType.MOBILE
            )
            assert example is not None, country.code
            length = _NATIONAL_LENGTH[country.code] = len(str(example.national_number))
        for _ in range(200):
            prefix = self.rng.choice(country.prefixes)
            rest = "".join(str(self.rng.randint(0, 9)) for _ in range(length - len(prefix) - 3))
            if country.code in ("US", "CA"):
                rest = str(self.rng.randint(2, 9)) + rest[1:]
            digits = prefix + rest
            candidate = phonenumbers.parse(digits + "000", country.code)
            e164 = phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
            stem = e164[:-3]
            if phonenumbers.is_valid_number(candidate) and stem not in self.used:
                self.used.add(stem)
                zones = phone_zones.time_zones_for_number(candidate)
                self.zone_keys[stem] = zone_key_for(phone=e164, country=country.code)
                self.stems[country.code] = (stem, zones[0] if len(zones) == 1 else None, 0)
                return self.stems[country.code]
        raise RuntimeError(f"no valid demo phone numbers for {country.code}")


# Faker is an extra (`pip install 'leaddesk[demo]'`): only the demo needs it, so the default
# install and the bundle go without it.
MISSING_FAKER = (
    "The demo needs Faker, which this install leaves out: run pip install 'leaddesk[demo]' "
    "and try again."
)


def require_faker() -> type[Faker]:
    """Faker's class, or the one-line message saying how to install it."""
    try:
        from faker import Faker
    except ImportError:
        raise InputError(MISSING_FAKER) from None
    return Faker


_NATIONAL_LENGTH: dict[str, int] = {"US": 10, "CA": 10}


def fill_demo(
    store: Store,
    *,
    leads: int = 2_000,
    reps: int = 4,
    seed: int = 7,
    now: datetime,
) -> DemoSummary:
    if leads < 1 or leads > 5_000_000:
        raise InputError("--leads: give a number of leads between 1 and 5000000")
    if reps < 1 or reps > 200:
        raise InputError("--reps: give a number of reps between 1 and 200")
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
        team = _team(session, reps, now)
    rep_ids = [team[f"rep{i}"] for i in range(1, reps + 1)]
    builder = _Builder(
        rng, seed, now, rep_ids, team["sales1"], version_id, version.version, policy, definition
    )
    builder.build(leads)
    with store.transaction() as session:
        builder.write(session)
        _set_capacities(session, builder.leads, rep_ids)
    return builder.summary(len(team))


# Each rep's capacity as a share of what they hold, so a demo team is uneven the way a real one
# is: one rep over capacity, others with room, and a European desk that only takes its countries.
CAPACITY_FACTORS = (0.85, 1.15, 1.4, 1.0)
EUROPE = ("DE", "ES", "FR", "GB", "NL")


def _set_capacities(session: Session, leads: list[dict[str, Any]], rep_ids: list[int]) -> None:
    held = {rep: 0 for rep in rep_ids}
    for lead in leads:
        if lead["assigned_to_id"] in held and Stage(lead["stage"]).is_open:
            held[lead["assigned_to_id"]] += 1
    for number, rep in enumerate(rep_ids):
        user = session.get(User, rep)
        assert user is not None
        factor = CAPACITY_FACTORS[number % len(CAPACITY_FACTORS)]
        user.capacity = min(10_000, max(5, 5 * round(held[rep] * factor / 5)))
        if number % len(CAPACITY_FACTORS) == 2 and len(rep_ids) > 2:
            user.territories = list(EUROPE)


def _team(session: Session, reps: int, now: datetime) -> dict[str, int]:
    wanted = [(f"rep{i}", Role.QUALIFIER, f"Rep {i}") for i in range(1, reps + 1)]
    wanted += [
        ("lead1", Role.TEAM_LEAD, "Team Lead"),
        ("sales1", Role.SALES, "Sales One"),
        ("admin", Role.ADMIN, "Administrator"),
    ]
    ids: dict[str, int] = {}
    for name, role, display in wanted:
        existing = session.scalar(select(User).where(User.name == name))
        if existing is None:
            user_ops.add_user(
                session, name=name, role=role, at=now, actor_id=None, display_name=display
            )
            existing = session.scalar(select(User).where(User.name == name))
        assert existing is not None
        ids[name] = existing.id
    return ids


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
        self.phones = _Phones(rng)
        make_faker = require_faker()
        self.fakers = {c.code: make_faker(c.locale) for c in COUNTRIES}
        for offset, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed * 1000 + offset)
        self.names = {
            code: (
                [f.first_name() for _ in range(300)],
                [f.last_name() for _ in range(300)],
                [f.company() for _ in range(300)],
                [f.city() for _ in range(40)],
            )
            for code, f in self.fakers.items()
        }
        self.accounts: list[dict[str, Any]] = []
        self.people: list[dict[str, Any]] = []
        self.leads: list[dict[str, Any]] = []
        self.assignments: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self.verdicts: list[dict[str, Any]] = []
        self.batches: list[dict[str, Any]] = []
        self.opportunities: list[dict[str, Any]] = []
        self.feedback: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.last_lead: dict[int, dict[str, Any]] = {}
        self.leads_of: dict[int, int] = {}  # person id → leads so far
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
            by_country.setdefault(country.code, []).append(self._account(account_id, country))
        person_id = 0
        for lead_id, country in enumerate(countries, start=1):
            account = rng.choice(by_country[country.code])
            person = self.people[rng.randrange(len(self.people))] if self.people else {}
            earlier = self.last_lead.get(person.get("id", 0))
            # Interest comes back after an earlier lead ended: a new lead on the same person.
            repeat = earlier is not None and earlier["closed_at"] is not None and rng.random() < 0.3
            if not repeat:
                person_id += 1
                person = self._person(person_id, country, account)
            self.last_lead[person["id"]] = self._lead(lead_id, person, earlier if repeat else None)
        self._handoff_history()

    def _account(self, account_id: int, country: Country) -> dict[str, Any]:
        rng = self.rng
        companies = self.names[country.code][2]
        name = f"{rng.choice(companies)}"
        if rng.random() < 0.5:
            name = f"{name} {rng.choice(('Group', 'Systems', 'Labs', 'Partners', 'Holding'))}"
        employees = int(rng.lognormvariate(4.2, 1.6)) + 2
        self.accounts.append(
            {
                "id": account_id,
                "name": name,
                "name_key": company_key(name),
                "domain": _domain(name),
                "industry": rng.choice(INDUSTRIES),
                "employees": employees,
                "country": country.code,
                "is_customer": rng.random() < 0.07,
                "owner_name": rng.choice(("Dana Reyes", "Sam Okafor", "Mia Lindqvist")),
                "created_at": self.now - timedelta(days=rng.randint(30, 900)),
            }
        )
        return self.accounts[-1]

    def _person(self, person_id: int, country: Country, account: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        firsts, lasts, _, cities = self.names[country.code]
        first, last = rng.choice(firsts), rng.choice(lasts)
        phone, zone, zone_key = self.phones.draw(country)
        title, seniority = rng.choice(TITLES)
        domain = account["domain"] or "example.com"
        local = f"{_ascii(first)}.{_ascii(last)}".strip(".") or f"contact{person_id}"
        person = {
            "id": person_id,
            "account_id": account["id"],
            "first_name": first,
            "last_name": last,
            "email": f"{local}{person_id}@{domain}",
            "phone": phone,
            "phone_raw": phone,
            "title": title,
            "seniority": seniority,
            "country": country.code,
            "region": None,
            "city": rng.choice(cities),
            "timezone": zone,
            "zone_key": zone_key,
            "do_not_call": rng.random() < 0.02,
            "do_not_call_at": None,
            "erased_at": None,
            "created_at": self.now - timedelta(days=rng.randint(1, 400)),
        }
        if person["do_not_call"]:
            person["do_not_call_at"] = person["created_at"] + timedelta(days=1)
        self.people.append(person)
        return person

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
        assigned = rng.choice(self.rep_ids) if rng.random() < 0.8 else None
        account = self.accounts[person["account_id"] - 1]
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
            "stage": Stage.NEW.value,
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
        self.leads.append(lead)
        if assigned is not None:
            self._assign(lead, assigned, by=None, at=arrived, reason=ASSIGNED_ON_ARRIVAL)
        # Reps reach nearly everything within a day or two; only recent interest waits untouched.
        if age > timedelta(hours=3) and (rng.random() < 0.75 or age > timedelta(days=2)):
            self._history(lead, person, assigned or rng.choice(self.rep_ids))
        return lead

    def _history(self, lead: dict[str, Any], person: dict[str, Any], rep: int) -> None:
        rng = self.rng
        at: datetime = lead["arrived_at"] + timedelta(minutes=rng.randint(10, 180))
        attempts = rng.randint(1, 4)
        connected = False
        outcome = CallOutcome.NO_ANSWER
        for number in range(1, attempts + 1):
            if at >= self.now - timedelta(minutes=5):
                break
            last = number == attempts
            outcome = (
                CallOutcome.CONNECTED
                if last and rng.random() < 0.6
                else rng.choice((CallOutcome.NO_ANSWER, CallOutcome.VOICEMAIL, CallOutcome.BUSY))
            )
            ring = rng.randint(5, 40)
            talk = rng.randint(180, 860) if outcome is CallOutcome.CONNECTED else 0
            self.calls.append(
                {
                    "lead_id": lead["id"],
                    "user_id": rep,
                    "at": at,
                    "outcome": outcome.value,
                    "duration_seconds": ring + talk,
                    "note": None,
                    "callback_at": None,
                    "ended_at": min(at + timedelta(seconds=talk), self.now),
                }
            )
            lead["attempts"] = number
            lead["last_attempt_at"] = at
            lead["first_contact_at"] = lead["first_contact_at"] or at
            connected = outcome is CallOutcome.CONNECTED
            at += timedelta(hours=rng.choice((3, 4, 20, 26)))
        if lead["attempts"] == 0:
            return
        if lead["assigned_to_id"] is None:
            lead["assigned_to_id"] = rep
            self._assign(lead, rep, by=rep, at=lead["first_contact_at"], reason=TAKEN_FROM_POOL)
        lead["stage"] = Stage.WORKING.value
        lead["stage_changed_at"] = lead["first_contact_at"]
        # The cadence's wait after the last outcome: some retries are due, some later today.
        wait = self.policy.cadence.retry_after(outcome) or timedelta(hours=3)
        lead["next_attempt_at"] = lead["last_attempt_at"] + wait
        if person["do_not_call"]:
            return
        if not connected:
            self._unanswered(lead, person, rep)
            return
        lead["next_attempt_at"] = None
        roll = rng.random()
        if roll < 0.12:
            # Agreed to talk again: some callbacks fall due today.
            lead["stage"] = Stage.IN_QUALIFICATION.value
            self._book_callback(lead, person, self.now + timedelta(minutes=rng.randint(-90, 480)))
            return
        if roll < 0.17:
            # Talked, questionnaire half done, no verdict yet: lately, or they asked to be
            # called back (a team does not leave a half-qualified lead for weeks).
            lead["stage"] = Stage.IN_QUALIFICATION.value
            if self.now - lead["last_attempt_at"] > timedelta(days=1):
                self._book_callback(lead, person, self.now + _spread(lead["id"]))
            return
        verdict, lead_type, stage = rng.choices(
            (
                (Verdict.HAND_OFF, LeadType.SALES_WORTHY, Stage.QUALIFIED),
                (Verdict.NURTURE, LeadType.UNQUALIFIED_INTEREST, Stage.NURTURE),
                (Verdict.DISQUALIFY, LeadType.UNWORTHY, Stage.DISQUALIFIED),
                (Verdict.DISQUALIFY, LeadType.DUBIOUS, Stage.DISQUALIFIED),
                (Verdict.EXISTING_ACCOUNT, LeadType.SALES_WORTHY, Stage.EXISTING_ACCOUNT),
            ),
            (40, 25, 18, 7, 5),
        )[0]
        # Some minutes after the last call, but never later than a moment ago.
        decided = min(
            lead["last_attempt_at"] + timedelta(minutes=rng.randint(5, 25)),
            self.now - timedelta(minutes=1),
        )
        self._decide(
            lead,
            rep,
            (verdict, lead_type, stage),
            decided=decided,
            reason=_verdict_reason(verdict, lead_type),
            framework_score=rng.randint(40, 95),
        )

    def _book_callback(
        self, lead: dict[str, Any], person: dict[str, Any], agreed: datetime
    ) -> None:
        # Booked as a rep books it: within the person's calling hours, never at 3 a.m.
        # Up to five days on: past a weekend or a public holiday of their country.
        for _ in range(48 * 5):
            if callable_now(
                person["zone_key"], agreed, self.policy, person.get("country"), person.get("region")
            ):
                break
            agreed += timedelta(minutes=30)
        lead["callback_at"] = agreed
        lead["next_attempt_at"] = agreed

    def _unanswered(self, lead: dict[str, Any], person: dict[str, Any], rep: int) -> None:
        """Nobody picked up yet. A team works its retries: an old lead's cadence has run out
        (nurtured as unreachable), a recent one's next try is due about now, not weeks ago."""
        if lead["arrived_at"] < self.now - CADENCE_RUN_OUT:
            attempts = lead["attempts"]
            self._decide(
                lead,
                rep,
                (Verdict.NURTURE, lead["lead_type"] and LeadType(lead["lead_type"]), Stage.NURTURE),
                decided=lead["last_attempt_at"],
                reason=f"Unreachable: no contact in {attempts} "
                f"{'attempt' if attempts == 1 else 'attempts'}; the cadence's business days "
                "are over",
                framework_score=None,
            )
            return
        # A few slip through (one in twenty): the team view's "untouched" has something to show.
        if self.now - lead["next_attempt_at"] > timedelta(hours=20) and lead["id"] % 20:
            lead["next_attempt_at"] = self.now + _spread(lead["id"])

    def _decide(
        self,
        lead: dict[str, Any],
        rep: int,
        outcome: tuple[Verdict, LeadType | None, Stage],
        *,
        decided: datetime,
        reason: str,
        framework_score: int | None,
    ) -> None:
        verdict, lead_type, stage = outcome
        lead.update(
            stage=stage.value,
            lead_type=lead_type.value if lead_type else None,
            stage_changed_at=decided,
            closed_at=None if stage is Stage.QUALIFIED else decided,
            next_attempt_at=None,
            definition_version_id=self.version_id,
            framework_score=framework_score,
        )
        self.verdicts.append(
            {
                "lead_id": lead["id"],
                "verdict": verdict.value,
                "lead_type": lead_type.value if lead_type else None,
                "reason": reason,
                "disqualify_reason": (
                    lead_type.value if lead_type and verdict is Verdict.DISQUALIFY else None
                ),
                "recycle_at": decided + timedelta(days=90) if verdict is Verdict.NURTURE else None,
                "suggested_verdict": verdict.value,
                "suggested_lead_type": lead_type.value if lead_type else None,
                "overridden": False,
                "override_reason": None,
                "definition_version_id": self.version_id,
                "fit_score": lead["fit_score"],
                "interest_score": lead["interest_score"],
                "framework_score": lead["framework_score"],
                "answers": None,
                "fired_rules": None,
                "decided_by_id": rep,
                "decided_at": decided,
            }
        )
        self.audit.append(
            {
                "at": decided,
                "actor_id": rep,
                "action": "verdict",
                "lead_id": lead["id"],
                "subject": None,
                "from_state": Stage.WORKING.value,
                "to_state": stage.value,
                "reason": verdict.value,
                "details": None,
            }
        )

    def _assign(
        self, lead: dict[str, Any], rep: int, *, by: int | None, at: datetime, reason: str
    ) -> None:
        """The history row a real desk writes when a lead reaches a rep."""
        self.assignments.append(
            {
                "lead_id": lead["id"],
                "from_user_id": None,
                "to_user_id": rep,
                "by_user_id": by,
                "at": at,
                "reason": reason,
            }
        )

    def _handoff_history(self) -> None:
        """Older qualified leads went to sales in daily batches; sales answered most of them.

        Leads qualified in the last day still wait for tonight's export, so every rep has a
        batch to hand off. Hand-off verdicts carry the BANT answers sales reads in the file.
        """
        for verdict in self.verdicts:
            if verdict["verdict"] == Verdict.HAND_OFF.value and verdict["answers"] is None:
                verdict["answers"] = _hand_off_answers(random.Random(verdict["lead_id"]))
        rng = self.rng
        cutoff = self.now - timedelta(days=1)
        waiting = [
            lead
            for lead in self.leads
            if lead["stage"] == Stage.QUALIFIED.value and lead["stage_changed_at"] < cutoff
        ]
        by_day: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for lead in waiting:
            rep = lead["assigned_to_id"]
            by_day.setdefault((rep, lead["stage_changed_at"].date().isoformat()), []).append(lead)
        for number, ((rep, day), leads) in enumerate(sorted(by_day.items()), start=1):
            created = max(lead["stage_changed_at"] for lead in leads) + timedelta(hours=2)
            batch_id = number
            self.batches.append(
                {
                    "id": batch_id,
                    "code": f"demo-{day.replace('-', '')}-{rep}-{number}",
                    "created_by_id": rep,
                    "created_at": created,
                    "scope": "own",
                    "lead_count": len(leads),
                    "definition_version": self.version,
                    "folder": None,
                    "files": None,
                }
            )
            for lead in leads:
                lead.update(handoff_batch_id=batch_id, stage=Stage.HANDED_OFF.value)
                lead["stage_changed_at"] = created
                if created > self.now - timedelta(days=2) or rng.random() < 0.15:
                    continue  # sales has not answered yet: the black box the team lead watches
                answered = created + timedelta(hours=rng.randint(3, 40))
                if rng.random() < 0.72:
                    opportunity_id = len(self.opportunities) + 1
                    self.opportunities.append(
                        {
                            "id": opportunity_id,
                            "lead_id": lead["id"],
                            "external_id": f"006{rng.randint(10**11, 10**12 - 1)}",
                            "owner": rng.choice(("Dana Reyes", "Sam Okafor", "Mia Lindqvist")),
                            "created_on": answered.date(),
                            "recorded_by_id": self.sales_id,
                            "recorded_at": answered,
                        }
                    )
                    decision, reason = SalesDecision.ACCEPTED, None
                    lead.update(stage=Stage.ACCEPTED.value)
                else:
                    opportunity_id, decision = None, SalesDecision.REJECTED
                    reason = rng.choice(REJECT_REASONS)
                    lead.update(stage=Stage.REJECTED.value)
                lead.update(stage_changed_at=answered, closed_at=answered)
                self.feedback.append(
                    {
                        "lead_id": lead["id"],
                        "decision": decision.value,
                        "reason": reason,
                        "detail": None,
                        "opportunity_id": opportunity_id,
                        "recorded_by_id": self.sales_id,
                        "recorded_at": answered,
                        "source_digest": None,
                    }
                )

    # -- writing --------------------------------------------------------------------------

    def write(self, session: Session) -> None:
        plan: list[tuple[Any, list[dict[str, Any]]]] = [
            (Account, self.accounts),
            (Person, self.people),
            (HandoffBatch, self.batches),
            (Lead, self.leads),
            (Assignment, self.assignments),
            (CallAttempt, self.calls),
            (VerdictRecord, self.verdicts),
            (OpportunityRef, self.opportunities),
            (SalesFeedback, self.feedback),
            (AuditEvent, self.audit),
        ]
        # Core executemany, not the ORM: no per-row identity bookkeeping for bulk rows.
        connection = session.connection()
        for model, rows in plan:
            for chunk in _chunks(rows):
                connection.execute(insert(model.__table__), chunk)
        # The rows above carry their ids: the store's next ids must come after them.
        catch_up_sequences(connection, [model.__tablename__ for model, _ in plan])

    def summary(self, users: int) -> DemoSummary:
        return DemoSummary(
            users=users,
            accounts=len(self.accounts),
            people=len(self.people),
            leads=len(self.leads),
            calls=len(self.calls),
            verdicts=len(self.verdicts),
            batches=len(self.batches),
        )


def _hand_off_answers(rng: random.Random) -> dict[str, Any]:
    """BANT answers that meet the default definition's hand-off rule (own rng: the rest of
    the demo stays as it was for a seed)."""
    budget = rng.choice(("approved", "planned"))
    return {
        "contact_check": "yes",
        "inquiry_reason": rng.choice(("project", "pricing")),
        "pain_level": rng.choice(("major", "some")),
        "decision_role": rng.choice(("decision_maker", "influencer")),
        "budget_status": budget,
        "budget_amount": {"amount": rng.choice((15_000, 40_000, 120_000)), "currency": "USD"},
        "timeline": rng.choice(("3_months", "6_months")),
        "next_step_agreed": True,
        "best_time": rng.choice(("Tuesday morning", "Thursday after 14:00", "Any weekday 9-11")),
    }


def _spread(lead_id: int) -> timedelta:
    """A time around now, from two hours ago to a day ahead, the same for the same lead
    (drawn from its number, so the rest of the seeded demo stays as it was)."""
    return timedelta(minutes=(lead_id * 37) % (26 * 60) - 120)


def _verdict_reason(verdict: Verdict, lead_type: LeadType) -> str:
    return {
        Verdict.HAND_OFF: "Budget confirmed, decision maker on the call, buying this quarter",
        Verdict.NURTURE: "Interested but no budget before next year",
        Verdict.EXISTING_ACCOUNT: "Already a customer; routed to the account owner",
        Verdict.DISQUALIFY: "Too small to benefit"
        if lead_type is LeadType.UNWORTHY
        else "Contact data only; nobody by that name works there",
    }[verdict]


def _ascii(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _domain(company: str) -> str | None:
    stem = _ascii(company.split(",")[0].split(" ")[0])
    return f"{stem}.example" if stem else None


def give_demo_passwords(store: Store, *, at: datetime) -> dict[str, str]:
    """Every active demo user gets the known password ``demo-NAME`` (admins first, so the
    store is never without an admin who can sign in). Returns name → password, to print."""
    given: dict[str, str] = {}
    with store.transaction() as session:
        users = session.scalars(select(User).where(User.active.is_(True))).all()
        for user in sorted(users, key=lambda u: (u.role is not Role.ADMIN, u.name)):
            given[user.name] = f"demo-{user.name}"
            passwords.set_password(session, user, given[user.name], at=at, actor_id=None)
    return given
