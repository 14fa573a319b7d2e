"""Standardization and duplicate candidates in the business vault (schema ``business_vault``), in SQL.

``apply_standardization(conn)`` creates (or replaces) in one transaction:

Functions (any project; ``NULL`` in, ``NULL`` out; immutable except the country lookup):

- ``business_vault.std_email(text)``: trimmed, white space (also non-breaking and zero-width spaces)
  removed, a ``mailto:`` prefix and enclosing ``<…>`` removed, lower-cased; ``NULL`` when empty.
- ``business_vault.std_country_code(text)``: an ISO 3166 alpha-2 code from a code (``de``, `` DE ``),
  an alpha-3 code (``DEU``), or a name in English or the country's own language (``Germany``,
  ``Deutschland``, ``the Netherlands``, ``Schweiz``, ``U.K.``); ``NULL`` when unknown. Its aliases
  are the table ``business_vault.country_alias``, which a project may extend.
- ``business_vault.std_employer_name(text)``: the matching key of a company name: accents folded,
  lower-cased, quotes dropped, ``&`` and ``+`` read as ``and``, punctuation as spaces, a leading
  ``the`` and trailing legal forms removed (GmbH, B.V., Ltd, SAS, AG, Sp. z o.o., S.L., Inc., LLC,
  plc, GmbH & Co. KG, …; repeatedly), spaces collapsed. ``"Nova" Labs Ltd`` and ``NOVA LABS
  LIMITED`` both give ``nova labs``; ``Smith, Jones & Partners`` gives ``smith jones and partners``.
- ``business_vault.company_key(text)`` is the same function under a neutral name.

Views over the JTLD raw vault (created only when its tables exist; they read the satellites' base
tables with the same anti-join on the version index as the ``_current`` views, so ``dv apply`` can
drop and recreate those views without tripping over these):

- ``business_vault.user_email_std``: each user's current e-mail, as delivered and standardized;
- ``business_vault.user_email_duplicates``: pairs of users whose standardized e-mails are equal;
- ``business_vault.user_email_std_masked``, ``business_vault.user_email_duplicates_masked``: the same rows with
  every e-mail address as its domain only. The two views above read personal data (``sat_user_personal``): only
  the personal-data role may read them; the reader and the auditor read these masked forms (docs/security.md);
- ``business_vault.employer_std``: each employer's current name and country, standardized;
- ``business_vault.crm_account_std``: each CRM account, its name standardized (the CRM's
  ``, Prospect`` marker removed), its billing country, and the platform employer it names;
- ``business_vault.crm_employer_name_check``: each CRM account that names a platform employer, with
  both names and whether their standardized forms agree;
- ``business_vault.company_duplicate_candidates``: pairs that may be one company, by equal
  standardized names: two employers of one country, a CRM prospect and an employer, a CRM account
  and an employer other than the one it names, a partner-board posting's company and an employer.

The platform holds no phone numbers (neither its database nor its files), so there is no phone
standardization.
"""

from __future__ import annotations

import psycopg2.extensions

from generator.constants import SCHEMA_BUSINESS_VAULT, SCHEMA_META, SCHEMA_RAW_VAULT
from pipelines.db import transaction

BV = SCHEMA_BUSINESS_VAULT
RV = SCHEMA_RAW_VAULT
META = SCHEMA_META

# Legal forms removed from the end of a company name, written as they read after punctuation became
# spaces (so "B.V." is "b v" and "bv"), longest first within a family.
LEGAL_FORMS = (
    "gmbh and co kg", "gmbh co kg", "ag and co kg", "and co kg", "co kg", "gmbh", "g m b h", "mbh", "ag", "kg",
    "ug", "e k", "ek", "se",
    "b v", "bv", "n v", "nv", "v o f", "vof", "bvba", "sprl",
    "ltd", "limited", "plc", "llp", "lp", "l p", "inc", "incorporated", "llc", "l l c", "corp", "corporation",
    "and co", "co", "company",
    "s a s", "sas", "s a r l", "sarl", "s a", "sa", "s l", "sl", "s l u", "slu", "s r l", "srl", "s p a", "spa",
    "sp z o o", "spzoo", "sp k", "s c", "a s", "as", "a b", "ab", "aps", "oy", "oyj", "asa",
)  # fmt: skip

