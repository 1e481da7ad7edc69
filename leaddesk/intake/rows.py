"""One raw export row to a clean, typed lead row, or the reason it cannot be imported.

A row is imported when it has a usable email or phone; anything else odd in it (an invalid
phone beside a good email, an unreadable date) is kept as typed and flagged. Nothing a user
typed is dropped: unmapped columns and unreadable values end up in ``extra``.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from leaddesk.intake.cleanup import (
    EmailResult,
    PhoneResult,
    company_key,
    email_domain,
    normalise_email,
    normalise_phone,
    parse_employees,
    parse_when,
    split_full_name,
    tidy,
    tidy_text,
)
from leaddesk.intake.export_file import RawRow
from leaddesk.intake.mapping import Field, Mapping
from leaddesk.intake.phone_choice import FALLBACK_PHONES, SEVERAL, first_value, is_account_id

MAX_FIELD_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Something about one row, for the error report: skipped rows and kept-but-flagged values.

    ``field`` is the column name as in the file, so the user can find it.
    """

    row: int
    field: str
    reason: str
    value: str = ""


@dataclass(slots=True)
class CleanRow:
    """A row ready for duplicate checks and storing; text fields are "" when absent.

    Not frozen: a frozen dataclass's __init__ costs about 8 µs for these 28 fields, a third of
    the per-row budget. Treat it as a value all the same.
    """

    number: int
    first_name: str
    last_name: str
    title: str
    email: str | None
    email_raw: str
    email_domain: str | None
    phone_e164: str | None
    phone_raw: str
    phone_flag: str | None
    mobile_e164: str | None
    mobile_raw: str
    company: str
    company_key: str
    industry: str
    employees: int | None
    website: str
    country: str
    state: str
    city: str
    address: str
    source: str
    campaign: str
    inquiry: str
    arrived_at: datetime | None
    notes: str
    crm_id: str  # the record's id in the tool it came from, "" when the file has none
    account_crm_id: str  # its company's id there (a Salesforce Account ID)
    extra: dict[str, str]
    flags: tuple[RowProblem, ...]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def best_phone(self) -> str | None:
        """The number to call first: the phone, else the mobile (the phone may have come from a
        company, other or home number when both were missing; see ``phone_choice``)."""
        return self.phone_e164 or self.mobile_e164


