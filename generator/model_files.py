"""Which files make the model: every ``*.yml``/``*.yaml`` under ``model/``, and nothing lost on the way.

A folder that cannot be read, a dangling symbolic link or a link loop would make
entities vanish from ``vault_sql/`` without a word (what a plain ``rglob`` does):
each is a problem naming the path. Links to folders are followed once; a link
back into a folder read already (a loop, or the same files twice) is refused.
A file name with a control character (a newline ends the ``--`` comment that
names the file in every generated header) is refused too.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from generator.errors import Problem

SUFFIXES = (".yml", ".yaml")
# Emacs keeps a dangling link `.#<file>` next to a file being edited: not a model file, not a lost one.
EDITOR_LOCK_PREFIX = ".#"


def shown_name(path: str) -> str:
    """A path as messages show it: control characters escaped (``\\n``), so a message stays one line."""
    if all(unicodedata.category(ch)[0] != "C" for ch in path):
        return path
    return "".join(ch if unicodedata.category(ch)[0] != "C" else ascii(ch)[1:-1] for ch in path)


def shown_path(path: Path, root: Path) -> str:
    """``rel`` without following the link ``path`` may be (a dangling link or a loop cannot be resolved)."""
    absolute, top = os.path.abspath(path), os.path.abspath(root)
    return shown_name(os.path.relpath(absolute, top) if absolute.startswith(top + os.sep) else str(path))


def find_model_files(model_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """The model files under ``model_dir`` (sorted), and a problem for each path that hides some."""
    problems: list[Problem] = []

    def problem(path: Path, message: str, hint: str) -> None:
        problems.append(Problem(shown_path(path, root), 0, "", message, hint))

    def unreadable(exc: OSError) -> None:
        path = Path(exc.filename) if exc.filename else model_dir
        hint = "make it readable (chmod +rx), or move it out of model/"
        problem(path, f"cannot read folder: {exc.strerror or exc}", hint)

    files: list[Path] = []
    seen_dirs: dict[str, Path] = {}
    for folder, dirs, names in os.walk(model_dir, onerror=unreadable, followlinks=True):
        here = Path(folder)
        seen_dirs.setdefault(os.path.realpath(here), here)
        for name in sorted(dirs):
            path = here / name
            real = os.path.realpath(path)
            if real in seen_dirs:
                dirs.remove(name)
                problem(
                    path,
                    f"symbolic link to a folder read already ({shown_path(seen_dirs[real], root)}): "
                    "a link loop, or the same files twice",
                    "remove the link",
                )
            else:
                seen_dirs[real] = path
        for name in names:
            path = here / name
            if path.is_symlink() and not path.exists():
                if name.startswith(EDITOR_LOCK_PREFIX):
                    continue
                target = os.readlink(path)
                problem(
                    path,
                    f"symbolic link to '{shown_name(target)}', which does not exist or is a link loop",
                    "fix or remove the link: the files it should bring are missing from the model",
                )
            elif path.suffix in SUFFIXES and not path.is_file():
                problem(path, "not a regular file (a pipe, a socket, a device)", "replace it with a YAML file")
            elif path.suffix in SUFFIXES:
                files.append(path)
    for path in files:
        if any(unicodedata.category(ch)[0] == "C" for ch in str(path)):
            problem(
                path,
                "the file name holds a control character (a newline, a tab, ...)",
                "rename the file: its name is written into a comment of every SQL file generated from it",
            )
    return sorted(files), problems
