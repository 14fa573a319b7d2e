"""Build the business vault and the marts: ``dv marts``, and the pipeline's Marts task.

Every derived object of the manifest (the nodes with a ``build`` statement: PIT and bridge tables,
computed satellites, dimensions, facts, KPIs, feeds) is brought up to date in dependency order, in ONE
transaction: a reader sees the marts of the previous refresh or of this one, never a mix.

Per object, by its refresh mode (stated in its YAML):

- ``view``: created when missing or when its definition changed, otherwise left as it is;
- ``table``, ``incremental``, PIT and bridge: built in full (``build``) when missing or when the definition
  fingerprint in its comment differs from the manifest's; otherwise refreshed (``refresh``): every row again
  (``table``), the keys touched by batches after the object's last refresh (``incremental``), the changed
  keys and the calendar (PIT);
- **skipped** when nothing it reads changed since its last refresh: no raw-vault table it reads received rows
  in a batch after it (``dv_meta.load_log``), and no derived object it reads changed since (a refresh that
  inserted, updated or deleted no row is no change; a view changes when what it reads changes).

A table the refresh built, or whose rows changed by more than a tenth (or never analyzed), is analyzed at
once, before the objects that read it are refreshed.

The marts require the quality gate: every batch since the last refresh must have passed its gate, or an
operator must have accepted it (``dv gate accept``); ``force`` overrides, and says so in the record.
Each object's refresh is recorded in ``dv_meta.mart_refresh`` (skips too); its columns are checked against
the YAML.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg2
import psycopg2.extensions

from generator.derived_select import statement_sql
from generator.errors import WarehouseError
from generator.manifest_model import BridgeNode, DerivedNode, PitNode, SqlNode
from pipelines.access import grant_built
from pipelines.db import transaction
from pipelines.project import Project

LOCK = "dv.marts"
TAG = re.compile(r"\[dv:([0-9a-f]{16})\]")


@dataclass
class ObjectResult:
    node_id: str
    qualified: str
    mode: str  # build | refresh | view | skipped
    rows: int | None
    seconds: float
    changed: int | None = None  # rows inserted, updated or deleted (None: not measured)
    analyzed: bool = False


@dataclass
class MartsResult:
    run_id: int
    batch_id: int
    objects: list[ObjectResult]
    seconds: float
    forced: bool = False


@dataclass
class History:
    """What the bookkeeping says before a run: per object its last refresh and last change, per raw-vault
    target the last batch that inserted rows into it."""

    refreshed: dict[str, int]  # object -> batch of its last refresh (skips included)
    changed: dict[str, int]  # object -> batch of its last refresh that changed rows (or built, or unknown)
    rows: dict[str, int | None]  # object -> rows after its last refresh
    loaded: dict[str, int]  # load_log target -> last batch with rows_inserted > 0


def read_history(cur: psycopg2.extensions.cursor) -> History:
    cur.execute(
        "SELECT DISTINCT ON (object) object, batch_id, rows_total FROM dv_meta.mart_refresh"
        " ORDER BY object, batch_id DESC, refresh_id DESC"
    )
    refreshed: dict[str, int] = {}
    rows: dict[str, int | None] = {}
    for obj, batch, total in cur.fetchall():
        refreshed[obj], rows[obj] = int(batch), None if total is None else int(total)
    cur.execute(
        "SELECT object, max(batch_id) FROM dv_meta.mart_refresh"
        " WHERE mode IN ('build', 'view') OR (mode = 'refresh' AND (rows_changed IS NULL OR rows_changed > 0))"
        " GROUP BY object"
    )
    changed = {obj: int(b) for obj, b in cur.fetchall()}
    cur.execute("SELECT target, max(batch_id) FROM dv_meta.load_log WHERE rows_inserted > 0 GROUP BY target")
    loaded = {t: int(b) for t, b in cur.fetchall()}
    return History(refreshed, changed, rows, loaded)


def derived_nodes(project: Project) -> list[DerivedNode]:
    """The business-vault and mart objects (the nodes with a ``build`` statement) in dependency order."""
    out: list[DerivedNode] = []
    for node in project.with_statement("build"):
        assert isinstance(node, PitNode | BridgeNode | SqlNode), f"{node.id}: a build statement of a {node.kind}"
        out.append(node)
    return out


def latest_batch(conn: psycopg2.extensions.connection) -> int | None:
    with transaction(conn) as cur:
        cur.execute("SELECT max(batch_id) FROM dv_meta.batch WHERE status = 'succeeded'")
        (batch,) = cur.fetchone()
    return None if batch is None else int(batch)


def last_refreshed_batch(conn: psycopg2.extensions.connection) -> int:
    """The batch the marts reflect now (0 when never refreshed)."""
    with transaction(conn) as cur:
        cur.execute("SELECT COALESCE(max(batch_id), 0) FROM dv_meta.mart_refresh")
        return int(cur.fetchone()[0])


def blocking_batches(conn: psycopg2.extensions.connection, upto: int) -> list[tuple[int, str]]:
    """Batches up to ``upto`` not yet reflected by the marts whose gate neither passed nor was accepted."""
    from pipelines.quality import gate, quality_gate_passed

    since = last_refreshed_batch(conn)
    with transaction(conn) as cur:
        cur.execute(
            "SELECT batch_id FROM dv_meta.batch WHERE status = 'succeeded' AND batch_id > %s AND batch_id <= %s"
            " ORDER BY batch_id",
            (since, upto),
        )
        batches = [int(b) for (b,) in cur.fetchall()]
    out: list[tuple[int, str]] = []
    for batch in batches:
        if quality_gate_passed(conn, batch):
            continue
        found = gate(conn, batch)
        why = (
            "its checks have not run"
            if found is None
            else f"its quality gate failed ({found.failed} failed, {found.errors} errored check(s))"
        )
        out.append((batch, why))
    return out


def build_marts(
    conn: psycopg2.extensions.connection,
    project: Project,
    batch_id: int | None = None,
    force: bool = False,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> MartsResult:
    """Refresh every derived object for the batches up to ``batch_id`` (default: the latest succeeded one).

    Raises WarehouseError when a batch since the last refresh has not passed its gate (unless ``force``);
    ``rebuild`` builds every table in full."""
    started = time.perf_counter()
    batch = batch_id if batch_id is not None else latest_batch(conn)
    if batch is None:
        raise WarehouseError("no succeeded batch: nothing to build the marts from\n    hint: dv run (or dv load) first")
    blocked = blocking_batches(conn, batch)
    if blocked and not force:
        first, why = blocked[0]
        raise WarehouseError(
            f"the marts were not refreshed: batch {first}: {why}"
            + (f" (and {len(blocked) - 1} more batch(es))" if len(blocked) > 1 else "")
            + f"\n    hint: see dv check --batch {first}; to go on with these failures recorded, "
            f"dv gate accept {first} --reason '...'; or dv marts --force"
        )
    results: list[ObjectResult] = []
    with transaction(conn) as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (LOCK,))
        cur.execute("SET LOCAL TimeZone = 'UTC'")
        cur.execute("SELECT set_config('dv.batch_id', %s, true)", (str(batch),))
        cur.execute("SELECT COALESCE(max(run_id), 0) + 1 FROM dv_meta.mart_refresh")
        (run_id,) = cur.fetchone()
        history = read_history(cur)
        changed_now: set[str] = set()  # derived objects whose rows changed in this run
        for node in derived_nodes(project):
            if progress:
                progress(node.id)
            inputs = _changed_inputs(project, node, history, changed_now)
            result = _refresh_one(cur, project, node, batch, rebuild, inputs, history)
            # a build changes what reads it (its columns may differ), a refresh only when it changed rows
            if result.mode in ("build", "view") or (result.mode == "refresh" and result.changed != 0):
                changed_now.add(node.id)
            results.append(result)
        for r in results:
            cur.execute(
                "INSERT INTO dv_meta.mart_refresh (run_id, batch_id, object, mode, rows_total, rows_changed, seconds)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (run_id, batch, r.node_id, r.mode, r.rows, r.changed, round(r.seconds, 3)),
            )
    return MartsResult(int(run_id), batch, results, time.perf_counter() - started, forced=bool(blocked))


def _changed_inputs(
    project: Project, node: DerivedNode, history: History, changed_now: set[str]
) -> Callable[[int], list[str]]:
    """What the object reads that changed after a batch: raw-vault targets that received rows in a later
    batch, derived objects that changed in a later refresh or in this run."""
    depends = node.depends_on
    nodes = project.manifest.nodes

    def since(batch: int) -> list[str]:
        out = []
        for dep in depends:
            if dep in nodes and "build" in nodes[dep].sql:
                if dep in changed_now or history.changed.get(dep, 0) > batch:
                    out.append(dep)
            elif history.loaded.get(dep, 0) > batch:
                out.append(dep)
        return out

    return since


def _stored(node: DerivedNode) -> list[str]:
    """The tables an object's rows live in (a PIT: its changes and calendar tables)."""
    return list(node.stores) if isinstance(node, PitNode) else [node.qualified]


