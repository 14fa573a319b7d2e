-- generated from model/hubs/candidate.yml, model/satellites/candidate_personal.yml, model/satellites/candidate_profile.yml, model/sources/platform_candidates.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Stage one batch of source platform_candidates: cast the landed text, standardize and hash the keys,
-- compute hashdiffs. Rows that do not cast or lack a required key go to quarantine with the reason.
-- Reconciliation (rows read = staged + quarantined) is recorded in dv_meta.batch_source.
-- Expects: SET dv.batch_id = '<batch id>';

WITH batch AS (
    SELECT b.batch_id, b.load_dts
    FROM dv_meta.batch AS b
    WHERE b.batch_id = current_setting('dv.batch_id')::bigint
),
landed AS (
    SELECT l.* FROM staging.platform_candidates AS l
),
checked AS (
    SELECT
        l.*,
        CASE
            WHEN NOT (l.country_code IS NULL OR char_length(rtrim(l.country_code, ' ')) <= 2)
                THEN 'column country_code: not a valid char(2): ' || l.country_code
            WHEN NOT (l.years_experience ~ '^\s*[-+]?\d{1,9}\s*$' OR dv_meta.is_castable(l.years_experience, 'integer'))
                THEN 'column years_experience: not a valid integer: ' || l.years_experience
            WHEN NOT dv_meta.is_castable(l.desired_rate, 'numeric(10,2)')
                THEN 'column desired_rate: not a valid numeric(10,2): ' || l.desired_rate
            WHEN NOT dv_meta.is_castable(l.updated_at, 'timestamptz')
                THEN 'column updated_at: not a valid timestamptz: ' || l.updated_at
        END AS dv_error
    FROM landed AS l
),
typed AS (
    SELECT
        c.dv_row_no,
        c.candidate_id AS candidate_id,
        c.full_name AS full_name,
        c.email AS email,
        c.headline AS headline,
        c.city AS city,
        c.country_code::char(2) AS country_code,
        c.years_experience::integer AS years_experience,
        c.desired_rate::numeric(10,2) AS desired_rate,
        c.updated_at::timestamptz AS updated_at
    FROM checked AS c
    WHERE c.dv_error IS NULL
),
keyed AS (
    SELECT
        t.*,
        NULLIF(upper(btrim(regexp_replace(t.candidate_id::text, '[\x01-\x1f\x7f]', '', 'g'), ' ') COLLATE "C"), '') AS dv_k1
    FROM typed AS t
),
hashed AS (
    SELECT
        k.*,
        replace(replace(dv_k1, '\', '\\'), '|', '\|') AS dv_ks_hk_candidate
    FROM keyed AS k
),
verdict AS (
    SELECT
        h.*,
        CASE
            WHEN h.dv_ks_hk_candidate IS NULL THEN 'hub candidate: business key (candidate_id) is empty'
        END AS dv_error
    FROM hashed AS h
),
quarantined AS (
    INSERT INTO dv_meta.quarantine (batch_id, source, dv_row_no, reason, source_row)
    SELECT b.batch_id, 'platform_candidates', l.dv_row_no, e.dv_error, to_jsonb(l) - 'dv_row_no'
    FROM (
        SELECT c.dv_row_no, c.dv_error FROM checked AS c WHERE c.dv_error IS NOT NULL
        UNION ALL
        SELECT v.dv_row_no, v.dv_error FROM verdict AS v WHERE v.dv_error IS NOT NULL
    ) AS e
    JOIN landed AS l ON l.dv_row_no = e.dv_row_no
    CROSS JOIN batch AS b
    RETURNING 1
),
staged AS (
    INSERT INTO staging.platform_candidates_stage (
        batch_id, load_dts, record_source, dv_row_no, applied_dts,
        hk_candidate,
        hd_candidate_personal,
        hd_candidate_profile,
        candidate_id,
        full_name,
        email,
        headline,
        city,
        country_code,
        years_experience,
        desired_rate,
        updated_at
    )
    SELECT
        b.batch_id,
        b.load_dts,
        'jtld.platform.candidate_profiles',
        v.dv_row_no,
        COALESCE(v.updated_at::timestamptz, b.load_dts),
        COALESCE(md5(v.dv_ks_hk_candidate)::uuid, '00000000-0000-0000-0000-000000000000'::uuid),
        md5(regexp_replace(COALESCE(replace(replace(regexp_replace(v.full_name::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N') || '|' || COALESCE(replace(replace(regexp_replace(v.email::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N'), '(\|\\N)+$', ''))::uuid,
        md5(regexp_replace(COALESCE(replace(replace(regexp_replace(v.headline::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N') || '|' || COALESCE(replace(replace(regexp_replace(v.city::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N') || '|' || COALESCE(replace(replace(regexp_replace(v.country_code::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N') || '|' || COALESCE(replace(replace(regexp_replace(v.years_experience::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N') || '|' || COALESCE(replace(replace(regexp_replace(trim_scale(v.desired_rate::numeric)::text, '[\x01-\x1f\x7f]', '', 'g'), '\', '\\'), '|', '\|'), '\N'), '(\|\\N)+$', ''))::uuid,
        v.candidate_id,
        v.full_name,
        v.email,
        v.headline,
        v.city,
        v.country_code,
        v.years_experience,
        v.desired_rate,
        v.updated_at
    FROM verdict AS v
    CROSS JOIN batch AS b
    WHERE v.dv_error IS NULL
    RETURNING 1
)
INSERT INTO dv_meta.batch_source (batch_id, source, rows_read, rows_staged, rows_quarantined)
SELECT
    b.batch_id,
    'platform_candidates',
    (SELECT count(*) FROM landed),
    (SELECT count(*) FROM staged),
    (SELECT count(*) FROM quarantined)
FROM batch AS b;

TRUNCATE staging.platform_candidates;
