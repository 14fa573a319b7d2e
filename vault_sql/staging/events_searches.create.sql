-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.events_searches (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    event_id text,
    user_id text,
    query_text text,
    filters text,
    result_count text,
    occurred_at text,
    landing_file text,
    landing_line text
);
COMMENT ON TABLE staging.events_searches IS
    'Landing for source events_searches (jtld.events.search): rows as extracted, emptied when staged. A job search with its query text and filters (click stream).';
COMMENT ON COLUMN staging.events_searches.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.events_searches.user_id IS 'NULL for anonymous visitors.';
COMMENT ON COLUMN staging.events_searches.filters IS 'country, remote, contract_type, min_rate, as given.';

CREATE TABLE IF NOT EXISTS staging.events_searches_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_job_search uuid,
    hk_job_search__user uuid,
    event_id text,
    user_id bigint,
    query_text text,
    filters jsonb,
    result_count integer,
    occurred_at timestamptz,
    landing_file text,
    landing_line integer,
    CONSTRAINT events_searches_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.events_searches_stage IS
    'Staged rows of source events_searches per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.events_searches_stage.user_id IS 'NULL for anonymous visitors.';
COMMENT ON COLUMN staging.events_searches_stage.filters IS 'country, remote, contract_type, min_rate, as given.';
