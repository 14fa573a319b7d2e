"""Employers: very different sizes (a heavy tail), the users who act for them, and their changes."""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, day_start, load, not_before, poisson, rng, times_in_day
from pipelines.demo.platform.people import add_users
from pipelines.demo.platform.store import choose, pick
from pipelines.demo.platform.world import ROLE_EMPLOYER, World

EMPLOYERS_PER_DAY = 14.0  # at scale 1 and a load of 1
BOOTSTRAP_EMPLOYERS = 1_000.0
SIZE_LIMITS = np.array([1.5, 3.0, 8.0, 25.0, 80.0])  # employer weight -> size band (vocab.SIZE_BANDS)
CHANGE_HAZARD = 0.002
S_EMPLOYERS, S_EMPLOYER_CHANGES = 21, 22


def add_employers(w: World, r: np.random.Generator, times: np.ndarray) -> np.ndarray:
    n = len(times)
    weight = r.pareto(1.3, n) + 1.0
    country = pick(r, vocab.COUNTRY_SHARE, n)
    idx = w.employers.add(
        n, name_a=r.integers(0, len(vocab.NAME_A), n), name_b=r.integers(0, len(vocab.NAME_B), n),
        form=pick(r, np.array([0.87, 0.1, 0.03]), n), last1=r.integers(0, len(vocab.LAST_NAMES), n),
        last2=r.integers(0, len(vocab.LAST_NAMES), n), country=country,
        industry=r.integers(0, len(vocab.INDUSTRIES), n), size=np.searchsorted(SIZE_LIMITS, weight),
        weight=weight, created_at=times, updated_at=times, jobs=0, payer=pick(r, np.array([0.75, 0.2, 0.05]), n),
        terms=np.array([14, 30, 30, 45])[r.integers(0, 4, n)],
        crm_lag=np.where(r.random(n) < 0.88, r.integers(1, 8, n), -1), crm=0,
    )  # fmt: skip
    owners = add_users(w, r, ROLE_EMPLOYER, times, np.ones(n, np.float32))
    w.employer_users.add(n, employer=idx, user=owners, role=0, active=True, created_at=times, updated_at=times)
    extra = r.poisson(np.minimum(weight, 40) / 4)
    who = np.repeat(np.arange(n), extra)
    add_employer_users(w, r, idx[who], times[who] + r.integers(60, 7200, len(who)))
    return idx


def add_employer_users(w: World, r: np.random.Generator, employer: np.ndarray, times: np.ndarray) -> None:
    users = add_users(w, r, ROLE_EMPLOYER, times, np.ones(len(times), np.float32))
    w.employer_users.add(
        len(times), employer=employer, user=users, role=r.integers(1, 3, len(times)), active=True,
        created_at=times, updated_at=times,
    )  # fmt: skip


def bootstrap(w: World, day: int) -> None:
    r = rng(w.cfg, day, S_EMPLOYERS + 100)
    n = max(3, round(w.cfg.n(BOOTSTRAP_EMPLOYERS)))
    add_employers(w, r, np.sort(day_start(day) - r.integers(60, 365 * DAY, n)))


def register(w: World, day: int) -> None:
    r = rng(w.cfg, day, S_EMPLOYERS)
    n = poisson(r, w.cfg.n(EMPLOYERS_PER_DAY) * load(day))
    if n:
        add_employers(w, r, np.sort(times_in_day(r, day, n)))


def changes(w: World, day: int) -> None:
    """Employers grow or shrink a size band or are reclassified; teams gain and lose users."""
    r = rng(w.cfg, day, S_EMPLOYER_CHANGES)
    e = w.employers
    who = choose(r, np.arange(e.n), CHANGE_HAZARD)
    at = not_before(times_in_day(r, day, len(who)), e["updated_at"][who], day)
    resize = r.random(len(who)) < 0.7
    step = np.where(r.random(len(who)) < 0.8, 1, -1)
    e["size"][who] = np.where(resize, np.clip(e["size"][who] + step, 0, 5), e["size"][who])
    e["industry"][who[~resize]] = r.integers(0, len(vocab.INDUSTRIES), int((~resize).sum()))
    e["updated_at"][who] = at
    hires = choose(r, np.arange(e.n), 0.002 * np.minimum(e["weight"], 40) / 4)
    add_employer_users(w, r, hires, not_before(times_in_day(r, day, len(hires)), e["created_at"][hires], day))
    eu = w.employer_users
    leave = choose(r, np.flatnonzero(eu["active"] & (eu["role"] > 0)), 0.0005)
    eu["active"][leave] = False
    eu["updated_at"][leave] = not_before(times_in_day(r, day, len(leave)), eu["updated_at"][leave], day)
