"""Reference sheets one key away: the lead definition's glossary (F1) and the shortcuts (?)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from leaddesk.desk import Definition
from ui.common import shortcuts
from ui.common.theme import NORMAL_TEXT, text_size_of

KEYS_WIDTH = 130  # px at the normal text size


class ReferenceSheet(QDialog):
    """A read-only page that stays open beside the window; Esc closes it."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        grow = text_size_of() / NORMAL_TEXT
        self.resize(round(620 * grow), round(600 * min(grow, 1.2)))
        self.text = QTextBrowser()
        self.text.setAccessibleName(title)
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def glossary_html(definition: Definition, version: int | None) -> str:
    shown = f" (version {version})" if version else ""
    parts = [
        f"<h2>{escape(definition.name)}{shown}</h2>",
        f"<p>{escape(definition.description)}</p>",
        "<h3>Lead types</h3><dl>",
    ]
    for entry in definition.glossary:
        parts.append(f"<dt><b>{escape(entry.label)}</b></dt><dd>{escape(entry.definition)}</dd>")
    parts.append("</dl><h3>Stages</h3><dl>")
    for stage in definition.stages:
        parts.append(f"<dt><b>{escape(stage.label)}</b></dt><dd>{escape(stage.definition)}</dd>")
    parts.append("</dl>")
    if definition.profile_description:
        parts.append(f"<h3>Who we sell to</h3><p>{escape(definition.profile_description)}</p>")
    return "".join(parts)


def shortcuts_html() -> str:
    parts = ["<h2>Keyboard shortcuts</h2>"]
    keys_width = round(KEYS_WIDTH * text_size_of() / NORMAL_TEXT)  # "Ctrl+Shift+C" on one line
    for group, rows in shortcuts.sheet():
        parts.append(f"<h3>{escape(group)}</h3><table cellpadding='4'>")
        for keys, what in rows:
            parts.append(
                f"<tr><td width='{keys_width}'><b><code>{escape(keys)}</code></b></td>"
                f"<td>{escape(what)}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<p>A no-answer call takes three keys: <b>N</b> (next), <b>C</b> (call), "
        "<b>2</b> (no answer).</p>"
    )
    return "".join(parts)
