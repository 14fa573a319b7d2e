"""The auditors' tools: trace and as-of, batch audit, lineage and impact, the docs site, status.

The load runtime never imports this package (ruff banned-api in pipelines/ruff.toml)."""
