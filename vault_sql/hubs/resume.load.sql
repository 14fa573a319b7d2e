-- generated from model/hubs/resume.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load hub resume from every source that feeds it: new keys only; the earliest load_dts wins,
-- ties broken by record source, then landing order. Safe under concurrent loads (primary key + ignore).
-- Keys the hub holds already are left out of each source first (a probe of its primary key per staged
-- key), so only the copies of new keys are ranked: a delta of known keys ranks nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.hub.resume'));

INSERT INTO raw_vault.hub_resume (
    hk_resume, resume_id, load_dts, record_source, batch_id
)
SELECT
    r.hk_resume, r.resume_id, r.load_dts, r.record_source, r.batch_id
FROM (
    SELECT
        f.*,
        row_number() OVER (
            PARTITION BY f.hk_resume
            ORDER BY f.load_dts, f.record_source, f.dv_row_no
        ) AS dv_rank
    FROM (
        SELECT
            s.hk_resume AS hk_resume,
            s.resume_id::bigint AS resume_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_resumes_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_resume <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_resume AS h
              WHERE h.hk_resume = s.hk_resume
          )
        UNION ALL
        SELECT
            s.hk_candidate_resume__resume AS hk_resume,
            s.resume_id::bigint AS resume_id,
            s.load_dts, s.record_source, s.batch_id, s.dv_row_no
        FROM staging.platform_resumes_stage AS s
        WHERE s.batch_id = current_setting('dv.batch_id')::bigint
          AND s.hk_candidate_resume__resume <> '00000000-0000-0000-0000-000000000000'::uuid
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.hub_resume AS h
              WHERE h.hk_resume = s.hk_candidate_resume__resume
          )
    ) AS f
) AS r
WHERE r.dv_rank = 1
ON CONFLICT (hk_resume) DO NOTHING;
