"""The import's first step: the file (chosen, typed or dropped), its sheet, and the source the
leads came from. The file is looked at off the GUI thread; nothing is stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    QWizard,
)

from leaddesk.desk import ImportLook
from leaddesk.domain import Role
from leaddesk.errors import LeadDeskError
from leaddesk.settings import IMPORT_FOLDER
from ui.intake.job import ImportJob, Step, Work
from ui.intake.results import plural

IMPORTABLE = (".csv", ".tsv", ".txt", ".xlsx")
FILE_FILTER = "Lead exports (*.csv *.tsv *.txt *.xlsx);;All files (*)"


def importable_path(mime: QMimeData) -> Path | None:
    """The one local file a drag carries, if it looks like an export we read."""
    urls = [url for url in mime.urls() if url.isLocalFile()]
    if len(urls) != 1:
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in IMPORTABLE else None


def choose_file(parent: QWidget | None, folder: str) -> Path | None:
    """Ask for the file to import (tests replace this)."""
    name, _filter = QFileDialog.getOpenFileName(parent, "Import leads from", folder, FILE_FILTER)
    return Path(name) if name else None


def describe(look: ImportLook) -> str:
    """The file as read: its kind, encoding or sheet, and how many columns."""
    if look.format == "xlsx":
        kind = f"Excel workbook, sheet “{look.sheet}”" if look.sheet else "Excel workbook"
    else:
        separators = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        separated = separators.get(look.delimiter or ",", "comma")
        kind = f"CSV, {(look.encoding or 'utf-8').upper()}, {separated}-separated"
    said = f"{kind} · {plural(len(look.header), 'column')}"
    if len(look.sheets) > 1:
        said += f" · {len(look.sheets)} sheets: choose the one with the leads"
    return said


class ChoosePage(Step):
    def __init__(self, job: ImportJob) -> None:
        super().__init__(job, 0)
        self._advance = False  # go on to the columns once the file has been looked at
        self._go_on = False
        self._looks = 0
        intro = QLabel(
            "Import new interest from a marketing or CRM export (Salesforce, HubSpot, Marketo, "
            "LinkedIn, Apollo), an address book (Google Contacts, Outlook, Thunderbird) or any "
            "sheet with names, emails and phone numbers. "
            "Nothing is stored until you have seen the preview."
        )
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A .csv, .tsv, .txt or .xlsx file — or drop one here")
        self.path_edit.setAccessibleName("File")
        self.path_edit.editingFinished.connect(self._path_typed)
        self.path_edit.textChanged.connect(self.completeChanged)
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        self.file_info = QLabel()
        self.file_info.setObjectName("muted")
        self.sheet_box = QComboBox()
        self.sheet_box.setMaximumWidth(440)
        self.sheet_box.setAccessibleName("Sheet")
        self.sheet_box.activated.connect(self._sheet_chosen)
        self.source_box = QComboBox()
        self.source_box.setEditable(True)
        self.source_box.setMinimumWidth(260)
        self.source_box.setMaximumWidth(440)
        self.source_box.setToolTip(
            "Where these leads came from. The columns you confirm are remembered for it."
        )
        self.source_box.setAccessibleName("Source")
        self.source_box.setAccessibleDescription(
            "Where these leads came from; its columns are remembered"
        )
        line = self.source_box.lineEdit()
        assert line is not None
        line.setPlaceholderText("e.g. Webinar sign-ups")
        line.setMaxLength(64)
        line.setAccessibleName("Source")
        line.textChanged.connect(self.completeChanged)
        source_help = QLabel(
            "Each source keeps its own columns, reused the next time you import from it."
        )
        source_help.setObjectName("help")
        source_help.setWordWrap(True)
        # Marketing's reports cut by campaign: a file of one campaign says which, once.
        self.campaign_edit = QLineEdit()
        self.campaign_edit.setMaximumWidth(440)
        self.campaign_edit.setMaxLength(256)
        self.campaign_edit.setPlaceholderText("e.g. Spring webinar 2026 (optional)")
        self.campaign_edit.setToolTip(
            "The campaign of rows that name none; a Campaign column's value wins"
        )
        self.campaign_edit.setAccessibleName("Campaign")
        self.campaign_edit.textChanged.connect(
            lambda text: setattr(job, "campaign", " ".join(text.split()))
        )
        # A rep's own import stays theirs unless they tick this; others' follow the policy.
        self.share_box = QCheckBox("Gi&ve the new leads out by the team's policy")
        self.share_box.setToolTip("Unticked, the new leads of your own import stay yours")
        self.share_box.setAccessibleName("Give the new leads out by the team's policy")
        self.share_box.toggled.connect(self._share_toggled)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, row)
        form.addRow("", self.file_info)
        sheet_label = QLabel("S&heet:")  # under the file it belongs to
        sheet_label.setBuddy(self.sheet_box)
        form.addRow(sheet_label, self.sheet_box)
        source_label = QLabel("&Source:")
        source_label.setBuddy(self.source_box)
        form.addRow(source_label, self.source_box)
        form.addRow("", source_help)
        campaign_label = QLabel("Ca&mpaign:")
        campaign_label.setBuddy(self.campaign_edit)
        form.addRow(campaign_label, self.campaign_edit)
        form.addRow("", self.share_box)
        form.setRowVisible(self.sheet_box, False)
        form.setRowVisible(self.share_box, job.desk.actor.role == Role.QUALIFIER)
        self.form = form
        layout = self.body
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        # Tab goes down the page as it reads: the sheet row sits under the file.
        QWidget.setTabOrder(self.choose_button, self.sheet_box)
        QWidget.setTabOrder(self.sheet_box, self.source_box)

    def source_text(self) -> str:
        return " ".join(self.source_box.currentText().split())

    def isComplete(self) -> bool:
        filled = bool(self.path_edit.text().strip() and self.source_text())
        return filled and self.job.running is None

    def validatePage(self) -> bool:
        """Next: on to the columns if the file was looked at as it now stands; else look again
        (with the source typed, whose saved columns may differ) and go on when that is done."""
        if self._go_on:
            self._go_on = False
            return self.job.look is not None
        if not self.isComplete():
            return False
        look, path, source = self.job.look, Path(self.path_edit.text().strip()), self.source_text()
        if look is not None and look.path == path and look.source == source:
            self.job.source = source
            return True
        sheet = look.sheet if look is not None and look.path == path else None
        self._look(path, source or None, advance=True, sheet=sheet)
        return False

    def arrived(self) -> None:
        self.path_edit.setFocus()

    # -- the file --------------------------------------------------------------------------------

    def choose(self) -> None:
        folder = self.job.settings[IMPORT_FOLDER] or str(Path.home())
        path = choose_file(self, folder)
        if path is not None:
            self.set_file(path)

    def set_file(self, path: Path) -> None:
        """Start from this file (chosen, typed or dropped): look at it and suggest a source."""
        self.path_edit.setText(str(path))
        self.job.look = None
        self.source_box.setEditText("")
        self._look(path, None, advance=False)

    def _path_typed(self) -> None:
        text, look = self.path_edit.text().strip(), self.job.look
        if text and self.job.running is None and (look is None or str(look.path) != text):
            self.set_file(Path(text))

    def _share_toggled(self, on: bool) -> None:
        self.job.share = on

    def _sheet_chosen(self, _index: int) -> None:
        look, sheet = self.job.look, self.sheet_box.currentText()
        if look is not None and sheet != look.sheet and self.job.running is None:
            self._look(look.path, self.source_text() or None, advance=False, sheet=sheet)

    def _look(
        self, path: Path, source: str | None, *, advance: bool, sheet: str | None = None
    ) -> None:
        self._advance = advance
        self._looks += 1
        token = self._looks
        self.file_info.setText("Reading the file…")
        self.say(None)
        self.job.start(Work.LOOK)
        desk = self.job.desk
        # A newer file (chosen while this one was read) wins: earlier answers are dropped.
        self.job.ops.run(
            lambda: desk.intake.look(path, source=source, sheet=sheet),
            done=lambda look: self._looked(look) if token == self._looks else None,
            failed=lambda error: self._look_failed(error) if token == self._looks else None,
        )

    def _look_failed(self, error: LeadDeskError) -> None:
        self.job.look = None
        self.file_info.setText("")
        self.job.finish()
        self.say(f"Can't import this file. {error.message}")

    def _looked(self, look: ImportLook) -> None:
        self.job.look = look
        self.job.settings[IMPORT_FOLDER] = str(look.path.parent)
        self.file_info.setText(describe(look))
        self.source_box.clear()
        self.source_box.addItems(look.saved_sources)
        self.source_box.setEditText(look.source)
        self.sheet_box.clear()
        self.sheet_box.addItems(list(look.sheets))
        self.sheet_box.setCurrentText(look.sheet or "")
        self.form.setRowVisible(self.sheet_box, len(look.sheets) > 1)
        self.job.finish()
        wizard = self.wizard()
        if self._advance:
            self._advance = False
            self.job.source = look.source
            self._go_on = True
            wizard.next()
        else:
            next_button = wizard.button(QWizard.WizardButton.NextButton)
            if next_button is not None:
                next_button.setFocus()
