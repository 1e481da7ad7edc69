"""Overriding the suggested verdict: pick what to record instead and say why (required)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Definition, Suggestion
from leaddesk.domain import LeadType, Verdict
from ui.common.forms import keep_wrapped_lines, labelled, lines_high


@dataclass(frozen=True)
class OverrideRequest:
    person: str
    definition: Definition
    suggestion: Suggestion


@dataclass(frozen=True)
class OverrideChoice:
    verdict: Verdict
    lead_type: LeadType
    reason: str


class OverrideDialog(QDialog):
    def __init__(self, request: OverrideRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Override the suggestion for {request.person}")
        self.setMinimumWidth(460)
        definition, suggestion = request.definition, request.suggestion
        said = QLabel(
            f"Suggested: {suggestion.verdict.choice} — "
            f"{definition.lead_type_label(suggestion.lead_type)}.\n{suggestion.reason}"
        )
        said.setWordWrap(True)
        said.setObjectName("muted")
        self.verdict = QComboBox()
        for verdict in Verdict:
            self.verdict.addItem(verdict.choice, verdict)
        self.lead_type = QComboBox()
        for lead_type in LeadType:
            self.lead_type.addItem(definition.lead_type_label(lead_type), lead_type)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why? Sales and your team lead will read this.")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(lines_high(self.reason, 4))
        form = QFormLayout()
        labelled(form, "Record &instead:", self.verdict, "The verdict to give instead")
        labelled(form, "Lead &type:", self.lead_type)
        labelled(form, "&Reason:", self.reason, "Required: sales and your team lead read it")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record override")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.verdict.currentIndexChanged.connect(self._verdict_changed)
        self.reason.textChanged.connect(self._update)
        other = next(v for v in Verdict if v is not suggestion.verdict)
        self.verdict.setCurrentIndex(self.verdict.findData(other))
        self._verdict_changed()
        keep_wrapped_lines(self)
        self.verdict.setFocus()

    def _verdict_changed(self) -> None:
        # The lead type the verdict usually goes with, preselected when the verdict changes.
        usual = Verdict(self.verdict.currentData()).usual_lead_type
        if usual is not None:
            self.lead_type.setCurrentIndex(self.lead_type.findData(usual))
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def choice(self) -> OverrideChoice:
        return OverrideChoice(
            verdict=self.verdict.currentData(),
            lead_type=self.lead_type.currentData(),
            reason=self.reason.toPlainText().strip(),
        )