# alpha-2 code: alpha-3 code and names (English, own language(s), common short forms)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "DE": ("DEU", "Germany", "Deutschland", "Federal Republic of Germany", "Allemagne", "Niemcy", "Alemania"),
    "NL": ("NLD", "Netherlands", "The Netherlands", "Nederland", "Holland", "Pays-Bas", "Holandia", "Países Bajos"),
    "GB": ("GBR", "United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales",
           "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland", "Royaume-Uni", "Wielka Brytania",
           "Reino Unido"),
    "FR": ("FRA", "France", "French Republic", "Frankreich", "Francja", "Francia"),
    "CH": ("CHE", "Switzerland", "Schweiz", "Suisse", "Svizzera", "Swiss Confederation", "Szwajcaria", "Suiza"),
    "PL": ("POL", "Poland", "Polska", "Polen", "Pologne", "Polonia"),
    "ES": ("ESP", "Spain", "España", "Espana", "Spanien", "Espagne", "Hiszpania"),
    "US": ("USA", "United States", "United States of America", "U.S.", "U.S.A.", "America", "Vereinigte Staaten",
           "États-Unis", "Etats-Unis", "Stany Zjednoczone", "Estados Unidos"),
    "AT": ("AUT", "Austria", "Österreich", "Oesterreich", "Autriche"),
    "BE": ("BEL", "Belgium", "België", "Belgie", "Belgique", "Belgien"),
    "LU": ("LUX", "Luxembourg", "Luxemburg"),
    "IT": ("ITA", "Italy", "Italia", "Italien", "Italie", "Włochy"),
    "PT": ("PRT", "Portugal"),
    "IE": ("IRL", "Ireland", "Éire", "Eire", "Irland", "Republic of Ireland"),
    "DK": ("DNK", "Denmark", "Danmark", "Dänemark"),
    "SE": ("SWE", "Sweden", "Sverige", "Schweden"),
    "NO": ("NOR", "Norway", "Norge", "Norwegen"),
    "FI": ("FIN", "Finland", "Suomi", "Finnland"),
    "CZ": ("CZE", "Czechia", "Czech Republic", "Česko", "Tschechien"),
}  # fmt: skip


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _legal_forms_regex() -> str:
    """One or more legal forms at the end of a space-separated name (after a space: a whole word)."""
    alternatives = "|".join(form.replace(" ", "[ ]") for form in sorted(LEGAL_FORMS, key=lambda f: (-len(f), f)))
    return f"([ ](?:{alternatives}))+$"


