"""Jobs: posted by employers in proportion to their size, with skills that follow the drifting demand.

Status: draft -> open -> filled (a hire) | expired (past expires_at; some are
extended instead) | closed (withdrawn by the employer). Some jobs are also
published on partner board A and/or B while they are open.
"""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, day_start, load, not_before, poisson, rng, times_in_day
from pipelines.demo.platform.demand import skills_for, unique_pairs
from pipelines.demo.platform.store import choose, cumcount, lognormal_days, pick
from pipelines.demo.platform.world import CLOSED, DEFECTS, DRAFT, EXPIRED, OPEN, World, board_id

JOBS_PER_DAY = 175.0  # at scale 1 and a load of 1
WITHDRAW_HAZARD = 0.004
EXTEND_SHARE = 0.08
BOARD_SHARE = (0.25, 0.2)  # share of platform jobs also published on board A, on board B
S_POST, S_STATUS, S_OPEN = 31, 32, 33

_CITIES_BY_COUNTRY = [np.flatnonzero(k == vocab.CITY_COUNTRY) for k in range(len(vocab.COUNTRIES))]
_CITY_LEN = np.array([len(c) for c in _CITIES_BY_COUNTRY])
_CITY_MAT = np.array([np.resize(c, _CITY_LEN.max()) for c in _CITIES_BY_COUNTRY])


def city_in(r: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """A city of each country, uniformly."""
    city: np.ndarray = _CITY_MAT[country, (r.random(len(country)) * _CITY_LEN[country]).astype(np.int64)]
    return city


def salary_range(
    r: np.random.Generator, role: np.ndarray, seniority: np.ndarray, city: np.ndarray, contract: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Yearly salary (permanent) or hourly rate (contract) in the currency of the job's country."""
    country = vocab.CITY_COUNTRY[city]
    annual = vocab.ROLE_PAY_EUR[role] * vocab.SENIORITY_PAY[seniority] * vocab.PAY_FACTOR[country]
    annual = annual * vocab.CURRENCY_PER_EUR[country]
    base = np.where(contract == 1, annual / 1600 * 1.4, annual)
    unit = np.where(contract == 1, 5, 1000)
    low = np.round(base * r.uniform(0.85, 0.95, len(role)) / unit) * unit
    high = np.round(base * r.uniform(1.05, 1.25, len(role)) / unit) * unit
    return low.astype(np.int64), np.maximum(high, low + unit).astype(np.int64)


def post(w: World, day: int) -> None:
    r = rng(w.cfg, day, S_POST)
    e = w.employers
    n = poisson(r, w.cfg.n(JOBS_PER_DAY) * load(day))
    if n == 0 or e.n == 0:
        return
    employer = pick(r, e["weight"], n)
    created = not_before(times_in_day(r, day, n), e["created_at"][employer] + 540, day)
    order = np.argsort(created, kind="stable")
    employer, created = employer[order], created[order]
    role = pick(r, vocab.ROLE_WEIGHT, n)
    seniority = pick(r, np.array([2, 4, 4, 1.5, 0.5]), n)
    home = r.random(n) < 0.75
    city = np.where(home, city_in(r, e["country"][employer]), pick(r, vocab.CITY_WEIGHT, n))
    contract = (r.random(n) < 0.6).astype(np.int8)
    low, high = salary_range(r, role, seniority, city, contract)
    defect = np.where(w.defect_share(r, n), r.integers(1, 4, n), 0)
    low, high = np.where(defect == 1, high, low), np.where(defect == 1, low, high)  # salary min above max
    draft = r.random(n) < 0.15
    open_at = np.where(draft, created + lognormal_days(r, 2, 0.7, n), created)
    seq = e["jobs"][employer] + cumcount(employer) + 1
    np.add.at(e["jobs"], employer, 1)
    remote = pick(r, np.array([0.45, 0.4, 0.15]), n)
    boards = [np.where(r.random(n) < share, -1, 0) for share in BOARD_SHARE]
    idx = w.jobs.add(
        n, employer=employer, seq=seq, role=role, seniority=seniority, city=city, remote=remote, contract=contract,
        smin=low, smax=high, status=DRAFT, created_at=created, posted_at=-1, expires_at=-1, filled_at=-1,
        updated_at=created, open_at=open_at, weight=r.lognormal(0, 0.7, n) * np.where(remote == 2, 1.5, 1.0),
        board_a=boards[0], board_b=boards[1], perk=r.integers(0, len(vocab.PERKS), n), defect=defect,
    )  # fmt: skip
    for code in (1, 2, 3):
        w.defects.add("platform", "jobs", idx[defect == code] + 1, DEFECTS["jobs"][code], day)
    add_job_skills(w, r, day, idx, role, created)


def add_job_skills(
    w: World, r: np.random.Generator, day: int, jobs: np.ndarray, role: np.ndarray, created: np.ndarray
) -> None:
    counts = 3 + np.minimum(r.poisson(2.0, len(jobs)), 5)
    who = np.repeat(np.arange(len(jobs)), counts)
    skill = skills_for(r, role[who], day, 0.8)
    keep = unique_pairs(jobs[who], skill)
    who, skill = who[keep], skill[keep]
    rank = cumcount(who)
    w.job_skills.add(len(who), job=jobs[who], skill=skill, required=rank < 3, created_at=created[who])


def open_due(w: World, day: int) -> None:
    """Jobs whose posting time has come open (drafts wait a little); board ids are given out now."""
    r = rng(w.cfg, day, S_OPEN)
    j = w.jobs
    end = day_start(day) + DAY
    due = np.flatnonzero((j["status"] == DRAFT) & (j["open_at"] < end))
    due = due[np.argsort(j["open_at"][due], kind="stable")]
    at = j["open_at"][due]
    j["status"][due], j["posted_at"][due], j["updated_at"][due] = OPEN, at, at
    j["expires_at"][due] = at + np.array([30, 45, 60])[r.integers(0, 3, len(due))] * DAY
    for board, column in enumerate(("board_a", "board_b")):
        listed = due[j[column][due] == -1]
        j[column][listed] = board_id(w, board, len(listed))


def transitions(w: World, day: int) -> None:
    """Open jobs expire (or are extended) or are withdrawn."""
    r = rng(w.cfg, day, S_STATUS)
    j = w.jobs
    end = day_start(day) + DAY
    due = np.flatnonzero((j["status"] == OPEN) & (j["expires_at"] < end))
    extend = r.random(len(due)) < EXTEND_SHARE
    stamp = j["expires_at"][due]
    j["expires_at"][due[extend]] += 30 * DAY
    j["status"][due[~extend]] = EXPIRED
    j["updated_at"][due] = stamp
    withdraw = choose(r, np.flatnonzero(j["status"] == OPEN), WITHDRAW_HAZARD)
    at = np.maximum(times_in_day(r, day, len(withdraw)), j["updated_at"][withdraw] + 60)
    keep = at < end
    j["status"][withdraw[keep]], j["updated_at"][withdraw[keep]] = CLOSED, at[keep]
