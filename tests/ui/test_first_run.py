"""The window's first start: my own store, my team's database (tried against the real
server, the password kept in a keyring and in no file), or a demo; and the next start."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.settings import LAST_USER, TEAM_URL, Settings
from leaddesk.store.database import default_store_path
from tests.factories import TeamLogins
from ui.start import first_run
from ui.start.first_run import DEMO, OWN, TEAM, FirstRunDialog, Start, choose_store


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that keeps passwords in memory only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of the test's own: settings, stores and logs all land under it."""
    root = tmp_path / "home"
    monkeypatch.setenv("HOME", str(root))
    for name, folder in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(name, str(root / folder))
    for name in ("LEADDESK_DATABASE_URL", "PGPASSWORD", "PGPASSFILE"):
        monkeypatch.delenv(name, raising=False)
    root.mkdir()
    return root


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def dialog(qtbot: QtBot, settings: Settings, **kwargs: str) -> FirstRunDialog:
    shown = FirstRunDialog(settings, **kwargs)
    qtbot.addWidget(shown)
    shown.show()  # clicks reach only a shown widget
    qtbot.waitExposed(shown)
    return shown


def choose(qtbot: QtBot, choice: QRadioButton) -> None:
    # On the round button itself: the radio button's row is wider than what it answers to.
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(6, choice.height() // 2))


def click_start(shown: FirstRunDialog) -> None:
    shown.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def files_holding(root: Path, secret: str) -> list[Path]:
    return [
        path for path in root.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()
    ]


def test_my_own_store_opens_the_default_store_and_later_starts_ask_nothing(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = dialog(qtbot, Settings())
    assert shown.choices.checkedId() == OWN and not shown.team_fields.isEnabled()
    click_start(shown)
    assert shown.start == Start(None) and shown.result() == FirstRunDialog.DialogCode.Accepted

    # A first start asks; once the store exists, nothing is asked.
    monkeypatch.setattr(first_run, "ask_first_run", lambda *_a: Start(None))
    assert choose_store(None, None, Settings()) == Start(None)
    default_store_path().parent.mkdir(parents=True)
    default_store_path().touch()

    def never(*_a: object) -> None:
        raise AssertionError("asked again")

    monkeypatch.setattr(first_run, "ask_first_run", never)
    assert choose_store(None, "anna", Settings()) == Start(None, "anna")
    # --db or LEADDESK_DATABASE_URL: no first-run question either.
    assert choose_store("team.sqlite3", None, Settings()) == Start("team.sqlite3")


def test_a_copy_without_faker_offers_no_demo_it_cannot_make(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bundled app carries no Faker: the choice is greyed and says where a demo comes from,
    # instead of failing with a pip message after it is chosen.
    monkeypatch.setitem(sys.modules, "faker", None)
    shown = dialog(qtbot, Settings())
    assert not shown.demo.isEnabled()
    hints = [label.text() for label in shown.findChildren(QLabel)]
    assert any(text.startswith("Not in this copy of LeadDesk") for text in hints)
    assert shown.choices.checkedId() != DEMO


def test_a_demo_is_made_once_with_rep1_ready_to_sign_in(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_run, "DEMO_LEADS", 60)
    settings = Settings()
    shown = dialog(qtbot, settings)
    choose(qtbot, shown.demo)
    assert shown.choices.checkedId() == DEMO
    click_start(shown)
    assert shown.start is not None and shown.start.location is not None
    demo = Path(shown.start.location)
    assert demo == first_run.demo_store_path() and demo.exists()
    assert settings[LAST_USER] == "rep1"
    with open_desk(demo, "rep1") as desk:
        assert desk.actor.role is Role.QUALIFIER
        assert desk.queue.my_open_leads()  # a demo rep has leads to work
    made = demo.stat().st_mtime_ns
    again = dialog(qtbot, settings)
    again.demo.setChecked(True)
    click_start(again)
    assert again.start == Start(str(demo)) and demo.stat().st_mtime_ns == made
    assert not default_store_path().exists()  # the rep's own store stays untouched


def test_the_team_database_is_tried_before_it_is_kept_and_the_password_goes_to_the_keyring(
    qtbot: QtBot,
    home: Path,
    team: TeamLogins,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = make_url(team.owner_url)
    address = f"postgresql://{server.host}:{server.port}/{server.database}"
    password = f"pw-{team.rep}"
    settings = Settings()
    shown = dialog(qtbot, settings)
    choose(qtbot, shown.team)
    assert shown.team_fields.isEnabled()
    shown.url.setText(address)
    shown.login.setText(team.rep)
    shown.password.setText("not-my-password")
    qtbot.mouseClick(shown.test_button, Qt.MouseButton.LeftButton)
    assert "refused the login" in shown.status.text()
    click_start(shown)  # Start tries it too, and stays open
    assert shown.start is None and settings[TEAM_URL] == ""

    shown.password.setText(password)
    qtbot.mouseClick(shown.test_button, Qt.MouseButton.LeftButton)
    assert "Connected: you are" in shown.status.text() and "keyring" in shown.status.text()
    click_start(shown)
    assert shown.start is not None and shown.start.as_user == team.rep
    remembered = f"postgresql://{team.rep}@{server.host}:{server.port}/{server.database}"
    assert Settings()[TEAM_URL] == remembered
    assert list(memory_keyring.saved.values()) == [password]
    assert files_holding(home, password) == []
    with open_desk(shown.start.location, shown.start.as_user) as desk:
        assert desk.actor.name == team.rep

    # The next start connects straight away with the keyring's password.
    monkeypatch.setattr(first_run, "ask_password", lambda _address: pytest.fail("asked"))
    monkeypatch.setattr(first_run, "ask_first_run", lambda *_a: pytest.fail("asked"))
    start = choose_store(None, None, Settings())
    assert start is not None and start.as_user == team.rep
    assert make_url(start.location or "").password == password

    # The password changed on the server: the dialog comes back, saying so, address filled.
    memory_keyring.saved = {k: "an-old-password" for k in memory_keyring.saved}
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(
        first_run, "ask_first_run", lambda _s, url, problem: asked.append((url, problem))
    )
    assert choose_store(None, None, Settings()) is None
    assert asked and asked[0][0] == remembered and "refused the login" in asked[0][1]
    again = dialog(qtbot, Settings(), team_url=asked[0][0], problem=asked[0][1])
    assert again.choices.checkedId() == TEAM and again.login.text() == team.rep


def test_without_a_keyring_the_password_is_asked_at_each_start_and_kept_in_no_file(
    qtbot: QtBot, home: Path, team: TeamLogins, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make_url(team.owner_url)
    password = f"pw-{team.rep}"
    url = f"postgresql://{team.rep}@{server.host}:{server.port}/{server.database}"
    shown = dialog(qtbot, Settings())
    shown.team.setChecked(True)
    shown.url.setText(url)  # the login comes from the address itself
    shown.password.setText(password)
    click_start(shown)
    assert shown.start is not None and shown.start.as_user == team.rep
    assert files_holding(home, password) == []
    assert Settings()[TEAM_URL] == url

    asked: list[str] = []

    def answer(address: str) -> str:
        asked.append(address)
        return password

    monkeypatch.setattr(first_run, "ask_password", answer)
    start = choose_store(None, None, Settings())
    assert asked == [url] and start is not None and start.as_user == team.rep
    # The line a rep pastes (no password in it) asks for it too.
    pasted = choose_store(url + "?connect_timeout=5", None, Settings())
    assert pasted is not None and pasted.as_user == team.rep
    assert make_url(pasted.location or "").password == password
    assert files_holding(home, password) == []
    assert os.environ.get("PGPASSWORD") is None


def test_the_team_fields_say_what_is_missing(qtbot: QtBot, home: Path) -> None:
    shown = dialog(qtbot, Settings())
    shown.team.setChecked(True)
    qtbot.mouseClick(shown.test_button, Qt.MouseButton.LeftButton)
    assert "Paste the team database's address" in shown.status.text()
    shown.url.setText("postgresql://db.example:5432/sales_team")
    qtbot.mouseClick(shown.test_button, Qt.MouseButton.LeftButton)
    assert shown.status.text() == "Fill in your login name (your LeadDesk user name)."
    shown.login.setText("anna")
    qtbot.mouseClick(shown.test_button, Qt.MouseButton.LeftButton)
    assert shown.status.text() == "Fill in your password."
