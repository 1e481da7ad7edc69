"""Value clean-up: phones, emails, names, companies, sizes, dates."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.contacts.phones import _fast_e164
from leaddesk.intake import (
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

# --- phones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("+49 151 23456789", "US", "+4915123456789"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", None, "+442079460958"),
        ("0049 89 12345678", "DE", "+498912345678"),
        ("'+33 1 42 68 53 00", None, "+33142685300"),
        ("+39 02 1234 5678", None, "+390212345678"),
        ("+1-604-555-0178 ext. 12", None, "+16045550178"),
    ],
)
def test_phones_become_e164(typed: str, region: str | None, e164: str) -> None:
    result = normalise_phone(typed, region)
    assert (result.e164, result.flag, result.raw) == (e164, None, typed.lstrip("'").strip())


@pytest.mark.parametrize(
    ("typed", "region", "reason"),
    [
        ("12", "US", "too short"),
        # A Polish mobile without its +48, read in the policy's region: says which, and what to do.
        ("601 234 567", "US", "too short for a US number"),
        ("+1 212 555 01", "US", "too short"),
        ("call me", "US", "not a phone number"),
        ("555-1234", None, "no country code"),
        ("+49 151 2345", "US", "not a valid number for DE"),
        ('=HYPERLINK("x")', "US", "not a phone number"),
    ],
)
def test_bad_phones_are_kept_as_typed_with_a_reason(
    typed: str, region: str | None, reason: str
) -> None:
    result = normalise_phone(typed, region)
    assert result.e164 is None
    assert result.raw == typed
    assert result.flag is not None and result.flag.startswith(reason)


def test_a_number_excel_stripped_of_its_plus_is_read_as_international_and_flagged() -> None:
    result = normalise_phone("441614960123", "US")
    assert result.e164 == "+441614960123"
    assert result.flag == "read as international: the + was missing"


def test_an_empty_phone_is_no_phone() -> None:
    assert normalise_phone("  ", "US").raw == ""
    assert normalise_phone("", None).e164 is None


def _reference(text: str, region: str | None) -> tuple[str, bool] | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.is_valid_number(number)


_REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
_CODES = sorted(c for c, r in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items() if r[0] != "001")


def _written(rng: random.Random) -> tuple[str, str | None]:
    """A number written the ways exports write them, valid or nearly so."""
    region = rng.choice(_REGIONS)
    kind = rng.choice(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
    )
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None or rng.random() < 0.3:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(2, 14)))
        return (f"+{rng.choice(_CODES)} {digits}" if rng.random() < 0.5 else digits), region
    text = phonenumbers.format_number(
        example,
        rng.choice(
            [phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
             phonenumbers.PhoneNumberFormat.E164]
        ),
    )  # fmt: skip
    if rng.random() < 0.5:
        positions = [i for i, ch in enumerate(text) if ch.isdigit()]
        at = rng.choice(positions)
        text = text[:at] + rng.choice("0123456789") + text[at + 1 :]
    return text, region


def test_the_fast_phone_path_agrees_with_phonenumbers_on_many_numbers() -> None:
    rng = random.Random(20240601)
    fast = 0
    for _ in range(6_000):
        text, region = _written(rng)
        mine = _fast_e164(text, region)
        if mine is not None:
            fast += 1
            assert mine == _reference(text, region), (text, region)
    assert fast > 3_000  # most numbers really take the fast path


@settings(max_examples=400, deadline=None)
@given(
    st.from_regex(r"\+?\(?[0-9][0-9 ().\-/]{0,20}", fullmatch=True),
    st.sampled_from([None, "US", "GB", "DE", "FR", "AR", "BR", "IT", "IN", "AS", "MX"]),
)
def test_the_fast_phone_path_never_disagrees_on_arbitrary_digit_strings(
    text: str, region: str | None
) -> None:
    mine = _fast_e164(text, region)
    if mine is not None:
        assert mine == _reference(text, region)


# --- email --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("Ada.Lovelace@Example.COM", "Ada.Lovelace@example.com"),
        ("  mailto:bob+leads@sub.example.co.uk ", "bob+leads@sub.example.co.uk"),
        ("zoë@fjordenergy.no", "zoë@fjordenergy.no"),
        ("info@bücher.de", "info@bücher.de"),
    ],
)
def test_valid_emails_are_normalised(typed: str, address: str) -> None:
    result = normalise_email(typed)
    assert (result.address, result.flag) == (address, None)


@pytest.mark.parametrize(
    "typed",
    ["ada.example.com", "a@b", "a..b@example.com", "a@example..com", "a@localhost", "x@y.test",
     "@example.com", "a b@example.com", "=HYPERLINK(\"http://x\")"],
)  # fmt: skip
def test_invalid_emails_are_kept_as_typed_and_flagged(typed: str) -> None:
    result = normalise_email(typed)
    assert result.address is None
    assert result.raw == typed
    assert result.flag


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(
        r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,20}@[A-Za-z0-9.-]{1,20}\.[A-Za-z0-9]{1,6}",
        fullmatch=True,
    )
)
def test_the_fast_email_path_agrees_with_email_validator(text: str) -> None:
    try:
        expected: str | None = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        expected = None
    assert normalise_email(text).address == expected


def test_email_domain_is_lower_case() -> None:
    assert email_domain("Ada@Example.COM") == "example.com"
    assert email_domain(None) is None


# --- names, companies, text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Ada Lovelace", "Ada", "Lovelace"),
        ("  Lovelace,  Ada ", "Ada", "Lovelace"),
        ("Dr. Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Mary Ann de la Cruz", "Mary Ann", "de la Cruz"),
        ("Martin Luther King Jr.", "Martin Luther", "King Jr."),
        ("Cher", "Cher", ""),
        ("", "", ""),
    ],
)
def test_a_full_name_splits_into_first_and_last(full: str, first: str, last: str) -> None:
    assert split_full_name(full) == (first, last)


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["ACME, Inc.", "Acme Inc", "acme", "Acme Corporation", "The Acme Co."], "acme"),
        (["Müller GmbH & Co. KG", "Muller GmbH", "MÜLLER"], "muller"),
        (["Soluciones Iberia S.L.", "Soluciones Iberia SL"], "soluciones iberia"),
        (["Polder Logistics B.V.", "Polder Logistics BV"], "polder logistics"),
        (["Harbor Bank plc", "Harbor Bank PLC."], "harbor bank"),
        (["Nestlé S.A.", "Nestle SA"], "nestle"),
        (["Ben & Jerry's", "Ben and Jerrys"], "ben and jerrys"),
        (["Ltd"], "ltd"),
    ],
)
def test_company_key_matches_one_company_written_different_ways(names: list[str], key: str) -> None:
    assert {company_key(name) for name in names} == {key}


def test_tidy_collapses_whitespace_and_tidy_text_keeps_lines() -> None:
    assert tidy("  Ada \t  Lovelace\n") == "Ada Lovelace"
    assert tidy_text(" line one  \r\n line   two ") == "line one\nline two"


def test_formula_payloads_stay_plain_text() -> None:
    for payload in ('=HYPERLINK("http://evil","x")', "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3"):
        assert tidy(payload) == payload
        assert company_key(payload)  # just text, never evaluated


# --- sizes and dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "count"),
    [("500", 500), ("51-200", 51), ("1,000+", 1000), ("10,001+", 10001), ("1.000", 1000),
     ("10k", 10000), ("51 - 200 employees", 51), ("Self-employed", 1), ("", None),
     ("unknown", None), ("0", None)],
)  # fmt: skip
def test_employee_counts_read_the_lower_bound_of_a_range(typed: str, count: int | None) -> None:
    assert parse_employees(typed) == count


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("2024-03-05T14:22:10.000Z", datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)),
        ("2024-03-05 14:22:10+01:00", datetime(2024, 3, 5, 13, 22, 10, tzinfo=UTC)),
        ("3/5/2024 2:22 PM", datetime(2024, 3, 5, 14, 22, tzinfo=UTC)),
        ("25/12/2024 09:30", datetime(2024, 12, 25, 9, 30, tzinfo=UTC)),
        ("05.03.2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Mar 5, 2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue, Mar 5, 2024 10:15 AM", datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
        ("5 March 2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("45356.5", datetime(2024, 3, 5, 12, tzinfo=UTC)),
        ("1709648530", datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)),
        ("1709648530000", datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)),
    ],
)
def test_common_export_dates_become_aware_utc(typed: str, expected: datetime) -> None:
    assert parse_when(typed) == expected


def test_day_first_settles_ambiguous_dates_and_naive_times_take_the_given_zone() -> None:
    assert parse_when("03/05/2024", day_first=True) == datetime(2024, 5, 3, tzinfo=UTC)
    berlin = timezone(timedelta(hours=1))
    assert parse_when("2024-03-05 10:00", assume=berlin) == datetime(2024, 3, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["", "soon", "31/31/2024", "2024-02-30", "99:99", "12"])
def test_unreadable_dates_are_none(typed: str) -> None:
    assert parse_when(typed) is None


@given(st.text(max_size=80))
def test_clean_up_functions_never_raise_on_any_text(text: str) -> None:
    normalise_phone(text, "US")
    normalise_email(text)
    parse_when(text)
    parse_employees(text)
    split_full_name(text)
    company_key(text)
