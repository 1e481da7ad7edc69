"""The words of column mapping: the lead fields a column can feed, the export shapes recognised
by their headers, and how two headers are compared."""

from __future__ import annotations

import re
from enum import StrEnum


class Field(StrEnum):
    """The canonical lead fields an export column can feed."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    EMAIL = "email"
    PHONE = "phone"
    MOBILE = "mobile"
    # Further numbers, kept and dialled only when the phone and the mobile are missing.
    COMPANY_PHONE = "company_phone"
    OTHER_PHONE = "other_phone"
    HOME_PHONE = "home_phone"
    COMPANY = "company"
    TITLE = "title"
    INDUSTRY = "industry"
    EMPLOYEES = "employees"
    COUNTRY = "country"
    STATE = "state"
    CITY = "city"
    ADDRESS = "address"
    SOURCE = "source"
    CAMPAIGN = "campaign"
    INQUIRY = "inquiry"
    ARRIVED_AT = "arrived_at"
    WEBSITE = "website"
    NOTES = "notes"
    # The record's id in the tool it came from (a Salesforce Lead or Contact ID, a HubSpot
    # Record ID) and its company's (a Salesforce Account ID): kept, never shown as a name.
    CRM_ID = "crm_id"
    ACCOUNT_ID = "account_id"


class Shape(StrEnum):
    """Export shapes recognised by their headers; CUSTOM is a saved or hand-made mapping."""

    SALESFORCE = "salesforce"
    HUBSPOT = "hubspot"
    MARKETO = "marketo"
    LINKEDIN = "linkedin"
    LINKEDIN_CONNECTIONS = "linkedin_connections"
    GOOGLE_CONTACTS = "google_contacts"
    OUTLOOK = "outlook"
    THUNDERBIRD = "thunderbird"
    APOLLO = "apollo"
    BUSINESS_LIST = "business_list"
    PLAIN = "plain"
    GENERIC = "generic"
    CUSTOM = "custom"


IDENTIFYING = frozenset(
    {Field.EMAIL, Field.PHONE, Field.MOBILE, Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME}
)

_NON_ALNUM = re.compile(r"[\W_]+")


def header_key(name: str) -> str:
    """A header reduced for comparison: casefolded letters and digits only."""
    return _NON_ALNUM.sub("", name.casefold())


def keys(*names: str) -> tuple[str, ...]:
    return tuple(header_key(name) for name in names)
