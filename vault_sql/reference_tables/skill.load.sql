-- generated from model/reference/skill.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load reference table skill from source platform_skills: versions of each code, detected as in a satellite.
-- Only the codes of this batch are read. Version order of a code: applied_dts, then load order.
-- Each staged version is compared with its predecessor in that order: the one before it in the batch,
-- or the latest stored version that stands no later than it, whichever stands later. So A->B->A in one
-- batch gives three rows, equal timestamps keep every distinct version, a late row is inserted
-- back-dated, and versions the table already holds (a rerun, a re-delivery) are skipped.
-- Text codes are standardized as the stage step checked them (trimmed, upper-cased);
-- a row without a complete code went to quarantine there.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.ref.skill'));

WITH batch_rows AS (
    SELECT
        s.skill_id AS skill_id,
        s.hd_ref_skill AS hashdiff,
        s.applied_dts,
        s.load_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no,
        s.name AS skill_name,
        s.category AS category,
        s.parent_skill_id AS parent_skill_id
    FROM staging.platform_skills_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
),
unseen AS (
    -- versions not stored yet: the same code at the same position with the same content is already loaded
    SELECT b.*
    FROM batch_rows AS b
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.ref_skill AS t
        WHERE t.skill_id = b.skill_id
          AND t.applied_dts = b.applied_dts
          AND t.hashdiff = b.hashdiff
    )
),
ordered AS (
    SELECT
        u.*,
        lag(u.applied_dts) OVER w AS dv_prev_applied_dts,
        lag(u.hashdiff) OVER w AS dv_prev_hashdiff
    FROM unseen AS u
    WINDOW w AS (PARTITION BY u.skill_id ORDER BY u.applied_dts, u.dv_row_no)
),
compared AS (
    SELECT
        o.*,
        CASE
            WHEN o.dv_prev_applied_dts IS NOT NULL
             AND (p.applied_dts IS NULL OR (o.dv_prev_applied_dts) >= (p.applied_dts))
            THEN o.dv_prev_hashdiff
            ELSE p.hashdiff
        END AS dv_pred_hashdiff
    FROM ordered AS o
    LEFT JOIN LATERAL (
        -- the latest stored version of the code that stands no later than this row (the _ver index)
        SELECT t.applied_dts, t.hashdiff
        FROM raw_vault.ref_skill AS t
        WHERE t.skill_id = o.skill_id
          AND (t.applied_dts) <= (o.applied_dts)
        ORDER BY t.applied_dts DESC, t.load_dts DESC, t.load_seq DESC
        LIMIT 1
    ) AS p ON true
),
changes AS (
    SELECT
        c.*,
        row_number() OVER (
            PARTITION BY c.skill_id ORDER BY c.applied_dts, c.dv_row_no
        ) AS load_seq
    FROM compared AS c
    WHERE c.dv_pred_hashdiff IS DISTINCT FROM c.hashdiff
)
INSERT INTO raw_vault.ref_skill (
    skill_id, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id, skill_name, category, parent_skill_id
)
SELECT
    x.skill_id, x.load_dts, x.load_seq, x.applied_dts, x.hashdiff, x.record_source, x.batch_id, x.skill_name,
    x.category, x.parent_skill_id
FROM changes AS x
ON CONFLICT (skill_id, load_dts, load_seq) DO NOTHING;
