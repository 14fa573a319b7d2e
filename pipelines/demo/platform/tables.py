"""Rows of every table as COPY text, built from the final state in chunks (never one tuple per row).

Each formatter returns the rows to write (indexes into a store) and a
function that turns a chunk of them into one list of strings per column, in
the column order of ``schema.TABLES``. Defects are applied here: the state
keeps the true values the simulation runs on, the rows show the defect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, EPOCH_DAY0, FIRST_DAY, day_start
from pipelines.demo.platform.text import (
    NULL,
    cents_text,
    coded,
    copy_escape,
    date_text,
    emails,
    employer_names,
    full_names,
    headlines,
    int_text,
    job_refs,
    titles,
    ts_text,
    years_of,
)  # fmt: skip
from pipelines.demo.platform.world import (
    CHANGE_FIELDS,
    DELETED,
    INVOICE_KINDS,
    INVOICE_STATUS,
    PLACEMENT_STATUS,
    TIMESHEET_STATUS,
    USER_ROLES,
    USER_STATUS,
    World,
)  # fmt: skip

Columns = list[list[str]]
Builder = Callable[[np.ndarray], Columns]
BOGUS_ID = 90_000_000  # ids that exist nowhere: the unknown foreign keys of defect rows
CHUNK = 100_000


def copy_chunks(rows: np.ndarray, build: Builder, size: int = CHUNK) -> Iterator[bytes]:
    """COPY text of the rows, ``size`` rows at a time."""
    for start in range(0, len(rows), size):
        cols = build(rows[start : start + size])
        yield ("\n".join(map("\t".join, zip(*cols, strict=True))) + "\n").encode("utf-8")


def _ids(idx: np.ndarray) -> list[str]:
    return int_text(idx + 1)


def _bools(values: np.ndarray) -> list[str]:
    return ["t" if v else "f" for v in values.tolist()]


def skills(w: World) -> tuple[np.ndarray, Builder]:
    created = np.full(len(vocab.SKILLS), day_start(FIRST_DAY) - 30 * DAY)

    def build(i: np.ndarray) -> Columns:
        parent = vocab.SKILL_PARENT[i]
        return [
            _ids(i), [vocab.SKILLS[k][0] for k in i], [vocab.SKILLS[k][1] for k in i],
            int_text(parent + 1, parent < 0), ts_text(created[i]), ts_text(created[i]),
        ]  # fmt: skip

    return np.arange(len(vocab.SKILLS)), build


def users(w: World) -> tuple[np.ndarray, Builder]:
    u = w.users

    def build(i: np.ndarray) -> Columns:
        gone = u["status"][i] == DELETED
        registered = u["registered_at"][i] + np.where(u["defect"][i] == 1, 26_000 * DAY, 0)  # registered_in_future
        return [
            _ids(i), coded(u["role"][i], USER_ROLES), _nulled(emails(w, i), gone), _nulled(full_names(w, i), gone),
            ts_text(registered), ts_text(u["last_login_at"][i]), coded(u["status"][i], USER_STATUS),
            ts_text(u["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(u.n), build


def _nulled(values: list[str], null: np.ndarray) -> list[str]:
    for k in np.flatnonzero(null).tolist():
        values[k] = NULL
    return values


def candidate_profiles(w: World) -> tuple[np.ndarray, Builder]:
    c, u = w.candidates, w.users

    def build(i: np.ndarray) -> Columns:
        gone = c["deleted"][i]
        country = vocab.CITY_COUNTRY[c["city"][i]]
        return [
            int_text(c["user"][i] + 1), _nulled(headlines(c["role"][i], c["seniority"][i], c["tagline"][i]), gone),
            _nulled(coded(c["city"][i], vocab.CITY_NAME), gone), coded(country, vocab.COUNTRIES),
            int_text(c["years"][i], gone), _nulled(coded(c["availability"][i], vocab.AVAILABILITY), gone),
            cents_text(c["rate"][i].astype(np.int64) * 100, gone), coded(c["currency"][i], vocab.CURRENCY),
            ts_text(u["registered_at"][c["user"][i]]), ts_text(c["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(c.n), build


def candidate_languages(w: World) -> tuple[np.ndarray, Builder]:
    s, c = w.languages, w.candidates
    rows = np.flatnonzero(s["alive"])
    rows = rows[np.lexsort((s["lang"][rows], s["cand"][rows]))]

    def build(i: np.ndarray) -> Columns:
        return [
            int_text(c["user"][s["cand"][i]] + 1), coded(s["lang"][i], vocab.LANGUAGES),
            coded(s["prof"][i], vocab.PROFICIENCY), ts_text(s["updated_at"][i]),
        ]  # fmt: skip

    return rows, build


def candidate_skills(w: World) -> tuple[np.ndarray, Builder]:
    s, c = w.skills, w.candidates
    rows = np.flatnonzero(s["alive"])
    rows = rows[np.lexsort((s["skill"][rows], s["cand"][rows]))]

    def build(i: np.ndarray) -> Columns:
        return [int_text(c["user"][s["cand"][i]] + 1), int_text(s["skill"][i] + 1), int_text(s["level"][i]),
                ts_text(s["updated_at"][i])]  # fmt: skip

    return rows, build


def resumes(w: World) -> tuple[np.ndarray, Builder]:
    s, c = w.resumes, w.candidates

    def build(i: np.ndarray) -> Columns:
        user = c["user"][s["cand"][i]]
        gone = s["erased"][i]
        names = full_names(w, user)
        heads = titles(s["role"][i], s["seniority"][i])
        text = [
            f"{n}\n{h}\n{y} years of experience\nSkills: {vocab.SKILL_NAME[a]}, {vocab.SKILL_NAME[b]}, "
            f"{vocab.SKILL_NAME[d]}\n"
            for n, h, y, a, b, d in zip(names, heads, s["years"][i].tolist(), s["s1"][i].tolist(),
                                        s["s2"][i].tolist(), s["s3"][i].tolist(), strict=True)
        ]  # fmt: skip
        paths = [f"resumes/{u + 1}/{k + 1}.pdf" for u, k in zip(user.tolist(), i.tolist(), strict=True)]
        return [
            _ids(i), int_text(user + 1), _nulled(paths, gone), _nulled(copy_escape(text), gone),
            _bools(s["current"][i]), ts_text(s["uploaded_at"][i]), ts_text(s["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(s.n), build


def employers(w: World) -> tuple[np.ndarray, Builder]:
    e = w.employers

    def build(i: np.ndarray) -> Columns:
        return [
            _ids(i), employer_names(w, i), coded(e["industry"][i], vocab.INDUSTRIES),
            coded(e["size"][i], vocab.SIZE_BANDS), coded(e["country"][i], vocab.COUNTRIES),
            ts_text(e["created_at"][i]), ts_text(e["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(e.n), build


def employer_users(w: World) -> tuple[np.ndarray, Builder]:
    s = w.employer_users
    rows = np.lexsort((s["user"], s["employer"]))

    def build(i: np.ndarray) -> Columns:
        return [
            int_text(s["employer"][i] + 1), int_text(s["user"][i] + 1), coded(s["role"][i], vocab.EMPLOYER_USER_ROLES),
            _bools(s["active"][i]), ts_text(s["created_at"][i]), ts_text(s["updated_at"][i]),
        ]  # fmt: skip

    return rows, build


def jobs(w: World) -> tuple[np.ndarray, Builder]:
    j, js = w.jobs, w.job_skills
    bounds = np.searchsorted(js["job"], np.arange(j.n + 1))  # job skills are stored job by job

    def build(i: np.ndarray) -> Columns:
        country = vocab.CITY_COUNTRY[j["city"][i]]
        title = titles(j["role"][i], j["seniority"][i])
        employer = j["employer"][i]
        posted = j["posted_at"][i]
        expires = np.where(j["defect"][i] == 3, posted - 5 * DAY, j["expires_at"][i])  # expires_before_posted
        return [
            _ids(i), int_text(np.where(j["defect"][i] == 2, BOGUS_ID + i, employer + 1)),
            job_refs(employer, years_of(j["created_at"][i]), j["seq"][i]), title,
            copy_escape(_descriptions(w, i, title, employer_names(w, employer), bounds)),
            coded(j["city"][i], vocab.CITY_NAME), coded(country, vocab.COUNTRIES), coded(j["remote"][i], vocab.REMOTE),
            coded(j["contract"][i], vocab.CONTRACT_TYPES), [vocab.SENIORITY[k].lower() for k in j["seniority"][i]],
            cents_text(j["smin"][i] * 100), cents_text(j["smax"][i] * 100), coded(country, vocab.CURRENCY),
            ["hour" if k else "year" for k in j["contract"][i].tolist()], coded(j["status"][i], vocab.JOB_STATUS),
            ts_text(j["created_at"][i]), ts_text(posted), ts_text(np.where(posted < 0, -1, expires)),
            ts_text(j["filled_at"][i]), ts_text(j["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(j.n), build


def _descriptions(w: World, i: np.ndarray, title: list[str], company: list[str], bounds: np.ndarray) -> list[str]:
    js, j = w.job_skills, w.jobs
    out = []
    for k, (job, t, name) in enumerate(zip(i.tolist(), title, company, strict=True)):
        rows = range(bounds[job], bounds[job + 1])
        must = ", ".join(vocab.SKILL_NAME[js["skill"][r]] for r in rows if js["required"][r])
        nice = ", ".join(vocab.SKILL_NAME[js["skill"][r]] for r in rows if not js["required"][r])
        city = vocab.CITY_NAME[j["city"][i[k]]]
        text = f"{name} is looking for a {t} in {city}.\nRequired: {must}."
        text += f"\nNice to have: {nice}." if nice else ""
        out.append(text + f"\nWe offer {vocab.PERKS[j['perk'][job]]}.")
    return out


def job_skills(w: World) -> tuple[np.ndarray, Builder]:
    s = w.job_skills
    rows = np.lexsort((s["skill"], s["job"]))

    def build(i: np.ndarray) -> Columns:
        return [int_text(s["job"][i] + 1), int_text(s["skill"][i] + 1),
                ["required" if k else "nice_to_have" for k in s["required"][i].tolist()],
                ts_text(s["created_at"][i])]  # fmt: skip

    return rows, build


def applications(w: World) -> tuple[np.ndarray, Builder]:
    a, c = w.applications, w.candidates

    def build(i: np.ndarray) -> Columns:
        cand = np.where(a["defect"][i] == 2, BOGUS_ID + i, c["user"][a["cand"][i]] + 1)
        referrer = a["referrer"][i]
        return [
            _ids(i), int_text(cand), int_text(np.where(a["defect"][i] == 1, BOGUS_ID + i, a["job"][i] + 1)),
            coded(a["channel"][i], vocab.CHANNELS), int_text(c["user"][np.maximum(referrer, 0)] + 1, referrer < 0),
            coded(a["status"][i], vocab.APPLICATION_STATUS), ts_text(a["applied_at"][i]), ts_text(a["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(a.n), build


def application_status_history(w: World) -> tuple[np.ndarray, Builder]:
    h = w.history
    rows = np.lexsort((h["seq"], h["app"]))

    def build(i: np.ndarray) -> Columns:
        return [int_text(h["app"][i] + 1), int_text(h["seq"][i]), coded(h["status"][i], vocab.APPLICATION_STATUS),
                ts_text(h["changed_at"][i])]  # fmt: skip

    return rows, build


def placements(w: World) -> tuple[np.ndarray, Builder]:
    p, c = w.placements, w.candidates

    def build(i: np.ndarray) -> Columns:
        perm = p["contract"][i] == 0
        end = np.where(p["defect"][i], p["start"][i] - 14, p["end"][i])  # end_before_start
        return [
            _ids(i), int_text(p["app"][i] + 1), int_text(c["user"][p["cand"][i]] + 1), int_text(p["job"][i] + 1),
            int_text(p["employer"][i] + 1), ["permanent" if k else "contract" for k in perm.tolist()],
            date_text(p["start"][i]), date_text(end, perm), cents_text(p["rate"][i], perm),
            cents_text(p["salary"][i], ~perm), cents_text(np.round(p["fee_pct"][i] * 100)),
            coded(p["currency"][i], vocab.CURRENCY), coded(p["status"][i], PLACEMENT_STATUS),
            ts_text(p["created_at"][i]), ts_text(p["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(p.n), build


def timesheets(w: World) -> tuple[np.ndarray, Builder]:
    t = w.timesheets

    def build(i: np.ndarray) -> Columns:
        return [
            _ids(i), int_text(t["placement"][i] + 1), date_text(t["week"][i]), cents_text(t["hours"][i]),
            coded(t["status"][i], TIMESHEET_STATUS), ts_text(t["submitted_at"][i]), ts_text(t["approved_at"][i]),
            int_text(t["invoice"][i] + 1, t["invoice"][i] < 0), ts_text(t["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(t.n), build


def invoices(w: World) -> tuple[np.ndarray, Builder]:
    v = w.invoices

    def build(i: np.ndarray) -> Columns:
        year = (v["issued"][i].astype("int64") - 1 + EPOCH_DAY0).astype("datetime64[D]").astype("datetime64[Y]")
        number = [
            f"INV-{y + 1970}-{k + 1:07d}" for y, k in zip(year.astype(np.int64).tolist(), i.tolist(), strict=True)
        ]
        due = np.where(v["defect"][i], v["issued"][i] - 10, v["due"][i])  # due_before_issued
        return [
            _ids(i), number, int_text(v["employer"][i] + 1), int_text(v["placement"][i] + 1),
            coded(v["kind"][i], INVOICE_KINDS), cents_text(v["amount"][i]), coded(v["currency"][i], vocab.CURRENCY),
            date_text(v["issued"][i]), date_text(due), ts_text(v["paid_at"][i]), coded(v["status"][i], INVOICE_STATUS),
            ts_text(v["updated_at"][i]),
        ]  # fmt: skip

    return np.arange(v.n), build


def profile_changes(w: World) -> tuple[np.ndarray, Builder]:
    s, c = w.changes, w.candidates
    show = [_headline_text, _city_text, _availability_text, str, _skill_text, _language_text]

    def build(i: np.ndarray) -> Columns:
        old = [NULL if o < 0 else show[f](o) for f, o in zip(s["field"][i].tolist(), s["old"][i].tolist(), strict=True)]
        new = [show[f](n) for f, n in zip(s["field"][i].tolist(), s["new"][i].tolist(), strict=True)]
        return [_ids(i), int_text(s["day"][i]), ts_text(s["at"][i]), int_text(c["user"][s["cand"][i]] + 1),
                coded(s["field"][i], CHANGE_FIELDS), old, new]  # fmt: skip

    return np.arange(s.n), build


def _headline_text(code: int) -> str:
    return headlines(np.array([code // 100]), np.array([code // 10 % 10]), np.array([code % 10]))[0]


def _city_text(code: int) -> str:
    return vocab.CITY_NAME[code]


def _availability_text(code: int) -> str:
    return vocab.AVAILABILITY[code]


def _skill_text(code: int) -> str:
    return vocab.SKILL_NAME[code]


def _language_text(code: int) -> str:
    return vocab.LANGUAGES[code]


FORMATTERS: dict[str, Callable[[World], tuple[np.ndarray, Builder]]] = {
    "skills": skills, "users": users, "candidate_profiles": candidate_profiles,
    "candidate_languages": candidate_languages, "candidate_skills": candidate_skills, "resumes": resumes,
    "employers": employers, "employer_users": employer_users, "jobs": jobs, "job_skills": job_skills,
    "applications": applications, "application_status_history": application_status_history,
    "placements": placements, "timesheets": timesheets, "invoices": invoices, "profile_changes": profile_changes,
}  # fmt: skip
