"""The team's sync settings, kept in the store: which connector, where, and the field mapping.

Never a secret: the client secret and tokens live in the OS keyring (``secrets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.errors import InputError
from leaddesk.store.models import SyncSetting
from leaddesk.sync.connector import CONNECTORS

EXTERNAL_ID_FIELD = "LeadDesk_Lead_Id__c"
# Lead statuses that mean sales turned the lead down (``sync pull``); an admin may name others.
REJECTED_STATUSES = ("Unqualified", "Disqualified")
API_VERSION = "62.0"
LOGIN_URL = "https://login.salesforce.com"
HUBSPOT_API = "https://api.hubapi.com"
HUBSPOT_LEAD_ID_PROPERTY = "leaddesk_lead_id"  # a unique-value property on HubSpot's leads

# The values LeadDesk can put in a CRM field, as an admin names them in a mapping.
VALUES = (
    "first_name",
    "last_name",
    "company",
    "title",
    "email",
    "phone",
    "country",
    "city",
    "industry",
    "employees",
    "lead_source",
    "rating",
    "description",
)
DEFAULT_MAPPING: dict[str, str] = {
    "FirstName": "first_name",
    "LastName": "last_name",
    "Company": "company",
    "Title": "title",
    "Email": "email",
    "Phone": "phone",
    "Country": "country",
    "City": "city",
    "Industry": "industry",
    "NumberOfEmployees": "employees",
    "LeadSource": "lead_source",
    "Rating": "rating",
    "Description": "description",
}
# HubSpot's contact properties (their internal names); the qualification itself goes on the
# lead object and a note, not into a contact property.
HUBSPOT_MAPPING: dict[str, str] = {
    "firstname": "first_name",
    "lastname": "last_name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "jobtitle": "title",
    "city": "city",
    "country": "country",
    "industry": "industry",
}


@dataclass(frozen=True)
class SyncSettings:
    connector: str
    login_url: str = LOGIN_URL
    client_id: str = ""
    api_version: str = API_VERSION
    external_id_field: str = EXTERNAL_ID_FIELD
    mapping: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MAPPING))
    folder: str = ""  # the files connector's folder
    ca_bundle: str = ""  # a certificate file to trust, for a company proxy or a test server
    # Reading sales' answers back (``sync pull``): the statuses that mean rejected, the Lead
    # field with sales' reason (else the status is the reason), and the one with sales'
    # comment (else Description, unless LeadDesk itself fills Description when it sends).
    rejected_statuses: tuple[str, ...] = REJECTED_STATUSES
    reason_field: str = ""
    comment_field: str = ""

    @property
    def sales_comment_field(self) -> str | None:
        """Where sales' comment is read from; None when there is no field of sales' own."""
        if self.comment_field:
            return self.comment_field
        return None if "Description" in self.mapping else "Description"

    api_url: str = HUBSPOT_API  # HubSpot's API address
    leads_object: bool = True  # HubSpot: a lead object; False: a note and a task instead

    @property
    def label(self) -> str:
        return CONNECTORS[self.connector]

    def as_json(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "login_url": self.login_url,
            "client_id": self.client_id,
            "api_version": self.api_version,
            "external_id_field": self.external_id_field,
            "mapping": dict(self.mapping),
            "folder": self.folder,
            "ca_bundle": self.ca_bundle,
            "rejected_statuses": list(self.rejected_statuses),
            "reason_field": self.reason_field,
            "comment_field": self.comment_field,
            "api_url": self.api_url,
            "leads_object": self.leads_object,
        }


def default_settings(connector: str) -> SyncSettings:
    """A connector's settings before an admin changed any: its own field names."""
    if connector == "hubspot":
        return SyncSettings(
            connector,
            external_id_field=HUBSPOT_LEAD_ID_PROPERTY,
            mapping=dict(HUBSPOT_MAPPING),
        )
    return SyncSettings(connector)


def with_mapping(settings: SyncSettings, changes: dict[str, str]) -> SyncSettings:
    """``changes``: CRM field → LeadDesk value ("" takes the field out of the mapping)."""
    mapping = dict(settings.mapping)
    for crm_field, value in changes.items():
        if not value:
            mapping.pop(crm_field, None)
            continue
        if value not in VALUES:
            raise InputError(
                f"{crm_field}={value}: LeadDesk has no value '{value}'; use one of "
                f"{', '.join(VALUES)}.",
                field="mapping",
            )
        mapping[crm_field] = value
    return replace(settings, mapping=mapping)


def read_settings(session: Session) -> SyncSettings | None:
    row = session.scalar(select(SyncSetting).order_by(SyncSetting.id).limit(1))
    if row is None:
        return None
    data = dict(row.settings)
    default = default_settings(row.connector)
    return SyncSettings(
        connector=row.connector,
        login_url=str(data.get("login_url") or LOGIN_URL),
        client_id=str(data.get("client_id") or ""),
        api_version=str(data.get("api_version") or API_VERSION),
        external_id_field=str(data.get("external_id_field") or default.external_id_field),
        mapping={str(k): str(v) for k, v in (data.get("mapping") or default.mapping).items()},
        folder=str(data.get("folder") or ""),
        ca_bundle=str(data.get("ca_bundle") or ""),
        rejected_statuses=tuple(
            str(status) for status in data.get("rejected_statuses") or REJECTED_STATUSES
        ),
        reason_field=str(data.get("reason_field") or ""),
        comment_field=str(data.get("comment_field") or ""),
        api_url=str(data.get("api_url") or HUBSPOT_API),
        leads_object=bool(data.get("leads_object", True)),
    )


def pulled_until(session: Session) -> datetime | None:
    """How far sales' answers have been read back; None before the first pull."""
    return session.scalar(select(SyncSetting.pulled_until).order_by(SyncSetting.id).limit(1))


def advance_pull(session: Session, until: datetime) -> None:
    """Move the pull's cursor, in the transaction that recorded what was read up to there."""
    row = session.scalar(select(SyncSetting).order_by(SyncSetting.id).limit(1))
    if row is not None:
        row.pulled_until = until


def save_settings(
    session: Session, settings: SyncSettings, *, user_id: int | None, at: datetime
) -> None:
    if settings.connector not in CONNECTORS:
        raise InputError(
            f"No connector '{settings.connector}'; use one of {', '.join(CONNECTORS)}.",
            field="connector",
        )
    data = settings.as_json()
    del data["connector"]
    row = session.scalar(select(SyncSetting).order_by(SyncSetting.id).limit(1))
    if row is None:
        row = SyncSetting(connector=settings.connector, settings=data, updated_at=at)
        session.add(row)
    if row.connector != settings.connector or (row.settings or {}).get("login_url") != data.get(
        "login_url"
    ):
        row.pulled_until = None  # another CRM: its answers are read from the start
    row.connector, row.settings = settings.connector, data
    row.updated_by_id, row.updated_at = user_id, at
