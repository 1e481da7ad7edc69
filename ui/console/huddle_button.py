"""The Dashboards tab's "Huddle pack…" button (issue #19 item 4): the dashboards' days as one
printable page with its charts and the CSV behind each table, written by the core in a new
dated folder the lead picks, then opened in the browser."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from leaddesk.desk import Action, Desk, HuddlePack
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations

Period = Callable[[], tuple[date, date] | None]


def choose_folder(parent: QWidget, suggested: Path) -> Path | None:
    """The folder the pack's own folder goes in; None if the lead cancelled. Tests answer for
    the lead here."""
    chosen = QFileDialog.getExistingDirectory(
        parent, "Where should the huddle pack go?", str(suggested)
    )
    return Path(chosen) if chosen else None


def show_page(page: Path) -> bool:
    """The pack's page in the lead's browser, to read or print. Tests replace this."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(page)))


class HuddleButton(QPushButton):
    """Makes the huddle pack for the days the dashboards show; says where it went."""

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        period: Period,
        state: QLabel,
        save_dir: Callable[[], Path],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("&Huddle pack…", parent)
        self._desk = desk
        self._ops = ops
        self._period = period
        self._state = state
        self._save_dir = save_dir
        self.working = False
        self.pack: HuddlePack | None = None
        self.setToolTip(
            "One page for the sales and marketing huddle, for the days shown: acceptance, "
            "rejections, hand-offs waiting for sales, overridden verdicts and the rules behind "
            "rejected leads; with the CSV behind each table. Prints on A4 or Letter."
        )
        self.setAccessibleName("Make the huddle pack")
        self.setVisible(desk.can(Action.MAKE_HUDDLE_PACK))
        self.setEnabled(False)  # until the dashboards know their days
        self.clicked.connect(self.make)

    def make(self) -> None:
        days = self._period()
        if days is None or self.working:
            return
        folder = choose_folder(self, self._save_dir())
        if folder is None:
            return
        since, until = days
        desk = self._desk
        self.working = True
        self.setEnabled(False)
        self._state.setText("Making the huddle pack…")
        self._ops.run(
            lambda: desk.team.huddle_pack(since=since, until=until, out=folder),
            done=self._made,
            failed=self._failed,
        )

    def _made(self, pack: HuddlePack) -> None:
        self.working = False
        self.setEnabled(True)
        self.pack = pack
        self._state.setText(f"Huddle pack saved in {pack.folder}")
        show_page(pack.page)

    def _failed(self, error: LeadDeskError) -> None:
        self.working = False
        self.setEnabled(True)
        self._state.setText("No huddle pack was made.")
        dialogs.warn(self, error.message)
