-- generated from model/marts/dimensions.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- dimension dim_job_history (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.dim_job_history CASCADE;
CREATE TABLE marts.dim_job_history AS
-- dv:select begin (dim_job_history.refresh.sql selects these rows again)
WITH desc_v AS (
    SELECT s.hk_job, s.applied_dts, s.applied_end_dts, s.title, s.city, s.country_code, s.remote,
           s.contract_type, s.seniority, s.salary_min, s.salary_max, s.salary_currency, s.salary_period,
           s.created_at
      FROM raw_vault.sat_job_description_hist AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
       AND s.applied_dts < s.applied_end_dts
), stat_v AS (
    SELECT s.hk_job, s.applied_dts, s.applied_end_dts, s.status, s.posted_at, s.expires_at, s.filled_at
      FROM raw_vault.sat_job_status_hist AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
       AND s.applied_dts < s.applied_end_dts
), emp_v AS (
    SELECT e.hk_job, e.hk_employer, e.start_dts, e.end_dts
      FROM raw_vault.esat_job_employer_hist AS e
     WHERE e.record_source <> 'SYSTEM.GHOST'
       AND e.start_dts < e.end_dts
), points AS (
    SELECT hk_job, applied_dts AS p FROM desc_v
    UNION
    SELECT hk_job, applied_dts AS p FROM stat_v
    UNION
    SELECT hk_job, start_dts AS p FROM emp_v
    UNION
    SELECT hk_job, end_dts AS p FROM emp_v WHERE end_dts < 'infinity'::timestamptz
), slices AS (
    -- range joins (hash joins on the job, then the interval): one employer per point, the latest start
    SELECT DISTINCT ON (pt.hk_job, pt.p)
           pt.hk_job, pt.p, em.hk_employer,
           d.title, d.city, d.country_code, d.remote, d.contract_type, d.seniority, d.salary_min,
           d.salary_max, d.salary_currency, d.salary_period, d.created_at,
           st.status, st.posted_at, st.expires_at, st.filled_at
      FROM points AS pt
      LEFT JOIN desc_v AS d
        ON d.hk_job = pt.hk_job AND d.applied_dts <= pt.p AND pt.p < d.applied_end_dts
      LEFT JOIN stat_v AS st
        ON st.hk_job = pt.hk_job AND st.applied_dts <= pt.p AND pt.p < st.applied_end_dts
      LEFT JOIN emp_v AS em
        ON em.hk_job = pt.hk_job AND em.start_dts <= pt.p AND pt.p < em.end_dts
     ORDER BY pt.hk_job, pt.p, em.start_dts DESC, em.hk_employer
), marked AS (
    SELECT s.*,
           (lag(s.p) OVER w IS NULL
            OR ROW(s.hk_employer, s.title, s.city, s.country_code, s.remote, s.contract_type, s.seniority,
                   s.salary_min, s.salary_max, s.salary_currency, s.salary_period, s.created_at, s.status,
                   s.posted_at, s.expires_at, s.filled_at)
               IS DISTINCT FROM
               ROW(lag(s.hk_employer) OVER w, lag(s.title) OVER w, lag(s.city) OVER w,
                   lag(s.country_code) OVER w, lag(s.remote) OVER w, lag(s.contract_type) OVER w,
                   lag(s.seniority) OVER w, lag(s.salary_min) OVER w, lag(s.salary_max) OVER w,
                   lag(s.salary_currency) OVER w, lag(s.salary_period) OVER w, lag(s.created_at) OVER w,
                   lag(s.status) OVER w, lag(s.posted_at) OVER w, lag(s.expires_at) OVER w,
                   lag(s.filled_at) OVER w)
           ) AS starts
      FROM slices AS s
    WINDOW w AS (PARTITION BY s.hk_job ORDER BY s.p)
), versions AS (
    SELECT m.*,
           COALESCE(lead(m.p) OVER (PARTITION BY m.hk_job ORDER BY m.p), 'infinity'::timestamptz) AS valid_to
      FROM marked AS m
     WHERE m.starts
)
SELECT md5(v.hk_job::text || '|' || (v.p AT TIME ZONE 'UTC')::text)::uuid AS job_version_key,
       v.hk_job                               AS job_key,
       h.job_id,
       v.p                                    AS valid_from,
       v.valid_to,
       v.valid_to = 'infinity'::timestamptz   AS is_current,
       v.hk_employer                          AS employer_key,
       he.employer_id,
       v.title,
       v.city,
       v.country_code,
       CASE WHEN v.city IS NOT NULL AND v.country_code IS NOT NULL
            THEN md5(v.country_code || '|' || v.city)::uuid END AS location_key,
       v.remote,
       v.contract_type,
       v.seniority,
       v.salary_min,
       v.salary_max,
       v.salary_currency,
       v.salary_period,
       v.status,
       v.created_at,
       v.posted_at,
       v.expires_at,
       v.filled_at
  FROM versions AS v
  JOIN raw_vault.hub_job AS h ON h.hk_job = v.hk_job
  LEFT JOIN raw_vault.hub_employer AS he ON he.hk_employer = v.hk_employer
-- dv:select end
;
ALTER TABLE marts.dim_job_history ADD PRIMARY KEY (job_version_key);
COMMENT ON TABLE marts.dim_job_history IS
    'Type 2: one row per version of a job on the applied timeline, combining the ad (sat_job_description_hist), the status (sat_job_status_hist) and the employer relationship (esat_job_employer_hist: start_dts and, when it ended, end_dts). Change points: the union of the description''s and the status''s applied_dts and the relationship''s start and end; each interval takes the version of each valid at its start (NULL attributes, or a NULL employer, where none is valid); consecutive intervals with identical attributes are merged. Orphans have no row. [dv:4d1027099e8aa924]';
