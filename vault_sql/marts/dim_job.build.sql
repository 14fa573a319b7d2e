-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_job (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_job CASCADE;
CREATE TABLE marts.dim_job AS
-- dv:select begin (dim_job.refresh.sql selects these rows again)
SELECT h.hk_job                    AS job_key,
       h.job_id,
       e.hk_employer               AS employer_key,
       he.employer_id,
       d.title,
       d.city,
       d.country_code,
       CASE WHEN d.city IS NOT NULL AND d.country_code IS NOT NULL
            THEN md5(d.country_code || '|' || d.city)::uuid END AS location_key,
       d.remote,
       d.contract_type,
       d.seniority,
       d.salary_min,
       d.salary_max,
       d.salary_currency,
       d.salary_period,
       st.status,
       d.created_at,
       st.posted_at,
       st.expires_at,
       st.filled_at,
       h.record_source = 'SYSTEM.GHOST' OR (d.hk_job IS NULL AND st.hk_job IS NULL) AS is_orphan
  FROM raw_vault.hub_job AS h
  LEFT JOIN raw_vault.sat_job_description_current AS d ON d.hk_job = h.hk_job
  LEFT JOIN raw_vault.sat_job_status_current AS st ON st.hk_job = h.hk_job
  LEFT JOIN LATERAL (
        SELECT c.hk_employer
          FROM raw_vault.esat_job_employer_current AS c
         WHERE c.hk_job = h.hk_job
           AND c.record_source <> 'SYSTEM.GHOST'
         ORDER BY c.start_dts DESC, c.hk_employer
         LIMIT 1
       ) AS e ON true
  LEFT JOIN raw_vault.hub_employer AS he ON he.hk_employer = e.hk_employer
 -- the ghost record too: the unknown member (zero key) that facts point at when a party is unknown
-- dv:select end
;
ALTER TABLE marts.dim_job ADD PRIMARY KEY (job_key);
COMMENT ON TABLE marts.dim_job IS
    'Type 1: one row per job (hub job, the ghost record as the unknown member; orphans included, e.g. the job of an application to a job that exists nowhere) with the current ad (sat_job_description_current, without the long description text), the current status (sat_job_status_current) and the employer of the current effectivity row (esat_job_employer_current; the latest start when several were current). [dv:24406323bef55918]';
