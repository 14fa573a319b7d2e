-- generated from model/links/candidate_user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load link candidate_user: new relationships only; the earliest load_dts wins, ties broken by
-- record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Relationships the link holds already are left out of each source first (a probe of its primary key),
-- so only the copies of new relationships are ranked.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.link.candidate_user'));

INSERT INTO raw_vault.link_candidate_user (
    hk_candidate_user, hk_candidate, hk_user, load_dts, record_source, batch_id
)
SELECT
    r.hk_candidate_user, r.hk_candidate, r.hk_user, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_candidate_user
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_candidate_user AS hk_candidate_user,
            s.hk_candidate_user__candidate AS hk_candidate,
            s.hk_candidate_user__user AS hk_user,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_candidate_profiles_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.link_candidate_user AS l
              WHERE l.hk_candidate_user = s.hk_candidate_user
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_candidate_user) DO NOTHING;
