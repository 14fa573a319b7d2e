-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.events_job_views (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    event_id text,
    user_id text,
    job_id text,
    view_source text,
    occurred_at text,
    landing_file text,
    landing_line text
);
COMMENT ON TABLE staging.events_job_views IS
    'Landing for source events_job_views (jtld.events.job_view): rows as extracted, emptied when staged. A visitor or user looked at a job posting (click stream).';
COMMENT ON COLUMN staging.events_job_views.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.events_job_views.event_id IS 'Event key (32 hex digits), unique per event, not per line.';
COMMENT ON COLUMN staging.events_job_views.user_id IS 'Platform user; NULL for anonymous visitors.';
COMMENT ON COLUMN staging.events_job_views.view_source IS 'search, recommendation, direct or email.';
COMMENT ON COLUMN staging.events_job_views.occurred_at IS 'When the event happened (its timestamp).';
COMMENT ON COLUMN staging.events_job_views.landing_file IS 'File under the landing folder the line came from.';
COMMENT ON COLUMN staging.events_job_views.landing_line IS 'Line number in that file (1 = first).';

CREATE TABLE IF NOT EXISTS staging.events_job_views_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_job_view uuid,
    hk_job_view__job uuid,
    hk_job_view__user uuid,
    event_id text,
    user_id bigint,
    job_id bigint,
    view_source text,
    occurred_at timestamptz,
    landing_file text,
    landing_line integer,
    CONSTRAINT events_job_views_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.events_job_views_stage IS
    'Staged rows of source events_job_views per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.events_job_views_stage.event_id IS
    'Event key (32 hex digits), unique per event, not per line.';
COMMENT ON COLUMN staging.events_job_views_stage.user_id IS 'Platform user; NULL for anonymous visitors.';
COMMENT ON COLUMN staging.events_job_views_stage.view_source IS 'search, recommendation, direct or email.';
COMMENT ON COLUMN staging.events_job_views_stage.occurred_at IS 'When the event happened (its timestamp).';
COMMENT ON COLUMN staging.events_job_views_stage.landing_file IS 'File under the landing folder the line came from.';
COMMENT ON COLUMN staging.events_job_views_stage.landing_line IS 'Line number in that file (1 = first).';
