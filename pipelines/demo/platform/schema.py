"""The platform's operational schema (``platform``) and the simulation's truth (``sim``).

The platform enforces primary keys but no foreign keys (a legacy
application checks them itself, and not always): that is how orphan rows get
in. ``sim`` is not part of the platform: it records what the simulation did
(profile changes, injected defects, the run's settings) so tests and quality
checks can be held against it. Do not model it.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA = "platform"
SIM_SCHEMA = "sim"


@dataclass(frozen=True)
class TableDef:
    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, SQL type)
    key: tuple[str, ...]
    unique: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def ddl(self) -> str:
        cols = ",\n".join(f"    {name} {sql_type}" for name, sql_type in self.columns)
        return f"CREATE TABLE {self.qualified} (\n{cols}\n)"

    def constraints(self) -> list[str]:
        out = [f"ALTER TABLE {self.qualified} ADD PRIMARY KEY ({', '.join(self.key)})"]
        out += [f"ALTER TABLE {self.qualified} ADD UNIQUE ({u})" for u in self.unique]
        return out


def _t(name: str, key: tuple[str, ...], cols: str, unique: tuple[str, ...] = (), schema: str = SCHEMA) -> TableDef:
    pairs = tuple(tuple(part.strip().split(" ", 1)) for part in cols.split(",") if part.strip())
    return TableDef(schema, name, pairs, key, unique)  # type: ignore[arg-type]


TS = "timestamptz"
TABLES = [
    _t(
        "skills",
        ("skill_id",),
        f"skill_id integer, name text, category text, parent_skill_id integer, created_at {TS}, updated_at {TS}",
    ),
    _t(
        "users",
        ("user_id",),
        f"user_id bigint, role text, email text, full_name text, registered_at {TS},"
        f" last_login_at {TS}, status text, updated_at {TS}",
    ),
    _t(
        "candidate_profiles",
        ("candidate_id",),
        f"candidate_id bigint, headline text, city text,"
        f" country_code char(2), years_experience integer, availability text, desired_rate numeric(10;2),"
        f" rate_currency char(3), created_at {TS}, updated_at {TS}",
    ),
    _t(
        "candidate_languages",
        ("candidate_id", "language_code"),
        f"candidate_id bigint, language_code char(2), proficiency text, updated_at {TS}",
    ),
    _t(
        "candidate_skills",
        ("candidate_id", "skill_id"),
        f"candidate_id bigint, skill_id integer, level smallint, updated_at {TS}",
    ),
    _t(
        "resumes",
        ("resume_id",),
        f"resume_id bigint, candidate_id bigint, file_path text, resume_text text,"
        f" is_current boolean, uploaded_at {TS}, updated_at {TS}",
    ),
    _t(
        "employers",
        ("employer_id",),
        f"employer_id bigint, name text, industry text, size_band text,"
        f" country_code char(2), created_at {TS}, updated_at {TS}",
    ),
    _t(
        "employer_users",
        ("employer_id", "user_id"),
        f"employer_id bigint, user_id bigint, role text, is_active boolean, created_at {TS}, updated_at {TS}",
    ),
    _t(
        "jobs",
        ("job_id",),
        f"job_id bigint, employer_id bigint, external_ref text, title text, description text,"
        f" city text, country_code char(2), remote text, contract_type text, seniority text,"
        f" salary_min numeric(12;2), salary_max numeric(12;2), salary_currency char(3), salary_period text,"
        f" status text, created_at {TS}, posted_at {TS}, expires_at {TS}, filled_at {TS}, updated_at {TS}",
    ),
    _t("job_skills", ("job_id", "skill_id"), f"job_id bigint, skill_id integer, requirement text, created_at {TS}"),
    _t(
        "applications",
        ("application_id",),
        f"application_id bigint, candidate_id bigint, job_id bigint,"
        f" channel text, referrer_candidate_id bigint, status text, applied_at {TS}, updated_at {TS}",
    ),
    _t(
        "application_status_history",
        ("application_id", "seq"),
        f"application_id bigint, seq smallint, status text, changed_at {TS}",
    ),
    _t(
        "placements",
        ("placement_id",),
        f"placement_id bigint, application_id bigint, candidate_id bigint,"
        f" job_id bigint, employer_id bigint, placement_type text, start_date date, end_date date,"
        f" hourly_rate numeric(10;2), annual_salary numeric(12;2), fee_pct numeric(5;2), currency char(3),"
        f" status text, created_at {TS}, updated_at {TS}",
    ),
    _t(
        "timesheets",
        ("timesheet_id",),
        f"timesheet_id bigint, placement_id bigint, week_start date,"
        f" hours numeric(5;2), status text, submitted_at {TS}, approved_at {TS}, invoice_id bigint,"
        f" updated_at {TS}",
    ),
    _t(
        "invoices",
        ("invoice_id",),
        f"invoice_id bigint, invoice_number text, employer_id bigint,"
        f" placement_id bigint, invoice_type text, amount numeric(12;2), currency char(3), issued_on date,"
        f" due_on date, paid_at {TS}, status text, updated_at {TS}",
        unique=("invoice_number",),
    ),
    _t(
        "profile_changes",
        ("change_id",),
        f"change_id bigint, day integer, changed_at {TS}, candidate_id bigint,"
        " field text, old_value text, new_value text",
        schema=SIM_SCHEMA,
    ),
    _t(
        "defects",
        ("defect_id",),
        "defect_id bigint, feed text, location text, key text, kind text, day integer, detail text",
        schema=SIM_SCHEMA,
    ),
    _t(
        "run",
        ("seed",),
        "seed bigint, scale double precision, days integer, defect_rate double precision, first_day date",
        schema=SIM_SCHEMA,
    ),
]
TABLES = [TableDef(t.schema, t.name, tuple((c, ty.replace(";", ",")) for c, ty in t.columns), t.key, t.unique)
          for t in TABLES]  # fmt: skip
BY_NAME = {t.name: t for t in TABLES}
PLATFORM_TABLES = [t.name for t in TABLES if t.schema == SCHEMA]
