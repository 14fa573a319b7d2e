"""kind: link — a relationship between two or more hubs (a hub may appear
twice under role names), with optional dependent child keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from generator.constants import HASH_KEY_PREFIX, LINK_PREFIX, SCHEMA_RAW_VAULT
from generator.kinds.base import EntitySpec, Identifier, Strict, check_identifier
from generator.kinds.hub import RESERVED_COLUMNS, BusinessKeySpec, key_parts, meta_columns
from generator.kinds.registry import LAYER_RAW_VAULT, KindDef
from generator.physical import Context, PhysColumn, PhysIndex, PhysTable
from generator.resolve import (
    HubFeed,
    KeyPart,
    Link,
    LinkFeed,
    LinkKeyMapping,
    LinkRef,
    LinkRoleMapping,
    Origin,
    Reporter,
    hint_for,
    must_type,
)
from generator.yaml_loader import Document, Loc

if TYPE_CHECKING:
    from generator.model import Model
    from generator.render import Renderer


class LinkHubSpec(Strict):
    hub: Identifier
    role: Identifier | None = None

    @property
    def role_name(self) -> str:
        return self.role or self.hub


class LinkSourceSpec(Strict):
    source: Identifier
    keys: dict[Identifier, list[Identifier]]
    dependent_keys: list[Identifier] = Field(default_factory=list)
    nullable_roles: list[Identifier] = Field(default_factory=list)


class LinkSpec(EntitySpec):
    kind: Literal["link"]
    hubs: list[LinkHubSpec] = Field(min_length=2)
    dependent_keys: list[BusinessKeySpec] = Field(default_factory=list)
    sources: list[LinkSourceSpec] = Field(min_length=1)


def resolve(spec: LinkSpec, doc: Document, report: Reporter, model: Model) -> Link | None:
    refs, complete = resolve_refs(spec.hubs, report, model)
    link = Link(
        id=f"link.{spec.name}",
        name=spec.name,
        description=spec.description,
        table=LINK_PREFIX + spec.name,
        hash_key=HASH_KEY_PREFIX + spec.name,
        refs=refs,
        dependent_keys=[
            KeyPart(k.name, k.name, must_type(k.type), k.case_sensitive, k.description) for k in spec.dependent_keys
        ],
        origin=Origin(doc.file, doc.start_line),
    )
    check_identifier(report, ("name",), link.table, "link table")
    ref_columns = {r.column for r in link.refs} | {link.hash_key}
    for i, key in enumerate(spec.dependent_keys):
        if key.name in RESERVED_COLUMNS or key.name in ref_columns or key.name.startswith(HASH_KEY_PREFIX):
            report.error(
                ("dependent_keys", i, "name"),
                f"dependent key '{key.name}' clashes with a link column",
                "rename the dependent key",
            )
    if not complete:
        return None
    seen: set[str] = set()
    for i, feed in enumerate(spec.sources):
        resolve_feed(
            link, feed.source, feed.keys, feed.nullable_roles, feed.dependent_keys, ("sources", i), report, model, seen
        )
    return link


def resolve_refs(hubs: list[LinkHubSpec], report: Reporter, model: Model) -> tuple[list[LinkRef], bool]:
    """The hub references of a link (or a link-like kind), in hash order, and whether all of them resolved."""
    refs: list[LinkRef] = []
    roles: list[str] = []
    for i, ref in enumerate(hubs):
        if ref.hub not in model.hubs and model.is_invalid("hub", ref.hub):
            continue
        if ref.hub not in model.hubs:
            report.error(("hubs", i, "hub"), f"unknown hub '{ref.hub}'", hint_for(ref.hub, model.hubs))
            continue
        if ref.role_name in roles:
            report.error(
                ("hubs", i),
                f"role '{ref.role_name}' appears twice",
                "when a link references one hub twice, give each reference a distinct 'role'",
            )
            continue
        roles.append(ref.role_name)
        column = HASH_KEY_PREFIX + ref.role_name
        check_identifier(report, ("hubs", i), column, "link column")
        refs.append(LinkRef(ref.role_name, ref.hub, column))
    return refs, len(refs) == len(hubs)


def resolve_feed(
    link: Link,
    source_name: str,
    keys: dict[str, list[str]],
    nullable_roles: list[str],
    dependent_columns: list[str],
    loc: Loc,
    report: Reporter,
    model: Model,
    seen: set[str],
    dependent_field: str = "dependent_keys",
    dependent_what: str = "the link's dependent keys",
) -> LinkKeyMapping | None:
    """One source feeding a link (or a link-like kind): its role and dependent-key columns are checked,
    the hash keys are added to the source's stage step, and the role keys to their hubs' feeds."""
    source = model.sources.get(source_name)
    if source is None and model.is_invalid("source", source_name):
        return None
    if source is None:
        report.error((*loc, "source"), f"unknown source '{source_name}'", hint_for(source_name, model.sources))
        return None
    if source_name in seen:
        report.error((*loc, "source"), f"source '{source_name}' feeds this link twice", "merge the two entries")
        return None
    seen.add(source_name)
    roles = [r.role for r in link.refs]
    ok = True
    for role in keys:
        if role not in roles:
            report.error((*loc, "keys", role), f"'{role}' is not a role of this link", hint_for(role, roles))
            ok = False
    for role in roles:
        if role not in keys:
            report.error(
                (*loc, "keys"),
                f"no columns given for role '{role}'",
                f"add '{role}: [<source column>, ...]' under keys",
            )
            ok = False
    for j, role in enumerate(nullable_roles):
        if role not in roles:
            report.error((*loc, "nullable_roles", j), f"'{role}' is not a role of this link", hint_for(role, roles))
            ok = False
    if not ok:
        return None
    mappings: list[LinkRoleMapping] = []
    for ref in link.refs:
        hub = model.hubs[ref.hub]
        parts = key_parts(
            report,
            (*loc, "keys", ref.role),
            source,
            keys[ref.role],
            hub.business_keys,
            f"hub '{hub.name}' (role '{ref.role}')",
        )
        if parts is None:
            ok = False
            continue
        stage_column = f"{HASH_KEY_PREFIX}{link.name}__{ref.role}"
        check_identifier(report, (*loc, "keys", ref.role), stage_column, "stage column")
        mappings.append(LinkRoleMapping(ref.role, hub.name, stage_column, parts, ref.role in nullable_roles))
    dependent = key_parts(
        report, (*loc, dependent_field), source, dependent_columns, link.dependent_keys, dependent_what
    )
    if not ok or dependent is None:
        return None
    mapping = LinkKeyMapping(link.name, link.id, link.hash_key, mappings, dependent)
    source.link_keys.append(mapping)
    link.feeds.append(
        LinkFeed(source.name, source.stage_table, link.hash_key, [m.stage_column for m in mappings], dependent)
    )
    for m in mappings:
        model.hubs[m.hub].feeds.append(HubFeed(source.name, source.stage_table, m.stage_column, m.parts))
    return mapping


def physical(link: Link, ctx: Context) -> list[PhysTable]:
    return [
        PhysTable(
            SCHEMA_RAW_VAULT,
            link.table,
            link.id,
            [
                PhysColumn(link.hash_key, ctx.hash_type, True, "Hash key of the relationship", "key"),
                *(
                    PhysColumn(
                        r.column,
                        ctx.hash_type,
                        True,
                        f"Hash key of hub {r.hub}" + (f" as {r.role}" if r.role != r.hub else ""),
                        "key",
                    )
                    for r in link.refs
                ),
                *(
                    PhysColumn(
                        k.name,
                        k.type.sql,
                        False,
                        f"{k.description or 'Dependent child key'} (standardized as hashed)",
                        "key",
                    )
                    for k in link.dependent_keys
                ),
                *meta_columns(ctx.types),
            ],
            primary_key=[link.hash_key],
            indexes=[PhysIndex(f"{link.table}_{r.role}", [r.column]) for r in link.refs],
            comment=link.description or f"Link {link.name}",
        )
    ]


def render(link: Link, r: Renderer) -> dict[str, str]:
    files = [link.origin.file]
    return {
        "create": r.sql("link/create.sql.j2", files, link=link, tables=physical(link, r.ctx)),
        "load": r.sql("link/load.sql.j2", files, link=link),
    }


def depends_on(link: Link) -> list[str]:
    return sorted({f"hub.{ref.hub}" for ref in link.refs} | {f"source.{f.source}" for f in link.feeds})


def manifest(link: Link) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RAW_VAULT,
        "table": link.table,
        "hash_key": link.hash_key,
        "refs": [{"role": ref.role, "hub": ref.hub, "column": ref.column} for ref in link.refs],
        "dependent_keys": [k.name for k in link.dependent_keys],
        "feeds": [{"source": f.source, "role_columns": f.role_columns} for f in link.feeds],
    }


KIND = KindDef(
    kind="link",
    id_prefix="link",
    spec=LinkSpec,
    tier=2,
    folder="links",
    resolve=resolve,
    physical=physical,
    render=render,
    depends_on=depends_on,
    manifest=manifest,
    description="a relationship between hubs",
    name_group="hub/link",
    layer=LAYER_RAW_VAULT,
    title="link",
    plural="Links",
    family="link",
)
