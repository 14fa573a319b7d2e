"""The plan itself: the manifest's physical model against the live catalog, table by table and view by
view, with what changed since the last apply (``changes.py``); additions as steps, losses as refusals."""

from __future__ import annotations

from generator.constants import (
    ALL_SCHEMAS,
    COL_HASHDIFF,
    COL_RECORD_SOURCE,
    GHOST_RECORD_SOURCE,
    HASH_KEY_PREFIX,
    HASHDIFF_PREFIX,
    SCHEMA_META,
)
from generator.dialects import get_dialect
from generator.manifest_model import BridgeNode, BusinessViewNode, PitNode, SourceNode, SqlNode, StoredNode
from generator.manifest_model_physical import PhysicalColumn, PhysicalIndex, PhysicalTable, PhysicalView
from pipelines.plan.catalog import (
    Applied,
    Cursor,
    LiveTable,
    dependents_first,
    managed_schemas,
    normalize_type,
    read_catalog,
)
from pipelines.plan.changes import node_changes, recipe_change
from pipelines.plan.steps import Plan, Refusal
from pipelines.project import Project


def holds_data(cur: Cursor, table: LiveTable) -> bool:
    """True when a table holds rows other than ghost records."""
    where = f" WHERE {COL_RECORD_SOURCE} IS DISTINCT FROM {literal(GHOST_RECORD_SOURCE)}"
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table.qualified}{where if COL_RECORD_SOURCE in table.columns else ''})")
    return bool(cur.fetchone()[0])


def literal(value: str | None) -> str:
    return "NULL" if value is None else get_dialect().literal(value)


def index_sql(qualified: str, ix: PhysicalIndex) -> str:
    include = f" INCLUDE ({', '.join(ix.include)})" if ix.include else ""
    unique = "UNIQUE " if ix.unique else ""
    method = f" USING {ix.method}" if ix.method != "btree" else ""
    columns = ", ".join(ix.columns)
    return f"CREATE {unique}INDEX IF NOT EXISTS {ix.name} ON {qualified}{method} ({columns}){include};"


