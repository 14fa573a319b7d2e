"""``dv lineage``: where a column's values come from (upstream) and what reads them (downstream).

Nothing here reads the database: the lineage of a column is what the generated SQL and the manifest say
about it, so it holds for any warehouse built from this ``vault_sql/``. The column graph
(``lineage_graph.py``) has an edge for every column computed from another: by the SQL of the derived objects
and the raw-vault views (``sql_lineage.py``) and by the loading rules from source columns
(``load_lineage.py``). Upstream is the tree of what a column is computed from, down to the source columns and
their origins (the source database's column or the file feed); downstream is every table and view whose
lineage reaches it, by layer. ``show_lineage`` prints the report for people (a tree) or as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from generator.errors import WarehouseError
from generator.kinds.registry import LAYER_RAW_VAULT, LAYERS
from generator.resolve import did_you_mean, hint_for
from pipelines.audit.lineage_graph import OTHER, VIEW, ColumnGraph, column_graph, kind_title, layer_title
from pipelines.project import Project


def resolve_column(cg: ColumnGraph, ref: str) -> str:
    """``[schema.]table.column`` -> the graph's node name; a WarehouseError with a did-you-mean otherwise."""
    parts = ref.strip().lower().split(".")
    if len(parts) not in (2, 3) or not all(parts):
        raise WarehouseError(
            f"'{ref}' is not TABLE.COLUMN\n    hint: e.g. kpi_jobs_summary.avg_time_to_fill_days or "
            "raw_vault.sat_job_status.posted_at"
        )
    *table_parts, column = parts
    known = {q: r for q, r in cg.relations.items() if r.layer != OTHER}
    if len(table_parts) == 2:
        qualified = ".".join(table_parts)
        candidates = [qualified] if qualified in known else []
        choices: Iterable[str] = known
        word = qualified
    else:
        (name,) = table_parts
        candidates = sorted(q for q in known if q.split(".", 1)[1] == name)
        choices = {q.split(".", 1)[1] for q in known}
        word = name
    if not candidates:
        hint = did_you_mean(word, choices) or (
            "a table or view of raw_vault, business_vault or marts, or a source's landing table (staging.<source>)"
        )
        raise WarehouseError(f"unknown table '{word}'\n    hint: {hint}")
    if len(candidates) > 1:
        raise WarehouseError(f"'{word}' names {len(candidates)} tables\n    hint: qualify it: " + ", ".join(candidates))
    relation = known[candidates[0]]
    if column not in relation.columns:
        raise WarehouseError(
            f"{relation.qualified} has no column '{column}'\n    hint: {hint_for(column, relation.columns)}"
        )
    return f"{relation.qualified}.{column}"


def _describe(cg: ColumnGraph, column: str) -> dict[str, Any]:
    rel = cg.relation_of(column)
    out: dict[str, Any] = {"column": column}
    if rel is not None:
        out.update(layer=rel.layer, kind=rel.kind, entity=rel.entity)
        if rel.file:
            out["defined_in"] = f"{rel.file}:{rel.line}" if rel.line else rel.file
    if column in cg.notes:
        out["notes"] = list(cg.notes[column])
    if column in cg.origins:
        out["origins"] = cg.origins[column]
    return out


def upstream(cg: ColumnGraph, column: str) -> dict[str, Any]:
    """The tree of what ``column`` is computed from, down to source columns and their origins."""
    seen: set[str] = set()

    def walk(node: str, how: str | None) -> dict[str, Any]:
        item = _describe(cg, node)
        if how is not None:
            item["how"] = how
        preds = sorted(cg.graph.predecessors(node)) if node in cg.graph else []
        if preds and node in seen:
            item["repeated"] = True  # its upstream is shown where it first appears
            return item
        seen.add(node)
        item["upstream"] = [walk(p, cg.graph.edges[p, node].get("how")) for p in preds]
        return item

    tree = walk(column, None)
    reached = nx.ancestors(cg.graph, column) if column in cg.graph else set()
    raw = sorted(c for c in reached | {column} if getattr(cg.relation_of(c), "layer", "") == LAYER_RAW_VAULT)
    raw_tables = [c for c in raw if getattr(cg.relation_of(c), "kind", "") != VIEW]
    sources = []
    for c in sorted(c for c in reached | {column} if c in cg.origins):
        rel = cg.relation_of(c)
        assert rel is not None
        sources.append(
            {
                "column": c,
                "source": (rel.entity or "").removeprefix("source."),
                "source_column": c.rsplit(".", 1)[1],
                "origins": cg.origins[c],
            }
        )
    other = sorted(c for c in reached if getattr(cg.relation_of(c), "layer", OTHER) == OTHER)
    return {"tree": tree, "raw_vault": raw_tables, "sources": sources, "outside_model": other}


