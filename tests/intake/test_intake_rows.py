"""Rows: a raw row becomes a clean lead row or a reason, and problems go to a safe report."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.intake import (
    CleanRow,
    Field,
    Mapping,
    RawRow,
    RowProblem,
    clean_row,
    detect_mapping,
    open_export,
    write_report,
)

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

HEADER = ["First Name", "Last Name", "Email", "Phone", "Mobile", "Company", "Country",
          "Created Date", "No. of Employees", "Description", "Lead Owner"]  # fmt: skip
MAPPING = detect_mapping(HEADER)


def row(number: int = 2, **values: str) -> RawRow:
    cells = dict.fromkeys(HEADER, "")
    cells.update({key.replace("_", " "): value for key, value in values.items()})
    return RawRow(number, cells)


def clean(raw: RawRow, region: str | None = "US") -> CleanRow:
    result = clean_row(raw, MAPPING, region)
    assert isinstance(result, CleanRow), result
    return result


def test_a_good_row_is_cleaned_into_typed_fields() -> None:
    result = clean(
        row(
            First_Name="  Ada ",
            Last_Name="Lovelace",
            Email="Ada@Example.COM",
            Phone="(415) 555-2671",
            Company=" Analytical   Engines, Ltd. ",
            Created_Date="3/5/2024 2:22 PM",
            **{"No. of Employees": "51-200"},
            Description="Please call\r\nafter 2pm",
            Lead_Owner="Dana",
        )
    )
    assert (result.first_name, result.last_name, result.full_name) == (
        "Ada",
        "Lovelace",
        "Ada Lovelace",
    )
    assert (result.email, result.email_domain) == ("Ada@example.com", "example.com")
    assert (result.phone_e164, result.phone_raw, result.phone_flag) == (
        "+14155552671",
        "(415) 555-2671",
        None,
    )
    assert (result.company, result.company_key) == (
        "Analytical Engines, Ltd.",
        "analytical engines",
    )
    assert result.arrived_at == datetime(2024, 3, 5, 14, 22, tzinfo=UTC)
    assert result.employees == 51
    assert result.inquiry == "Please call\nafter 2pm"
    assert result.extra == {"Lead Owner": "Dana"}
    assert result.flags == ()


def test_the_rows_country_picks_the_phone_region() -> None:
    result = clean(row(Email="x@example.org", Phone="020 7946 0958", Country="United Kingdom"))
    assert result.phone_e164 == "+442079460958"
    assert clean(row(Phone="030 1234567", Country="Deutschland")).phone_e164 == "+49301234567"


def test_country_names_are_read_without_loading_every_place_name() -> None:
    # phonenumbers' geocoder package holds every number prefix's place names: over a second
    # to load, in the importing process and again in the cleaning helper. Country names in
    # other languages come from its one small module instead.
    probe = (
        "import sys; from leaddesk.intake.rows import country_code; "
        "print(country_code('Deutschland'), country_code('Espagne'), "
        "'phonenumbers.geodata' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert found == ["DE", "ES", "False"]


def test_a_row_without_usable_email_or_phone_is_a_problem_with_the_reasons() -> None:
    result = clean_row(row(7, First_Name="Ada", Email="ada at example", Phone="12"), MAPPING, "US")
    assert isinstance(result, RowProblem)
    assert result.row == 7
    assert result.field == "Email, Phone, Mobile"
    assert result.reason.startswith("row skipped: no usable email or phone")
    assert "too short" in result.reason
    assert "ada at example" in result.value


def test_a_bad_phone_beside_a_good_email_is_kept_and_flagged() -> None:
    result = clean(row(4, Email="ada@example.org", Phone="call me maybe"))
    assert result.phone_e164 is None
    assert result.phone_raw == "call me maybe"
    assert result.phone_flag == "not a phone number"
    assert result.flags == (
        RowProblem(4, "Phone", "phone kept as typed: not a phone number", "call me maybe"),
    )


def test_a_mobile_alone_makes_a_row_usable() -> None:
    result = clean(row(Mobile="+44 7911 123456"))
    assert (result.phone_e164, result.mobile_e164, result.best_phone) == (
        None,
        "+447911123456",
        "+447911123456",
    )


def test_unreadable_dates_and_sizes_are_flagged_and_kept_in_extra() -> None:
    result = clean(
        row(Email="a@example.org", Created_Date="last Tuesday", **{"No. of Employees": "lots"})
    )
    assert result.arrived_at is None and result.employees is None
    assert result.extra["Created Date"] == "last Tuesday"
    assert result.extra["No. of Employees"] == "lots"
    assert {flag.field for flag in result.flags} == {"Created Date", "No. of Employees"}


def test_an_over_long_field_makes_the_row_a_problem_naming_the_column() -> None:
    result = clean_row(row(5, Email="a@example.org", Description="x" * 10_001), MAPPING, "US")
    assert isinstance(result, RowProblem)
    assert (result.row, result.field) == (5, "Description")
    assert "10,000" in result.reason


def test_only_a_full_name_is_split_into_first_and_last() -> None:
    mapping = Mapping({"Name": Field.FULL_NAME, "Email": Field.EMAIL})
    result = clean_row(
        RawRow(2, {"Name": "Lovelace, Ada", "Email": "a@example.org"}), mapping, None
    )
    assert isinstance(result, CleanRow)
    assert (result.first_name, result.last_name) == ("Ada", "Lovelace")


def test_columns_the_mapping_never_saw_are_kept_as_extras() -> None:
    mapping = Mapping({"Email": Field.EMAIL})
    raw = RawRow(2, {"Email": "a@example.org", "Booth": "B12", "Empty": " "})
    result = clean_row(raw, mapping, None)
    assert isinstance(result, CleanRow)
    assert result.extra == {"Booth": "B12"}


def test_formula_payloads_are_kept_as_text() -> None:
    payload = '=HYPERLINK("http://evil.example","click")'
    result = clean(row(First_Name=payload, Email="a@example.org", Company="@SUM(A1:A9)"))
    assert result.first_name == payload
    assert result.company == "@SUM(A1:A9)"


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(HEADER), st.text(max_size=60)), st.integers(2, 10**6))
def test_clean_row_never_raises_on_any_text_in_any_field(
    values: dict[str, str], number: int
) -> None:
    result = clean_row(RawRow(number, values), MAPPING, "US")
    assert isinstance(result, CleanRow | RowProblem)
    assert result.row == number if isinstance(result, RowProblem) else result.number == number


def test_the_error_report_neutralises_formulas(tmp_path: Path) -> None:
    problems = [
        RowProblem(3, "Phone", "phone kept as typed: not a phone number", "=cmd|' /C calc'!A0"),
        RowProblem(4, "Email", "row skipped: no usable email or phone", "+1 (555)"),
        RowProblem(5, "Notes", "date not recognised", "@SUM(A1)"),
        RowProblem(6, "Notes", "x", "-2+3"),
        RowProblem(7, "Notes", "x", "\tTAB"),
        RowProblem(8, "Notes", "x", "plain, with comma"),
    ]
    path = tmp_path / "report.csv"
    assert write_report(path, problems) == 6
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["row", "field", "reason", "value"]
    assert [line[3] for line in lines[1:]] == [
        "'=cmd|' /C calc'!A0",
        "'+1 (555)",
        "'@SUM(A1)",
        "'-2+3",
        "'\tTAB",
        "plain, with comma",
    ]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


# Sales' answers as the CRMs export them: read by `leaddesk feedback`, not imported as leads
# (tests/handoff/test_sales_answer_routes.py).
SALES_ANSWERS = {"salesforce_converted_leads.csv", "hubspot_deals.csv", "hubspot_leads.csv"}


def test_the_samples_clean_with_the_expected_problems() -> None:
    outcomes: dict[str, tuple[int, int, int]] = {}
    for sample in sorted(SAMPLES.glob("*.*")):
        if sample.suffix == ".md" or sample.name in SALES_ANSWERS:
            continue
        with open_export(sample) as export:
            mapping = detect_mapping(export.header, file=sample)
            results = [clean_row(raw, mapping, "US") for raw in export.rows()]
        clean_count = sum(isinstance(result, CleanRow) for result in results)
        flags = sum(len(result.flags) for result in results if isinstance(result, CleanRow))
        outcomes[sample.name] = (clean_count, len(results) - clean_count, flags)
    assert outcomes == {
        "apollo_people.csv": (5, 0, 0),
        "baltic_contacts_cp1257.csv": (3, 0, 0),
        "business_list.csv": (3, 0, 0),
        "central_europe_iso8859_2.csv": (4, 0, 0),
        "dos_contacts_cp437.csv": (4, 0, 0),
        "fair_workbook.xlsx": (3, 0, 0),
        "google_contacts.csv": (4, 1, 0),  # one contact with neither email nor number
        "google_contacts_new.csv": (4, 0, 0),
        "hubspot_contacts.csv": (20, 0, 1),
        "hubspot_with_companies.csv": (4, 0, 0),
        "linkedin_connections.csv": (3, 1, 0),  # one connection who shares no email
        "linkedin_leadgen.csv": (16, 0, 0),
        "marketo_list.csv": (18, 0, 0),
        "outlook_contacts.csv": (3, 0, 0),
        "plain_contacts.csv": (18, 1, 0),
        "plain_contacts.xlsx": (18, 1, 3),
        # National numbers without a country: too short read as US numbers (the test's region).
        "polish_crm_cp1250.csv": (3, 0, 2),
        "salesforce_contacts_report.csv": (3, 0, 0),
        "salesforce_leads.csv": (20, 0, 1),
        "thunderbird_contacts.csv": (3, 0, 0),
    }


def test_reading_and_cleaning_throughput_is_reported(tmp_path: Path) -> None:
    # No wall-clock assertion (DESIGN §8); this prints the figure for the record.
    path = tmp_path / "leads.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(20_000):
            phone = f"+1 415 {200 + i % 700} {i % 10000:04d}"
            writer.writerow(
                [f"First{i}", f"Last{i}", f"p{i}@example{i % 97}.com", phone, "",
                 f"Company {i % 977} Inc", "", "2024-03-05 10:00:00", "51-200", "Pricing", ""]
            )  # fmt: skip
    started = time.perf_counter()
    with open_export(path) as export:
        mapping = detect_mapping(export.header)
        count = sum(1 for raw in export.rows() if clean_row(raw, mapping, "US"))
    rate = count / (time.perf_counter() - started)
    print(f"\nread + clean: {rate:,.0f} rows/s")
    assert count == 20_000
