"""The next lead under the same questions reuses the questionnaire's fields (no widgets built
on the GUI thread between two calls), and shows that lead's own answers in them."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from leaddesk.desk import QuestionType
from tests.ui.conftest import Workspace


def test_the_next_lead_shows_its_own_answers_in_the_fields_already_built(
    qtbot: QtBot, workspace: Workspace
) -> None:
    desk, panel = workspace.desk, workspace.window.questionnaire
    first = desk.queue.next()
    assert first is not None
    panel.start(first.lead_id)
    qtbot.waitUntil(lambda: panel.qualification is not None)
    built = dict(panel.fields)
    question = next(
        q for q, field in built.items() if field.question.type is QuestionType.SINGLE_CHOICE
    )
    field = built[question]
    option = field.question.options[0].value
    field.option(option).click()  # the rep answers on the first lead
    qtbot.waitUntil(lambda: desk.qualifying.evaluate(first.lead_id).answers.get(question) == option)

    second = desk.queue.next()
    assert second is not None and second.lead_id != first.lead_id
    theirs = desk.qualifying.evaluate(second.lead_id).answers.get(question)
    panel.start(second.lead_id)
    qtbot.waitUntil(lambda: panel.qualification is not None)

    assert panel.fields[question] is field  # reused, not built again
    assert field.value() == theirs  # the second lead's answer, not the first's
    assert panel.title.text().startswith(second.person)

    panel.start(first.lead_id)  # and back: the first lead's answer is shown again
    qtbot.waitUntil(lambda: panel.qualification is not None)
    assert field.value() == option
