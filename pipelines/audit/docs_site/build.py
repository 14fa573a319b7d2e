"""Render the pages with the Jinja templates of ``templates/`` and write the site::

    build_site(project, out) -> SiteResult

Every page is rendered in memory before a file is written (an error leaves the folder as it was); a page
whose text did not change is not rewritten, and the pages of entities that are gone are removed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.errors import DVError
from generator.manifest_model import HubNode
from pipelines.audit.docs_site.data import LAYERS, OTHER_LAYER, Layer, kind_description, kind_titles, page_name, shorten
from pipelines.audit.docs_site.pages import Page, build_pages
from pipelines.project import Project

MARKER = ".dv-docs"  # a folder holding this file was written by dv docs: its pages may be replaced
TEMPLATES = "templates"  # the folder of the page templates, the style sheet and the script, in this package
PACKAGE = __name__.rsplit(".", 1)[0]  # pipelines.audit.docs_site


def _static(name: str) -> str:
    """A file of the templates folder, inlined into every page (the site loads nothing)."""
    return resources.files(PACKAGE).joinpath(TEMPLATES, name).read_text(encoding="utf-8").strip()


def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader(PACKAGE, TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["page"] = page_name
    env.filters["shorten"] = shorten
    env.filters["capitalize_first"] = _capitalize_first
    return env


INDEX_FILE = "search-index.js"  # the search index, written once and loaded by every page (a script: file:// pages
# may load a script beside them, not fetch a JSON file)
INDEX_GLOBAL = "DV_INDEX"


def _search_index(pages: Sequence[Page]) -> str:
    """The script of the search index: every entity and its columns, as JSON assigned to ``window.DV_INDEX``."""
    entries = [
        [
            p.id,
            p.kind_singular,
            p.table,
            shorten(p.node.description, 160),
            page_name(p.id),
            [c.name for c in p.columns],
        ]
        for p in pages
    ]
    text = json.dumps({"entities": entries}, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.{INDEX_GLOBAL} = {text};\n"


def _index_layers(pages: Sequence[Page]) -> list[tuple[Layer, list[dict[str, Any]]]]:
    """The index page's sections: each layer with entities, and its kinds with their entities."""
    layers = []
    for layer in (*LAYERS, OTHER_LAYER):
        kinds_in = list(layer.kinds) if layer.kinds else sorted({p.node.kind for p in pages if p.layer is layer})
        kinds = []
        for kind in kinds_in:
            of_kind = [p for p in pages if p.node.kind == kind]
            if of_kind:
                kinds.append(
                    {
                        "kind": kind,
                        "title": kind_titles(kind)[0],
                        "description": kind_description(kind),
                        "count": len(of_kind),
                        "pages": sorted(of_kind, key=lambda p: p.node.name),
                    }
                )
        if kinds:
            layers.append((layer, kinds))
    return layers


@dataclass
class SiteResult:
    out: Path
    pages: int  # entity pages (plus the index)
    entities: int
    columns: int
    checks: int
    files: list[Path]


def _prepare_out(out: Path) -> None:
    """Refuse to write into a folder dv docs did not write (it would mix or remove someone's files)."""
    if out.exists() and not out.is_dir():
        raise DVError(f"{out} is a file, not a folder\n    hint: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise DVError(
            f"{out} holds files dv docs did not write\n    hint: choose an empty or new folder with --out, or remove it"
        )
    out.mkdir(parents=True, exist_ok=True)


def render_site(project: Project) -> tuple[dict[str, str], list[Page], int]:
    """Every file of the site (name -> text), the entity pages and the number of checks."""
    pages, site = build_pages(project)
    env = _environment()
    common = {
        "css": Markup(_static("site.css")),
        "js": Markup(_static("search.js")),
        "index_file": INDEX_FILE,
        "project_name": site.project_name,
        "fingerprint": site.fingerprint,
        "generator_version": site.generator_version,
    }
    files: dict[str, str] = {INDEX_FILE: _search_index(pages)}
    files["index.html"] = env.get_template("index.html.j2").render(
        title="index",
        layers=_index_layers(pages),
        total=len(pages),
        column_total=sum(len(p.columns) for p in pages),
        check_total=len(site.checks),
        rule_total=sum(1 for c in site.checks if not c.generated),
        **common,
    )
    entity = env.get_template("entity.html.j2")
    for p in pages:
        feeding = sorted({f"source.{f.source}" for f in p.node.feeds}) if isinstance(p.node, HubNode) else []
        files[page_name(p.id)] = entity.render(
            title=p.node.name,
            p=p,
            feeding=feeding,
            check_count=sum(len(items) for _, _, items in p.checks),
            views=site.views_of.get(p.id, []),
            **common,
        )
    return files, pages, len(site.checks)


def build_site(project: Project, out: Path) -> SiteResult:
    """Write the documentation site of ``project`` into ``out`` (created; a folder dv docs wrote before
    is refreshed: its pages are rewritten and those of entities that are gone removed)."""
    _prepare_out(out)
    files, pages, checks = render_site(project)  # every page in memory first: an error leaves the folder as it was
    written = []
    for name, text in sorted(files.items()):
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    (out / MARKER).write_text("written by dv docs: its .html files are replaced on every run\n", encoding="utf-8")
    for stale in sorted(out.glob("*.html")):
        if stale.name not in files:
            stale.unlink()
    return SiteResult(
        out=out,
        pages=sum(1 for name in files if name.endswith(".html")),
        entities=len(pages),
        columns=sum(len(p.columns) for p in pages),
        checks=checks,
        files=written,
    )
