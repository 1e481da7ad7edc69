"""Column mapping: the usual exports map with no help, and mappings survive a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.intake import (
    Field,
    FileProblem,
    IntakeFileError,
    Mapping,
    Shape,
    detect_mapping,
    load_mapping,
    open_export,
)
from leaddesk.intake.mapping import detect_shape

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.mark.parametrize(
    ("name", "shape", "expected"),
    [
        (
            "salesforce_leads.csv",
            Shape.SALESFORCE,
            {"Company / Account": Field.COMPANY, "No. of Employees": Field.EMPLOYEES,
             "Lead Source": Field.SOURCE, "Created Date": Field.ARRIVED_AT,
             "Description": Field.INQUIRY, "Mobile": Field.MOBILE},
        ),
        (
            "hubspot_contacts.csv",
            Shape.HUBSPOT,
            {"Phone Number": Field.PHONE, "Company Name": Field.COMPANY,
             "Create Date": Field.ARRIVED_AT, "Original Source": Field.SOURCE,
             "Number of Employees": Field.EMPLOYEES, "Country/Region": Field.COUNTRY},
        ),
        (
            "marketo_list.csv",
            Shape.MARKETO,
            {"Email Address": Field.EMAIL, "Created At": Field.ARRIVED_AT,
             "Acquisition Program": Field.CAMPAIGN, "Lead Source": Field.SOURCE},
        ),
        (
            "linkedin_leadgen.csv",
            Shape.LINKEDIN,
            {"Email address": Field.EMAIL, "Phone number": Field.PHONE,
             "Submitted On": Field.ARRIVED_AT, "Campaign name": Field.CAMPAIGN,
             "Company size": Field.EMPLOYEES},
        ),
        (
            "plain_contacts.csv",
            Shape.PLAIN,
            {"name": Field.FULL_NAME, "email": Field.EMAIL, "phone": Field.PHONE,
             "company": Field.COMPANY},
        ),
        ("plain_contacts.xlsx", Shape.PLAIN, {"name": Field.FULL_NAME, "email": Field.EMAIL}),
    ],
)  # fmt: skip
def test_each_export_shape_maps_with_no_manual_mapping(
    name: str, shape: Shape, expected: dict[str, Field]
) -> None:
    with open_export(SAMPLES / name) as export:
        mapping = detect_mapping(export.header, file=export.path)
        header = export.header
    assert mapping.shape is shape
    assert mapping.confidence >= 0.75
    assert expected.items() <= mapping.columns.items()
    # Nothing is dropped: every column is either mapped or an extra attribute.
    assert set(mapping.columns) | set(mapping.extras) == set(header)
    assert not set(mapping.columns) & set(mapping.extras)


def test_real_export_headers_name_their_tool() -> None:
    hubspot = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Lifecycle Stage"]
    marketo = ["Id", "First Name", "Last Name", "Email Address", "Created At", "Lead Score"]
    linkedin = ["First Name", "Last Name", "Email", "Form name", "Campaign name", "Date"]
    salesforce = ["First Name", "Last Name", "Company / Account", "Lead Owner", "Email"]
    assert detect_shape(hubspot)[0] is Shape.HUBSPOT
    assert detect_shape(marketo)[0] is Shape.MARKETO
    assert detect_shape(linkedin)[0] is Shape.LINKEDIN
    assert detect_shape(salesforce)[0] is Shape.SALESFORCE
    assert detect_mapping(linkedin).columns["Date"] is Field.ARRIVED_AT


def test_case_spacing_and_underscores_do_not_matter() -> None:
    mapping = detect_mapping(
        ["FIRST_NAME", "last-name", "E-Mail Address", "phone_number", " Company  Name ", "JobTitle"]
    )
    assert mapping.columns == {
        "FIRST_NAME": Field.FIRST_NAME,
        "last-name": Field.LAST_NAME,
        "E-Mail Address": Field.EMAIL,
        "phone_number": Field.PHONE,
        " Company  Name ": Field.COMPANY,
        "JobTitle": Field.TITLE,
    }
    assert mapping.shape is Shape.GENERIC


def test_when_two_columns_claim_a_field_the_better_name_wins_and_the_other_is_kept() -> None:
    mapping = detect_mapping(["Secondary Email", "Name", "Email"])
    assert mapping.column_for(Field.EMAIL) == "Email"
    assert "Secondary Email" in mapping.extras


def test_a_file_with_no_identifying_column_is_refused_naming_it() -> None:
    with pytest.raises(IntakeFileError) as caught:
        detect_mapping(["Colour", "Size", "Price"], file="/tmp/products.csv")
    assert caught.value.kind is FileProblem.NO_COLUMNS
    assert str(caught.value).startswith("products.csv: no recognisable columns")
    assert "Colour" in str(caught.value)


def test_a_mapping_round_trips_through_json_and_a_file(tmp_path: Path) -> None:
    mapping = detect_mapping(["Email", "Phone", "Favourite colour"])
    assert Mapping.from_json(mapping.to_json()) == mapping
    path = tmp_path / "webinar.mapping.json"
    mapping.save(path)
    assert load_mapping(path) == mapping


def test_a_saved_mapping_applies_to_a_file_with_new_and_missing_columns() -> None:
    saved = Mapping({"E-mail": Field.EMAIL, "Tel": Field.PHONE}, ("Notes",))
    applied = saved.for_header(["email", "Booth", "Notes"], file="fair.csv")
    assert applied.columns == {"email": Field.EMAIL}
    assert applied.extras == ("Booth", "Notes")
    assert applied.warnings == ("column 'Tel' of the saved mapping is not in the file",)
    with pytest.raises(
        IntakeFileError,
        match=r"fair\.csv: has none of the mapping's email, phone or name columns \(E-mail, Tel\); "
        r"its columns are Booth",
    ):
        saved.for_header(["Booth"], file="fair.csv")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "not valid JSON"),
        ("[]", '"columns"'),
        ('{"columns": {"Email": "e_mail"}}', "unknown field 'e_mail'"),
        ('{"columns": {"A": "email", "B": "email"}}', "same field"),
        ('{"columns": {}, "extras": "x"}', "extras"),
        ('{"columns": {}, "shape": "sugarcrm"}', "shape"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_a_broken_mapping_file_is_refused_naming_it(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "source.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IntakeFileError) as caught:
        load_mapping(path)
    assert caught.value.kind is FileProblem.BAD_MAPPING
    assert str(caught.value).startswith("source.json: ")
    assert problem in str(caught.value)
