"""Data Vault 2.0 automation generator: YAML model -> manifest -> SQL.

The generator never talks to a database: it reads ``model/`` and writes text.
Runtime code (apply, load, Luigi tasks) lives in ``pipelines/``.
"""

__version__ = "0.1.0"
