"""Which tables ``dv rehash`` rebuilds, and for each hash column the rule that recomputes it from the old
row: an entity's own key from its business key, a reference through the referenced entity's key map, a
hashdiff by its kind's rule (:data:`HASHDIFF_RULES`), a stage column from its recipe. No database."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.constants import COL_HASHDIFF, COL_RECORD_SOURCE, GHOST_RECORD_SOURCE, HASH_KEY_PREFIX
from generator.dialects.base import Dialect
from generator.errors import DVError
from generator.manifest_model import (
    HashColumn,
    HashdiffHash,
    HubNode,
    KeyHash,
    LinkNode,
    Manifest,
    MsatNode,
    NhlNode,
    Node,
    RefNode,
    SatNode,
    SourceNode,
)
from generator.resolve import KeyPart
from generator.types import DataType, parse_type
from pipelines.plan import Catalog, normalize_type


class RehashError(DVError):
    """dv rehash cannot (or did not) complete; nothing was changed."""


@dataclass
class Rules:
    """What a rule needs: the manifest, the dialect and the algorithm to hash with."""

    manifest: Manifest
    d: Dialect
    algorithm: str

    def node(self, entity: str) -> Node | None:
        return self.manifest.nodes.get(entity)

    def hub(self, name: str) -> HubNode | None:
        node = self.node(f"hub.{name}")
        return node if isinstance(node, HubNode) else None

    def hash_key(self, parts: list[tuple[str, str, bool]]) -> str:
        """Hash key of (expression, type, case_sensitive) parts, as the stage step computes it."""
        values = [self.d.key_value(expr, KeyPart(expr, expr, _dtype(t), cs)) for expr, t, cs in parts]
        return self.d.hash_key(self.d.key_string(values), self.algorithm)

    def hashdiff(self, parts: list[tuple[str, str]], case_sensitive: bool) -> str:
        return self.d.hashdiff([(expr, _dtype(t)) for expr, t in parts], case_sensitive, self.algorithm)

    def stage_recipe(self, owner: str, kind: str) -> HashColumn | None:
        """A stage hash-column recipe of ``owner`` (any source that feeds it)."""
        return next(iter(self.stage_recipes(owner, kind)), None)

    def stage_recipes(self, owner: str, kind: str) -> list[HashColumn]:
        """Every stage hash-column recipe of ``owner``, in the manifest's order of nodes."""
        return [
            r
            for node in self.manifest.nodes.values()
            if isinstance(node, SourceNode)
            for r in node.hash_columns
            if r.owner == owner and r.kind == kind
        ]


def may_round(stored: str, source: str) -> bool:
    """Whether a key part stored as ``stored`` can lose digits of a ``source`` value (the stage step
    hashes the source value): a narrower numeric, a real from a double precision."""
    st, so = _dtype(stored), _dtype(source)
    if st.family == "float" and so.family in ("float", "numeric", "integer"):
        return st.sql == "real" and so.sql != "real"
    if st.family != "numeric" or so.family not in ("numeric", "float"):
        return False
    if so.family == "float":
        return "(" in st.sql
    scale = [
        tuple(int(x) for x in t.sql[t.sql.index("(") + 1 : -1].split(",")) if "(" in t.sql else None for t in (st, so)
    ]
    if scale[0] is None:
        return False  # unconstrained numeric holds any value exactly
    if scale[1] is None:
        return True
    (p1, *s1), (p2, *s2) = scale[0], scale[1]
    d1, d2 = (s1 or [0])[0], (s2 or [0])[0]
    return d1 < d2 or p1 - d1 < p2 - d2


def _dtype(type_sql: str) -> DataType:
    parsed = parse_type(type_sql)
    if parsed is None:
        raise RehashError(f"type {type_sql!r} has no hash rendering")
    return parsed


def _standard_hashdiff(rules: Rules, node: Node, job: Job) -> str | None:
    """A satellite: the hashdiff of its payload columns in declared order."""
    if not isinstance(node, SatNode):
        return None
    return rules.hashdiff([(f"o.{c.name}", c.type) for c in node.columns], node.case_sensitive)


