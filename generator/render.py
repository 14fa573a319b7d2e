"""Render the resolved model into the files of ``vault_sql/``.

One template per entity kind and statement under ``generator/templates``;
templates run under StrictUndefined and receive resolved objects and the
dialect (``d``), never raw YAML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2

from generator import constants
from generator.dialects import get_dialect
from generator.dialects.base import Dialect
from generator.kinds import hub as hub_kind
from generator.kinds import link as link_kind
from generator.kinds import satellite as sat_kind
from generator.kinds import source as source_kind
from generator.manifest import build_manifest
from generator.model import Model
from generator.physical import Context, Physical, fingerprint
from generator.resolve import KeyPart, Source
from generator.stage_plan import build_stage_plan

TEMPLATES = Path(__file__).parent / "templates"


def qualify(columns: list[str], alias: str, descending: bool = False) -> str:
    """``a.c1, a.c2`` (optionally each DESC): column lists in ORDER BY and row comparisons."""
    return ", ".join(f"{alias}.{c}{' DESC' if descending else ''}" for c in columns)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["qualify"] = qualify
    env.filters["prefix"] = lambda names, p: [p + n for n in names]
    return env


def header(files: list[str], algorithm: str) -> str:
    sources = ", ".join(sorted(set(files))) or "the built-in metadata schema"
    return (
        f"-- generated from {sources} by dv generate — do not edit\n"
        f"-- hash spec v{constants.HASH_SPEC_VERSION} ({algorithm})"
    )


def _source_files(model: Model, src: Source) -> list[str]:
    files = [src.origin.file]
    files += [model.hubs[m.hub].origin.file for m in src.hub_keys]
    files += [model.links[m.link].origin.file for m in src.link_keys]
    files += [model.satellites[h.satellite].origin.file for h in src.hashdiffs]
    return files


def render_all(model: Model, dialect: Dialect | None = None) -> dict[str, str]:
    """Every generated file: relative path -> content."""
    d = dialect or get_dialect()
    env = environment()
    algorithm = model.algorithm

    def key_column(part: KeyPart, target: KeyPart) -> str:
        """Value stored in a hub/link key column: standardized text, or the typed value."""
        if target.type.family == "text":
            return d.key_value(f"s.{part.source_column}", part)
        return f"s.{part.source_column}::{target.type.sql}"

    base: dict[str, Any] = {
        "d": d,
        "C": constants,
        "algorithm": algorithm,
        "hash_type": d.hash_type(algorithm),
        "key_column": key_column,
        "model": model,
    }

    def render(template: str, files: list[str], **ctx: Any) -> str:
        text = env.get_template(template).render(header=header(files, algorithm), **base, **ctx)
        return text.rstrip("\n") + "\n"

    def render_views(template: str, files: list[str], **ctx: Any) -> str:
        """Views carry a fingerprint of their definition in their comment, so dv plan sees a change."""
        draft = render(template, files, view_tag="", **ctx)
        return render(template, files, view_tag=f"[dv:{fingerprint(draft)}]", **ctx)

    out: dict[str, str] = {}
    # the metadata schema is engine-specific as a whole: one template per dialect
    out["meta/create.sql"] = render(f"meta/create.{d.name}.sql.j2", [], schemas=constants.ALL_SCHEMAS)
    for src in model.sources.values():
        files = _source_files(model, src)
        out[f"staging/{src.name}.create.sql"] = render(
            "staging/create.sql.j2", files, src=src, tables=source_kind.physical(src, Context(d, algorithm))
        )
        plan = build_stage_plan(src, d, algorithm)
        out[f"staging/{src.name}.stage.sql"] = render("staging/stage.sql.j2", files, src=src, plan=plan)
    ctx = Context(d, algorithm)
    for hub in model.hubs.values():
        files = [hub.origin.file]
        out[f"hubs/{hub.name}.create.sql"] = render(
            "hub/create.sql.j2", files, hub=hub, tables=hub_kind.physical(hub, ctx)
        )
        out[f"hubs/{hub.name}.load.sql"] = render("hub/load.sql.j2", files, hub=hub)
    for link in model.links.values():
        files = [link.origin.file]
        out[f"links/{link.name}.create.sql"] = render(
            "link/create.sql.j2", files, link=link, tables=link_kind.physical(link, ctx)
        )
        out[f"links/{link.name}.load.sql"] = render("link/load.sql.j2", files, link=link)
    for sat in model.satellites.values():
        files = [sat.origin.file]
        out[f"satellites/{sat.name}.create.sql"] = render(
            "satellite/create.sql.j2", files, sat=sat, tables=sat_kind.physical(sat, ctx)
        )
        out[f"satellites/{sat.name}.load.sql"] = render("satellite/load.sql.j2", files, sat=sat)
        out[f"satellites/{sat.name}.views.sql"] = render_views("satellite/views.sql.j2", files, sat=sat)
    phys = physical_model(model, d)
    for view in phys.views:
        tag = VIEW_TAG.search(out[view.sql_file])
        assert tag is not None, view.sql_file
        view.fingerprint = tag.group(1)
    out["manifest.json"] = json.dumps(build_manifest(model, phys), indent=2) + "\n"
    return dict(sorted(out.items()))


VIEW_TAG = re.compile(r"\[dv:([0-9a-f]{16})\]")


def physical_model(model: Model, d: Dialect) -> Physical:
    """Every table and view the model asks for (the manifest's ``physical`` section)."""
    ctx = Context(d, model.algorithm)
    phys = Physical()
    for src in model.sources.values():
        phys.tables += source_kind.physical(src, ctx)
    for hub in model.hubs.values():
        phys.tables += hub_kind.physical(hub, ctx)
    for link in model.links.values():
        phys.tables += link_kind.physical(link, ctx)
    for sat in model.satellites.values():
        phys.tables += sat_kind.physical(sat, ctx)
        phys.views += sat_kind.views(sat)
    return phys
