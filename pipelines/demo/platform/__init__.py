"""The synthetic JTLD platform (``dv demo-data``): a deterministic day-by-day simulation of the marketplace,
its operational PostgreSQL database (filled with COPY) and its files. See docs/platform.md."""
