-- generated from model/marts/feed.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- feed feed_match_application (refresh: table): built in full when missing or when its definition changed
DROP TABLE IF EXISTS marts.feed_match_application CASCADE;
CREATE TABLE marts.feed_match_application AS
-- dv:select begin (feed_match_application.refresh.sql selects these rows again)
WITH app_link AS (
    SELECT l.hk_application, l.hk_candidate, l.hk_job,
           ROW_NUMBER() OVER (PARTITION BY l.hk_application
                              ORDER BY l.load_dts DESC, l.hk_application_candidate_job) AS rn
      FROM raw_vault.link_application_candidate_job AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
),
app AS (
    SELECT h.application_id, h.hk_application, hc.candidate_id, l.hk_candidate, hj.job_id, l.hk_job,
           d.applied_at, d.channel
      FROM raw_vault.hub_application AS h
      JOIN app_link AS l ON l.hk_application = h.hk_application AND l.rn = 1
      JOIN raw_vault.hub_candidate AS hc ON hc.hk_candidate = l.hk_candidate
      JOIN raw_vault.hub_job AS hj ON hj.hk_job = l.hk_job
      LEFT JOIN raw_vault.sat_application_details_current AS d
        ON d.hk_application = h.hk_application AND d.record_source <> 'SYSTEM.GHOST'
     WHERE h.record_source <> 'SYSTEM.GHOST'
),
candidate_first AS (
    SELECT p.hk_candidate, min(p.load_dts) AS first_load_dts
      FROM raw_vault.sat_candidate_profile AS p
     WHERE p.record_source <> 'SYSTEM.GHOST'
     GROUP BY p.hk_candidate
),
job_first AS (
    SELECT j.hk_job, min(j.load_dts) AS first_load_dts
      FROM raw_vault.sat_job_description AS j
     WHERE j.record_source <> 'SYSTEM.GHOST'
     GROUP BY j.hk_job
),
asof AS (
    SELECT a.*,
           GREATEST(a.applied_at, cf.first_load_dts) AS candidate_as_of,
           GREATEST(a.applied_at, jf.first_load_dts) AS job_as_of
      FROM app AS a
      LEFT JOIN candidate_first AS cf ON cf.hk_candidate = a.hk_candidate
      LEFT JOIN job_first AS jf ON jf.hk_job = a.hk_job
),
candidate_skill AS (
    SELECT x.hk_application, m.skill_id
      FROM asof AS x
      JOIN raw_vault.msat_candidate_skills_hist AS m
        ON m.hk_candidate = x.hk_candidate AND m.record_source <> 'SYSTEM.GHOST'
       AND m.load_dts <= x.candidate_as_of AND x.candidate_as_of < m.load_end_dts
),
candidate_skill_count AS (
    SELECT cs.hk_application, count(*) AS skills
      FROM candidate_skill AS cs
     GROUP BY cs.hk_application
),
job_skill AS (
    SELECT x.hk_application, s.skill_id, r.requirement
      FROM asof AS x
      JOIN raw_vault.link_job_skill AS l ON l.hk_job = x.hk_job AND l.record_source <> 'SYSTEM.GHOST'
      JOIN raw_vault.hub_skill AS s ON s.hk_skill = l.hk_skill
      JOIN raw_vault.sat_job_skill_requirement_hist AS r
        ON r.hk_job_skill = l.hk_job_skill AND r.record_source <> 'SYSTEM.GHOST'
       AND r.load_dts <= x.job_as_of AND x.job_as_of < r.load_end_dts
),
overlap AS (
    SELECT js.hk_application,
           count(*) FILTER (WHERE js.requirement = 'required') AS required_skills,
           count(cs.skill_id) FILTER (WHERE js.requirement = 'required') AS required_matched,
           count(*) AS job_skills,
           count(cs.skill_id) AS skills_matched
      FROM job_skill AS js
      LEFT JOIN candidate_skill AS cs ON cs.hk_application = js.hk_application AND cs.skill_id = js.skill_id
     GROUP BY js.hk_application
),
status AS (
    SELECT s.hk_application,
           bool_or(s.status = 'hired') AS ever_hired,
           (array_agg(s.status ORDER BY s.applied_dts DESC, s.applied_seq DESC, s.load_dts DESC,
                      s.load_seq DESC))[1] AS final_status
      FROM raw_vault.sat_application_status AS s
     WHERE s.record_source <> 'SYSTEM.GHOST'
     GROUP BY s.hk_application
),
pair AS (
    SELECT x.application_id, x.hk_application, x.candidate_id, x.hk_candidate, x.job_id, x.hk_job,
           x.applied_at, x.channel,
           CASE WHEN p.hk_candidate IS NOT NULL THEN x.candidate_as_of END AS candidate_as_of,
           CASE WHEN j.hk_job IS NOT NULL THEN x.job_as_of END AS job_as_of,
           p.hk_candidate IS NOT NULL AS candidate_known,
           j.hk_job IS NOT NULL AS job_known,
           p.city AS candidate_city, p.country_code AS candidate_country_code,
           p.years_experience, p.desired_rate, p.rate_currency,
           csc.skills AS candidate_skills,
           j.city AS job_city, j.country_code AS job_country_code, j.remote, j.contract_type, j.seniority,
           j.salary_min, j.salary_max, j.salary_currency, j.salary_period,
           o.required_skills, o.required_matched, o.job_skills, o.skills_matched,
           CASE j.seniority WHEN 'junior' THEN 0 WHEN 'medior' THEN 3 WHEN 'senior' THEN 6
                            WHEN 'lead' THEN 10 WHEN 'principal' THEN 15 END AS band_min,
           CASE j.seniority WHEN 'junior' THEN 2 WHEN 'medior' THEN 5 WHEN 'senior' THEN 9
                            WHEN 'lead' THEN 14 END AS band_max,
           st.ever_hired, st.final_status
      FROM asof AS x
      LEFT JOIN raw_vault.sat_candidate_profile_hist AS p
        ON p.hk_candidate = x.hk_candidate AND p.record_source <> 'SYSTEM.GHOST'
       AND p.load_dts <= x.candidate_as_of AND x.candidate_as_of < p.load_end_dts
      LEFT JOIN raw_vault.sat_job_description_hist AS j
        ON j.hk_job = x.hk_job AND j.record_source <> 'SYSTEM.GHOST'
       AND j.load_dts <= x.job_as_of AND x.job_as_of < j.load_end_dts
      LEFT JOIN candidate_skill_count AS csc ON csc.hk_application = x.hk_application
      LEFT JOIN overlap AS o ON o.hk_application = x.hk_application
      LEFT JOIN status AS st ON st.hk_application = x.hk_application
),
fit AS (
    SELECT q.*,
           CASE WHEN q.years_experience IS NOT NULL AND q.band_min IS NOT NULL
                THEN GREATEST(q.band_min - q.years_experience, 0) END AS below,
           CASE WHEN q.years_experience IS NOT NULL AND q.band_min IS NOT NULL
                THEN GREATEST(q.years_experience - COALESCE(q.band_max, q.years_experience), 0) END AS above,
           q.salary_period = 'hour' AND q.desired_rate IS NOT NULL AND q.salary_min IS NOT NULL
               AND q.salary_max IS NOT NULL AND q.rate_currency = q.salary_currency AS salary_comparable
      FROM pair AS q
)
SELECT f.application_id,
       f.hk_application,
       f.candidate_id,
       f.hk_candidate,
       f.job_id,
       f.hk_job,
       f.applied_at,
       f.channel,
       f.candidate_as_of AS candidate_features_as_of,
       f.job_as_of AS job_features_as_of,
       COALESCE(f.candidate_known AND f.job_known AND f.candidate_as_of = f.applied_at
                AND f.job_as_of = f.applied_at, false) AS features_point_in_time,
       f.candidate_city,
       f.candidate_country_code,
       f.years_experience AS candidate_years_experience,
       f.desired_rate AS candidate_desired_rate,
       f.rate_currency AS candidate_rate_currency,
       CASE WHEN f.candidate_known THEN COALESCE(f.candidate_skills, 0)::integer END AS candidate_skill_count,
       f.job_city,
       f.job_country_code,
       f.remote AS job_remote,
       f.contract_type AS job_contract_type,
       f.seniority AS job_seniority,
       f.salary_min AS job_salary_min,
       f.salary_max AS job_salary_max,
       f.salary_currency AS job_salary_currency,
       f.salary_period AS job_salary_period,
       CASE WHEN f.job_known THEN COALESCE(f.required_skills, 0)::integer END AS job_required_skill_count,
       CASE WHEN f.job_known AND f.candidate_known THEN COALESCE(f.required_matched, 0)::integer END
           AS required_skills_matched,
       CASE WHEN f.job_known AND f.candidate_known AND f.required_skills > 0
            THEN round(f.required_matched::numeric / f.required_skills, 4)::double precision END
           AS required_skill_share,
       CASE WHEN f.job_known THEN COALESCE(f.job_skills, 0)::integer END AS job_skill_count,
       CASE WHEN f.job_known AND f.candidate_known THEN COALESCE(f.skills_matched, 0)::integer END
           AS skills_matched,
       CASE WHEN f.job_known AND f.candidate_known AND f.job_skills > 0
            THEN round(f.skills_matched::numeric / f.job_skills, 4)::double precision END AS skill_share,
       f.band_min AS seniority_min_years,
       f.band_max AS seniority_max_years,
       f.below AS years_below_band,
       f.above AS years_above_band,
       CASE WHEN f.below > 0 THEN 'below' WHEN f.above > 0 THEN 'above'
            WHEN f.below IS NOT NULL THEN 'within' END AS experience_fit,
       f.candidate_city = f.job_city AS same_city,
       f.candidate_country_code = f.job_country_code AS same_country,
       f.rate_currency = f.salary_currency AS salary_currency_match,
       CASE WHEN f.salary_comparable THEN
            CASE WHEN f.desired_rate < LEAST(f.salary_min, f.salary_max) THEN 'below'
                 WHEN f.desired_rate > GREATEST(f.salary_min, f.salary_max) THEN 'above'
                 ELSE 'within' END
       END AS salary_fit,
       CASE WHEN f.salary_comparable AND f.salary_min + f.salary_max > 0
            THEN round(f.desired_rate / ((f.salary_min + f.salary_max) / 2), 4)::double precision
       END AS salary_ratio,
       (CASE WHEN f.ever_hired THEN 1 ELSE 0 END)::smallint AS hired,
       f.final_status
  FROM fit AS f
-- dv:select end
;
ALTER TABLE marts.feed_match_application ADD PRIMARY KEY (application_id);
COMMENT ON TABLE marts.feed_match_application IS
    'One row per application (raw_vault.hub_application, ghost excluded; orphans included) with the features of the candidate-job pair and the label. Features are POINT IN TIME: the candidate''s profile and skills and the job''s ad and skills as the warehouse held them (the *_hist views, on load time: load_dts <= t < load_end_dts) at the application''s applied_at; when the warehouse held no version of the candidate (or the job) then, because the application predates the first load of it (the history before the first batch) or it was first loaded in a later batch, the first version the warehouse loaded is used instead (candidate_features_as_of / job_features_as_of tell which moment was used; features_point_in_time is true when both are the applied_at itself). The label is as of the latest batch: hired = 1 if the application ever reached ''hired'', final_status its latest status. [dv:6cc05754b659bf39]';
