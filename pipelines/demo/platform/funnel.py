"""Applications and their funnel: applied -> screening -> interview -> offer -> hired, with drop-off at
every stage (rejected, withdrawn, or no answer at all), response times of days, and recruiters who
mostly rest at the weekend. A hire fills the job, creates a placement, and the job's other open
applications are rejected over the next days."""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import billing, vocab
from pipelines.demo.platform.clock import DAY, NEVER, day_start, load, poisson, rng, skip_weekend
from pipelines.demo.platform.demand import unique_pairs
from pipelines.demo.platform.store import lognormal_days, pick
from pipelines.demo.platform.world import (
    APPLIED,
    DEFECTS,
    FILLED,
    HIRED,
    INTERVIEW,
    OFFER,
    OPEN,
    REJECTED,
    SCREENING,
    WITHDRAWN,
    World,
)  # fmt: skip

APPLICATIONS_PER_DAY = 3_500.0  # at scale 1 and a load of 1
# per stage: (next status, probability, median days until it happens); the rest never moves on
OUTCOMES = {
    APPLIED: [(SCREENING, 0.55, 3.0), (REJECTED, 0.29, 6.0), (WITHDRAWN, 0.05, 5.0)],
    SCREENING: [(INTERVIEW, 0.45, 4.0), (REJECTED, 0.40, 5.0), (WITHDRAWN, 0.08, 6.0)],
    INTERVIEW: [(OFFER, 0.12, 6.0), (REJECTED, 0.65, 5.0), (WITHDRAWN, 0.08, 5.0), (SCREENING, 0.08, 3.0)],
    OFFER: [(HIRED, 0.60, 3.0), (WITHDRAWN, 0.25, 4.0), (REJECTED, 0.08, 5.0)],
}
AVAILABILITY_WEIGHT = np.array([1.5, 1.3, 1.0, 0.6, 0.1])
S_APPLY, S_FUNNEL = 41, 42


def apply(w: World, day: int) -> None:
    """New applications of the day, each with its first status row."""
    r = rng(w.cfg, day, S_APPLY)
    j, c, u = w.jobs, w.candidates, w.users
    n = poisson(r, w.cfg.n(APPLICATIONS_PER_DAY) * load(day))
    jobs = np.flatnonzero(j["status"] == OPEN)
    cands = np.flatnonzero(u["status"][c["user"]] == 0)
    if n == 0 or len(jobs) == 0 or len(cands) == 0:
        return
    age = (day_start(day) - j["posted_at"][jobs]) / DAY
    job = jobs[pick(r, j["weight"][jobs] * np.exp(-np.maximum(age, 0) / 12), n)]
    cand = cands[pick(r, u["activity"][c["user"][cands]] * AVAILABILITY_WEIGHT[c["availability"][cands]], n)]
    start = np.maximum(np.maximum(j["posted_at"][job], c["updated_at"][cand]), day_start(day))
    at = start + ((day_start(day) + DAY - start) * r.random(n)).astype(np.int64)
    keep = unique_pairs(cand, job)
    keep = keep[np.argsort(at[keep], kind="stable")]
    add(w, r, day, cand[keep], job[keep], at[keep])


def add(w: World, r: np.random.Generator, day: int, cand: np.ndarray, job: np.ndarray, at: np.ndarray) -> None:
    n = len(cand)
    channel = pick(r, vocab.CHANNEL_WEIGHT, n)
    for code, column in ((4, "board_a"), (5, "board_b")):
        channel = np.where((channel == code) & (w.jobs[column][job] <= 0), 1, channel)
    referrer = np.where(channel == 3, r.integers(0, w.candidates.n, n), -1)
    referrer = np.where(referrer == cand, -1, referrer)
    defect = np.where(w.defect_share(r, n), r.integers(1, 3, n), 0)
    idx = w.applications.add(
        n, cand=cand, job=job, channel=channel, referrer=referrer, status=APPLIED, seq=1, applied_at=at,
        updated_at=at, next_at=NEVER, next_status=APPLIED, forced=False, defect=defect,
    )  # fmt: skip
    for code in (1, 2):
        w.defects.add("platform", "applications", idx[defect == code] + 1, DEFECTS["applications"][code], day)
    w.history.add(n, app=idx, seq=1, status=APPLIED, changed_at=at)
    schedule(w, r, idx, APPLIED, at)


