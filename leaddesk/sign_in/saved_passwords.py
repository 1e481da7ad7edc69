"""Passwords remembered in the OS keyring (service "LeadDesk", one entry per store and user).

Used only when a keyring backend is there; a machine without one simply asks every time.
"""

from __future__ import annotations

import logging
from types import ModuleType

SERVICE = "LeadDesk"
log = logging.getLogger(__name__)


def _key(store_label: str, user: str) -> str:
    return f"{store_label} {user}"


def _keyring() -> ModuleType | None:
    """The keyring module when a usable backend is configured, else None."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        return keyring
    except Exception:  # no backend, a broken one, or no keyring at all: ask instead
        log.info("no usable keyring backend", exc_info=True)
        return None


def keyring_available() -> bool:
    return _keyring() is not None


def saved_password(store_label: str, user: str) -> str | None:
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        found = keyring.get_password(SERVICE, _key(store_label, user))
    except Exception:
        log.info("keyring could not be read", exc_info=True)
        return None
    return str(found) if found else None


def remember_password(store_label: str, user: str, password: str) -> bool:
    """Save it for the next sign-in; False (never an error) when there is no keyring."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(SERVICE, _key(store_label, user), password)
    except Exception:
        log.info("keyring could not be written", exc_info=True)
        return False
    return True


def forget_password(store_label: str, user: str) -> None:
    keyring = _keyring()
    if keyring is None:
        return
    try:
        keyring.delete_password(SERVICE, _key(store_label, user))
    except Exception:
        log.info("nothing to forget in the keyring", exc_info=True)
