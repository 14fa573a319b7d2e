"""File feeds (click-stream events, partner boards, CRM export) into the landing tables.

``parsers.py``: one streaming parser per format (no database), over ``records.py``. ``feedfiles.py``: which
files, in which order. ``land.py``: each file once (``dv_meta.file_log``), streamed through ``COPY``
(``copyio.py``), parse failures to ``dv_meta.quarantine``. ``summary.py``: the reconciliation and the
``dv land-feeds`` report. See ``docs/platform.md`` (File feeds).
"""

from pipelines.extract.feeds.land import (
    FeedResult,
    FileOutcome,
    feed_sources,
    land_feed,
    land_feeds,
    land_files,
)
from pipelines.extract.feeds.summary import Reconciliation, reconcile

__all__ = [
    "FeedResult",
    "FileOutcome",
    "Reconciliation",
    "feed_sources",
    "land_feed",
    "land_feeds",
    "land_files",
    "reconcile",
]
