"""The auditors' commands: status, trace, asof, batch, lineage, impact, docs (pipelines/audit/)."""

from __future__ import annotations

import argparse
import datetime as dt

from rich.markup import escape
from rich.table import Table

from generator.errors import DVError, output_error
from pipelines.cli.common import connection, err, out


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.status import collect
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "auditor") as conn:
        report = collect(conn, project, runs=args.runs)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    runs = Table(title="last batches")
    for col in ("batch", "load_dts", "status", "seconds", "read", "quarantined", "inserted", "quality"):
        runs.add_column(
            col, justify="right" if col in ("batch", "seconds", "read", "quarantined", "inserted") else "left"
        )
    for b in report["batches"]:
        runs.add_row(
            str(b["batch_id"]),
            str(b["load_dts"]),
            b["status"],
            str(b["seconds"] or ""),
            str(b["rows_read"]),
            str(b["rows_quarantined"]),
            str(b["rows_inserted"]),
            b["quality_gate"],
        )
    out.print(runs)
    sources = Table(title="sources")
    for col in ("source", "last extract", "rows read", "freshness (h)", "stale"):
        sources.add_column(col)
    for s in report["sources"]:
        sources.add_row(
            s["source"],
            str(s["last_extract"] or "never"),
            str(s["rows_read_total"]),
            str(s["freshness_hours"] or ""),
            "[red]stale[/]" if s["stale"] else "",
        )
    out.print(sources)
    for f in report["failures"]:
        out.print(f"[red]failed[/] batch {f['batch_id']} {escape(f['task'])}: {escape(str(f['error'])[:200])}")
    out.print(f"alerts in the last day: {report['alerts_last_day']}")
    return 0


def _when(value: object) -> str:
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.replace(tzinfo=None) in (dt.datetime.max, dt.datetime.min):
        return "∞"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _values(values: dict[str, object], only: list[str] | None = None) -> str:
    shown = {k: v for k, v in values.items() if only is None or k in only}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def cmd_trace(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.trace import trace
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "personal" if args.personal else "auditor") as conn:
        found = trace(conn, project, args.entity, args.key)
    if args.json:
        print(json.dumps(found.as_json(), indent=2, default=str))
        return 0
    out.print(
        f"[bold]{found.hub} {' '.join(found.key)}[/] (hash key {found.hash_key}): first seen {_when(found.first_seen)}"
        f" from {escape(found.record_source)}, batch {found.batch_id}"
    )
    for sat in found.satellites:
        if sat.hidden and not sat.versions:
            out.print(f"[yellow]{sat.node_id}: hidden[/] ({escape(sat.hidden)})")
            continue
        title = f"{sat.node_id} ({len(sat.versions)} versions{'; ' + sat.hidden if sat.hidden else ''})"
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
    for e in found.erasures:
        out.print(
            f"[red]erased[/] {escape(e.entity)} {e.satellite} at {_when(e.applied_dts)} (loaded {_when(e.load_dts)},"
            f" batch {e.batch_id}, {escape(e.record_source)}); request: {escape(e.request)}"
        )
    out.print("* current version; applied = when it changed at the source, loaded = when the warehouse learned it")
    return 0


