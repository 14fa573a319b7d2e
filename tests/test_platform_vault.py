"""The repository's raw vault model of the JTLD platform, loaded from a simulated platform database.

The fast tests check the model itself: it validates, uses every entity kind the platform needs, and
maps every platform table. The database tests generate the platform (``pipelines/platform``, scale
0.01, 3 days) into a source database of their own, apply the repo model to a warehouse database of
their own, extract every database source with ``pipelines.extract.database`` and load it; then they
check the load against the source: every staged business key in its hub (recomputed by the Python
hash reference too), no quarantine but the platform's recorded defects, satellites holding what the
source holds, and a second extract + load (a re-delivery of everything) inserting nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from generator import hashing
from generator.constants import GHOST_RECORD_SOURCE
from generator.errors import WarehouseError
from generator.kinds import KIND_BY_PREFIX
from generator.model import Model
from generator.types import parse_type
from pipelines.db import connect
from pipelines.demo.platform.clock import Config, date_of
from pipelines.demo.platform.run import run as run_platform
from pipelines.demo.platform.schema import PLATFORM_TABLES
from pipelines.extract.database import database_sources, extract, extract_all, extract_query
from pipelines.project import Project
from pipelines.warehouse import LoadResult, apply, load
from tests.conftest import REPO, drop_database, make_project

SCALE = 0.01
DAYS = 3
SEED = 1
# the kinds the platform model uses, and an example of each
KINDS = {
    "source": "platform_users",
    "hub": "candidate",
    "link": "application_candidate_job",
    "satellite": "user_personal",
    "multi_active_satellite": "candidate_languages",
    "effectivity_satellite": "job_employer",
    "nonhistorized_link": "timesheet_hours",
    "status_tracking_satellite": "board_a_listing",
    "reference_table": "skill",
    "function": "std_email",  # the business vault's standardization (model/business_vault/standardization.yml)
    "business_view": "user_email_std",
}
ZERO = bytes(16)


# --- the model, without a database -----------------------------------------------------------------


def _json_ordered(project: Project, *kinds: str) -> list[tuple[str, dict[str, Any]]]:
    """Nodes of the given kinds as the manifest's JSON (the test's own reading of it), in load order."""
    nodes = project.json["nodes"]
    return [(i, nodes[i]) for i in project.json["load_order"] if nodes[i]["kind"] in kinds]


def test_repo_model_has_the_platform_kinds(repo_model: Model) -> None:
    model = repo_model  # loaded once per session (tests/conftest.py)
    names: dict[str, set[str]] = {}
    for entity in model.entities.values():
        names.setdefault(_kind_of(entity), set()).add(entity.name)
    for kind, example in KINDS.items():
        assert example in names.get(kind, set()), f"no {kind} '{example}' in model/"


def _kind_of(entity: Any) -> str:
    return KIND_BY_PREFIX[entity.id.split(".", 1)[0]].kind  # the kind registry: every kind, new ones included


def test_every_platform_table_is_a_database_source() -> None:
    project = Project.open(REPO)
    tables = {
        str(project.json["nodes"][f"source.{name}"]["source_table"]).removeprefix("platform.")
        for name in database_sources(project)
    }
    assert tables == set(PLATFORM_TABLES)
    for name in database_sources(project):
        node = project.json["nodes"][f"source.{name}"]
        assert node["extract"] == "incremental" and node["watermark"], name
        assert node["description"], name
        assert all(c["name"] for c in node["columns"])


def test_personal_data_stays_in_satellites_of_its_own() -> None:
    """Name, e-mail and resume text only in the satellites that erasure empties, nothing else in them."""
    project = Project.open(REPO)
    personal = {"full_name", "email", "resume_text"}
    holders = {
        node["name"]: {c["name"] for c in node.get("columns", [])}
        for _, node in _json_ordered(project, "sat")
        if personal & {c.get("source_column", c["name"]) for c in node.get("columns", [])}
    }
    assert holders == {"user_personal": {"full_name", "email"}, "resume_content": {"resume_text", "file_path"}}


def test_extract_query_window() -> None:
    project = Project.open(REPO)
    node = project.manifest.source("platform_candidate_languages")
    since = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    text = repr(extract_query(node, since=since))  # rendering needs a connection: look at the parts
    assert "profile_updated_at" in text and "JOIN platform.candidate_profiles" in text
    with pytest.raises(WarehouseError, match="no watermark"):
        extract_query(node.model_copy(update={"watermark": None}), since=since)


# --- the platform, extracted and loaded ------------------------------------------------------------


@dataclass
class Loaded:
    source_dsn: str
    warehouse_dsn: str
    project: Project
    extracted: dict[str, int]
    first: LoadResult
    counts: dict[str, int]  # raw-vault table -> rows after the first load (ghosts included)
    second: LoadResult
    counts_after_second: dict[str, int]
    rerun: LoadResult


def _database(server_dsn: str, base_dsn: str, suffix: str) -> str:
    params = psycopg2.extensions.parse_dsn(base_dsn)
    name = f"{params['dbname']}_{suffix}"
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        drop_database(cur, name)
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return psycopg2.extensions.make_dsn(**{**params, "dbname": name})


def _drop(server_dsn: str, dsn: str) -> None:
    name = psycopg2.extensions.parse_dsn(dsn)["dbname"]
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        drop_database(cur, name)
    admin.close()


def _table_counts(conn: psycopg2.extensions.connection) -> dict[str, int]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw_vault'"
            " AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        counts = {}
        for (table,) in cur.fetchall():
            cur.execute(f"SELECT count(*) FROM raw_vault.{table}")
            counts[table] = cur.fetchone()[0]
    conn.commit()
    return counts


@pytest.fixture(scope="module")
def loaded(server_dsn: str, test_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    source_dsn = _database(server_dsn, test_dsn, "pv_source")
    warehouse_dsn = _database(server_dsn, test_dsn, "pv_wh")
    tmp = tmp_path_factory.mktemp("platform_vault")
    try:
        run_platform(Config(seed=SEED, scale=SCALE, days=DAYS), tmp / "landing", source_dsn)
        project = make_project(tmp, REPO / "model")
        conn = connect(warehouse_dsn)
        try:
            apply(conn, project)
            extracted = {e.source: e.rows for e in extract_all(conn, project, dsn=source_dsn)}
            first = load(conn, project, load_dts=dt.datetime(2026, 3, 5, 6, tzinfo=dt.UTC))
            counts = _table_counts(conn)
            extract_all(conn, project, dsn=source_dsn)  # everything again: a re-delivery
            second = load(conn, project, load_dts=dt.datetime(2026, 3, 6, 6, tzinfo=dt.UTC))
            counts_after_second = _table_counts(conn)
            rerun = load(conn, project, batch_id=second.batch_id)
        finally:
            conn.close()
        yield Loaded(source_dsn, warehouse_dsn, project, extracted, first, counts, second, counts_after_second, rerun)
    finally:
        _drop(server_dsn, source_dsn)
        _drop(server_dsn, warehouse_dsn)


def _rows(dsn: str, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")
            cur.execute(query, params)
            return list(cur.fetchall())
    finally:
        conn.close()


@pytest.mark.db
def test_every_database_source_is_extracted_whole(loaded: Loaded) -> None:
    assert set(loaded.extracted) == set(database_sources(loaded.project))
    for name, rows in loaded.extracted.items():
        node = loaded.project.json["nodes"][f"source.{name}"]
        query = node["query"] or f"SELECT * FROM {node['source_table']}"
        ((expected,),) = _rows(loaded.source_dsn, f"SELECT count(*) FROM ({query}) q")
        assert rows == expected > 0, name
    staged = {s["source"]: s for s in loaded.first.staged}
    for name, rows in loaded.extracted.items():
        assert staged[name]["read"] == rows, name  # reconciliation: read = extracted


@pytest.mark.db
def test_no_quarantine_but_recorded_defects(loaded: Loaded) -> None:
    quarantined = _rows(
        loaded.warehouse_dsn, "SELECT batch_id, source, source_row::text, reason FROM dv_meta.quarantine"
    )
    defects = {
        (location, key)
        for location, key in _rows(loaded.source_dsn, "SELECT location, key FROM sim.defects WHERE feed = 'platform'")
    }
    for batch_id, source, row_text, reason in quarantined:
        node = loaded.project.json["nodes"][f"source.{source}"]
        row = json.loads(row_text)
        key = "|".join(str(row[k]) for k in node["business_keys"])
        table = str(node["source_table"]).removeprefix("platform.")
        assert (table, key) in defects, f"batch {batch_id}, {source} {key}: {reason}"


@pytest.mark.db
def test_every_staged_business_key_is_in_its_hub(loaded: Loaded) -> None:
    """Per hub feed: the keys staged (hashed in SQL, and again by the Python reference from the typed
    staged values) are all in the hub, and the hub holds nothing else (ghost aside); the hub's stored
    business keys hash to its hash keys."""
    assert loaded.project.manifest.hash.algorithm == "md5"
    batch = loaded.first.batch_id
    checked = 0
    for _, hub in _json_ordered(loaded.project, "hub"):
        families = [parse_type(str(k["type"])) for k in hub["business_keys"]]
        cases = [bool(k["case_sensitive"]) for k in hub["business_keys"]]
        key_columns = ", ".join(str(k["name"]) for k in hub["business_keys"])
        stored = _rows(
            loaded.warehouse_dsn,
            f"SELECT uuid_send({hub['hash_key']}), {key_columns} FROM raw_vault.{hub['table']}"
            " WHERE record_source <> %s",
            (GHOST_RECORD_SOURCE,),
        )
        in_hub = {bytes(r[0]) for r in stored}
        for r in stored:
            parts = [(v, t.family if t else "text", cs) for v, t, cs in zip(r[1:], families, cases, strict=True)]
            assert hashing.hash_key(parts) == bytes(r[0]), (hub["name"], r)
        fed: set[bytes] = set()
        for feed in hub["feeds"]:
            source = loaded.project.json["nodes"][f"source.{feed['source']}"]
            types = {c["name"]: parse_type(c["type"]) for c in source["columns"]}
            columns = ", ".join(feed["columns"])
            rows = _rows(
                loaded.warehouse_dsn,
                f"SELECT uuid_send({feed['stage_column']}), {columns}"
                f" FROM staging.{source['table']} WHERE batch_id = %s",
                (batch,),
            )
            staged = set()
            for r in rows:
                parts = [
                    (v, types[c].family if types[c] else "text", cs)
                    for v, c, cs in zip(r[1:], feed["columns"], cases, strict=True)
                ]
                assert hashing.hash_key(parts) == bytes(r[0]), (hub["name"], feed, r)
                if bytes(r[0]) != ZERO:
                    staged.add(bytes(r[0]))
            missing = staged - in_hub
            assert not missing, f"hub {hub['name']}: {len(missing)} key(s) of {feed['source']} not loaded"
            fed |= staged
            checked += len(rows)
        assert fed == in_hub, f"hub {hub['name']} holds {len(in_hub - fed)} key(s) no feed staged"
    assert checked > 50_000


@pytest.mark.db
def test_links_hold_every_staged_relationship(loaded: Loaded) -> None:
    batch = loaded.first.batch_id
    for _, link in _json_ordered(loaded.project, "link", "nhl"):
        in_link = {
            bytes(r[0])
            for r in _rows(
                loaded.warehouse_dsn,
                f"SELECT uuid_send({link['hash_key']}) FROM raw_vault.{link['table']} WHERE record_source <> %s",
                (GHOST_RECORD_SOURCE,),
            )
        }
        fed: set[bytes] = set()
        for feed in link["feeds"]:
            source = loaded.project.json["nodes"][f"source.{feed['source']}"]
            fed |= {
                bytes(r[0])
                for r in _rows(
                    loaded.warehouse_dsn,
                    f"SELECT DISTINCT uuid_send({link['hash_key']}) FROM staging.{source['table']} WHERE batch_id = %s",
                    (batch,),
                )
            } - {ZERO}
        assert fed == in_link, link["name"]


@pytest.mark.db
def test_satellites_hold_what_the_source_holds(loaded: Loaded) -> None:
    counts, extracted = loaded.counts, loaded.extracted
    for _, node in _json_ordered(loaded.project, "sat", "msat", "esat", "sts", "ref", "nhl"):
        source = node.get("source") or next(iter(f["source"] for f in node.get("feeds", [])), None)
        rows = counts[node["table"]] - (0 if node["kind"] == "ref" else 1)  # the ghost
        if source in extracted:
            assert rows > 0, f"{node['table']} is empty, source {source} delivered {extracted[source]} rows"
        else:
            assert rows == 0, node["table"]  # a file feed: not extracted here
    # one row per key and source row where the source has one row per key
    for table, source in {
        "sat_user_personal": "platform_users",
        "sat_user_login": "platform_users",
        "sat_candidate_profile": "platform_candidate_profiles",
        "sat_job_status": "platform_jobs",
        "sat_placement_status": "platform_placements",
        "sat_invoice_status": "platform_invoices",
        "sat_timesheet_status": "platform_timesheets",
        "esat_job_employer": "platform_jobs",
        "nhl_timesheet_hours": "platform_timesheets",
        "ref_skill": "platform_skills",
        "msat_candidate_languages": "platform_candidate_languages",
        "msat_candidate_skills": "platform_candidate_skills",
    }.items():
        ghost = 0 if table.startswith("ref_") else 1
        assert counts[table] - ghost == extracted[source], table
    # the status history: one version per change of status (every transition changes it)
    ((changes,),) = _rows(
        loaded.source_dsn,
        "SELECT count(*) FROM (SELECT status, lag(status) OVER (PARTITION BY application_id ORDER BY seq) AS before"
        " FROM platform.application_status_history) h WHERE before IS DISTINCT FROM status",
    )
    assert counts["sat_application_status"] - 1 == changes


@pytest.mark.db
def test_status_history_keeps_a_return_to_an_earlier_status(loaded: Loaded) -> None:
    """interview -> back to screening (8% of interviews): A->B->A kept, in the source's order."""
    rows = _rows(
        loaded.warehouse_dsn,
        "SELECT h.application_id, array_agg(s.status ORDER BY s.applied_dts, s.applied_seq)"
        " FROM raw_vault.sat_application_status s JOIN raw_vault.hub_application h USING (hk_application)"
        " WHERE s.record_source <> %s GROUP BY 1",
        (GHOST_RECORD_SOURCE,),
    )
    returns = [statuses for _, statuses in rows if "interview" in statuses and statuses.count("screening") >= 2]
    assert returns
    source = dict(
        _rows(
            loaded.source_dsn,
            "SELECT application_id, array_agg(status ORDER BY seq) FROM platform.application_status_history GROUP BY 1",
        )
    )
    for application_id, statuses in rows:
        assert statuses == source[application_id]


