"""The click stream: ``events/<YYYY-MM-DD>T<HH>.jsonl``, one JSON object a line, one file per hour.

The collector is imperfect: a share of events is written twice (the hour's
file and the next one), a share arrives two hours late (an event of hour H
in the file of H+2), and a few lines are malformed (cut JSON, impossible
timestamps, users that do not exist) -- each of those is in the manifest.
Logins, profile updates and application submits are the ones the database
shows; job views and searches exist only here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, HOUR, day_start, load, poisson, rng, times_in_day
from pipelines.demo.platform.deliver import deliver as deliver_file
from pipelines.demo.platform.demand import skill_demand
from pipelines.demo.platform.funnel import AVAILABILITY_WEIGHT
from pipelines.demo.platform.store import pick
from pipelines.demo.platform.text import iso_seconds
from pipelines.demo.platform.world import CHANGE_FIELDS, OPEN, World

VIEWS_PER_DAY, SEARCHES_PER_DAY = 100_000.0, 40_000.0  # at scale 1 and a load of 1
DUPLICATE_SHARE, LATE_SHARE = 0.007, 0.015
TYPES = ["job_view", "search", "login", "profile_update", "application_submit"]
BAD_TIMESTAMPS = ["2026-02-30T10:15:00Z", "31/02/2026 25:61", "1970-01-01T00:00:00Z", "not a time"]
S_EVENTS, S_DELIVERY = 61, 62


class Batch:
    """Events as columns: type, user index (-1 anonymous), time in ms, payload JSON text."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]] = []

    def add(self, kind: int, users: np.ndarray, ts: np.ndarray, payloads: list[str]) -> None:
        self.parts.append((np.full(len(users), kind, np.int8), users.astype(np.int64), ts.astype(np.int64), payloads))

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        kinds = np.concatenate([p[0] for p in self.parts] or [np.zeros(0, np.int8)])
        users = np.concatenate([p[1] for p in self.parts] or [np.zeros(0, np.int64)])
        ms = np.concatenate([p[2] for p in self.parts] or [np.zeros(0, np.int64)])
        return kinds, users, ms, [x for p in self.parts for x in p[3]]


def generate(w: World, day: int) -> Batch:
    """The day's events, in no particular order."""
    r = rng(w.cfg, day, S_EVENTS)
    b = Batch()
    for who, at in w.logins:
        method = np.array(vocab.LOGIN_METHODS, dtype=object)[r.integers(0, 3, len(who))].tolist()
        b.add(2, who, at * 1000 + r.integers(0, 1000, len(who)), [f'{{"method":"{m}"}}' for m in method])
    for who, at, field in w.profile_updates:
        names = np.array(CHANGE_FIELDS, dtype=object)[field].tolist()
        b.add(3, who, at * 1000 + r.integers(0, 1000, len(who)), [f'{{"fields":["{f}"]}}' for f in names])
    a = w.applications
    new = np.arange(w.marks["applications"], a.n)
    payload = [
        f'{{"application_id":{i + 1},"job_id":{j + 1},"channel":"{vocab.CHANNELS[c]}"}}'
        for i, j, c in zip(new.tolist(), a["job"][new].tolist(), a["channel"][new].tolist(), strict=True)
    ]
    b.add(4, w.candidates["user"][a["cand"][new]], a["applied_at"][new] * 1000 + r.integers(0, 1000, len(new)), payload)
    browse(w, r, day, b)
    return b


def visitors(w: World, r: np.random.Generator, n: int) -> np.ndarray:
    """Users who browse: mostly active candidates, some anonymous (-1)."""
    c, u = w.candidates, w.users
    live = np.flatnonzero(u["status"][c["user"]] == 0)
    users = c["user"][live[pick(r, u["activity"][c["user"][live]] * AVAILABILITY_WEIGHT[c["availability"][live]], n)]]
    return np.where(r.random(n) < 0.15, -1, users)


def moments(r: np.random.Generator, day: int, n: int) -> np.ndarray:
    return times_in_day(r, day, n) * 1000 + r.integers(0, 1000, n)


def browse(w: World, r: np.random.Generator, day: int, b: Batch) -> None:
    j = w.jobs
    jobs = np.flatnonzero(j["status"] == OPEN)
    n = poisson(r, w.cfg.n(VIEWS_PER_DAY) * load(day)) if len(jobs) else 0
    seen = jobs[pick(r, j["weight"][jobs], n)]
    source = np.array(["search", "recommendation", "direct", "email"], dtype=object)[pick(r, np.array([5, 3, 2, 1]), n)]
    views = [f'{{"job_id":{k + 1},"source":"{s}"}}' for k, s in zip(seen.tolist(), source.tolist(), strict=True)]
    b.add(0, visitors(w, r, n), moments(r, day, n), views)
    n = poisson(r, w.cfg.n(SEARCHES_PER_DAY) * load(day))
    b.add(1, visitors(w, r, n), moments(r, day, n), searches(r, day, n))


