"""Money: placements from hires, weekly timesheets of contractors, invoices and their payment.

Contract placements bill hours (rate plus the fee percentage) monthly from
approved timesheets; permanent placements bill one fee on their start day.
Invoices are paid on time, late, or never, depending on the employer.
"""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, HOUR, NEVER, date_of, day_of, day_start, rng, skip_weekend, times_in_day
from pipelines.demo.platform.store import choose, lognormal_days
from pipelines.demo.platform.world import DEFECTS, ENDED, PLANNED, RUNNING, TERMINATED, World

S_PLACEMENTS, S_TIMESHEETS, S_INVOICES = 51, 52, 53
SUBMITTED, APPROVED, REJECTED = 0, 1, 2
OPEN_INVOICE, PAID, OVERDUE, WRITTEN_OFF = 0, 1, 2, 3
PAYMENT = np.array([[0.9, 0.08], [0.3, 0.6], [0.1, 0.4]])  # by payer kind: P(on time), P(late); else never


def place(w: World, r: np.random.Generator, day: int, apps: np.ndarray, at: np.ndarray) -> None:
    """A placement for each hire: start in 1-4 weeks; contracts run 4-78 weeks (median 30) at a rate within
    the job's range; permanent ones have a salary and no end."""
    a, j = w.applications, w.jobs
    job = a["job"][apps]
    n = len(apps)
    contract = j["contract"][job]
    start = day_of(at) + r.integers(7, 29, n)
    weeks = np.clip(np.round(30 * np.exp(0.5 * r.standard_normal(n))), 4, 78).astype(np.int64)
    low, high = np.minimum(j["smin"][job], j["smax"][job]), np.maximum(j["smin"][job], j["smax"][job])
    pay = low + r.random(n) * (high - low)
    defect = w.defect_share(r, n) & (contract == 1)
    idx = w.placements.add(
        n, app=apps, cand=a["cand"][apps], job=job, employer=j["employer"][job], contract=contract, start=start,
        end=np.where(contract == 1, start + weeks * 7 - 1, -1), rate=np.where(contract == 1, np.round(pay) * 100, 0),
        salary=np.where(contract == 1, 0, np.round(pay / 1000) * 100_000),
        fee_pct=np.where(contract == 1, r.integers(15, 26, n), r.integers(18, 26, n)),
        currency=vocab.CITY_COUNTRY[j["city"][job]], status=PLANNED, created_at=at, updated_at=at, defect=defect,
    )  # fmt: skip
    w.defects.add("platform", "placements", idx[defect] + 1, DEFECTS["placements"][1], day)


def placements(w: World, day: int) -> np.ndarray:
    """Placements start, end, are extended or end early; returns the permanent ones that started today."""
    r = rng(w.cfg, day, S_PLACEMENTS)
    p = w.placements
    morning = day_start(day) + 7 * HOUR + r.integers(0, HOUR, p.n)
    starting = np.flatnonzero((p["status"] == PLANNED) & (p["start"] == day))
    p["status"][starting], p["updated_at"][starting] = RUNNING, morning[starting]
    running = np.flatnonzero((p["status"] == RUNNING) & (p["contract"] == 1))
    ending = running[p["end"][running] < day]
    p["status"][ending], p["updated_at"][ending] = ENDED, morning[ending]
    extend = choose(r, running[p["end"][running] == day + 14], 0.25)
    p["end"][extend] += 13 * 7
    p["updated_at"][extend] = morning[extend]
    stop = choose(r, running[p["end"][running] > day + 14], 0.002)
    p["status"][stop], p["end"][stop], p["updated_at"][stop] = TERMINATED, day, morning[stop]
    uncontracted: np.ndarray = starting[p["contract"][starting] == 0]
    return uncontracted


def timesheets(w: World, day: int) -> None:
    """On Mondays contractors submit last week's hours; managers approve (or reject) them within days."""
    r = rng(w.cfg, day, S_TIMESHEETS)
    t = w.timesheets
    # submissions first: a Monday's timesheet decided the same day must change on that day, not on the
    # next (its updated_at would fall before the next day's extract window and the change be lost)
    if (day - 1) % 7 == 0:
        submit_week(w, r, day, day - 7)
    end = day_start(day) + DAY
    due = np.flatnonzero((t["status"] == SUBMITTED) & (t["decide_at"] < end))
    at = t["decide_at"][due]
    t["status"][due] = np.where(r.random(len(due)) < 0.96, APPROVED, REJECTED)
    t["approved_at"][due] = np.where(t["status"][due] == APPROVED, at, -1)
    t["updated_at"][due] = at


