-- generated from model/marts/feed.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- feed feed_match_job (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.feed_match_job CASCADE;
CREATE TABLE marts.feed_match_job AS
-- dv:select begin (feed_match_job.refresh.sql selects these rows again)
WITH ad AS (
    SELECT h.job_id, h.hk_job, d.title, d.city, d.country_code, d.remote, d.contract_type, d.seniority,
           d.salary_min, d.salary_max, d.salary_currency, d.salary_period, d.created_at
      FROM raw_vault.hub_job AS h
      JOIN raw_vault.sat_job_description_current AS d
        ON d.hk_job = h.hk_job AND d.record_source <> 'SYSTEM.GHOST'
     WHERE h.record_source <> 'SYSTEM.GHOST'
),
employer AS (
    SELECT DISTINCT ON (e.hk_job) e.hk_job, e.hk_employer, he.employer_id
      FROM raw_vault.esat_job_employer_current AS e
      JOIN raw_vault.hub_employer AS he
        ON he.hk_employer = e.hk_employer AND he.record_source <> 'SYSTEM.GHOST'
     WHERE e.record_source <> 'SYSTEM.GHOST'
     ORDER BY e.hk_job, e.start_dts DESC, e.load_dts DESC, e.hk_employer
),
skills AS (
    SELECT l.hk_job,
           count(*) FILTER (WHERE r.requirement = 'required') AS required_count,
           COALESCE(array_agg(s.skill_id ORDER BY s.skill_id) FILTER (WHERE r.requirement = 'required'), '{}')
               AS required_ids,
           COALESCE(array_agg(s.skill_id ORDER BY s.skill_id) FILTER (WHERE r.requirement = 'nice_to_have'),
                    '{}') AS nice_ids
      FROM raw_vault.link_job_skill AS l
      JOIN raw_vault.hub_skill AS s ON s.hk_skill = l.hk_skill
      JOIN raw_vault.sat_job_skill_requirement_current AS r
        ON r.hk_job_skill = l.hk_job_skill AND r.record_source <> 'SYSTEM.GHOST'
     WHERE l.record_source <> 'SYSTEM.GHOST'
     GROUP BY l.hk_job
),
app_link AS (
    SELECT l.hk_application, l.hk_candidate, l.hk_job,
           ROW_NUMBER() OVER (PARTITION BY l.hk_application
                              ORDER BY l.load_dts DESC, l.hk_application_candidate_job) AS rn
      FROM raw_vault.link_application_candidate_job AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
),
hired AS (
    SELECT DISTINCT s.hk_application
      FROM raw_vault.sat_application_status AS s
     WHERE s.record_source <> 'SYSTEM.GHOST' AND s.status = 'hired'
),
applications AS (
    SELECT a.hk_job, count(*) AS applications, count(hd.hk_application) AS hires
      FROM app_link AS a
      LEFT JOIN hired AS hd ON hd.hk_application = a.hk_application
     WHERE a.rn = 1
     GROUP BY a.hk_job
)
SELECT d.job_id,
       d.hk_job,
       e.employer_id,
       e.hk_employer,
       d.title,
       d.city,
       d.country_code,
       d.remote,
       d.contract_type,
       d.seniority,
       CASE d.seniority WHEN 'junior' THEN 0 WHEN 'medior' THEN 3 WHEN 'senior' THEN 6
                        WHEN 'lead' THEN 10 WHEN 'principal' THEN 15 END AS seniority_min_years,
       CASE d.seniority WHEN 'junior' THEN 2 WHEN 'medior' THEN 5 WHEN 'senior' THEN 9
                        WHEN 'lead' THEN 14 END AS seniority_max_years,
       d.salary_min,
       d.salary_max,
       d.salary_currency,
       d.salary_period,
       st.status,
       d.created_at,
       st.posted_at,
       st.expires_at,
       st.filled_at,
       COALESCE(sk.required_count, 0)::integer AS required_skill_count,
       COALESCE(sk.required_ids, '{}')::integer[] AS required_skill_ids,
       COALESCE(sk.nice_ids, '{}')::integer[] AS nice_to_have_skill_ids,
       COALESCE(a.applications, 0)::integer AS applications,
       COALESCE(a.hires, 0)::integer AS hires
  FROM ad AS d
  LEFT JOIN employer AS e ON e.hk_job = d.hk_job
  LEFT JOIN raw_vault.sat_job_status_current AS st
    ON st.hk_job = d.hk_job AND st.record_source <> 'SYSTEM.GHOST'
  LEFT JOIN skills AS sk ON sk.hk_job = d.hk_job
  LEFT JOIN applications AS a ON a.hk_job = d.hk_job
-- dv:select end
;
ALTER TABLE marts.feed_match_job ADD PRIMARY KEY (job_id);
COMMENT ON TABLE marts.feed_match_job IS
    'One row per job with an ad (raw_vault.hub_job with a sat_job_description row, ghost excluded; orphan job ids that only applications name are left out): the job''s CURRENT features (the _current views, as of the latest batch), for scoring new pairs. Employer from esat_job_employer_current (NULL when unknown), status from sat_job_status, skills from link_job_skill with their requirement (sat_job_skill_requirement). [dv:e6e56cbf60451389]';