def clean_row(
    raw: RawRow,
    mapping: Mapping,
    default_region: str | None,
    *,
    day_first: bool = False,
) -> CleanRow | RowProblem:
    """Clean one row. Never raises on what is in the cells.

    ``default_region`` (e.g. "US") reads phone numbers written without +; a row's own country
    column, when it names a country, wins for that row. ``day_first`` reads 03/05/2024 as 3 May.
    """
    values = raw.values
    number = raw.number
    # One C-level pass finds an over-long cell before any work is spent on the row.
    if max(map(len, values.values()), default=0) > MAX_FIELD_CHARS:
        for column, value in values.items():
            if len(value) > MAX_FIELD_CHARS:
                return RowProblem(
                    number,
                    column,
                    f"row skipped: value over {MAX_FIELD_CHARS:,} characters",
                    value[:200],
                )
    short = (value.strip().casefold() for value in values.values() if len(value) < 10)
    if not EMPTY_WORDS.isdisjoint(short):
        values = _without_placeholders(values)
    plan = _plan(mapping)
    get = values.get
    flags: list[RowProblem] = []

    email = normalise_email(first_value(get(plan.email, "")))
    if email.flag:
        reason = f"email kept as typed: {email.flag}"
        flags.append(RowProblem(number, plan.email, reason, email.raw))

    country = tidy(get(plan.country, ""))
    if not country and plan.address:
        country = _country_in_address(get(plan.address, ""))
    named = _region_for(country) if country else None
    region = named or default_region
    phone = normalise_phone(first_value(get(plan.phone, "")), region)
    mobile = normalise_phone(first_value(get(plan.mobile, "")), region)
    guessed = named is None
    if phone.flag:
        flags.append(_phone_flag(number, "phone", plan.phone, phone, guessed))
    if mobile.flag:
        flags.append(_phone_flag(number, "mobile", plan.mobile, mobile, guessed))
    if phone.e164 is None and mobile.e164 is None and plan.fallback_phones:
        for column in plan.fallback_phones:
            further = normalise_phone(first_value(get(column, "")), region)
            if further.e164 is not None:
                phone = further
                break
    if email.address is None and phone.e164 is None and mobile.e164 is None:
        return _unusable(number, plan, email, phone, mobile)

    first = tidy(get(plan.first_name, ""))
    last = tidy(get(plan.last_name, ""))
    if not first and not last:
        first, last = split_full_name(get(plan.full_name, ""))

    extra = {column: value.strip() for column in mapping.extras if (value := get(column, ""))}
    for column in plan.kept_whole:
        # Further numbers, and cells with several values, are kept whole beside what was used.
        value = get(column, "")
        if value.strip() and (column in plan.fallback_phones or SEVERAL in value):
            extra[column] = value.strip()
    if len(values) > plan.width:
        # Columns the mapping has never seen (a saved mapping, a ragged row) are kept too.
        for column, value in values.items():
            if column not in mapping.columns and column not in extra and value.strip():
                extra[column] = value.strip()

    arrived_text = get(plan.arrived_at, "")
    arrived_at = parse_when(arrived_text, day_first=day_first) if arrived_text else None
    if arrived_at is None and arrived_text.strip():
        flags.append(RowProblem(number, plan.arrived_at, "date not recognised", arrived_text))
        extra[plan.arrived_at] = arrived_text.strip()
    size_text = get(plan.employees, "")
    employees = parse_employees(size_text) if size_text else None
    if employees is None and size_text.strip():
        flags.append(RowProblem(number, plan.employees, "employee count not recognised", size_text))
        extra[plan.employees] = size_text.strip()

    company = tidy(get(plan.company, ""))
    account_crm_id = tidy(get(plan.account_id, ""))
    if company and is_account_id(company):
        # A report that names the company only by its Account ID: an id, never a name.
        account_crm_id, company = account_crm_id or company, ""
    return CleanRow(
        number=number,
        first_name=first,
        last_name=last,
        title=tidy(get(plan.title, "")),
        email=email.address,
        email_raw=email.raw,
        email_domain=email_domain(email.address),
        phone_e164=phone.e164,
        phone_raw=phone.raw,
        phone_flag=phone.flag,
        mobile_e164=mobile.e164,
        mobile_raw=mobile.raw,
        company=company,
        company_key=company_key(company) if company else "",
        industry=tidy(get(plan.industry, "")),
        employees=employees,
        website=tidy(get(plan.website, "")),
        country=country,
        state=tidy(get(plan.state, "")),
        city=tidy(get(plan.city, "")),
        address=tidy_text(get(plan.address, "")),
        source=tidy(get(plan.source, "")),
        campaign=tidy(get(plan.campaign, "")),
        inquiry=tidy_text(get(plan.inquiry, "")),
        arrived_at=arrived_at,
        notes=tidy_text(get(plan.notes, "")),
        crm_id=tidy(get(plan.crm_id, "")),
        account_crm_id=account_crm_id,
        extra=extra,
        flags=tuple(flags),
    )


# What exports write in an empty cell: read as empty, never as a name, a phone or a company.
EMPTY_WORDS = frozenset({"null", "n/a", "-", "--", "none", "#n/a", "(null)", "nil", "(blank)"})


def _without_placeholders(values: dict[str, str]) -> dict[str, str]:
    return {
        column: "" if value.strip().casefold() in EMPTY_WORDS else value
        for column, value in values.items()
    }


def _phone_flag(
    number: int, label: str, column: str, result: PhoneResult, region_guessed: bool
) -> RowProblem:
    """The row's phone problem; ``region_guessed``: the row gave no country we know, so the
    number was read in the policy's region."""
    how = "" if result.e164 else " kept as typed"
    flag = result.flag or ""
    if flag.endswith(" number") and flag.startswith(("too short for", "too long for")):
        # Read in the policy's region for want of a country code: perhaps another country's.
        # A row that named its country was read there: only the number itself can be wrong.
        flag += (
            "; add its country code, or a Country column"
            if region_guessed
            else "; check the number (read for the row's country)"
        )
    return RowProblem(number, column, f"{label}{how}: {flag}", result.raw)


def clean_rows(
    rows: Iterable[RawRow],
    mapping: Mapping,
    default_region: str | None,
    *,
    day_first: bool = False,
) -> Iterator[CleanRow | RowProblem]:
    """clean_row over a stream of rows."""
    for raw in rows:
        yield clean_row(raw, mapping, default_region, day_first=day_first)


def _unusable(
    number: int, plan: _Plan, email: EmailResult, phone: PhoneResult, mobile: PhoneResult
) -> RowProblem:
    columns = [name for name in (plan.email, plan.phone, plan.mobile) if name]
    why: list[str] = []
    shown: list[str] = []
    for label, result in (("email", email), ("phone", phone), ("mobile", mobile)):
        if result.flag:
            why.append(f"{label}: {result.flag}")
            shown.append(result.raw)
    detail = f" ({'; '.join(why)})" if why else ""
    return RowProblem(
        number,
        ", ".join(columns) or "email/phone",
        f"row skipped: no usable email or phone{detail}",
        " | ".join(shown),
    )


