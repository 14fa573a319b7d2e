"""``dv asof``: one business key as the warehouse knew it at a moment, or as it was at the source then.

Load time (the default): the versions with ``load_dts <= t < load_end_dts`` and the links loaded by then;
with ``applied``: the versions with ``applied_dts <= t < applied_end_dts`` and the links whose effectivity
period was open then. Read from the key's whole trace (``trace.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import psycopg2.extensions

from pipelines.audit.trace import trace
from pipelines.audit.trace_model import LinkRow, Version
from pipelines.project import Project


@dataclass
class AsOf:
    hub: str
    key: list[str]
    at: dt.datetime
    applied: bool
    known: bool  # the hub row existed then (load time) / the key had a version by then
    satellites: dict[str, Version | None]
    links: list[LinkRow]
    hidden: dict[str, str] = field(default_factory=dict)  # satellite -> why it is not shown (personal data)

    def as_json(self) -> dict[str, Any]:
        return {
            "hub": self.hub,
            "key": self.key,
            "at": self.at.isoformat(),
            "applied": self.applied,
            "known": self.known,
            "satellites": {k: (v.as_json() if v else None) for k, v in self.satellites.items()},
            **({"hidden": self.hidden} if self.hidden else {}),
            "links": [
                {"link": r.node_id, "role": r.role, "partners": r.partners, "batch_id": r.batch_id} for r in self.links
            ],
        }


def asof(
    conn: psycopg2.extensions.connection,
    project: Project,
    entity: str,
    key: list[str],
    at: dt.datetime,
    applied: bool = False,
) -> AsOf:
    """The key as the warehouse knew it at ``at`` (load time), or with ``applied`` as it was at the source."""
    found = trace(conn, project, entity, key)
    lo, hi = ("applied_dts", "applied_end_dts") if applied else ("load_dts", "load_end_dts")
    state: dict[str, Version | None] = {}
    hidden = {h.node_id: h.hidden for h in found.satellites if h.hidden}
    for h in found.satellites:
        if h.hidden and not h.versions:
            continue
        chosen = None
        for v in h.versions:
            start = getattr(v, lo)
            end = getattr(v, hi)
            if start is not None and end is not None and start <= at < end:
                chosen = v
        state[h.node_id] = chosen
    links = []
    for link in found.links:
        if not applied and link.load_dts > at:
            continue
        if link.periods:
            start_col, end_col = ("start_dts", "end_dts") if applied else ("load_dts", "load_end_dts")
            open_periods = [p for p in link.periods if p[start_col] <= at < p[end_col]]
            if not open_periods:
                continue
            link = LinkRow(
                link.node_id, link.role, link.partners, link.load_dts, link.batch_id, link.record_source, open_periods
            )
        links.append(link)
    known = found.first_seen <= at if not applied else any(v is not None for v in state.values())
    return AsOf(entity, key, at, applied, known, state, links, hidden)
