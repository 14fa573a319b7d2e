-- generated from model/links/placement_parties.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load link placement_parties: new relationships only; the earliest load_dts wins, ties broken by
-- record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Each source gives each relationship of the batch once, with its first landed row (a hash aggregate,
-- not a sort of every copy); relationships the link holds are left out (a probe of its primary key per
-- distinct relationship); the winner among the sources is read back from its staged row.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.link.placement_parties'));

WITH firsts AS (
    SELECT 1 AS dv_feed, 'jtld.platform.placements' AS record_source, g.*
    FROM (
        SELECT s.hk_placement_parties AS hk_placement_parties, min(s.dv_row_no) AS dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties <> '00000000-0000-0000-0000-000000000000'::uuid
        GROUP BY s.hk_placement_parties
    ) AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.link_placement_parties AS t
        WHERE t.hk_placement_parties = g.hk_placement_parties
    )
),
winners AS (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_placement_parties
            ORDER BY f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM firsts AS f
)
INSERT INTO raw_vault.link_placement_parties (
    hk_placement_parties, hk_placement, hk_application, hk_candidate, hk_job, hk_employer, load_dts, record_source,
    batch_id
)
SELECT
    w.hk_placement_parties,
    s.hk_placement_parties__placement,
    s.hk_placement_parties__application,
    s.hk_placement_parties__candidate,
    s.hk_placement_parties__job,
    s.hk_placement_parties__employer,
    s.load_dts, s.record_source, s.batch_id
FROM winners AS w
CROSS JOIN LATERAL (  -- one probe of the stage table's key per winner, whatever the estimates say
    SELECT x.* FROM staging.platform_placements_stage AS x
    WHERE x.batch_id = current_setting('dv.batch_id')::bigint AND x.dv_row_no = w.dv_row_no
    LIMIT 1  -- the stage table's primary key: one row; also keeps PostgreSQL from turning this into a join
) AS s
WHERE w.dv_rank = 1 AND w.dv_feed = 1
ON CONFLICT (hk_placement_parties) DO NOTHING;
