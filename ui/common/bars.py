"""Score bars that are painted with the rest of the window.

``QProgressBar.setValue`` repaints the bar at once (Qt does, so a busy bar moves while the GUI
thread is working); a score shown with a lead's other figures need not: it is painted on the
event loop's next turn, with everything else that changed, instead of once per bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar


def show_value(bar: QProgressBar, value: int) -> None:
    """Set ``bar`` to ``value`` (kept within its range), painted on the next turn."""
    value = max(bar.minimum(), min(bar.maximum(), value))
    if bar.value() == value:
        return
    bar.setUpdatesEnabled(False)  # setValue's repaint does nothing...
    bar.setValue(value)
    bar.setUpdatesEnabled(True)  # ...and this asks for the paint, with the rest
