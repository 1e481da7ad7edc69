"""Notes saved as the rep types: a local draft on every keystroke, the store after a pause.

The draft file means a killed app loses nothing: the next time the lead opens, a draft newer
than the stored note is put back and saved. Saves run on the worker like every other change;
the note's id is kept on the worker side, so quick successive saves update one note instead
of creating several.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal

from leaddesk.desk import Desk
from ui.common.operations import Operations

log = logging.getLogger(__name__)


def default_drafts_dir() -> Path:
    return Path(platformdirs.user_data_dir("LeadDesk", appauthor=False)) / "note-drafts"


class Drafts:
    """One small file per lead being written about, for one store and user."""

    def __init__(self, folder: Path, owner: str) -> None:
        self.folder = folder
        self._prefix = hashlib.sha256(owner.encode()).hexdigest()[:12]

    def _path(self, lead_id: int) -> Path:
        return self.folder / f"{self._prefix}-{lead_id}.txt"

    def write(self, lead_id: int, text: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._path(lead_id)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            log.warning("could not keep a draft of the note on lead %s", lead_id)

    def read(self, lead_id: int) -> str | None:
        try:
            return self._path(lead_id).read_text(encoding="utf-8")
        except OSError:
            return None

    def clear(self, lead_id: int, saved: str) -> None:
        """Drop the draft if what was stored is what it holds (not if typing went on)."""
        if self.read(lead_id) == saved:
            self._path(lead_id).unlink(missing_ok=True)


class NoteSaver(QObject):
    saved = Signal(int, str)  # lead id, text stored
    restored = Signal(int)  # a draft the store did not have was put back

    def __init__(self, desk: Desk, ops: Operations, drafts: Drafts, delay_ms: int) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._drafts = drafts
        self.lead_id: int | None = None
        self._text = ""
        self._stored = ""
        self._note_ids: dict[int, int] = {}  # written on the worker thread
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(delay_ms)
        self._pause.timeout.connect(self.flush)

    def open(self, lead_id: int, stored: tuple[int, str] | None) -> str:
        """Start editing the rep's note on ``lead_id``; returns the text to show."""
        if lead_id != self.lead_id:
            self.flush()
        self.lead_id = lead_id
        note_id, text = stored if stored is not None else (None, "")
        if note_id is not None:
            self._note_ids.setdefault(lead_id, note_id)
        self._stored = text
        self._text = text
        draft = self._drafts.read(lead_id)
        if draft is not None and draft != text:
            self._text = draft
            self.restored.emit(lead_id)
            self.flush()
        return self._text

    def close(self) -> None:
        self.flush()
        self.lead_id = None

    def typed(self, text: str) -> None:
        if self.lead_id is None or text == self._text:
            return
        self._text = text
        self._drafts.write(self.lead_id, text)
        self._pause.start()

    @property
    def pending(self) -> bool:
        return self.lead_id is not None and self._text != self._stored

    def flush(self) -> None:
        """Save now what was typed (after a pause, on leaving the lead, on closing)."""
        self._pause.stop()
        if not self.pending:
            return
        assert self.lead_id is not None
        lead_id, text = self.lead_id, self._text
        self._stored = text
        desk, ids, drafts = self._desk, self._note_ids, self._drafts

        def work() -> str:
            if lead_id not in ids and not text.strip():
                return text
            ids[lead_id] = desk.calls.save_note(lead_id, text, ids.get(lead_id))
            drafts.clear(lead_id, text)
            return text

        def done(stored: str) -> None:
            self.saved.emit(lead_id, stored)

        self._ops.run(work, done=done, changes={"notes"})
