-- generated from model/business_vault/bridges.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- bridge bridge_placement from hub placement: one row per path -> nhl.timesheet_hours -> link.timesheet_invoice
-- (the zero key where a step finds nothing)
TRUNCATE business_vault.bridge_placement;
INSERT INTO business_vault.bridge_placement
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
