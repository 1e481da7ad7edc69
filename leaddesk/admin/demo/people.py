"""The demo's companies and the people at them: international names, valid phone numbers in
their own time zones, titles and industries (docs/architecture.md §1).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import phonenumbers
from phonenumbers import timezone as phone_zones

from leaddesk.admin.demo.rows import DemoRows
from leaddesk.intake.cleanup import company_key
from leaddesk.queue.zones import zone_key_for

if TYPE_CHECKING:
    from faker import Faker


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


class Phones:
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


_NATIONAL_LENGTH: dict[str, int] = {"US": 10, "CA": 10}


class Directory:
    """Draws the demo's accounts and people, with each country's names from Faker (seeded,
    so the same seed gives the same names)."""

    def __init__(
        self, rng: random.Random, seed: int, now: datetime, rows: DemoRows, make_faker: type[Faker]
    ) -> None:
        self.rng = rng
        self.now = now
        self.rows = rows
        self.phones = Phones(rng)
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

    def account(self, account_id: int, country: Country) -> dict[str, Any]:
        rng = self.rng
        companies = self.names[country.code][2]
        name = f"{rng.choice(companies)}"
        if rng.random() < 0.5:
            name = f"{name} {rng.choice(('Group', 'Systems', 'Labs', 'Partners', 'Holding'))}"
        employees = int(rng.lognormvariate(4.2, 1.6)) + 2
        self.rows.accounts.append(
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
        return self.rows.accounts[-1]

    def person(self, person_id: int, country: Country, account: dict[str, Any]) -> dict[str, Any]:
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
        self.rows.people.append(person)
        return person


def _ascii(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _domain(company: str) -> str | None:
    stem = _ascii(company.split(",")[0].split(" ")[0])
    return f"{stem}.example" if stem else None
