"""Apollo (and prospecting tools like it) exports: one person per row with up to five numbers.

Which number is dialled is the rule in ``leaddesk.intake.phone_choice``: work direct, then
mobile, then corporate, then other, then home; every number is kept.
"""

from __future__ import annotations

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

SHAPE = ShapeInfo(
    frozenset(keys(
        "First Name", "Last Name", "Title", "Company", "Company Name for Emails", "Email",
        "Email Status", "Seniority", "Departments", "Work Direct Phone", "Home Phone",
        "Mobile Phone", "Corporate Phone", "Other Phone", "# Employees", "Industry",
        "Person Linkedin Url", "Website", "City", "State", "Country",
    )),
    frozenset(keys(
        "Company Name for Emails", "Email Status", "Work Direct Phone", "Corporate Phone",
        "Person Linkedin Url", "Apollo Contact Id", "Apollo Account Id", "Seniority",
    )),
    {
        header_key("Work Direct Phone"): Field.PHONE,
        header_key("Mobile Phone"): Field.MOBILE,
        header_key("Corporate Phone"): Field.COMPANY_PHONE,
        header_key("Other Phone"): Field.OTHER_PHONE,
        header_key("Home Phone"): Field.HOME_PHONE,
        header_key("Apollo Contact Id"): Field.CRM_ID,
        header_key("Apollo Account Id"): Field.ACCOUNT_ID,
    },
    source="apollo",
    tool="Apollo",
)  # fmt: skip
