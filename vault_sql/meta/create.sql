-- generated from the built-in metadata schema by dv generate — do not edit
-- hash spec v1 (md5)
-- Schemas, batch log, quarantine and the helpers every load uses.

CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS raw_vault;
CREATE SCHEMA IF NOT EXISTS business_vault;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS dv_meta;

CREATE TABLE IF NOT EXISTS dv_meta.batch (
    batch_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_dts    timestamptz NOT NULL UNIQUE,
    status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    note        text
);
COMMENT ON TABLE dv_meta.batch IS
    'One row per load run: its load timestamp (the load_dts of every row it wrote) and status.';

CREATE TABLE IF NOT EXISTS dv_meta.batch_source (
    batch_id         bigint NOT NULL,
    source           text NOT NULL,
    rows_read        bigint NOT NULL,
    rows_staged      bigint NOT NULL,
    rows_quarantined bigint NOT NULL,
    staged_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (batch_id, source),
    CHECK (rows_read = rows_staged + rows_quarantined)
);
-- when the stage step began (staged_at: when it ended), and whether it had to test every value (a value
-- of the batch did not cast, so the fast statement failed and the checked one ran)
ALTER TABLE dv_meta.batch_source ADD COLUMN IF NOT EXISTS started_at timestamptz;
ALTER TABLE dv_meta.batch_source ADD COLUMN IF NOT EXISTS checked boolean;
COMMENT ON TABLE dv_meta.batch_source IS
    'Reconciliation per batch and source: rows read = rows staged + rows quarantined.';

