"""The employers' CRM: ``crm/accounts_<date>.csv``, a full export each day.

A CSV as CRMs write them: UTF-8 with a byte-order mark, CRLF line ends,
quoted fields (names with commas and double quotes), empty lines here and
there, dates as ``dd/mm/yyyy HH:MM``. Accounts appear some days after the
employer registers on the platform (a few employers never get one), carry
the platform's employer id as a cross reference (blank for prospects not on
the platform), and change account manager and contract tier now and then.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, day_start, not_before, poisson, rng, times_in_day
from pipelines.demo.platform.deliver import deliver
from pipelines.demo.platform.store import choose
from pipelines.demo.platform.text import day_dates, employer_names
from pipelines.demo.platform.world import World

HEADER = ["Account ID", "Account Name", "Platform Employer ID", "Account Manager", "Contract Tier",
          "Billing Country", "Last Modified"]  # fmt: skip
PROSPECTS_PER_DAY = 3.0  # at scale 1
DEFECT_KINDS = ["", "bad_date", "unknown_employer"]
S_CRM, S_CRM_FILE = 81, 82


def evolve(w: World, day: int) -> None:
    """Accounts opened for employers (after their lag) and for prospects; managers and tiers change."""
    r = rng(w.cfg, day, S_CRM)
    e, c = w.employers, w.crm
    start = day_start(day)
    due = np.flatnonzero(
        (e["crm"] == 0) & (e["crm_lag"] >= 0) & (e["created_at"] + e["crm_lag"].astype(np.int64) * DAY < start + DAY)
    )
    prospects = poisson(r, w.cfg.n(PROSPECTS_PER_DAY))
    employer = np.concatenate([due, np.full(prospects, -1)]).astype(np.int64)
    n = len(employer)
    if n:
        known = employer >= 0
        at = np.maximum(times_in_day(r, day, n), np.where(known, e["created_at"][np.maximum(employer, 0)] + 60, 0))
        at = np.minimum(at, start + DAY - 1)
        country = np.where(known, e["country"][np.maximum(employer, 0)], r.integers(0, len(vocab.COUNTRIES), n))
        defect = np.where(r.random(n) < w.cfg.defect_rate * 4, r.integers(1, 3, n), 0)
        defect = np.where(~known & (defect == 2), 1, defect)  # prospects have no platform id to get wrong
        idx = c.add(
            n, employer=employer, name_a=r.integers(0, len(vocab.NAME_A), n),
            name_b=r.integers(0, len(vocab.NAME_B), n), country=country,
            manager=r.integers(0, len(vocab.ACCOUNT_MANAGERS), n),
            tier=np.where(known, np.minimum(e["size"][np.maximum(employer, 0)] // 2, 3), 0), created_at=at,
            modified_at=at, defect=defect,
        )  # fmt: skip
        e["crm"][due] = idx[: len(due)] + 1
        for code in (1, 2):
            w.defects.add("crm", "crm/accounts_*.csv", [account_id(i) for i in idx[defect == code]],
                          DEFECT_KINDS[code], day)  # fmt: skip
    old = np.flatnonzero(c["created_at"] < start)
    manager = choose(r, old, 0.004)
    c["manager"][manager] = (c["manager"][manager] + r.integers(1, len(vocab.ACCOUNT_MANAGERS), len(manager))) % len(
        vocab.ACCOUNT_MANAGERS
    )
    tier = choose(r, old, 0.002)
    c["tier"][tier] = np.clip(c["tier"][tier] + np.where(r.random(len(tier)) < 0.7, 1, -1), 0, 3)
    changed = np.union1d(manager, tier)
    c["modified_at"][changed] = not_before(times_in_day(r, day, len(changed)), c["modified_at"][changed], day)


def account_id(index: int) -> str:
    return f"001J{index + 1:011d}"


def write(w: World, day: int, landing: Path) -> None:
    r = rng(w.cfg, day, S_CRM_FILE)
    c = w.crm
    rows = np.arange(c.n)
    known = c["employer"] >= 0
    names = employer_names(w, np.maximum(c["employer"], 0))
    stamp = np.datetime_as_string(c["modified_at"].astype("datetime64[s]"), unit="m")
    buf = io.StringIO()
    buf.write("\ufeff")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(HEADER)
    blank = r.random(c.n) < 0.01
    for i in rows.tolist():
        if c["defect"][i] == 1:
            modified = "31/02/2026 25:61"
        else:
            s = stamp[i]
            modified = f"{s[8:10]}/{s[5:7]}/{s[0:4]} {s[11:16]}"
        if known[i]:
            name = names[i]
            platform_id = str(90_000_000 + i) if c["defect"][i] == 2 else str(int(c["employer"][i]) + 1)
        else:
            name, platform_id = f"{vocab.NAME_A[c['name_a'][i]]} {vocab.NAME_B[c['name_b'][i]]}, Prospect", ""
        out.writerow([
            account_id(i), name, platform_id, vocab.ACCOUNT_MANAGERS[c["manager"][i]],
            vocab.CONTRACT_TIERS[c["tier"][i]], vocab.COUNTRIES[c["country"][i]], modified,
        ])  # fmt: skip
        if blank[i]:
            buf.write("\r\n")
    buf.write("\r\n")
    date = str(day_dates(np.array([day]))[0])
    deliver(landing / "crm" / f"accounts_{date}.csv", buf.getvalue().encode("utf-8"))