def _tuple_counts(cur: psycopg2.extensions.cursor, tables: list[str]) -> dict[str, tuple[int, int, int]]:
    """Per existing table: (oid, rows inserted + updated + deleted in this transaction, reltuples)."""
    cur.execute(
        "SELECT t, c.oid::bigint, pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)"
        " + pg_stat_get_xact_tuples_deleted(c.oid), c.reltuples::bigint"
        " FROM unnest(%s::text[]) AS t JOIN pg_class AS c ON c.oid = to_regclass(t)",
        (tables,),
    )
    return {str(t): (int(oid), int(n), int(rel)) for t, oid, n, rel in cur.fetchall()}


def _refresh_one(
    cur: psycopg2.extensions.cursor,
    project: Project,
    node: DerivedNode,
    batch: int,
    rebuild: bool,
    changed_inputs: Callable[[int], list[str]],
    history: History,
) -> ObjectResult:
    started = time.perf_counter()
    node_id, schema, table, qualified, sql = node.id, node.schema_name, node.table, node.qualified, node.sql
    cur.execute(
        "SELECT c.relkind, obj_description(c.oid, 'pg_class') FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
        (schema, table),
    )
    found = cur.fetchone()
    is_view = node.refresh == "view"
    wants_view = is_view or (isinstance(node, PitNode) and node.relkind == "view")  # a PIT: a view over its tables
    if found is not None and (found[0] == "v") != wants_view:
        # the refresh mode changed between view and table: the old object goes
        cur.execute(f"DROP {'VIEW' if found[0] == 'v' else 'TABLE'} {qualified} CASCADE")
        found = None
    tag = TAG.search(found[1] or "") if found is not None else None
    current = found is not None and tag is not None and tag.group(1) == node.fingerprint
    last = history.refreshed.get(node_id, 0)
    volatile = isinstance(node, SqlNode) and node.volatile
    if current and not rebuild and last > 0 and not volatile and not changed_inputs(last):
        # nothing it reads changed since its last refresh (and its SELECT reads no clock): it stands as it is
        return ObjectResult(node_id, qualified, "skipped", history.rows.get(node_id), time.perf_counter() - started, 0)
    if is_view:
        if current and not rebuild:
            # its definition stands: what it shows changed with what it reads, nothing to run
            return ObjectResult(node_id, qualified, "view", None, time.perf_counter() - started)
        mode, statement = "view", "build"
    elif current and not rebuild:
        # a kind whose refresh builds the table again (a bridge) has only the build statement
        mode, statement = "refresh", "refresh" if "refresh" in sql else "build"
    else:
        mode, statement = "build", "build"
    since = 0 if mode == "build" else last
    cur.execute("SELECT set_config('dv.since_batch', %s, true)", (str(since),))
    stored = [] if is_view else _stored(node)
    before = _tuple_counts(cur, stored)
    line = node.sql_line if isinstance(node, SqlNode) and node.sql_line else node.line  # where its SELECT starts
    where = f"{node.file}:{line}: {node_id}"
    try:
        cur.execute(statement_sql(project.sql, sql, statement))  # a refresh: with its build's SELECT
    except psycopg2.Error as exc:
        detail = (exc.pgerror or str(exc)).strip()
        raise WarehouseError(
            f"{where}: {mode} of {qualified} failed: {detail}\n    hint: run its SELECT with psql to see why"
        ) from None
    _check_columns(cur, node, qualified, where)
    if statement == "build":  # a new object (a bridge builds a new table each time): its readers' grants
        built = {qualified, *stored}
        if "masked" in sql:  # its masked form went with it (DROP … CASCADE): made again
            assert isinstance(node, SqlNode) and node.masked is not None, f"{node_id}: a masked statement, no view"
            cur.execute(project.sql(sql["masked"]))
            built.add(node.masked)
        grant_built(cur, project.manifest, sorted(built))
    if is_view:
        return ObjectResult(node_id, qualified, mode, None, time.perf_counter() - started)
    after = _tuple_counts(cur, stored)
    changed, rows, analyzed = 0, 0, False
    for name, (oid, touched, reltuples) in after.items():
        old = before.get(name)
        delta = touched - old[1] if old is not None and old[0] == oid else touched
        changed += delta
        cur.execute(f"SELECT count(*) FROM {name}")
        count = int(cur.fetchone()[0])
        if name == stored[0]:
            rows = count
        # statistics for what reads it next: a new table, or a tenth of its rows changed
        if mode == "build" or reltuples < 0 or old is None or old[0] != oid or delta > max(count, 1) // 10:
            cur.execute(f"ANALYZE {name}")
            analyzed = True
    return ObjectResult(node_id, qualified, mode, rows, time.perf_counter() - started, changed, analyzed)


def _check_columns(cur: psycopg2.extensions.cursor, node: DerivedNode, qualified: str, where: str) -> None:
    declared = [c.name for c in node.columns]
    if not declared:
        return
    cur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum",
        (qualified,),
    )
    built = [r[0] for r in cur.fetchall()]
    if built != declared:
        missing = [c for c in declared if c not in built]
        extra = [c for c in built if c not in declared]
        detail = []
        if missing:
            detail.append(f"declared but not selected: {', '.join(missing)}")
        if extra:
            detail.append(f"selected but not declared: {', '.join(extra)}")
        if not detail:
            detail.append(f"in another order: the SELECT gives {', '.join(built)}")
        raise WarehouseError(
            f"{where}: the columns of {qualified} differ from its YAML 'columns': {'; '.join(detail)}\n"
            "    hint: list every column the SELECT returns, in its order, with a description"
        )
