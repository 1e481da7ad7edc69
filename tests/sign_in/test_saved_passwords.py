"""The OS keyring: used for a sign-in when a backend is there, never a failure when not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from leaddesk.cli import main
from leaddesk.sign_in.saved_passwords import (
    SERVICE,
    forget_password,
    keyring_available,
    remember_password,
    saved_password,
)


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps its entries in a dict (a real backend plugin)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("the keyring daemon went away")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("the keyring daemon went away")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_a_password_remembered_in_the_keyring_is_found_per_store_and_user(
    memory_keyring: MemoryKeyring,
) -> None:
    assert keyring_available()
    assert remember_password("/stores/team.sqlite3", "rep1", "rep1-secret")
    assert saved_password("/stores/team.sqlite3", "rep1") == "rep1-secret"
    assert saved_password("/stores/other.sqlite3", "rep1") is None
    assert saved_password("/stores/team.sqlite3", "rep2") is None
    assert memory_keyring.entries == {(SERVICE, "/stores/team.sqlite3 rep1"): "rep1-secret"}
    forget_password("/stores/team.sqlite3", "rep1")
    assert memory_keyring.entries == {}


def test_without_a_keyring_backend_nothing_is_saved_and_nothing_fails() -> None:
    before = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        assert not keyring_available()
        assert remember_password("/stores/team.sqlite3", "rep1", "rep1-secret") is False
        assert saved_password("/stores/team.sqlite3", "rep1") is None
        keyring.set_keyring(BrokenKeyring())
        assert remember_password("/stores/team.sqlite3", "rep1", "rep1-secret") is False
        assert saved_password("/stores/team.sqlite3", "rep1") is None
    finally:
        keyring.set_keyring(before)


def test_the_cli_signs_in_with_the_password_saved_in_the_keyring(
    memory_keyring: MemoryKeyring, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "team.sqlite3"
    db = ["--db", str(path)]
    assert main([*db, "users", "add", "admin", "--role", "admin"]) == 0
    new = tmp_path / "new.pw"
    new.write_text("admin-secret\n", encoding="utf-8")
    assert main([*db, "users", "password", "admin", "--password-file", str(new)]) == 0
    capsys.readouterr()
    assert main([*db, "users", "list", "--as", "admin"]) == 3
    remember_password(str(path.resolve()), "admin", "admin-secret")
    assert main([*db, "users", "list", "--as", "admin"]) == 0
    assert "admin" in capsys.readouterr().out
