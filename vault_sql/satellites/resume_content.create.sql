-- generated from model/satellites/resume.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_resume_content (
    hk_resume uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    resume_text text,
    file_path text,
    CONSTRAINT sat_resume_content_pk PRIMARY KEY (hk_resume, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_resume_content_ver ON raw_vault.sat_resume_content
    (hk_resume, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_resume_content_bid ON raw_vault.sat_resume_content USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_resume_content IS
    'The content of a resume - its text and where its file is stored. Personal data: kept apart so it can be erased on request.';
COMMENT ON COLUMN raw_vault.sat_resume_content.hk_resume IS 'Hash key of hub resume';
COMMENT ON COLUMN raw_vault.sat_resume_content.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_resume_content.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_resume_content.applied_dts IS
    'When the change happened at the source (platform_resumes)';
COMMENT ON COLUMN raw_vault.sat_resume_content.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_resume_content.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_resume_content.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_resume_content.resume_text IS
    'The resume''s text: name, headline, experience, skills (personal data; empty once erased).';
COMMENT ON COLUMN raw_vault.sat_resume_content.file_path IS
    'Where the PDF is stored (resumes/<candidate>/<resume>.pdf); empty once erased.';

-- ghost record
INSERT INTO raw_vault.sat_resume_content
    (hk_resume, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_resume, load_dts, load_seq) DO NOTHING;
