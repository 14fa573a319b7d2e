-- generated from model/links/application_candidate_job.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_application_candidate_job (
    hk_application_candidate_job uuid NOT NULL,
    hk_application uuid NOT NULL,
    hk_candidate uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_referrer uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_application_candidate_job_pk PRIMARY KEY (hk_application_candidate_job)
);
CREATE INDEX IF NOT EXISTS link_application_candidate_job_application ON raw_vault.link_application_candidate_job
    (hk_application);
CREATE INDEX IF NOT EXISTS link_application_candidate_job_candidate ON raw_vault.link_application_candidate_job
    (hk_candidate);
CREATE INDEX IF NOT EXISTS link_application_candidate_job_job ON raw_vault.link_application_candidate_job (hk_job);
CREATE INDEX IF NOT EXISTS link_application_candidate_job_referrer ON raw_vault.link_application_candidate_job
    (hk_referrer);
CREATE INDEX IF NOT EXISTS link_application_candidate_job_bid ON raw_vault.link_application_candidate_job USING brin
    (batch_id);
COMMENT ON TABLE raw_vault.link_application_candidate_job IS
    'An application ties the candidate who applied to the job; a candidate who referred them appears in the role referrer (the unknown candidate when nobody did).';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.hk_application_candidate_job IS
    'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.hk_application IS 'Hash key of hub application';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.hk_job IS 'Hash key of hub job';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.hk_referrer IS 'Hash key of hub candidate as referrer';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.load_dts IS
    'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_application_candidate_job.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_application_candidate_job (
    hk_application_candidate_job, hk_application, hk_candidate, hk_job, hk_referrer, load_dts, record_source, batch_id
)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_application_candidate_job) DO NOTHING;
