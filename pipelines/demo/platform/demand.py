"""What the market asks for: skill demand that drifts week by week, and skills drawn for a role."""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import FIRST_DAY

_TREND = np.array([vocab.SKILL_TREND.get(s, 0.0) + vocab.SKILL_FADE.get(s, 0.0) for s in vocab.SKILL_NAME])
_ROLE_LEN = np.array([len(s) for s in vocab.ROLE_SKILL_IDX])
_ROLE_MAT = np.zeros((len(vocab.ROLES), int(_ROLE_LEN.max())), np.int64)
for _r, _skills in enumerate(vocab.ROLE_SKILL_IDX):
    _ROLE_MAT[_r, : len(_skills)] = _skills


def skill_demand(day: int) -> np.ndarray:
    """Relative demand of each skill on a day: a skewed base, rising and fading skills."""
    weeks = (day - FIRST_DAY) / 7.0
    return vocab.SKILL_BASE * np.exp(_TREND * weeks)


def skills_for(r: np.random.Generator, roles: np.ndarray, day: int, role_share: float = 0.75) -> np.ndarray:
    """One skill per entry of ``roles``: mostly one of the role's skills, else any; both by demand."""
    demand = skill_demand(day)
    weights = np.where(np.arange(_ROLE_MAT.shape[1]) < _ROLE_LEN[:, None], demand[_ROLE_MAT], 0.0)
    cum = np.cumsum(weights, axis=1)
    rows = cum[roles]
    u = r.random(len(roles)) * rows[:, -1]
    in_role = _ROLE_MAT[roles, np.minimum((rows <= u[:, None]).sum(axis=1), _ROLE_MAT.shape[1] - 1)]
    all_cum = np.cumsum(demand)
    anywhere = np.minimum(np.searchsorted(all_cum, r.random(len(roles)) * all_cum[-1], side="right"), len(demand) - 1)
    chosen: np.ndarray = np.where(r.random(len(roles)) < role_share, in_role, anywhere)
    return chosen


def unique_pairs(owner: np.ndarray, item: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each (owner, item) pair, in their original order."""
    key = owner.astype(np.int64) * 100_000 + item.astype(np.int64)
    _, first = np.unique(key, return_index=True)
    return np.sort(first)
