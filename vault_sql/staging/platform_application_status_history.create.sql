-- generated from 3 model files by dv generate — do not edit:
--   model/hubs/application.yml, model/satellites/application.yml,
--   model/sources/platform_application_status_history.yml
-- hash spec v1 (md5)
-- Landing table (as extracted, every column text) and stage table (typed, hashed, one row per source row and batch).

CREATE TABLE IF NOT EXISTS staging.platform_application_status_history (
    dv_row_no bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    application_id text,
    seq text,
    status text,
    changed_at text
);
COMMENT ON TABLE staging.platform_application_status_history IS
    'Landing for source platform_application_status_history (jtld.platform.application_status_history): rows as extracted, emptied when staged. Every status change of every application (applied, screening, interview, offer, hired, rejected, withdrawn), numbered per application. Rows are only ever added.';
COMMENT ON COLUMN staging.platform_application_status_history.dv_row_no IS 'landing order';
COMMENT ON COLUMN staging.platform_application_status_history.application_id IS 'The application.';
COMMENT ON COLUMN staging.platform_application_status_history.seq IS
    'Number of the change within the application (1 = applied).';
COMMENT ON COLUMN staging.platform_application_status_history.status IS 'The status the application moved to.';
COMMENT ON COLUMN staging.platform_application_status_history.changed_at IS 'When the status changed.';

CREATE TABLE IF NOT EXISTS staging.platform_application_status_history_stage (
    batch_id bigint NOT NULL,
    load_dts timestamptz NOT NULL,
    record_source text NOT NULL,
    dv_row_no bigint NOT NULL,
    applied_dts timestamptz NOT NULL,
    hk_application uuid,
    hd_application_status uuid,
    application_id bigint,
    seq smallint,
    status text,
    changed_at timestamptz,
    CONSTRAINT platform_application_status_history_stage_pk PRIMARY KEY (batch_id, dv_row_no)
);
CREATE INDEX IF NOT EXISTS platform_application_status_history_stage_k1 ON
    staging.platform_application_status_history_stage (hk_application, applied_dts);
COMMENT ON TABLE staging.platform_application_status_history_stage IS
    'Staged rows of source platform_application_status_history per batch: typed, with hash keys and hashdiffs computed in SQL.';
COMMENT ON COLUMN staging.platform_application_status_history_stage.application_id IS 'The application.';
COMMENT ON COLUMN staging.platform_application_status_history_stage.seq IS
    'Number of the change within the application (1 = applied).';
COMMENT ON COLUMN staging.platform_application_status_history_stage.status IS 'The status the application moved to.';
COMMENT ON COLUMN staging.platform_application_status_history_stage.changed_at IS 'When the status changed.';
