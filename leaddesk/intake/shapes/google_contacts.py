"""Google Contacts CSV exports, in both layouts: the older ("Given Name", "E-mail 1 - Type",
"Organization 1 - Name") and the newer ("First Name", "E-mail 1 - Label", "Organization Name").
A cell holding several values joins them with " ::: "; the first is used, all are kept."""

from __future__ import annotations

from leaddesk.intake.fields import Field, header_key, keys
from leaddesk.intake.shapes.shape import ShapeInfo

SHAPE = ShapeInfo(
    frozenset(keys(
        "E-mail 1 - Value", "Phone 1 - Value", "E-mail 2 - Value", "Phone 2 - Value", "Notes",
    )),
    frozenset(keys(
        "E-mail 1 - Value", "Phone 1 - Value", "E-mail 1 - Type", "E-mail 1 - Label",
        "Organization 1 - Name", "Group Membership", "File As", "Labels",
    )),
    {
        header_key("Given Name"): Field.FIRST_NAME,
        header_key("Family Name"): Field.LAST_NAME,
        header_key("E-mail 1 - Value"): Field.EMAIL,
        header_key("Phone 1 - Value"): Field.PHONE,
        header_key("Phone 2 - Value"): Field.OTHER_PHONE,
        header_key("Organization 1 - Name"): Field.COMPANY,
        header_key("Organization Name"): Field.COMPANY,
        header_key("Organization 1 - Title"): Field.TITLE,
        header_key("Organization Title"): Field.TITLE,
        header_key("Address 1 - Formatted"): Field.ADDRESS,
        header_key("Address 1 - Street"): Field.ADDRESS,
        header_key("Address 1 - City"): Field.CITY,
        header_key("Address 1 - Region"): Field.STATE,
        header_key("Address 1 - Country"): Field.COUNTRY,
        header_key("Website 1 - Value"): Field.WEBSITE,
    },
    source="google contacts",
    tool="Google Contacts",
)  # fmt: skip
