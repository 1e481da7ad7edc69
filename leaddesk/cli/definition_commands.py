"""``leaddesk definition``: check a lead-definition file, publish it, show and compare versions."""

from __future__ import annotations

import argparse
import sys

from leaddesk.cli.common import (
    add_as,
    add_json,
    desk_for,
    print_json,
    record_number,
    setup_or_user_desk,
)
from leaddesk.desk import (
    Definition,
    DefinitionError,
    ShownDefinition,
    parse_definition,
    read_text_file,
)
from leaddesk.errors import InputError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    definition = commands.add_parser(
        "definition", help="check, publish, show and compare the lead definition"
    )
    actions = definition.add_subparsers(
        dest="definition_command", metavar="validate|publish|show|diff", required=True
    )

    # "check" too: the shipped templates' first lines tell people to run "definition check".
    validate = actions.add_parser(
        "validate", aliases=["check"], help="check a definition file; exit 2 if broken"
    )
    validate.add_argument("file", metavar="FILE", help="the TOML lead-definition file")
    add_json(validate)
    validate.set_defaults(handler=run_validate)

    publish = actions.add_parser(
        "publish", help="publish a definition file as the next version (team lead or admin)"
    )
    publish.add_argument("file", metavar="FILE", help="the TOML lead-definition file")
    publish.add_argument("--note", help="why this version, shown beside it")
    add_as(publish)
    add_json(publish)
    publish.set_defaults(handler=run_publish)

    show = actions.add_parser("show", help="show the current version, or --version N")
    show.add_argument(
        "--version", type=record_number, metavar="N", help="a published version number"
    )
    add_as(show, required=False)
    add_json(show)
    show.set_defaults(handler=run_show)

    diff = actions.add_parser("diff", help="what a file would change against the current version")
    diff.add_argument("file", metavar="FILE", help="the TOML lead-definition file")
    add_as(diff, required=False)
    add_json(diff)
    diff.set_defaults(handler=run_diff)


def read_definition_text(file: str) -> str:
    return read_text_file(file, "a lead-definition file")


def _report_problems(error: DefinitionError, *, json_output: bool, file: str) -> int:
    """Every problem on its own line (file:line: key.path: what is wrong); exit 2."""
    if json_output:
        print_json({"file": file, "valid": False, "problems": _problems_json(error)})
    for problem in error.problems:
        print(str(problem), file=sys.stderr)
    return InputError.exit_code


def _problems_json(error: DefinitionError) -> list[dict[str, object]]:
    return [
        {"file": p.file, "line": p.line, "path": p.path, "message": p.message}
        for p in error.problems
    ]


def run_validate(args: argparse.Namespace) -> int:
    text = read_definition_text(args.file)
    try:
        definition = parse_definition(text, args.file)
    except DefinitionError as error:
        return _report_problems(error, json_output=args.json, file=args.file)
    if args.json:
        print_json({"file": args.file, "valid": True, "problems": [], **_counts(definition)})
    else:
        counts = _counts(definition)
        print(
            f"{args.file}: valid — {definition.name} ({definition.framework}), "
            f"{counts['questions']} questions in {counts['sections']} sections, "
            f"{counts['rules']} verdict rules"
        )
    return 0


def _counts(definition: Definition) -> dict[str, object]:
    return {
        "name": definition.name,
        "framework": definition.framework,
        "sections": len(definition.sections),
        "questions": len(definition.questions),
        "rules": len(definition.rules),
        "sha256": definition.digest,
    }


def run_publish(args: argparse.Namespace) -> int:
    text = read_definition_text(args.file)
    with desk_for(args) as desk:
        try:
            result = desk.qualifying.publish_definition(text, args.file, note=args.note)
        except DefinitionError as error:
            code = _report_problems(error, json_output=args.json, file=args.file)
            print("Nothing was published.", file=sys.stderr)
            return code
    published = result.version
    if args.json:
        moved = {"moved_to_added_stage": result.moved_to_added_stage}
        print_json({**published.as_json(), "published": result.created, **moved})
    elif result.created:
        print(
            f"Published version {published.version}: {published.name} ({published.framework}). "
            "New qualifications use it; ones already started keep their version."
        )
        if result.added_stage_label is not None:
            print(_moved_words(result.moved_to_added_stage, result.added_stage_label))
    else:
        print(f"No change: {args.file} is already version {published.version}.")
    return 0


def _moved_words(moved: int, label: str) -> str:
    """How many leads still new moved into the stage the version adds, in its label."""
    if moved == 0:
        return f"No lead still new meets its rule for {label}; new arrivals that do start in it."
    if moved == 1:
        return f"1 lead still new meets its rule for {label} and moved into it."
    return f"{moved} leads still new meet its rule for {label} and moved into it."


def run_show(args: argparse.Namespace) -> int:
    with setup_or_user_desk(args, create=False) as desk:
        shown = desk.qualifying.definition(args.version)
    if args.json:
        print_json(shown.as_json())
    else:
        print_definition(shown)
    return 0


def print_definition(shown: ShownDefinition) -> None:
    published, definition = shown.published, shown.definition
    who = f" by {published.published_by}" if published.published_by else ""
    print(f"Version {published.version}: {definition.name} ({definition.framework})")
    print(f"Published {published.published_at:%Y-%m-%d %H:%M} UTC{who}")
    if published.note:
        print(f"Note: {published.note}")
    if definition.description:
        print(definition.description)
    for section in definition.sections:
        print()
        print(f"{section.title}")
        for question in section.questions:
            flags = [question.type.value.replace("_", " ")]
            if question.required:
                flags.append("required")
            if not question.show_when.always:
                flags.append("follow-up")
            if question.knockout is not None:
                flags.append("knock-out")
            print(f"  {question.id} ({', '.join(flags)}): {question.text}")
            for option in question.options:
                print(f"      {option.value}: {option.label}")
    print()
    print("Verdict rules (the first that matches decides; knock-outs come first):")
    for number, rule in enumerate(definition.rules, start=1):
        outcome = rule.outcome
        print(
            f"  {number}. {rule.description} → {outcome.verdict.label} "
            f"({definition.lead_type_label(outcome.lead_type)})"
        )


def run_diff(args: argparse.Namespace) -> int:
    text = read_definition_text(args.file)
    with setup_or_user_desk(args, create=False) as desk:
        try:
            diff = desk.qualifying.definition_diff(text, args.file)
        except DefinitionError as error:
            return _report_problems(error, json_output=args.json, file=args.file)
    current = diff.current
    if args.json:
        print_json(
            {
                "file": args.file,
                "against": current.as_json() if current else None,
                "changes": list(diff.changes),
            }
        )
        return 0
    if current is None:
        print("Nothing is published yet; publishing this file would make it version 1.")
    elif not diff.changes:
        print(f"No differences a rep would notice from version {current.version}.")
    else:
        print(f"Against version {current.version} ({current.name}):")
        for change in diff.changes:
            print(f"  - {change}")
    return 0
