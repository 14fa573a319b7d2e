-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_new_registrations (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_new_registrations CASCADE;
CREATE VIEW marts.kpi_new_registrations AS
SELECT (a.registered_at AT TIME ZONE 'UTC')::date AS registration_date,
       a.role,
       count(*) AS registrations
  FROM raw_vault.sat_user_account_current AS a
 WHERE a.record_source <> 'SYSTEM.GHOST'
   AND a.registered_at <= a.load_dts
 GROUP BY 1, 2
;
COMMENT ON VIEW marts.kpi_new_registrations IS
    'New user accounts per UTC day of registration and role: one row per (registration_date, role) with at least one registration, from the current sat_user_account (registered_at never changes; every account the platform delivered, erased ones included, so the imported users registered before the launch are on their own dates). A registered_at later than the load that delivered it is impossible (defect registered_in_future) and left out: those users count in kpi_users but on no registration day here. [dv:ed418c4cfb0e428b]';
