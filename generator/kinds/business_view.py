"""kind: business_view — a view of the business vault over the raw vault's tables (standardized values, duplicate
candidates), written as one SELECT and made by ``dv apply``.

Unlike a computed satellite (built by ``dv marts``), a business view is created or replaced by ``dv apply`` after
its plan, when every raw-vault table it reads exists (``pipelines/standardize.py``). So that ``dv apply`` can drop
and recreate the raw vault's ``_current`` and ``_hist`` views, a business view reads the satellites' **tables**
(with the same anti-join on the version index as the ``_current`` views), other business views and the
business vault's functions, never a raw-vault view. Columns with a ``mask:`` give the view a masked form,
``<name>_masked`` (``[dv:masked]`` in its comment: docs/security.md), the same rows with those values masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import SCHEMA_BUSINESS_VAULT, SCHEMA_RAW_VAULT
from generator.kinds.base import EntitySpec, SqlName
from generator.kinds.derived import FOLDER_BUSINESS, TIER_SQL, DerivedColumnSpec, catalog, sql_references
from generator.kinds.function import STATEMENT, function_calls
from generator.kinds.registry import LAYER_BUSINESS_VAULT, KindDef
from generator.physical import Context, PhysTable, PhysView
from generator.resolve import Origin, Reporter, hint_for
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

MASK_WORDS = {"email": "the domain only", "initials": "initials", "hidden": "***", "hash": "a hash (12 hex digits)"}


class BusinessViewSpec(EntitySpec):
    kind: Literal["business_view"]
    name: SqlName
    description: str = Field(min_length=1)
    columns: list[DerivedColumnSpec] = Field(min_length=1)
    sql: str = Field(min_length=1)


@dataclass
class BusinessView:
    id: str
    name: str
    kind: str
    description: str
    columns: list[tuple[str, str]]  # name, description
    sql: str
    refs: list[str]  # qualified tables and views the SELECT reads
    tables: list[str]  # the raw-vault tables among them: without any of them, the view is not made
    depends: list[str]
    origin: Origin
    masks: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def qualified(self) -> str:
        return f"{SCHEMA_BUSINESS_VAULT}.{self.name}"

    @property
    def masked_description(self) -> str:
        by_mask = {m: [c for c, cm in self.masks.items() if cm == m] for m in self.masks.values()}
        masked = "; ".join(f"{', '.join(cs)} as {MASK_WORDS[m]}" for m, cs in by_mask.items())
        return f"[dv:masked] {self.name} with {masked}: the same rows."


def resolve(spec: BusinessViewSpec, doc: Document, report: Reporter, model: Model) -> BusinessView | None:
    sql = spec.sql.strip().rstrip(";").strip()
    refs, error = sql_references(sql)
    if error:
        report.error(("sql",), error, "test the SELECT with psql first")
        return None
    cat = catalog(model)
    views = {q: i for q, i in model.derived_names.items() if i.startswith("bv.")}
    depends: set[str] = set()
    tables: list[str] = []
    for ref in refs:
        if ref in cat.columns and ref.startswith(SCHEMA_RAW_VAULT + "."):
            tables.append(ref)
            depends.add(cat.owners[ref])
        elif ref in views and ref != f"{SCHEMA_BUSINESS_VAULT}.{spec.name}":
            depends.add(views[ref])
        elif ref in cat.owners and ref.startswith(SCHEMA_RAW_VAULT + "."):
            report.error(
                ("sql",),
                f"'{ref}' is a raw-vault view: dv apply drops and recreates those",
                "read the satellite's table, keeping its current rows with an anti-join on the version index",
            )
        else:
            known = [q for q in cat.columns if q.startswith(SCHEMA_RAW_VAULT + ".")] + list(views)
            report.error(("sql",), f"'{ref}' is not a raw-vault table or business view", hint_for(ref, known))
    depends.update(function_calls(sql, spec.name, ("sql",), report, model))
    names = [c.name for c in spec.columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        report.error(("columns",), f"column(s) {', '.join(duplicates)} declared twice", "")
    return BusinessView(
        id=f"bv.{spec.name}",
        name=spec.name,
        kind="business_view",
        description=spec.description,
        columns=[(c.name, c.description) for c in spec.columns],
        sql=sql,
        refs=refs,
        tables=sorted(tables),
        depends=sorted(depends),
        origin=Origin(doc.file, doc.start_line),
        masks={c.name: c.mask for c in spec.columns if c.mask},
    )


def render(view: BusinessView, r: Renderer) -> dict[str, str]:
    return {STATEMENT: r.sql("business_view/apply.sql.j2", [view.origin.file], obj=view)}


def manifest(view: BusinessView) -> dict[str, Any]:
    return {
        "schema": SCHEMA_BUSINESS_VAULT,
        "table": view.name,
        "columns": [
            {"name": n, "description": d, **({"mask": view.masks[n]} if n in view.masks else {})}
            for n, d in view.columns
        ],
        # not "masked" (the key of the SQL-defined kinds' masked forms, granted by the model): dv apply judges this
        # one by its [dv:masked] comment, as before
        **({"masked_view": f"{view.qualified}_masked"} if view.masks else {}),
        "reads": view.refs,
        "requires": view.tables,
    }


def no_tables(view: BusinessView, ctx: Context) -> list[PhysTable]:
    return []  # created by dv apply after its plan (pipelines/standardize.py), not planned


def no_views(view: BusinessView) -> list[PhysView]:
    return []


KIND = KindDef(
    kind="business_view",
    id_prefix="bv",
    spec=BusinessViewSpec,
    tier=TIER_SQL,
    folder=FOLDER_BUSINESS,
    resolve=resolve,
    physical=no_tables,
    render=render,
    depends_on=lambda view: view.depends,
    manifest=manifest,
    views=no_views,
    description="a view of the business vault over raw-vault tables (standardized values), made by dv apply",
    name_group=FOLDER_BUSINESS,
    layer=LAYER_BUSINESS_VAULT,
    title="business view",
    plural="Business views",
    family="sql",
)