def _staged_hashdiff(rules: Rules, node: Node, job: Job) -> str | None:
    """A kind that stores the stage step's hashdiff of its columns as it is (a reference table): the
    columns rendered by the stage recipe's types, with its case rule."""
    recipe = rules.stage_recipe(node.id, "hashdiff")
    if not isinstance(node, RefNode) or not isinstance(recipe, HashdiffHash):
        return None
    columns = [c.name for c in node.columns]
    if len(recipe.parts) != len(columns):
        return None
    return rules.hashdiff(
        [(f"o.{name}", p.type) for name, p in zip(columns, recipe.parts, strict=True)], recipe.case_sensitive
    )


def _multi_active_hashdiff(rules: Rules, node: Node, job: Job) -> str | None:
    """A multi-active satellite: every row of a version carries the group hashdiff, the hash of its
    members' hashdiffs (sub-keys, then payload, rendered by the stage recipe's types) in byte order."""
    recipe = rules.stage_recipe(node.id, "hashdiff")
    if not isinstance(node, MsatNode) or not isinstance(recipe, HashdiffHash):
        return None
    stored = [k.name for k in node.sub_keys] + [c.name for c in node.columns]
    key = node.version_key
    if not key or len(recipe.parts) != len(stored):
        return None
    member = rules.hashdiff(
        [(f"g.{name}", p.type) for name, p in zip(stored, recipe.parts, strict=True)], recipe.case_sensitive
    )
    ghost = rules.d.literal(GHOST_RECORD_SOURCE)
    group = rules.d.group_hashdiff("v.dv_member", rules.algorithm)
    alias = f"g{len(job.joins)}"
    job.joins.append(
        f"LEFT JOIN (SELECT {', '.join('v.' + k for k in key)}, {group} AS dv_group FROM ("
        f"SELECT {', '.join('g.' + k for k in key)}, {member} AS dv_member FROM {{backup:{job.table}}} AS g"
        f" WHERE g.{COL_RECORD_SOURCE} IS DISTINCT FROM {ghost}) AS v GROUP BY {', '.join('v.' + k for k in key)})"
        f" AS {alias} ON " + " AND ".join(f"{alias}.{k} = o.{k}" for k in key)
    )
    job.checks.append(
        (
            f"o.{COL_RECORD_SOURCE} IS DISTINCT FROM {ghost} AND {alias}.dv_group IS NULL",
            "a row whose version group was not found",
        )
    )
    return f"{alias}.dv_group"


# How the ``hashdiff`` column of each satellite kind is recomputed from the old row (alias ``o``),
# by ``<manifest kind>/<satellite_kind>``. A rule returns the expression (it may add joins to the
# job, naming old tables ``{backup:<schema.table>}``), or None when the manifest lacks what it needs.
# A kind not listed here is reported as not covered by dv rehash.
HASHDIFF_RULES: dict[str, Callable[[Rules, Node, Job], str | None]] = {
    "sat/standard": _standard_hashdiff,
    "msat/multi_active": _multi_active_hashdiff,
    "ref/": _staged_hashdiff,
}


@dataclass
class Job:
    """One table to rebuild: the old rows (alias ``o``) copied with their hash columns recomputed."""

    table: str  # schema.table
    entity: str
    backup: str = ""  # schema.table in the backup schema, once moved
    columns: list[str] = field(default_factory=list)  # columns copied into the new table
    exprs: dict[str, str] = field(default_factory=dict)  # column -> expression replacing o.<column>
    joins: list[str] = field(default_factory=list)  # joins the expressions need (maps of other entities)
    checks: list[tuple[str, str]] = field(default_factory=list)  # (condition on a broken row, what is wrong)
    own_key: str | None = None  # the entity's own hash key: its old -> new mapping is built first
    own_key_expr: str = ""
    own_key_joins: list[str] = field(default_factory=list)  # joins the own key needs (placeholders for backups)
    own_key_checks: list[tuple[str, str]] = field(default_factory=list)
    nullable_hashes: list[str] = field(default_factory=list)  # stage hash columns: NULL where they were
    ghost_filter: bool = False
    rows: int = 0


