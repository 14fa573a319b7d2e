-- generated from model/links/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- One row per event key, inserted once and never changed; the event's facts are columns of the row.
CREATE TABLE IF NOT EXISTS raw_vault.nhl_job_search (
    hk_job_search uuid NOT NULL,
    hk_user uuid NOT NULL,
    event_id text,
    applied_dts timestamptz NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    batch_id bigint NOT NULL,
    query_text text,
    filters jsonb,
    result_count integer,
    CONSTRAINT nhl_job_search_pk PRIMARY KEY (hk_job_search)
);
CREATE INDEX IF NOT EXISTS nhl_job_search_user ON raw_vault.nhl_job_search (hk_user);
CREATE INDEX IF NOT EXISTS nhl_job_search_bid ON raw_vault.nhl_job_search USING brin (batch_id);
COMMENT ON TABLE raw_vault.nhl_job_search IS
    'A job search - its query text, filters and number of results - by a signed-in user or anonymously (the unknown user).';
COMMENT ON COLUMN raw_vault.nhl_job_search.hk_job_search IS 'Hash key of the event: hubs'' keys and event key';
COMMENT ON COLUMN raw_vault.nhl_job_search.hk_user IS 'Hash key of hub user';
COMMENT ON COLUMN raw_vault.nhl_job_search.event_id IS 'The click stream''s id of the event. (standardized as hashed)';
COMMENT ON COLUMN raw_vault.nhl_job_search.applied_dts IS 'When the event happened at the source';
COMMENT ON COLUMN raw_vault.nhl_job_search.load_dts IS 'When the warehouse first loaded this row (its batch)';
COMMENT ON COLUMN raw_vault.nhl_job_search.record_source IS 'Source that first delivered this row';
COMMENT ON COLUMN raw_vault.nhl_job_search.batch_id IS 'Batch that loaded this row (dv_meta.batch)';
COMMENT ON COLUMN raw_vault.nhl_job_search.filters IS 'country, remote, contract_type, min_rate, as given.';

-- ghost record
INSERT INTO raw_vault.nhl_job_search (hk_job_search, hk_user, applied_dts, load_dts, record_source, batch_id)
VALUES (
    '00000000-0000-0000-0000-000000000000'::uuid,
    '00000000-0000-0000-0000-000000000000'::uuid,
    '0001-01-01 00:00:00+00', '0001-01-01 00:00:00+00', 'SYSTEM.GHOST', 0
)
ON CONFLICT (hk_job_search) DO NOTHING;
