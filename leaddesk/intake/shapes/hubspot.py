"""HubSpot contacts exports. Exported with its associated companies' properties, the header
repeats names ("Record ID", "Phone Number"): the contact's properties come first, then the
company's, starting at the company's own "Record ID". Those are named "Associated company: …"."""

from __future__ import annotations

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

COMPANY_SIDE = "Associated company: "

SHAPE = ShapeInfo(
    frozenset(keys(
        "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name",
        "Job Title", "Create Date", "Original Source", "Number of Employees",
        "Lifecycle Stage", "Lead Status", "Contact owner", "Mobile Phone Number",
    )),
    frozenset(keys(
        "Record ID", "Lifecycle Stage", "Original Source", "Original Source Drill-Down 1",
        "Contact owner", "Associated Company", "Last Activity Date", "Marketing contact status",
    )),
    {
        header_key("Message"): Field.INQUIRY,
        header_key("Record ID"): Field.CRM_ID,
        # The company side.
        header_key(COMPANY_SIDE + "Name"): Field.COMPANY,
        header_key(COMPANY_SIDE + "Record ID"): Field.ACCOUNT_ID,
        header_key(COMPANY_SIDE + "Phone Number"): Field.COMPANY_PHONE,
        header_key(COMPANY_SIDE + "Industry"): Field.INDUSTRY,
        header_key(COMPANY_SIDE + "Number of Employees"): Field.EMPLOYEES,
        header_key(COMPANY_SIDE + "Company Domain Name"): Field.WEBSITE,
    },
    source="hubspot",
    tool="HubSpot",
)  # fmt: skip

_MARKS = frozenset(keys("Record ID", "Lifecycle Stage", "Contact owner", "Original Source"))


def name_sides(names: list[str]) -> list[str] | None:
    """The header with the company's columns named "Associated company: …", when it is a
    HubSpot export whose repeats are the company's properties after the contact's; else None."""
    found = [header_key(name) for name in names]
    if len(_MARKS.intersection(found)) < 2:
        return None
    record = header_key("Record ID")
    starts = [index for index, key in enumerate(found) if key == record]
    if len(starts) == 2:
        start = starts[1]
    else:
        seen: set[str] = set()
        start = -1
        for index, key in enumerate(found):
            if key in seen:
                start = index
                break
            seen.add(key)
        if start < 0:
            return None
    sided = [*names[:start], *(COMPANY_SIDE + name for name in names[start:])]
    if len({name.casefold() for name in sided}) != len(sided):
        return None  # a name repeats on one side: not what HubSpot writes
    return sided
