"""Columnar state of the simulation: numpy columns that grow, and small vector helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


class Store:
    """Rows held as one numpy array per column; ``s["col"]`` is a writable view of the rows so far.

    Row ``i`` has id ``i + 1`` in the platform database (ids start at 1).
    """

    def __init__(self, **dtypes: Any) -> None:
        self.n = 0
        self._dtypes = {name: np.dtype(t) for name, t in dtypes.items()}
        self._cols = {name: np.zeros(16, t) for name, t in self._dtypes.items()}

    def __getitem__(self, name: str) -> np.ndarray:
        return self._cols[name][: self.n]

    def columns(self) -> list[str]:
        return list(self._cols)

    def add(self, count: int, **values: Any) -> np.ndarray:
        """Append ``count`` rows (missing columns are 0); returns the indexes of the new rows."""
        if count <= 0:
            return np.zeros(0, np.int64)
        unknown = set(values) - set(self._cols)
        if unknown:
            raise KeyError(f"unknown columns: {sorted(unknown)}")
        self._reserve(self.n + count)
        start, self.n = self.n, self.n + count
        for name, value in values.items():
            self._cols[name][start : self.n] = value
        return np.arange(start, self.n)

    def _reserve(self, size: int) -> None:
        capacity = len(next(iter(self._cols.values())))
        if size <= capacity:
            return
        capacity = max(size, capacity * 2)
        for name, col in self._cols.items():
            grown = np.zeros(capacity, col.dtype)
            grown[: self.n] = col[: self.n]
            self._cols[name] = grown


@dataclass
class Defect:
    """One malformed record put in on purpose, for quality checks to find."""

    feed: str  # platform | events | board_a | board_b | crm
    location: str  # table name or file path under the landing folder
    key: str  # primary key, posting id, event id or line number
    kind: str
    day: int
    detail: str = ""


@dataclass
class DefectLog:
    items: list[Defect] = field(default_factory=list)

    def add(self, feed: str, location: str, keys: Any, kind: str, day: int, details: Any = None) -> None:
        keys = list(keys)
        extra = [""] * len(keys) if details is None else [str(x) for x in details]
        self.items.extend(Defect(feed, location, str(k), kind, day, d) for k, d in zip(keys, extra, strict=True))


def pick(r: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indexes drawn with replacement in proportion to ``weights``."""
    if size <= 0 or len(weights) == 0:
        return np.zeros(0, np.int64)
    cum = np.cumsum(weights, dtype=float)
    drawn: np.ndarray = np.minimum(np.searchsorted(cum, r.random(size) * cum[-1], side="right"), len(weights) - 1)
    return drawn


def cumcount(keys: np.ndarray) -> np.ndarray:
    """For each element, how many earlier elements have the same key (0, 1, 2, ...)."""
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    out = np.empty(len(keys), np.int64)
    out[order] = np.arange(len(keys)) - run_start
    return out


def choose(r: np.random.Generator, candidates: np.ndarray, share: float | np.ndarray) -> np.ndarray:
    """A random subset of ``candidates``, each kept with probability ``share`` (one, or one per candidate)."""
    if len(candidates) == 0:
        return candidates[:0]
    return candidates[r.random(len(candidates)) < share]


def lognormal_days(r: np.random.Generator, median_days: float, sigma: float, n: int) -> np.ndarray:
    """Delays in seconds, log-normally spread around a median."""
    return (median_days * 86_400 * np.exp(sigma * r.standard_normal(n))).astype(np.int64)
