-- generated from model/links/placement_parties.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load link placement_parties: new relationships only; the earliest load_dts wins, ties broken by
-- record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Relationships the link holds already are left out of each source first (a probe of its primary key),
-- so only the copies of new relationships are ranked.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.link.placement_parties'));

INSERT INTO raw_vault.link_placement_parties (
    hk_placement_parties, hk_placement, hk_application, hk_candidate, hk_job, hk_employer, load_dts, record_source, batch_id
)
SELECT
    r.hk_placement_parties, r.hk_placement, r.hk_application, r.hk_candidate, r.hk_job, r.hk_employer, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_placement_parties
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_placement_parties AS hk_placement_parties,
            s.hk_placement_parties__placement AS hk_placement,
            s.hk_placement_parties__application AS hk_application,
            s.hk_placement_parties__candidate AS hk_candidate,
            s.hk_placement_parties__job AS hk_job,
            s.hk_placement_parties__employer AS hk_employer,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_placements_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_placement_parties <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.link_placement_parties AS l
              WHERE l.hk_placement_parties = s.hk_placement_parties
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_placement_parties) DO NOTHING;
