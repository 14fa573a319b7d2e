"""The demo: the synthetic JTLD platform (platform/) and the sample warehouse `dv demo` builds (sample.py).

The load runtime never imports this package (ruff banned-api in pipelines/ruff.toml)."""