def cmd_asof(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.trace import asof
    from pipelines.project import Project

    project = Project.open(args.project)
    with connection(args, "personal" if args.personal else "auditor") as conn:
        state = asof(conn, project, args.entity, args.key, args.at, applied=args.applied)
    axis = "as it was at the source" if state.applied else "as the warehouse knew it"
    if args.json:
        print(
            json.dumps(
                {
                    "hub": state.hub,
                    "key": state.key,
                    "at": state.at.isoformat(),
                    "applied": state.applied,
                    "known": state.known,
                    "satellites": {k: (v.as_json() if v else None) for k, v in state.satellites.items()},
                    **({"hidden": state.hidden} if state.hidden else {}),
                    "links": [
                        {"link": r.node_id, "role": r.role, "partners": r.partners, "batch_id": r.batch_id}
                        for r in state.links
                    ],
                },
                indent=2,
                default=str,
            )
        )
        return 0
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
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    import json

    from pipelines.audit.batch_audit import audit_batch, render

    with connection(args, "auditor") as conn:
        report = audit_batch(conn, args.batch, quarantine_rows=args.quarantine_rows)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    render(report, out)
    return 0


def _lineage_label(item: dict) -> str:
    from pipelines.audit.lineage import KIND_TITLES

    table, name = item["column"].rsplit(".", 1)
    text = f"{escape(table)}.[bold]{escape(name)}[/]"
    if item.get("how") and item["how"] != "sql":
        text = f"[cyan]{escape(item['how'])}[/]: " + text
    what = KIND_TITLES.get(item.get("kind") or "", "")
    where = " · ".join(x for x in (what, item.get("defined_in", "")) if x)
    return text + (f"  [dim]({escape(where)})[/]" if where else "")


def _origin_text(origin: dict) -> str:
    if origin["kind"] == "file":
        event = f", event {origin['event_type']}" if origin.get("event_type") else ""
        return f"file feed {origin['format']} {origin['path']}{event}"
    if origin.get("column"):
        return f"{origin['column']} (source database, {origin['via']})"
    return str(origin["via"])


def cmd_lineage(args: argparse.Namespace) -> int:
    import json

    from rich.tree import Tree

    from pipelines.audit.lineage import KIND_TITLES, LAYER_TITLES, lineage_report
    from pipelines.project import Project

    if args.upstream_only and args.downstream_only:
        raise DVError(
            "--upstream-only and --downstream-only exclude each other\n    hint: give one, or neither for both"
        )
    project = Project.open(args.project)
    with out.status("following the column through the generated SQL…"):
        report = lineage_report(project, args.column, up=not args.downstream_only, down=not args.upstream_only)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    def grow(branch: Tree, item: dict) -> None:
        for note in item.get("notes", []):
            branch.add(f"[dim]{escape(note)}[/]")
        for origin in item.get("origins", []):
            branch.add(f"[green]from[/] {escape(_origin_text(origin))}")
        if item.get("repeated"):
            branch.add("[dim](its upstream is shown above)[/]")
        for child in item.get("upstream", []):
            grow(branch.add(_lineage_label(child)), child)

    column = report["column"]
    if "upstream" in report:
        up = report["upstream"]
        tree = Tree(f"[bold]upstream of {escape(column)}[/]")
        grow(tree.add(_lineage_label(up["tree"])), up["tree"])
        out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
        if up["sources"]:
            table = Table(title="source columns reached", title_justify="left")
            for col in ("source", "column", "origin"):
                table.add_column(col, overflow="fold")
            for s in up["sources"]:
                origin = "; ".join(_origin_text(o) for o in s["origins"])
                table.add_row(escape(s["source"]), escape(s["source_column"]), escape(origin))
            out.print(table)
        else:
            out.print("no source column: it is computed without reading one (see the notes above)")
        if up["raw_vault"]:
            out.print(f"raw-vault columns reached ({len(up['raw_vault'])}): " + escape(", ".join(up["raw_vault"])))
    if "downstream" in report:
        objects = report["downstream"]
        tree = Tree(f"[bold]downstream of {escape(column)}[/]: {len(objects)} tables and views read it")
        layers: dict[str, Tree] = {}
        for obj in objects:
            layer = layers.get(obj["layer"]) or layers.setdefault(
                obj["layer"], tree.add(f"[bold]{escape(LAYER_TITLES.get(obj['layer'], obj['layer']))}[/]")
            )
            what = KIND_TITLES.get(obj["kind"] or "", "")
            where = " · ".join(x for x in (what, obj["defined_in"]) if x)
            layer.add(f"{escape(obj['relation'])} [dim]({escape(where)})[/]: " + escape(", ".join(obj["columns"])))
        if not objects:
            tree.add("[dim]nothing in the model reads it[/]")
        out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
    for problem in report.get("lineage_problems", []):
        err.print(f"[yellow]warning:[/] lineage not followed: {escape(problem)}")
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    import json

    from rich.tree import Tree

    from pipelines.audit.lineage import KIND_TITLES, LAYER_TITLES, impact_report
    from pipelines.project import Project

    report = impact_report(Project.open(args.project), args.file)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    entities = Table(title=f"{report['file']}: {len(report['entities'])} entities", title_justify="left")
    for col in ("entity", "kind", "table", "defined in"):
        entities.add_column(col)
    for e in report["entities"]:
        entities.add_row(
            escape(e["id"]), KIND_TITLES.get(e["kind"], e["kind"]), escape(e["table"] or ""), e["defined_in"]
        )
    if report["entities"]:
        out.print(entities)
    if report["note"]:
        out.print(f"{escape(report['file'])} {escape(report['note'])}")
    files = Tree(
        f"[bold]files that change[/]: {len(report['generated'])} in vault_sql/, {len(report['contracts'])} "
        f"data contracts, and {report['manifest']}"
    )
    for path in report["generated"] + report["contracts"]:
        files.add(escape(path))
    out.print(files, soft_wrap=False)
    if report["rules"]:
        rules = Tree(f"[bold]hand-written rules reading them[/]: {len(report['rules'])}")
        for r in report["rules"]:
            rules.add(f"{escape(r['file'])} [dim]({escape(r['dataset'])})[/]")
        out.print(rules, soft_wrap=False)
    total = sum(len(v) for v in report["downstream"].values())
    tree = Tree(f"[bold]downstream[/]: {total} entities depend on them")
    for layer, items in report["downstream"].items():
        branch = tree.add(f"[bold]{escape(LAYER_TITLES.get(layer, layer))}[/] ({len(items)})")
        for e in items:
            kind = KIND_TITLES.get(e["kind"], e["kind"])
            branch.add(f"{escape(e['table'] or e['id'])} [dim]({kind} · {escape(e['defined_in'])})[/]")
    out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
    out.print("marts touched: " + (escape(", ".join(report["marts"])) or "none"))
    out.print("KPIs touched: " + (escape(", ".join(report["kpis"])) or "none"))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from pipelines.audit.docs_site import build_site
    from pipelines.project import Project

    project = Project.open(args.project)
    target = args.out if args.out is not None else args.project / "site"
    try:
        result = build_site(project, target)
    except OSError as exc:
        raise output_error(exc, target, "the documentation site") from None
    out.print(
        f"documentation site: {result.pages} pages ({result.entities} entities, {result.columns} columns, "
        f"{result.checks} checks) in {escape(str(target))}; open {escape(str(target / 'index.html'))}"
    )
    return 0
