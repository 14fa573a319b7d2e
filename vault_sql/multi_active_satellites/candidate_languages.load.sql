-- generated from model/satellites/candidate.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Load multi-active satellite candidate_languages from source platform_candidate_languages.
-- Only the keys of this batch are read. The staged rows of one key at one position
-- (applied_dts) form that key's group; one member per sub-key
-- (language_code): of rows repeating a sub-key in a group the first landed wins.
-- A group is compared as a whole, by its group hashdiff (the hash of its members' hashdiffs in byte order,
-- so the order the members arrive in does not matter), with its predecessor: the group before it in the
-- batch, or the latest stored group that stands no later than it, whichever stands later. A group that
-- differs (a member added, removed or changed) is inserted with all its members; A->B->A gives three
-- versions; groups the satellite already holds at their position (a rerun, a re-delivery) are skipped.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.msat.candidate_languages'));

WITH batch_rows AS (
    SELECT
        s.hk_candidate AS hk_candidate,
        s.hd_candidate_languages AS dv_member_hashdiff,
        s.applied_dts,
        s.load_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no,
        s.language_code AS language_code,
        s.proficiency AS proficiency
    FROM staging.platform_candidate_languages_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_candidate <> '00000000-0000-0000-0000-000000000000'::uuid
),
members AS (
    -- one member per sub-key of a group: the first landed row (exact repeats collapse; a later row
    -- with the same sub-key and other content is ignored)
    SELECT r.*
    FROM (
        SELECT
            b.*,
            row_number() OVER (
                PARTITION BY b.hk_candidate, b.applied_dts, b.language_code
                ORDER BY b.dv_row_no
            ) AS dv_repeat
        FROM batch_rows AS b
    ) AS r
    WHERE r.dv_repeat = 1
),
groups AS (
    -- one row per group: the key, its position and the group hashdiff
    SELECT
        m.hk_candidate,
        m.applied_dts,
        md5(string_agg(replace(m.dv_member_hashdiff::text, '-', ''), '|' ORDER BY m.dv_member_hashdiff))::uuid AS hashdiff
    FROM members AS m
    GROUP BY m.hk_candidate, m.applied_dts
),
unseen AS (
    -- groups not stored yet: the same key at the same position with the same group is already loaded
    SELECT g.*
    FROM groups AS g
    WHERE NOT EXISTS (
        SELECT 1 FROM raw_vault.msat_candidate_languages AS t
        WHERE t.hk_candidate = g.hk_candidate
          AND t.applied_dts = g.applied_dts
          AND t.hashdiff = g.hashdiff
    )
),
ordered AS (
    SELECT
        u.*,
        lag(u.applied_dts) OVER w AS dv_prev_applied_dts,
        lag(u.hashdiff) OVER w AS dv_prev_hashdiff
    FROM unseen AS u
    WINDOW w AS (PARTITION BY u.hk_candidate ORDER BY u.applied_dts)
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
        -- any member of the latest stored group standing no later: members share the group hashdiff
        SELECT t.applied_dts, t.hashdiff
        FROM raw_vault.msat_candidate_languages AS t
        WHERE t.hk_candidate = o.hk_candidate
          AND (t.applied_dts) <= (o.applied_dts)
        ORDER BY t.applied_dts DESC, t.load_dts DESC, t.load_seq DESC
        LIMIT 1
    ) AS p ON true
),
changes AS (
    SELECT
        c.*,
        row_number() OVER (
            PARTITION BY c.hk_candidate ORDER BY c.applied_dts
        ) AS load_seq
    FROM compared AS c
    WHERE c.dv_pred_hashdiff IS DISTINCT FROM c.hashdiff
)
-- every member of each changed group, with the group's load_seq and hashdiff
INSERT INTO raw_vault.msat_candidate_languages (
    hk_candidate, language_code, load_dts, load_seq, applied_dts, hashdiff, record_source, batch_id, proficiency
)
SELECT
    m.hk_candidate, m.language_code, m.load_dts, x.load_seq, m.applied_dts, x.hashdiff, m.record_source, m.batch_id, m.proficiency
FROM changes AS x
JOIN members AS m
  ON m.hk_candidate = x.hk_candidate
 AND m.applied_dts = x.applied_dts
ON CONFLICT (hk_candidate, language_code, load_dts, load_seq) DO NOTHING;
