"""The sync's secrets (a client secret, the access token) in the OS keyring, nowhere else.

Never in the store, a settings file, a log line or a backup: each is keyed by the store's own
code, so two stores on one computer keep theirs apart.
"""

from __future__ import annotations

import contextlib

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from leaddesk.errors import InputError

SERVICE = "LeadDesk sync"
CLIENT_SECRET = "client_secret"
ACCESS_TOKEN = "access_token"
PRIVATE_APP_TOKEN = "private_app_token"  # HubSpot's: it is the secret, and never refreshes


def secret_name(connector: str) -> str:
    """What an admin gives ``sync setup`` for this connector, as the keyring keeps it."""
    return PRIVATE_APP_TOKEN if connector == "hubspot" else CLIENT_SECRET


def _key(store_code: str, connector: str, what: str) -> str:
    return f"{store_code}/{connector}/{what}"


def remember(store_code: str, connector: str, what: str, value: str) -> None:
    try:
        keyring.set_password(SERVICE, _key(store_code, connector, what), value)
    except KeyringError as error:
        raise InputError(
            f"This computer's keyring refused the {what.replace('_', ' ')} ({error}); "
            "unlock it or install one, then set up the sync again."
        ) from error


def recall(store_code: str, connector: str, what: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _key(store_code, connector, what))
    except KeyringError:
        return None


def forget(store_code: str, connector: str, what: str) -> None:
    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(SERVICE, _key(store_code, connector, what))
