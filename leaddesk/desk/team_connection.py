"""Connecting this desk to the team's database: the URL a rep was given, their login and
password, tried before anything is kept. The password goes to the OS keyring (when this
computer has one), never into a settings file; the URL without it is what is remembered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import URL

from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.store import team_server

log = logging.getLogger(__name__)
KEYRING_SERVICE = "LeadDesk team database"


@dataclass(frozen=True)
class TeamLogin:
    """Who the login turned out to be, and the URL to remember (no password in it)."""

    name: str
    display_name: str
    role: Role
    remembered_url: str


def team_url(raw: str, login: str = "") -> URL:
    """The team's URL with ``login`` as its user (the URL's own user when none is given)."""
    text = raw.strip()
    if not text:
        raise InputError("Paste the team database's address, e.g. postgresql://REP@db:5432/team.")
    try:
        url = team_server.parse_team_url(text, need_user=False)
    except InputError as exc:
        raise InputError(exc.message.replace("OWNER", "LOGIN").replace("owner", "rep")) from None
    name = login.strip() or url.username or ""
    if not name or name == "REP":
        raise InputError("Fill in your login name (your LeadDesk user name).")
    return url._replace(username=name)


def with_password(url: URL, password: str) -> str:
    """The URL to open the store with (kept in memory only)."""
    return url._replace(password=password).render_as_string(hide_password=False)


def try_login(raw_url: str, login: str, password: str) -> TeamLogin:
    """Sign in to the team's store as ``login``: the server reached, the password taken, the
    login a LeadDesk user there who may work. Raises with a message saying what to fix."""
    url = team_url(raw_url, login)
    if not password:
        raise InputError("Fill in your password.")
    name = url.username or ""
    team_server.connect(url._replace(password=password), url.database or "", lambda _c: None)
    with open_desk(with_password(url, password), name) as desk:
        actor = desk.actor
    return TeamLogin(
        name=actor.name,
        display_name=actor.display_name,
        role=actor.role,
        remembered_url=remembered(url),
    )


def remembered(url: URL) -> str:
    """The URL as it is remembered and keyed in the keyring: its login, never a password."""
    return team_server.shown_url(url, url.username)


def keyring_available() -> bool:
    """Whether this computer has somewhere safe (an OS keyring) to keep a password."""
    import keyring

    try:
        return float(keyring.get_keyring().priority) > 0
    except Exception:  # a broken keyring backend is no keyring
        return False


def save_password(remembered_url: str, password: str) -> bool:
    """Keep the password in the OS keyring; False when this computer has none to keep it."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, remembered_url, password)
    except (KeyringError, RuntimeError) as error:
        log.info("no keyring to keep the team password in: %s", error)
        return False
    return True


def saved_password(remembered_url: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, remembered_url)
    except (KeyringError, RuntimeError) as error:
        log.info("no keyring to read the team password from: %s", error)
        return None


def login_of(location: str | None) -> tuple[URL, str] | None:
    """For a ``postgresql://login@…`` location without a password: the URL and the login
    (a password to fill in); None for anything else."""
    if not location or not location.startswith(("postgresql:", "postgres:")):
        return None
    try:
        url = team_server.parse_team_url(location)
    except InputError:
        return None
    if url.password is not None or not url.username:
        return None
    return url, url.username