def downstream(cg: ColumnGraph, column: str) -> list[dict[str, Any]]:
    """Every table and view (with its columns) whose lineage reaches ``column``, in layer order."""
    reached = nx.descendants(cg.graph, column) if column in cg.graph else set()
    by_relation: dict[str, list[str]] = {}
    for c in reached:
        table, name = c.rsplit(".", 1)
        by_relation.setdefault(table, []).append(name)
    out: list[dict[str, Any]] = []
    for table, names in by_relation.items():
        rel = cg.relations.get(table)
        assert rel is not None
        order = {n: i for i, n in enumerate(rel.columns)}
        out.append(
            {
                "relation": table,
                "layer": rel.layer,
                "kind": rel.kind,
                "entity": rel.entity,
                "defined_in": f"{rel.file}:{rel.line}" if rel.line else rel.file,
                "columns": sorted(names, key=lambda n: (order.get(n, len(order)), n)),
            }
        )
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    out.sort(key=lambda r: (rank.get(r["layer"], len(rank)), r["kind"] == VIEW, r["relation"]))
    return out


def lineage_report(project: Project, ref: str, *, up: bool = True, down: bool = True) -> dict[str, Any]:
    """``dv lineage``: the column, its upstream tree and source columns, and what reads it downstream."""
    cg = column_graph(project)
    column = resolve_column(cg, ref)
    report: dict[str, Any] = _describe(cg, column)
    if up:
        report["upstream"] = upstream(cg, column)
    if down:
        report["downstream"] = downstream(cg, column)
    if cg.problems:
        report["lineage_problems"] = list(cg.problems)
    return report


# --- for people -----------------------------------------------------------------------------------------


def show_lineage(report: dict[str, Any], out: Console, err: Console, *, as_json: bool = False) -> None:
    """The report as JSON, or as trees (upstream, downstream) and the table of source columns reached; the
    SELECTs whose lineage could not be followed as warnings on ``err``."""
    if as_json:
        print(json.dumps(report, indent=2))
        return
    column = report["column"]
    if "upstream" in report:
        up = report["upstream"]
        tree = Tree(f"[bold]upstream of {escape(column)}[/]")
        _grow(tree.add(_label(up["tree"])), up["tree"])
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
                obj["layer"], tree.add(f"[bold]{escape(layer_title(obj['layer']))}[/]")
            )
            where = " · ".join(x for x in (kind_title(obj["kind"] or ""), obj["defined_in"]) if x)
            layer.add(f"{escape(obj['relation'])} [dim]({escape(where)})[/]: " + escape(", ".join(obj["columns"])))
        if not objects:
            tree.add("[dim]nothing in the model reads it[/]")
        out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
    for problem in report.get("lineage_problems", []):
        err.print(f"[yellow]warning:[/] lineage not followed: {escape(problem)}")


def _grow(branch: Tree, item: dict[str, Any]) -> None:
    for note in item.get("notes", []):
        branch.add(f"[dim]{escape(note)}[/]")
    for origin in item.get("origins", []):
        branch.add(f"[green]from[/] {escape(_origin_text(origin))}")
    if item.get("repeated"):
        branch.add("[dim](its upstream is shown above)[/]")
    for child in item.get("upstream", []):
        _grow(branch.add(_label(child)), child)


def _label(item: dict[str, Any]) -> str:
    table, name = item["column"].rsplit(".", 1)
    text = f"{escape(table)}.[bold]{escape(name)}[/]"
    if item.get("how") and item["how"] != "sql":
        text = f"[cyan]{escape(item['how'])}[/]: " + text
    where = " · ".join(x for x in (kind_title(item.get("kind") or ""), item.get("defined_in", "")) if x)
    return text + (f"  [dim]({escape(where)})[/]" if where else "")


def _origin_text(origin: dict[str, Any]) -> str:
    if origin["kind"] == "file":
        event = f", event {origin['event_type']}" if origin.get("event_type") else ""
        return f"file feed {origin['format']} {origin['path']}{event}"
    if origin.get("column"):
        return f"{origin['column']} (source database, {origin['via']})"
    return str(origin["via"])
