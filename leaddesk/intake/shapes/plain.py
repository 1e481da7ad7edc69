"""Sheets no tool signs: a plain name/email/phone list, and a business list (one row per
company, no person), whose "Name" is the company's."""

from __future__ import annotations

from collections.abc import Set

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

PLAIN = ShapeInfo(frozenset(keys("Name", "Email", "Phone", "Company")), frozenset())

BUSINESS_LIST = ShapeInfo(
    frozenset(keys("Name", "Phone", "Website", "Address", "Industry", "Category")),
    frozenset(),
    {
        header_key("Name"): Field.COMPANY,
        header_key("Business Name"): Field.COMPANY,
        header_key("Category"): Field.INDUSTRY,
        header_key("Main Phone"): Field.PHONE,
    },
)  # fmt: skip

_PERSON = frozenset(keys(
    "First Name", "Last Name", "Full Name", "Contact Name", "Contact", "Given Name",
    "Surname", "Title", "Job Title", "Position", "Contact Person", "Display Name",
))  # fmt: skip
_NAMES = frozenset(keys("Name", "Company", "Company Name", "Business Name", "Business"))
_BUSINESS = frozenset(keys(
    "Website", "Web Site", "Domain", "Industry", "Category", "Categories", "Employees",
    "Number of Employees", "Revenue", "Annual Revenue", "Rating", "Reviews", "Address",
    "Street Address", "Founded", "SIC Code", "NAICS Code",
))  # fmt: skip


def is_business_list(header_keys: Set[str]) -> bool:
    """A company name, at least two things only a company has, and no column about a person."""
    return (
        bool(header_keys & _NAMES)
        and len(header_keys & _BUSINESS) >= 2
        and not header_keys & _PERSON
    )