class Planner:
    """The typed manifest against the live catalog; the manifest of the last apply stays JSON (``self.old``):
    it may be of an older manifest version, and is compared as the JSON it was stored as."""

    def __init__(self, cur: Cursor, project: Project, applied: Applied | None, rehashing: bool) -> None:
        self.cur = cur
        self.project = project
        self.manifest = project.manifest
        self.phys_tables: dict[str, PhysicalTable] = self.manifest.physical.tables
        self.phys_views: dict[str, PhysicalView] = self.manifest.physical.views
        self.applied = applied
        self.old = applied.manifest if applied else None
        self.rehashing = rehashing
        self.catalog = read_catalog(cur, managed_schemas(self.manifest, self.old))
        self.plan = Plan(self.manifest.model_fingerprint)
        self.created: set[str] = set()  # entities whose create file runs
        self.altered: set[str] = set()  # entities whose tables change shape: their views are created again
        self.dropped_tables: list[str] = []
        self._data: dict[str, bool] = {}
        d = get_dialect()
        algorithm = self.manifest.hash.algorithm
        self.new_hash_type = normalize_type(d.hash_type(algorithm))
        self.old_hash_type = self.new_hash_type
        if applied is not None and (applied.algorithm, applied.spec_version) != (
            algorithm,
            self.manifest.hash.spec_version,
        ):
            self.plan.hash_change = (
                applied.hash_label,
                f"{algorithm} (hash spec v{self.manifest.hash.spec_version})",
            )
            self.old_hash_type = normalize_type(d.hash_type(applied.algorithm))

    def has_data(self, qualified: str) -> bool:
        if qualified not in self._data:
            self._data[qualified] = holds_data(self.cur, self.catalog.tables[qualified])
        return self._data[qualified]

    def refuse(self, target: str, message: str, hint: str) -> None:
        self.plan.refusals.append(Refusal(target, message, hint))

    def entity_of(self, qualified: str) -> str:
        return self.phys_tables[qualified].entity

    def kind(self, entity: str) -> str | None:
        node = self.manifest.nodes.get(entity)
        return node.kind if node is not None else None

    def create_file(self, entity: str) -> str | None:
        node = self.manifest.nodes.get(entity)
        return node.sql.get("create") if node is not None else None

    # -- the whole plan --
    def build(self) -> Plan:
        cat = self.catalog
        ours = [t for q, t in cat.tables.items() if not q.startswith(SCHEMA_META + ".")]
        self.plan.fresh = not ours
        if SCHEMA_META not in cat.schemas:
            self.plan.add("meta", SCHEMA_META, self.project.sql(self.manifest.meta_sql), self.manifest.meta_sql)
        if self.plan.hash_change is not None and not self.rehashing:
            old, new = self.plan.hash_change
            self.refuse(
                "hash",
                f"the hash settings changed from {old} to {new} since the last dv apply: every hash key and "
                "hashdiff of the warehouse would change",
                "run 'dv rehash' (it recomputes every key into new tables and swaps them in); or restore "
                "the previous 'hash:' in model/project.yml",
            )
        wanted = {q.split(".", 1)[0] for q in [*self.phys_tables, *self.phys_views]}
        already = set(cat.schemas) | (set(ALL_SCHEMAS) if SCHEMA_META not in cat.schemas else set())
        for schema in sorted(wanted - already):
            self.plan.add("schemas", schema, f"CREATE SCHEMA IF NOT EXISTS {schema};")
        self.semantic_changes()
        for qualified, table in self.phys_tables.items():
            live = cat.tables.get(qualified)
            if live is None:
                self.created.add(table.entity)
            elif qualified not in self.dropped_tables:
                self.diff_table(qualified, table, live)
        self.removed_tables()
        self.views()
        for entity in self.manifest.load_order:
            if entity in self.created and self.create_file(entity):
                file = self.create_file(entity)
                assert file is not None
                self.plan.add("tables", entity, self.project.sql(file), file)
        self.plan.steps = self.plan.ordered()
        return self.plan

    # -- what the catalog cannot show: compared with the manifest of the last apply --
    def semantic_changes(self) -> None:
        if self.old is None:
            return
        for entity, node in self.manifest.nodes.items():
            before = self.old.get("nodes", {}).get(entity)
            if before is None or not isinstance(node, StoredNode) or node.qualified not in self.catalog.tables:
                continue
            table = node.qualified
            physical = self.phys_tables.get(table)
            hashed = physical is not None and physical.column(COL_HASHDIFF) is not None
            # compared as JSON: the applied manifest is the JSON that apply stored
            for message, hint in node_changes(before, node.model_dump(mode="json"), hashed):
                if self.has_data(table):
                    self.refuse(entity, message, hint)
                else:
                    self.rebuild(table)
        self.recipe_changes()

    def recipe_changes(self) -> None:
        """Kinds without a check of their own: a stage hash recipe of theirs that changed (other than by
        appending hashdiff columns) changes the keys or hashdiffs of what they hold."""
        assert self.old is not None
        checked = {"hub", "link"}
        for source in self.manifest.of_type(SourceNode):
            hashed = self.old.get("nodes", {}).get(source.id, {}).get("hash_columns", [])
            before = {r["column"]: r for r in hashed}
            for recipe in source.hash_columns:
                old = before.get(recipe.column)
                owner = self.manifest.nodes.get(recipe.owner)
                if old is None or not isinstance(owner, StoredNode) or owner.kind in checked or owner.kind == "sat":
                    continue  # a standard satellite (sat) has its own check, as hubs and links
                if any(r.target == recipe.owner for r in self.plan.refusals):
                    continue  # said already, by the entity's own check
                table = owner.qualified
                message = recipe_change(old, recipe.model_dump(mode="json"))
                if message is None or table not in self.catalog.tables:
                    continue
                hint = "keep the entity's keys and hashdiff columns as they were; append new columns at the end"
                if self.has_data(table):
                    self.refuse(recipe.owner, message, hint)
                else:
                    self.rebuild(table)

    def rebuild(self, qualified: str) -> None:
        """Drop a table that holds no data; its entity's create file makes it again."""
        if qualified in self.dropped_tables:
            return
        self.dropped_tables.append(qualified)
        self.plan.add("drop_tables", qualified, f"DROP TABLE {qualified};")
        entity = self.entity_of(qualified)
        self.created.add(entity)
        self.altered.add(entity)

    # -- one table the model and the warehouse both have --
    def diff_table(self, qualified: str, table: PhysicalTable, live: LiveTable) -> None:
        entity = table.entity
        kind = self.kind(entity)
        columns = {c.name: c for c in table.columns}
        problems: list[tuple[str, str]] = []
        adds: list[PhysicalColumn] = []
        relax: list[str] = []
        derived: list[str] = []
        for name, kept in live.columns.items():
            if name in columns:
                continue
            if kind == "source" and name.startswith((HASH_KEY_PREFIX, HASHDIFF_PREFIX)) and not kept.not_null:
                derived.append(name)  # a stage hash column of an entity the model no longer has
            else:
                problems.append(
                    (
                        f"column {name} is in the warehouse but no longer in the model: dropping it loses its data",
                        "keep the column in the model; or back the table up and drop the column by hand "
                        f"(ALTER TABLE {qualified} DROP COLUMN {name}), then run dv apply",
                    )
                )
        for c in table.columns:
            lc = live.columns.get(c.name)
            if lc is None:
                if not c.not_null and not c.identity and (c.role == "payload" or kind == "source"):
                    adds.append(c)
                else:
                    what = "NOT NULL" if c.not_null else f"a {c.role} column"
                    problems.append(
                        (
                            f"new column {c.name} is {what}, and the table holds rows that would have no value",
                            "add descriptive data as a nullable payload column appended at the end (a new "
                            "satellite column), or into a new entity; a key or metadata change needs a new "
                            "table (back up, drop by hand, dv apply, reload)",
                        )
                    )
                continue
            model_type = normalize_type(c.type)
            if model_type != lc.type:
                rehash_pending = (
                    self.plan.hash_change is not None
                    and c.role in ("key", "meta")
                    and (lc.type, model_type) == (self.old_hash_type, self.new_hash_type)
                )
                if not rehash_pending:
                    problems.append(
                        (
                            f"column {c.name} is {lc.type} in the warehouse and {model_type} in the model: "
                            "retyping may fail or change stored values (and their hashes)",
                            f"keep the type {lc.type}; or add a new column with the new type at the end and stop "
                            "filling the old one",
                        )
                    )
            if c.not_null and not lc.not_null:
                problems.append(
                    (
                        f"column {c.name} is nullable in the warehouse and NOT NULL in the model",
                        "keep it nullable in the model, or fix the rows by hand and ALTER the column",
                    )
                )
            elif lc.not_null and not c.not_null and not c.identity:
                relax.append(c.name)
        if table.primary_key != live.primary_key:
            problems.append(
                (
                    f"primary key ({', '.join(live.primary_key)}) in the warehouse, "
                    f"({', '.join(table.primary_key)}) in the model",
                    "a new identity of the rows is a new table: keep the model's key as it was",
                )
            )
        if problems:
            if self.has_data(qualified):
                for message, hint in problems:
                    self.refuse(qualified, message, hint)
            else:
                self.rebuild(qualified)
            return
        for name in derived:
            self.plan.add("drop_columns", f"{qualified}.{name}", f"ALTER TABLE {qualified} DROP COLUMN {name};")
        for c in adds:
            self.plan.add(
                "columns",
                f"{qualified}.{c.name}",
                f"ALTER TABLE {qualified} ADD COLUMN IF NOT EXISTS {c.name} {c.type};",
            )
        for name in relax:
            self.plan.add("relax", f"{qualified}.{name}", f"ALTER TABLE {qualified} ALTER COLUMN {name} DROP NOT NULL;")
        if adds or relax:
            self.altered.add(entity)
        wanted = {ix.name: ix for ix in table.indexes}
        for name, ix in wanted.items():
            if name not in live.indexes:
                self.plan.add("indexes", f"{live.schema}.{name}", index_sql(qualified, ix))
        before = ((self.old or {}).get("physical", {}).get("tables", {})).get(qualified, {})
        ours = {ix["name"] for ix in before.get("indexes", [])}
        for name in live.indexes:
            if name not in wanted and name in ours:
                self.plan.add("drop_indexes", f"{live.schema}.{name}", f"DROP INDEX IF EXISTS {live.schema}.{name};")
        self.comments(qualified, table, live)

    def comments(self, qualified: str, table: PhysicalTable, live: LiveTable) -> None:
        if (table.comment or None) != live.comment:
            self.plan.add("comments", qualified, f"COMMENT ON TABLE {qualified} IS {literal(table.comment or None)};")
        for c in table.columns:
            lc = live.columns.get(c.name)
            current = lc.comment if lc is not None else None
            if (c.comment or None) != current:
                self.plan.add(
                    "comments",
                    f"{qualified}.{c.name}",
                    f"COMMENT ON COLUMN {qualified}.{c.name} IS {literal(c.comment or None)};",
                )

    # -- tables the warehouse has and the model no longer has --
    def removed_tables(self) -> None:
        known = set(self.old["physical"]["tables"]) if self.old is not None else None
        for qualified, live in sorted(self.catalog.tables.items()):
            if qualified in self.phys_tables or live.schema == SCHEMA_META:
                continue
            if known is not None and qualified not in known:
                continue  # not made by dv (or by a dv apply before manifests were kept): left alone
            if self.has_data(qualified):
                self.refuse(
                    qualified,
                    "the table is in the warehouse but no longer in the model: dropping it loses its data",
                    "keep its entity in the model; or retire it explicitly: back the table up, drop it by hand "
                    f"(DROP TABLE {qualified}), then run dv apply",
                )
            else:
                self.dropped_tables.append(qualified)
                self.plan.add("drop_tables", qualified, f"DROP TABLE {qualified};")

    # -- views: missing, changed (fingerprint), over a changed table, or no longer in the model --
    def views(self) -> None:
        cat = self.catalog
        drop: set[str] = set()
        recreate: set[str] = set()  # model views whose file runs
        for qualified, view in self.phys_views.items():
            live = cat.views.get(qualified)
            if live is None:
                recreate.add(qualified)
            elif live.fingerprint != view.fingerprint or view.entity in self.altered:
                drop.add(qualified)
                recreate.add(qualified)
        built = {  # the views dv marts builds (refresh: view, a PIT's view, masked forms): not dv apply's
            name
            for node in self.manifest.nodes.values()
            if isinstance(node, (PitNode, BridgeNode, SqlNode, BusinessViewNode))
            for name in (node.qualified, node.masked if isinstance(node, SqlNode) else None)
            if name
        }
        for qualified, live in cat.views.items():
            if qualified not in self.phys_views and qualified not in built and live.fingerprint is not None:
                drop.add(qualified)  # made by dv, no longer in the model
        # whatever reads a dropped view or table must go first; dv's own views come back from their files
        queue = [*drop, *self.dropped_tables]
        while queue:
            relation = queue.pop()
            for dependent in sorted(cat.dependent_views(relation)):
                if dependent in drop:
                    continue
                if dependent in self.phys_views or (dependent in cat.views and cat.views[dependent].fingerprint):
                    drop.add(dependent)
                    if dependent in self.phys_views:
                        recreate.add(dependent)
                    queue.append(dependent)
                else:
                    self.refuse(
                        dependent,
                        f"this view (not made by dv) reads {relation}, which the plan drops and creates again",
                        f"drop {dependent} by hand, run dv apply, then create it again",
                    )
        for qualified in dependents_first(drop, cat):
            self.plan.add("drop_views", qualified, f"DROP VIEW IF EXISTS {qualified};")
        files = {self.phys_views[q].sql: self.phys_views[q].entity for q in recreate}
        order = {e: i for i, e in enumerate(self.manifest.load_order)}
        for file, entity in sorted(files.items(), key=lambda fe: (order.get(fe[1], len(order)), fe[0])):
            self.plan.add("views", entity, self.project.sql(file), file)
