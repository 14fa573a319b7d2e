-- generated from model/marts/market.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_profile_completeness (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_profile_completeness CASCADE;
CREATE VIEW marts.kpi_profile_completeness AS
SELECT count(*) AS candidates,
       round(avg(c.completeness_score), 2) AS avg_score,
       count(*) FILTER (WHERE c.completeness_score = 100) AS complete_profiles,
       count(*) FILTER (WHERE c.completeness_score >= 75 AND c.completeness_score < 100) AS score_75_to_99,
       count(*) FILTER (WHERE c.completeness_score >= 50 AND c.completeness_score < 75) AS score_50_to_74,
       count(*) FILTER (WHERE c.completeness_score >= 25 AND c.completeness_score < 50) AS score_25_to_49,
       count(*) FILTER (WHERE c.completeness_score < 25) AS score_0_to_24,
       round(100.0 * count(*) FILTER (WHERE c.has_headline) / NULLIF(count(*), 0), 2) AS pct_with_headline,
       round(100.0 * count(*) FILTER (WHERE c.has_city) / NULLIF(count(*), 0), 2) AS pct_with_city,
       round(100.0 * count(*) FILTER (WHERE c.has_years_experience) / NULLIF(count(*), 0), 2)
         AS pct_with_years_experience,
       round(100.0 * count(*) FILTER (WHERE c.has_availability) / NULLIF(count(*), 0), 2) AS pct_with_availability,
       round(100.0 * count(*) FILTER (WHERE c.has_desired_rate) / NULLIF(count(*), 0), 2) AS pct_with_desired_rate,
       round(100.0 * count(*) FILTER (WHERE c.has_skill) / NULLIF(count(*), 0), 2) AS pct_with_skill,
       round(100.0 * count(*) FILTER (WHERE c.has_language) / NULLIF(count(*), 0), 2) AS pct_with_language,
       round(100.0 * count(*) FILTER (WHERE c.has_current_resume) / NULLIF(count(*), 0), 2)
         AS pct_with_current_resume
  FROM business_vault.cs_candidate_completeness AS c
 WHERE NOT c.is_erased
;
COMMENT ON VIEW marts.kpi_profile_completeness IS
    'Profile completeness of the current candidates (cs_candidate_completeness, erased ones left out), one row. avg_score = the average completeness_score rounded to 2 decimals; the distribution in five buckets of the score (100; 75 to below 100; 50 to below 75; 25 to below 50; below 25); pct_with_<part> = 100 * candidates having that part / candidates, rounded to 2 decimals. [dv:95b11bce200efc0b]';
