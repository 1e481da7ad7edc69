"""Address-book CSVs from the desktop mail programs: Outlook and Thunderbird."""

from __future__ import annotations

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

OUTLOOK = ShapeInfo(
    frozenset(keys(
        "First Name", "Middle Name", "Last Name", "Title", "Suffix", "Company", "Department",
        "Job Title", "Business Street", "Business City", "Business State",
        "Business Postal Code", "Business Country/Region", "Business Phone", "Home Phone",
        "Mobile Phone", "E-mail Address", "E-mail Display Name", "Notes", "Web Page",
    )),
    frozenset(keys(
        "Business Street", "Business Postal Code", "Business Country/Region",
        "E-mail 2 Address", "E-mail Display Name", "Company Main Phone", "Home Street",
    )),
    {
        # Outlook's "Title" is Mr or Dr; the job is "Job Title".
        header_key("Title"): None,
        header_key("Business Street"): Field.ADDRESS,
        header_key("Business City"): Field.CITY,
        header_key("Business State"): Field.STATE,
        header_key("Business Country/Region"): Field.COUNTRY,
        header_key("Company Main Phone"): Field.COMPANY_PHONE,
        header_key("Home Phone"): Field.HOME_PHONE,
        header_key("Other Phone"): Field.OTHER_PHONE,
        header_key("Web Page"): Field.WEBSITE,
    },
    source="outlook",
    tool="Outlook",
)  # fmt: skip

THUNDERBIRD = ShapeInfo(
    frozenset(keys(
        "First Name", "Last Name", "Display Name", "Nickname", "Primary Email",
        "Secondary Email", "Screen Name", "Work Phone", "Home Phone", "Fax Number",
        "Pager Number", "Mobile Number", "Work Address", "Work City", "Work State",
        "Work ZipCode", "Work Country", "Job Title", "Department", "Organization",
    )),
    frozenset(keys(
        "Display Name", "Primary Email", "Screen Name", "Pager Number", "Work ZipCode",
        "Web Page 1",
    )),
    {
        header_key("Display Name"): Field.FULL_NAME,
        header_key("Primary Email"): Field.EMAIL,
        header_key("Work Phone"): Field.PHONE,
        header_key("Home Phone"): Field.HOME_PHONE,
        header_key("Mobile Number"): Field.MOBILE,
        header_key("Work Address"): Field.ADDRESS,
        header_key("Work City"): Field.CITY,
        header_key("Work State"): Field.STATE,
        header_key("Work Country"): Field.COUNTRY,
        header_key("Web Page 1"): Field.WEBSITE,
    },
    source="thunderbird",
    tool="Thunderbird",
)  # fmt: skip
