-- generated from model/links/candidate_resume.yml by dv generate — do not edit
-- hash spec v1 (md5)
CREATE TABLE IF NOT EXISTS raw_vault.link_candidate_resume (
    hk_candidate_resume uuid NOT NULL,
    hk_candidate uuid NOT NULL,
    hk_resume uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    CONSTRAINT link_candidate_resume_pk PRIMARY KEY (hk_candidate_resume)
);
CREATE INDEX IF NOT EXISTS link_candidate_resume_candidate ON raw_vault.link_candidate_resume (hk_candidate);
CREATE INDEX IF NOT EXISTS link_candidate_resume_resume ON raw_vault.link_candidate_resume (hk_resume);
CREATE INDEX IF NOT EXISTS link_candidate_resume_bid ON raw_vault.link_candidate_resume USING brin (batch_id);
COMMENT ON TABLE raw_vault.link_candidate_resume IS 'The candidate who uploaded a resume.';
COMMENT ON COLUMN raw_vault.link_candidate_resume.hk_candidate_resume IS 'Hash key of the relationship';
COMMENT ON COLUMN raw_vault.link_candidate_resume.hk_candidate IS 'Hash key of hub candidate';
COMMENT ON COLUMN raw_vault.link_candidate_resume.hk_resume IS 'Hash key of hub resume';
COMMENT ON COLUMN raw_vault.link_candidate_resume.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.link_candidate_resume.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.link_candidate_resume.batch_id IS 'Batch that loaded this row (dv_meta.batch)';

-- ghost record
INSERT INTO raw_vault.link_candidate_resume
    (hk_candidate_resume, hk_candidate, hk_resume, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_candidate_resume) DO NOTHING;
