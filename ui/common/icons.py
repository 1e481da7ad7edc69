"""SVG icons from resources/icons, inked in the current look's text colour, crisp at any scale.

The SVGs draw with ``currentColor``; each is rendered at several pixel sizes (up to 3x for
HiDPI screens) rather than scaled from one bitmap.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from leaddesk.desk import resource_path
from ui.common.theme import colours

_SIZES = (16, 20, 24, 32, 40, 48, 64, 96)


@cache
def _svg(name: str) -> str:
    return resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")


@cache
def _icon(name: str, ink: str) -> QIcon:
    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", ink).encode()))
    icon = QIcon()
    for size in _SIZES:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def icon(name: str, ink: str | None = None) -> QIcon:
    """The icon ``name`` (a file in resources/icons), in ``ink`` or the look's text colour."""
    return _icon(name, ink or colours().ink)
