-- generated from model/business_vault/bridges.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- bridge bridge_placement from hub placement: one row per path -> nhl.timesheet_hours -> link.timesheet_invoice
-- (the zero key where a step finds nothing)
-- build and refresh alike: a new table, its rows, then its keys and indexes (one sort each: faster than
-- keeping the indexes up to date row by row, which is what a TRUNCATE and INSERT would do)
DROP TABLE IF EXISTS business_vault.bridge_placement CASCADE;
CREATE TABLE business_vault.bridge_placement (
    hk_placement uuid NOT NULL,
    hk_timesheet_hours uuid NOT NULL,
    hk_timesheet uuid NOT NULL,
    hk_timesheet_invoice uuid NOT NULL,
    hk_invoice uuid NOT NULL
);
COMMENT ON TABLE business_vault.bridge_placement IS
    'Each placement with its timesheets and the invoice of each timesheet (the zero key for a permanent placement, which has no timesheets, and for a timesheet not invoiced yet). [dv:1b2e453fc7e02c8f]';
INSERT INTO business_vault.bridge_placement
    (hk_placement, hk_timesheet_hours, hk_timesheet, hk_timesheet_invoice, hk_invoice)
SELECT
    h.hk_placement,
    COALESCE(l1.hk_timesheet_hours, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l1.hk_timesheet, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l2.hk_timesheet_invoice, '00000000-0000-0000-0000-000000000000'::uuid),
    COALESCE(l2.hk_invoice, '00000000-0000-0000-0000-000000000000'::uuid)
FROM raw_vault.hub_placement AS h
LEFT JOIN raw_vault.nhl_timesheet_hours AS l1
  ON l1.hk_placement = h.hk_placement
 AND l1.record_source <> 'SYSTEM.GHOST'
LEFT JOIN raw_vault.link_timesheet_invoice AS l2
  ON l2.hk_timesheet = l1.hk_timesheet
 AND l2.record_source <> 'SYSTEM.GHOST'
WHERE h.record_source <> 'SYSTEM.GHOST';
ALTER TABLE business_vault.bridge_placement ADD PRIMARY KEY (hk_placement, hk_timesheet_hours, hk_timesheet_invoice);
CREATE INDEX ON business_vault.bridge_placement (hk_timesheet);
CREATE INDEX ON business_vault.bridge_placement (hk_invoice);
