"""kind: function — a SQL function of the business vault (standardization: e-mail, country, company name).

The YAML gives the signature and the body (one SQL expression, the function's ``RETURN``); the function is
``LANGUAGE sql STRICT PARALLEL SAFE`` (``NULL`` in, ``NULL`` out), immutable unless it reads a table
(``volatility: stable``). A function may carry a **lookup** table it reads (``business_vault.country_alias``
of ``std_country_code``): created when missing, its rows inserted when their key is new, so a project may
extend it with ``INSERT`` and ``dv apply`` keeps the extension.

The file ``vault_sql/business_vault/<name>.apply.sql`` creates or replaces it; ``dv apply`` runs it after its
plan (``pipelines/standardize.py``), in the manifest's load order: a function that calls another
(``business_vault.<function>(…)`` in its body) comes after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import SCHEMA_BUSINESS_VAULT
from generator.kinds.base import EntitySpec, Identifier, SqlName, Strict, TypeName
from generator.kinds.derived import FOLDER_BUSINESS, TIER_GENERATED
from generator.kinds.registry import LAYER_BUSINESS_VAULT, KindDef
from generator.physical import Context, PhysTable, PhysView
from generator.resolve import Origin, Reporter, hint_for
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

STATEMENT = "apply"  # the statement dv apply runs after its plan (not "build": dv marts builds those)
_CALL = re.compile(rf"\b{SCHEMA_BUSINESS_VAULT}\s*\.\s*([a-z_][a-z0-9_]*)\s*\(", re.IGNORECASE)


class ArgumentSpec(Strict):
    name: Identifier
    type: TypeName


class LookupColumnSpec(Strict):
    name: SqlName
    type: TypeName
    description: str = Field(min_length=1)
    check: str | None = None  # a CHECK constraint on the column
    value: str | None = None  # the expression a row's value goes through when inserted (default: as given)


class LookupSpec(Strict):
    name: SqlName
    description: str = Field(min_length=1)
    columns: list[LookupColumnSpec] = Field(min_length=1)
    key: Identifier  # the primary key: a row whose key exists is not inserted again
    rows: list[list[str]] = Field(min_length=1)


class FunctionSpec(EntitySpec):
    kind: Literal["function"]
    name: SqlName
    description: str = Field(min_length=1)
    arguments: list[ArgumentSpec] = Field(min_length=1)
    returns: TypeName
    volatility: Literal["immutable", "stable"] = "immutable"
    body: str = Field(min_length=1)
    lookup: LookupSpec | None = None


@dataclass
class Function:
    id: str
    name: str
    description: str
    arguments: list[tuple[str, str]]
    returns: str
    volatility: str
    body: str
    lookup: LookupSpec | None
    calls: list[str]  # manifest ids of the functions its body calls
    origin: Origin
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def qualified(self) -> str:
        return f"{SCHEMA_BUSINESS_VAULT}.{self.name}"

    @property
    def signature(self) -> str:
        return ", ".join(t for _, t in self.arguments)


def function_calls(sql: str, own: str, loc: tuple[str, ...], report: Reporter, model: Model) -> list[str]:
    """Manifest ids of the business vault's functions that ``sql`` calls; a call of an undeclared one is an error."""
    functions = {q: i for q, i in model.derived_names.items() if i.startswith("fn.")}
    calls: set[str] = set()
    for name in _CALL.findall(sql):
        qualified = f"{SCHEMA_BUSINESS_VAULT}.{name.lower()}"
        if name.lower() == own:
            report.error(loc, f"'{own}' calls itself", "a function's body cannot call it")
        elif qualified not in functions:
            report.error(loc, f"'{qualified}' is not a function the model declares", hint_for(qualified, functions))
        else:
            calls.add(functions[qualified])
    return sorted(calls)


def resolve(spec: FunctionSpec, doc: Document, report: Reporter, model: Model) -> Function | None:
    body = spec.body.strip().rstrip(";").strip()
    values = [c.value for c in spec.lookup.columns if c.value] if spec.lookup else []
    calls = function_calls("\n".join([body, *values]), spec.name, ("body",), report, model)
    if spec.lookup is not None:
        names = [c.name for c in spec.lookup.columns]
        if spec.lookup.key not in names:
            report.error(
                ("lookup", "key"), f"key '{spec.lookup.key}' is not among the columns", hint_for(spec.lookup.key, names)
            )
        for i, row in enumerate(spec.lookup.rows):
            if len(row) != len(names):
                report.error(("lookup", "rows", i), f"a row of {len(row)} value(s) for {len(names)} column(s)", "")
    return Function(
        id=f"fn.{spec.name}",
        name=spec.name,
        description=spec.description,
        arguments=[(a.name, a.type) for a in spec.arguments],
        returns=spec.returns,
        volatility=spec.volatility,
        body=body,
        lookup=spec.lookup,
        calls=calls,
        origin=Origin(doc.file, doc.start_line),
    )


def render(fn: Function, r: Renderer) -> dict[str, str]:
    return {STATEMENT: r.sql("function/apply.sql.j2", [fn.origin.file], fn=fn)}


def manifest(fn: Function) -> dict[str, Any]:
    return {
        "schema": SCHEMA_BUSINESS_VAULT,
        "function": f"{fn.qualified}({fn.signature})",
        "returns": fn.returns,
        "volatility": fn.volatility,
        **({"lookup": f"{SCHEMA_BUSINESS_VAULT}.{fn.lookup.name}"} if fn.lookup else {}),
    }


def no_tables(fn: Function, ctx: Context) -> list[PhysTable]:
    return []  # created by dv apply after its plan (pipelines/standardize.py), not planned


def no_views(fn: Function) -> list[PhysView]:
    return []


KIND = KindDef(
    kind="function",
    id_prefix="fn",
    spec=FunctionSpec,
    tier=TIER_GENERATED,
    folder=FOLDER_BUSINESS,
    resolve=resolve,
    physical=no_tables,
    render=render,
    depends_on=lambda fn: fn.calls,
    manifest=manifest,
    views=no_views,
    description="a SQL function of the business vault (standardization), its body one SQL expression",
    name_group=FOLDER_BUSINESS,  # one namespace with the business vault's tables and views
    layer=LAYER_BUSINESS_VAULT,
    title="function",
    plural="Functions",
    family="sql",
)
