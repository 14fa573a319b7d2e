-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.events_application_submits (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    event_id text,
    user_id text,
    application_id text,
    job_id text,
    channel text,
    occurred_at text,
    landing_file text,
    landing_line text
);
COMMENT ON TABLE staging.events_application_submits IS
    'Landing for source events_application_submits (jtld.events.application_submit): rows as extracted, emptied when staged. A candidate submitted an application (click stream).';
COMMENT ON COLUMN staging.events_application_submits.dv_row_no IS 'landing order';

CREATE TABLE IF NOT EXISTS staging.events_application_submits_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_application_submit uuid,
    hk_application_submit__application uuid,
    hk_application_submit__job uuid,
    hk_application_submit__user uuid,
    event_id text,
    user_id bigint,
    application_id bigint,
    job_id bigint,
    channel text,
    occurred_at timestamptz,
    landing_file text,
    landing_line integer,
    CONSTRAINT events_application_submits_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.events_application_submits_stage IS
    'Staged rows of source events_application_submits per batch: typed, with hash keys and hashdiffs computed in SQL.';
