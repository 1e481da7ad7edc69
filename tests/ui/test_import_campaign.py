"""The import wizard's Campaign field: given to the rows of the file that name none, so
marketing's reports can cut the leads by it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.store.models import Lead
from tests.csv_sheets import write_csv
from tests.ui.conftest import Workspace
from tests.ui.import_steps import PLAIN, drop


def test_the_campaign_typed_in_the_import_dialog_is_on_each_new_lead(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    rows = [
        ["Ada Lovelace", "ada@engines.example", "+44 20 7946 0001", "Analytical Engines"],
        ["Alan Turing", "alan@bletchley.example", "+44 20 7946 0002", "Bletchley Park"],
    ]
    path = write_csv(tmp_path / "Fair contacts.csv", PLAIN, rows)
    assert drop(workspace.window, path) == (True, True)
    dialog = workspace.window._import
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.job.look is not None)
    qtbot.keyClicks(dialog.choose_page.campaign_edit, "Trade fair  Lyon 2026")
    if os.environ.get("LEADDESK_SAVE_SCREENS"):
        dialog.grab().save("/tmp/market-import-campaign.png")
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # columns
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # preview
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # import
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    with workspace.desk.store.reading() as session:
        campaigns = set(
            session.scalars(select(Lead.campaign).where(Lead.source == "Fair contacts"))
        )
    assert campaigns == {"Trade fair Lyon 2026"}
    assert workspace.warnings == []