@pytest.mark.db
def test_a_second_extract_and_load_inserts_nothing(loaded: Loaded) -> None:
    for result in (loaded.second, loaded.rerun):
        inserted = {t.target: t.rows for t in result.targets if t.rows}
        rejected = {t.target: t.rejected for t in result.targets if t.rejected}
        assert not inserted and not rejected
    assert loaded.counts_after_second == loaded.counts
    staged = {s["source"]: s for s in loaded.second.staged}
    for name, rows in loaded.extracted.items():
        assert staged[name]["read"] == rows and staged[name]["quarantined"] == 0


@pytest.mark.db
def test_extract_windows_add_up(loaded: Loaded) -> None:
    """since/until on the watermark: the rows up to a point and the rows after it are all rows, and a
    window lands only rows whose watermark is inside it."""
    cut = dt.datetime.combine(date_of(2), dt.time(), tzinfo=dt.UTC)
    conn = connect(loaded.warehouse_dsn)
    try:
        for name in ("platform_users", "platform_candidate_skills", "platform_application_status_history"):
            node = loaded.project.json["nodes"][f"source.{name}"]
            before = extract(conn, loaded.project, name, dsn=loaded.source_dsn, until=cut)
            after = extract(conn, loaded.project, name, dsn=loaded.source_dsn, since=cut)
            assert before + after == loaded.extracted[name] and before > 0 and after > 0, name
            with conn.cursor() as cur:
                cur.execute(
                    f"SELECT count(*) FILTER (WHERE {node['watermark']}::timestamptz <= %s) FROM staging.{name}", (cut,)
                )
                assert cur.fetchone()[0] == before
                cur.execute(f"TRUNCATE staging.{name}")
            conn.commit()
    finally:
        conn.close()


