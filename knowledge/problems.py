"""What is wrong in a knowledge file: `Problem` (one thing, with its line) and `KnowledgeError`.

The vocabulary shared by every reader of knowledge files (`yamlfile`, `loader`, `phrases`,
`language`, `policy`) and by `check`; it imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["KnowledgeError", "Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a knowledge file, printed the way editors and CI understand."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """A knowledge file cannot be used; `problems` lists every reason, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
