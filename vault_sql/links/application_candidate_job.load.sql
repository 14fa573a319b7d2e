-- generated from model/links/application_candidate_job.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load link application_candidate_job: new relationships only; the earliest load_dts wins, ties broken by
-- record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Relationships the link holds already are left out of each source first (a probe of its primary key),
-- so only the copies of new relationships are ranked.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.link.application_candidate_job'));

INSERT INTO raw_vault.link_application_candidate_job (
    hk_application_candidate_job, hk_application, hk_candidate, hk_job, hk_referrer, load_dts, record_source, batch_id
)
SELECT
    r.hk_application_candidate_job, r.hk_application, r.hk_candidate, r.hk_job, r.hk_referrer, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_application_candidate_job
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_application_candidate_job AS hk_application_candidate_job,
            s.hk_application_candidate_job__application AS hk_application,
            s.hk_application_candidate_job__candidate AS hk_candidate,
            s.hk_application_candidate_job__job AS hk_job,
            s.hk_application_candidate_job__referrer AS hk_referrer,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_applications_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_application_candidate_job <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.link_application_candidate_job AS l
              WHERE l.hk_application_candidate_job = s.hk_application_candidate_job
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_application_candidate_job) DO NOTHING;
