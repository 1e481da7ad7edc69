"""Stopping an import between chunks, resuming or undoing it, and the work off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.intake.importing import CHUNK_ROWS
from leaddesk.store.models import Lead
from tests.csv_sheets import write_csv
from tests.ui.conftest import Workspace
from tests.ui.import_steps import PLAIN, open_dialog, store_counts
from ui.common.operations import Operations
from ui.intake.wizard import ImportWizard


def test_stopping_mid_import_keeps_whole_chunks_and_can_resume(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    total = CHUNK_ROWS * 2 + 500
    rows = [[f"Bulk Person {n}", f"bulk{n}@list.example", "", f"Bulk Co {n}"] for n in range(total)]
    path = write_csv(tmp_path / "bulk.csv", PLAIN, rows)
    dialog = open_dialog(ws, qtbot, path)
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert dialog.preview_page.counts.number("created") == total
    assert dialog.preview_page.rows.more > 0  # the table shows the first rows only

    # The rep presses Stop as soon as the first chunk is in.
    def stop_once(done: int, _total: int) -> None:
        if dialog.job.running == "import" and done:
            dialog.stop()

    dialog.job.progressed.connect(stop_once)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    dialog.job.progressed.disconnect(stop_once)
    outcome = dialog.result_page.outcome
    assert outcome is not None and outcome.stopped
    assert dialog.result_page.heading.text() == "Import stopped"
    text = dialog.result_page.status.text()
    assert f"up to row {CHUNK_ROWS + 1:,} are in, whole" in text
    assert "Resume" in text and "undo" in text
    assert (
        dialog.result_page.resume_button.isVisible() and dialog.result_page.undo_button.isVisible()
    )
    leads, people, _runs, mappings = store_counts(ws)
    assert leads - before[0] == CHUNK_ROWS  # whole rows only: a lead and its person each
    assert people - before[1] == CHUNK_ROWS
    assert mappings == before[3]  # confirmed columns are remembered when an import finishes

    qtbot.mouseClick(dialog.result_page.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.result_page.outcome is not None and not dialog.result_page.outcome.stopped
    )
    assert dialog.result_page.heading.text() == "Import finished"
    assert f"resumed after row {CHUNK_ROWS + 1:,}" in dialog.result_page.status.text()
    leads, people, runs, mappings = store_counts(ws)
    assert (leads - before[0], people - before[1]) == (total, total)
    assert runs == before[2] + 1  # one run, resumed
    assert mappings == before[3] + 1


def test_undo_after_stopping_takes_the_rows_out_again(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Undo {n}", f"undo{n}@list.example", "", ""] for n in range(CHUNK_ROWS + 100)]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "undo.csv", PLAIN, rows))
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    dialog.job.progressed.connect(lambda done, _t: dialog.stop() if done else None)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert store_counts(ws)[0] == before[0] + CHUNK_ROWS
    qtbot.mouseClick(dialog.result_page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_page.undone is not None)
    assert dialog.result_page.heading.text() == "Import undone"
    assert f"Took out {CHUNK_ROWS:,} leads" in dialog.result_page.status.text()
    assert store_counts(ws)[:2] == before[:2]


def test_undo_after_stopping_is_refused_while_a_lead_is_open_and_says_why(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Held {n}", f"held{n}@list.example", "", ""] for n in range(CHUNK_ROWS + 10)]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "held.csv", PLAIN, rows))
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    dialog.job.progressed.connect(lambda done, _t: dialog.stop() if done else None)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    with ws.desk.store.reading() as session:
        newest = session.scalar(select(func.max(Lead.id)))
    assert newest is not None
    ws.desk.queue.renew_claim(newest)  # open in another window of the rep's
    qtbot.mouseClick(dialog.result_page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_page.problem.isVisible())
    said = dialog.result_page.problem.text()
    assert said.startswith("Nothing was undone. ") and f"has lead #{newest} open" in said
    assert dialog.result_page.undone is None
    assert store_counts(ws)[0] == before[0] + CHUNK_ROWS
    ws.desk.queue.release(newest)
    qtbot.mouseClick(dialog.result_page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_page.undone is not None)
    assert store_counts(ws)[:2] == before[:2]


def test_closing_the_window_mid_import_stops_it_between_chunks(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Late {n}", f"late{n}@list.example", "", ""] for n in range(CHUNK_ROWS + 50)]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "late.csv", PLAIN, rows))
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    dialog.job.progressed.connect(lambda done, _t: ws.window.close() if done else None)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert dialog.result_page.outcome is not None and dialog.result_page.outcome.stopped
    assert store_counts(ws)[0] == before[0] + CHUNK_ROWS


def test_the_preview_and_import_run_off_the_gui_thread(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Thread {n}", f"thread{n}@x.example", "", ""] for n in range(50)]
    path = write_csv(tmp_path / "threads.csv", PLAIN, rows)
    ops = Operations()  # a real worker thread, as in the app
    dialog = ImportWizard(ws.desk, ops, ws.window.settings)
    qtbot.addWidget(dialog)
    seen: list[tuple[int, int]] = []
    dialog.job.progressed.connect(lambda done, total: seen.append((done, total)))
    try:
        dialog.show()
        dialog.set_file(path)
        qtbot.waitUntil(lambda: dialog.job.look is not None)
        dialog.next()
        dialog.next()
        qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
        assert dialog.preview_page.counts.number("created") == 50
        dialog.next()
        qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
        assert seen and seen[-1][0] == 50
        assert store_counts(ws)[0] == before[0] + 50
    finally:
        ops.shutdown()
