"""Writing the platform's files into the landing folder the way a delivery does: each file once.

The simulator rebuilds every day's files on each run (a run of N+1 days repeats the N days before it).
A partner does not deliver yesterday's file again: an identical file already in the landing folder is
left untouched, modification time included, so the warehouse sees what it would see in production
(one new day of files) and recognises the old ones without reading them again.
"""

from __future__ import annotations

from pathlib import Path


def deliver(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` unless the file already holds exactly these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.write_bytes(data)
