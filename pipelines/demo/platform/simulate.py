"""The day loop: every step of a day in a fixed order, files written for days 1..N.

Order within a day: registrations, employer changes, account status (and
GDPR erasure), profile edits, jobs posted/opened/expired/withdrawn, new
applications, the funnel (hires -> placements), placements, timesheets,
invoices, logins, the CRM and the boards' own postings; then, from day 1 on,
the day's files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pipelines.demo.platform import billing, boards, crm, employers, events, funnel, jobs, people
from pipelines.demo.platform.clock import FIRST_DAY, Config
from pipelines.demo.platform.world import World

FEEDS = ("events", "board_a", "board_b", "crm")


def simulate_day(w: World, day: int) -> None:
    w.new_day()
    if day == FIRST_DAY:
        people.bootstrap(w, day)
        employers.bootstrap(w, day)
    people.register(w, day)
    employers.register(w, day)
    employers.changes(w, day)
    erased = people.account_status(w, day)
    people.edit_profiles(w, day)
    jobs.post(w, day)
    jobs.open_due(w, day)
    jobs.transitions(w, day)
    funnel.apply(w, day)
    funnel.progress(w, day, erased)
    fees = billing.placements(w, day)
    billing.timesheets(w, day)
    billing.invoices(w, day, fees)
    people.logins(w, day)
    crm.evolve(w, day)
    boards.evolve(w, day)


def prepare_landing(landing: Path) -> None:
    """Empty the feed folders (and only those), so a shorter run leaves no files of a longer one."""
    for feed in FEEDS:
        shutil.rmtree(landing / feed, ignore_errors=True)
        (landing / feed).mkdir(parents=True)
    (landing / "defects.json").unlink(missing_ok=True)


def write_files(w: World, day: int, landing: Path) -> None:
    events.deliver(w, day, events.generate(w, day), landing / "events")
    boards.write(w, day, landing)
    crm.write(w, day, landing)


def simulate(cfg: Config, landing: Path, progress: Callable[[int], None] | None = None) -> World:
    """Run the platform from launch to the end of day ``cfg.days``; the state is returned, the feeds written."""
    prepare_landing(landing)
    w = World(cfg)
    for day in range(FIRST_DAY, cfg.days + 1):
        simulate_day(w, day)
        if day >= 1:
            write_files(w, day, landing)
        if progress is not None:
            progress(day)
    return w