def functions_sql() -> str:
    aliases = ",\n    ".join(
        f"({_literal(alias)}, {_literal(code)})"
        for code, names in sorted(COUNTRIES.items())
        for alias in (code, *names)
    )
    return f"""-- business_vault: standardization functions (pipelines/standardize.py)
CREATE SCHEMA IF NOT EXISTS {BV};

-- accents folded (NFKD without combining marks; letters that do not decompose mapped by hand)
CREATE OR REPLACE FUNCTION {BV}.fold_accents(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN replace(replace(replace(replace(translate(
           regexp_replace(normalize(value, NFKD), '[\\u0300-\\u036f]', '', 'g'),
           'łŁøØđĐħĦıŀĿ', 'lLoOdDhHilL'), 'ß', 'ss'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe');
COMMENT ON FUNCTION {BV}.fold_accents(text) IS
    'The text with accents and diacritics removed (Zoë -> Zoe, Łódź -> Lodz, ß -> ss).';

CREATE OR REPLACE FUNCTION {BV}.std_email(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN NULLIF(lower(regexp_replace(regexp_replace(
           regexp_replace(value, '[[:space:]\\u00a0\\u2000-\\u200b\\u202f\\u205f\\u3000\\ufeff]+', '', 'g'),
           '^mailto:', '', 'i'), '^<(.*)>$', '\\1')), '');
COMMENT ON FUNCTION {BV}.std_email(text) IS
    'An e-mail address standardized: white space removed, mailto: and <...> removed, lower case; NULL '
    'when empty.';

-- the key a country is looked up by: accents folded, upper case, a leading THE dropped, letters only
CREATE OR REPLACE FUNCTION {BV}.country_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN NULLIF(regexp_replace(regexp_replace(upper({BV}.fold_accents(btrim(value))), '^THE[^A-Z]+', ''),
                             '[^A-Z]', '', 'g'), '');

CREATE TABLE IF NOT EXISTS {BV}.country_alias (
    alias        text PRIMARY KEY,
    country_code char(2) NOT NULL CHECK (country_code ~ '^[A-Z]{{2}}$')
);
COMMENT ON TABLE {BV}.country_alias IS
    'Spellings of a country (codes, names; by country_key) and its ISO 3166 alpha-2 code: the lookup of '
    'std_country_code. Extend it with INSERT.';
INSERT INTO {BV}.country_alias (alias, country_code)
SELECT {BV}.country_key(a.alias), a.country_code
FROM (VALUES
    {aliases}
) AS a (alias, country_code)
ON CONFLICT (alias) DO NOTHING;

CREATE OR REPLACE FUNCTION {BV}.std_country_code(value text) RETURNS char(2)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN (SELECT a.country_code FROM {BV}.country_alias AS a WHERE a.alias = {BV}.country_key(value));
COMMENT ON FUNCTION {BV}.std_country_code(text) IS
    'The ISO 3166 alpha-2 code of a country code (2 or 3 letters) or name (business_vault.country_alias);'
    ' NULL when unknown.';

CREATE OR REPLACE FUNCTION {BV}.std_employer_name(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN NULLIF(
    regexp_replace(                                                         -- 5. legal forms at the end
        regexp_replace(                                                     -- 4. a leading "the"
            btrim(regexp_replace(                                           -- 3. punctuation as one space
                regexp_replace(                                             -- 2. & and + read as "and"
                    regexp_replace(                                         -- 1. quotes dropped
                        lower({BV}.fold_accents(value)),
                        '["''`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb]', '', 'g'),
                    '[&+]', ' and ', 'g'),
                '[^a-z0-9]+', ' ', 'g')),
            '^the ', ''),
        '{_legal_forms_regex()}', ''),
    '');
COMMENT ON FUNCTION {BV}.std_employer_name(text) IS
    'The matching key of a company name: accents folded, lower case, quotes dropped, & as and, '
    'punctuation as spaces, a leading the and trailing legal forms (GmbH, B.V., Ltd, SAS, ...) removed.';

CREATE OR REPLACE FUNCTION {BV}.company_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN {BV}.std_employer_name(value);
COMMENT ON FUNCTION {BV}.company_key(text) IS
    'Same as std_employer_name: the matching key of any company name (CRM accounts, board postings).';
"""


def _current(table: str, key: str, alias: str) -> str:
    """The anti-join that keeps the current version of each key (as the satellite's _current view)."""
    return (
        f"{alias}.record_source <> 'SYSTEM.GHOST'\n"
        f"      AND NOT EXISTS (SELECT 1 FROM {RV}.{table} AS n WHERE n.{key} = {alias}.{key}\n"
        f"                        AND (n.applied_dts, n.load_dts, n.load_seq)"
        f" > ({alias}.applied_dts, {alias}.load_dts, {alias}.load_seq))"
    )


# the raw-vault tables the views read: without any of them (another project) no view is made
VIEW_TABLES = (
    "hub_user",
    "sat_user_personal",
    "hub_employer",
    "sat_employer_details",
    "hub_crm_account",
    "sat_crm_account_details",
    "link_crm_account_employer",
    "hub_board_posting",
    "sat_board_a_posting",
    "sat_board_b_posting",
)


