"""Users of the platform: candidates with their profiles, languages, skills and resumes; admins."""

from __future__ import annotations

import numpy as np

from pipelines.demo.platform import vocab
from pipelines.demo.platform.clock import DAY, NEVER, day_of, day_start, load, not_before, poisson, rng, times_in_day
from pipelines.demo.platform.demand import skills_for, unique_pairs
from pipelines.demo.platform.store import Store, choose, lognormal_days, pick
from pipelines.demo.platform.world import ACTIVE, DELETED, ROLE_ADMIN, ROLE_CANDIDATE, SUSPENDED, World

CANDIDATES_PER_DAY = 300.0  # at scale 1 and a load of 1
BOOTSTRAP_CANDIDATES = 15_000.0  # registered before launch (imported from the old site)
EDIT_HAZARD = 0.0035  # share of candidates editing their profile on a day of load 1
DELETE_HAZARD = 0.0001  # GDPR erasure requests per candidate and day
SUSPEND_HAZARD = 0.00005
FIELD_WEIGHT = np.array([0.25, 0.1, 0.25, 0.2, 0.15, 0.05])  # vocab order of world.CHANGE_FIELDS
S_REGISTER, S_EDIT, S_LOGIN, S_STATUS = 11, 12, 13, 14


def add_users(w: World, r: np.random.Generator, role: int, times: np.ndarray, activity: np.ndarray) -> np.ndarray:
    n = len(times)
    defect = w.defect_share(r, n) & (role == ROLE_CANDIDATE)
    idx = w.users.add(
        n, role=role, first=r.integers(0, len(vocab.FIRST_NAMES), n), last=r.integers(0, len(vocab.LAST_NAMES), n),
        registered_at=times, last_login_at=-1, status=ACTIVE, updated_at=times, reactivate_at=NEVER,
        activity=activity, defect=defect,
    )  # fmt: skip
    w.defects.add("platform", "users", idx[defect] + 1, "registered_in_future", int(day_of(times[:1])[0]) if n else 0)
    return idx


def add_candidates(w: World, r: np.random.Generator, day: int, times: np.ndarray) -> np.ndarray:
    """New candidates registered at ``times``; returns their candidate indexes."""
    n = len(times)
    users = add_users(w, r, ROLE_CANDIDATE, times, r.lognormal(0.0, 1.0, n).astype(np.float32))
    city = pick(r, vocab.CITY_WEIGHT, n)
    country = vocab.CITY_COUNTRY[city]
    years = np.minimum(r.gamma(2.0, 4.0, n), 40).astype(np.int16)
    seniority = np.searchsorted(vocab.SENIORITY_YEARS, years, side="right") - 1
    role = pick(r, vocab.ROLE_WEIGHT, n)
    cand = w.candidates.add(
        n, user=users, role=role, seniority=seniority, tagline=r.integers(0, len(vocab.TAGLINES), n), city=city,
        years=years, availability=pick(r, np.array([3, 3, 3, 1, 2.0]), n),
        rate=desired_rate(r, role, seniority, country), currency=country, updated_at=times,
    )  # fmt: skip
    add_languages(w, r, cand, country, times)
    add_skills(w, r, day, cand, role, seniority, times, 3 + np.minimum(r.poisson(4.0, n), 9))
    uploads = choose(r, np.arange(n), 0.7)
    add_resumes(w, r, day, cand[uploads], times[uploads] + r.integers(60, 1800, len(uploads)))
    return cand


