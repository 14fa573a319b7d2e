-- generated from model/satellites/partner_boards.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- version order of a key: applied_dts, load_dts, load_seq (loads look up predecessors on the _ver index)
CREATE TABLE IF NOT EXISTS raw_vault.sat_board_a_posting (
    hk_board_posting uuid NOT NULL,
    load_dts timestamptz NOT NULL,
    load_seq integer NOT NULL,
    applied_dts timestamptz NOT NULL,
    hashdiff uuid NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    reference text,
    company text,
    title text,
    city text,
    country_code char(2),
    remote text,
    employment text,
    salary_currency char(3),
    salary_period text,
    salary_min numeric,
    salary_max numeric,
    posted_on date,
    CONSTRAINT sat_board_a_posting_pk PRIMARY KEY (hk_board_posting, load_dts, load_seq)
);
CREATE INDEX IF NOT EXISTS sat_board_a_posting_ver ON raw_vault.sat_board_a_posting
    (hk_board_posting, applied_dts DESC, load_dts DESC, load_seq DESC) INCLUDE (hashdiff);
CREATE INDEX IF NOT EXISTS sat_board_a_posting_bid ON raw_vault.sat_board_a_posting USING brin (batch_id);
COMMENT ON TABLE raw_vault.sat_board_a_posting IS
    'A posting as partner board A shows it - company, title, place, terms, salary and posting date.';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.hk_board_posting IS 'Hash key of hub board_posting';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.load_dts IS 'Load timestamp of the batch that loaded this version';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.load_seq IS
    'Order of this version among the versions of its key loaded in the same batch (1 = first)';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.applied_dts IS
    'When the change happened at the source (board_a_postings)';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.hashdiff IS 'Hash of the payload columns, in declared order';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.record_source IS 'Source that delivered this version';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.batch_id IS 'Batch that loaded this version (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.reference IS
    'The employer''s requisition number; equals jobs.external_ref for syndicated platform jobs.';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.remote IS 'onsite, hybrid or remote.';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.employment IS 'contract or permanent.';
COMMENT ON COLUMN raw_vault.sat_board_a_posting.salary_period IS 'year or hour.';

-- ghost record
INSERT INTO raw_vault.sat_board_a_posting
    (hk_board_posting, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00',
    0,
    '0001-01-01 00:00:00+00',
    '00000000-0000-0000-0000-000000000000'::uuid,
    'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_board_posting, load_dts, load_seq) DO NOTHING;
