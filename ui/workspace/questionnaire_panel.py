"""The questionnaire during a connected call: the lead definition's questions in order, live
fit / interest / framework scores, the suggested verdict and the rules behind it.

Every answer is saved the moment it is given (one core call each); the panel re-shows what
the core evaluates, so branches open and close as the rep answers. Confirm takes the
suggestion; override asks for a verdict and a reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Definition, Desk, Qualification, Question, ShownDefinition
from leaddesk.errors import LeadDeskError
from ui.common import dialogs, shortcuts
from ui.common.bars import show_value
from ui.common.icons import icon
from ui.common.operations import Operations
from ui.workspace.override_dialog import OverrideRequest
from ui.workspace.question_fields import QuestionField
from ui.workspace.salesperson_picker import ROUTED, SalespersonPicker


def _empty(layout: QLayout) -> None:
    """Take every widget out of a layout at once (deleteLater alone leaves them painted)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


def score_bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setObjectName(name)
    bar.setRange(0, 100)
    bar.setTextVisible(False)
    return bar


def _required_left(qualification: Qualification) -> tuple[Question, ...]:
    """The required questions the suggestion still waits for (none once a knock-out decided)."""
    evaluation = qualification.evaluation
    return () if evaluation.suggestion.knockout else evaluation.required_left


def _questions_left(left: tuple[Question, ...]) -> str:
    count = len(left)
    return f"{count} required question{'s' if count != 1 else ''} unanswered"


