"""Salesforce lead and contact reports. A report may carry the company only as its Account ID,
and the address as one compound field ("Mailing Address"); the ID is the CRM id, never a name."""

from __future__ import annotations

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

SHAPE = ShapeInfo(
    frozenset(keys(
        "First Name", "Last Name", "Company / Account", "Title", "Email", "Phone", "Mobile",
        "Lead Source", "Industry", "No. of Employees", "Country", "Created Date",
        "Description", "Lead Status", "Lead Owner", "Rating",
    )),
    frozenset(keys(
        "Company / Account", "No. of Employees", "Lead Owner", "Lead Status",
        "Account Name", "Contact Owner", "Mailing Country", "Lead ID", "Contact ID",
        "Account ID", "Mailing Address", "Account Owner",
    )),
    {
        header_key("Description"): Field.INQUIRY,
        header_key("Account Name"): Field.COMPANY,
        header_key("Account ID"): Field.ACCOUNT_ID,
        header_key("Lead ID"): Field.CRM_ID,
        header_key("Contact ID"): Field.CRM_ID,
        header_key("Mailing Address"): Field.ADDRESS,
        header_key("Address"): Field.ADDRESS,
    },
    source="salesforce",
    tool="Salesforce",
)  # fmt: skip