def map_name(entity: str) -> str:
    """The temporary old -> new key table of an entity (readable, unique, within 63 bytes)."""
    return f"dv_rehash_{entity.replace('.', '_')[:30]}_{hashlib.sha256(entity.encode()).hexdigest()[:8]}"


def tables_to_rebuild(manifest: Manifest, catalog: Catalog, old_type: str, new_type: str) -> dict[str, list[str]]:
    """Model tables holding hash columns of the old settings: table -> those columns."""
    out: dict[str, list[str]] = {}
    for qualified, table in manifest.physical.tables.items():
        live = catalog.tables.get(qualified)
        if live is None:
            continue
        cols = [
            c.name
            for c in table.columns
            if c.role in ("key", "meta")
            and normalize_type(c.type) == new_type
            and c.name in live.columns
            and live.columns[c.name].type == old_type
        ]
        if cols:
            out[qualified] = cols
    return out


def _own_hash_key(node: Node | None) -> str | None:
    """The hash key column of an entity keyed by its own key (a hub, a link, a non-historized link)."""
    return node.hash_key if isinstance(node, HubNode | LinkNode | NhlNode) else None


def plan_jobs(
    manifest: Manifest, targets: dict[str, list[str]], live_columns: dict[str, list[str]], rules: Rules
) -> tuple[list[Job], list[str]]:
    """A job per table to rebuild, and what no rule covers (``table.column: why``)."""
    phys = manifest.physical.tables
    jobs: list[Job] = []
    uncovered: list[str] = []
    owners = {t: phys[t].entity for t in targets}
    mapped = {e for t, e in owners.items() if _own_hash_key(rules.node(e)) in targets[t]}
    order = {e: i for i, e in enumerate(manifest.load_order)}
    for qualified in sorted(targets, key=lambda t: (order.get(owners[t], len(order)), t)):
        entity = owners[qualified]
        node = rules.node(entity)
        table = phys[qualified]
        job = Job(qualified, entity, columns=[c.name for c in table.columns if c.name in live_columns[qualified]])
        job.ghost_filter = COL_RECORD_SOURCE in job.columns
        for column in targets[qualified]:
            why = _column_rule(rules, job, node, column, mapped) if node is not None else "no node owns this table"
            if why:
                label = node.yaml_kind if node is not None else "?"
                uncovered.append(f"{qualified}.{column} ({label}): {why}")
        jobs.append(job)
    return jobs, uncovered


def _column_rule(rules: Rules, job: Job, node: Node, column: str, mapped: set[str]) -> str:
    """Fill the job's expression for one hash column; the reason when no rule covers it."""
    if isinstance(node, SourceNode):
        return _stage_rule(rules, job, node, column, mapped)
    if isinstance(node, HubNode | LinkNode | NhlNode) and column == node.hash_key:
        return _own_key_rule(rules, job, node, column)
    if column == COL_HASHDIFF:
        rule = HASHDIFF_RULES.get(f"{node.kind}/{getattr(node, 'satellite_kind', '')}")
        expr = rule(rules, node, job) if rule is not None else None
        if expr is None:
            return "no rule recomputes this kind's hashdiff (pipelines/rehash/rules.py HASHDIFF_RULES)"
        job.exprs[column] = expr
        return ""
    referenced = _referenced_entity(rules, node, column)
    if referenced is None:
        return "not a key of a hub or link dv rehash knows; no rule recomputes it"
    if referenced not in mapped:
        return f"holds keys of {referenced}, which is not rehashed"
    alias = f"m{len(job.joins)}"
    job.joins.append(f"LEFT JOIN {map_name(referenced)} AS {alias} ON {alias}.old_key = o.{column}")
    job.exprs[column] = f"{alias}.new_key"
    job.checks.append(
        (f"o.{column} IS NOT NULL AND {alias}.old_key IS NULL", f"{column} holds keys {referenced} does not hold")
    )
    return ""