CREATE TABLE IF NOT EXISTS dv_meta.load_log (
    batch_id      bigint NOT NULL,
    target        text NOT NULL,
    rows_inserted bigint NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
ALTER TABLE dv_meta.load_log ADD COLUMN IF NOT EXISTS rows_rejected bigint NOT NULL DEFAULT 0;
ALTER TABLE dv_meta.load_log ADD COLUMN IF NOT EXISTS db_role text DEFAULT current_user;
CREATE INDEX IF NOT EXISTS load_log_batch ON dv_meta.load_log (batch_id, target);
COMMENT ON TABLE dv_meta.load_log IS
    'Rows inserted (and rejected as late) per batch and target table, one row per load statement run.';

CREATE TABLE IF NOT EXISTS dv_meta.late_data (
    late_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      bigint NOT NULL,
    target        text NOT NULL,
    hash_key      text NOT NULL,
    applied_dts   timestamptz NOT NULL,
    latest_applied_dts timestamptz NOT NULL,
    reason        text NOT NULL,
    staged_row    jsonb NOT NULL,
    rejected_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS late_data_batch ON dv_meta.late_data (batch_id, target);
COMMENT ON TABLE dv_meta.late_data IS
    'Rows a satellite with late_data: reject refused: older than the latest version the vault holds for their key; and deliveries of an event a non-historized link holds with another payload (the first is kept).';

CREATE TABLE IF NOT EXISTS dv_meta.quarantine (
    quarantine_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id       bigint NOT NULL,
    source         text NOT NULL,
    dv_row_no      bigint NOT NULL,
    reason         text NOT NULL,
    source_row     jsonb NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS quarantine_batch ON dv_meta.quarantine (batch_id, source);
COMMENT ON TABLE dv_meta.quarantine IS 'Source rows that could not be staged, with the reason and the row as landed.';

CREATE TABLE IF NOT EXISTS dv_meta.model_version (
    applied_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    model_fingerprint text NOT NULL,
    hash_spec_version integer NOT NULL,
    hash_algorithm    text NOT NULL,
    applied_by        text NOT NULL DEFAULT current_user
);
ALTER TABLE dv_meta.model_version ADD COLUMN IF NOT EXISTS manifest jsonb;
COMMENT ON TABLE dv_meta.model_version IS
    'Each dv apply: the fingerprint of the model files, the hash spec in force and the manifest applied.';

-- Masks for personal values (the masked forms of views that show personal data, docs/security.md): NULL stays
-- NULL, so counts of values are the same through the masked and the clear form.
CREATE OR REPLACE FUNCTION dv_meta.mask_email(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$dv$SELECT CASE WHEN value IS NULL THEN NULL
                WHEN position('@' IN value) > 0 THEN '***@' || lower(substring(btrim(value) FROM '@([^@]*)$'))
                ELSE '***' END$dv$;
COMMENT ON FUNCTION dv_meta.mask_email(text) IS 'An e-mail address as its domain only: ***@example.com.';
CREATE OR REPLACE FUNCTION dv_meta.mask_initials(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$dv$SELECT CASE WHEN value IS NULL THEN NULL
                ELSE coalesce((SELECT string_agg(upper(left(w, 1)) || '.', ' ' ORDER BY n)
                                 FROM regexp_split_to_table(btrim(value), '[[:space:]]+') WITH ORDINALITY AS t(w, n)
                                WHERE w <> ''), '') END$dv$;
COMMENT ON FUNCTION dv_meta.mask_initials(text) IS 'A name as its initials: Jane van Dijk -> J. V. D.';
CREATE OR REPLACE FUNCTION dv_meta.mask_hidden(value anyelement) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $dv$SELECT CASE WHEN value IS NULL THEN NULL ELSE '***' END$dv$;
COMMENT ON FUNCTION dv_meta.mask_hidden(anyelement) IS 'Any personal value as ***; NULL stays NULL.';
CREATE OR REPLACE FUNCTION dv_meta.mask_hash(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $dv$SELECT left(md5(value), 12)$dv$;
COMMENT ON FUNCTION dv_meta.mask_hash(text) IS
    'A personal value as a short hash: equal values stay equal (distinct counts and joins agree), the value is not shown.';

-- ANALYZE for the pipeline: only a table's owner may analyze it, and the loader role owns no raw-vault table
-- (it may only insert there). The function runs as its owner (the owner role, dv apply) and analyzes tables of
-- the warehouse's schemas, nothing else.
CREATE OR REPLACE FUNCTION dv_meta.analyze_table(target regclass) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $dv$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.oid = target AND c.relkind IN ('r', 'p')
                      AND n.nspname IN ('staging', 'raw_vault', 'business_vault', 'marts', 'dv_meta')) THEN
        RAISE EXCEPTION 'dv_meta.analyze_table: % is not a table of the warehouse', target;
    END IF;
    EXECUTE format('ANALYZE %s', target);
END
$dv$;

-- true when a landed text value casts to the given type (PostgreSQL 16 has pg_input_is_valid)
DO $dv$
BEGIN
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE $f$
            CREATE OR REPLACE FUNCTION dv_meta.is_castable(value text, type_name text)
            RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
            AS 'SELECT value IS NULL OR pg_input_is_valid(value, type_name)'
        $f$;
    ELSE
        EXECUTE $f$
            CREATE OR REPLACE FUNCTION dv_meta.is_castable(value text, type_name text)
            RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE
            AS $body$
            BEGIN
                IF value IS NULL THEN
                    RETURN true;
                END IF;
                EXECUTE format('SELECT %L::%s', value, type_name);
                RETURN true;
            EXCEPTION WHEN others THEN
                RETURN false;
            END
            $body$
        $f$;
    END IF;
END
$dv$;

-- the pipeline's own records: what every task of a batch did, the extraction watermarks, the alerts
CREATE TABLE IF NOT EXISTS dv_meta.task_run (
    batch_id         bigint NOT NULL,
    task             text NOT NULL,
    status           text NOT NULL CHECK (status IN ('done', 'failed')),
    rows_read        bigint,
    rows_written     bigint,
    rows_quarantined bigint,
    seconds          numeric(12,3),
    error            text,
    finished_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE UNIQUE INDEX IF NOT EXISTS task_run_done ON dv_meta.task_run (batch_id, task) WHERE status = 'done';
-- 'skipped': the marts of a batch whose quality gate failed (the task is complete, nothing refreshed)
ALTER TABLE dv_meta.task_run DROP CONSTRAINT IF EXISTS task_run_status_check;
ALTER TABLE dv_meta.task_run ADD CONSTRAINT task_run_status_check CHECK (status IN ('done', 'failed', 'skipped'));
-- the role a task acted as (the pipeline: the loader role, pipelines/access.py)
ALTER TABLE dv_meta.task_run ADD COLUMN IF NOT EXISTS db_role text DEFAULT current_user;
COMMENT ON TABLE dv_meta.task_run IS
    'Each task run of a batch: rows read, written and quarantined, duration, or the error. A done row commits with the task''s work (its completion marker).';

CREATE TABLE IF NOT EXISTS dv_meta.watermark (
    source      text NOT NULL,
    batch_id    bigint NOT NULL,
    high_value  timestamptz,
    rows_read   bigint NOT NULL,
    read_from   timestamptz,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (source, batch_id)
);
COMMENT ON TABLE dv_meta.watermark IS
    'Per source and batch: the highest watermark value extracted; the next incremental extract reads from it, less a look-back.';

CREATE TABLE IF NOT EXISTS dv_meta.alert (
    alert_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    raised_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind      text NOT NULL,
    subject   text NOT NULL,
    message   text NOT NULL,
    batch_id  bigint
);
COMMENT ON TABLE dv_meta.alert IS
    'Alerts: failed tasks, stale sources. Also logged, and posted to the webhook when one is configured.';

-- file feeds: each file read, once per source and content (docs/platform.md, File feeds)
CREATE TABLE IF NOT EXISTS dv_meta.file_log (
    file_log_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id         bigint NOT NULL,
    source           text NOT NULL,
    path             text NOT NULL,
    size_bytes       bigint NOT NULL,
    sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    status           text NOT NULL CHECK (status IN ('loaded', 'truncated', 'changed')),
    rows_read        bigint NOT NULL DEFAULT 0,
    rows_landed      bigint NOT NULL DEFAULT 0,
    rows_quarantined bigint NOT NULL DEFAULT 0,
    previous_sha256  text,
    problem          text,
    read_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (source, path, sha256),
    CHECK (rows_read = rows_landed + rows_quarantined)
);
CREATE INDEX IF NOT EXISTS file_log_batch ON dv_meta.file_log (batch_id, source);
-- the file's modification time when it was read: a file with the same size and time is not read again
ALTER TABLE dv_meta.file_log ADD COLUMN IF NOT EXISTS mtime_ns bigint;
COMMENT ON TABLE dv_meta.file_log IS
    'Each file a feed source read: path under the landing folder, size, sha256 (a file loads once), rows read = landed + quarantined by the parser; status loaded, truncated (a break: rows before it landed, the break quarantined) or changed (a landed path with new content: not landed, previous_sha256 kept).';

-- data quality: every check result of dv check and of the pipeline's Quality task, and each batch's quality gate
-- (docs/quality.md)
CREATE SEQUENCE IF NOT EXISTS dv_meta.quality_run_id;
CREATE TABLE IF NOT EXISTS dv_meta.quality_result (
    result_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         bigint NOT NULL,
    batch_id       bigint,
    contract_file  text NOT NULL,
    dataset        text NOT NULL,
    check_name     text NOT NULL,
    check_type     text NOT NULL,
    column_name    text,
    outcome        text NOT NULL CHECK (outcome IN ('pass', 'warn', 'fail', 'error')),
    measured_value double precision,
    threshold      text,
    message        text,
    checked_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS quality_result_batch ON dv_meta.quality_result (batch_id, outcome);
CREATE INDEX IF NOT EXISTS quality_result_run ON dv_meta.quality_result (run_id);
COMMENT ON TABLE dv_meta.quality_result IS
    'One row per data-quality check run: the contract file, the table (schema.table), the check, its outcome (pass, warn, fail, error), the measured value and the threshold, the batch checked; run_id groups one run.';

CREATE TABLE IF NOT EXISTS dv_meta.quality_gate (
    batch_id   bigint PRIMARY KEY,
    run_id     bigint NOT NULL,
    passed     boolean NOT NULL,
    outcome    text NOT NULL CHECK (outcome IN ('pass', 'warn', 'fail', 'error')),
    checks     integer NOT NULL,
    warned     integer NOT NULL,
    failed     integer NOT NULL,
    errors     integer NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (passed = (failed = 0 AND errors = 0))
);
COMMENT ON TABLE dv_meta.quality_gate IS
    'The quality gate of each batch, from the last run of every check for it: passed unless a fail-level check failed or a check could not run. Mart refreshes require a passed gate.';

-- profiling: every staged source column per batch, and the anomaly warnings of a batch against the ones before it
-- (pipelines/profile.py, docs/quality.md)
CREATE TABLE IF NOT EXISTS dv_meta.profile (
    batch_id       bigint NOT NULL,
    source         text NOT NULL,
    column_name    text NOT NULL,
    ordinal        integer NOT NULL,
    data_type      text NOT NULL,
    row_count      bigint NOT NULL,
    null_count     bigint NOT NULL,
    null_share     numeric(7,6),
    distinct_count bigint NOT NULL,
    min_value      text,
    max_value      text,
    top_values     jsonb NOT NULL,
    value_counts   jsonb,
    profiled_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (batch_id, source, column_name),
    CHECK (null_count <= row_count)
);
CREATE INDEX IF NOT EXISTS profile_source ON dv_meta.profile (source, batch_id);
-- the rows the frequencies were computed from: row_count (every row) or a sample (estimates)
ALTER TABLE dv_meta.profile ADD COLUMN IF NOT EXISTS sample_rows bigint;
COMMENT ON COLUMN dv_meta.profile.sample_rows IS
    'rows the distinct count, top values and value counts were computed from: row_count (every row) or a sample of the staged rows (estimates)';
COMMENT ON TABLE dv_meta.profile IS
    'Profile of each staged source column per batch (the batch''s rows of the stage table): rows, NULLs and their share (NULL when the batch staged no row), distinct values, min and max as text, the 5 most frequent values with their counts ([{"value", "count"}]) and, for a column with at most 20 distinct values in the batch, all of them (value_counts).';

CREATE TABLE IF NOT EXISTS dv_meta.anomaly (
    anomaly_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id         bigint NOT NULL,
    source           text NOT NULL,
    column_name      text,
    metric           text NOT NULL CHECK (metric IN ('row_count', 'null_share', 'distinct_count', 'new_value')),
    observed         text NOT NULL,
    expected_low     numeric,
    expected_high    numeric,
    baseline_batches integer NOT NULL,
    message          text NOT NULL,
    detected_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS anomaly_batch ON dv_meta.anomaly (batch_id, source);
COMMENT ON TABLE dv_meta.anomaly IS
    'Warnings: a batch whose profile departs from the recent batches of its source - row count, NULL share or distinct count outside the band of the last batches (column_name NULL for the row count), or a value never seen before in a column that had few distinct values (observed = the value).';

-- the business vault and the marts (pipelines/marts.py, docs/marts.md)
CREATE TABLE IF NOT EXISTS dv_meta.gate_acceptance (
    batch_id    bigint PRIMARY KEY,
    reason      text NOT NULL CHECK (btrim(reason) <> ''),
    accepted_by text NOT NULL DEFAULT session_user,
    accepted_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
ALTER TABLE dv_meta.gate_acceptance ALTER COLUMN accepted_by SET DEFAULT session_user;  -- the person, not the role
COMMENT ON TABLE dv_meta.gate_acceptance IS
    'An operator''s acceptance of a batch whose quality gate failed (dv gate accept): who, when and why; the marts then refresh over it. The gate itself stays failed.';

CREATE TABLE IF NOT EXISTS dv_meta.mart_refresh (
    refresh_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint NOT NULL,
    batch_id     bigint NOT NULL,
    object       text NOT NULL,
    mode         text NOT NULL CHECK (mode IN ('build', 'refresh', 'view')),
    rows_total   bigint,
    seconds      numeric(12,3) NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS mart_refresh_object ON dv_meta.mart_refresh (object, batch_id);
-- skipped: nothing the object reads changed since its last refresh (dv marts recognised it and left it as it was)
ALTER TABLE dv_meta.mart_refresh DROP CONSTRAINT IF EXISTS mart_refresh_mode_check;
ALTER TABLE dv_meta.mart_refresh ADD CONSTRAINT mart_refresh_mode_check
    CHECK (mode IN ('build', 'refresh', 'view', 'skipped'));
ALTER TABLE dv_meta.mart_refresh ADD COLUMN IF NOT EXISTS rows_changed bigint;
COMMENT ON TABLE dv_meta.mart_refresh IS
    'Each business-vault and mart object each dv marts run refreshed: the batch it reflects (every batch up to it), build (in full) or refresh (incremental, or every row again) or view, or skipped (nothing it reads changed since its last refresh), its rows after, the rows it inserted, updated or deleted, the time; run_id groups one run.';
