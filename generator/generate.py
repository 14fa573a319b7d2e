"""``dv generate``: write ``vault_sql/`` and ``checks/generated/`` from ``model/``, or check they are current."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from generator.contracts import CONTRACTS_DIR, render_contracts
from generator.errors import DVError, output_error
from generator.manifest_model import Manifest, schema_json
from generator.model import Model, load_model
from generator.render import render_all

GENERATED_MARK = "vault_sql"
# the first line of every file dv generate writes (generator.render.header; the contracts' YAML comment);
# the manifest, JSON, has no comment: it is known by its name
GENERATED_HEADERS = ("-- generated from ", "# generated from ")
ALWAYS_GENERATED = ("manifest.json", "manifest.schema.json")


def is_generated(path: str, text: str) -> bool:
    """Whether a file found in an output folder was written by dv generate (else it is left alone)."""
    return path in ALWAYS_GENERATED or text.startswith(GENERATED_HEADERS)


@dataclass
class Drift:
    """How ``vault_sql/`` (and ``checks/generated/``) differ from what the model generates.

    Paths are relative to ``vault_sql/``; those of contracts start with ``checks/generated/``."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # files of the output folders dv generate did not write (no generated header): reported, never deleted
    foreign: list[str] = field(default_factory=list)
    diff: str = ""
    # lines each differing file gains and loses (path -> (added, removed)): the summary of ``diff``
    lines: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)  # the output folders that differ, e.g. "vault_sql/"

    @property
    def stale(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self, limit: int = 40) -> list[str]:
        """One line per differing file, at most ``limit``: what happened to it and its lines gained/lost,
        e.g. ``changed  vault_sql/hubs/customer.load.sql  +1 -1`` (contracts under checks/generated/)."""
        rows = sorted(
            [(p, "added") for p in self.added] + [(p, "changed") for p in self.changed]
            + [(p, "removed") for p in self.removed]
        )  # fmt: skip
        shown = [p if p.startswith(f"{CONTRACTS_DIR}/") else f"{GENERATED_MARK}/{p}" for p, _ in rows[:limit]]
        width = max((len(s) for s in shown), default=0)
        lines = []
        for (path, what), name in zip(rows, shown, strict=False):
            plus, minus = self.lines.get(path, (0, 0))
            counts = " ".join(c for c in (f"+{plus}" if plus else "", f"-{minus}" if minus else "") if c)
            lines.append(f"  {what:<8} {name:<{width}}  {counts}".rstrip())
        if len(rows) > limit:
            lines.append(f"  … and {len(rows) - limit} more file(s)")
        return lines


def existing_files(out_dir: Path, suffixes: tuple[str, ...] = (".sql", ".json")) -> dict[str, str]:
    if not out_dir.is_dir():
        return {}
    return {
        str(p.relative_to(out_dir)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and p.suffix in suffixes
    }


def compare(
    expected: dict[str, str], out_dir: Path, mark: str = GENERATED_MARK, suffixes: tuple[str, ...] = (".sql", ".json")
) -> Drift:
    try:
        actual = existing_files(out_dir, suffixes)
    except OSError as exc:
        raise DVError(
            f"cannot read {exc.filename or out_dir}: {exc.strerror or exc}\n"
            f"    hint: {mark}/ holds what dv generate wrote; make it readable, or remove what is in the way"
        ) from None
    drift = Drift()
    chunks: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        old, new = actual.get(path), expected.get(path)
        if old == new:
            continue
        if new is None and old is not None and not is_generated(path, old):
            drift.foreign.append(path)
            continue
        if old is None:
            drift.added.append(path)
        elif new is None:
            drift.removed.append(path)
        else:
            drift.changed.append(path)
        diff = list(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"{mark}/{path} (committed)",
                tofile=f"{mark}/{path} (generated)",
            )
        )
        body = diff[2:]  # after the ---/+++ header lines
        drift.lines[path] = (sum(d.startswith("+") for d in body), sum(d.startswith("-") for d in body))
        chunks.extend(diff)
    drift.diff = "".join(chunks)
    if drift.stale:
        drift.folders.append(f"{mark}/")
    return drift


def write(
    expected: dict[str, str], out_dir: Path, mark: str = GENERATED_MARK, suffixes: tuple[str, ...] = (".sql", ".json")
) -> Drift:
    drift = compare(expected, out_dir, mark, suffixes)
    try:
        for path in drift.removed:
            (out_dir / path).unlink()
        for path in drift.added + drift.changed:
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(expected[path], encoding="utf-8")
        for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    except OSError as exc:
        raise output_error(exc, out_dir, f"the generated {mark}/") from None
    return drift


def generate(root: Path, check: bool = False) -> tuple[Model, Drift]:
    model = load_model(root / "model", root)
    expected = render_all(model)
    expected["manifest.schema.json"] = schema_json()  # the manifest's models as JSON schema (manifest_model.py)
    out_dir = root / GENERATED_MARK
    drift = compare(expected, out_dir) if check else write(expected, out_dir)
    # the data contracts, from the manifest just rendered (generator/contracts.py)
    contracts = render_contracts(Manifest.model_validate_json(expected["manifest.json"]))
    step = compare if check else write
    more = step(contracts, root / CONTRACTS_DIR, CONTRACTS_DIR, (".yml",))
    drift.added += [f"{CONTRACTS_DIR}/{p}" for p in more.added]
    drift.changed += [f"{CONTRACTS_DIR}/{p}" for p in more.changed]
    drift.removed += [f"{CONTRACTS_DIR}/{p}" for p in more.removed]
    drift.foreign = [f"{GENERATED_MARK}/{p}" for p in drift.foreign] + [f"{CONTRACTS_DIR}/{p}" for p in more.foreign]
    drift.lines |= {f"{CONTRACTS_DIR}/{p}": counts for p, counts in more.lines.items()}
    drift.diff += more.diff
    drift.folders += more.folders
    return model, drift
