"""An OS keyring stand-in that keeps secrets in memory only (no file), for the sync's tests.

A test's child process gets it through PYTHON_KEYRING_BACKEND, seeded from
LEADDESK_TEST_KEYRING (JSON: "service\\nusername" -> secret)."""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend

SEED = "LEADDESK_TEST_KEYRING"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}
        for key, value in json.loads(os.environ.get(SEED) or "{}").items():
            service, _, username = key.partition("\n")
            self.saved[(service, username)] = value

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)

    def as_seed(self) -> str:
        return json.dumps({f"{s}\n{u}": p for (s, u), p in self.saved.items()})
