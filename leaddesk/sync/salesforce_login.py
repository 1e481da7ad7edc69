"""Signing in to Salesforce: the OAuth client-credentials flow against the org's login URL,
and the HTTP session every call goes through (a timeout on each, Retry-After remembered).

The access token is kept in the OS keyring between runs, never in the store or a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from leaddesk.errors import InputError
from leaddesk.sync.connector import CrmUnreachable

TIMEOUT = 20.0  # seconds for one call; a slower answer is retried (upserts are safe to repeat)


@dataclass(frozen=True)
class Token:
    access_token: str
    instance_url: str


class TimedSession(requests.Session):
    """Every request with a timeout; the last answer's Retry-After kept for the back-off."""

    def __init__(self, timeout: float = TIMEOUT, ca_bundle: str = "") -> None:
        super().__init__()
        self.timeout = timeout
        self.retry_after: float | None = None
        self.ca_bundle = ca_bundle

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        if self.ca_bundle:  # named in the settings: it wins over REQUESTS_CA_BUNDLE
            kwargs.setdefault("verify", self.ca_bundle)
        response = super().request(method, url, *args, **kwargs)
        after = response.headers.get("Retry-After")
        try:
            self.retry_after = float(after) if after is not None else None
        except ValueError:
            self.retry_after = None
        return response


def sign_in(http: TimedSession, login_url: str, client_id: str, client_secret: str) -> Token:
    """An access token for the connected app (client credentials)."""
    url = f"{login_url.rstrip('/')}/services/oauth2/token"
    try:
        answer = http.post(
            url,
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
            },
        )
    except requests.RequestException as error:
        raise CrmUnreachable(f"Salesforce's sign-in at {login_url} did not answer.") from error
    if answer.status_code == 429:
        raise CrmUnreachable(f"Salesforce's sign-in at {login_url} is busy (429).")
    if answer.status_code >= 500:
        raise CrmUnreachable(
            f"Salesforce's sign-in at {login_url} failed on its side ({answer.status_code})."
        )
    try:
        body = answer.json()
    except ValueError:
        body = {}
    if answer.status_code != 200 or "access_token" not in body:
        why = body.get("error_description") or body.get("error") or f"HTTP {answer.status_code}"
        raise InputError(
            f"Salesforce refused the sign-in at {login_url}: {why}. Check the connected app's "
            "client id and secret, then run: leaddesk sync setup salesforce",
            field="client_id",
        )
    return Token(str(body["access_token"]), str(body["instance_url"]))
