"""Render the resolved model into the files of ``vault_sql/``.

One template per entity kind and statement under ``generator/templates``;
templates run under StrictUndefined and receive resolved objects and the
dialect (``d``), never raw YAML. Each kind module says which statements its
entities have (its ``render`` function); this module supplies the machinery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator import constants
from generator.dialects import get_dialect
from generator.dialects.base import Dialect
from generator.grants import render_grants
from generator.kinds import KINDS
from generator.layout import layout
from generator.manifest import build_manifest
from generator.model import Model
from generator.model_files import shown_name
from generator.physical import Context, Physical, fingerprint
from generator.resolve import KeyPart

TEMPLATES = Path(__file__).parent / "templates"
VIEW_TAG = re.compile(r"\[dv:([0-9a-f]{16})\]")


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


HEADER_WIDTH = 119  # a generated line stays under 120 characters


def header(files: list[str], algorithm: str) -> str:
    """The first lines of a generated SQL file: the model files it comes from, "do not edit" always on the first
    line; when the files do not fit on it, they follow it, one comment line per group that fits."""
    # a newline in a file name would end the comment (the loader refuses such names; escaped here all the same)
    names = sorted({shown_name(f) for f in files})
    first = f"-- generated from {', '.join(names) or 'the built-in metadata schema'} by dv generate — do not edit"
    lines = [first]
    if len(first) > HEADER_WIDTH:
        lines = [f"-- generated from {len(names)} model files by dv generate — do not edit:"]
        line = "--  "
        for i, name in enumerate(names):
            word = f" {name}{',' if i < len(names) - 1 else ''}"
            if len(line) + len(word) > HEADER_WIDTH and line != "--  ":
                lines.append(line)
                line = "--  "
            line += word
        lines.append(line)
    return "\n".join([*lines, f"-- hash spec v{constants.HASH_SPEC_VERSION} ({algorithm})"])


@dataclass
class Renderer:
    """What a kind's ``render`` function uses: the model, the dialect and the template machinery."""

    model: Model
    d: Dialect
    env: jinja2.Environment

    @property
    def algorithm(self) -> str:
        return self.model.algorithm

    @property
    def ctx(self) -> Context:
        return Context(self.d, self.algorithm)

    def key_column(self, part: KeyPart, target: KeyPart, alias: str = "s") -> str:
        """Value stored in a hub/link key column: standardized text, or the typed value."""
        if target.type.family == "text":
            return self.d.key_value(f"{alias}.{part.source_column}", part)
        return f"{alias}.{part.source_column}::{target.type.sql}"

    def sql(self, template: str, files: list[str], **ctx: Any) -> str:
        text = self.env.get_template(template).render(
            header=header(files, self.algorithm),
            d=self.d,
            C=constants,
            algorithm=self.algorithm,
            hash_type=self.d.hash_type(self.algorithm),
            key_column=self.key_column,
            model=self.model,
            **ctx,
        )
        return text.rstrip("\n") + "\n"

    def views(self, template: str, files: list[str], **ctx: Any) -> str:
        """Views carry a fingerprint of their definition in their comment, so dv plan sees a change."""
        draft = self.sql(template, files, view_tag="", **ctx)
        return self.sql(template, files, view_tag=f"[dv:{fingerprint(draft)}]", **ctx)


def render_all(model: Model, dialect: Dialect | None = None) -> dict[str, str]:
    """Every generated file: relative path -> content."""
    d = dialect or get_dialect()
    r = Renderer(model, d, environment())
    out: dict[str, str] = {}
    # the metadata schema is engine-specific as a whole: one template per dialect
    out["meta/create.sql"] = r.sql(f"meta/create.{d.name}.sql.j2", [], schemas=constants.ALL_SCHEMAS)
    statements: dict[str, dict[str, str]] = {}
    for kind_def in KINDS:
        for entity in model.of_kind(kind_def):
            files = kind_def.render(entity, r)
            statements[entity.id] = {}
            for stmt, text in files.items():
                path = f"{kind_def.folder}/{entity.name}.{stmt}.sql"
                out[path] = text
                statements[entity.id][stmt] = path
    phys = physical_model(model, d)
    for view in phys.views:
        tag = VIEW_TAG.search(out[view.sql_file])
        assert tag is not None, view.sql_file
        view.fingerprint = tag.group(1)
    manifest = build_manifest(model, phys, statements)  # with its roles and grants (generator/grants.py)
    out["roles/grants.sql"] = render_grants(manifest.access, header([model.project_file], model.algorithm))
    out["manifest.json"] = manifest.to_json()
    # every line under 120 characters, token for token the statement rendered (the fingerprints above are of it)
    return {path: layout(text) if path.endswith(".sql") else text for path, text in sorted(out.items())}


def physical_model(model: Model, d: Dialect) -> Physical:
    """Every table and view the model asks for (the manifest's ``physical`` section)."""
    ctx = Context(d, model.algorithm)
    phys = Physical()
    for kind_def in KINDS:
        for entity in model.of_kind(kind_def):
            phys.tables += kind_def.physical(entity, ctx)
            phys.views += kind_def.views(entity)
    return phys
