"""``dv demo-data``: simulate the platform, write its feeds, fill its database; report what was made."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from generator.errors import DVError
from pipelines.demo.platform.clock import Config, date_of
from pipelines.demo.platform.database import check_database, ensure_database, load, where
from pipelines.demo.platform.simulate import FEEDS, simulate
from pipelines.demo.platform.world import World


@dataclass
class DemoData:
    dsn: str
    landing: Path
    database: str = ""  # created | existing
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # feed -> files written
    defects: int = 0
    seconds: float = 0.0


def check(cfg: Config) -> None:
    """Arguments a run cannot work with are user errors."""
    if not 0 < cfg.scale <= 10:
        raise DVError(
            f"--scale must be above 0 and at most 10, not {cfg.scale}\n    hint: 0.01 for tests, 1 for a full run"
        )
    if not 1 <= cfg.days <= 366:
        raise DVError(f"--days must be between 1 and 366, not {cfg.days}")
    if not 0 <= cfg.defect_rate <= 0.2:
        raise DVError(f"--defect-rate must be between 0 and 0.2, not {cfg.defect_rate}\n    hint: the default is 0.005")
    if cfg.seed < 0:
        raise DVError(f"--seed must not be negative, not {cfg.seed}")


def write_manifest(w: World, landing: Path) -> None:
    """``defects.json``: the run's settings and every defect put in, database and files alike."""
    cfg = w.cfg
    body = {
        "seed": cfg.seed, "scale": cfg.scale, "days": cfg.days, "defect_rate": cfg.defect_rate,
        "first_day": str(date_of(1)), "last_day": str(date_of(cfg.days)),
        "defects": [asdict(d) for d in w.defects.items],
    }  # fmt: skip
    (landing / "defects.json").write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def run(cfg: Config, landing: Path, dsn: str, progress: Console | None = None) -> DemoData:
    check(cfg)
    started = time.perf_counter()
    result = DemoData(dsn, landing, ensure_database(dsn))
    check_database(dsn)
    status = progress.status("simulating…") if progress is not None else None
    try:
        if status is not None:
            status.start()

        def day_done(day: int) -> None:
            if status is not None and day % 10 == 0:
                status.update(f"simulating… day {day} of {cfg.days}")

        w = simulate(cfg, landing, day_done)
        write_manifest(w, landing)
        result.tables = load(dsn, w, lambda t: status.update(f"copying {t}") if status is not None else None)
    finally:
        if status is not None:
            status.stop()
    result.files = {feed: sum(1 for p in (landing / feed).rglob("*") if p.is_file()) for feed in FEEDS}
    result.defects = len(w.defects.items)
    result.seconds = time.perf_counter() - started
    return result


def report(d: DemoData, console: Console) -> None:
    table = Table(title=f"platform data in {where(d.dsn)} ({d.database})", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in d.tables.items():
        table.add_row(name, str(rows))
    console.print(table)
    files = ", ".join(f"{feed}/ {n}" for feed, n in d.files.items())
    console.print(f"files under {d.landing}: {files}; defects.json lists {d.defects} injected defects", markup=False)
    console.print(f"done in {d.seconds:.1f} s", markup=False)