@pytest.mark.db
def test_extract_errors_land_nothing(loaded: Loaded) -> None:
    conn = connect(loaded.warehouse_dsn)
    try:
        nodes = loaded.project.manifest.nodes
        broken = nodes["source.platform_users"]
        nodes["source.platform_users"] = broken.model_copy(update={"query": "SELECT * FROM platform.no_such_table"})
        try:
            with pytest.raises(WarehouseError, match="failed on the source database"):
                extract(conn, loaded.project, "platform_users", dsn=loaded.source_dsn)
        finally:
            nodes["source.platform_users"] = broken
        # the warehouse side fails while the source streams more than a pipe holds: no hang, nothing landed
        history = nodes["source.platform_application_status_history"]
        nodes["source.platform_application_status_history"] = history.model_copy(update={"landing_table": "nowhere"})
        try:
            with pytest.raises(WarehouseError, match=r"landing source .* failed"):
                extract(conn, loaded.project, "platform_application_status_history", dsn=loaded.source_dsn)
        finally:
            nodes["source.platform_application_status_history"] = history
        with pytest.raises(WarehouseError, match="not a database source"):
            extract(conn, loaded.project, "events_logins", dsn=loaded.source_dsn)
        with pytest.raises(WarehouseError, match="did you mean"):
            extract(conn, loaded.project, "platform_user", dsn=loaded.source_dsn)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM staging.platform_users")
            assert cur.fetchone()[0] == 0
    finally:
        conn.close()


def test_unreachable_source_is_a_user_error() -> None:
    project = Project.open(REPO)

    class NoWarehouse:  # the source connection fails first
        pass

    with pytest.raises(WarehouseError, match="cannot connect to the source database"):
        extract(NoWarehouse(), project, "platform_users", dsn="postgresql://postgres@127.0.0.1:1/x")  # type: ignore[arg-type]
