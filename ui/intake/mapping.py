"""The import's column page: each column of the file, a few of its values, and the LeadDesk field
it feeds (or "keep as extra attribute"), pre-filled from the saved or detected mapping."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import CONTACT_FIELDS, Field, ImportLook, Mapping, Shape

FIELD_LABELS: dict[Field, str] = {
    Field.FULL_NAME: "Full name",
    Field.FIRST_NAME: "First name",
    Field.LAST_NAME: "Last name",
    Field.EMAIL: "Email",
    Field.PHONE: "Phone",
    Field.MOBILE: "Mobile",
    Field.COMPANY_PHONE: "Company phone (switchboard)",
    Field.OTHER_PHONE: "Other phone",
    Field.HOME_PHONE: "Home phone",
    Field.COMPANY: "Company",
    Field.TITLE: "Job title",
    Field.INDUSTRY: "Industry",
    Field.EMPLOYEES: "Employees",
    Field.COUNTRY: "Country",
    Field.STATE: "State / region",
    Field.CITY: "City",
    Field.ADDRESS: "Address",
    Field.WEBSITE: "Website",
    Field.SOURCE: "Lead source",
    Field.CAMPAIGN: "Campaign",
    Field.INQUIRY: "Inquiry / message",
    Field.ARRIVED_AT: "Date of the inquiry",
    Field.NOTES: "Notes",
    Field.CRM_ID: "CRM id",
    Field.ACCOUNT_ID: "Company's CRM id",
}
EXTRA_LABEL = "Keep as extra attribute"

SHAPE_WORDS: dict[Shape, str] = {
    Shape.SALESFORCE: "a Salesforce lead or contact report",
    Shape.HUBSPOT: "a HubSpot contacts export",
    Shape.MARKETO: "a Marketo list",
    Shape.LINKEDIN: "a LinkedIn lead-gen form download",
    Shape.LINKEDIN_CONNECTIONS: "a LinkedIn Connections export",
    Shape.GOOGLE_CONTACTS: "a Google Contacts export",
    Shape.OUTLOOK: "an Outlook address book",
    Shape.THUNDERBIRD: "a Thunderbird address book",
    Shape.APOLLO: "an Apollo export",
    Shape.BUSINESS_LIST: "a list of companies (one row per company)",
    Shape.PLAIN: "a plain name, email, phone, company sheet",
}
SAMPLE_CHARS = 60


def how_found(look: ImportLook) -> str:
    """One line on where the pre-filled mapping came from."""
    if look.problem is not None:
        return (
            "No email or phone column was recognised. Pick the column holding the email or phone."
        )
    if look.mapping_how.startswith("saved for "):
        return (
            f"Using the columns you confirmed for “{look.mapping_how.removeprefix('saved for ')}” "
            "last time. Check them, then preview."
        )
    shape = SHAPE_WORDS.get(look.mapping.shape)
    if shape is not None:
        return f"Recognised as {shape}. Check the columns, then preview."
    return "Not a known export: columns were matched by their names. Check them, then preview."


def samples_of(look: ImportLook, column: str) -> str:
    values = [row.get(column, "").strip() for row in look.samples]
    shown = " · ".join(value for value in values if value)
    if len(shown) > SAMPLE_CHARS:
        shown = shown[: SAMPLE_CHARS - 1].rstrip() + "…"
    return shown or "(empty)"


class MappingEditor(QWidget):
    """Column → field choosers. A field goes to one column only: picking it for another column
    turns the first back into an extra attribute, and ``note`` says so."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.look: ImportLook | None = None
        self.edited = False
        self.combos: dict[str, QComboBox] = {}
        self.found = QLabel()
        self.found.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(6)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.found)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.note)

    def show_look(self, look: ImportLook) -> None:
        self.look = look
        self.edited = False
        self.found.setText(how_found(look))
        self.note.setText("")
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos = {}
        for column, title in enumerate(("Column in the file", "Sample values", "Becomes")):
            heading = QLabel(title)
            heading.setObjectName("panelTitle")
            self._grid.addWidget(heading, 0, column)
        previous: QWidget | None = None
        for row, name in enumerate(look.header, start=1):
            label = QLabel(name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            sample = QLabel(samples_of(look, name))
            sample.setObjectName("muted")
            sample.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            sample.setToolTip("\n".join(row.get(name, "") for row in look.samples))
            combo = QComboBox()
            combo.setAccessibleName(f"Field for column {name}")
            combo.addItem(EXTRA_LABEL, None)
            for field, words in FIELD_LABELS.items():
                combo.addItem(words, field.value)
            mapped = look.mapping.columns.get(name)
            combo.setCurrentIndex(combo.findData(mapped.value) if mapped is not None else 0)
            combo.currentIndexChanged.connect(lambda _i, n=name: self._picked(n))
            label.setBuddy(combo)
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(sample, row, 1)
            self._grid.addWidget(combo, row, 2)
            if previous is not None:
                QWidget.setTabOrder(previous, combo)
            previous = combo
            self.combos[name] = combo
        self._grid.setColumnStretch(0, 2)
        self._grid.setColumnStretch(1, 3)
        self._grid.setColumnStretch(2, 2)
        self._grid.setRowStretch(len(look.header) + 1, 1)
        self._scroll.verticalScrollBar().setValue(0)
        self.changed.emit()

    def focus_first(self) -> None:
        if self.combos:
            next(iter(self.combos.values())).setFocus()

    def set_field(self, column: str, target: Field | None) -> None:
        """Choose the field for a column, as the user would (tests and keyboard alike)."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(target.value) if target is not None else 0)

    def _picked(self, column: str) -> None:
        self.edited = True
        target = self.combos[column].currentData()
        moved = ""
        if target is not None:
            for other, combo in self.combos.items():
                if other != column and combo.currentData() == target:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
                    moved = f"“{other}” is now kept as an extra attribute."
        self.note.setText(moved)
        self.changed.emit()

    def mapping(self) -> Mapping:
        """The mapping as chosen; the detected shape is kept unless the user changed anything."""
        assert self.look is not None
        columns = {
            name: Field(combo.currentData())
            for name, combo in self.combos.items()
            if combo.currentData() is not None
        }
        extras = tuple(name for name in self.combos if name not in columns)
        if not self.edited and self.look.problem is None:
            found = self.look.mapping
            return Mapping(columns, extras, found.shape, found.confidence)
        return Mapping(columns, extras, Shape.CUSTOM, 1.0)

    def identifies(self) -> bool:
        """True when some column gives an email or a phone: without one no row is a lead."""
        chosen = {combo.currentData() for combo in self.combos.values()}
        return any(target.value in chosen for target in CONTACT_FIELDS)
