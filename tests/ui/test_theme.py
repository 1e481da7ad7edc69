"""The light and dark looks: the images their style sheets name ship with LeadDesk, spin
boxes show step arrows and answers show their circles and boxes where a rep can see them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QFile, QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDoubleSpinBox,
    QRadioButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QStyleOptionSpinBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from leaddesk.files.resources import resource_path
from ui.common.theme import SEARCH_PREFIX, apply_theme

LOOKS = ("light", "dark")
URL = re.compile(r"url\(\s*([^)]+?)\s*\)")


def named_images(look: str) -> list[str]:
    sheet = resource_path("styles", f"{look}.qss").read_text(encoding="utf-8")
    return URL.findall(sheet)


@pytest.mark.parametrize("look", LOOKS)
def test_every_image_a_style_sheet_names_ships_and_draws(look: str) -> None:
    names = named_images(look)
    # The step and drop-down arrows, each also in its greyed form.
    assert {Path(name).name for name in names} >= {
        "up.svg",
        "down.svg",
        "up-off.svg",
        "down-off.svg",
    }
    for name in names:
        prefix, _, relative = name.partition(":")
        # Found through the search path, so the sheet works from a checkout, a wheel or a bundle.
        assert prefix == SEARCH_PREFIX, name
        path = resource_path(*relative.split("/"))
        assert path.is_file(), f"{look}.qss names {name}, which is not in resources/"
        assert QSvgRenderer(str(path)).isValid(), f"{path} is not a drawable SVG"
        assert f"/{look}/" in relative, f"{look}.qss borrows another look's image: {name}"


def test_applying_a_look_lets_qt_find_the_images_it_names(
    qapp: QApplication, restore_look: None
) -> None:
    apply_theme(qapp, "dark")
    for name in named_images("dark"):
        assert QFile.exists(name), name


def stroke_pixels(image: QImage, area: QRect, colour: str) -> int:
    """Pixels in ``area`` drawn in (nearly) the arrow's colour."""
    want = QColor(colour)
    found = 0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            got = image.pixelColor(QPoint(x, y))
            if (
                abs(got.red() - want.red())
                + abs(got.green() - want.green())
                + abs(got.blue() - want.blue())
                < 40
            ):
                found += 1
    return found


def svg_stroke(look: str, name: str) -> str:
    text = resource_path("styles", look, name).read_text(encoding="utf-8")
    match = re.search(r'stroke="(#[0-9a-fA-F]{6})"', text)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("look", LOOKS)
def test_spin_boxes_show_their_step_arrows_whole(
    qtbot: QtBot, qapp: QApplication, restore_look: None, look: str
) -> None:
    apply_theme(qapp, look)
    form = QWidget()
    column = QVBoxLayout(form)
    free = QSpinBox()
    free.setValue(5)
    at_top = QDoubleSpinBox()
    at_top.setRange(0, 10)
    at_top.setValue(10)  # can only go down: its up arrow is greyed
    column.addWidget(free)
    column.addWidget(at_top)
    qtbot.addWidget(form)
    form.resize(240, 100)
    with qtbot.waitExposed(form):
        form.show()
    live, off = svg_stroke(look, "up.svg"), svg_stroke(look, "up-off.svg")

    def buttons(box: QSpinBox | QDoubleSpinBox) -> tuple[QImage, QRect, QRect]:
        option = QStyleOptionSpinBox()
        box.initStyleOption(option)
        style = box.style()
        up = style.subControlRect(
            QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxUp, box
        )
        down = style.subControlRect(
            QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxDown, box
        )
        return box.grab().toImage(), up, down

    image, up, down = buttons(free)
    assert up.isValid() and down.isValid() and up.bottom() < down.bottom()
    assert stroke_pixels(image, up, live) >= 6, "no up arrow drawn"
    assert stroke_pixels(image, down, live) >= 6, "no down arrow drawn"
    # Whole: nothing of the arrow touches the edge of its button, where it would be cut off.
    for rect in (up, down):
        inner = rect.adjusted(1, 1, -1, -1)
        assert stroke_pixels(image, rect, live) == stroke_pixels(image, inner, live)

    image, up, down = buttons(at_top)
    assert stroke_pixels(image, up, off) >= 6 and stroke_pixels(image, up, live) == 0
    assert stroke_pixels(image, down, live) >= 6


def luminance(colour: QColor) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.red())
        + 0.7152 * linear(colour.green())
        + 0.0722 * linear(colour.blue())
    )


def best_contrast(image: QImage, area: QRect, background: QColor) -> float:
    """The highest contrast ratio (WCAG) of any pixel in ``area`` against ``background``."""
    back = luminance(background)
    best = 1.0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            ink = luminance(image.pixelColor(QPoint(x, y)))
            lighter, darker = max(ink, back), min(ink, back)
            best = max(best, (lighter + 0.05) / (darker + 0.05))
    return best


@pytest.mark.parametrize("look", LOOKS)
def test_unticked_radio_buttons_and_check_boxes_can_be_seen(
    qtbot: QtBot, qapp: QApplication, restore_look: None, look: str
) -> None:
    """An answer not yet picked still shows its circle or box: at least 3:1 against the panel,
    as a control's outline needs to be seen (WCAG non-text contrast)."""
    apply_theme(qapp, look)
    form = QWidget()
    form.setObjectName("questionnairePanel")  # the panel the answers sit on
    column = QVBoxLayout(form)
    radio = QRadioButton("A colleague asked; this person can speak for them")
    check = QCheckBox("A next step is agreed")
    column.addWidget(radio)
    column.addWidget(check)
    qtbot.addWidget(form)
    with qtbot.waitExposed(form):
        form.show()
    panel = form.grab().toImage().pixelColor(QPoint(1, 1))  # inside the layout's margin
    for button, element in (
        (radio, QStyle.SubElement.SE_RadioButtonIndicator),
        (check, QStyle.SubElement.SE_CheckBoxIndicator),
    ):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        indicator = button.style().subElementRect(element, option, button)
        image = button.grab().toImage()
        assert indicator.isValid() and indicator.width() >= 12
        contrast = best_contrast(image, indicator, panel)
        assert contrast >= 3, f"{type(button).__name__} outline at {contrast:.1f}:1"