def desired_rate(r: np.random.Generator, role: np.ndarray, seniority: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Hourly rate a candidate asks, in the currency of the country, rounded to 5."""
    annual = vocab.ROLE_PAY_EUR[role] * vocab.SENIORITY_PAY[seniority] * vocab.PAY_FACTOR[country]
    hourly = annual * vocab.CURRENCY_PER_EUR[country] / 1600 * 1.4 * r.lognormal(0.0, 0.15, len(role))
    rate: np.ndarray = (np.round(hourly / 5) * 5).astype(np.int32)
    return rate


def add_languages(w: World, r: np.random.Generator, cand: np.ndarray, country: np.ndarray, times: np.ndarray) -> None:
    native = np.array(vocab.NATIVE_LANGUAGE)[country]
    english = choose(r, np.flatnonzero(native != 0), 0.85)
    third = choose(r, np.arange(len(cand)), 0.25)
    who = np.concatenate([np.arange(len(cand)), english, third])
    lang = np.concatenate([native, np.zeros(len(english), np.int64), r.integers(1, len(vocab.LANGUAGES), len(third))])
    prof = np.concatenate([np.full(len(cand), 5), r.integers(1, 5, len(english)), r.integers(0, 4, len(third))])
    keep = unique_pairs(cand[who], lang)
    who, lang, prof = who[keep], lang[keep], prof[keep]
    order = np.lexsort((lang, who))
    who, lang, prof = who[order], lang[order], prof[order]
    w.languages.add(len(who), cand=cand[who], lang=lang, prof=prof, updated_at=times[who], alive=True)


def add_skills(
    w: World, r: np.random.Generator, day: int, cand: np.ndarray, role: np.ndarray, seniority: np.ndarray,
    times: np.ndarray, counts: np.ndarray,
) -> None:  # fmt: skip
    who = np.repeat(np.arange(len(cand)), counts)
    skill = skills_for(r, role[who], day)
    keep = unique_pairs(cand[who], skill)
    who, skill = who[keep], skill[keep]
    level = np.clip(seniority[who] + r.integers(0, 3, len(who)), 1, 5)
    w.skills.add(len(who), cand=cand[who], skill=skill, level=level, updated_at=times[who], alive=True)


def add_resumes(w: World, r: np.random.Generator, day: int, cand: np.ndarray, times: np.ndarray) -> None:
    c = w.candidates
    role = c["role"][cand]
    top = [skills_for(r, role, day, 1.0) for _ in range(3)]
    w.resumes.add(
        len(cand), cand=cand, uploaded_at=times, updated_at=times, role=role, seniority=c["seniority"][cand],
        years=c["years"][cand], s1=top[0], s2=top[1], s3=top[2], current=True, erased=False,
    )  # fmt: skip


def bootstrap(w: World, day: int) -> None:
    """The launch: admins, and the candidates imported from the old site (registered over the year before)."""
    r = rng(w.cfg, day, S_REGISTER + 100)
    admins = np.sort(day_start(day) - r.integers(DAY, 400 * DAY, 12))
    add_users(w, r, ROLE_ADMIN, admins, np.ones(12, np.float32))
    n = max(1, round(w.cfg.n(BOOTSTRAP_CANDIDATES)))
    add_candidates(w, r, day, np.sort(day_start(day) - r.integers(60, 365 * DAY, n)))


def register(w: World, day: int) -> None:
    r = rng(w.cfg, day, S_REGISTER)
    n = poisson(r, w.cfg.n(CANDIDATES_PER_DAY) * load(day))
    if n:
        add_candidates(w, r, day, np.sort(times_in_day(r, day, n)))


def live_candidates(w: World) -> np.ndarray:
    """Candidates whose account is neither deleted nor suspended."""
    c = w.candidates
    return np.flatnonzero(w.users["status"][c["user"]] == ACTIVE)


def edit_profiles(w: World, day: int) -> None:
    """Some candidates change one thing of their profile; each change is logged in ``sim.profile_changes``."""
    r = rng(w.cfg, day, S_EDIT)
    who = choose(r, live_candidates(w), EDIT_HAZARD * load(day))
    if len(who) == 0:
        return
    c = w.candidates
    at = not_before(times_in_day(r, day, len(who)), c["updated_at"][who], day)
    field = pick(r, FIELD_WEIGHT, len(who))
    old, new = np.zeros(len(who), np.int64), np.zeros(len(who), np.int64)
    for f, change in enumerate((_headline, _city, _availability, _rate, _skill, _language)):
        sel = np.flatnonzero(field == f)
        if len(sel):
            old[sel], new[sel] = change(w, r, day, who[sel], at[sel])
    c["updated_at"][who] = at
    w.changes.add(len(who), day=day, at=at, cand=who, field=field, old=old, new=new)
    w.profile_updates.append((c["user"][who], at, field))


def headline_code(c: Store, who: np.ndarray) -> np.ndarray:
    """Role, seniority and tagline in one number (the headline is built from them)."""
    code: np.ndarray = c["role"][who].astype(np.int64) * 100 + c["seniority"][who] * 10 + c["tagline"][who]
    return code


def _headline(
    w: World, r: np.random.Generator, day: int, who: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    c = w.candidates
    old = headline_code(c, who)
    promote = r.random(len(who)) < 0.5
    c["seniority"][who] = np.where(promote, np.minimum(c["seniority"][who] + 1, 4), c["seniority"][who])
    c["tagline"][who] = np.where(promote, c["tagline"][who], (c["tagline"][who] + 1) % len(vocab.TAGLINES))
    c["role"][who] = np.where(r.random(len(who)) < 0.15, pick(r, vocab.ROLE_WEIGHT, len(who)), c["role"][who])
    new = headline_code(c, who)
    upload = choose(r, np.arange(len(who)), 0.5)
    if len(upload):
        current = np.flatnonzero(np.isin(w.resumes["cand"], who[upload]) & w.resumes["current"])
        w.resumes["current"][current] = False
        w.resumes["updated_at"][current] = at[upload][np.searchsorted(who[upload], w.resumes["cand"][current])]
        add_resumes(w, r, day, who[upload], at[upload])
    return old, new


def _city(w: World, r: np.random.Generator, day: int, who: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    old = w.candidates["city"][who].astype(np.int64)
    new = (old + r.integers(1, len(vocab.CITIES), len(who))) % len(vocab.CITIES)
    w.candidates["city"][who] = new
    return old, new


def _availability(
    w: World, r: np.random.Generator, day: int, who: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    old = w.candidates["availability"][who].astype(np.int64)
    new = (old + r.integers(1, len(vocab.AVAILABILITY), len(who))) % len(vocab.AVAILABILITY)
    w.candidates["availability"][who] = new
    return old, new


def _rate(w: World, r: np.random.Generator, day: int, who: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    old = w.candidates["rate"][who].astype(np.int64)
    new = (np.round(old * r.uniform(1.03, 1.15, len(who)) / 5) * 5).astype(np.int64)
    new = np.maximum(new, old + 5)
    w.candidates["rate"][who] = new
    return old, new


def _skill(
    w: World, r: np.random.Generator, day: int, who: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Adds a skill the candidate does not have yet (else one level up)."""
    skill = skills_for(r, w.candidates["role"][who], day, 0.5)
    fresh = _bump(w.skills, "skill", "level", who, skill, at)
    w.skills.add(len(fresh), cand=who[fresh], skill=skill[fresh], level=2, updated_at=at[fresh], alive=True)
    return np.full(len(who), -1, np.int64), skill.astype(np.int64)


def _language(
    w: World, r: np.random.Generator, day: int, who: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Adds a language at B1 (else one level up)."""
    lang = r.integers(0, len(vocab.LANGUAGES), len(who))
    fresh = _bump(w.languages, "lang", "prof", who, lang, at)
    w.languages.add(len(fresh), cand=who[fresh], lang=lang[fresh], prof=1, updated_at=at[fresh], alive=True)
    return np.full(len(who), -1, np.int64), lang.astype(np.int64)


def _bump(s: Store, item: str, level: str, who: np.ndarray, items: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Raise the level of (candidate, item) rows that exist; returns the positions of the pairs that do not."""
    existing = np.flatnonzero(np.isin(s["cand"], who))
    keys = s["cand"][existing].astype(np.int64) * 100_000 + s[item][existing]
    lookup = dict(zip(keys.tolist(), existing.tolist(), strict=True))
    top = 5 if level == "level" else len(vocab.PROFICIENCY) - 1
    fresh = []
    for i, k in enumerate((who.astype(np.int64) * 100_000 + items).tolist()):
        row = lookup.get(k)
        if row is None:
            fresh.append(i)
            continue
        s[level][row] = min(int(s[level][row]) + 1, top)
        s["alive"][row] = True
        s["updated_at"][row] = at[i]
    return np.array(fresh, np.int64)


def logins(w: World, day: int) -> None:
    """Users log in; last_login_at (and updated_at) follow."""
    r = rng(w.cfg, day, S_LOGIN)
    u = w.users
    base = np.array([0.1, 0.35, 0.8])[u["role"]] * u["activity"] * load(day)
    who = np.flatnonzero((u["status"] == ACTIVE) & (r.random(u.n) < base))
    at = not_before(times_in_day(r, day, len(who)), u["updated_at"][who], day)
    u["last_login_at"][who] = at
    u["updated_at"][who] = at
    w.logins.append((who, at))


def account_status(w: World, day: int) -> tuple[np.ndarray, np.ndarray]:
    """Suspensions, reactivations and GDPR erasures; returns the candidates erased today and when."""
    r = rng(w.cfg, day, S_STATUS)
    u = w.users
    start, end = day_start(day), day_start(day) + DAY
    back = np.flatnonzero((u["status"] == SUSPENDED) & (u["reactivate_at"] < end))
    u["status"][back], u["updated_at"][back], u["reactivate_at"][back] = ACTIVE, u["reactivate_at"][back], NEVER
    live = np.flatnonzero(u["status"] == ACTIVE)
    suspend = choose(r, live[u["role"][live] != ROLE_ADMIN], SUSPEND_HAZARD)
    at = not_before(start + r.integers(0, DAY - 3600, len(suspend)), u["updated_at"][suspend], day)
    later = at + lognormal_days(r, 10, 0.6, len(suspend))
    u["status"][suspend], u["updated_at"][suspend] = SUSPENDED, at
    u["reactivate_at"][suspend] = np.where((r.random(len(suspend)) < 0.6) & (later >= end), later, NEVER)
    return erase(w, r, day, choose(r, np.flatnonzero(~w.candidates["deleted"]), DELETE_HAZARD))


def erase(w: World, r: np.random.Generator, day: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GDPR: personal data removed at the source; the ids stay."""
    c, u = w.candidates, w.users
    users = c["user"][cand]
    last = np.maximum(c["updated_at"][cand], u["updated_at"][users])
    at = not_before(day_start(day) + r.integers(0, DAY - 3600, len(cand)), last, day)
    u["status"][users], u["updated_at"][users] = DELETED, at
    c["deleted"][cand], c["updated_at"][cand] = True, at
    when = dict(zip(cand.tolist(), at.tolist(), strict=True))
    for store in (w.languages, w.skills):
        rows = np.flatnonzero(np.isin(store["cand"], cand) & store["alive"])
        store["alive"][rows] = False
    rows = np.flatnonzero(np.isin(w.resumes["cand"], cand))
    w.resumes["erased"][rows] = True
    w.resumes["updated_at"][rows] = [when[k] for k in w.resumes["cand"][rows].tolist()]
    return cand, at
