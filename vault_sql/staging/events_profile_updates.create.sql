-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.events_profile_updates (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    event_id text,
    user_id text,
    updated_fields text,
    occurred_at text,
    landing_file text,
    landing_line text
);
COMMENT ON TABLE staging.events_profile_updates IS
    'Landing for source events_profile_updates (jtld.events.profile_update): rows as extracted, emptied when staged. A candidate edited their profile (click stream).';
COMMENT ON COLUMN staging.events_profile_updates.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.events_profile_updates.updated_fields IS 'The fields changed, comma separated.';

CREATE TABLE IF NOT EXISTS staging.events_profile_updates_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_profile_update uuid,
    hk_profile_update__user uuid,
    event_id text,
    user_id bigint,
    updated_fields text,
    occurred_at timestamptz,
    landing_file text,
    landing_line integer,
    CONSTRAINT events_profile_updates_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.events_profile_updates_stage IS
    'Staged rows of source events_profile_updates per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.events_profile_updates_stage.updated_fields IS 'The fields changed, comma separated.';
