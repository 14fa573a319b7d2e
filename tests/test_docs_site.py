"""dv docs: the static documentation site, built from the repository's own manifest and contracts (fast
tier, no database)."""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from generator.errors import DVError
from generator.kinds import KIND_BY_PREFIX, KINDS
from generator.kinds.registry import LAYERS as REGISTRY_LAYERS
from pipelines.audit.docs_site import MARKER, build_site, layered_layout, page_name
from pipelines.audit.docs_site.data import LAYER_TEXTS, LAYERS, OTHER_LAYER, SITE_ORDER, kind_titles, layer_of
from pipelines.cli import main
from pipelines.project import Project, parse_manifest
from tests.conftest import REPO

HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.open(REPO)


@pytest.fixture(scope="module")
def site(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    build_site(project, out)
    return out


def page(site: Path, node_id: str) -> str:
    return (site / page_name(node_id)).read_text(encoding="utf-8")


def section(html: str, anchor: str) -> str:
    """The HTML of a page's ``<h2 id=anchor>`` section, up to the next h2."""
    match = re.search(rf'<h2 id="{anchor}">(.*?)(?=<h2 |</main>)', html, flags=re.S)
    assert match, f"no section {anchor}"
    return match.group(1)


def search_index(site: Path) -> dict[str, Any]:
    """The search index of the site: its one shared script, ``window.DV_INDEX = {json};``."""
    text = (site / "search-index.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"window\.DV_INDEX = (\{.*\});\n", text, flags=re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def expected_columns(project: Project, node_id: str) -> list[str]:
    """Column names an entity's page must list: its manifest columns, and its raw-vault table's columns."""
    node = project.json["nodes"][node_id]
    names = [c["name"] for c in node.get("columns") or []]
    if node["kind"] != "source":
        for table in project.json["physical"]["tables"].values():
            if table["entity"] == node_id:
                names += [c["name"] for c in table["columns"]]
    return names


def test_every_node_has_a_page_and_the_index_links_them(project: Project, site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    links = set(HREF.findall(index))
    for node_id in project.json["nodes"]:
        assert (site / page_name(node_id)).is_file(), node_id
        assert page_name(node_id) in links, node_id
    assert len(list(site.glob("*.html"))) == len(project.json["nodes"]) + 1
    for title in ("Sources", "Raw vault", "Hubs", "Links", "Satellites", "Business vault", "Marts"):
        assert f">{title} <span" in index, title
    for title in ("Dimensions", "Facts", "KPIs", "Feeds"):
        assert f">{title} <span" in index, title
    hubs = sum(1 for n in project.json["nodes"].values() if n["kind"] == "hub")
    assert f'<h3 id="kind-hub">Hubs <span class="muted">{hubs}</span></h3>' in index


def test_each_page_lists_its_columns_and_its_neighbours_resolve(project: Project, site: Path) -> None:
    dependents: dict[str, set[str]] = {i: set() for i in project.json["nodes"]}
    for node_id, node in project.json["nodes"].items():
        for dep in node["depends_on"]:
            dependents[dep].add(node_id)
    for node_id, node in project.json["nodes"].items():
        html = page(site, node_id)
        columns = section(html, "columns")
        names = expected_columns(project, node_id)
        assert names or not node.get("table"), node_id  # only a function (no table) has none
        for name in names:
            assert f'id="col-{name}"' in columns, (node_id, name)
        for href in HREF.findall(html):
            target = href.split("#", 1)[0]
            assert not target or (site / target).is_file(), (node_id, href)
        lineage = section(html, "lineage")
        upstream, downstream = lineage.split("<h3>Downstream", 1)
        upstream = upstream.split("<h3>Upstream", 1)[1]
        assert set(HREF.findall(upstream)) == {page_name(d) for d in node["depends_on"]}, node_id
        assert set(HREF.findall(downstream)) == {page_name(d) for d in dependents[node_id]}, node_id


def test_hub_page_shows_business_keys_and_the_sources_feeding_it(project: Project, site: Path) -> None:
    hub = project.json["nodes"]["hub.application"]
    html = page(site, "hub.application")
    keys = section(html, "business-keys")
    for key in hub["business_keys"]:
        assert f"<code>{key['name']}</code>" in keys
    sources = {f"source.{f['source']}" for f in hub["feeds"]}
    assert len(sources) > 1
    assert {page_name(s) for s in sources} <= set(HREF.findall(keys))
    mapping = section(html, "mapping")
    for feed in hub["feeds"]:
        key, source = hub["business_keys"][0]["name"], page_name(f"source.{feed['source']}")
        assert f'<tr><td><code>{key}</code></td><td><a href="{source}">' in mapping, feed


def test_satellite_page_shows_the_source_column_mapping_and_its_checks(project: Project, site: Path) -> None:
    sat = project.json["nodes"]["sat.application_details"]
    html = page(site, "sat.application_details")
    mapping = section(html, "mapping")
    rows = re.findall(
        r"<tr><td><code>(\w+)</code></td><td><a href=\"([^\"]+)\">.*?</td>\s*<td>(.*?)</td>", mapping, re.S
    )
    found = {(col, href, unescape(re.sub(r"<[^>]+>", "", cols))) for col, href, cols in rows}
    for column in sat["columns"]:
        assert (column["name"], page_name(f"source.{sat['source']}"), column["source_column"]) in found
    assert any(col == sat["parent_key"] for col, _, _ in found)

    checks = unescape(section(html, "checks"))
    contract = yaml.safe_load((REPO / "checks/generated/satellites/application_details.contract.yml").read_text())
    generated = [c[k]["name"] for c in contract["checks"] for k in c]
    assert generated and all(name in checks for name in generated)
    assert "checks/rules/applications.contract.yml" in checks  # its dataset is the satellite's _current view
    assert "application_channel_in_domain" in checks


def test_rules_are_found_by_the_tables_their_sql_names(site: Path) -> None:
    # applications.contract.yml's dataset is sat_application_details_current; its failed-rows SQL reads the hub
    checks = section(page(site, "hub.application"), "checks")
    assert "checks/rules/applications.contract.yml" in checks
    assert "application_job_known" in checks and "its SQL" in checks
    assert "application_channel_in_domain" not in checks  # a column check of another table's dataset


def test_kpi_page_shows_its_sql_refresh_and_lineage(project: Project, site: Path) -> None:
    kpi = project.json["nodes"]["kpi.kpi_active_users"]
    html = page(site, "kpi.kpi_active_users")
    sql = unescape(section(html, "sql"))
    assert f"refresh: {kpi['refresh']}" in sql
    build = project.sql(kpi["sql"]["build"])
    assert build.strip() in sql
    lineage = section(html, "lineage")
    svg = re.search(r"<svg .*?</svg>", lineage, flags=re.S)
    assert svg
    boxes = set(HREF.findall(svg.group(0)))
    assert page_name("kpi.kpi_active_users") in boxes
    assert {page_name(d) for d in kpi["depends_on"]} <= boxes
    assert 'class="node focus"' in svg.group(0) and "<path" in svg.group(0)


def test_search_index_holds_every_entity_and_its_columns(project: Project, site: Path) -> None:
    entries = search_index(site)["entities"]
    by_id = {e[0]: e for e in entries}
    assert set(by_id) == set(project.json["nodes"])
    assert all((site / e[4]).is_file() for e in entries)
    assert "dau_mau_pct" in by_id["kpi.kpi_active_users"][5]
    assert "channel" in by_id["sat.application_details"][5]
    # one shared file (a script: file:// pages may not fetch a JSON file), no page embeds the index
    for path in site.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert html.count('<script src="search-index.js"></script>') == 1, path
        assert "application/json" not in html and '"entities"' not in html, path
    html = page(site, "hub.job")
    assert '<input id="dv-q"' in html and "window.DV_INDEX" in html


def test_the_site_is_offline(site: Path) -> None:
    for path in site.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z]+:)?//""", html, flags=re.I), path
        # url() only for the diagram's own arrow markers (url(#arrow)); no style sheet, script or image to load
        assert not re.search(
            r"url\(\s*[\"']?(?!#)|@import|<link\b|<script[^>]*\ssrc=(?!\"search-index\.js\")|<img\b|<iframe\b",
            html,
            flags=re.I,
        )
        assert not re.search(r"https?://", html), path
        assert "fetch(" not in html and "XMLHttpRequest" not in html


def test_two_runs_give_identical_files(project: Project, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(project, again)
    first = {p.name: p.read_bytes() for p in site.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []
    build_site(project, again)  # a second run into the same folder changes nothing either
    assert {p.name: p.read_bytes() for p in again.iterdir()} == second


def test_text_is_escaped(project: Project, tmp_path: Path) -> None:
    manifest = copy.deepcopy(project.json)
    evil = '<script>alert("x")</script> & <b>'
    manifest["nodes"]["hub.job"]["description"] = evil
    manifest["nodes"]["kpi.kpi_active_users"]["columns"][0]["description"] = evil
    out = tmp_path / "site"
    build_site(Project(project.root, parse_manifest(manifest)), out)
    for name in ("hub.job", "kpi.kpi_active_users"):
        html = page(out, name)
        assert evil not in html and "<b>" not in html
        assert "&lt;script&gt;alert(" in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert evil not in index
    index_js = (out / "search-index.js").read_text(encoding="utf-8")
    assert evil not in index_js and "</" not in index_js
    assert search_index(out)["entities"]  # the JSON still parses, its < escaped
    assert "\\u003cscript\\u003e" in index_js


def test_refuses_a_folder_it_did_not_write_and_removes_stale_pages(project: Project, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(DVError, match="did not write"):
        build_site(project, foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]

    out = tmp_path / "site"
    build_site(project, out)
    assert (out / MARKER).is_file()
    (out / "hub.gone.html").write_text("an entity removed from the model")
    build_site(project, out)
    assert not (out / "hub.gone.html").exists()


def test_layered_layout_columns_are_topological_generations() -> None:
    graph = nx.DiGraph([("s1", "h"), ("s2", "h"), ("s1", "sat"), ("h", "sat"), ("sat", "kpi"), ("h", "link")])
    columns = layered_layout(graph)
    assert [sorted(c) for c in columns] == [sorted(g) for g in nx.topological_generations(graph)]
    column_of = {n: i for i, col in enumerate(columns) for n in col}
    assert all(column_of[a] < column_of[b] for a, b in graph.edges)
    assert layered_layout(graph) == columns


def test_dv_docs_via_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x"
    assert main(["--project", str(REPO), "docs", "--out", str(out)]) == 0
    assert (out / "index.html").is_file() and (out / "hub.candidate.html").is_file()
    assert "documentation site" in capsys.readouterr().out
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("x")
    assert main(["--project", str(REPO), "docs", "--out", str(tmp_path / "other")]) == 1
    assert "hint:" in capsys.readouterr().err


def test_layers_and_kind_facts_come_from_the_kind_registry() -> None:
    # every registry kind is placed in its registry layer, with its registry titles; the site's words for a
    # layer exist for each registry layer, and its order names only registry kinds
    assert [layer.key for layer in LAYERS] == list(REGISTRY_LAYERS)
    assert all(layer.key in LAYER_TEXTS for layer in LAYERS)
    assert set(SITE_ORDER) <= set(KIND_BY_PREFIX) and len(set(SITE_ORDER)) == len(SITE_ORDER)
    placed = [kind for layer in LAYERS for kind in layer.kinds]
    assert sorted(placed) == sorted(k.id_prefix for k in KINDS)
    for k in KINDS:
        assert layer_of(k.id_prefix).key == k.layer
        assert kind_titles(k.id_prefix) == (k.plural, k.title)
    assert layer_of("nope") is OTHER_LAYER and kind_titles("nope") == ("nope", "nope")


def test_the_templates_are_package_data() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pipelines.audit.docs_site" = ["templates/*"]' in pyproject
    templates = REPO / "pipelines/audit/docs_site/templates"
    assert {p.name for p in templates.iterdir()} >= {"base.html.j2", "entity.html.j2", "site.css", "search.js"}


def test_the_mapping_is_the_manifests_column_lineage(project: Project, site: Path) -> None:
    # each lineage entry of a raw-vault node's table is a row of its page's mapping, with its transformation
    for node_id in ("sat.application_details", "hub.application", "link.application_candidate_job"):
        node = project.manifest.nodes[node_id]
        lineage = getattr(node, "lineage", [])
        assert lineage, node_id
        mapping = unescape(re.sub(r"<[^>]+>", "", section(page(site, node_id), "mapping")))
        for entry in lineage:
            assert entry.transformation in mapping, (node_id, entry)
            assert entry.target_column in mapping and ", ".join(entry.source_columns) in mapping, (node_id, entry)


def test_each_diagram_opens_on_its_own_entity(project: Project, site: Path) -> None:
    # the geometry of the first view, without a browser: the page's script scrolls the diagram to centre
    # data-focus-x (a browser keeps scrollLeft within 0 .. width - view); in a view 1,000 px wide, the
    # entity's box is then wholly visible, on every page (before: the KPI of kpi_jobs_daily at x = 1,724)
    view, wide = 1000, 0
    for node_id in project.json["nodes"]:
        html = page(site, node_id)
        match = re.search(r'<div class="diagram" data-focus-x="(\d+)"><svg class="lineage" width="(\d+)"', html)
        assert match, node_id
        centre, width = int(match.group(1)), int(match.group(2))
        focus = re.search(
            r'<a href="[^"]*" class="node focus"><title>.*?</title><rect x="(\d+)" [^>]*width="(\d+)"', html
        )
        assert focus, node_id
        x, w = int(focus.group(1)), int(focus.group(2))
        assert x <= centre <= x + w, node_id
        scroll = max(0, min(centre - view // 2, width - view))
        assert x - scroll >= 0 and x + w - scroll <= view, (node_id, x, w, width, scroll)
        wide += width > view
    assert wide > 10  # the repository's diagrams are often wider than the view: the scroll matters
    script = (REPO / "pipelines/audit/docs_site/templates/search.js").read_text(encoding="utf-8")
    assert 'd.scrollLeft = Math.max(0, Number(d.getAttribute("data-focus-x")) - d.clientWidth / 2)' in script


def test_derived_columns_have_their_type_from_the_sql(project: Project, site: Path) -> None:
    # the types of a derived object's columns are inferred from its SQL over the manifest's physical types;
    # "—" where they cannot be (before: every derived column's type was empty)
    typed = total = 0
    for node_id, node in project.json["nodes"].items():
        if not KIND_BY_PREFIX[node["kind"]].is_derived or not node.get("columns"):
            continue
        cells = re.findall(
            r'<tr id="col-([^"]+)">\s*<td>.*?</td>\s*<td>(.*?)</td>', section(page(site, node_id), "columns")
        )
        assert [c for c, _ in cells] == [c["name"] for c in node["columns"]], node_id
        total += len(cells)
        typed += sum(1 for _, cell in cells if cell.startswith("<code>"))
        assert all(cell.startswith("<code>") or "—" in cell for _, cell in cells), node_id
    assert total > 600 and typed / total >= 0.8, (typed, total)  # 571 of 675 when written
    cells = section(page(site, "fact.fact_invoice"), "columns")
    assert re.search(r'id="col-days_to_pay">\s*<td>.*?</td>\s*<td><code>integer</code>', cells)  # a date - a date
    kpi = section(page(site, "kpi.kpi_active_users"), "columns")
    assert re.search(r'id="col-dau">\s*<td>.*?</td>\s*<td><code>bigint</code>', kpi)  # a count
