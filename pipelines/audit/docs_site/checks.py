"""The data contracts as the site shows them: every check of ``checks/generated/**/*.contract.yml`` and
``checks/rules/**/*.contract.yml``, and the entities each one checks (by its dataset, or by the tables its SQL
names)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.contracts import CONTRACTS_DIR
from generator.errors import DVError

RULES_DIR = "checks/rules"  # as pipelines.quality.RULES_DIR (not imported: that module needs Soda and psycopg2)


@dataclass(frozen=True)
class Check:
    """One check of a data contract."""

    contract: str  # the contract file, relative to the project folder
    dataset: str  # schema.table (or view) of the contract
    name: str
    check_type: str  # Soda's type: missing, invalid, duplicate, schema, failed_rows, metric, ...
    column: str | None
    level: str  # fail | warn
    sql: str  # the check's query or expression ("" for declarative checks)
    generated: bool  # checks/generated/ (true) or hand-written checks/rules/


def _dataset(text: Any) -> str:
    """``warehouse/${var.database}/raw_vault/hub_job`` -> ``raw_vault.hub_job``."""
    parts = str(text or "").split("/")
    return ".".join(parts[-2:]).lower() if len(parts) >= 2 else str(text or "").lower()


def _contract_checks(items: Any, column: str | None, **common: Any) -> Iterable[Check]:
    for item in items or []:
        body: dict[str, Any] = {}
        if isinstance(item, str):
            check_type = item
        elif isinstance(item, dict) and len(item) == 1:
            check_type, value = next(iter(item.items()))
            body = value if isinstance(value, dict) else {}
        else:
            continue
        threshold = body.get("threshold")
        level = "warn" if isinstance(threshold, dict) and threshold.get("level") == "warn" else "fail"
        sql = "\n".join(str(body[k]) for k in ("query", "expression") if body.get(k))
        name = str(body.get("name") or body.get("qualifier") or (f"{check_type} {column}" if column else check_type))
        yield Check(name=name, check_type=str(check_type), column=column, level=level, sql=sql, **common)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when built with it: 10 times faster


def load_checks(root: Path) -> list[Check]:
    """Every check of the generated and hand-written contracts, in file order."""
    checks: list[Check] = []
    for folder, generated in ((CONTRACTS_DIR, True), (RULES_DIR, False)):
        for path in sorted((root / folder).glob("**/*.contract.yml")):
            relative = path.relative_to(root).as_posix()
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # a safe loader
            except yaml.YAMLError as exc:
                raise DVError(
                    f"{relative} is not valid YAML: {exc}\n    hint: fix the contract (dv check would refuse it too)"
                ) from exc
            if not isinstance(data, dict):
                continue
            common = {"contract": relative, "dataset": _dataset(data.get("dataset")), "generated": generated}
            for col in data.get("columns") or []:
                if isinstance(col, dict):
                    checks.extend(_contract_checks(col.get("checks"), str(col.get("name")), **common))
            checks.extend(_contract_checks(data.get("checks"), None, **common))
    return checks


_QUALIFIED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b")


def mentioned_entities(sql: str, owners: dict[str, str]) -> set[str]:
    """The entities whose tables or views a SQL text names (schema-qualified)."""
    found = set()
    for schema, table in _QUALIFIED.findall(sql):
        owner = owners.get(f"{schema}.{table}".lower())
        if owner is not None:
            found.add(owner)
    return found


@dataclass(frozen=True)
class EntityCheck:
    check: Check
    via: str  # "dataset" (the contract's dataset is the entity's table or one of its views) or "SQL"


def checks_by_entity(checks: Sequence[Check], owners: dict[str, str]) -> dict[str, list[EntityCheck]]:
    """The checks on each entity's table: generated contracts by their dataset; hand-written rules by
    their dataset or by the tables their SQL names."""
    found: dict[str, list[EntityCheck]] = defaultdict(list)
    for check in checks:
        owner = owners.get(check.dataset)
        if check.generated:
            if owner is not None:
                found[owner].append(EntityCheck(check, "dataset"))
            continue
        if owner is not None:
            found[owner].append(EntityCheck(check, "dataset"))
        for entity in sorted(mentioned_entities(check.sql, owners) - {owner}):
            found[entity].append(EntityCheck(check, "SQL"))
    return dict(found)
