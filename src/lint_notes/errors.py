"""Errors that end a run with exit status 2 and a readable message (never a traceback)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge-base, rule or config file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base (claims, entities, rules) or a config file is invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """A command-line usage problem that is not caught by click itself."""
