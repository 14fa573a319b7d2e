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
    """A project folder as the runtime sees it: its typed manifest and its generated SQL files."""

    root: Path
    manifest: Manifest

    @classmethod
    def open(cls, root: Path) -> Project:
        path = root / GENERATED_MARK / "manifest.json"
        if not path.is_file():
            raise DVError(f"{path} not found\n    hint: run 'dv generate' in the project folder first")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise WarehouseError(
                f"{path} is not JSON ({exc.msg}, line {exc.lineno})\n    hint: run 'dv generate' in the project folder"
            ) from None
        return cls(root, parse_manifest(data, path))

    @cached_property
    def json(self) -> dict[str, Any]:
        """The manifest as JSON (what ``dv apply`` records; tests compare with it). The runtime reads ``manifest``."""
        data: dict[str, Any] = json.loads(self.manifest.to_json())
        return data

    def sql(self, relative: str) -> str:
        return (self.root / GENERATED_MARK / relative).read_text(encoding="utf-8")

    @property
    def nodes(self) -> dict[str, Node]:
        """Every node by id."""
        return self.manifest.nodes

    def node(self, node_id: str) -> Node:
        return self.manifest.nodes[node_id]

    def ordered(self, *kinds: str) -> list[Node]:
        """Nodes of the given kinds (``hub``, ``sat`` …; none: every node) in the manifest's load order."""
        return self.manifest.ordered(*kinds)

    def of_type(self, cls: type[N]) -> list[N]:
        """Nodes of one model class (``SatNode``, ``SqlNode`` …) in load order."""
        return self.manifest.of_type(cls)

    def with_statement(self, statement: str) -> list[Node]:
        """Nodes that have a generated ``statement`` (create, stage, load, views …), in load order."""
        return [n for n in self.manifest.ordered() if statement in n.sql]
