"""Where the called person is, so they are only phoned in their own calling hours.

A person's *zone key* is the sorted set of IANA zones they may be in, joined by "|": one zone
for most numbers, several for a number (or a country) that spans zones. A multi-zone person is
callable only when every one of their zones is inside its calling window. Keys are few (a few
dozen in a store), so the queue decides per key whether "now" is callable and filters rows
with one ``zone_key IN (…)``, never by looking at each lead in Python.

Calling hours also know the calendar: Monday to Friday unless the policy says otherwise (per
country too), never on a public holiday of the person's country or region. A country is
judged on its own only when it differs from the plain rule right now (a holiday in its zones,
a region's holiday, its own hours in the policy): then its people are matched by
"COUNTRY|zone key" pairs, and a region on holiday is left out whatever its zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_zones
from phonenumbers.tzdata import TIMEZONE_DATA
from sqlalchemy import CTE, Select, String, column, func, select, table
from sqlalchemy.orm import Session

from leaddesk.definition import Policy
from leaddesk.definition.business_time import within_calling_hours
from leaddesk.definition.holiday_days import holiday_days
from leaddesk.store.models import Person

SEPARATOR = "|"
# A toll-free number or a country like the US "is" in dozens of zones; that says nothing
# useful about when the person is awake, so such a set counts as unknown.
MAX_ZONES = 8
MAX_KEY_LENGTH = 255


def key_of(zones: Iterable[str]) -> str | None:
    """The stored key for a set of zones; None when the set is empty or too vague."""
    unique = sorted({zone for zone in zones if zone and zone != phone_zones.UNKNOWN_TIMEZONE})
    if not unique or len(unique) > MAX_ZONES:
        return None
    key = SEPARATOR.join(unique)
    return key if len(key) <= MAX_KEY_LENGTH else None


@lru_cache(maxsize=1024)
def zones_of(key: str | None) -> tuple[str, ...]:
    return tuple(key.split(SEPARATOR)) if key else ()


@lru_cache(maxsize=65536)
def zones_for_phone(e164: str | None) -> tuple[str, ...]:
    """The zones a number's prefix belongs to (phonenumbers' data); () when unknown."""
    if not e164:
        return ()
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ()
    found = phone_zones.time_zones_for_number(number)
    return tuple(zone for zone in found if zone != phone_zones.UNKNOWN_TIMEZONE)


@lru_cache(maxsize=512)
def zones_for_country(country: str | None) -> tuple[str, ...]:
    """The zones of a country (ISO alpha-2) from its calling code; () when unknown."""
    if not country:
        return ()
    code = _calling_codes().get(country.upper())
    if not code:
        return ()
    return tuple(TIMEZONE_DATA.get(str(code), ()))


@lru_cache(maxsize=1)
def _calling_codes() -> dict[str, int]:
    """Each country's calling code, from phonenumbers' index: asking it country by country
    loads every country's numbering plan (some 250 modules) to read one number of each."""
    return {
        region: code
        for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
        for region in regions
        if region in phonenumbers.SUPPORTED_REGIONS
    }


def valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def zone_key_for(
    *, phone: str | None, country: str | None = None, timezone: str | None = None
) -> str | None:
    """The zone key of a person from what is known about them.

    A zone stated outright (an import column, a rep's correction) wins. Otherwise the phone
    number's zones, narrowed by the address country when the two overlap; a number with no
    zone of its own falls back to the country's. None means unknown: the queue then uses the
    team's zone and says so on the row.
    """
    stated = valid_zone(timezone)
    if stated:
        return stated
    by_phone = set(zones_for_phone(phone))
    by_country = set(zones_for_country(country))
    if by_phone and by_country and by_phone & by_country:
        return key_of(by_phone & by_country)
    return key_of(by_phone) or key_of(by_country)


