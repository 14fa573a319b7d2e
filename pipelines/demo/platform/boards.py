"""Partner job boards, each a FULL extract of the board's current postings, once a day.

``board_a/<date>.xml``: one XML document. ``board_b/<date>/page-NNNN.json``:
paged JSON, each page pointing at the next. A board lists the platform jobs
syndicated to it while they are open, and postings of its own; both carry the
employer's requisition number (board B: lower-cased, sometimes padded), which
is how a posting resolves to a platform job. A posting that vanishes from the
extract is how a closure shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import day_start, poisson, rng
from pipelines.demo.platform.deliver import deliver
from pipelines.demo.platform.jobs import city_in, salary_range
from pipelines.demo.platform.store import pick
from pipelines.demo.platform.text import day_dates, employer_names, iso_seconds, job_refs, titles, years_of
from pipelines.demo.platform.world import OPEN, World, board_id

OWN_PER_DAY = 30.0  # postings of a board's own per day, at scale 1
PAGE_SIZE = 100
OWN_SEQ_BASE = 50_000  # requisition numbers of board-only postings never collide with platform jobs
S_BOARDS = 71
BAD_DATES = ["31.02.2026", "2026-02-30", "yesterday"]


def evolve(w: World, day: int) -> None:
    """New postings of the boards' own (60 days of them exist before day 1)."""
    if day < -60:
        return
    r = rng(w.cfg, day, S_BOARDS)
    e = w.employers
    for board in (0, 1):
        n = poisson(r, w.cfg.n(OWN_PER_DAY))
        if n == 0 or e.n == 0:
            continue
        employer = np.where(r.random(n) < 0.5, pick(r, e["weight"], n), -1)
        role, seniority = pick(r, vocab.ROLE_WEIGHT, n), r.integers(0, 5, n)
        city = city_in(r, np.where(employer >= 0, e["country"][np.maximum(employer, 0)], r.integers(0, 8, n)))
        contract = (r.random(n) < 0.5).astype(np.int8)
        low, high = salary_range(r, role, seniority, city, contract)
        defect = np.where(r.random(n) < w.cfg.defect_rate * 4, r.integers(1, 3, n), 0)
        ids = board_id(w, board, n)
        w.postings.add(
            n, board=board, board_id=ids, employer=employer, role=role, seniority=seniority, city=city,
            contract=contract, smin=low, smax=high, first_day=day, last_day=day + r.integers(7, 60, n),
            seq=OWN_SEQ_BASE + ids, defect=defect,
        )  # fmt: skip


def current(w: World, day: int, board: int) -> dict[str, Any]:
    """The postings a board lists at the end of a day, ordered by the board's id."""
    j, p = w.jobs, w.postings
    column = ("board_a", "board_b")[board]
    jobs = np.flatnonzero((j[column] > 0) & (j["status"] == OPEN))
    own = np.flatnonzero((p["board"] == board) & (p["first_day"] <= day) & (p["last_day"] >= day))
    emp = np.concatenate([j["employer"][jobs], np.maximum(p["employer"][own], 0)])
    cols = {
        "id": np.concatenate([j[column][jobs], p["board_id"][own]]),
        "employer": np.concatenate([j["employer"][jobs], p["employer"][own]]),
        "role": np.concatenate([j["role"][jobs], p["role"][own]]),
        "seniority": np.concatenate([j["seniority"][jobs], p["seniority"][own]]),
        "city": np.concatenate([j["city"][jobs], p["city"][own]]),
        "remote": np.concatenate([j["remote"][jobs], np.zeros(len(own), np.int8)]),
        "contract": np.concatenate([j["contract"][jobs], p["contract"][own]]),
        "smin": np.concatenate([np.minimum(j["smin"][jobs], j["smax"][jobs]), p["smin"][own]]),
        "smax": np.concatenate([np.maximum(j["smin"][jobs], j["smax"][jobs]), p["smax"][own]]),
        "posted": np.concatenate([j["posted_at"][jobs], day_start(1) + (p["first_day"][own] - 1) * 86_400 + 9 * 3600]),
        "seq": np.concatenate([j["seq"][jobs], p["seq"][own]]),
        "defect": np.concatenate([np.zeros(len(jobs), np.int8), p["defect"][own]]),
    }
    order = np.argsort(cols["id"], kind="stable")
    out: dict[str, Any] = {k: v[order] for k, v in cols.items()}
    emp = emp[order]
    known = cols["employer"][order] >= 0
    names = employer_names(w, emp)
    out["company"] = [n if k else f"{vocab.NAME_A[i % 24]} {vocab.NAME_B[i % 20]} Group" for n, k, i in
                      zip(names, known.tolist(), out["id"].tolist(), strict=True)]  # fmt: skip
    codes = np.where(known, emp, 100_000 + out["id"])
    out["ref"] = job_refs(codes, years_of(out["posted"]), out["seq"])
    out["title"] = titles(out["role"], out["seniority"])
    return out


