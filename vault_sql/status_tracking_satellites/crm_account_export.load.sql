-- generated from model/satellites/crm.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Deletion detection: status tracking of hub crm_account in the full extract of source crm_accounts.
-- Each key of this batch's extract is compared with its status as of this batch (its latest row not
-- later than the batch's load_dts, found by an anti-join on the primary key):
--   'present' row: the key is new, was deleted, or stood in another partition
--   'deleted' row: the key is present in a partition this extract covers, and missing from it
-- No key is deleted when the extract of this batch is empty (more often a failed export than an empty
-- system), or when some of its rows went to quarantine (their keys are unknown, so a key missing from
-- the stage may still be at the source). Rows on the zero key are not tracked. A rerun inserts nothing.
-- Expects: SET dv.batch_id = '<batch id>';

-- loads of this table wait for each other, so a load always compares with what an earlier one wrote
SELECT pg_advisory_xact_lock(hashtext('dv.load.sts.crm_account_export'));

WITH batch AS (
    SELECT b.batch_id, b.load_dts
    FROM dv_meta.batch AS b
    WHERE b.batch_id = current_setting('dv.batch_id')::bigint
),
complete_extract AS (
    -- the source was staged in this batch and none of its rows went to quarantine
    SELECT 1 AS complete
    FROM dv_meta.batch_source AS bs
    WHERE bs.batch_id = current_setting('dv.batch_id')::bigint
      AND bs.source = 'crm_accounts'
      AND bs.rows_quarantined = 0
      -- nor did any record of its files (file feeds quarantine what they cannot parse when landing)
      AND NOT EXISTS (
          SELECT 1 FROM dv_meta.quarantine AS q
          WHERE q.batch_id = bs.batch_id AND q.source = bs.source
      )
),
batch_rows AS (
    SELECT
        s.hk_crm_account AS hk_crm_account,
        s.load_dts,
        s.record_source,
        s.batch_id,
        s.dv_row_no
    FROM staging.crm_accounts_stage AS s
    WHERE s.batch_id = current_setting('dv.batch_id')::bigint
      AND s.hk_crm_account <> '00000000-0000-0000-0000-000000000000'::uuid
),
batch_keys AS (
    -- one row per key of the extract: its first row in landing order
    SELECT r.*
    FROM (
        SELECT b.*, row_number() OVER (PARTITION BY b.hk_crm_account ORDER BY b.dv_row_no) AS dv_nth
        FROM batch_rows AS b
    ) AS r
    WHERE r.dv_nth = 1
),
appeared AS (
    -- keys of the extract, unless their status as of this batch is already present in the same partition
    SELECT k.*
    FROM batch_keys AS k
    WHERE NOT EXISTS (
        SELECT 1
        FROM raw_vault.sts_crm_account_export AS t
        WHERE t.hk_crm_account = k.hk_crm_account
          AND t.load_dts <= k.load_dts
          AND t.status = 'present'
          AND NOT EXISTS (
              SELECT 1 FROM raw_vault.sts_crm_account_export AS n
              WHERE n.hk_crm_account = t.hk_crm_account
                AND n.load_dts > t.load_dts
                AND n.load_dts <= k.load_dts
          )
    )
),
missing AS (
    -- keys present as of this batch and not in the extract (which covers every key)
    SELECT t.hk_crm_account, b.load_dts, b.batch_id
    FROM raw_vault.sts_crm_account_export AS t
    CROSS JOIN batch AS b
    WHERE t.status = 'present'
      AND t.load_dts <= b.load_dts
      AND EXISTS (SELECT 1 FROM complete_extract)
      AND EXISTS (SELECT 1 FROM batch_rows)
      AND NOT EXISTS (
          SELECT 1 FROM raw_vault.sts_crm_account_export AS n
          WHERE n.hk_crm_account = t.hk_crm_account
            AND n.load_dts > t.load_dts
            AND n.load_dts <= b.load_dts
      )
      AND NOT EXISTS (SELECT 1 FROM batch_rows AS r WHERE r.hk_crm_account = t.hk_crm_account)
)
INSERT INTO raw_vault.sts_crm_account_export (
    hk_crm_account, load_dts, status, record_source, batch_id
)
SELECT a.hk_crm_account, a.load_dts, 'present', a.record_source, a.batch_id
FROM appeared AS a
UNION ALL
SELECT m.hk_crm_account, m.load_dts, 'deleted', 'jtld.crm.accounts', m.batch_id
FROM missing AS m
ON CONFLICT (hk_crm_account, load_dts) DO NOTHING;
