"""What ``dv trace`` finds (``trace.py``): the records of a key's history, and their JSON.

A :class:`Trace` is the hub row of one business key, the versions of each of its satellites, its link rows
with their partners and effectivity periods, its event counts and the erasures of personal data;
``as_json`` gives the JSON of ``dv trace --json`` (timestamps in ISO 8601, UTC; infinity for the open end of
a period).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class Version:
    load_dts: dt.datetime
    applied_dts: dt.datetime | None
    batch_id: int
    record_source: str
    values: dict[str, Any]
    changed: list[str]
    is_current: bool
    applied_end_dts: dt.datetime | None = None
    load_end_dts: dt.datetime | None = None
    erased: bool = False
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "load_dts": iso(self.load_dts),
            "applied_dts": iso(self.applied_dts),
            "applied_end_dts": iso(self.applied_end_dts),
            "load_end_dts": iso(self.load_end_dts),
            "batch_id": self.batch_id,
            "record_source": self.record_source,
            "is_current": self.is_current,
            "changed": self.changed,
            "values": {k: plain(v) for k, v in self.values.items()},
            **({"erased": True, "erasure": self.note} if self.erased else {}),
        }


@dataclass
class SatelliteHistory:
    node_id: str
    table: str
    personal: bool
    versions: list[Version]
    hidden: str = ""  # why its values are not shown: personal data the connection's role may not read (masked)


@dataclass
class LinkRow:
    node_id: str
    role: str  # the traced hub's role in the link
    partners: dict[str, Any]  # role -> business key (text)
    load_dts: dt.datetime
    batch_id: int
    record_source: str
    periods: list[dict[str, Any]] = field(default_factory=list)  # effectivity: start, end, is_current


@dataclass
class Erasure:
    entity: str  # "user 42"
    satellite: str
    applied_dts: dt.datetime | None
    load_dts: dt.datetime
    batch_id: int
    record_source: str
    request: str  # the source change that came with it


@dataclass
class Trace:
    hub: str
    key: list[str]
    hash_key: str
    first_seen: dt.datetime
    record_source: str
    batch_id: int
    satellites: list[SatelliteHistory]
    links: list[LinkRow]
    events: list[dict[str, Any]]
    erasures: list[Erasure]

    def as_json(self) -> dict[str, Any]:
        return {
            "hub": self.hub,
            "key": self.key,
            "hash_key": self.hash_key,
            "first_seen": iso(self.first_seen),
            "record_source": self.record_source,
            "batch_id": self.batch_id,
            "satellites": [
                {
                    "satellite": s.node_id,
                    "table": s.table,
                    "versions": [v.as_json() for v in s.versions],
                    **({"hidden": s.hidden} if s.hidden else {}),
                }
                for s in self.satellites
            ],
            "links": [
                {
                    "link": r.node_id,
                    "role": r.role,
                    "partners": {k: plain(v) for k, v in r.partners.items()},
                    "load_dts": iso(r.load_dts),
                    "batch_id": r.batch_id,
                    "record_source": r.record_source,
                    "periods": [{k: plain(v) for k, v in p.items()} for p in r.periods],
                }
                for r in self.links
            ],
            "events": [{k: plain(v) for k, v in e.items()} for e in self.events],
            "erasures": [
                {
                    "entity": e.entity,
                    "satellite": e.satellite,
                    "applied_dts": iso(e.applied_dts),
                    "load_dts": iso(e.load_dts),
                    "batch_id": e.batch_id,
                    "record_source": e.record_source,
                    "request": e.request,
                }
                for e in self.erasures
            ],
        }


def iso(value: dt.datetime | None) -> str | None:
    """A timestamp in ISO 8601, UTC; ``infinity`` for the open end of a period."""
    if value is None:
        return None
    if value.replace(tzinfo=None) in (dt.datetime.max, dt.datetime.min):
        return "infinity"
    return value.astimezone(dt.UTC).isoformat()


def plain(value: Any) -> Any:
    """A value read from the warehouse, JSON-ready."""
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID | memoryview | bytes):
        return value.hex if isinstance(value, uuid.UUID) else bytes(value).hex()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
