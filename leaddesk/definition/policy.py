"""The queue's rules of the game, read from a definition's ``[policy]`` section.

Defaults are the reference process (docs/architecture.md §1): qualify within 2 business
hours, flag a lead untouched for 24 hours, at most 6 attempts within 10 business days, call
people only between 08:00 and 21:00 their time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leaddesk.definition.fields import Report, TableReader
from leaddesk.definition.holiday_days import calendar_exists
from leaddesk.definition.temperature import Temperature, read_temperature
from leaddesk.domain import CallOutcome, LeadType

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Assignment(StrEnum):
    """Who gets a new lead on intake."""

    ROUND_ROBIN = "round_robin"
    TERRITORY = "territory"
    POOL = "pool"


class RouteBy(StrEnum):
    """Which salesperson a hand-off verdict names."""

    TERRITORY = "territory"  # the one covering the lead's country, with room to take it
    ROUND_ROBIN = "round_robin"  # in turn among sales with spare capacity
    NAMED = "named"  # in turn among the names the policy lists for the lead's source
    ACCOUNT_OWNER = "account_owner"  # whoever owns the lead's account


class UnqualifiedInterestGoesTo(StrEnum):
    """Where a good-fit lead that has shown no interest yet is suggested to go."""

    SALES = "sales"  # handed off: selling to a good fit is sales' work (the seeds' way)
    MARKETING = "marketing"  # nurtured, as its rule says, until it shows interest


@dataclass(frozen=True)
class SalesRouting:
    """How hand-offs reach a salesperson, and sales' follow-up clock (docs/architecture.md §4):
    due ``due_hours`` business hours after the verdict (the salesperson's hours), flagged to the
    team lead and ``sales_manager`` at the policy's ``sales_followup_hours``, moved to another
    salesperson at ``sales_escalation_hours`` when ``move_when_late``. An existing customer's
    lead always goes to its account owner when one is on file."""

    route_by: RouteBy = RouteBy.ROUND_ROBIN
    # Source → user names, for ROUTE_BY named; "*" lists the names for any other source.
    owners: tuple[tuple[str, tuple[str, ...]], ...] = ()
    due_hours: float = 4.0
    move_when_late: bool = False
    sales_manager: str | None = None
    due_hours_by_lead_type: tuple[tuple[LeadType, float], ...] = ()

    def due_hours_for(self, lead_type: LeadType | None) -> float:
        """Business hours sales has to follow up on a lead of this type."""
        if lead_type is None:
            return self.due_hours
        return dict(self.due_hours_by_lead_type).get(lead_type, self.due_hours)

    def owners_for(self, source: str) -> tuple[str, ...]:
        listed = dict(self.owners)
        return listed.get(source, listed.get("*", ()))


@dataclass(frozen=True)
class BusinessHours:
    start: time = time(9, 0)
    end: time = time(17, 0)
    weekdays: frozenset[int] = frozenset(range(5))  # Monday = 0, as date.weekday()

    @property
    def hours_a_day(self) -> float:
        """Open hours in one business day."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) / 60


@dataclass(frozen=True)
class CallingHours:
    """When the called person may be phoned, in their own local time: these hours on these
    weekdays (Monday to Friday unless the policy says otherwise), never on a public holiday of
    their country and region; ``countries`` gives a country its own hours and weekdays."""

    start: time = time(8, 0)
    end: time = time(21, 0)
    weekdays: frozenset[int] = frozenset(range(5))  # Monday = 0, as date.weekday()
    countries: tuple[tuple[str, CallingHours], ...] = ()  # ISO alpha-2, upper case

    def for_country(self, country: str | None) -> CallingHours:
        """The hours that apply to a person in ``country`` (these, unless it has its own)."""
        if country:
            wanted = country.upper()
            for code, hours in self.countries:
                if code == wanted:
                    return hours
        return self


DEFAULT_RETRY_MINUTES: tuple[tuple[CallOutcome, int], ...] = (
    (CallOutcome.NO_ANSWER, 180),
    (CallOutcome.BUSY, 30),
    (CallOutcome.VOICEMAIL, 1440),
    (CallOutcome.GATEKEEPER, 240),
)


@dataclass(frozen=True)
class Cadence:
    """How often a lead may be tried; when it is used up the lead goes to nurture."""

    retry_minutes: tuple[tuple[CallOutcome, int], ...] = DEFAULT_RETRY_MINUTES
    max_attempts_per_day: int = 3
    min_spacing_minutes: int = 60
    max_attempts: int = 6
    within_business_days: int = 10
    exhausted_reason: str = "Unreachable: no contact after every allowed attempt"

    def retry_after(self, outcome: CallOutcome) -> timedelta | None:
        """How long to wait before the next try after this outcome; None if no retry is due."""
        for known, minutes in self.retry_minutes:
            if known is outcome:
                return timedelta(minutes=minutes)
        return None


QUEUE_BANDS = ("callback", "new", "retry", "other")


@dataclass(frozen=True)
class QueueOrder:
    """How the call queue ranks its bands, and how "the rest" weighs fit against interest."""

    bands: tuple[str, ...] = QUEUE_BANDS
    fit_weight: int = 1
    interest_weight: int = 1
    # "Skip for now" puts a lead behind this many of the next ones.
    skip_behind: int = 5

    def rank(self, band: str) -> int:
        return self.bands.index(band) + 1


@dataclass(frozen=True)
class Policy:
    timezone: str = "UTC"
    business_hours: BusinessHours = field(default_factory=BusinessHours)
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    speed_to_lead_hours: float = 2.0
    calling_hours: CallingHours = field(default_factory=CallingHours)
    callback_window_minutes: int = 15
    cadence: Cadence = field(default_factory=Cadence)
    pool_visible_to_reps: bool = True
    untouched_flag_hours: float = 24.0
    auto_reassign_enabled: bool = False
    auto_reassign_after_hours: float = 48.0
    # No churn: a lead the sweep moved stays put this many business days, and one sweep moves
    # at most so many leads (the first sweep of an old store would move thousands).
    auto_reassign_rest_business_days: int = 10
    auto_reassign_max_per_run: int = 25
    sales_followup_hours: float = 24.0
    sales_escalation_hours: float = 48.0
    default_phone_region: str = "US"
    assignment: Assignment = Assignment.ROUND_ROBIN
    # One company, one rep: a new lead at a company where a rep works an open lead goes to them.
    one_rep_per_company: bool = False
    queue: QueueOrder = field(default_factory=QueueOrder)
    sales_routing: SalesRouting = field(default_factory=SalesRouting)
    # A definition that does not say keeps its rules' nurture verdicts (as it was published);
    # the shipped BANT says "sales".
    unqualified_interest_goes_to: UnqualifiedInterestGoesTo = UnqualifiedInterestGoesTo.MARKETING
    # Hot / warm / cold levels and words for a qualified lead's rating.
    temperature: Temperature = field(default_factory=Temperature)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def read_policy(raw: object, path: str, report: Report) -> Policy:
    """Build the policy, falling back to the reference default for every key not given."""
    base = Policy()
    table = TableReader(raw, path, report)
    zone = table.text("timezone", base.timezone)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        report(table.at("timezone"), f"unknown time zone '{zone}'; use a name like Europe/Berlin")
        zone = base.timezone
    country, subdivision = _read_holidays(table, report)
    auto = table.table("auto_reassign")
    policy = Policy(
        timezone=zone,
        business_hours=_read_business_hours(table.table("business_hours"), report),
        holiday_country=country,
        holiday_subdivision=subdivision,
        speed_to_lead_hours=table.number("speed_to_lead_hours", base.speed_to_lead_hours, 0.25),
        calling_hours=_read_calling_hours(table.table("calling_hours"), report),
        callback_window_minutes=table.whole(
            "callback_window_minutes", base.callback_window_minutes, 1
        ),
        cadence=_read_cadence(table.table("cadence"), report),
        pool_visible_to_reps=table.flag("pool_visible_to_reps", base.pool_visible_to_reps),
        one_rep_per_company=table.flag("one_rep_per_company", base.one_rep_per_company),
        untouched_flag_hours=table.number("untouched_flag_hours", base.untouched_flag_hours, 1),
        auto_reassign_enabled=auto.flag("enabled", base.auto_reassign_enabled),
        auto_reassign_after_hours=auto.number("after_hours", base.auto_reassign_after_hours, 1),
        auto_reassign_rest_business_days=auto.whole(
            "rest_business_days", base.auto_reassign_rest_business_days, 0
        ),
        auto_reassign_max_per_run=auto.whole("max_per_run", base.auto_reassign_max_per_run, 1),
        sales_followup_hours=table.number("sales_followup_hours", base.sales_followup_hours, 1),
        sales_escalation_hours=table.number(
            "sales_escalation_hours", base.sales_escalation_hours, 1
        ),
        default_phone_region=_read_region(table, report, base.default_phone_region),
        assignment=_read_assignment(table, report),
        queue=_read_queue_order(table.table("queue"), report),
        sales_routing=_read_sales_routing(table.table("sales_routing"), report),
        temperature=read_temperature(table.table("temperature"), report),
        unqualified_interest_goes_to=_read_goes_to(table, report),
    )
    auto.finish()
    table.finish()
    if policy.sales_escalation_hours < policy.sales_followup_hours:
        report(table.at("sales_escalation_hours"), "must not be before sales_followup_hours")
    return policy


def _read_queue_order(table: TableReader, report: Report) -> QueueOrder:
    base = QueueOrder()
    bands = base.bands
    if table.has("bands"):
        names = [name.strip().lower() for name in table.texts("bands")]
        if sorted(names) != sorted(QUEUE_BANDS):
            report(
                table.at("bands"),
                f"list each queue band once, in the order wanted: {', '.join(QUEUE_BANDS)}",
            )
        else:
            bands = tuple(names)
    fit = table.whole("fit_weight", base.fit_weight, 0)
    interest = table.whole("interest_weight", base.interest_weight, 0)
    if fit + interest == 0:
        report(table.at("fit_weight"), "fit_weight and interest_weight cannot both be 0")
        fit, interest = base.fit_weight, base.interest_weight
    skip_behind = table.whole("skip_behind", base.skip_behind, 1)
    table.finish()
    return QueueOrder(bands, fit, interest, skip_behind)


def _read_sales_routing(table: TableReader, report: Report) -> SalesRouting:
    base = SalesRouting()
    by = table.text("route_by", base.route_by.value)
    try:
        route_by = RouteBy(by)
    except ValueError:
        choices = ", ".join(item.value for item in RouteBy)
        report(table.at("route_by"), f"unknown way to route '{by}'; use one of: {choices}")
        route_by = base.route_by
    listed = table.table("owners")
    owners = tuple(
        (source, tuple(name.strip().lower() for name in listed.texts(source)))
        for source in list(listed.raw)
    )
    listed.finish()
    if route_by is RouteBy.NAMED and not owners:
        report(table.at("owners"), 'list the salespeople per source, like web_form = ["anna"]')
    manager = table.optional_text("sales_manager")
    routing = SalesRouting(
        route_by=route_by,
        owners=owners,
        due_hours=table.number("due_hours", base.due_hours, 0.25),
        move_when_late=table.flag("move_when_late", base.move_when_late),
        sales_manager=manager.strip().lower() if manager else None,
        due_hours_by_lead_type=_read_due_hours_by_type(
            table.table("due_hours_by_lead_type"), report
        ),
    )
    table.finish()
    return routing


def _read_due_hours_by_type(
    table: TableReader, report: Report
) -> tuple[tuple[LeadType, float], ...]:
    hours: list[tuple[LeadType, float]] = []
    for key in list(table.raw):
        try:
            lead_type = LeadType(key)
        except ValueError:
            table.value(key)
            choices = ", ".join(item.value for item in LeadType)
            report(table.at(key), f"unknown lead type; use one of: {choices}")
            continue
        hours.append((lead_type, table.number(key, SalesRouting.due_hours, 0.25)))
    table.finish()
    return tuple(hours)


def _read_holidays(table: TableReader, report: Report) -> tuple[str | None, str | None]:
    calendar = table.table("holidays")
    country = calendar.optional_text("country")
    subdivision = calendar.optional_text("subdivision")
    calendar.finish()
    if not country:
        if subdivision:
            report(calendar.at("country"), "missing; a subdivision needs its country")
        return None, None
    if not calendar_exists(country, subdivision or None):
        if subdivision:
            message = f"no holiday calendar for '{country}' / '{subdivision}'"
            report(calendar.at("subdivision"), message)
        else:
            report(calendar.at("country"), f"no holiday calendar for country '{country}'")
        return None, None
    return country, subdivision or None


def _read_business_hours(table: TableReader, report: Report) -> BusinessHours:
    base = BusinessHours()
    start = table.clock_time("start", base.start)
    end = table.clock_time("end", base.end)
    weekdays = base.weekdays
    if table.has("weekdays"):
        names = table.texts("weekdays")
        unknown = [name for name in names if name.lower() not in WEEKDAYS]
        if unknown:
            report(table.at("weekdays"), f"unknown day '{unknown[0]}'; use {', '.join(WEEKDAYS)}")
        elif not names:
            report(table.at("weekdays"), "needs at least one working day")
        else:
            weekdays = frozenset(WEEKDAYS.index(name.lower()) for name in names)
    if end <= start:
        report(table.at("end"), "must be after start (opening hours cannot cross midnight)")
        start, end = base.start, base.end
    table.finish()
    return BusinessHours(start, end, weekdays)


def _read_calling_hours(
    table: TableReader, report: Report, base: CallingHours | None = None
) -> CallingHours:
    """The calling hours; a country's own table (``base`` given) inherits what it leaves out."""
    top = base is None
    base = base or CallingHours()
    start = table.clock_time("start", base.start)
    end = table.clock_time("end", base.end)
    weekdays = _read_weekdays(table, report, base.weekdays)
    countries: list[tuple[str, CallingHours]] = []
    if top:
        by_country = table.table("countries")
        inherited = CallingHours(start, end, weekdays) if end > start else CallingHours()
        for key in list(by_country.raw):
            code = key.strip().upper()
            if len(code) != 2 or not code.isalpha():
                by_country.value(key)
                report(by_country.at(key), "use a two-letter country code, like DE or AE")
                continue
            countries.append((code, _read_calling_hours(by_country.table(key), report, inherited)))
        by_country.finish()
    table.finish()
    if end <= start:
        report(table.at("end"), "must be after start")
        return base
    return CallingHours(start, end, weekdays, tuple(countries))


def _read_weekdays(table: TableReader, report: Report, default: frozenset[int]) -> frozenset[int]:
    if not table.has("weekdays"):
        return default
    names = table.texts("weekdays")
    unknown = [name for name in names if name.lower() not in WEEKDAYS]
    if unknown:
        report(table.at("weekdays"), f"unknown day '{unknown[0]}'; use {', '.join(WEEKDAYS)}")
        return default
    if not names:
        report(table.at("weekdays"), "needs at least one calling day")
        return default
    return frozenset(WEEKDAYS.index(name.lower()) for name in names)


def _read_cadence(table: TableReader, report: Report) -> Cadence:
    base = Cadence()
    retries = dict(base.retry_minutes)
    retry_table = table.table("retry_after_minutes")
    for key in list(retry_table.raw):
        try:
            outcome = CallOutcome(key)
        except ValueError:
            retry_table.value(key)
            choices = ", ".join(outcome.value for outcome in CallOutcome)
            report(retry_table.at(key), f"unknown call outcome; use one of: {choices}")
            continue
        retries[outcome] = retry_table.whole(key, retries.get(outcome, 60), 1)
    retry_table.finish()
    cadence = Cadence(
        retry_minutes=tuple(sorted(retries.items())),
        max_attempts_per_day=table.whole("max_attempts_per_day", base.max_attempts_per_day, 1),
        min_spacing_minutes=table.whole("min_spacing_minutes", base.min_spacing_minutes, 0),
        max_attempts=table.whole("max_attempts", base.max_attempts, 1),
        within_business_days=table.whole("within_business_days", base.within_business_days, 1),
        exhausted_reason=table.text("exhausted_reason", base.exhausted_reason),
    )
    table.finish()
    return cadence


def _read_region(table: TableReader, report: Report, default: str) -> str:
    region = table.text("default_phone_region", default)
    if len(region) != 2 or not region.isalpha() or not region.isupper():
        report(table.at("default_phone_region"), f"must be a country code like US, not '{region}'")
        return default
    return region


def _read_assignment(table: TableReader, report: Report) -> Assignment:
    value = table.text("assignment", Assignment.ROUND_ROBIN.value)
    try:
        return Assignment(value)
    except ValueError:
        choices = ", ".join(item.value for item in Assignment)
        report(table.at("assignment"), f"unknown assignment '{value}'; use one of: {choices}")
        return Assignment.ROUND_ROBIN


def _read_goes_to(table: TableReader, report: Report) -> UnqualifiedInterestGoesTo:
    default = Policy.unqualified_interest_goes_to
    value = table.text("unqualified_interest_goes_to", default.value)
    try:
        return UnqualifiedInterestGoesTo(value)
    except ValueError:
        choices = ", ".join(item.value for item in UnqualifiedInterestGoesTo)
        report(table.at("unqualified_interest_goes_to"), f"unknown '{value}'; use {choices}")
        return default