@lru_cache(maxsize=4096)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def callable_now(
    key: str | None,
    at: datetime,
    policy: Policy,
    country: str | None = None,
    region: str | None = None,
) -> bool:
    """Whether a person with this key (and country, region) may be phoned at ``at``: inside
    their calling hours on a calling day that is no public holiday there. Unknown zone means
    the team's zone."""
    if not _on_minutes(policy):
        return _callable_now(key, at, policy, country, region)
    # The answer holds for the whole minute (see calling_zones_of): a search's rows and a
    # page's share a few keys, each judged once a minute.
    asked = (
        id(policy),
        key,
        country,
        region,
        at - timedelta(seconds=at.second, microseconds=at.microsecond),
    )
    known = _judged.get(asked)
    if known is not None and known[0] is policy:
        return known[1]
    answer = _callable_now(key, at, policy, country, region)
    if len(_judged) >= 4096:
        _judged.clear()
    _judged[asked] = (policy, answer)
    return answer


_judged: dict[tuple[int, str | None, str | None, str | None, datetime], tuple[Policy, bool]] = {}


def _callable_now(
    key: str | None, at: datetime, policy: Policy, country: str | None, region: str | None
) -> bool:
    zones = zones_of(key) or (policy.timezone,)
    return all(within_calling_hours(at, _zone(zone), policy, country, region) for zone in zones)


@dataclass(frozen=True)
class CallingZones:
    """Which zone keys of the store are inside their calling hours at one moment."""

    open_keys: tuple[str, ...]
    unknown_open: bool  # people with no known zone, judged by the team's zone
    # Countries judged on their own now; their people are callable only by ``open_pairs``
    # ("DE|Europe/Berlin", "DE|" for no known zone).
    own_countries: tuple[str, ...] = ()
    open_pairs: tuple[str, ...] = ()
    # "DE|bayern", "DE|by": a region on a public holiday of its own, closed whatever the zone.
    closed_regions: tuple[str, ...] = ()

    @property
    def anything_open(self) -> bool:
        return bool(self.open_keys or self.unknown_open or self.open_pairs)


@lru_cache(maxsize=1)
def _countries_by_zone() -> dict[str, tuple[str, ...]]:
    """Which countries (by calling code) each zone belongs to."""
    found: dict[str, set[str]] = {}
    for country in phonenumbers.SUPPORTED_REGIONS:
        for zone in zones_for_country(country):
            found.setdefault(zone, set()).add(country)
    return {zone: tuple(sorted(countries)) for zone, countries in found.items()}


def _countries_near(keys: Iterable[str], policy: Policy) -> set[str]:
    """The countries whose people may hold these zone keys (and those the policy names)."""
    by_zone = _countries_by_zone()
    near = {country for key in keys for zone in zones_of(key) for country in by_zone.get(zone, ())}
    near.update(code for code, _hours in policy.calling_hours.countries)
    near.update(by_zone.get(policy.timezone, ()))  # people of unknown zone: the team's
    return near


def zone_key_walk() -> CTE:
    """The store's distinct zone keys (column ``k``, a NULL last), as a recursive CTE."""
    key = Person.zone_key
    walk = select(func.min(key).label("k")).cte("zone_keys", recursive=True)
    following = select(func.min(key)).where(key > walk.c.k).scalar_subquery()
    return walk.union_all(select(following).where(walk.c.k.is_not(None)))


_ZONE_KEYS: Select[tuple[str | None]] = select(zone_key_walk().c.k)

# SQLite keeps every zone key its people hold in a table of its own, filled by triggers
# (migration 0028): one small read instead of a walk. PostgreSQL walks (``zone_key_walk``).
KEPT_ZONE_KEYS = table("zone_keys", column("key", String))


def store_zone_keys(session: Session) -> list[str]:
    """Every distinct zone key of the store, read by skipping through its index.

    A loose index scan (one index probe per distinct key) instead of DISTINCT over every
    person: a few dozen probes on a million people.
    """
    rows = session.connection().execute(_ZONE_KEYS).scalars()
    return [row for row in rows if row is not None]


def calling_zones(session: Session, at: datetime, policy: Policy) -> CallingZones:
    return calling_zones_of(store_zone_keys(session), at, policy)


# The last few answers: every `next` and page asks, and the answer only changes on a minute.
_answered: dict[tuple[int, tuple[str, ...], datetime], tuple[Policy, CallingZones]] = {}


