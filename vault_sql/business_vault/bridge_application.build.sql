-- generated from model/business_vault/bridges.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- bridge bridge_application from hub application: one row per path -> link.application_candidate_job ->
-- link.job_employer
-- (the zero key where a step finds nothing)
-- build and refresh alike: a new table, its rows, then its keys and indexes (one sort each: faster than
-- keeping the indexes up to date row by row, which is what a TRUNCATE and INSERT would do)
DROP TABLE IF EXISTS business_vault.bridge_application CASCADE;
CREATE TABLE business_vault.bridge_application (
    hk_application uuid NOT NULL,
    hk_application_candidate_job uuid NOT NULL,
    hk_candidate uuid NOT NULL,
    hk_job uuid NOT NULL,
    hk_referrer uuid NOT NULL,
    hk_job_employer uuid NOT NULL,
    hk_employer uuid NOT NULL
);
COMMENT ON TABLE business_vault.bridge_application IS
    'Each application with the candidate who applied, the job, the referrer (the zero key when nobody referred) and the job''s current employer (the open period of effectivity satellite job_employer). [dv:f6379a6f9894b38c]';
INSERT INTO business_vault.bridge_application
    (hk_application, hk_application_candidate_job, hk_candidate, hk_job, hk_referrer, hk_job_employer, hk_employer)
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
ALTER TABLE business_vault.bridge_application ADD PRIMARY KEY
    (hk_application, hk_application_candidate_job, hk_job_employer);
CREATE INDEX ON business_vault.bridge_application (hk_candidate);
CREATE INDEX ON business_vault.bridge_application (hk_job);
CREATE INDEX ON business_vault.bridge_application (hk_referrer);
CREATE INDEX ON business_vault.bridge_application (hk_employer);
