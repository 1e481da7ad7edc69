"""File ▸ Sync settings… (admins): the team's connector (files, Salesforce or HubSpot), where
it goes, the secret (to this computer's keyring), and the field mapping, shown before the
first send and editable here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import (
    SYNC_CONNECTORS,
    SYNC_VALUES,
    Desk,
    SyncCheck,
    SyncSettings,
    sync_default_settings,
)
from ui.common.operations import Operations

DEFAULT_LOGIN = "https://login.salesforce.com"
SECRET_LABELS = {"salesforce": "Client secret", "hubspot": "Private app token"}
MAPPING_HEADERS = {"salesforce": "Salesforce Lead field", "hubspot": "HubSpot contact property"}


class SyncSettingsDialog(QDialog):
    def __init__(
        self, desk: Desk, ops: Operations, settings: SyncSettings | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.desk, self.ops = desk, ops
        self.setWindowTitle("Sync settings")
        self.connector = QComboBox()
        for name, label in SYNC_CONNECTORS.items():
            self.connector.addItem(label, name)
        self.login_url = QLineEdit(settings.login_url if settings else DEFAULT_LOGIN)
        self.client_id = QLineEdit(settings.client_id if settings else "")
        self.client_secret = QLineEdit()
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setPlaceholderText("kept in this computer's keyring; empty keeps it")
        self.folder = QLineEdit(settings.folder if settings else "")
        self.api_url = QLineEdit(settings.api_url if settings else "")
        self.api_url.setPlaceholderText("https://api.hubapi.com")
        self.leads_object = QCheckBox("The portal has HubSpot's leads object")
        self.leads_object.setChecked(settings.leads_object if settings else True)
        self.saved = settings
        self.mapping = QTableWidget(0, 2)
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.setColumnWidth(0, 240)
        self.mapping.setToolTip(f"LeadDesk values: {', '.join(SYNC_VALUES)}")
        self.external_id = QLabel()
        self.external_id.setWordWrap(True)
        self.check_words = QLabel()
        self.check_words.setWordWrap(True)
        self.check_words.setObjectName("syncCheck")

        form = QFormLayout()
        form.addRow("Send hand-offs to", self.connector)
        form.addRow("Salesforce sign-in", self.login_url)
        form.addRow("Connected app's client id", self.client_id)
        form.addRow("HubSpot API address", self.api_url)
        form.addRow("Client secret", self.client_secret)
        form.addRow("", self.leads_object)
        form.addRow("Batch folder (files)", self.folder)
        self.form = form
        self.test_button = QPushButton("Test the connection")
        self.test_button.clicked.connect(self.test)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.external_id)
        layout.addWidget(self.mapping)
        layout.addWidget(self.test_button)
        layout.addWidget(self.check_words)
        layout.addWidget(buttons)
        self.connector.currentIndexChanged.connect(self._show_fields)
        if settings is not None:
            self.connector.setCurrentIndex(self.connector.findData(settings.connector))
        else:
            self.connector.setCurrentIndex(self.connector.findData("salesforce"))
        self._show_fields()
        self.resize(560, 560)

    @property
    def chosen(self) -> str:
        return str(self.connector.currentData())

    def _show_fields(self) -> None:
        chosen = self.chosen
        salesforce, hubspot = chosen == "salesforce", chosen == "hubspot"
        self.login_url.setEnabled(salesforce)
        self.client_id.setEnabled(salesforce)
        self.api_url.setEnabled(hubspot)
        self.leads_object.setEnabled(hubspot)
        self.client_secret.setEnabled(salesforce or hubspot)
        self.mapping.setEnabled(salesforce or hubspot)
        self.folder.setEnabled(chosen == "files")
        label = self.form.labelForField(self.client_secret)
        if isinstance(label, QLabel):
            label.setText(SECRET_LABELS.get(chosen, "Client secret"))
        if chosen in MAPPING_HEADERS:
            self._show_mapping(chosen)

    def _show_mapping(self, connector: str) -> None:
        """The saved mapping for the saved connector, else the chosen CRM's own fields."""
        saved = self.saved
        shown = (
            saved
            if saved is not None and saved.connector == connector
            else sync_default_settings(connector)
        )
        self.mapping.setHorizontalHeaderLabels([MAPPING_HEADERS[connector], "LeadDesk value"])
        self.mapping.setRowCount(0)
        for crm_field, value in sorted(shown.mapping.items()):
            row = self.mapping.rowCount()
            self.mapping.insertRow(row)
            self.mapping.setItem(row, 0, QTableWidgetItem(crm_field))
            self.mapping.setItem(row, 1, QTableWidgetItem(value))
        if connector == "hubspot":
            self.external_id.setText(
                "Each hand-off is one contact (by email) with a lead found again by "
                f"{shown.external_id_field} (the LeadDesk lead id) and a note with the "
                "qualification. LeadDesk never creates a deal."
            )
        else:
            self.external_id.setText(
                f"Each hand-off is one Lead, upserted by {shown.external_id_field} (the "
                "LeadDesk lead id), with a Task for the call. LeadDesk never creates an "
                "opportunity."
            )

    def _mapping(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for row in range(self.mapping.rowCount()):
            crm, value = self.mapping.item(row, 0), self.mapping.item(row, 1)
            if crm is not None and crm.text().strip():
                pairs[crm.text().strip()] = value.text().strip() if value is not None else ""
        return pairs

    def _setup(self) -> SyncSettings:
        if self.chosen == "files":
            return self.desk.sync.setup("files", folder=self.folder.text())
        if self.chosen == "hubspot":
            return self.desk.sync.setup(
                "hubspot",
                api_url=self.api_url.text() or None,
                client_secret=self.client_secret.text() or None,
                leads_object=self.leads_object.isChecked(),
                mapping=self._mapping(),
            )
        return self.desk.sync.setup(
            "salesforce",
            login_url=self.login_url.text(),
            client_id=self.client_id.text(),
            client_secret=self.client_secret.text() or None,
            mapping=self._mapping(),
        )

    def save(self) -> None:
        self.ops.run(self._setup, done=lambda _settings: self.accept(), changes=("sync",))

    def test(self) -> None:
        self.check_words.setText("Checking…")

        def check() -> SyncCheck:
            self._setup()
            return self.desk.sync.check()

        words = self.check_words
        self.ops.run(check, done=self.show_check, failed=lambda e: words.setText(e.message))

    def show_check(self, check: SyncCheck) -> None:
        if check.unreachable:
            self.check_words.setText(f"Could not check: {check.unreachable}")
        elif check.ok:
            self.check_words.setText("Signed in; the field mapping fits. Hand-offs will sync.")
        else:
            todo = "\n• ".join(check.problems)
            self.check_words.setText(f"To fix before the first send:\n• {todo}")
