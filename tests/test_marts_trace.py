"""A mart row leads back to its source rows and batches: marts.fact_application -> the bridge -> the raw
vault (hubs, links, satellite versions with their batches and record sources) -> the platform's rows.

Runs on the ``demo_marts`` session fixture (3 simulated days through the pipeline, marts refreshed)."""

from __future__ import annotations

from typing import Any

import psycopg2
import pytest

pytestmark = pytest.mark.db

ZERO = "00000000-0000-0000-0000-000000000000"


def _rows(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SET TimeZone = 'UTC'")
            cur.execute(sql, params)
            return list(cur.fetchall())
    finally:
        conn.close()


def test_fact_application_row_traces_to_source_rows_and_batches(demo_marts: Any) -> None:
    # an application whose status changed on a later simulated day: versions from more than one batch
    picked = _rows(
        demo_marts.dsn,
        """
        SELECT f.application_id, f.hk_application::text
        FROM marts.fact_application AS f
        JOIN raw_vault.sat_application_status AS s ON s.hk_application = f.hk_application
        GROUP BY f.application_id, f.hk_application
        HAVING count(DISTINCT s.batch_id) > 1
        ORDER BY f.application_id
        LIMIT 1
        """,
    )
    assert picked, "the demo has applications whose status changed after the first batch"
    application_id, hk = picked[0]

    # the mart row -> the bridge -> the hubs: candidate, job and employer business keys
    path = _rows(
        demo_marts.dsn,
        """
        SELECT a.application_id, c.candidate_id, j.job_id, e.employer_id, b.hk_referrer::text
        FROM business_vault.bridge_application AS b
        JOIN raw_vault.hub_application AS a ON a.hk_application = b.hk_application
        JOIN raw_vault.hub_candidate AS c ON c.hk_candidate = b.hk_candidate
        JOIN raw_vault.hub_job AS j ON j.hk_job = b.hk_job
        JOIN raw_vault.hub_employer AS e ON e.hk_employer = b.hk_employer
        WHERE b.hk_application = %s::uuid
        """,
        (hk,),
    )
    assert len(path) == 1, path
    _, candidate_id, job_id, employer_id, referrer = path[0]
    source = _rows(
        demo_marts.source_dsn,
        """
        SELECT a.candidate_id, a.job_id, j.employer_id, a.referrer_candidate_id
        FROM platform.applications AS a JOIN platform.jobs AS j ON j.job_id = a.job_id
        WHERE a.application_id = %s
        """,
        (application_id,),
    )
    assert source == [(candidate_id, job_id, employer_id, source[0][3])]
    assert (referrer == ZERO) == (source[0][3] is None)

    # every status version -> its batch (load time, the source it read) -> the platform's status row
    versions = _rows(
        demo_marts.dsn,
        """
        SELECT s.status, s.applied_dts, s.applied_seq, s.record_source, s.batch_id, b.load_dts, bs.rows_read
        FROM raw_vault.sat_application_status AS s
        JOIN dv_meta.batch AS b ON b.batch_id = s.batch_id
        JOIN dv_meta.batch_source AS bs
          ON bs.batch_id = s.batch_id AND bs.source = 'platform_application_status_history'
        WHERE s.hk_application = %s::uuid
        ORDER BY s.applied_dts, s.applied_seq
        """,
        (hk,),
    )
    history = _rows(
        demo_marts.source_dsn,
        "SELECT status, changed_at, seq FROM platform.application_status_history WHERE application_id = %s"
        " ORDER BY changed_at, seq",
        (application_id,),
    )
    assert [(v[0], v[1], v[2]) for v in versions] == history
    assert all(v[3] == versions[0][3] and v[3] for v in versions), "each version names its record source"
    assert all(v[6] > 0 for v in versions), "each version's batch read its source"
    # a version is loaded by the first batch whose extract window holds its change
    assert all(v[5] > v[1] for v in versions), "loaded after the change happened at the source"
    assert len({v[4] for v in versions}) > 1

    # and the mart row itself carries what those versions say: the latest status
    current = _rows(
        demo_marts.dsn, "SELECT current_status FROM marts.fact_application WHERE hk_application = %s::uuid", (hk,)
    )
    assert current == [(history[-1][0],)]
