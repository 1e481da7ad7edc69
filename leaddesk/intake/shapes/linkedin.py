"""LinkedIn: Lead Gen Forms downloads, and the Connections export of a member's data (which
starts with "Notes:" lines before its header; the reader skips them)."""

from __future__ import annotations

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

LEAD_GEN = ShapeInfo(
    frozenset(keys(
        "First Name", "Last Name", "Email address", "Phone number", "Company name",
        "Job title", "Country", "Date", "Submitted On", "Campaign name", "Form name",
        "Lead ID", "Lead type", "Ad name", "Account name",
    )),
    frozenset(keys(
        "Form name", "Submitted On", "Campaign name", "Ad name", "Lead type", "Form ID",
        "Campaign ID", "Creative ID", "LinkedIn Profile URL", "Lead ID",
    )),
    {header_key("Date"): Field.ARRIVED_AT, header_key("Account name"): Field.COMPANY},
    source="linkedin",
    tool="LinkedIn Lead Gen Forms",
)  # fmt: skip

CONNECTIONS = ShapeInfo(
    frozenset(keys(
        "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
    )),
    frozenset(keys("Connected On")),
    # The day two members connected is not when interest arrived: kept as an extra.
    {header_key("Position"): Field.TITLE, header_key("URL"): None},
    source="linkedin connections",
    tool="LinkedIn (Connections)",
)  # fmt: skip
