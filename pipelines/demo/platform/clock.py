"""Settings of a run, the calendar of the simulation and its random streams.

Day 1 is Monday 2026-03-02. The platform went live ``HISTORY_DAYS`` days
earlier: days ``1 - HISTORY_DAYS`` to 0 are simulated too (they fill the
database) but write no files; days 1 to N write the feeds. Each step of each
day draws from a generator of its own, seeded by (seed, day, step), so day
N+1 never changes what days 1..N drew: a run of N+1 days is a run of N days
plus one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

START = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # day 1, a Monday
HISTORY_DAYS = 335  # days before day 1 (the platform's history), simulated without files
DAY = 86_400
HOUR = 3_600
T0 = int(START.timestamp())  # epoch seconds of day 1, 00:00 UTC
EPOCH_DAY0 = T0 // DAY  # epoch day number of day 1
NEVER = np.iinfo(np.int64).max  # "no time scheduled"
FIRST_DAY = 1 - HISTORY_DAYS

WEEKDAY_LOAD = np.array([1.15, 1.2, 1.15, 1.1, 0.95, 0.3, 0.25])  # Monday .. Sunday
HOURLY_LOAD = np.array([
    0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.9, 1.8, 3.0, 3.6, 3.5, 3.2,
    2.6, 3.0, 3.4, 3.3, 3.0, 2.5, 2.0, 1.8, 1.7, 1.5, 1.0, 0.5,
])  # fmt: skip
HOURLY_CUM = np.cumsum(HOURLY_LOAD) / HOURLY_LOAD.sum()


@dataclass(frozen=True)
class Config:
    """What a run is asked for; equal configs give byte-identical output."""

    seed: int = 1
    scale: float = 0.01
    days: int = 7
    defect_rate: float = 0.005

    def n(self, base: float) -> float:
        """A volume of scale 1, scaled."""
        return base * self.scale


def rng(cfg: Config, day: int, stream: int) -> np.random.Generator:
    """The random stream of one step of one day."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([cfg.seed, day - FIRST_DAY, stream])))


def day_start(day: int) -> int:
    return T0 + (day - 1) * DAY


def weekday(day: int) -> int:
    """0 = Monday .. 6 = Sunday."""
    return (day - 1) % 7


def date_of(day: int) -> dt.date:
    return (START + dt.timedelta(days=day - 1)).date()


def day_of(ts: np.ndarray) -> np.ndarray:
    """Simulation day of epoch-second timestamps."""
    return (ts - T0) // DAY + 1


def growth(day: int) -> float:
    """The platform grows: activity ramps from 0.5 at launch to about 1.3 at day 1 and on."""
    return 0.5 + 0.8 * min(1.0, (day - FIRST_DAY) / HISTORY_DAYS) + 0.002 * max(0, day)


def load(day: int) -> float:
    """Relative activity of a day: growth times the weekday pattern."""
    return growth(day) * float(WEEKDAY_LOAD[weekday(day)])


def times_in_day(r: np.random.Generator, day: int, n: int) -> np.ndarray:
    """``n`` timestamps in a day, busier in office hours."""
    hours = np.searchsorted(HOURLY_CUM, r.random(n), side="right")
    return day_start(day) + np.minimum(hours, 23) * HOUR + r.integers(0, HOUR, n)


def poisson(r: np.random.Generator, mean: float) -> int:
    return int(r.poisson(max(mean, 0.0)))


def skip_weekend(ts: np.ndarray, r: np.random.Generator, share: float = 0.8) -> np.ndarray:
    """Move most timestamps that fall on a weekend to the following Monday, same time of day."""
    wd = (day_of(ts) - 1) % 7
    shift = np.where(wd == 5, 2, np.where(wd == 6, 1, 0)) * (r.random(len(ts)) < share)
    moved: np.ndarray = ts + shift * DAY
    return moved


def not_before(at: np.ndarray, last: np.ndarray, day: int) -> np.ndarray:
    """Times of the day no earlier than a minute after ``last`` (a row's previous change), capped at the day's end."""
    capped: np.ndarray = np.minimum(np.maximum(at, last + 60), day_start(day) + DAY - 1)
    return capped
