"""The typed manifest: the committed manifest.json and manifest.schema.json are what the models give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import WarehouseError
from generator.manifest_model import MANIFEST_VERSION, HubNode, Manifest, SatNode, SourceNode, SqlNode, schema_json
from pipelines.project import Project, parse_manifest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "vault_sql" / "manifest.json"


@pytest.fixture(scope="module")
def text() -> str:
    return MANIFEST.read_text(encoding="utf-8")


def test_committed_manifest_validates_and_round_trips(text: str) -> None:
    manifest = Manifest.model_validate_json(text)
    assert manifest.manifest_version == MANIFEST_VERSION
    assert manifest.to_json() == text  # nothing lost, nothing added, keys in the written order
    assert set(manifest.load_order) == set(manifest.nodes)


def test_schema_file_is_what_the_models_give() -> None:
    assert (ROOT / "vault_sql" / "manifest.schema.json").read_text(encoding="utf-8") == schema_json()


def test_nodes_are_typed_by_kind(text: str) -> None:
    manifest = Manifest.model_validate_json(text)
    hub = manifest.node("hub.application")
    assert isinstance(hub, HubNode)
    assert hub.qualified == "raw_vault.hub_application"
    assert all(isinstance(n, SqlNode) for n in manifest.ordered("dim", "fact"))
    assert manifest.of_type(HubNode) == manifest.ordered("hub")


def test_unknown_field_is_refused(text: str) -> None:
    data = json.loads(text)
    data["nodes"]["hub.application"]["surprise"] = 1
    with pytest.raises(WarehouseError, match="surprise"):
        parse_manifest(data, "vault_sql/manifest.json")


def test_other_version_is_refused_with_a_hint(text: str, tmp_path: Path) -> None:
    data = json.loads(text)
    data["manifest_version"] = MANIFEST_VERSION - 1
    (tmp_path / "vault_sql").mkdir()
    (tmp_path / "vault_sql" / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(WarehouseError, match=r"(?s)manifest\.json is a manifest of version .*run 'dv generate'"):
        Project.open(tmp_path)


def test_every_raw_vault_column_from_a_source_has_its_lineage(text: str) -> None:
    manifest = Manifest.model_validate_json(text)
    for hub in manifest.of_type(HubNode):
        targets = {(e.target_column, e.source) for e in hub.lineage}
        for feed in hub.feeds:
            assert (hub.hash_key, f"source.{feed.source}") in targets
            assert all((k.name, f"source.{feed.source}") in targets for k in hub.business_keys)
    for sat in manifest.of_type(SatNode):
        by_column = {e.target_column: e for e in sat.lineage}
        assert {c.name for c in sat.columns} | {sat.parent_key, "hashdiff"} <= set(by_column), sat.id
        assert all(by_column[c.name].source_columns == [c.source_column] for c in sat.columns)
        assert by_column["hashdiff"].stage_column and by_column["hashdiff"].transformation.startswith("md5 hashdiff")
    source = manifest.source("platform_applications")
    assert isinstance(source, SourceNode) and {e.target_column for e in source.lineage} >= set(source.column_names())
