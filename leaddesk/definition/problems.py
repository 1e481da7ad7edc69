"""What is wrong with a lead-definition file, said so a team lead can fix it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from leaddesk.errors import InputError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition file; ``path`` is like ``rules[3].when.budjet``."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DefinitionError(InputError):
    """The definition cannot be used; every problem is listed, one per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