def write(w: World, day: int, landing: Path) -> None:
    date = str(day_dates(np.array([day]))[0])
    a = current(w, day, 0)
    deliver(landing / "board_a" / f"{date}.xml", board_a_xml(w, day, date, a).encode("utf-8"))
    b = current(w, day, 1)
    pages = board_b_pages(w, day, date, b)
    folder = landing / "board_b" / date
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages:
        deliver(folder / name, text.encode("utf-8"))


def _record_defects(w: World, day: int, board: str, where: str, p: dict[str, Any], kinds: list[str], fmt: str) -> None:
    bad = np.flatnonzero(p["defect"] > 0)
    for i in bad.tolist():
        w.defects.add(board, where, [fmt.format(int(p["id"][i]))], kinds[int(p["defect"][i]) - 1], day)


def board_a_xml(w: World, day: int, date: str, p: dict[str, Any]) -> str:
    _record_defects(w, day, "board_a", f"board_a/{date}.xml", p, ["bad_date", "bad_date"], "A{:07d}")
    posted = day_dates((p["posted"] - day_start(1)) // 86_400 + 1)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<jobs board="board_a" date="{date}" count="{len(p["id"])}">']
    for i in range(len(p["id"])):
        k = int(vocab.CITY_COUNTRY[p["city"][i]])
        title = p["title"][i] + (" (m/w/d)" if k == 0 else "")
        period = "hour" if p["contract"][i] else "year"
        when = BAD_DATES[i % len(BAD_DATES)] if p["defect"][i] else posted[i]
        lines += [
            f'  <job id="A{p["id"][i]:07d}">',
            f"    <reference>{escape(p['ref'][i])}</reference>",
            f"    <company>{escape(p['company'][i])}</company>",
            f"    <title>{escape(title)}</title>",
            f'    <location city={quoteattr(vocab.CITY_NAME[p["city"][i]])} country="{vocab.COUNTRIES[k]}" '
            f'remote="{vocab.REMOTE[p["remote"][i]]}"/>',
            f"    <employment>{vocab.CONTRACT_TYPES[p['contract'][i]]}</employment>",
            f'    <salary currency="{vocab.CURRENCY[k]}" period="{period}" min="{p["smin"][i]}" max="{p["smax"][i]}"/>',
            f"    <posted>{when}</posted>",
            "  </job>",
        ]
    lines.append("</jobs>")
    return "\n".join(lines) + "\n"


def board_b_pages(w: World, day: int, date: str, p: dict[str, Any]) -> list[tuple[str, str]]:
    _record_defects(w, day, "board_b", f"board_b/{date}", p, ["bad_date", "salary_min_above_max"], "bb-{:06d}")
    published = iso_seconds(p["posted"])
    items = []
    for i in range(len(p["id"])):
        k = int(vocab.CITY_COUNTRY[p["city"][i]])
        ref = p["ref"][i].lower()
        low, high = int(p["smin"][i]), int(p["smax"][i])
        if p["defect"][i] == 2:
            low, high = high, low
        items.append({
            "id": f"bb-{p['id'][i]:06d}",
            "employer_reference": f" {ref} " if p["id"][i] % 10 == 3 else ref,
            "employer": p["company"][i],
            "title": p["title"][i],
            "city": vocab.CITY_NAME[p["city"][i]],
            "country": vocab.COUNTRIES[k],
            "remote": bool(p["remote"][i] == 2),
            "employment_type": vocab.CONTRACT_TYPES[p["contract"][i]].upper(),
            "compensation": {"min": low, "max": high, "currency": vocab.CURRENCY[k],
                             "unit": "HOUR" if p["contract"][i] else "YEAR"},
            "published_at": BAD_DATES[i % 3] if p["defect"][i] == 1 else published[i] + "Z",
        })  # fmt: skip
    count = max(1, -(-len(items) // PAGE_SIZE))
    pages = []
    for page in range(1, count + 1):
        body = {
            "board": "board_b",
            "extracted_at": f"{date}T23:30:00Z",
            "page": page,
            "pages": count,
            "next_page": f"page-{page + 1:04d}.json" if page < count else None,
            "items": items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        }
        pages.append((f"page-{page:04d}.json", json.dumps(body, ensure_ascii=False) + "\n"))
    return pages
