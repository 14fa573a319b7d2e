"""``dv trace`` and ``dv asof`` for people: a key's history (``trace.py``) and its state at a moment
(``asof.py``) as tables and lines, or as JSON.

Timestamps are shown in UTC without their microseconds, ``∞`` for the open end of a period; a satellite's
version shows what changed from the one before (old → new), its first version and a multi-active
satellite's versions show all their members, one per line as ``column=value`` pairs; counts are pluralized
(``1 version``, ``2 versions``); a personal satellite the role may not read is shown hidden.
"""

from __future__ import annotations

import datetime as dt
import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipelines.audit.asof import AsOf
from pipelines.audit.trace_model import Trace


def show_trace(found: Trace, out: Console, *, as_json: bool = False) -> None:
    """``dv trace``'s output: the hub row, a table per satellite, the links, events and erasures."""
    if as_json:
        print(json.dumps(found.as_json(), indent=2, default=str))
        return
    out.print(
        f"[bold]{found.hub} {' '.join(found.key)}[/] (hash key {found.hash_key}): first seen {_when(found.first_seen)}"
        f" from {escape(found.record_source)}, batch {found.batch_id}"
    )
    for sat in found.satellites:
        if sat.hidden and not sat.versions:
            out.print(f"[yellow]{sat.node_id}: hidden[/] ({escape(sat.hidden)})")
            continue
        title = f"{sat.node_id} ({plural(len(sat.versions), 'version')}{'; ' + sat.hidden if sat.hidden else ''})"
        table = Table(title=escape(title), title_justify="left")
        for col in ("applied", "loaded", "batch", "source", "changed", "values"):
            table.add_column(col, overflow="fold")
        before: dict[str, object] = {}
        for v in sat.versions:
            changed = "[red]ERASED[/]" if v.erased else escape(", ".join(v.changed))
            if v.erased:
                values = escape(v.note)
            elif v.changed == ["(first)"] or "members" in v.values:
                values = escape(_values(v.values))
            else:  # what changed: old -> new
                values = escape("; ".join(f"{c}: {before.get(c)} → {v.values.get(c)}" for c in v.changed))
            before = v.values
            table.add_row(
                _when(v.applied_dts) + (" *" if v.is_current else ""),
                _when(v.load_dts),
                str(v.batch_id),
                escape(v.record_source),
                changed,
                values,
            )
        out.print(table)
    if found.links:
        table = Table(title="links", title_justify="left")
        for col in ("link", "as", "to", "loaded", "batch", "effectivity"):
            table.add_column(col, overflow="fold")
        for link in found.links:
            periods = "; ".join(
                f"{_when(p['start_dts'])} → {_when(p['end_dts'])}" + (" (current)" if p["is_current"] else "")
                for p in link.periods
            )
            table.add_row(
                link.node_id,
                link.role,
                escape(", ".join(f"{r} {k}" for r, k in link.partners.items())),
                _when(link.load_dts),
                str(link.batch_id),
                periods,
            )
        out.print(table)
    for e in found.events:
        out.print(
            f"events {e['link']} as {e['role']}: {e['events']} ({_when(e['first_event'])} .. {_when(e['last_event'])})"
        )
    for erased in found.erasures:
        out.print(
            f"[red]erased[/] {escape(erased.entity)} {erased.satellite} at {_when(erased.applied_dts)}"
            f" (loaded {_when(erased.load_dts)}, batch {erased.batch_id}, {escape(erased.record_source)});"
            f" request: {escape(erased.request)}"
        )
    out.print("* current version; applied = when it changed at the source, loaded = when the warehouse learned it")


def show_asof(state: AsOf, out: Console, *, as_json: bool = False) -> None:
    """``dv asof``'s output: each satellite's version then (or none), the hidden ones, the links."""
    if as_json:
        print(json.dumps(state.as_json(), indent=2, default=str))
        return
    axis = "as it was at the source" if state.applied else "as the warehouse knew it"
    out.print(f"[bold]{state.hub} {' '.join(state.key)}[/] {axis} at {_when(state.at)}")
    if not state.known:
        out.print("  not known then")
    for name, v in state.satellites.items():
        if v is None:
            out.print(f"  {name}: (no version)")
        else:
            out.print(
                f"  {name}: {escape(_values(v.values))}  [dim](applied {_when(v.applied_dts)},"
                f" loaded {_when(v.load_dts)}, batch {v.batch_id})[/]"
            )
    for name, why in state.hidden.items():
        out.print(f"  {name}: [yellow]hidden[/] ({escape(why)})")
    for r in state.links:
        out.print(f"  {r.node_id} as {r.role}: {escape(', '.join(f'{k} {v}' for k, v in r.partners.items()))}")


def _when(value: object) -> str:
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.replace(tzinfo=None) in (dt.datetime.max, dt.datetime.min):
        return "∞"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def plural(count: int, word: str) -> str:
    """``1 version``, ``2 versions``, ``0 versions``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _values(values: dict[str, object], only: list[str] | None = None) -> str:
    """``column=value, …``; a multi-active satellite's members one per line, each as ``column=value, …``."""
    members = values.get("members")
    if isinstance(members, list):
        lines = [", ".join(f"{k}={v}" for k, v in m.items()) if isinstance(m, dict) else str(m) for m in members]
        return f"{plural(len(lines), 'member')}:\n" + "\n".join(lines)
    shown = {k: v for k, v in values.items() if only is None or k in only}
    return ", ".join(f"{k}={v}" for k, v in shown.items())
