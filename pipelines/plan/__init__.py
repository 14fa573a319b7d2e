"""``dv plan`` / ``dv apply``: what it takes to bring a warehouse to the generated model.

The plan compares three things:

- the model as generated: ``vault_sql/manifest.json`` (its ``physical`` section: every table with
  its columns, primary key and indexes, every view with the fingerprint of its definition);
- the live catalog of the warehouse (``pg_catalog``): schemas, tables, columns with their types and
  NOT NULL, primary keys, indexes by name, views and the ``[dv:<fingerprint>]`` in their comments;
- the manifest of the last ``dv apply`` (``dv_meta.model_version.manifest``): what the warehouse
  was built from, to see changes the catalog cannot show (a business key's case rule, the order
  of a satellite's hashdiff columns, the hash algorithm).

Additions are planned as SQL statements: new schemas, new tables (the entity's whole ``create``
file, which is idempotent), new nullable columns, new indexes, views that are missing or changed
(dropped and created again from the entity's ``views`` file: views hold no data), comments. A
change that would lose data or silently change history is *refused* (:class:`Refusal`), with
the reason and what to do instead; a refused plan applies nothing. A table that holds no data
(ghost records only) may change freely: it is dropped and created again.

The package: ``steps.py`` (the plan, its groups and refusals, running steps), ``catalog.py`` (the live
catalog and the last applied model), ``changes.py`` (what only the last applied manifest shows),
``diff.py`` (the planner), ``run.py`` (plan, apply, secure), ``report.py`` (what ``dv plan`` and
``dv apply`` print).
"""

from pipelines.plan.catalog import (
    Applied,
    Catalog,
    LiveColumn,
    LiveTable,
    LiveView,
    applied_version,
    dependents_first,
    managed_schemas,
    normalize_type,
    read_catalog,
    record_version,
)
from pipelines.plan.run import apply, build_plan, plan, secure
from pipelines.plan.steps import GROUPS, Plan, PlanRefused, Refusal, Step, lock, run_steps

__all__ = [
    "GROUPS",
    "Applied",
    "Catalog",
    "LiveColumn",
    "LiveTable",
    "LiveView",
    "Plan",
    "PlanRefused",
    "Refusal",
    "Step",
    "applied_version",
    "apply",
    "build_plan",
    "dependents_first",
    "lock",
    "managed_schemas",
    "normalize_type",
    "plan",
    "read_catalog",
    "record_version",
    "run_steps",
    "secure",
]
