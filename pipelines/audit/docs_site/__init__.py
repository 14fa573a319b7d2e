"""``dv docs``: a static HTML documentation site of the warehouse.

The site is generated from what the compiler wrote (``vault_sql/manifest.json`` and the SQL files) and
from the data contracts (``checks/generated/**/*.contract.yml`` and ``checks/rules/**/*.contract.yml``);
it never reads ``model/`` nor a database. The manifest is read as its typed models (``Project.manifest``),
the mapping from the sources is its column lineage::

    build_site(project, out) -> SiteResult

writes ``out/index.html`` (the layers: sources, raw vault, business vault, marts, every kind with its
count and description) and one page per manifest node, ``out/<node id>.html``: description, YAML file
and line, columns (type where known, description), business keys, the mapping from source columns, the
quality checks on its table, the SQL of derived objects and their refresh, the upstream and downstream
entities and an inline SVG lineage diagram of its neighbourhood (a layered layout: networkx topological
generations are the columns; the page's script scrolls it to the entity). Every page carries a search box over
an index of every entity and column, written once as ``out/search-index.js`` (a script assigning
``window.DV_INDEX``: ``file://`` forbids fetching a JSON file), filtered by a few lines of vanilla JS.

The layers, the kinds' titles and which kinds are satellites or derived are the kind registry's
(``generator.kinds``). ``data.py``, ``checks.py`` and ``pages.py`` read what the pages show, ``diagram.py``
draws the lineage, ``build.py`` renders the Jinja templates of ``templates/`` and writes the files.

The output works offline from the file system: no external script, style sheet, font or image. It is
deterministic (the same manifest, SQL and contracts give byte-identical files) and every text taken from
the project is HTML-escaped (Jinja autoescape; the SVG is escaped by hand).
"""

from pipelines.audit.docs_site.build import MARKER, SiteResult, build_site, render_site
from pipelines.audit.docs_site.checks import Check, load_checks
from pipelines.audit.docs_site.data import page_name, source_mapping
from pipelines.audit.docs_site.diagram import layered_layout, lineage_svg, neighbourhood
from pipelines.audit.docs_site.pages import Page, build_pages

__all__ = [
    "MARKER",
    "Check",
    "Page",
    "SiteResult",
    "build_pages",
    "build_site",
    "layered_layout",
    "lineage_svg",
    "load_checks",
    "neighbourhood",
    "page_name",
    "render_site",
    "source_mapping",
]
