"""A SQL-defined object's SELECT, written once: in its build file.

A ``table`` or ``incremental`` object (``generator/kinds/derived.py``) has two statements, the build
(``CREATE TABLE … AS <SELECT>``) and the refresh (``INSERT INTO … SELECT … FROM (<SELECT>) AS q``). The
SELECT stands only in the build file, between two marker lines; the refresh file holds one marker line
where the SELECT goes, and :func:`with_select` puts the build's SELECT there before the refresh runs
(``pipelines/marts.py``). The build file stays a complete statement: lineage, the docs site and any
reader parse it as it is.

::

    CREATE TABLE marts.fact_x AS                 INSERT INTO marts.fact_x (a, b)
    -- dv:select begin (…)                       SELECT q.a, q.b FROM (
    SELECT …                                     -- dv:select here (fact_x.build.sql)
    -- dv:select end                             ) AS q;
    ;
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from generator.errors import DVError

SELECT_BEGIN = "-- dv:select begin"  # the build's line before the SELECT
SELECT_END = "-- dv:select end"  # the build's line after it
SELECT_HERE = "-- dv:select here"  # the refresh's line the SELECT replaces
MARKS = {"begin": SELECT_BEGIN, "end": SELECT_END, "here": SELECT_HERE}  # the templates' ``marks``

# the first begin line and the last end line: a SELECT that quotes a marker line in itself stays whole
_BUILD_SELECT = re.compile(rf"^{re.escape(SELECT_BEGIN)}[^\n]*\n(.*)\n{re.escape(SELECT_END)}[^\n]*$", re.M | re.S)
_HERE = re.compile(rf"^{re.escape(SELECT_HERE)}[^\n]*$", re.M)


def build_select(build_sql: str) -> str:
    """The SELECT a build file holds between its marker lines."""
    found = _BUILD_SELECT.search(build_sql)
    if found is None:
        raise DVError(
            f"a build file without its '{SELECT_BEGIN}' and '{SELECT_END}' lines\n    hint: run 'dv generate'"
        )
    return found.group(1)


def with_select(refresh_sql: str, build_sql: str) -> str:
    """The refresh statement with the build's SELECT in place of its marker line (a refresh without the
    marker, a PIT's, as it is)."""
    if _HERE.search(refresh_sql) is None:
        return refresh_sql
    select = build_select(build_sql)
    return _HERE.sub(lambda _: select, refresh_sql, count=1)


def statement_sql(read: Callable[[str], str], files: Mapping[str, str], statement: str) -> str:
    """The SQL of one statement of a derived object as it runs: its file (``files``: statement -> file
    under ``vault_sql/``, read by ``read``), a refresh with its build's SELECT."""
    text = read(files[statement])
    if statement == "refresh" and "build" in files and _HERE.search(text) is not None:
        return with_select(text, read(files["build"]))
    return text
