"""File ▸ Sync settings offers HubSpot: choosing it shows HubSpot's contact properties and
asks for the private app token, which goes to the keyring; the check then signs in."""

from __future__ import annotations

from pathlib import Path

from fake_hubspot import TOKEN, FakeHubSpot
from memory_keyring import MemoryKeyring
from pytestqt.qtbot import QtBot
from sync_scenarios import set_up_team

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from ui.common.operations import Operations
from ui.sync.settings_dialog import SyncSettingsDialog


def test_an_admin_sets_up_hubspot_in_the_sync_settings(
    qtbot: QtBot,
    sqlite_store_path: Path,
    clock: FixedClock,
    hubspot: FakeHubSpot,
    certificate: tuple[Path, Path],
    memory_keyring: MemoryKeyring,
) -> None:
    location = str(sqlite_store_path)
    set_up_team(location, clock)
    with open_desk(location, "admin1", clock=clock) as admin:
        admin.sync.setup(
            "files", folder=str(sqlite_store_path.parent / "batches"), ca_bundle=str(certificate[0])
        )
        dialog = SyncSettingsDialog(admin, Operations(inline=True), admin.sync.settings(), None)
        qtbot.addWidget(dialog)
        dialog.connector.setCurrentIndex(dialog.connector.findData("hubspot"))
        rows = {
            dialog.mapping.item(r, 0).text(): dialog.mapping.item(r, 1).text()  # type: ignore[union-attr]
            for r in range(dialog.mapping.rowCount())
        }
        assert rows["jobtitle"] == "title" and rows["email"] == "email"
        label = dialog.form.labelForField(dialog.client_secret)
        assert label.text() == "Private app token"  # type: ignore[union-attr]
        assert not dialog.folder.isEnabled() and dialog.api_url.isEnabled()
        dialog.api_url.setText(hubspot.base)
        dialog.client_secret.setText(TOKEN)
        dialog.test()  # saves the settings, then checks them
        qtbot.waitUntil(lambda: "field mapping fits" in dialog.check_words.text(), timeout=10_000)
        settings = admin.sync.settings()
    assert settings is not None and settings.connector == "hubspot"
    assert settings.api_url == hubspot.base and settings.leads_object
    assert TOKEN in memory_keyring.saved.values()