def schedule(w: World, r: np.random.Generator, apps: np.ndarray, stage: int, at: np.ndarray) -> None:
    """Draw what happens next to applications that just entered ``stage``, and when."""
    a = w.applications
    nxt, when = np.full(len(apps), stage, np.int8), np.full(len(apps), NEVER, np.int64)
    u = r.random(len(apps))
    low = 0.0
    for status, p, median in OUTCOMES[stage]:
        hit = (u >= low) & (u < low + p)
        nxt[hit] = status
        when[hit] = skip_weekend(at[hit] + 600 + lognormal_days(r, median, 0.8, int(hit.sum())), r)
        low += p
    a["next_status"][apps], a["next_at"][apps] = nxt, when


def progress(w: World, day: int, erased: tuple[np.ndarray, np.ndarray]) -> None:
    """Every status change due today, in time order; hires fill jobs and start placements."""
    r = rng(w.cfg, day, S_FUNNEL)
    a = w.applications
    end = day_start(day) + DAY
    withdraw_erased(w, *erased)
    reject_for_gone_jobs(w, r, day)
    due = np.flatnonzero(a["next_at"] < end)
    while len(due):
        due = due[np.argsort(a["next_at"][due], kind="stable")]
        at, status = a["next_at"][due].copy(), a["next_status"][due].copy()
        a["status"][due], a["updated_at"][due] = status, at
        a["seq"][due] += 1
        w.history.add(len(due), app=due, seq=a["seq"][due], status=status, changed_at=at)
        a["next_at"][due] = NEVER
        for stage in OUTCOMES:
            moved = status == stage
            if moved.any():
                schedule(w, r, due[moved], stage, at[moved])
        hired = status == HIRED
        if hired.any():
            hire(w, r, day, due[hired], at[hired])
        due = due[a["next_at"][due] < end]


def withdraw_erased(w: World, cand: np.ndarray, at: np.ndarray) -> None:
    """Erased candidates' open applications are withdrawn a minute after the erasure."""
    a = w.applications
    rows = np.flatnonzero(np.isin(a["cand"], cand) & (a["status"] <= OFFER))
    when = dict(zip(cand.tolist(), at.tolist(), strict=True))
    a["next_status"][rows] = WITHDRAWN
    a["next_at"][rows] = np.array([when[k] for k in a["cand"][rows].tolist()], np.int64) + 60
    a["forced"][rows] = True


def reject_for_gone_jobs(w: World, r: np.random.Generator, day: int) -> None:
    """Applications still waiting on a job that is no longer open are rejected within days (half of those
    nobody had answered are never told)."""
    a, j = w.applications, w.jobs
    waiting = np.flatnonzero(~a["forced"] & (a["status"] <= INTERVIEW))
    gone = waiting[j["status"][a["job"][waiting]] != OPEN]
    a["forced"][gone] = True
    gone = gone[(a["next_at"][gone] < NEVER) | (r.random(len(gone)) < 0.5)]
    since = np.maximum(a["updated_at"][gone], j["updated_at"][a["job"][gone]])
    when = skip_weekend(since + 600 + lognormal_days(r, 2.0, 0.7, len(gone)), r)
    a["next_at"][gone] = np.maximum(np.minimum(a["next_at"][gone], when), day_start(day))
    a["next_status"][gone] = REJECTED


def hire(w: World, r: np.random.Generator, day: int, apps: np.ndarray, at: np.ndarray) -> None:
    j = w.jobs
    job = w.applications["job"][apps]
    fills = np.flatnonzero(j["status"][job] == OPEN)
    fills = fills[unique_pairs(job[fills], np.zeros(len(fills), np.int64))]
    j["status"][job[fills]] = FILLED
    j["filled_at"][job[fills]] = at[fills]
    j["updated_at"][job[fills]] = np.maximum(j["updated_at"][job[fills]], at[fills])
    billing.place(w, r, day, apps, at)
