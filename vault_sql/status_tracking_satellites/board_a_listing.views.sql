-- generated from model/satellites/partner_boards.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- Virtual end dates: nothing in the raw vault is ever updated to close a status.
--   load_end_dts: load_dts of the key's next status row ('infinity' for the last)
--   is_current:   the key's latest status row

CREATE OR REPLACE VIEW raw_vault.sts_board_a_listing_hist AS
SELECT
    s.*,
    COALESCE(lead(s.load_dts) OVER w_status, 'infinity'::timestamptz) AS load_end_dts,
    lead(s.load_dts) OVER w_status IS NULL AS is_current
FROM raw_vault.sts_board_a_listing AS s
WINDOW w_status AS (PARTITION BY s.hk_board_posting ORDER BY s.load_dts);
COMMENT ON VIEW raw_vault.sts_board_a_listing_hist IS
    'Every status row of status-tracking satellite board_a_listing with virtual end dates [dv:b8c3e7369f2ac151]';

-- the current status of each key, and whether it is deleted now: an anti-join on the primary key
-- (parent key, load_dts), no window over the whole history
CREATE OR REPLACE VIEW raw_vault.sts_board_a_listing_current AS
SELECT
    s.*,
    s.status = 'deleted' AS is_deleted
FROM raw_vault.sts_board_a_listing AS s
WHERE NOT EXISTS (
    SELECT 1
    FROM raw_vault.sts_board_a_listing AS n
    WHERE n.hk_board_posting = s.hk_board_posting
      AND n.load_dts > s.load_dts
);
COMMENT ON VIEW raw_vault.sts_board_a_listing_current IS
    'Current status of each key of status-tracking satellite board_a_listing (is_deleted: missing from the latest extract of its partition) [dv:b8c3e7369f2ac151]';
