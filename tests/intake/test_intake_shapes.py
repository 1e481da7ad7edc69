"""The exports people really have (#21): each vendor's shape is recognised from its sample with
no mapping by hand, and imports the right people, with the number to dial, the company, the CRM
id and the source; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.intake import Field, Shape, detect_mapping, open_export
from leaddesk.store import Store
from leaddesk.store.models import Account, Lead, Person

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

# (sample, shape, source when none is given, columns that must map so)
RECOGNISED = [
    ("google_contacts.csv", Shape.GOOGLE_CONTACTS, "google contacts",
     {"E-mail 1 - Value": Field.EMAIL, "Phone 1 - Value": Field.PHONE,
      "Organization 1 - Name": Field.COMPANY, "Organization 1 - Title": Field.TITLE}),
    ("google_contacts_new.csv", Shape.GOOGLE_CONTACTS, "google contacts",
     {"E-mail 1 - Value": Field.EMAIL, "Phone 1 - Value": Field.PHONE,
      "Organization Name": Field.COMPANY, "Address 1 - Country": Field.COUNTRY}),
    ("hubspot_with_companies.csv", Shape.HUBSPOT, "hubspot",
     {"Record ID": Field.CRM_ID, "Phone Number": Field.PHONE,
      "Associated company: Record ID": Field.ACCOUNT_ID,
      "Associated company: Name": Field.COMPANY,
      "Associated company: Phone Number": Field.COMPANY_PHONE}),
    ("linkedin_connections.csv", Shape.LINKEDIN_CONNECTIONS, "linkedin connections",
     {"Email Address": Field.EMAIL, "Company": Field.COMPANY, "Position": Field.TITLE}),
    ("linkedin_leadgen.csv", Shape.LINKEDIN, "linkedin",
     {"Email address": Field.EMAIL, "Submitted On": Field.ARRIVED_AT}),
    ("apollo_people.csv", Shape.APOLLO, "apollo",
     {"Work Direct Phone": Field.PHONE, "Mobile Phone": Field.MOBILE,
      "Corporate Phone": Field.COMPANY_PHONE, "Other Phone": Field.OTHER_PHONE,
      "Home Phone": Field.HOME_PHONE, "Apollo Contact Id": Field.CRM_ID}),
    ("salesforce_contacts_report.csv", Shape.SALESFORCE, "salesforce",
     {"Contact ID": Field.CRM_ID, "Account": Field.COMPANY, "Mailing Address": Field.ADDRESS}),
    ("outlook_contacts.csv", Shape.OUTLOOK, "outlook",
     {"E-mail Address": Field.EMAIL, "Business Phone": Field.PHONE, "Job Title": Field.TITLE,
      "Company Main Phone": Field.COMPANY_PHONE, "Business Country/Region": Field.COUNTRY}),
    ("thunderbird_contacts.csv", Shape.THUNDERBIRD, "thunderbird",
     {"Primary Email": Field.EMAIL, "Work Phone": Field.PHONE, "Mobile Number": Field.MOBILE,
      "Display Name": Field.FULL_NAME, "Organization": Field.COMPANY}),
    ("business_list.csv", Shape.BUSINESS_LIST, "business list",
     {"Name": Field.COMPANY, "Phone": Field.PHONE, "Category": Field.INDUSTRY}),
    ("fair_workbook.xlsx", Shape.PLAIN, "fair workbook",
     {"Full Name": Field.FULL_NAME, "Email": Field.EMAIL, "Phone": Field.PHONE}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "shape", "source", "expected"), RECOGNISED)
def test_each_vendor_export_is_recognised_with_no_mapping_by_hand(
    name: str, shape: Shape, source: str, expected: dict[str, Field]
) -> None:
    with open_export(SAMPLES / name) as export:
        mapping = detect_mapping(export.header, file=export.path)
        header = export.header
    assert mapping.shape is shape
    assert expected.items() <= mapping.columns.items()
    assert set(mapping.columns) | set(mapping.extras) == set(header)


def test_outlook_title_is_mr_or_dr_and_never_the_job() -> None:
    with open_export(SAMPLES / "outlook_contacts.csv") as export:
        mapping = detect_mapping(export.header)
    assert "Title" in mapping.extras
    assert mapping.column_for(Field.TITLE) == "Job Title"


# One row per imported person: first, last, email, number to dial, company, CRM id,
# company's CRM id. Rows with neither email nor number are not imported.
PEOPLE: dict[str, set[tuple[str, str, str | None, str | None, str | None, str, str]]] = {
    "google_contacts.csv": {
        ("Ada", "Lovelace", "ada@analytical-engines.example.com", "+442079460958",
         "Analytical Engines Ltd", "", ""),
        ("Grace", "Hopper", "grace@cobol-systems.example.com", "+14155550101",
         "COBOL Systems Inc.", "", ""),
        ("Alan", "Turing", None, "+441614960000", "Bletchley Analytics", "", ""),
        # No phone 1 and no mobile: phone 2 (another number) is the one to dial.
        ("Hedy", "Lamarr", "hedy@frequency-hop.example.com", "+4312345678",
         "Frequency Hop GmbH", "", ""),
    },
    "google_contacts_new.csv": {
        ("Léa", "Moreau", "lea.moreau@atelier-lumiere.example.fr", "+33142685300",
         "Atelier Lumière SARL", "", ""),
        ("Mateo", "Rossi", "m.rossi@rossi-logistica.example.it", "+393471234567",
         "Rossi Logistica S.p.A.", "", ""),
        ("Sven", "Lindqvist", None, "+46812345678", "Nordic Timber AB", "", ""),
        ("Aoife", "Byrne", "aoife@byrne-daughters.example.ie", None, "Byrne & Daughters", "", ""),
    },
    "hubspot_with_companies.csv": {
        ("Priya", "Sharma", "priya.sharma@lotus-analytics.example.in", "+919876543210",
         "Lotus Analytics Pvt Ltd", "90001", "7001"),
        # No phone of his own: the company's number.
        ("Tom", "Becker", "tom.becker@becker-bau.example.de", "+4930901820",
         "Becker Bau GmbH", "90002", "7002"),
        ("Nia", "Okafor", "nia@sunrise-foods.example.ng", "+2348031234567",
         "Sunrise Foods Ltd", "90003", "7003"),
        ("Hana", "Suzuki", "hana.suzuki@kumo-cloud.example.jp", None, None, "90004", ""),
    },
    "linkedin_connections.csv": {
        ("Chloé", "Lefèvre", "chloe.lefevre@atelier-lumiere.example.fr", None,
         "Atelier Lumière SARL", "", ""),
        ("Rahul", "Mehta", "rahul.mehta@ganges-tech.example.in", None, "Ganges Tech", "", ""),
        ("Kenji", "Watanabe", "kenji@fuji-robotics.example.jp", None, "Fuji Robotics", "", ""),
    },
    "apollo_people.csv": {
        # Work direct first, then mobile, then corporate, then other, then home.
        ("Marcus", "Reed", "marcus.reed@harbor-freight.example.com", "+13125550147",
         "Harbor Freight Lines", "64f0c1a2b3c4d5e6f7a8b901", "54a0c1a2b3c4d5e6f7a8b901"),
        ("Elena", "Garcia", "elena.garcia@solaria.example.es", "+34612345678",
         "Solaria Energía", "64f0c1a2b3c4d5e6f7a8b902", "54a0c1a2b3c4d5e6f7a8b902"),
        ("Oliver", "Wright", None, "+442079460000",
         "Thames Data Ltd", "64f0c1a2b3c4d5e6f7a8b903", "54a0c1a2b3c4d5e6f7a8b903"),
        ("Yuki", "Tanaka", None, "+81312349999",
         "Sakura Robotics", "64f0c1a2b3c4d5e6f7a8b904", "54a0c1a2b3c4d5e6f7a8b904"),
        ("Lars", "Nielsen", "lars@fjord-shipping.example.dk", "+4570203040",
         "Fjord Shipping", "64f0c1a2b3c4d5e6f7a8b905", "54a0c1a2b3c4d5e6f7a8b905"),
    },
    "salesforce_contacts_report.csv": {
        # The Account column holds IDs: kept as the company's CRM id, never its name. The
        # national numbers read with the country the compound address ends with.
        ("Ava", "Thompson", "ava.thompson@northwind.example.com", "+14155550134", None,
         "0035g00000AbCdEAAZ", "0015g00000XyZ12AAB"),
        ("Liam", "O'Connor", "liam.oconnor@brightwave.example.co.uk", "+442079460321", None,
         "0035g00000AbCdFAAZ", "0015g00000XyZ34AAB"),
        ("Mia", "Schulz", "mia.schulz@schulz-elektro.example.de", "+49301234567",
         "Schulz Elektrotechnik GmbH", "0035g00000AbCdGAAZ", ""),
    },
    "outlook_contacts.csv": {
        ("Amelia", "Clarke", "amelia.clarke@clarke-medical.example.co.uk", "+442079460812",
         "Clarke Medical Devices", "", ""),
        ("Pierre", "Dubois", "pierre.dubois@dubois-transports.example.fr", "+33144556677",
         "Dubois Transports", "", ""),
        ("Sofia", "Costa", "sofia@costa-vinhos.example.pt", "+351912345678", "Costa Vinhos",
         "", ""),
    },
    "thunderbird_contacts.csv": {
        ("Jan", "Novák", "jan.novak@praha-soft.example.cz", "+420221234567",
         "Praha Soft s.r.o.", "", ""),
        ("Ingrid", "Berg", "ingrid@berg-design.example.no", "+4741234567", "Berg Design AS",
         "", ""),
        ("Piotr", "Kowalski", None, "+48221234567", "Kowalski Meble", "", ""),
    },
    "business_list.csv": {
        # Company leads: the company's name, no person's name made up from it.
        ("", "", "info@baeckerei-schmidt.example.de", "+4989123456", "Bäckerei Schmidt GmbH",
         "", ""),
        ("", "", None, "+441614960123", "Green Leaf Catering Ltd", "", ""),
        ("", "", "verkoop@vandijk-fietsen.example.nl", "+31201234567", "Van Dijk Fietsen B.V.",
         "", ""),
    },
    "fair_workbook.xlsx": {
        ("Greta", "Hansen", "g.hansen@hansen-hydraulik.example.de", "+49511123456",
         "Hansen Hydraulik GmbH", "", ""),
        ("Marco", "Bianchi", "marco.bianchi@bianchi-auto.example.it", "+390117654321",
         "Bianchi Automazione Srl", "", ""),
        ("Eva", "Horváth", "eva.horvath@danube-controls.example.hu", None,
         "Danube Controls Kft.", "", ""),
    },
}  # fmt: skip

SOURCES = {name: source for name, _shape, source, _columns in RECOGNISED}


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def imported_people(
    desk: Desk,
) -> set[tuple[str, str, str | None, str | None, str | None, str, str]]:
    with desk.store.reading() as session:
        rows = session.execute(
            select(Person, Lead, Account.name)
            .join(Lead, Lead.person_id == Person.id)
            .outerjoin(Account, Account.id == Lead.account_id)
        ).all()
        return {
            (
                person.first_name,
                person.last_name,
                person.email,
                person.phone,
                company,
                (lead.extra or {}).get("crm_id", ""),
                (lead.extra or {}).get("account_crm_id", ""),
            )
            for person, lead, company in rows
        }


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_each_sample_imports_the_right_people_with_its_source(lead1: Desk, name: str) -> None:
    summary = lead1.intake.import_file(SAMPLES / name)
    assert summary.source == SOURCES[name]
    assert imported_people(lead1) == PEOPLE[name]
    with lead1.store.reading() as session:
        # Each lead remembers the import's source (its own "Lead Source" cell, where the file
        # has one, is the lead's source).
        filed = {lead.extra["intake"]["source"] for lead in session.scalars(select(Lead))}
    assert filed == {SOURCES[name]}


def test_a_linkedin_lead_gen_download_imports_its_people_as_linkedin(lead1: Desk) -> None:
    summary = lead1.intake.import_file(SAMPLES / "linkedin_leadgen.csv")
    assert summary.source == "linkedin"
    people = imported_people(lead1)
    assert len(people) == 16
    assert (
        "Ava", "Thompson", "ava.thompson@northwind.example.com", "+14155550134",
        "Northwind Traders, Inc.", "", "",
    ) in people  # fmt: skip
