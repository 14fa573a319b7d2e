-- generated from model/hubs/requisition.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub requisition from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Each source gives each key of the batch once, with its first landed row (a hash aggregate over the
-- batch's rows, not a sort of every copy); keys the hub holds are left out (a probe of its primary key
-- per distinct key); the winner among the sources is chosen from those few rows, and its key values are
-- read back from its staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.requisition'));

WITH firsts AS (
    SELECT 1 AS dv_feed, 'jtld.platform.jobs' AS record_source, g.*
    FROM (
        SELECT s.hk_requisition AS hk_requisition, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_requisition <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_requisition
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_requisition AS t
        WHERE t.hk_requisition = g.hk_requisition
    )
    UNION ALL
    SELECT 2 AS dv_feed, 'jtld.partner.board_a' AS record_source, g.*
    FROM (
        SELECT s.hk_requisition AS hk_requisition, min(s.dv_row_no) AS dv_row_no
        FROM staging.board_a_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_requisition <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_requisition
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_requisition AS t
        WHERE t.hk_requisition = g.hk_requisition
    )
    UNION ALL
    SELECT 3 AS dv_feed, 'jtld.partner.board_b' AS record_source, g.*
    FROM (
        SELECT s.hk_requisition AS hk_requisition, min(s.dv_row_no) AS dv_row_no
        FROM staging.board_b_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_requisition <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_requisition
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_requisition AS t
        WHERE t.hk_requisition = g.hk_requisition
    )
    UNION ALL
    SELECT 4 AS dv_feed, 'jtld.platform.jobs' AS record_source, g.*
    FROM (
        SELECT s.hk_job_requisition__requisition AS hk_requisition, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_jobs_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_job_requisition__requisition <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_job_requisition__requisition
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_requisition AS t
        WHERE t.hk_requisition = g.hk_requisition
    )
    UNION ALL
    SELECT 5 AS dv_feed, 'jtld.partner.board_a' AS record_source, g.*
    FROM (
        SELECT s.hk_posting_requisition__requisition AS hk_requisition, min(s.dv_row_no) AS dv_row_no
        FROM staging.board_a_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_posting_requisition__requisition <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_posting_requisition__requisition
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_requisition AS t
        WHERE t.hk_requisition = g.hk_requisition
    )
    UNION ALL
    SELECT 6 AS dv_feed, 'jtld.partner.board_b' AS record_source, g.*
    FROM (
        SELECT s.hk_posting_requisition__requisition AS hk_requisition, min(s.dv_row_no) AS dv_row_no
        FROM staging.board_b_postings_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_posting_requisition__requisition <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_posting_requisition__requisition
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.hub_requisition AS t
        WHERE t.hk_requisition = g.hk_requisition
    )
),
winners AS (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_requisition
            ORDER BY f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM firsts AS f
)
INSERT INTO raw_vault.hub_requisition (
    hk_requisition, requisition_ref, load_dts, record_source, batch_id
)
SELECT
    w.hk_requisition,
    CASE
        WHEN s.external_ref::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.external_ref::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_jobs_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 1
UNION ALL
SELECT
    w.hk_requisition,
    CASE
        WHEN s.reference::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.reference::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.board_a_postings_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 2
UNION ALL
SELECT
    w.hk_requisition,
    CASE
        WHEN s.employer_reference::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN
            upper(btrim(regexp_replace(s.employer_reference::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.board_b_postings_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 3
UNION ALL
SELECT
    w.hk_requisition,
    CASE
        WHEN s.external_ref::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.external_ref::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_jobs_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 4
UNION ALL
SELECT
    w.hk_requisition,
    CASE
        WHEN s.reference::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN upper(btrim(regexp_replace(s.reference::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.board_a_postings_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 5
UNION ALL
SELECT
    w.hk_requisition,
    CASE
        WHEN s.employer_reference::text !~
            E'^[\\x01-\\x1f\\x7f\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028-\\u2029\\u202f\\u205f-\\u2060\\u3000\\ufeff]*$'
            THEN
            upper(btrim(regexp_replace(s.employer_reference::text, E'[\\x01-\\x1f\\x7f]', '', 'g'), ' ') COLLATE "C")
    END,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.board_b_postings_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 6
ON CONFLICT (hk_requisition) DO NOTHING;
