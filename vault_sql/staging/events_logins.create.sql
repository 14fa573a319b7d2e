-- generated from model/links/events.yml, model/sources/events.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.events_logins (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    event_id text,
    user_id text,
    login_method text,
    occurred_at text,
    landing_file text,
    landing_line text
);
COMMENT ON TABLE staging.events_logins IS
    'Landing for source events_logins (jtld.events.login): rows as extracted, emptied when staged. A user signed in (click stream).';
COMMENT ON COLUMN staging.events_logins.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.events_logins.login_method IS 'password, google or linkedin.';

CREATE TABLE IF NOT EXISTS staging.events_logins_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_user_login_event uuid,
    hk_user_login_event__user uuid,
    event_id text,
    user_id bigint,
    login_method text,
    occurred_at timestamptz,
    landing_file text,
    landing_line integer,
    CONSTRAINT events_logins_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
COMMENT ON TABLE staging.events_logins_stage IS
    'Staged rows of source events_logins per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.events_logins_stage.login_method IS 'password, google or linkedin.';