def searches(r: np.random.Generator, day: int, n: int) -> list[str]:
    """Search payloads: query text (skills in demand, a word, maybe a city) and optional filters."""
    skill = np.array(vocab.SKILL_NAME, dtype=object)[pick(r, skill_demand(day), n)]
    word = np.array(vocab.SEARCH_WORDS, dtype=object)[r.integers(0, len(vocab.SEARCH_WORDS), n)]
    city = np.array(vocab.CITY_NAME, dtype=object)[pick(r, vocab.CITY_WEIGHT, n)]
    with_city = r.random(n) < 0.3
    country = np.array(vocab.COUNTRIES, dtype=object)[r.integers(0, len(vocab.COUNTRIES), n)]
    flags = r.random((n, 4)) < np.array([0.4, 0.3, 0.3, 0.2])
    remote = np.array(vocab.REMOTE, dtype=object)[r.integers(0, 3, n)]
    contract = np.array(vocab.CONTRACT_TYPES, dtype=object)[r.integers(0, 2, n)]
    rate = r.integers(4, 16, n) * 10
    results = r.poisson(40, n)
    out = []
    for i in range(n):
        query = " ".join(x for x in (word[i], skill[i], city[i] if with_city[i] else "") if x)
        filters = []
        if flags[i, 0]:
            filters.append(f'"country":"{country[i]}"')
        if flags[i, 1]:
            filters.append(f'"remote":"{remote[i]}"')
        if flags[i, 2]:
            filters.append(f'"contract_type":"{contract[i]}"')
        if flags[i, 3]:
            filters.append(f'"min_rate":{rate[i]}')
        out.append(f'{{"query":"{query.lower()}","filters":{{{",".join(filters)}}},"results":{results[i]}}}')
    return out


def deliver(w: World, day: int, batch: Batch, folder: Path) -> None:
    """Write the day's 24 hourly files: today's events as the collector delivers them, plus yesterday's late ones."""
    r = rng(w.cfg, day, S_DELIVERY)
    kinds, users, ms, payloads = batch.columns()
    n = len(kinds)
    ids = [f"{a:016x}{b:016x}" for a, b in zip(r.integers(0, 2**63, n).tolist(), r.integers(0, 2**63, n).tolist(),
                                                strict=True)]  # fmt: skip
    defect = np.where(r.random(n) < w.cfg.defect_rate, r.integers(1, 4, n), 0)
    users = np.where(defect == 2, 90_000_000 + r.integers(0, 1_000_000, n), users)
    stamp = np.char.add(np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms"), "Z").astype(object)
    stamp[defect == 3] = np.array(BAD_TIMESTAMPS, dtype=object)[
        r.integers(0, len(BAD_TIMESTAMPS), int((defect == 3).sum()))
    ]
    lines = [
        f'{{"event_id":"{e}","type":"{TYPES[k]}","user_id":{u + 1 if u >= 0 else "null"},"timestamp":"{t}",'
        f'"payload":{p}}}'
        for e, k, u, t, p in zip(ids, kinds.tolist(), users.tolist(), stamp.tolist(), payloads, strict=True)
    ]
    for i in np.flatnonzero(defect == 1).tolist():
        lines[i] = lines[i][: len(lines[i]) // 2]
    hour = ms // 1000 // HOUR * HOUR
    late = r.random(n) < LATE_SHARE
    arrival = np.where(late, hour + 2 * HOUR + r.integers(0, HOUR, n), ms // 1000)  # in the file of H+2
    twice = np.flatnonzero(r.random(n) < DUPLICATE_SHARE)  # once more in the file of H+1
    arrival = np.concatenate([arrival, hour[twice] + HOUR + r.integers(0, 300, len(twice))])
    order = np.concatenate([np.arange(n), twice])
    kinds_of = np.concatenate([defect, defect[twice]])
    spill = w.event_spill[0] if w.event_spill else None
    arrival_all = np.concatenate([spill[0], arrival]) if spill is not None else arrival
    text_all = (spill[1] if spill is not None else []) + [lines[i] for i in order.tolist()]
    defect_all = np.concatenate([spill[2], kinds_of]) if spill is not None else kinds_of
    ids_all = (spill[3] if spill is not None else []) + [ids[i] for i in order.tolist()]
    write_hours(w, day, folder, arrival_all, text_all, defect_all, ids_all)


def write_hours(
    w: World, day: int, folder: Path, arrival: np.ndarray, lines: list[str], defect: np.ndarray, ids: list[str]
) -> None:
    end = day_start(day) + DAY
    order = np.lexsort((np.array(ids, dtype=object).astype(str), arrival)) if len(ids) else np.zeros(0, np.int64)
    later = order[arrival[order] >= end]
    w.event_spill[:] = [
        (arrival[later], [lines[i] for i in later.tolist()], defect[later], [ids[i] for i in later.tolist()])
    ]
    now = order[arrival[order] < end]
    hour_of = (arrival[now] - day_start(day)) // HOUR
    bounds = np.searchsorted(hour_of, np.arange(25))
    names = ["broken_json", "unknown_user", "bad_timestamp"]
    for h in range(24):
        rows = now[bounds[h] : bounds[h + 1]]
        name = f"{iso_seconds(np.array([day_start(day) + h * HOUR]))[0][:13]}.jsonl"
        deliver_file(folder / name, "".join(lines[i] + "\n" for i in rows.tolist()).encode("utf-8"))
        bad = np.flatnonzero(defect[rows] > 0)
        for pos in bad.tolist():
            w.defects.add(
                "events", f"events/{name}", [pos + 1], names[int(defect[rows[pos]]) - 1], day, [ids[rows[pos]]]
            )
