"""A project folder as the runtime sees it: the generated SQL and its manifest (``generator/manifest_model.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.errors import DVError, WarehouseError
from generator.generate import GENERATED_MARK
from generator.manifest_model import MANIFEST_VERSION, Manifest, Node

N = TypeVar("N", bound=BaseModel)


def parse_manifest(data: dict[str, Any], path: Path | str = f"{GENERATED_MARK}/manifest.json") -> Manifest:
    """The typed manifest; one of another ``manifest_version`` (an older or newer dv generate) is refused."""
    version = data.get("manifest_version")
    if version != MANIFEST_VERSION:
        raise WarehouseError(
            f"{path} is a manifest of version {version}, this dv reads version {MANIFEST_VERSION}\n"
            f"    hint: run 'dv generate' in the project folder"
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise WarehouseError(
            f"{path} does not match the manifest's model: {exc.error_count()} error(s), first: "
            f"{'.'.join(str(p) for p in exc.errors()[0]['loc'])}: {exc.errors()[0]['msg']}\n"
            f"    hint: run 'dv generate' in the project folder"
        ) from None


@dataclass
class Project:
    root: Path
    manifest: dict[str, Any]  # the JSON as read; being replaced by manifest_model

    @classmethod
    def open(cls, root: Path) -> Project:
        path = root / GENERATED_MARK / "manifest.json"
        if not path.is_file():
            raise DVError(f"{path} not found\n    hint: run 'dv generate' in the project folder first")
        project = cls(root, json.loads(path.read_text(encoding="utf-8")))
        project.__dict__["manifest_model"] = parse_manifest(project.manifest, path)
        return project

    @cached_property
    def manifest_model(self) -> Manifest:
        """The manifest, typed: one model per node kind (``generator/manifest_model.py``)."""
        return parse_manifest(self.manifest, self.root / GENERATED_MARK / "manifest.json")

    def sql(self, relative: str) -> str:
        return (self.root / GENERATED_MARK / relative).read_text(encoding="utf-8")

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        nodes: dict[str, dict[str, Any]] = self.manifest["nodes"]
        return nodes

    def with_statement(self, statement: str) -> list[tuple[str, dict[str, Any]]]:
        """Nodes that have a generated ``statement`` (create, stage, load, views), in load order."""
        return [(i, self.nodes[i]) for i in self.manifest["load_order"] if statement in self.nodes[i]["sql"]]

    def ordered(self, *kinds: str) -> list[tuple[str, dict[str, Any]]]:
        """Nodes of the given kinds in the manifest's load order."""
        return [(i, self.nodes[i]) for i in self.manifest["load_order"] if self.nodes[i]["kind"] in kinds]

    # -- typed (the dict forms above go once every reader uses these) --

    def node(self, node_id: str) -> Node:
        return self.manifest_model.nodes[node_id]

    def typed_nodes(self) -> list[Node]:
        """Every node, in load order."""
        return self.manifest_model.ordered()

    def typed_ordered(self, *kinds: str) -> list[Node]:
        """Nodes of the given kinds (``hub``, ``sat`` …) in load order."""
        return self.manifest_model.ordered(*kinds)

    def of_type(self, cls: type[N]) -> list[N]:
        """Nodes of one model class (``SatNode``, ``SqlNode`` …) in load order."""
        return self.manifest_model.of_type(cls)

    def typed_with_statement(self, statement: str) -> list[Node]:
        """Nodes that have a generated ``statement`` (create, stage, load, views), in load order."""
        return [n for n in self.manifest_model.ordered() if statement in n.sql]