class _ScoresColumn(QWidget):
    """300 px where there is room; 250 on a small laptop screen, where the questions need
    the width more (it asks for 250 and takes a share of what is left, up to 300)."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumWidth(250)
        self.setMaximumWidth(300)

    def sizeHint(self) -> QSize:
        return QSize(250, super().sizeHint().height())


class QuestionnairePanel(QFrame):
    verdict_given = Signal(object)  # VerdictInfo
    shown = Signal(object)  # the Qualification now on screen (its live scores, for the card)

    def __init__(self, desk: Desk, ops: Operations) -> None:
        super().__init__()
        self.setObjectName("questionnairePanel")
        self._desk = desk
        self._ops = ops
        self.lead_id: int | None = None
        self.qualification: Qualification | None = None
        self.fields: dict[str, QuestionField] = {}
        self._sections: list[tuple[QWidget, list[str]]] = []
        # The lead's version as last seen by work on the worker thread: the verdict (also on
        # the worker, after any answers queued before it) checks against this.
        self._seen_version: int | None = None
        # How long the connected call has run, as the call timer counts it (the window wires
        # it to the call cycle); the verdict ends the call with this length.
        self.call_seconds: Callable[[], int | None] = lambda: None
        self.axis_bars: dict[str, QProgressBar] = {}
        # Which questions the fields were built for (version, framework, currency): the next
        # lead under the same ones reuses them.
        self._form: tuple[object, ...] | None = None

        self.title = QLabel("Questionnaire")
        self.title.setObjectName("personName")
        # A long name and company take two lines on a narrow window rather than widen it.
        self.title.setWordWrap(True)
        self.framework = QLabel()
        self.framework.setObjectName("muted")
        self.completeness = score_bar("frameworkBar")
        self.completeness_text = QLabel()
        self.completeness_text.setObjectName("muted")
        header = QGridLayout()
        header.addWidget(self.title, 0, 0)
        header.addWidget(self.completeness_text, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.framework, 1, 0)
        header.addWidget(self.completeness, 1, 1)
        header.setColumnStretch(0, 1)
        header.setColumnMinimumWidth(1, 200)

        self.form = QWidget()
        self.form_layout = QVBoxLayout(self.form)
        self.form_layout.setContentsMargins(4, 0, 12, 0)
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.form)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setAccessibleName("Questions")

        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(self._caption("SCORES"))
        self.bars: dict[str, tuple[QProgressBar, QLabel]] = {}
        self.score_grid = QGridLayout()
        self.score_grid.setVerticalSpacing(4)
        for row, (key, label, bar_name) in enumerate(
            (
                ("fit", "Fit", "fitBar"),
                ("interest", "Interest", "interestBar"),
                ("framework", "Framework", "frameworkBar"),
            )
        ):
            self._add_score(row, key, label, bar_name)
        side.addLayout(self.score_grid)
        self.axes_grid = QGridLayout()
        self.axes_grid.setVerticalSpacing(2)
        side.addLayout(self.axes_grid)

        self.card = QFrame()
        self.card.setObjectName("suggestionCard")
        card = QVBoxLayout(self.card)
        self.suggested = QLabel()
        self.suggested.setObjectName("suggestionVerdict")
        self.suggested.setWordWrap(True)
        # The lead type on a line of its own, named, so "Hand off to sales" and "Sales-worthy"
        # do not read as one phrase.
        self.suggested_type = QLabel()
        self.suggested_type.setObjectName("suggestionType")
        self.suggested_type.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.fired = QLabel()
        self.fired.setObjectName("help")
        self.fired.setWordWrap(True)
        card.addWidget(self._caption("SUGGESTED VERDICT"))
        card.addWidget(self.suggested)
        card.addWidget(self.suggested_type)
        card.addWidget(self.reason)
        card.addWidget(self._caption("BECAUSE"))
        card.addWidget(self.fired)
        side.addWidget(self.card)
        self.salesperson = SalespersonPicker(desk, ops)
        side.addWidget(self.salesperson)

        self.confirm_button = QPushButton(icon("check"), "Confirm   Ctrl+Enter")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.setAccessibleName("Confirm the suggested verdict")
        self.confirm_button.setAccessibleDescription(f"Key {shortcuts.CONFIRM.label}")
        self.override_button = QPushButton(icon("override"), "Override…   O")
        self.override_button.setAccessibleName("Override the suggestion")
        self.override_button.setAccessibleDescription(f"Key {shortcuts.OVERRIDE.label}")
        self.next_question = QLabel()
        self.next_question.setObjectName("help")
        self.next_question.setWordWrap(True)
        side.addWidget(self.confirm_button)
        side.addWidget(self.override_button)
        side.addWidget(self.next_question)
        side.addStretch(1)
        side_box = _ScoresColumn()
        side_box.setLayout(side)

        body = QHBoxLayout()
        body.addWidget(self.scroller, 3)
        body.addWidget(side_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addLayout(header)
        layout.addLayout(body, 1)

        self.confirm_action = QAction("Confirm the suggested verdict", self)
        self.confirm_action.setShortcuts(shortcuts.CONFIRM.sequences())
        self.confirm_action.triggered.connect(self.confirm)
        self.override_action = QAction("Override the suggestion…", self)
        self.override_action.setShortcuts(shortcuts.OVERRIDE.sequences())
        self.override_action.triggered.connect(self.override)
        self.addActions([self.confirm_action, self.override_action])
        self.confirm_button.clicked.connect(self.confirm)
        self.override_button.clicked.connect(self.override)
        ops.changed.connect(self._changed)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("panelTitle")
        return label

    def _add_score(self, row: int, key: str, label: str, bar_name: str) -> None:
        name = QLabel(label)
        name.setObjectName("scoreName")
        bar = score_bar(bar_name)
        value = QLabel("0")
        value.setMinimumWidth(28)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.score_grid.addWidget(name, row, 0)
        self.score_grid.addWidget(bar, row, 1)
        self.score_grid.addWidget(value, row, 2)
        self.bars[key] = (bar, value)

    # -- opening a lead ----------------------------------------------------------------------

    def start(self, lead_id: int) -> None:
        self.lead_id = lead_id
        self.qualification = None
        self._ops.run(lambda: self._seen(self._desk.qualifying.evaluate(lead_id)), done=self._build)

    def stop(self) -> None:
        for field in self.fields.values():
            field.flush()
        self.lead_id = None

    def prepare(self, shown: ShownDefinition) -> None:
        """Build the published version's questions before the first call, while the rep reads
        the queue, so that "connected" shows them without building tens of widgets on the
        GUI thread at that moment."""
        if self.lead_id is None and not self.fields:
            self._make_form(shown.definition, shown.published.version)

    def _build(self, qualification: Qualification) -> None:
        if qualification.lead_id != self.lead_id:
            return
        # The same questions as the lead before (or as prepared): its answers shown in the
        # fields already built.
        self._make_form(qualification.definition, qualification.definition_version)
        for question_id, field in self.fields.items():
            field.set_answer(qualification.answers.get(question_id))
        self._titled(qualification)

    def _make_form(self, definition: Definition, version: int | None) -> None:
        form = (version, definition.name, definition.currency)
        if self.fields and version is not None and form == self._form:
            return
        self._form = form
        _empty(self.form_layout)
        _empty(self.axes_grid)
        self.fields = {}
        self._sections = []
        self.axis_bars = {}
        for row, axis in enumerate(definition.scoring.axes):
            letter = QLabel(axis.letter)
            letter.setObjectName("scoreName")
            bar = score_bar("frameworkBar")
            name = QLabel(axis.label)
            name.setObjectName("help")
            self.axes_grid.addWidget(letter, row, 0)
            self.axes_grid.addWidget(bar, row, 1)
            self.axes_grid.addWidget(name, row, 2)
            self.axis_bars[axis.id] = bar
        self.axes_grid.setColumnStretch(1, 1)
        for section in definition.sections:
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 4, 0, 4)
            box_layout.setSpacing(0)
            title = QLabel(section.title)
            title.setObjectName("sectionTitle")
            box_layout.addWidget(title)
            if section.intro:
                intro = QLabel(section.intro)
                intro.setObjectName("help")
                intro.setWordWrap(True)
                box_layout.addWidget(intro)
            ids = []
            for question in section.questions:
                field = QuestionField(question, None, definition.currency)
                field.answered.connect(self._answer)
                self.fields[question.id] = field
                box_layout.addWidget(field)
                ids.append(question.id)
            self._sections.append((box, ids))
            self.form_layout.addWidget(box)
        self.form_layout.addStretch(1)

    def _titled(self, qualification: Qualification) -> None:
        definition = qualification.definition
        company = f" · {qualification.company}" if qualification.company else ""
        self.title.setText(f"{qualification.person}{company}")
        version = (
            f" v{qualification.definition_version}" if qualification.definition_version else ""
        )
        self.framework.setText(f"{definition.name}{version}: * marks required questions")
        self._show(qualification)
        self.focus_next_question()

    # -- answers and the live evaluation -----------------------------------------------------

    def _answer(self, question_id: str, value: object) -> None:
        lead_id = self.lead_id
        if lead_id is None:
            return
        desk = self._desk
        field = self.fields[question_id]
        self._ops.run(
            lambda: self._seen(desk.qualifying.answer(lead_id, {question_id: value})),
            done=self._show,
            failed=lambda error: field.show_error(error.message),
            changes={"qualification"},
        )

    def _changed(self, changes: frozenset[str]) -> None:
        # A renewed claim bumps the lead's version; read it again so the verdict's check holds.
        if "claim" in changes and self.lead_id is not None and self.isVisible():
            lead_id = self.lead_id
            desk = self._desk
            self._ops.run(lambda: self._seen(desk.qualifying.evaluate(lead_id)), done=self._show)

    def _seen(self, qualification: Qualification) -> Qualification:
        self._seen_version = qualification.lead_version
        return qualification

    def _show(self, qualification: Qualification) -> None:
        if qualification.lead_id != self.lead_id:
            return
        self.qualification = qualification
        evaluation = qualification.evaluation
        definition = qualification.definition
        visible = {state.question.id for state in evaluation.questions}
        for question_id, field in self.fields.items():
            field.setVisible(question_id in visible)
        for box, ids in self._sections:
            box.setVisible(any(question_id in visible for question_id in ids))
        percent = round(evaluation.completeness * 100)
        show_value(self.completeness, percent)
        self.completeness_text.setText(f"{percent}% answered")
        scores = evaluation.scores
        for key, value, reasons in (
            ("fit", scores.fit, scores.fit_reasons),
            ("interest", scores.interest, scores.interest_reasons),
            ("framework", scores.framework, ()),
        ):
            bar, label = self.bars[key]
            show_value(bar, value)
            label.setText(str(value))
            bar.setToolTip("\n".join(reasons) or "Nothing counted yet")
        self._show_axes(qualification)
        suggestion = evaluation.suggestion
        self.suggested.setText(suggestion.verdict.choice)
        lead_type = definition.lead_type_label(suggestion.lead_type)
        self.suggested_type.setText(f"Lead type: {lead_type}")
        self.reason.setText(suggestion.reason)
        self.fired.setText("\n".join(f"• {line}" for line in evaluation.fired))
        self.salesperson.show_for(qualification.lead_id, suggestion.verdict)
        upcoming = evaluation.next_questions
        self.next_question.setText(f"Next: {upcoming[0].text}" if upcoming else "All answered.")
        left = _required_left(qualification)
        self.confirm_button.setToolTip(
            f"{_questions_left(left)} before the suggestion can be confirmed; "
            "O overrides with a reason."
            if left
            else "Record the suggested verdict."
        )
        self.shown.emit(qualification)

    def _show_axes(self, qualification: Qualification) -> None:
        for axis in qualification.evaluation.scores.axes:
            bar = self.axis_bars.get(axis.axis.id)
            if bar is not None:
                show_value(bar, axis.score)
                bar.setToolTip(f"{axis.axis.label}: {axis.earned:g} of {axis.possible:g} points")

    def focus_next_question(self) -> None:
        if self.qualification is None:
            return
        for question in self.qualification.evaluation.next_questions:
            field = self.fields.get(question.id)
            if field is not None and not field.isHidden():
                field.first_input().setFocus()
                self.scroller.ensureWidgetVisible(field)
                return

    # -- verdicts ---------------------------------------------------------------------------

    def confirm(self) -> None:
        qualification = self.qualification
        if qualification is None or self.lead_id is None:
            return
        self.stop_typing()
        left = _required_left(qualification)
        if left:
            # The core refuses it too; here the rep is told why and taken to the question.
            self.next_question.setText(
                f"Not yet: {_questions_left(left)}. Answer them, or press O to override "
                "with a reason."
            )
            self.focus_next_question()
            return
        suggestion = qualification.suggestion
        seconds = self.call_seconds()
        to = self.salesperson.picked()
        self._give(
            qualification,
            lambda desk: desk.qualifying.give_verdict(
                qualification.lead_id,
                suggestion.verdict,
                expected_version=self._version(),
                call_seconds=seconds,
                to=to,
            ),
        )

    def override(self) -> None:
        qualification = self.qualification
        if qualification is None or self.lead_id is None:
            return
        self.stop_typing()
        choice = dialogs.ask_override(
            self,
            OverrideRequest(
                qualification.person, qualification.definition, qualification.suggestion
            ),
        )
        if choice is None:
            return
        seconds = self.call_seconds()
        to = self.salesperson.picked() if choice.verdict in ROUTED else None
        self._give(
            qualification,
            lambda desk: desk.qualifying.give_verdict(
                qualification.lead_id,
                choice.verdict,
                choice.reason,
                lead_type=choice.lead_type,
                expected_version=self._version(),
                call_seconds=seconds,
                to=to,
            ),
        )

    def stop_typing(self) -> None:
        for field in self.fields.values():
            field.flush()

    def _version(self) -> int | None:
        # Called on the worker when the verdict runs, after any answer queued before it.
        return self._seen_version

    def _give(self, qualification: Qualification, work: object) -> None:
        desk = self._desk
        assert callable(work)

        def failed(error: LeadDeskError) -> None:
            dialogs.warn(self, error.message)

        self._ops.run(
            lambda: work(desk),
            done=self._given,
            failed=failed,
            changes={"queue", "lead", "status"},
        )

    def _given(self, verdict: object) -> None:
        self.lead_id = None
        self.qualification = None
        self.verdict_given.emit(verdict)
