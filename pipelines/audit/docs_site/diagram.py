"""The lineage diagram of an entity page: its neighbourhood in the dependency graph, laid out in layers
(networkx topological generations are the columns, ordered to cross fewer edges), drawn as an inline SVG
whose every text is escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape

import networkx as nx

from generator.manifest_model import Node
from pipelines.audit.docs_site.data import colour, kind_rank, kind_titles, page_name

UPSTREAM_LEVELS = 3  # levels of the lineage diagram before the entity
DOWNSTREAM_LEVELS = 2  # and after it
MAX_DIAGRAM_NODES = 40  # fewer levels are shown beyond this many entities
NODE_H, V_GAP, COL_GAP, PAD, CHAR_W = 22, 8, 64, 8, 6.7
MAX_LABEL = 34
VIEW_W = 1000  # the diagram's visible width the tests assume (the page's column is about 1,100 px wide)


def _within(graph: nx.DiGraph, focus: str, up: int, down: int) -> dict[str, int]:
    """The entities up to ``up`` levels before and ``down`` levels after ``focus``, with their distance."""
    distance = dict(nx.single_source_shortest_path_length(graph.reverse(copy=False), focus, cutoff=up))
    for node, d in nx.single_source_shortest_path_length(graph, focus, cutoff=down).items():
        distance[node] = min(d, distance.get(node, d))
    return distance


def neighbourhood(graph: nx.DiGraph, focus: str) -> tuple[set[str], int, int, int]:
    """The entities of an entity's lineage diagram: up to ``UPSTREAM_LEVELS`` levels before it and
    ``DOWNSTREAM_LEVELS`` after it, fewer levels while that is more than ``MAX_DIAGRAM_NODES`` entities
    (a source read by several hubs reaches most of the warehouse in two levels); at one level each way,
    the nearest ``MAX_DIAGRAM_NODES``. Returns the entities, the levels shown up and down, and how many
    entities were left out at those levels."""
    levels = [(UPSTREAM_LEVELS, DOWNSTREAM_LEVELS)]
    up, down = levels[0]
    while up > 1 or down > 1:  # one level less on the side with more (downstream on a tie)
        if up > down or down <= 1:
            up -= 1
        else:
            down -= 1
        levels.append((up, down))
    for up, down in levels:
        distance = _within(graph, focus, up, down)
        if len(distance) <= MAX_DIAGRAM_NODES:
            return set(distance), up, down, 0
    ranked = sorted(distance, key=lambda n: (distance[n], n))
    return set(ranked[:MAX_DIAGRAM_NODES]), up, down, len(ranked) - MAX_DIAGRAM_NODES


def _sweep(graph: nx.DiGraph, columns: list[list[str]], neighbours: Callable[[str], Iterable[str]]) -> list[list[str]]:
    """Each column ordered by the mean position of its neighbours in the column before it (in sweep
    order); ties keep their order."""
    position = {n: (i + 0.5) / len(columns[0]) for i, n in enumerate(columns[0])}
    swept = [columns[0]]
    for column in columns[1:]:
        current = {n: i for i, n in enumerate(column)}

        def key(n: str, current: dict[str, int] = current, position: dict[str, float] = position) -> tuple[float, int]:
            near = [position[m] for m in neighbours(n) if m in position]
            return (round(sum(near) / len(near), 9) if near else 0.5, current[n])

        ordered = sorted(column, key=key)
        position = {n: (i + 0.5) / len(ordered) for i, n in enumerate(ordered)}
        swept.append(ordered)
    return swept


def layered_layout(graph: nx.DiGraph) -> list[list[str]]:
    """Columns of a DAG: its topological generations, each first ordered by kind and id, then by the
    barycentre heuristic (the mean position of the neighbours in the next column), two sweeps each
    way, to cross fewer edges."""
    columns = [sorted(g, key=lambda n: (kind_rank(n), n)) for g in nx.topological_generations(graph)]
    for _ in range(2):
        columns = _sweep(graph, columns, graph.predecessors)
        columns = _sweep(graph, columns[::-1], graph.successors)[::-1]
    return columns


def _label(node_id: str) -> str:
    return node_id if len(node_id) <= MAX_LABEL else node_id[: MAX_LABEL - 1] + "…"


@dataclass(frozen=True)
class Diagram:
    svg: str  # escaped
    nodes: int
    up: int  # levels shown
    down: int
    left_out: int
    width: int = 0
    focus_x: int = 0  # the left edge and width of the entity's own box
    focus_w: int = 0

    @property
    def focus_centre(self) -> int:
        """Where the page's script scrolls the diagram to (its horizontal centre on the entity's box)."""
        return self.focus_x + self.focus_w // 2

    def scroll_left(self, view: int = VIEW_W) -> int:
        """The initial horizontal scroll of a diagram shown ``view`` pixels wide: the entity's box centred,
        within the diagram's width (what a browser does with the page's ``scrollLeft``)."""
        return max(0, min(self.focus_centre - view // 2, self.width - view))


def lineage_svg(graph: nx.DiGraph, nodes: Mapping[str, Node], focus: str) -> Diagram:
    """The inline SVG of an entity's neighbourhood (every text escaped)."""
    keep, up, down, left_out = neighbourhood(graph, focus)
    sub = graph.subgraph(sorted(keep))
    columns = layered_layout(sub)
    widths = [int(max(len(_label(n)) for n in col) * CHAR_W) + 2 * PAD for col in columns]
    heights = [len(col) * NODE_H + (len(col) - 1) * V_GAP for col in columns]
    total_h = max(heights) + 2 * PAD
    total_w = sum(widths) + COL_GAP * (len(columns) - 1) + 2 * PAD
    box: dict[str, tuple[int, int, int]] = {}  # node -> x, y, width
    x = PAD
    for col, width, height in zip(columns, widths, heights, strict=True):
        y = PAD + (total_h - 2 * PAD - height) // 2
        for n in col:
            box[n] = (x, y, width)
            y += NODE_H + V_GAP
        x += width + COL_GAP
    out = [
        f'<svg class="lineage" width="{total_w}" height="{total_h}" viewBox="0 0 {total_w} {total_h}" '
        f'role="img" aria-label="{escape("lineage of " + focus)}">',
        '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6c757d"/></marker>'
        '<marker id="arrow-focus" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#1c3d6e"/></marker></defs>',
    ]
    for a, b in sorted(sub.edges()):
        ax, ay, aw = box[a]
        bx, by, _ = box[b]
        x1, y1, x2, y2 = ax + aw, ay + NODE_H // 2, bx - 1, by + NODE_H // 2
        dx = max(20, (x2 - x1) // 2)
        near = focus in (a, b)
        out.append(
            f'<path class="edge{" near" if near else ""}" d="M{x1},{y1} C{x1 + dx},{y1} {x2 - dx},{y2} {x2},{y2}" '
            f'marker-end="url(#{"arrow-focus" if near else "arrow"})"/>'
        )
    for n in sorted(box):
        nx_, ny, w = box[n]
        kind = nodes[n].kind if n in nodes else ""
        title = f"{n} ({kind_titles(kind)[1]})"
        cls = "node focus" if n == focus else "node"
        out.append(
            f'<a href="{escape(page_name(n))}" class="{cls}"><title>{escape(title)}</title>'
            f'<rect x="{nx_}" y="{ny}" width="{w}" height="{NODE_H}" rx="4" fill="{colour(kind)}"/>'
            f'<text x="{nx_ + PAD}" y="{ny + NODE_H // 2 + 4}">{escape(_label(n))}</text></a>'
        )
    out.append("</svg>")
    fx, _, fw = box[focus]
    return Diagram("".join(out), len(box), up, down, left_out, total_w, fx, fw)
