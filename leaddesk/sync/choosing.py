"""The team's connector, made from its settings and the keyring's secret."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from leaddesk.errors import InputError
from leaddesk.handoff import Scope
from leaddesk.store import Store
from leaddesk.sync import secrets
from leaddesk.sync.connector import Connector
from leaddesk.sync.files_connector import FilesConnector
from leaddesk.sync.hubspot import HubSpotConnector
from leaddesk.sync.salesforce import SalesforceConnector
from leaddesk.sync.salesforce_login import Token
from leaddesk.sync.team_settings import SyncSettings

NOT_SET_UP = (
    "No sync to sales' CRM is set up; an admin runs: leaddesk sync setup salesforce "
    "(or hubspot, or: leaddesk sync setup files --folder PATH)."
)


def make_connector(
    store: Store,
    settings: SyncSettings | None,
    *,
    store_code: str,
    actor_id: int | None,
    scope: Scope,
    clock: Callable[[], datetime],
) -> Connector:
    if settings is None:
        raise InputError(NOT_SET_UP)
    if settings.connector == "files":
        return FilesConnector(
            store, folder=settings.folder, actor_id=actor_id, scope=scope, clock=clock
        )
    if settings.connector == "hubspot":
        token = secrets.recall(store_code, "hubspot", secrets.PRIVATE_APP_TOKEN)
        if not token:
            raise InputError(
                "This computer's keyring holds no HubSpot private app token for this store; "
                "an admin runs here: leaddesk sync setup hubspot",
                field="token",
            )
        return HubSpotConnector(settings, token)
    secret = secrets.recall(store_code, "salesforce", secrets.CLIENT_SECRET)
    if not secret:
        raise InputError(
            "This computer's keyring holds no Salesforce client secret for this store; an "
            "admin runs here: leaddesk sync setup salesforce",
            field="client_secret",
        )
    cached = secrets.recall(store_code, "salesforce", secrets.ACCESS_TOKEN)
    cached_token = None
    if cached and "\n" in cached:
        instance_url, access_token = cached.split("\n", 1)
        cached_token = Token(access_token, instance_url)

    def keep(fresh: Token | None) -> None:
        if fresh is None:
            secrets.forget(store_code, "salesforce", secrets.ACCESS_TOKEN)
        else:
            value = f"{fresh.instance_url}\n{fresh.access_token}"
            secrets.remember(store_code, "salesforce", secrets.ACCESS_TOKEN, value)

    return SalesforceConnector(settings, secret, token=cached_token, on_token=keep)
