"""A dialog whose form the core checks: an intro line, labelled fields, a place for the
refusal, and the buttons. The work runs off the GUI thread; while it does the buttons wait,
and a refusal is said in the dialog (nothing typed lost) with the field it names focused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from leaddesk.errors import LeadDeskError
from ui.common.forms import error_line, keep_wrapped_lines, say_refusal
from ui.common.operations import Operations


class CoreForm(QDialog):
    def __init__(
        self,
        ops: Operations,
        title: str,
        intro: str,
        ok: str,
        parent: QWidget | None = None,
        *,
        ok_button: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("muted")
        self.form = QFormLayout()
        self.error = error_line()
        self.buttons = QDialogButtonBox(ok_button | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(ok_button).setText(ok)  # its click is the subclass's to connect
        self.buttons.rejected.connect(self.reject)
        self.fields: Mapping[str, QWidget] = {}  # the core's field name -> its box

    def lay_out(self, *between: QWidget) -> None:
        """Intro, form, any ``between`` widgets, the refusal, the buttons; call once the form
        is filled."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        for widget in between:
            layout.addWidget(widget)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        keep_wrapped_lines(self)

    def send(self, work: Callable[[], Any], done: Callable[[Any], None], changes: set[str]) -> None:
        """Run ``work`` in the core; ``done`` with its result, then the dialog closes."""
        self.buttons.setEnabled(False)

        def finished(result: Any) -> None:
            self.buttons.setEnabled(True)
            done(result)
            self.accept()

        self._ops.run(work, done=finished, failed=self._refused, changes=changes)

    def _refused(self, error: LeadDeskError) -> None:
        self.buttons.setEnabled(True)
        say_refusal(self, self.error, error, self.fields)
