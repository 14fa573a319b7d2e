"""One exception hierarchy for everything a user can get wrong.

A user error is reported as a list of :class:`Problem` (file, line, entity,
message, hint) and never as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the model, located as precisely as we can."""

    file: str
    line: int
    entity: str
    message: str
    hint: str = ""

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.entity}: {self.message}" if self.entity else f"{where}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class DVError(Exception):
    """Base of every error the ``dv`` command reports without a traceback."""


class ModelError(DVError):
    """The YAML model is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


class StaleOutputError(DVError):
    """``vault_sql/`` differs from what the model generates."""


class WarehouseError(DVError):
    """The warehouse refused an operation (connection, SQL error in a load)."""


def rel(path: Path, root: Path) -> str:
    """Path as shown to users: relative to the project root when possible."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
