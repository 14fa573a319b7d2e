"""A project folder as the runtime sees it: the generated SQL and its manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import DVError
from generator.generate import GENERATED_MARK


@dataclass
class Project:
    root: Path
    manifest: dict[str, Any]

    @classmethod
    def open(cls, root: Path) -> Project:
        path = root / GENERATED_MARK / "manifest.json"
        if not path.is_file():
            raise DVError(f"{path} not found\n    hint: run 'dv generate' in the project folder first")
        return cls(root, json.loads(path.read_text(encoding="utf-8")))

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
