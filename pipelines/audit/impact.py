"""``dv impact``: what a change of one model file touches, by entity.

Coarser than ``dv lineage`` (``lineage.py``), and read from the manifest and the generated files only: the
entities the file declares, the generated files whose header names that file (``-- generated from …``), their
data contracts, the hand-written rules that read them, and every entity that depends on them transitively
(the manifest's ``depends_on`` graph), by layer, with the marts and KPIs touched. ``show_impact`` prints the
report for people or as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from generator.errors import WarehouseError
from generator.generate import GENERATED_MARK
from generator.kinds import KIND_BY_PREFIX
from generator.kinds.registry import LAYER_MARTS, LAYERS
from generator.manifest_model import Node, StoredNode
from generator.resolve import hint_for
from pipelines.audit.lineage_graph import kind_title, layer_title
from pipelines.project import Project

CONTRACTS = Path("checks") / "generated"
RULES = Path("checks") / "rules"
_GENERATED_FROM = re.compile(r"^generated from (.+?) by dv generate")
_LISTED_BELOW = re.compile(r"^generated from (\d+) model files by dv generate")
_DATASET = re.compile(r"^dataset:\s*\S*?/([a-z_][a-z0-9_]*)/([a-z_][a-z0-9_]*)\s*$", re.M)


def entity_graph(project: Project) -> nx.DiGraph:
    """Manifest ids, an edge from each entity to every entity that depends on it."""
    graph = nx.DiGraph()
    for entity_id, node in project.manifest.nodes.items():
        graph.add_node(entity_id)
        for dep in node.depends_on:
            graph.add_edge(dep, entity_id)
    return graph


def _model_file(project: Project, file: str) -> str:
    """The manifest's spelling of a model file (relative to the project, POSIX), given as the user wrote it:
    relative to the project, relative to the current folder, or absolute."""
    root = project.root.resolve()
    path = Path(file.strip())
    candidates = []
    for candidate in [path] if path.is_absolute() else [root / path, Path.cwd() / path]:
        try:
            candidates.append(candidate.resolve().relative_to(root).as_posix())
        except ValueError:
            continue
    files = {n.file for n in project.manifest.nodes.values()}
    for relative in candidates:
        if relative in files or (root / relative).is_file():
            return relative
    return candidates[0] if candidates else path.as_posix()


def _table(node: Node) -> str | None:
    """A node's table or view, qualified; None for a node without one (a function)."""
    return f"{node.schema_name}.{node.table}" if isinstance(node, StoredNode) and node.table else None


def _headers(folder: Path, comment: str, glob: str) -> Iterator[tuple[Path, list[str]]]:
    """Each generated file under ``folder`` and the model files its header names (``generated from …``): on its
    first line, or, when they do not fit there (``generated from N model files …:``), on the comment lines after
    it, up to the hash spec line."""
    for path in sorted(folder.rglob(glob)):
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            first = handle.readline().removeprefix(comment).strip()
            listed = _LISTED_BELOW.match(first)
            if listed is None:
                match = _GENERATED_FROM.search(first)
                if match:
                    yield path, [f.strip() for f in match.group(1).split(",")]
                continue
            words: list[str] = []
            for line in handle:
                text = line.removeprefix(comment).strip()
                if not line.startswith(comment) or text.startswith("hash spec") or len(words) > 1000:
                    break
                words.append(text)
        files = [f.strip() for f in " ".join(words).split(",") if f.strip()]
        if len(files) == int(listed.group(1)):
            yield path, files


