"""One exception hierarchy for everything a user can get wrong.

A user error is reported as a list of :class:`Problem` (file, line, entity,
message, hint) and never as a traceback.
"""

from __future__ import annotations

import errno
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


_WRITE_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or write elsewhere",
    errno.EDQUOT: "the disk quota is used up: free some space, or write elsewhere",
    errno.EACCES: "choose a folder you may write to, or fix its permissions",
    errno.EPERM: "choose a folder you may write to, or fix its permissions",
    errno.EROFS: "the file system is read-only: write elsewhere",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.EEXIST: "a file stands where a folder should be: move it, or choose another path",
    errno.EISDIR: "a folder stands where a file should be: move it, or choose another path",
}


def output_error(exc: OSError, target: Path, what: str) -> DVError:
    """A user error for an output that could not be written (read-only, full, a file in the way)."""
    path = exc.filename or target
    hint = _WRITE_HINTS.get(exc.errno or 0, "check the path, its permissions and the free space")
    return DVError(f"cannot write {what} to {path}: {exc.strerror or exc}\n    hint: {hint}")
