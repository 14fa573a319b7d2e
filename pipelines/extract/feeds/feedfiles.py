"""Which files of a feed land, in which order: the files its path pattern matches inside the landing folder
(none outside it), by path; board B's pages in the order of their ``next_page`` chain. No database."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from generator.errors import WarehouseError
from generator.manifest_model import FileFeed
from pipelines.extract.feeds.parsers import read_page


@dataclass(frozen=True)
class Planned:
    path: Path
    rel: str
    chain_problem: str | None = None  # board B: the page's next_page leads nowhere
    note: str | None = None  # board B: the page is not reached by next_page (landed all the same)


def plan_files(landing_dir: Path, feed: FileFeed, until: dt.date | None = None) -> list[Planned]:
    """The files of a feed in reading order: by path; board B's pages of one export folder in the order
    of their ``next_page`` chain from the first page, then any page the chain does not reach. With
    ``until``, files whose path names a later day (``2026-03-02`` in a name or folder) are left out.
    A path that leads out of the landing folder (``..``, an absolute path, a symbolic link) is refused."""
    paths = sorted(_files_inside(landing_dir, feed.path), key=lambda p: p.as_posix())
    if until is not None:
        paths = [p for p in paths if (day := path_date(p.relative_to(landing_dir).as_posix())) is None or day <= until]
    if feed.format != "board_b_json":
        return [Planned(p, p.relative_to(landing_dir).as_posix()) for p in paths]
    folders: dict[Path, list[Path]] = defaultdict(list)
    for p in paths:
        folders[p.parent].append(p)
    planned: list[Planned] = []
    for folder in sorted(folders, key=lambda p: p.as_posix()):
        planned += _page_chain(landing_dir, folders[folder])
    return planned


def _files_inside(landing_dir: Path, pattern: str) -> list[Path]:
    """The files the pattern matches under the landing folder, every one of them inside it once resolved:
    a feed never reads a file outside the folder, so no message can quote one."""
    hint = "\n    hint: a feed's path is a pattern under the landing folder (events/*.jsonl); move the files in"
    if PurePosixPath(pattern).is_absolute() or PureWindowsPath(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise WarehouseError(f"feed path {pattern!r} leads out of the landing folder {landing_dir}: refused{hint}")
    root = landing_dir.resolve()
    try:
        matched = list(landing_dir.glob(pattern))
    except (ValueError, NotImplementedError) as exc:
        raise WarehouseError(f"feed path {pattern!r} is not a pattern of files: {exc}{hint}") from None
    files = []
    for path in matched:
        try:
            inside = path.resolve().is_relative_to(root)
        except (OSError, RuntimeError):  # a link loop
            inside = False
        if not inside:
            rel = path.relative_to(landing_dir).as_posix()
            raise WarehouseError(
                f"{rel} leads out of the landing folder {landing_dir} (a symbolic link, or a link loop): refused,"
                f" nothing of the source is landed{hint}, or replace the link by the file"
            )
        if path.is_file():
            files.append(path)
    return files


def path_date(rel: str) -> dt.date | None:
    """The first real day named in a path (``events/2026-03-02T10.jsonl`` → 2026-03-02)."""
    for match in re.finditer(r"(\d{4})-(\d{2})-(\d{2})", rel):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return None


def _page_chain(landing_dir: Path, pages: list[Path]) -> list[Planned]:
    by_name = {p.name: p for p in pages}
    order: list[Path] = []
    problems: dict[Path, str] = {}
    current: Path | None = pages[0]
    while current is not None:
        order.append(current)
        page, _ = read_page(current.read_bytes())
        if page is None:  # the page's own parse quarantines it; the chain stops here
            break
        following = page.get("next_page")
        if following is None:
            number, count = page.get("page"), page.get("pages")
            if isinstance(number, int) and isinstance(count, int) and number < count:
                problems[current] = f"page {number} of {count} has no next_page"
            break
        nxt = by_name.get(following) if isinstance(following, str) else None
        if nxt is None:
            problems[current] = f"its next_page {following!r} is not in {current.parent.name}/"
        elif nxt in order:
            problems[current] = f"its next_page {following!r} loops back"
            nxt = None
        current = nxt
    first = order[0].name
    rel = {p: p.relative_to(landing_dir).as_posix() for p in pages}
    out = [Planned(p, rel[p], problems.get(p)) for p in order]
    out += [Planned(p, rel[p], note=f"not reached from {first} by next_page") for p in pages if p not in order]
    return out
