"""Texts built from the numeric state: names, references, titles, and timestamps as strings."""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import EPOCH_DAY0
from pipelines.demo.platform.world import World

NULL = "\\N"  # NULL in PostgreSQL's COPY text format
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def copy_escape(values: list[str]) -> list[str]:
    """Escape backslashes, tabs and line breaks for COPY text."""
    return [v.translate(_COPY_ESCAPES) for v in values]


def iso_seconds(ts: np.ndarray) -> np.ndarray:
    """Epoch seconds as 'YYYY-MM-DDTHH:MM:SS' (UTC)."""
    return np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")


def ts_text(ts: np.ndarray) -> list[str]:
    """Timestamps for COPY; negative means NULL."""
    text = iso_seconds(np.maximum(ts, 0)).astype(object)
    text[ts < 0] = NULL
    return [t if t is NULL else t + "Z" for t in text.tolist()]


def day_dates(day: np.ndarray) -> np.ndarray:
    """Simulation days as 'YYYY-MM-DD'."""
    return np.datetime_as_string((day.astype(np.int64) - 1 + EPOCH_DAY0).astype("datetime64[D]"))


def date_text(day: np.ndarray, null: np.ndarray | None = None) -> list[str]:
    text = day_dates(day).astype(object)
    if null is not None:
        text[null] = NULL
    out: list[str] = text.tolist()
    return out


def int_text(values: np.ndarray, null: np.ndarray | None = None) -> list[str]:
    text = list(map(str, values.tolist()))
    if null is not None:
        for i in np.flatnonzero(null).tolist():
            text[i] = NULL
    return text


def cents_text(cents: np.ndarray, null: np.ndarray | None = None) -> list[str]:
    text = [f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}" for c in cents.astype(np.int64).tolist()]
    if null is not None:
        for i in np.flatnonzero(null).tolist():
            text[i] = NULL
    return text


def coded(values: np.ndarray, names: list[str]) -> list[str]:
    """Codes as their names."""
    table = np.array(names, dtype=object)
    out: list[str] = table[values.astype(np.int64)].tolist()
    return out


def full_names(w: World, users: np.ndarray) -> list[str]:
    u = w.users
    first = np.array([f for f, _ in vocab.FIRST_NAMES], dtype=object)[u["first"][users]]
    last = np.array([n for n, _ in vocab.LAST_NAMES], dtype=object)[u["last"][users]]
    return [f"{a} {b}" for a, b in zip(first.tolist(), last.tolist(), strict=True)]


def emails(w: World, users: np.ndarray) -> list[str]:
    u = w.users
    first = np.array([a for _, a in vocab.FIRST_NAMES], dtype=object)[u["first"][users]]
    last = np.array([a for _, a in vocab.LAST_NAMES], dtype=object)[u["last"][users]]
    domain = np.array(vocab.MAIL_DOMAINS, dtype=object)[(users + 1) % len(vocab.MAIL_DOMAINS)]
    return [
        f"{a}.{b}{i}@{d}"
        for a, b, i, d in zip(first.tolist(), last.tolist(), (users + 1).tolist(), domain.tolist(), strict=True)
    ]


def employer_names(w: World, employers: np.ndarray) -> list[str]:
    """Names as the employers entered them: 'Blue Systems GmbH', 'Smith, Jones & Partners', '"Nova" Labs Ltd'."""
    e = w.employers
    out = []
    for a, b, form, l1, l2, k in zip(
        e["name_a"][employers].tolist(), e["name_b"][employers].tolist(), e["form"][employers].tolist(),
        e["last1"][employers].tolist(), e["last2"][employers].tolist(), e["country"][employers].tolist(),
        strict=True,
    ):  # fmt: skip
        if form == 1:
            out.append(f"{vocab.LAST_NAMES[l1][0]}, {vocab.LAST_NAMES[l2][0]} & Partners")
        elif form == 2:
            out.append(f'"{vocab.NAME_A[a]}" {vocab.NAME_B[b]} {vocab.COMPANY_SUFFIX[k]}')
        else:
            out.append(f"{vocab.NAME_A[a]} {vocab.NAME_B[b]} {vocab.COMPANY_SUFFIX[k]}")
    return out


def employer_code(employer: int) -> str:
    """Three or more letters that prefix an employer's own job references (AAA, AAB, ...)."""
    n, letters = employer + 26 * 26, ""
    while n:
        n, rest = divmod(n, 26)
        letters = chr(65 + rest) + letters
    return letters


def job_refs(employers: np.ndarray, years: np.ndarray, seqs: np.ndarray) -> list[str]:
    """The employer's own requisition number of a job: '<code>-<year>-<seq>'."""
    return [
        f"{employer_code(e)}-{y}-{s:04d}"
        for e, y, s in zip(employers.tolist(), years.tolist(), seqs.tolist(), strict=True)
    ]


def titles(role: np.ndarray, seniority: np.ndarray) -> list[str]:
    return [
        vocab.ROLES[r] if s == 1 else f"{vocab.SENIORITY[s]} {vocab.ROLES[r]}"
        for r, s in zip(role.tolist(), seniority.tolist(), strict=True)
    ]


def headlines(role: np.ndarray, seniority: np.ndarray, tagline: np.ndarray) -> list[str]:
    return [t + vocab.TAGLINES[g] for t, g in zip(titles(role, seniority), tagline.tolist(), strict=True)]


def years_of(ts: np.ndarray) -> np.ndarray:
    return ts.astype("datetime64[s]").astype("datetime64[Y]").astype(np.int64) + 1970