def views_sql() -> str:
    return f"""-- business_vault: standardized values and duplicate candidates of the JTLD raw vault
-- (pipelines/standardize.py)
CREATE OR REPLACE VIEW {BV}.user_email_std AS
SELECT h.hk_user, h.user_id, s.email, {BV}.std_email(s.email) AS email_std, s.load_dts, s.batch_id
FROM {RV}.sat_user_personal AS s
JOIN {RV}.hub_user AS h ON h.hk_user = s.hk_user
WHERE s.email IS NOT NULL
  AND {_current("sat_user_personal", "hk_user", "s")};
COMMENT ON VIEW {BV}.user_email_std IS
    'Each user''s current e-mail address, as delivered and standardized (business_vault.std_email); '
    'erased addresses left out.';

CREATE OR REPLACE VIEW {BV}.user_email_duplicates AS
SELECT a.user_id AS user_id, b.user_id AS other_user_id, a.email_std, a.email, b.email AS other_email
FROM {BV}.user_email_std AS a
JOIN {BV}.user_email_std AS b ON b.email_std = a.email_std AND b.user_id > a.user_id;
COMMENT ON VIEW {BV}.user_email_duplicates IS
    'Pairs of users (user_id < other_user_id) whose current e-mail addresses are equal once standardized:'
    ' candidate duplicate accounts.';

-- the masked forms (docs/security.md): the same rows, e-mail addresses as their domain only; what the reader
-- role sees ([dv:masked] in the comment: dv apply grants them although they read personal data)
CREATE OR REPLACE VIEW {BV}.user_email_std_masked AS
SELECT hk_user, user_id, {META}.mask_email(email) AS email, {META}.mask_email(email_std) AS email_std, load_dts,
       batch_id
FROM {BV}.user_email_std;
COMMENT ON VIEW {BV}.user_email_std_masked IS
    '[dv:masked] user_email_std with each e-mail address as its domain only (***@example.com): the same rows.';

CREATE OR REPLACE VIEW {BV}.user_email_duplicates_masked AS
SELECT user_id, other_user_id, {META}.mask_email(email_std) AS email_std, {META}.mask_email(email) AS email,
       {META}.mask_email(other_email) AS other_email
FROM {BV}.user_email_duplicates;
COMMENT ON VIEW {BV}.user_email_duplicates_masked IS
    '[dv:masked] user_email_duplicates with each e-mail address as its domain only: the same pairs.';

CREATE OR REPLACE VIEW {BV}.employer_std AS
SELECT h.hk_employer, h.employer_id, s.name, {BV}.std_employer_name(s.name) AS name_std,
       s.country_code, {BV}.std_country_code(s.country_code) AS country_code_std
FROM {RV}.sat_employer_details AS s
JOIN {RV}.hub_employer AS h ON h.hk_employer = s.hk_employer
WHERE {_current("sat_employer_details", "hk_employer", "s")};
COMMENT ON VIEW {BV}.employer_std IS
    'Each platform employer''s current name and country, with the name''s matching key '
    '(std_employer_name) and the ISO country code.';

CREATE OR REPLACE VIEW {BV}.crm_account_std AS
SELECT h.hk_crm_account, h.account_id, s.account_name,
       s.account_name ~* ',\\s*prospect\\s*$' AS is_prospect,
       {BV}.std_employer_name(regexp_replace(s.account_name, ',\\s*prospect\\s*$', '', 'i')) AS name_std,
       s.billing_country, {BV}.std_country_code(s.billing_country) AS billing_country_std,
       e.hk_employer, e.employer_id
FROM {RV}.sat_crm_account_details AS s
JOIN {RV}.hub_crm_account AS h ON h.hk_crm_account = s.hk_crm_account
LEFT JOIN {RV}.link_crm_account_employer AS l
       ON l.hk_crm_account = s.hk_crm_account AND l.record_source <> 'SYSTEM.GHOST'
LEFT JOIN {RV}.hub_employer AS e ON e.hk_employer = l.hk_employer AND e.record_source <> 'SYSTEM.GHOST'
WHERE {_current("sat_crm_account_details", "hk_crm_account", "s")};
COMMENT ON VIEW {BV}.crm_account_std IS
    'Each CRM account''s current name (its matching key without the CRM''s ", Prospect" marker), billing '
    'country, and the platform employer it names (none for prospects; one row per employer it ever '
    'named).';

CREATE OR REPLACE VIEW {BV}.crm_employer_name_check AS
SELECT c.account_id, c.employer_id, c.account_name, e.name AS employer_name, c.name_std AS account_name_std,
       e.name_std AS employer_name_std, c.name_std = e.name_std AS names_match
FROM {BV}.crm_account_std AS c
JOIN {BV}.employer_std AS e ON e.hk_employer = c.hk_employer;
COMMENT ON VIEW {BV}.crm_employer_name_check IS
    'Each CRM account that names a platform employer, with both names and whether they are the same '
    'company name once standardized.';

CREATE OR REPLACE VIEW {BV}.company_duplicate_candidates AS
SELECT 'employer' AS kind, e.employer_id::text AS id, e.name,
       'employer' AS other_kind, o.employer_id::text AS other_id, o.name AS other_name,
       e.name_std, 'two employers of one country with the same name' AS reason
FROM {BV}.employer_std AS e
JOIN {BV}.employer_std AS o
  ON o.name_std = e.name_std AND o.employer_id > e.employer_id
 AND o.country_code_std IS NOT DISTINCT FROM e.country_code_std
UNION ALL
SELECT 'crm_account', c.account_id, c.account_name, 'employer', e.employer_id::text, e.name, c.name_std,
       CASE WHEN c.employer_id IS NULL THEN 'a CRM prospect with the name of a platform employer'
            ELSE 'a CRM account with the name of another employer than the one it names' END
FROM {BV}.crm_account_std AS c
JOIN {BV}.employer_std AS e ON e.name_std = c.name_std
WHERE c.employer_id IS DISTINCT FROM e.employer_id
UNION ALL
SELECT DISTINCT 'board_posting', b.board || ':' || b.posting_id, b.company, 'employer', e.employer_id::text, e.name,
       b.name_std, 'a partner-board posting of a company with the name of a platform employer'
FROM (SELECT h.board, h.posting_id, a.company, {BV}.std_employer_name(a.company) AS name_std
      FROM {RV}.sat_board_a_posting AS a
      JOIN {RV}.hub_board_posting AS h ON h.hk_board_posting = a.hk_board_posting
      WHERE {_current("sat_board_a_posting", "hk_board_posting", "a")}
      UNION ALL
      SELECT h.board, h.posting_id, p.employer_name, {BV}.std_employer_name(p.employer_name)
      FROM {RV}.sat_board_b_posting AS p
      JOIN {RV}.hub_board_posting AS h ON h.hk_board_posting = p.hk_board_posting
      WHERE {_current("sat_board_b_posting", "hk_board_posting", "p")}) AS b
JOIN {BV}.employer_std AS e ON e.name_std = b.name_std;
COMMENT ON VIEW {BV}.company_duplicate_candidates IS
    'Pairs that may be one company, by equal standardized names: two employers of one country, a CRM '
    'account and an employer it does not name, a partner-board posting''s company and an employer. '
    'Candidates for a same-as link, to be confirmed.';
"""


def apply_standardization(conn: psycopg2.extensions.connection) -> list[str]:
    """Create or replace the functions, and the views when the raw vault has their tables; one
    transaction. Returns the names of the views made (empty for a project without those tables)."""
    with transaction(conn) as cur:
        cur.execute(functions_sql())
        cur.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)", (RV, list(VIEW_TABLES))
        )
        if cur.fetchone()[0] < len(VIEW_TABLES):
            return []
        cur.execute(views_sql())
    return [
        "user_email_std",
        "user_email_duplicates",
        "user_email_std_masked",
        "user_email_duplicates_masked",
        "employer_std",
        "crm_account_std",
        "crm_employer_name_check",
        "company_duplicate_candidates",
    ]