def impact_report(project: Project, file: str) -> dict[str, Any]:
    """``dv impact``: what a change of one model file touches, from the manifest and the generated files."""
    manifest = project.manifest
    nodes = manifest.nodes
    relative = _model_file(project, file)
    declared = sorted(i for i, n in nodes.items() if n.file == relative)
    root = project.root
    generated = [
        p.relative_to(root).as_posix()
        for p, files in _headers(root / GENERATED_MARK, "--", "*.sql")
        if relative in files
    ]
    if not declared and not generated and not (root / relative).is_file():
        model_files = sorted({n.file for n in nodes.values() if n.file})
        raise WarehouseError(
            f"no entity and no generated file comes from '{file}'\n    hint: {hint_for(relative, model_files)}"
        )
    contracts = [
        p.relative_to(root).as_posix() for p, files in _headers(root / CONTRACTS, "#", "*.yml") if relative in files
    ]
    graph = entity_graph(project)
    downstream_ids: set[str] = set()
    for entity_id in declared:
        downstream_ids |= nx.descendants(graph, entity_id)
    downstream_ids -= set(declared)
    affected = set(declared) | downstream_ids

    owners: dict[str, str] = {}  # qualified table or view -> entity
    for qualified, table in manifest.physical.tables.items():
        owners[qualified] = table.entity
    for qualified, view in manifest.physical.views.items():
        owners[qualified] = view.entity
    for entity_id, node in nodes.items():
        if (qualified_table := _table(node)) is not None:
            owners.setdefault(qualified_table, entity_id)
    rules = []
    for path in sorted((root / RULES).rglob("*.yml")) if (root / RULES).is_dir() else []:
        match = _DATASET.search(path.read_text(encoding="utf-8"))
        if match and owners.get(f"{match.group(1)}.{match.group(2)}") in affected:
            rules.append({"file": path.relative_to(root).as_posix(), "dataset": f"{match.group(1)}.{match.group(2)}"})

    def entry(entity_id: str) -> dict[str, Any]:
        node = nodes[entity_id]
        return {
            "id": entity_id,
            "kind": node.kind,
            "name": node.name,
            "table": _table(node),
            "defined_in": f"{node.file}:{node.line}",
        }

    order = {entity_id: i for i, entity_id in enumerate(manifest.load_order)}
    by_layer: dict[str, list[dict[str, Any]]] = {layer: [] for layer in LAYERS}
    for entity_id in sorted(downstream_ids, key=lambda i: (order.get(i, len(order)), i)):
        by_layer.setdefault(KIND_BY_PREFIX[nodes[entity_id].kind].layer, []).append(entry(entity_id))
    touched = sorted(
        (i for i in affected if KIND_BY_PREFIX[nodes[i].kind].layer == LAYER_MARTS),
        key=lambda i: (order.get(i, len(order)), i),
    )
    note = ""
    if not declared:
        note = "declares no entity"
        if re.search(r"^kind:\s*project\b", (root / relative).read_text(encoding="utf-8"), re.M):
            note += (
                " (the project settings: a change of hash.algorithm or hash.spec_version changes every hash column "
                "and the header of every generated file; see dv rehash)"
            )
    return {
        "file": relative,
        "note": note,
        "entities": [entry(i) for i in sorted(declared, key=lambda i: (order.get(i, len(order)), i))],
        "generated": generated,
        "contracts": contracts,
        "manifest": f"{GENERATED_MARK}/manifest.json",
        "rules": rules,
        "downstream": {layer: items for layer, items in by_layer.items() if items},
        "marts": [_table(nodes[i]) for i in touched if nodes[i].kind != "kpi"],
        "kpis": [_table(nodes[i]) for i in touched if nodes[i].kind == "kpi"],
    }


# --- for people -----------------------------------------------------------------------------------------


def show_impact(report: dict[str, Any], out: Console, *, as_json: bool = False) -> None:
    """The report as JSON, or as the table of the file's entities and trees of the files that change, the
    rules that read them and the entities downstream, by layer."""
    if as_json:
        print(json.dumps(report, indent=2))
        return
    entities = Table(title=f"{report['file']}: {len(report['entities'])} entities", title_justify="left")
    for col in ("entity", "kind", "table", "defined in"):
        entities.add_column(col)
    for e in report["entities"]:
        entities.add_row(escape(e["id"]), _kind(e["kind"]), escape(e["table"] or ""), e["defined_in"])
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
        branch = tree.add(f"[bold]{escape(layer_title(layer))}[/] ({len(items)})")
        for e in items:
            branch.add(f"{escape(e['table'] or e['id'])} [dim]({_kind(e['kind'])} · {escape(e['defined_in'])})[/]")
    out.print(tree, soft_wrap=False)  # wrap long labels, do not crop them
    out.print("marts touched: " + (escape(", ".join(report["marts"])) or "none"))
    out.print("KPIs touched: " + (escape(", ".join(report["kpis"])) or "none"))


def _kind(kind: str) -> str:
    return kind_title(kind) or kind
