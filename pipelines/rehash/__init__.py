"""``dv rehash``: recompute every hash key and hashdiff after a change of the hash settings.

A change of ``hash.algorithm`` (md5 ↔ sha256) or of the hash spec version changes every key of
the warehouse. ``dv apply`` refuses it; ``dv rehash`` does it, in one transaction:

1. the rest of the plan (additions made together with the hash change) runs first;
2. every table with a hash column of the old settings is moved, with its indexes and constraints,
   into a backup schema ``<schema>__pre_rehash_<UTC timestamp>`` and created again from its
   entity's ``create`` file (new column types, new ghost record);
3. the rows are copied back with every hash column recomputed, by a rule chosen from the
   manifest's description of the table (:func:`plan_jobs`):

   - an entity's own hash key: from the business key the table stores (a hub: its key columns;
     a link: its hubs' key columns, joined through the old keys, then its dependent keys), with
     the generator's dialect expressions (``key_value``, ``key_string``, ``hash_key``), so the new
     keys are the bytes the stage step computes for the same business key;
   - a column holding another entity's key (a satellite's parent key, a link's hub references,
     any ``hk_<hub or link>``): mapped old → new through that entity's mapping;
   - a satellite's ``hashdiff``: recomputed from its payload columns (``hashdiff``), by the rule
     of its kind (:data:`HASHDIFF_RULES`);
   - a stage table's hash columns: keys mapped through their entity's mapping (so staged history
     matches what the vault holds), else recomputed from the staged typed columns; hashdiffs
     recomputed; NULL stays NULL (a column added after earlier batches were staged);

4. verified: every table has as many rows as before, no key is unmapped, ghost records are there,
   stage hash columns are NULL exactly where they were; then views are created again and the new
   model version is recorded. Any failure rolls everything back.

A hash column no rule covers (a new kind's hashdiff, a key the stage step hashes from parts the
table does not hold) is reported, and nothing is changed: add a rule to :data:`HASHDIFF_RULES`
(or ``_column_rule``) in ``rules.py`` for it. Hubs, links, non-historized links, standard and multi-active
satellites and reference tables have theirs; every other kind's references to hubs and links
follow from the manifest.

The package: ``rules.py`` (which tables, and the rule for each hash column), ``run.py`` (the rebuild in
one transaction, verified), ``report.py`` (what ``dv rehash`` prints).
"""

from pipelines.rehash.rules import HASHDIFF_RULES, Job, RehashError, Rules, plan_jobs, tables_to_rebuild
from pipelines.rehash.run import BACKUP_INFIX, RehashResult, rehash

__all__ = [
    "BACKUP_INFIX",
    "HASHDIFF_RULES",
    "Job",
    "RehashError",
    "RehashResult",
    "Rules",
    "plan_jobs",
    "rehash",
    "tables_to_rebuild",
]
