-- generated from model/links/employer_user.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load link employer_user: new relationships only; the earliest load_dts wins, ties broken by
-- record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Relationships the link holds already are left out of each source first (a probe of its primary key),
-- so only the copies of new relationships are ranked.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.link.employer_user'));

INSERT INTO raw_vault.link_employer_user (
    hk_employer_user, hk_employer, hk_user, load_dts, record_source, batch_id
)
SELECT
    r.hk_employer_user, r.hk_employer, r.hk_user, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_employer_user
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_employer_user AS hk_employer_user,
            s.hk_employer_user__employer AS hk_employer,
            s.hk_employer_user__user AS hk_user,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_employer_users_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_employer_user <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.link_employer_user AS l
              WHERE l.hk_employer_user = s.hk_employer_user
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_employer_user) DO NOTHING;