class _Plan:
    """The column of each field for one mapping ("" when unmapped, which no row has)."""

    def __init__(self, mapping: Mapping) -> None:
        by_field = {target: column for column, target in mapping.columns.items()}
        for target in Field:
            setattr(self, target.value, by_field.get(target, ""))
        self.width = len(mapping.columns) + len(mapping.extras)
        self.fallback_phones = tuple(
            by_field[target] for target in FALLBACK_PHONES if target in by_field
        )
        self.kept_whole = tuple(
            column
            for column in (self.email, self.phone, self.mobile, *self.fallback_phones)
            if column
        )

    first_name: str
    last_name: str
    full_name: str
    email: str
    phone: str
    mobile: str
    company: str
    title: str
    industry: str
    employees: str
    country: str
    state: str
    city: str
    address: str
    source: str
    campaign: str
    inquiry: str
    arrived_at: str
    website: str
    notes: str
    company_phone: str
    other_phone: str
    home_phone: str
    crm_id: str
    account_id: str


_plans: dict[int, tuple[Mapping, _Plan]] = {}


def _plan(mapping: Mapping) -> _Plan:
    # One plan per mapping object, so a 200,000-row import does not rebuild it per row.
    held = _plans.get(id(mapping))
    if held is None or held[0] is not mapping:
        if len(_plans) > 64:
            _plans.clear()
        held = (mapping, _Plan(mapping))
        _plans[id(mapping)] = held
    return held[1]


def country_code(country: str) -> str | None:
    """ISO code of a country cell as clean_row reads it ("Germany", "UK", "de"), or None."""
    return _region_for(country)


def _country_in_address(address: str) -> str:
    """The country a compound address ends with ("1 Main St, Springfield, IL, United States"),
    when its last part names one; "" otherwise."""
    tail = address.replace("\n", ",").rsplit(",", 1)[-1].strip()
    return tail if tail and _region_for(tail) else ""


@lru_cache(maxsize=1024)
def _region_for(country: str) -> str | None:
    """ISO region code for a country cell ("DE", "Germany", "Deutschland", "UK"), or None."""
    if not country:
        return None
    return _country_names().get(country.casefold().strip(" ."))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import phonenumbers

    names: dict[str, str] = {region.casefold(): region for region in phonenumbers.SUPPORTED_REGIONS}
    seen: dict[str, set[str]] = {}
    for region, by_language in _locale_data().items():
        for name in by_language.values():
            if name and not name.startswith("*"):
                seen.setdefault(name.casefold(), set()).add(region)
    for name, regions in seen.items():
        if len(regions) == 1 and name not in names:
            names[name] = next(iter(regions))
    for alias, region in (
        ("usa", "US"), ("u.s.a", "US"), ("u.s", "US"), ("united states of america", "US"),
        ("america", "US"), ("uk", "GB"), ("u.k", "GB"), ("great britain", "GB"),
        ("england", "GB"), ("scotland", "GB"), ("wales", "GB"), ("northern ireland", "GB"),
        ("holland", "NL"), ("the netherlands", "NL"), ("czechia", "CZ"), ("uae", "AE"),
        ("south korea", "KR"), ("korea", "KR"), ("russia", "RU"),
    ):  # fmt: skip
        names[alias] = region
    return names


def _locale_data() -> dict[str, dict[str, str]]:
    """Country names in many languages, shipped with phonenumbers' geocoder. Its module is
    loaded by itself: importing it the usual way first runs the geocoder package, which loads
    every number prefix's place names (over a second, in the importing process and again in
    the cleaning helper)."""
    import phonenumbers

    name = "phonenumbers.geodata.locale"
    loaded = sys.modules.get(name)
    if loaded is None:
        spec = importlib.util.spec_from_file_location(
            name, Path(phonenumbers.__file__).parent / "geodata" / "locale.py"
        )
        if spec is None or spec.loader is None:  # pragma: no cover - another phonenumbers
            return {}
        loaded = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(loaded)
        except (ImportError, OSError):  # pragma: no cover - another phonenumbers
            return {}
    data: dict[str, dict[str, str]] = getattr(loaded, "LOCALE_DATA", {})
    return data


_REPORT_HEADER = ("row", "field", "reason", "value")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text instead of running it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_report(path: str | Path, problems: Iterable[RowProblem]) -> int:
    """Write the per-row error report (row, field, reason, value) as UTF-8 CSV with a BOM so
    Excel opens it right; written to a temporary name and renamed into place. Returns the count.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    count = 0
    try:
        with open(handle, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(_REPORT_HEADER)
            for problem in problems:
                writer.writerow(
                    (
                        problem.row,
                        neutralise(problem.field),
                        neutralise(problem.reason),
                        neutralise(problem.value[:1000]),
                    )
                )
                count += 1
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