def submit_week(w: World, r: np.random.Generator, day: int, week: int) -> None:
    p = w.placements
    worked = np.minimum(p["end"], week + 4) - np.maximum(p["start"], week) + 1
    rows = np.flatnonzero((p["contract"] == 1) & (p["status"] != PLANNED) & (worked > 0))
    days = worked[rows]
    hours = np.clip(np.round(days * r.normal(8.0, 0.8, len(rows)) * 4) / 4, 0, 60)
    defect = w.defect_share(r, len(rows))
    hours = np.where(defect, -hours, hours)
    at = times_in_day(r, day, len(rows))
    decide = skip_weekend(at + HOUR + lognormal_days(r, 1.5, 0.8, len(rows)), r)
    idx = w.timesheets.add(
        len(rows), placement=rows, week=week, hours=np.round(hours * 100), status=SUBMITTED, submitted_at=at,
        approved_at=-1, decide_at=decide, updated_at=at, invoice=-1, defect=defect,
    )  # fmt: skip
    w.defects.add("platform", "timesheets", idx[defect] + 1, DEFECTS["timesheets"][1], day)


def invoices(w: World, day: int, fees: np.ndarray) -> None:
    """Payments and dunning first, then today's invoices: permanent fees, and monthly timesheet invoices."""
    r = rng(w.cfg, day, S_INVOICES)
    collect(w, day)
    issue_fees(w, r, day, fees)
    if date_of(day).day == 1:
        issue_monthly(w, r, day)


def collect(w: World, day: int) -> None:
    v = w.invoices
    start, end = day_start(day), day_start(day) + DAY
    paid = np.flatnonzero((v["status"] != PAID) & (v["pay_at"] < end))
    v["status"][paid], v["paid_at"][paid] = PAID, v["pay_at"][paid]
    v["updated_at"][paid] = np.maximum(v["pay_at"][paid], v["updated_at"][paid])
    late = np.flatnonzero((v["status"] == OPEN_INVOICE) & (v["due"] < day))
    v["status"][late], v["updated_at"][late] = OVERDUE, np.maximum(start + 2 * HOUR, v["updated_at"][late])
    lost = np.flatnonzero((v["status"] == OVERDUE) & (v["due"] + 90 <= day))
    v["status"][lost], v["updated_at"][lost] = WRITTEN_OFF, np.maximum(start + 2 * HOUR, v["updated_at"][lost])


def issue_fees(w: World, r: np.random.Generator, day: int, fees: np.ndarray) -> None:
    p = w.placements
    amount = np.round(p["salary"][fees] * p["fee_pct"][fees] / 100).astype(np.int64)
    issue(w, r, day, fees, 0, amount)


def issue_monthly(w: World, r: np.random.Generator, day: int) -> None:
    t, p = w.timesheets, w.placements
    rows = np.flatnonzero((t["status"] == APPROVED) & (t["invoice"] == -1))
    if len(rows) == 0:
        return
    placement = t["placement"][rows]
    billed = t["hours"][rows] / 100 * p["rate"][placement] * (1 + p["fee_pct"][placement] / 100)
    who, inverse = np.unique(placement, return_inverse=True)
    amount = np.round(np.bincount(inverse, weights=billed)).astype(np.int64)
    ids, at = issue(w, r, day, who, 1, amount)
    t["invoice"][rows] = ids[inverse]
    t["updated_at"][rows] = at[inverse]


def issue(
    w: World, r: np.random.Generator, day: int, placement: np.ndarray, kind: int, amount: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Invoices of the day; each one's payment (on time, late, never) is decided now, paid later."""
    n = len(placement)
    p, e = w.placements, w.employers
    employer = p["employer"][placement]
    at = day_start(day) + 8 * HOUR + r.integers(0, 2 * HOUR, n)
    due = day + e["terms"][employer]
    odds = PAYMENT[e["payer"][employer]]
    u = r.random(n)
    on_time = at + (r.uniform(0.1, 0.9, n) * (due - day) * DAY).astype(np.int64)
    late = day_start(0) + due.astype(np.int64) * DAY + DAY + lognormal_days(r, 12, 0.8, n)
    pay = np.where(u < odds[:, 0], on_time, np.where(u < odds.sum(axis=1), late, NEVER)).astype(np.int64)
    pay[pay < NEVER] = skip_weekend(pay[pay < NEVER], r)
    defect = w.defect_share(r, n)
    idx = w.invoices.add(
        n, employer=employer, placement=placement, kind=kind, amount=amount, currency=p["currency"][placement],
        issued=day, due=due, pay_at=pay, paid_at=-1, status=OPEN_INVOICE, updated_at=at, defect=defect,
    )  # fmt: skip
    w.defects.add("platform", "invoices", idx[defect] + 1, DEFECTS["invoices"][1], day)
    return idx.astype(np.int32), at
