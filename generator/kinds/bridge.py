"""kind: bridge — the paths from each key of a hub across links, for the marts (business vault).

A bridge walks from a hub through a list of steps; each step joins one link (or non-historized link) on a
role already reached and reaches its other roles. A step with ``effectivity`` follows only the open
relationships of that effectivity satellite (its ``_current`` view). A missing step gives the zero key, so
the marts join with inner joins. One row per path: (root key, the hash key of each step's link row).
Refresh: the table built again in the marts' transaction (links only grow, effectivity moves).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import HASH_KEY_PREFIX, SCHEMA_BUSINESS_VAULT, SCHEMA_RAW_VAULT
from generator.kinds.base import EntitySpec, Identifier, SqlName, Strict
from generator.kinds.derived import FOLDER_BUSINESS, TIER_GENERATED, definition_tag
from generator.kinds.registry import LAYER_BUSINESS_VAULT, KindDef
from generator.physical import Context, PhysTable
from generator.resolve import Origin, Reporter, hint_for
from generator.yaml_loader import Document

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer

PREFIX = "bridge_"


class BridgeStepSpec(Strict):
    link: Identifier
    to: list[Identifier] = Field(min_length=1)
    from_role: Identifier | None = None
    effectivity: Identifier | None = None


class BridgeSpec(EntitySpec):
    kind: Literal["bridge"]
    name: SqlName  # the view and its tables are named as the object
    hub: Identifier
    steps: list[BridgeStepSpec] = Field(min_length=1)


@dataclass(frozen=True)
class BridgeStep:
    link_id: str
    relation: str  # qualified table or view joined
    link_key: str  # hk_<link>
    from_column: str  # column of the relation matched to a key reached before
    from_expr: str  # that key: h.<hub key> or l<n>.<column> of an earlier step
    to: list[tuple[str, str]]  # (relation column, bridge column)


@dataclass
class Bridge:
    id: str
    name: str
    description: str
    hub: str
    hub_table: str
    hash_key: str
    steps: list[BridgeStep]
    depends: list[str]
    origin: Origin

    @property
    def qualified(self) -> str:
        return f"{SCHEMA_BUSINESS_VAULT}.{self.name}"

    def columns(self) -> list[tuple[str, str]]:
        out = [(self.hash_key, f"Hash key of hub {self.hub}: the start of every path")]
        for s in self.steps:
            out.append((s.link_key, f"Hash key of the row of {s.link_id} on the path (zero key: none)"))
            out += [(col, f"Hash key reached through {s.link_id} (zero key: none)") for _, col in s.to]
        return out

    @property
    def key(self) -> list[str]:
        return [self.hash_key, *(s.link_key for s in self.steps)]


def resolve(spec: BridgeSpec, doc: Document, report: Reporter, model: Model) -> Bridge | None:
    if not spec.name.startswith(PREFIX):
        report.error(("name",), f"a bridge is named '{PREFIX}…'", f"rename it '{PREFIX}{spec.name}'")
    hub = model.hubs.get(spec.hub)
    if hub is None:
        if not model.is_invalid("hub", spec.hub):
            report.error(("hub",), f"unknown hub '{spec.hub}'", hint_for(spec.hub, model.hubs))
        return None
    links = {e.name: e for i, e in model.entities.items() if i.split(".", 1)[0] in ("link", "nhl")}
    reached = {hub.name: hub.hash_key}  # role -> bridge column
    exprs = {hub.name: f"h.{hub.hash_key}"}  # role -> where its key comes from in the SELECT
    steps: list[BridgeStep] = []
    depends = {hub.id}
    for i, step in enumerate(spec.steps):
        link = links.get(step.link)
        if link is None:
            report.error(("steps", i, "link"), f"unknown link '{step.link}'", hint_for(step.link, links))
            return None
        roles = {ref.role: ref.column for ref in link.refs}
        start = step.from_role or hub.name
        if start not in reached:
            report.error(
                ("steps", i, "from_role"),
                f"role '{start}' is not reached before this step",
                f"reached so far: {', '.join(reached)}",
            )
            return None
        if start not in roles:
            report.error(("steps", i, "from_role"), f"link '{link.name}' has no role '{start}'", hint_for(start, roles))
            return None
        to: list[tuple[str, str]] = []
        for j, role in enumerate(step.to):
            if role not in roles or role == start:
                report.error(
                    ("steps", i, "to", j), f"link '{link.name}' has no other role '{role}'", hint_for(role, roles)
                )
                continue
            column = HASH_KEY_PREFIX + role
            if column in reached.values() or column == link.hash_key:
                report.error(
                    ("steps", i, "to", j), f"role '{role}' is reached twice", "a bridge reaches each role once"
                )
                continue
            to.append((roles[role], column))
            reached[role] = column
            exprs[role] = f"l{i + 1}.{roles[role]}"
        relation = f"{SCHEMA_RAW_VAULT}.{link.table}"
        depends.add(link.id)
        if step.effectivity is not None:
            esat = model.entities.get(f"esat.{step.effectivity}")
            if esat is None or esat.link != link.name:
                report.error(
                    ("steps", i, "effectivity"),
                    f"'{step.effectivity}' is not an effectivity satellite of link '{link.name}'",
                    "name the effectivity_satellite declared on this link",
                )
                return None
            relation = f"{SCHEMA_RAW_VAULT}.{esat.table}_current"
            depends.add(esat.id)
        steps.append(BridgeStep(link.id, relation, link.hash_key, roles[start], exprs[start], to))
    if report.problems:
        return None
    return Bridge(
        id=f"bridge.{spec.name}",
        name=spec.name,
        description=spec.description,
        hub=hub.name,
        hub_table=f"{SCHEMA_RAW_VAULT}.{hub.table}",
        hash_key=hub.hash_key,
        steps=steps,
        depends=sorted(depends),
        origin=Origin(doc.file, doc.start_line),
    )


def _tag(bridge: Bridge) -> str:
    return definition_tag("bridge", bridge.hub, bridge.steps, 1)


def render(bridge: Bridge, r: Renderer) -> dict[str, str]:
    files = [bridge.origin.file]
    tag = _tag(bridge)
    # a refresh builds the table again: one statement serves both
    return {"build": r.sql("bridge/build.sql.j2", files, bridge=bridge, tag=tag)}


def manifest(bridge: Bridge) -> dict[str, Any]:
    return {
        "schema": SCHEMA_BUSINESS_VAULT,
        "table": bridge.name,
        "refresh": "table",
        "hub": bridge.hub,
        "key": bridge.key,
        "columns": [{"name": n, "description": d} for n, d in bridge.columns()],
        "reads": sorted({bridge.hub_table, *(s.relation for s in bridge.steps)}),
        "fingerprint": _tag(bridge),
    }


def no_tables(bridge: Bridge, ctx: Context) -> list[PhysTable]:
    return []  # built by dv marts


KIND = KindDef(
    kind="bridge",
    id_prefix="bridge",
    spec=BridgeSpec,
    tier=TIER_GENERATED,
    folder=FOLDER_BUSINESS,
    resolve=resolve,
    physical=no_tables,
    render=render,
    depends_on=lambda b: b.depends,
    manifest=manifest,
    description="the paths from each key of a hub across links, for the marts",
    name_group="business_vault",
    layer=LAYER_BUSINESS_VAULT,
    title="bridge",
    plural="Bridges",
    family="generated",
)
