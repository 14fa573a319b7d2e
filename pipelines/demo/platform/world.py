"""The state of the platform while it is simulated: one :class:`Store` per table or log.

Codes (small integers) stand for texts of ``vocab``; timestamps are epoch
seconds (``NEVER`` = none scheduled, -1 = none); dates are simulation days.
Defect columns hold 0 or the code of the defect put into that row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipelines.demo.platform.clock import Config
from pipelines.demo.platform.store import DefectLog, Store

i1, i2, i4, i8, f4, f8 = np.int8, np.int16, np.int32, np.int64, np.float32, np.float64

ROLE_CANDIDATE, ROLE_EMPLOYER, ROLE_ADMIN = 0, 1, 2
USER_ROLES = ["candidate", "employer", "admin"]
USER_STATUS = ["active", "suspended", "deleted"]
ACTIVE, SUSPENDED, DELETED = 0, 1, 2
DRAFT, OPEN, FILLED, EXPIRED, CLOSED = 0, 1, 2, 3, 4
APPLIED, SCREENING, INTERVIEW, OFFER, HIRED, REJECTED, WITHDRAWN = range(7)
PLACEMENT_STATUS = ["planned", "active", "ended", "terminated"]
PLANNED, RUNNING, ENDED, TERMINATED = 0, 1, 2, 3
TIMESHEET_STATUS = ["submitted", "approved", "rejected"]
INVOICE_STATUS = ["open", "paid", "overdue", "written_off"]
INVOICE_KINDS = ["placement_fee", "timesheets"]
CHANGE_FIELDS = ["headline", "city", "availability", "desired_rate", "skill_added", "language_added"]

# defect codes, per table or feed; the names are what the manifest records
DEFECTS = {
    "users": ["", "registered_in_future"],
    "jobs": ["", "salary_min_above_max", "unknown_employer", "expires_before_posted"],
    "applications": ["", "unknown_job", "unknown_candidate"],
    "placements": ["", "end_before_start"],
    "timesheets": ["", "negative_hours"],
    "invoices": ["", "due_before_issued"],
}


def _users() -> Store:
    return Store(
        role=i1, first=i2, last=i2, registered_at=i8, last_login_at=i8, status=i1, updated_at=i8,
        reactivate_at=i8, activity=f4, defect=i1,
    )  # fmt: skip


def _candidates() -> Store:
    return Store(
        user=i8, role=i2, seniority=i1, tagline=i1, city=i2, years=i2, availability=i1, rate=i4, currency=i1,
        updated_at=i8, deleted=np.bool_,
    )  # fmt: skip


def _employers() -> Store:
    return Store(
        name_a=i1, name_b=i1, form=i1, last1=i2, last2=i2, country=i1, industry=i1, size=i1, weight=f8,
        created_at=i8, updated_at=i8, jobs=i4, payer=i1, terms=i2, crm_lag=i2, crm=i4,
    )  # fmt: skip


def _jobs() -> Store:
    return Store(
        employer=i4, seq=i4, role=i2, seniority=i1, city=i2, remote=i1, contract=i1, smin=i8, smax=i8, status=i1,
        created_at=i8, posted_at=i8, expires_at=i8, filled_at=i8, updated_at=i8, open_at=i8, weight=f4,
        board_a=i4, board_b=i4, perk=i1, defect=i1,
    )  # fmt: skip


def _applications() -> Store:
    return Store(
        cand=i4, job=i4, channel=i1, referrer=i4, status=i1, seq=i2, applied_at=i8, updated_at=i8,
        next_at=i8, next_status=i1, forced=np.bool_, defect=i1,
    )  # fmt: skip


def _placements() -> Store:
    return Store(
        app=i4, cand=i4, job=i4, employer=i4, contract=i1, start=i4, end=i4, rate=i8, salary=i8, fee_pct=f4,
        currency=i1, status=i1, created_at=i8, updated_at=i8, defect=i1,
    )  # fmt: skip


def _postings() -> Store:
    return Store(
        board=i1, board_id=i4, employer=i4, role=i2, seniority=i1, city=i2, contract=i1, smin=i8, smax=i8,
        first_day=i4, last_day=i4, seq=i4, defect=i1,
    )  # fmt: skip


@dataclass
class World:
    cfg: Config
    users: Store = field(default_factory=_users)
    candidates: Store = field(default_factory=_candidates)
    languages: Store = field(default_factory=lambda: Store(cand=i4, lang=i1, prof=i1, updated_at=i8, alive=np.bool_))
    skills: Store = field(default_factory=lambda: Store(cand=i4, skill=i2, level=i1, updated_at=i8, alive=np.bool_))
    resumes: Store = field(
        default_factory=lambda: Store(
            cand=i4, uploaded_at=i8, updated_at=i8, role=i2, seniority=i1, years=i2, s1=i2, s2=i2, s3=i2,
            current=np.bool_, erased=np.bool_,
        )
    )  # fmt: skip
    employers: Store = field(default_factory=_employers)
    employer_users: Store = field(
        default_factory=lambda: Store(employer=i4, user=i8, role=i1, active=np.bool_, created_at=i8, updated_at=i8)
    )
    jobs: Store = field(default_factory=_jobs)
    job_skills: Store = field(default_factory=lambda: Store(job=i4, skill=i2, required=np.bool_, created_at=i8))
    applications: Store = field(default_factory=_applications)
    history: Store = field(default_factory=lambda: Store(app=i4, seq=i2, status=i1, changed_at=i8))
    placements: Store = field(default_factory=_placements)
    timesheets: Store = field(
        default_factory=lambda: Store(
            placement=i4, week=i4, hours=i4, status=i1, submitted_at=i8, approved_at=i8, decide_at=i8,
            updated_at=i8, invoice=i4, defect=i1,
        )
    )  # fmt: skip
    invoices: Store = field(
        default_factory=lambda: Store(
            employer=i4, placement=i4, kind=i1, amount=i8, currency=i1, issued=i4, due=i4, pay_at=i8, paid_at=i8,
            status=i1, updated_at=i8, defect=i1,
        )
    )  # fmt: skip
    changes: Store = field(default_factory=lambda: Store(day=i4, at=i8, cand=i4, field=i1, old=i8, new=i8))
    crm: Store = field(
        default_factory=lambda: Store(
            employer=i4, name_a=i1, name_b=i1, country=i1, manager=i1, tier=i1, created_at=i8, modified_at=i8,
            defect=i1,
        )
    )  # fmt: skip
    postings: Store = field(default_factory=_postings)  # partner-board postings that are not platform jobs
    board_ids: list[int] = field(default_factory=lambda: [0, 0])  # last posting id given out, per board
    defects: DefectLog = field(default_factory=DefectLog)
    # the day's happenings that the event feed reports (user index, timestamp, detail)
    logins: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    profile_updates: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    marks: dict[str, int] = field(default_factory=dict)  # rows of some stores at the start of the day
    event_spill: list[tuple[Any, ...]] = field(default_factory=list)  # events due in later files

    def defect_share(self, r: np.random.Generator, n: int) -> np.ndarray:
        """Which of ``n`` new rows get a defect."""
        return r.random(n) < self.cfg.defect_rate

    def new_day(self) -> None:
        self.logins.clear()
        self.profile_updates.clear()
        self.marks = {"applications": self.applications.n}


def board_id(world: World, board: int, count: int) -> np.ndarray:
    """Fresh posting ids of a partner board."""
    start = world.board_ids[board]
    world.board_ids[board] += count
    return np.arange(start + 1, start + count + 1, dtype=np.int32)
