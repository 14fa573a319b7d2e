-- generated from 5 model files by dv generate — do not edit:
--   model/hubs/board_posting.yml, model/hubs/requisition.yml, model/links/posting_requisition.yml,
--   model/satellites/partner_boards.yml, model/sources/partner_boards.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.board_b_postings (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    board text,
    posting_id text,
    employer_reference text,
    employer_name text,
    title text,
    city text,
    country_code text,
    remote text,
    employment_type text,
    compensation_min text,
    compensation_max text,
    compensation_currency text,
    compensation_unit text,
    published_at text,
    extracted_at text,
    landing_file text
);
COMMENT ON TABLE staging.board_b_postings IS
    'Landing for source board_b_postings (jtld.partner.board_b): rows as extracted, emptied when staged. Postings of partner board B, from its daily paged JSON export.';
COMMENT ON COLUMN staging.board_b_postings.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.board_b_postings.board IS 'Always board_b (the partition).';
COMMENT ON COLUMN staging.board_b_postings.posting_id IS 'The board''s own id (bb-000067).';
COMMENT ON COLUMN staging.board_b_postings.employer_reference IS
    'The requisition number, lower-cased and sometimes padded (standardized like every business key).';
COMMENT ON COLUMN staging.board_b_postings.employment_type IS 'CONTRACT or PERMANENT.';
COMMENT ON COLUMN staging.board_b_postings.compensation_unit IS 'YEAR or HOUR.';
COMMENT ON COLUMN staging.board_b_postings.extracted_at IS 'The export''s extracted_at.';
COMMENT ON COLUMN staging.board_b_postings.landing_file IS 'The page file.';

CREATE TABLE IF NOT EXISTS staging.board_b_postings_stage (
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
    hd_board_b_posting uuid,
    board text,
    posting_id text,
    employer_reference text,
    employer_name text,
    title text,
    city text,
    country_code char(2),
    remote boolean,
    employment_type text,
    compensation_min numeric,
    compensation_max numeric,
    compensation_currency char(3),
    compensation_unit text,
    published_at timestamptz,
    extracted_at timestamptz,
    landing_file text,
    CONSTRAINT board_b_postings_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS board_b_postings_stage_k1 ON staging.board_b_postings_stage (hk_board_posting, applied_dts);
COMMENT ON TABLE staging.board_b_postings_stage IS
    'Staged rows of source board_b_postings per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.board_b_postings_stage.board IS 'Always board_b (the partition).';
COMMENT ON COLUMN staging.board_b_postings_stage.posting_id IS 'The board''s own id (bb-000067).';
COMMENT ON COLUMN staging.board_b_postings_stage.employer_reference IS
    'The requisition number, lower-cased and sometimes padded (standardized like every business key).';
COMMENT ON COLUMN staging.board_b_postings_stage.employment_type IS 'CONTRACT or PERMANENT.';
COMMENT ON COLUMN staging.board_b_postings_stage.compensation_unit IS 'YEAR or HOUR.';
COMMENT ON COLUMN staging.board_b_postings_stage.extracted_at IS 'The export''s extracted_at.';
COMMENT ON COLUMN staging.board_b_postings_stage.landing_file IS 'The page file.';
