"""kind: project — settings that hold for the whole model (one document)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from generator.kinds.base import EntitySpec, Strict


class HashSettings(Strict):
    algorithm: Literal["md5", "sha256"] = "md5"
    spec_version: Literal[1] = 1  # HASH_SPEC_VERSION; a new version adds a literal and a rehash


class ProjectSpec(EntitySpec):
    kind: Literal["project"]
    hash: HashSettings = Field(default_factory=HashSettings)
