"""File feeds (click-stream events, partner boards, CRM export) into the landing tables.

``parsers.py``: one streaming parser per format (no database). ``land.py``: each file once
(``dv_meta.file_log``), streamed through ``COPY``, parse failures to ``dv_meta.quarantine``.
See ``docs/platform.md`` (File feeds).
"""

from pipelines.extract.feeds.land import (
    FeedResult,
    FileOutcome,
    Reconciliation,
    feed_sources,
    land_feed,
    land_feeds,
    land_files,
    reconcile,
)

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
