"""Which of a row's numbers is dialled, and cells that hold several values.

The rule, for exports with several phone columns (Apollo's work direct, mobile, corporate,
other and home; Outlook's business, mobile, company main, other and home):

1. the person's direct work line (the column mapped to *phone*), if it reads as a number;
2. else their mobile;
3. else the company's switchboard (*company phone*), then any *other phone*, then the
   *home phone* last: a private line is the least fitting for a business call.

Every number is kept all the same: the mobile beside the phone, and each further number under
its own column in the lead's details. A Google Contacts cell with several values ("a ::: b")
gives its first value to the field and keeps the whole cell.
"""

from __future__ import annotations

import re

from leaddesk.intake.fields import Field

# In the order they are tried when neither the phone nor the mobile reads as a number.
FALLBACK_PHONES = (Field.COMPANY_PHONE, Field.OTHER_PHONE, Field.HOME_PHONE)

SEVERAL = " ::: "

# A Salesforce Account ID (15 or 18 characters, key prefix 001) where a company name belongs.
_ACCOUNT_ID = re.compile(r"001[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?")


def first_value(cell: str) -> str:
    """The first of several values joined by " ::: " (Google Contacts), else the cell."""
    if SEVERAL in cell:
        return cell.split(SEVERAL, 1)[0]
    return cell


def is_account_id(value: str) -> bool:
    """Whether a company cell holds a Salesforce Account ID rather than a name."""
    return _ACCOUNT_ID.fullmatch(value) is not None and any(c.isdigit() for c in value[3:])
