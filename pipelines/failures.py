"""The failures of a batch that are still failures: what ``dv run`` and ``dv status`` report.

``dv_meta.task_run`` keeps every failed attempt (the history). A failure is over when the task later
succeeded, that is when its completion marker exists: a ``done`` or ``skipped`` row of the task
(extract, profile, quality, marts …), the source's ``dv_meta.batch_source`` row (its extract and its
stage) or the target's ``dv_meta.load_log`` row (a load). Of a task that failed more than once, the
last failure is the one reported.
"""

from __future__ import annotations

# SELECT batch_id, task, error, finished_at of the open failures; callers add "AND …", ORDER BY, LIMIT
OPEN_FAILURES = """
SELECT f.batch_id, f.task, f.error, f.finished_at
FROM dv_meta.task_run f
WHERE f.status = 'failed'
  AND NOT EXISTS (SELECT 1 FROM dv_meta.task_run d WHERE d.batch_id = f.batch_id AND d.task = f.task
                  AND (d.status IN ('done', 'skipped') OR d.finished_at > f.finished_at))
  AND NOT EXISTS (SELECT 1 FROM dv_meta.batch_source s WHERE s.batch_id = f.batch_id
                  AND f.task IN ('extract.' || s.source, 'stage.' || s.source))
  AND NOT EXISTS (SELECT 1 FROM dv_meta.load_log l WHERE l.batch_id = f.batch_id AND f.task = 'load.' || l.target)
"""
