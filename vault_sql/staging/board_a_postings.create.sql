-- generated from 5 model files by dv generate — do not edit:
--   model/hubs/board_posting.yml, model/hubs/requisition.yml, model/links/posting_requisition.yml,
--   model/satellites/partner_boards.yml, model/sources/partner_boards.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.board_a_postings (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    board text,
    posting_id text,
    reference text,
    company text,
    title text,
    city text,
    country_code text,
    remote text,
    employment text,
    salary_currency text,
    salary_period text,
    salary_min text,
    salary_max text,
    posted_on text,
    extracted_on text,
    landing_file text
);
COMMENT ON TABLE staging.board_a_postings IS
    'Landing for source board_a_postings (jtld.partner.board_a): rows as extracted, emptied when staged. Postings of partner board A, from its daily XML feed.';
COMMENT ON COLUMN staging.board_a_postings.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.board_a_postings.board IS 'Always board_a (the partition).';
COMMENT ON COLUMN staging.board_a_postings.posting_id IS 'The board''s own posting id (A0000095).';
COMMENT ON COLUMN staging.board_a_postings.reference IS
    'The employer''s requisition number; equals jobs.external_ref for syndicated platform jobs.';
COMMENT ON COLUMN staging.board_a_postings.remote IS 'onsite, hybrid or remote.';
COMMENT ON COLUMN staging.board_a_postings.employment IS 'contract or permanent.';
COMMENT ON COLUMN staging.board_a_postings.salary_period IS 'year or hour.';
COMMENT ON COLUMN staging.board_a_postings.extracted_on IS 'Date of the extract (the file''s date attribute).';

CREATE TABLE IF NOT EXISTS staging.board_a_postings_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_board_posting uuid,
    hk_requisition uuid,
    hk_posting_requisition uuid,
    hk_posting_requisition__board_posting uuid,
    hk_posting_requisition__requisition uuid,
    hd_board_a_posting uuid,
    board text,
    posting_id text,
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
    extracted_on date,
    landing_file text,
    CONSTRAINT board_a_postings_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS board_a_postings_stage_k1 ON staging.board_a_postings_stage (hk_board_posting, applied_dts);
COMMENT ON TABLE staging.board_a_postings_stage IS
    'Staged rows of source board_a_postings per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.board_a_postings_stage.board IS 'Always board_a (the partition).';
COMMENT ON COLUMN staging.board_a_postings_stage.posting_id IS 'The board''s own posting id (A0000095).';
COMMENT ON COLUMN staging.board_a_postings_stage.reference IS
    'The employer''s requisition number; equals jobs.external_ref for syndicated platform jobs.';
COMMENT ON COLUMN staging.board_a_postings_stage.remote IS 'onsite, hybrid or remote.';
COMMENT ON COLUMN staging.board_a_postings_stage.employment IS 'contract or permanent.';
COMMENT ON COLUMN staging.board_a_postings_stage.salary_period IS 'year or hour.';
COMMENT ON COLUMN staging.board_a_postings_stage.extracted_on IS 'Date of the extract (the file''s date attribute).';