def _referenced_entity(rules: Rules, node: Node, column: str) -> str | None:
    """The hub or link whose keys a column holds: a link's role column, a parent key, ``hk_<name>``."""
    for ref in getattr(node, "refs", []):  # links, non-historized links, effectivity satellites
        if ref.column == column:
            return f"hub.{ref.hub}"
    parent = getattr(node, "parent", None)  # the satellite kinds
    if parent and column == getattr(node, "parent_key", None):
        return str(parent)
    if column.startswith(HASH_KEY_PREFIX):
        name = column.removeprefix(HASH_KEY_PREFIX)
        for kind in ("hub", "link"):
            if _own_hash_key(rules.node(f"{kind}.{name}")) == column:
                return f"{kind}.{name}"
    return None


def _own_key_rule(rules: Rules, job: Job, node: HubNode | LinkNode | NhlNode, column: str) -> str:
    """A hub's key from its stored business key; a link-like key from its hubs' business keys (joined
    through the old keys) and the key columns it stores itself (dependent keys, event keys). The number
    of parts must be what the stage step hashes (the source's recipe), else the kind is not covered."""
    job.own_key = column
    entity = node.id
    parts: list[tuple[str, str, bool]] = []
    if isinstance(node, HubNode):
        for feeding in rules.stage_recipes(entity, "key"):
            if not isinstance(feeding, KeyHash):
                continue
            for k, p in zip(node.business_keys, feeding.parts, strict=False):
                if may_round(k.type, p.type):
                    return (
                        f"key part {k.name} is stored as {k.type}, which rounds the {p.type} values of "
                        f"{p.column} the stage step hashes: the keys cannot be recomputed from the table"
                    )
        parts = [(f"o.{k.name}", k.type, k.case_sensitive) for k in node.business_keys]
    else:
        for i, ref in enumerate(node.refs):
            hub = rules.hub(ref.hub)
            if hub is None:
                return f"references hub {ref.hub}, which the model does not have"
            alias = f"r{i}"
            hub_table = f"{hub.schema_name}.{hub.table}"
            job.own_key_joins.append(
                f"LEFT JOIN {{backup:{hub_table}}} AS {alias} ON {alias}.{hub.hash_key} = o.{ref.column}"
            )
            job.own_key_checks.append(
                (
                    f"o.{ref.column} IS NOT NULL AND {alias}.{hub.hash_key} IS NULL",
                    f"{ref.column} holds keys hub {ref.hub} does not hold",
                )
            )
            parts += [(f"{alias}.{k.name}", k.type, k.case_sensitive) for k in hub.business_keys]
        own = node.dependent_keys if isinstance(node, LinkNode) else [k.name for k in node.event_keys]
        if own:
            own_recipe = rules.stage_recipe(entity, "key")
            if not isinstance(own_recipe, KeyHash):
                return "no stage recipe tells how the key columns it stores are hashed"
            cases = [p.case_sensitive for p in own_recipe.parts[-len(own) :]]
            types = {c.name: c.type for c in rules.manifest.physical.tables[job.table].columns}
            parts += [(f"o.{name}", types[name], cs) for name, cs in zip(own, cases, strict=True)]
    recipe = rules.stage_recipe(entity, "key")
    if recipe is not None and len(recipe.parts) != len(parts):
        return (
            f"the stage step hashes {len(recipe.parts)} key part(s), the table gives {len(parts)}: "
            "no rule recomputes this kind's key"
        )
    job.own_key_expr = rules.hash_key(parts)
    return ""


def _stage_rule(rules: Rules, job: Job, node: SourceNode, column: str, mapped: set[str]) -> str:
    recipe = next((r for r in node.hash_columns if r.column == column), None)
    if recipe is None:
        return "the source's manifest has no recipe for this stage column"
    job.nullable_hashes.append(column)
    if isinstance(recipe, HashdiffHash):
        fresh = rules.hashdiff([(f"o.{p.column}", p.type) for p in recipe.parts], recipe.case_sensitive)
    else:
        fresh = rules.hash_key([(f"o.{p.column}", p.type, p.case_sensitive) for p in recipe.parts])
        if recipe.owner in mapped:
            alias = f"m{len(job.joins)}"
            job.joins.append(f"LEFT JOIN {map_name(recipe.owner)} AS {alias} ON {alias}.old_key = o.{column}")
            fresh = f"COALESCE({alias}.new_key, {fresh})"
    job.exprs[column] = f"CASE WHEN o.{column} IS NULL THEN NULL ELSE {fresh} END"
    return ""
