"""``dv generate``: write ``vault_sql/`` from ``model/``, or check it is current."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Model, load_model
from generator.render import render_all

GENERATED_MARK = "vault_sql"


@dataclass
class Drift:
    """How ``vault_sql/`` differs from what the model generates."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diff: str = ""

    @property
    def stale(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def existing_files(out_dir: Path) -> dict[str, str]:
    if not out_dir.is_dir():
        return {}
    return {
        str(p.relative_to(out_dir)): p.read_text(encoding="utf-8")
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and p.suffix in (".sql", ".json")
    }


def compare(expected: dict[str, str], out_dir: Path) -> Drift:
    actual = existing_files(out_dir)
    drift = Drift()
    chunks: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        old, new = actual.get(path), expected.get(path)
        if old == new:
            continue
        if old is None:
            drift.added.append(path)
        elif new is None:
            drift.removed.append(path)
        else:
            drift.changed.append(path)
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"{GENERATED_MARK}/{path} (committed)",
                tofile=f"{GENERATED_MARK}/{path} (generated)",
            )
        )
    drift.diff = "".join(chunks)
    return drift


def write(expected: dict[str, str], out_dir: Path) -> Drift:
    drift = compare(expected, out_dir)
    for path in drift.removed:
        (out_dir / path).unlink()
    for path in drift.added + drift.changed:
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expected[path], encoding="utf-8")
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return drift


def generate(root: Path, check: bool = False) -> tuple[Model, Drift]:
    model = load_model(root / "model", root)
    expected = render_all(model)
    out_dir = root / GENERATED_MARK
    drift = compare(expected, out_dir) if check else write(expected, out_dir)
    return model, drift
