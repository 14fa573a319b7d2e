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
-- A group is late when an earlier batch already delivered a later position for its key (stored, or staged
-- and no change). Late groups are inserted back-dated; for their keys, the rows earlier batches staged after
-- the first late position are replayed with the batch: a late group can split a stretch of unchanged
-- groups that were no change before, and the first of them that differs from it becomes a version again.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.msat.candidate_languages'));

-- the batch's rows, read once into a temporary table with statistics: every join below is planned on
-- their true number, whatever the stage table's statistics say (a delta is not mistaken for one row)
DROP TABLE IF EXISTS pg_temp.dv_batch_rows;
CREATE TEMPORARY TABLE dv_batch_rows ON COMMIT DROP AS
    SELECT
        s.hk_candidate AS hk_candidate,
        s.hd_candidate_languages AS dv_member_hashdiff,
        s.applied_dts,
        s.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no,
        s.language_code AS language_code,
        s.proficiency AS proficiency
    FROM staging.platform_candidate_languages_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_candidate <> '00000000-0000-0000-0000-000000000000'::uuid;
ANALYZE dv_batch_rows;

WITH known AS (
    -- per key of the batch: the latest position an earlier batch delivered (stored, or staged and no change)
    SELECT k.hk_candidate, k.load_dts, m.applied_dts
    FROM (SELECT DISTINCT b.hk_candidate, b.load_dts FROM dv_batch_rows AS b) AS k
    CROSS JOIN LATERAL (
        SELECT c.*
        FROM (
            (SELECT t.applied_dts
             FROM raw_vault.msat_candidate_languages AS t
             WHERE t.hk_candidate = k.hk_candidate AND t.load_dts < k.load_dts
             ORDER BY t.applied_dts DESC
             LIMIT 1)
            UNION ALL
            (SELECT s.applied_dts
             FROM staging.platform_candidate_languages_stage AS s
             WHERE s.hk_candidate = k.hk_candidate AND s.load_dts < k.load_dts
               AND s.hd_candidate_languages IS NOT NULL  -- staged before this satellite existed
             ORDER BY s.applied_dts DESC
             LIMIT 1)
        ) AS c
        ORDER BY c.applied_dts DESC
        LIMIT 1
    ) AS m
    -- a first load has no history to look up (nothing stored, nothing staged before): no probe per key
    WHERE (EXISTS (SELECT 1 FROM raw_vault.msat_candidate_languages AS x WHERE x.record_source <> 'SYSTEM.GHOST')
           OR EXISTS (SELECT 1 FROM staging.platform_candidate_languages_stage AS e
                      WHERE e.load_dts < (SELECT min(f.load_dts) FROM dv_batch_rows AS f)))
),
late AS (
    -- the first late position of each key of the batch
    SELECT r.*
    FROM (
        SELECT
            b.hk_candidate, b.applied_dts, b.load_dts, b.batch_id,
            row_number() OVER (PARTITION BY b.hk_candidate ORDER BY b.applied_dts) AS dv_first
        FROM dv_batch_rows AS b
        JOIN known AS k ON k.hk_candidate = b.hk_candidate
        WHERE (b.applied_dts) < (k.applied_dts)
    ) AS r
    WHERE r.dv_first = 1
),
replayed AS (
    -- earlier batches' staged rows of the keys with late groups, from the first late position on
    SELECT
        s.hk_candidate AS hk_candidate,
        s.hd_candidate_languages AS dv_member_hashdiff,
        s.applied_dts,
        f.load_dts,
        s.load_dts AS dv_origin_dts,
        s.record_source,
        f.batch_id,
        s.dv_row_no,
        s.language_code AS language_code,
        s.proficiency AS proficiency
    FROM late AS f
    JOIN staging.platform_candidate_languages_stage AS s
      ON s.hk_candidate = f.hk_candidate
     AND s.load_dts < f.load_dts
     AND (s.applied_dts) > (f.applied_dts)
     AND s.hd_candidate_languages IS NOT NULL
),
candidates AS (
    SELECT * FROM dv_batch_rows
    UNION ALL
    SELECT * FROM replayed
),
members AS (
    -- one member per sub-key of a group: the first landed row (exact repeats collapse; a later row
    -- with the same sub-key and other content is ignored); a group an earlier batch staged again at the
    -- same position (a re-delivery) counts as one group
    SELECT r.*
    FROM (
        SELECT
            b.*,
            row_number() OVER (
                PARTITION BY b.hk_candidate, b.applied_dts, b.language_code
                ORDER BY b.dv_origin_dts, b.dv_row_no
            ) AS dv_repeat
        FROM candidates AS b
    ) AS r
    WHERE r.dv_repeat = 1
),
groups AS (
    -- one row per group: the key, its position and the group hashdiff
    SELECT
        m.hk_candidate,
        m.applied_dts,
        md5(string_agg(replace(m.dv_member_hashdiff::text, '-', ''), '|' ORDER BY m.dv_member_hashdiff))::uuid AS
            hashdiff
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
          AND EXISTS (SELECT 1 FROM raw_vault.msat_candidate_languages AS x WHERE x.record_source <> 'SYSTEM.GHOST')
              -- nothing stored yet: no probe per row
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
    m.hk_candidate, m.language_code, m.load_dts, x.load_seq, m.applied_dts, x.hashdiff, m.record_source, m.batch_id,
    m.proficiency
FROM changes AS x
JOIN members AS m
  ON m.hk_candidate = x.hk_candidate
 AND m.applied_dts = x.applied_dts
ON CONFLICT (hk_candidate, language_code, load_dts, load_seq) DO NOTHING;
