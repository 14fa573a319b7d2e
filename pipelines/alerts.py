"""Alerts: a row in dv_meta.alert, a log line, and a POST to a webhook when one is configured.

The webhook URL comes from ``DV_ALERT_WEBHOOK`` (JSON body ``{kind, subject, message, batch_id}``);
a webhook that does not answer is logged, never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.parse
import urllib.request
from typing import Any

from generator.manifest_model import Manifest, SourceNode
from pipelines.db import scrub

log = logging.getLogger("dv.alerts")


def raise_alert(cur: Any, kind: str, subject: str, message: str, batch_id: int | None = None) -> None:
    """Record, log and post an alert; a password quoted by its text (an error's) is taken out first."""
    subject, message = scrub(subject), scrub(message)
    cur.execute(
        "INSERT INTO dv_meta.alert (kind, subject, message, batch_id) VALUES (%s, %s, %s, %s)",
        (kind, subject, message, batch_id),
    )
    log.warning("alert %s: %s: %s", kind, subject, message)
    post_webhook({"kind": kind, "subject": subject, "message": message, "batch_id": batch_id})


def post_webhook(body: dict[str, Any], url: str | None = None) -> bool:
    target = url or os.environ.get("DV_ALERT_WEBHOOK")
    if not target:
        return False
    request = urllib.request.Request(
        target, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status: int = response.status
            return 200 <= status < 300
    except OSError as exc:
        log.warning("alert webhook %s did not answer: %s", webhook_where(target), scrub(str(exc)))
        return False


def webhook_where(url: str) -> str:
    """Where a webhook points, for messages: scheme, host and port. Its user, password, path and query
    are left out: a webhook's secret is often its path (``/services/T0/B0/XXXX``) or a ``?token=``."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(a URL that cannot be read)"
    return f"{parts.scheme}://{host}{port}/..."


def stale_sources(cur: Any, manifest: Manifest) -> list[tuple[str, float | None, float]]:
    """Sources whose last successful extract is older than their freshness_hours: (source, age_hours, limit),
    by source id."""
    nodes = manifest.nodes.values()
    stale: list[tuple[str, float | None, float]] = []
    for node in nodes:
        limit = node.freshness_hours if isinstance(node, SourceNode) else None
        if not limit:
            continue
        cur.execute(
            "SELECT extract(epoch FROM clock_timestamp() - max(finished_at)) / 3600 FROM dv_meta.task_run"
            " WHERE task = %s AND status = 'done'",
            (f"extract.{node.name}",),
        )
        (age,) = cur.fetchone()
        if age is None or float(age) > float(limit):
            stale.append((node.name, None if age is None else float(age), float(limit)))
    return stale
