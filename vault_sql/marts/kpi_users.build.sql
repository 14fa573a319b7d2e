-- generated from model/marts/users.yml by dv generate — do not edit
-- hash spec v1 (md5)
-- kpi kpi_users (refresh: view): recreated by every dv marts, in dependency order
DROP VIEW IF EXISTS marts.kpi_users CASCADE;
CREATE VIEW marts.kpi_users AS
WITH account AS (
    SELECT a.hk_user, a.role, a.status, a.load_dts
      FROM raw_vault.sat_user_account_current AS a
     WHERE a.record_source <> 'SYSTEM.GHOST'
),
login AS (
    SELECT l.hk_user, l.last_login_at, l.load_dts
      FROM raw_vault.sat_user_login_current AS l
     WHERE l.record_source <> 'SYSTEM.GHOST'
),
as_of AS (
    SELECT greatest((SELECT max(load_dts) FROM account), (SELECT max(load_dts) FROM login)) AS as_of
)
SELECT o.as_of,
       count(a.hk_user) AS users,
       count(a.hk_user) FILTER (WHERE a.role = 'candidate') AS candidates,
       count(a.hk_user) FILTER (WHERE a.role = 'employer') AS employer_users,
       count(a.hk_user) FILTER (WHERE a.role = 'admin') AS admins,
       count(a.hk_user) FILTER (WHERE a.status = 'active') AS active_users,
       count(a.hk_user) FILTER (WHERE a.status = 'suspended') AS suspended_users,
       count(a.hk_user) FILTER (WHERE a.status = 'deleted') AS erased_users,
       count(a.hk_user) FILTER (WHERE l.last_login_at > o.as_of - interval '1 day'
                                  AND l.last_login_at <= o.as_of) AS signed_in_1d,
       count(a.hk_user) FILTER (WHERE l.last_login_at > o.as_of - interval '7 days'
                                  AND l.last_login_at <= o.as_of) AS signed_in_7d,
       count(a.hk_user) FILTER (WHERE l.last_login_at > o.as_of - interval '30 days'
                                  AND l.last_login_at <= o.as_of) AS signed_in_30d,
       count(a.hk_user) FILTER (WHERE l.last_login_at IS NULL) AS never_signed_in
  FROM as_of AS o
  LEFT JOIN account AS a ON true
  LEFT JOIN login AS l ON l.hk_user = a.hk_user
 GROUP BY o.as_of
;
COMMENT ON VIEW marts.kpi_users IS
    'The platform''s user accounts as the vault knows them now, one row: every user with a row in sat_user_account (current version; every account the platform''s users table delivered, erased ones included), by role and by status, and how many signed in recently. as_of = the latest load of the user satellites (sat_user_account, sat_user_login): the vault''s "now". A user signed in within N days when the current last_login_at of sat_user_login lies in (as_of - N days, as_of] (a rolling window ending at the load, not calendar days). [dv:23345d352bebd229]';