def calling_zones_of(keys: list[str], at: datetime, policy: Policy) -> CallingZones:
    """Which of the store's zone ``keys`` (and countries) may be phoned at ``at``.

    Calling hours start and end on whole minutes and zones are offset by whole minutes, so
    the answer holds for the whole minute ``at`` is in; it is worked out once per minute.
    """
    asked = (
        id(policy),
        tuple(keys),
        at - timedelta(seconds=at.second, microseconds=at.microsecond),
    )
    known = _answered.get(asked)
    if known is not None and known[0] is policy:
        return known[1]  # the usual case: calling hours on whole minutes, asked this minute
    if not _on_minutes(policy):
        asked = (id(policy), tuple(keys), at)
    known = _answered.get(asked)
    if known is not None and known[0] is policy:
        return known[1]
    answer = _calling_zones(keys, at, policy)
    if len(_answered) >= 16:
        _answered.clear()
    _answered[asked] = (policy, answer)
    return answer


def _on_minutes(policy: Policy) -> bool:
    known = _minute_policies.get(id(policy))
    if known is not None and known[0] is policy:
        return known[1]
    answer = _bounds_on_minutes(policy)
    if len(_minute_policies) >= 64:
        _minute_policies.clear()
    _minute_policies[id(policy)] = (policy, answer)
    return answer


_minute_policies: dict[int, tuple[Policy, bool]] = {}


def _bounds_on_minutes(policy: Policy) -> bool:
    hours = policy.calling_hours
    bounds = [hours.start, hours.end]
    for _code, own in hours.countries:
        bounds += [own.start, own.end]
    return all(bound.second == 0 and bound.microsecond == 0 for bound in bounds)


def _calling_zones(keys: list[str], at: datetime, policy: Policy) -> CallingZones:
    own: list[str] = []
    pairs: list[str] = []
    closed_regions: list[str] = []
    overridden = {code for code, _hours in policy.calling_hours.countries}
    # Each country's dates now, wherever its people may be; their holidays asked in one go.
    dates = {
        country: sorted(
            {at.astimezone(_zone(zone)).date() for zone in zones_for_country(country)}
            | {at.astimezone(_zone(policy.timezone)).date()}
        )
        for country in sorted(_countries_near(keys, policy))
    }
    days = holiday_days((country, day) for country, local in dates.items() for day in local)
    for country, local in dates.items():
        facts = [days[(country, day)] for day in local]
        # A region closed on any of the country's dates now: "DE|by", "DE|bayern".
        for name in dict.fromkeys(name for fact in facts for name in fact.closed_regions):
            closed_regions.append(f"{country}|{name}")
        if country not in overridden and not any(fact.national for fact in facts):
            continue
        own.append(country)
        pairs += [f"{country}|{key}" for key in keys if callable_now(key, at, policy, country)]
        if callable_now(None, at, policy, country):
            pairs.append(f"{country}|")
    return CallingZones(
        open_keys=tuple(key for key in keys if callable_now(key, at, policy)),
        unknown_open=callable_now(None, at, policy),
        own_countries=tuple(own),
        open_pairs=tuple(pairs),
        closed_regions=tuple(closed_regions),
    )


def local_time(key: str | None, at: datetime, policy: Policy) -> datetime:
    """The person's wall clock (their first zone; the team's when unknown)."""
    return local_time_in(key, at, policy.timezone)


@lru_cache(maxsize=256)
def local_time_in(key: str | None, at: datetime, team_zone: str) -> datetime:
    """``local_time`` worked out once per zone key and moment: a page's rows share a few."""
    zones = zones_of(key) or (team_zone,)
    return at.astimezone(_zone(zones[0]))


def first_callable(
    key: str | None, country: str | None, start: datetime, policy: Policy, days: int = 31
) -> datetime | None:
    """The first moment from ``start`` a person with this zone key (and country) may be
    phoned; None when not within ``days``. Every zone of a key must be open, so the moment is
    ``start`` or the start of one zone's calling hours: only those are tried."""
    if callable_now(key, start, policy, country):
        return start
    opens = policy.calling_hours.for_country(country).start
    tried: list[datetime] = []
    for name in zones_of(key) or (policy.timezone,):
        zone = _zone(name)
        first_day = start.astimezone(zone).date()
        for ahead in range(days + 1):
            moment = datetime.combine(first_day + timedelta(days=ahead), opens, tzinfo=zone)
            if moment > start:
                tried.append(moment)
    for moment in sorted(tried):
        if callable_now(key, moment, policy, country):
            return moment.astimezone(start.tzinfo)
    return None
