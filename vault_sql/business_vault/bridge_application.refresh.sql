-- generated from model/business_vault/bridges.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- bridge bridge_application from hub application: one row per path -> link.application_candidate_job -> link.job_employer
-- (the zero key where a step finds nothing)
TRUNCATE business_vault.bridge_application;
INSERT INTO business_vault.bridge_application
SELECT
    h.hk_application,
    COALESCE(l1.hk_application_candidate_job, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l1.hk_candidate, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l1.hk_job, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l1.hk_referrer, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l2.hk_job_employer, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l2.hk_employer, '00000000-0000-0000-0000-000000000000'::uuid)
FROM raw_vault.hub_application AS h
LEFT JOIN raw_vault.link_application_candidate_job AS l1
  ON l1.hk_application = h.hk_application
 AND l1.record_source <> 'SYSTEM.GHOST'
LEFT JOIN raw_vault.esat_job_employer_current AS l2
  ON l2.hk_job = l1.hk_job
 AND l2.record_source <> 'SYSTEM.GHOST'
WHERE h.record_source <> 'SYSTEM.GHOST';
