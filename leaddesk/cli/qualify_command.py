"""``leaddesk qualify``: save a lead's answers, show the suggestion, and record the verdict."""

from __future__ import annotations

import argparse
import json
from typing import Any

from leaddesk.cli.common import add_as, add_json, desk_for, print_json, record_number
from leaddesk.desk import Qualification, Route, VerdictInfo, check_answers, read_text_file
from leaddesk.domain import VERDICT_STAGE, Verdict
from leaddesk.errors import InputError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    qualify = commands.add_parser(
        "qualify", help="save a lead's answers, show the suggested verdict, record the verdict"
    )
    qualify.add_argument("lead_id", metavar="LEAD_ID", type=record_number, help="the lead's number")
    add_as(qualify)
    qualify.add_argument(
        "--answers",
        metavar="FILE.json",
        help='answers as JSON: {"question_id": value, ...}; null clears an answer',
    )
    qualify.add_argument(
        "--verdict",
        choices=[verdict.value for verdict in Verdict],
        help="record this verdict (a different one from the suggestion needs --reason)",
    )
    qualify.add_argument("--reason", metavar="TEXT", help="why, when overriding the suggestion")
    qualify.add_argument(
        "--to",
        metavar="SALES_USER",
        help="hand off to this salesperson instead of the one the policy names (audited)",
    )
    add_json(qualify)
    qualify.set_defaults(handler=run_qualify)

    undo = commands.add_parser(
        "undo-verdict",
        help="take back a verdict given by mistake (within 10 minutes, before its hand-off)",
    )
    undo.add_argument(
        "verdict_id", metavar="VERDICT_ID", type=record_number, help="the number qualify gave it"
    )
    add_as(undo)
    add_json(undo)
    undo.set_defaults(handler=run_undo_verdict)


def read_answers(file: str) -> dict[str, object]:
    text = read_text_file(file, "an answers file")
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"{file}: nested too deeply to be an answers file") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{file}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{file}: must be a JSON object mapping question ids to answers")
    return data


def run_qualify(args: argparse.Namespace) -> int:
    if args.reason and not args.verdict:
        raise InputError("--reason goes with --verdict")
    if args.to and not args.verdict:
        raise InputError("--to goes with --verdict hand_off or existing_account", field="to")
    answers = read_answers(args.answers) if args.answers else {}
    with desk_for(args) as desk:
        state = desk.qualifying.evaluate(args.lead_id)
        if answers:
            try:
                check_answers(state.definition, answers)
            except InputError as error:
                # Name the file as well as each question id, one per line.
                lines = error.message.splitlines()
                raise InputError("\n".join(f"{args.answers}: {line}" for line in lines)) from None
            state = desk.qualifying.answer(args.lead_id, answers)
        if not args.json:
            print_qualification(state)
            if not args.verdict:
                print_route(desk.qualifying.salesperson_for(args.lead_id, Verdict.HAND_OFF))
        verdict: VerdictInfo | None = None
        if args.verdict:
            verdict = desk.qualifying.give_verdict(
                args.lead_id,
                Verdict(args.verdict),
                args.reason,
                expected_version=state.lead_version,
                to=args.to,
            )
    if args.json:
        print_json({**state.as_json(), "verdict": verdict.as_json() if verdict else None})
    elif verdict is not None:
        print_verdict(state, verdict)
        print(f"Wrong verdict? leaddesk undo-verdict {verdict.id} --as {args.as_user}")
    return 0


def run_undo_verdict(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        undone = desk.qualifying.undo_verdict(args.verdict_id)
    if args.json:
        print_json(undone.as_json())
    else:
        print(f"Lead {undone.lead_id}: {undone.message}")
    return 0


def print_qualification(state: Qualification) -> None:
    evaluation = state.evaluation
    definition = state.definition
    suggestion = evaluation.suggestion
    who = f"{state.person}, {state.company}" if state.company else state.person
    version = f" v{state.definition_version}" if state.definition_version else ""
    print(f"Lead {state.lead_id}: {who} — {definition.name}{version}")
    required = [s for s in evaluation.questions if s.question.required]
    answered = sum(1 for s in required if s.answered)
    print(
        f"Answered {answered} of {len(required)} required questions "
        f"({round(evaluation.completeness * 100)}%)"
    )
    letters = ", ".join(f"{a.axis.letter} {a.score}" for a in evaluation.scores.axes)
    print(
        f"Scores: fit {evaluation.scores.fit}, interest {evaluation.scores.interest}, "
        f"{definition.framework} {evaluation.scores.framework} ({letters})"
    )
    print(
        f"Suggestion: {_words(suggestion.verdict.value)} — "
        f"{definition.lead_type_label(suggestion.lead_type)}: {suggestion.reason}"
    )
    print("Why:")
    for line in evaluation.fired:
        print(f"  - {line}")
    if evaluation.next_questions:
        print("Still to ask:")
        for question in evaluation.next_questions:
            optional = "" if question.required else " (optional)"
            print(f"  - {question.id}: {question.text}{optional}")


def print_verdict(state: Qualification, verdict: VerdictInfo) -> None:
    stage = state.definition.stage_label(VERDICT_STAGE[verdict.verdict])
    waits = ", awaiting handoff" if verdict.verdict is Verdict.HAND_OFF else ""
    line = f"Verdict recorded: {_words(verdict.verdict.value)} → {stage}{waits}"
    if verdict.overridden:
        line += f" (overrode the suggestion: {verdict.override_reason})"
    print(line)
    if verdict.route is not None:
        due = f", follow-up due {verdict.sales_due_at:%Y-%m-%d %H:%M} UTC"
        print(
            f"Handed to {verdict.route.display_name} ({verdict.route.name}: "
            f"{verdict.route.why}){due if verdict.sales_due_at else ''}"
        )


def print_route(route: Route | None) -> None:
    if route is not None:
        print(
            f"A hand-off goes to {route.display_name} ({route.name}: {route.why}); "
            "--to SALES_USER picks another."
        )


def _words(value: Any) -> str:
    return str(value).replace("_", " ")
