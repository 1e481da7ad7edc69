"""The console's Lead definition tab: load a TOML file or edit the text, validate it (every
problem with its line), see what would change for reps against the current version, publish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import DefinitionDiff, DefinitionError, Desk, PublishResult, ShownDefinition
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations
from ui.console import dialogs as team_dialogs
from ui.console.leads import panel
from ui.console.models import when

EDITED = "edited in the console"
LINE_ROLE = Qt.ItemDataRole.UserRole


class DefinitionTab(QWidget):
    checked = Signal(bool)  # True when the text is valid

    def __init__(self, desk: Desk, ops: Operations, say: Callable[[str], None]) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._say = say
        self.source = EDITED
        self.current: ShownDefinition | None = None
        self.valid_text: str | None = None  # the text that last passed Validate

        self.version = QLabel("Loading the current version…")
        self.version.setObjectName("sectionTitle")
        self.load_button = QPushButton("Load file…")
        self.reset_button = QPushButton("Start from current")
        self.validate_button = QPushButton("Validate")
        self.publish_button = QPushButton("Publish…")
        self.publish_button.setObjectName("primary")
        self.publish_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.version, 1)
        top.addWidget(self.load_button)
        top.addWidget(self.reset_button)
        top.addWidget(self.validate_button)
        top.addWidget(self.publish_button)

        self.editor = QPlainTextEdit()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(font)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setAccessibleName("Lead definition (TOML)")
        self.position = QLabel()
        self.position.setObjectName("muted")
        self.file_label = QLabel(self.source)
        self.file_label.setObjectName("muted")
        below = QHBoxLayout()
        below.addWidget(self.file_label, 1)
        below.addWidget(self.position)
        editor_box = QWidget()
        editor_column = QVBoxLayout(editor_box)
        editor_column.setContentsMargins(0, 0, 0, 0)
        editor_column.addWidget(self.editor, 1)
        editor_column.addLayout(below)

        result, result_column = panel("Check")
        self.verdict = QLabel("Validate to check the text and see what would change.")
        self.verdict.setWordWrap(True)
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.setAccessibleName("Problems and changes")
        self.findings.setAccessibleDescription("Choosing a problem goes to its line")
        hint = QLabel("Click a problem to go to its line.")
        hint.setObjectName("help")
        result_column.addWidget(self.verdict)
        result_column.addWidget(self.findings, 1)
        result_column.addWidget(hint)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(editor_box)
        split.addWidget(result)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([760, 480])
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.load_button.clicked.connect(self.load_file)
        self.reset_button.clicked.connect(self.start_from_current)
        self.validate_button.clicked.connect(self.validate)
        self.publish_button.clicked.connect(self.publish)
        self.editor.textChanged.connect(self._edited)
        self.editor.cursorPositionChanged.connect(self._cursor_moved)
        self.findings.itemActivated.connect(self._go_to)
        self.findings.itemClicked.connect(self._go_to)
        ops.changed.connect(self._changed)
        self.refresh()

    # -- the current version --------------------------------------------------------------------

    def refresh(self) -> None:
        self._ops.run(self._desk.qualifying.definition, done=self._current_loaded)

    def _current_loaded(self, shown: ShownDefinition) -> None:
        first = self.current is None
        self.current = shown
        version = shown.published
        publisher = version.published_by_name or version.published_by
        by = f" by {publisher}" if publisher else ""
        # "BANT (default)" needs no "(BANT)" after it; "Our own" does.
        named = version.name
        if version.framework.casefold() not in named.casefold():
            named = f"{named} ({version.framework})"
        self.version.setText(
            f"Current: version {version.version} — {named}, "
            f"published {when(version.published_at)}{by}"
        )
        if first and not self.editor.toPlainText():
            self.start_from_current()

    def start_from_current(self) -> None:
        if self.current is None:
            return
        self._set_text(self.current.published.source_text, EDITED)
        self.verdict.setText("This is the current version. Edit it, then Validate.")

    def load_file(self) -> None:
        path = team_dialogs.ask_definition_file(self)
        if path is not None:
            self.load_path(path)

    def load_path(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            dialogs.warn(self, f"Could not read {path}: {exc}")
            return
        self._set_text(text, path.name)
        self.validate()

    def _set_text(self, text: str, source: str) -> None:
        self.source = source
        self.file_label.setText(source)
        self.editor.setPlainText(text)
        self.findings.clear()

    # -- checking ----------------------------------------------------------------------------------

    def validate(self) -> None:
        text, source = self.editor.toPlainText(), self.source
        desk = self._desk
        self.validate_button.setEnabled(False)
        self._ops.run(
            lambda: desk.qualifying.definition_diff(text, source),
            done=lambda diff: self._valid(text, diff),
            failed=self._invalid,
        )

    def _valid(self, text: str, diff: DefinitionDiff) -> None:
        self.validate_button.setEnabled(True)
        self.findings.clear()
        if text != self.editor.toPlainText():
            return  # edited while checking: the result is about older text
        self.valid_text = text
        current = diff.current.version if diff.current else None
        if not diff.changes:
            self.verdict.setText(
                f"✓ Valid. Same as version {current}: publishing would change nothing."
                if current
                else "✓ Valid."
            )
        else:
            count = len(diff.changes)
            self.verdict.setText(
                f"✓ Valid. {count} change{'s' if count != 1 else ''} for reps against "
                f"version {current}:"
            )
            for change in diff.changes:
                self.findings.addItem(QListWidgetItem(f"• {change}"))
        self.publish_button.setEnabled(bool(diff.changes) or current is None)
        self.checked.emit(True)

    def _invalid(self, error: LeadDeskError) -> None:
        self.validate_button.setEnabled(True)
        self.findings.clear()
        self.valid_text = None
        self.publish_button.setEnabled(False)
        if not isinstance(error, DefinitionError):
            self.verdict.setText(error.message)
            self.checked.emit(False)
            return
        count = len(error.problems)
        self.verdict.setText(
            f"✗ {count} problem{'s' if count != 1 else ''} to fix before publishing:"
        )
        for problem in error.problems:
            where = f"Line {problem.line}: " if problem.line else ""
            path = f"{problem.path}: " if problem.path else ""
            item = QListWidgetItem(f"{where}{path}{problem.message}")
            item.setData(LINE_ROLE, problem.line)
            self.findings.addItem(item)
        self.checked.emit(False)

    def _go_to(self, item: QListWidgetItem) -> None:
        line = item.data(LINE_ROLE)
        if not isinstance(line, int) or line < 1:
            return
        block = self.editor.document().findBlockByLineNumber(line - 1)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _edited(self) -> None:
        if self.valid_text is not None and self.editor.toPlainText() != self.valid_text:
            self.valid_text = None
            self.publish_button.setEnabled(False)
            self.verdict.setText("Edited since the last check: Validate again before publishing.")

    def _cursor_moved(self) -> None:
        cursor = self.editor.textCursor()
        self.position.setText(
            f"Line {cursor.blockNumber() + 1}, column {cursor.columnNumber() + 1}"
        )

    # -- publishing --------------------------------------------------------------------------------

    def publish(self) -> None:
        text = self.editor.toPlainText()
        if self.valid_text != text:
            self.validate()
            return
        after = self.current.published.version + 1 if self.current else 1
        note = team_dialogs.ask_note(self, f"This becomes version {after} for every rep.")
        if note is None:
            return
        desk, source = self._desk, self.source
        self._ops.run(
            lambda: desk.qualifying.publish_definition(text, source, note=note or None),
            done=self._published,
            changes={"definition"},
        )

    def _published(self, result: PublishResult) -> None:
        version = result.version.version
        self.publish_button.setEnabled(False)
        if result.created:
            self._say(f"Published lead definition version {version}.")
            said = f"Published as version {version}. Reps get it on their next lead."
            if result.added_stage_label is not None:
                moved = result.moved_to_added_stage
                said += f" {moved} new lead(s) moved to {result.added_stage_label}."
            self.verdict.setText(said)
        else:
            self._say(f"Same as version {version}: nothing published.")
        self.findings.clear()

    def _changed(self, changes: frozenset[str]) -> None:
        if "definition" in changes:
            self.refresh()
