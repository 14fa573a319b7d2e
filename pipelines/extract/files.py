"""File feeds, as the extract step imports them; the code is in :mod:`pipelines.extract.feeds`."""

from pipelines.extract.feeds import FeedResult, FileOutcome, feed_sources, land_feed, land_feeds, land_files, reconcile

__all__ = ["FeedResult", "FileOutcome", "feed_sources", "land_feed", "land_feeds", "land_files", "reconcile"]
