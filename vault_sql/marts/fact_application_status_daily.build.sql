-- generated from model/marts/snapshots.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- fact fact_application_status_daily (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.fact_application_status_daily CASCADE;
CREATE TABLE marts.fact_application_status_daily AS
-- dv:select begin (fact_application_status_daily.refresh.sql selects these rows again)
-- from the PIT's stored rows, not its every (day, key): each row is an application's status version standing
-- from valid_from to valid_to (days, the end exclusive); a day's count is what started by then minus what ended
WITH span AS (
    SELECT p.valid_from, p.valid_to, COALESCE(s.status, '(unknown)') AS status
      FROM business_vault.pit_application_changes AS p
      -- the version the PIT names: an inner join (the ghost record stands for "none yet")
      JOIN raw_vault.sat_application_status AS s
        ON s.hk_application = p.application_status_hk
       AND s.load_dts = p.application_status_load_dts
       AND s.load_seq = p.application_status_load_seq
),
step AS (
    SELECT valid_from AS day, status, count(*) AS n FROM span GROUP BY 1, 2
    UNION ALL
    SELECT valid_to, status, -count(*) FROM span WHERE valid_to < 'infinity'::date GROUP BY 1, 2
)
SELECT c.snapshot_date,
       to_char(c.snapshot_date, 'YYYYMMDD')::integer AS date_key,
       t.status,
       sum(t.n)::bigint                              AS applications
  FROM business_vault.pit_application_calendar AS c
  JOIN step AS t ON t.day <= c.snapshot_date
 GROUP BY c.snapshot_date, t.status
HAVING sum(t.n) > 0
-- dv:select end
;
ALTER TABLE marts.fact_application_status_daily ADD PRIMARY KEY (snapshot_date, status);
COMMENT ON TABLE marts.fact_application_status_daily IS
    'A periodic snapshot from business_vault.pit_application (its stored rows, pit_application_changes, over its calendar): per snapshot day and status, the applications in that status as the warehouse knew them at the end of the day. A day''s batch loads the platform up to the midnight before it, so a snapshot day D counts each application''s latest status changed before D 00:00 UTC. Applications the warehouse knew only from a reference (no status yet) count as ''(unknown)''. [dv:c24b29550046ed8a]';
