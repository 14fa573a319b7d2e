"""Standardization in the business vault: run the generated functions and views (``dv apply``, ``dv demo``).

The objects are the model's (``model/business_vault/standardization.yml``; docs/quality.md): ``kind: function``
(``business_vault.std_email``, ``std_country_code`` with its lookup table ``country_alias``,
``std_employer_name``, ``company_key``, …) and ``kind: business_view`` (``user_email_std``,
``user_email_duplicates`` and their ``_masked`` forms, ``employer_std``, ``crm_account_std``,
``crm_employer_name_check``, ``company_duplicate_candidates``). ``dv generate`` renders each into
``vault_sql/business_vault/<name>.apply.sql``; the manifest lists them with the statement ``apply``.

``apply_standardization(conn, project)`` runs those files in the manifest's load order, in one transaction:
every function, and each view whose raw-vault tables (its node's ``requires``) exist (a database without the
raw vault gets the functions only). Run after ``dv apply``'s plan; ``pipelines.plan.secure`` then gives the
objects to their owners with their grants (a view reading personal data is judged by the database; one whose
comment says ``[dv:masked]`` is granted to the reader: docs/security.md).
"""

from __future__ import annotations

import psycopg2.extensions

from generator.manifest_model import BusinessViewNode
from pipelines.db import transaction
from pipelines.project import Project

STATEMENT = "apply"  # generator/kinds/function.py: the statement dv apply runs after its plan


def apply_standardization(conn: psycopg2.extensions.connection, project: Project) -> list[str]:
    """Create or replace the business vault's functions, and its views when the raw vault has their tables; one
    transaction. Returns the names of the views made, masked forms included (empty without those tables).
    ``project``: the project whose manifest lists them (required: the runtime never reads another project's)."""
    made: list[str] = []
    skipped: set[str] = set()
    with transaction(conn) as cur:
        for node in project.with_statement(STATEMENT):
            required = node.requires if isinstance(node, BusinessViewNode) else []
            if required:
                cur.execute("SELECT count(to_regclass(t)) FROM unnest(%s::text[]) AS t", (required,))
                missing = cur.fetchone()[0] < len(required)
            else:
                missing = False
            if missing or skipped.intersection(node.depends_on):  # a view of a view not made is not made
                skipped.add(node.id)
                continue
            cur.execute(project.sql(node.sql[STATEMENT]))
            if isinstance(node, BusinessViewNode):
                made.append(node.name)
                if node.masked_view:
                    made.append(node.masked_view.split(".", 1)[1])
    return made
