"""kind: project — settings that hold for the whole model (one document)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.kinds.base import EntitySpec, Identifier, Strict


class HashSettings(Strict):
    algorithm: Literal["md5", "sha256"] = "md5"
    spec_version: Literal[1] = 1  # HASH_SPEC_VERSION; a new version adds a literal and a rehash


class RoleNames(Strict):
    """The database roles dv apply keeps, each named ``<prefix><name>`` (roles are cluster-wide)."""

    owner: Identifier = "owner"  # owns the schemas and the tables dv apply creates
    loader: Identifier = "loader"  # the pipeline: inserts into the vault, writes staging and dv_meta
    reader: Identifier = "reader"  # dashboards and the API: marts and business vault, no personal data
    auditor: Identifier = "auditor"  # reads everything but personal data, dv_meta included; writes nothing
    personal: Identifier = "personal_data"  # a reader and an auditor who may also see personal data

    @model_validator(mode="after")
    def _distinct(self) -> RoleNames:
        names = list(self.model_dump().values())
        if len(set(names)) != len(names):
            raise ValueError(f"role names must differ: {', '.join(names)}")
        return self


class RoleSettings(Strict):
    enabled: bool = True  # false: dv apply keeps no roles and every command runs as the DSN's user
    # prefix of every role name; none: the warehouse database's name and "_" (jtld_warehouse_loader)
    prefix: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_]{0,39}$")
    names: RoleNames = Field(default_factory=RoleNames)


class ProjectSpec(EntitySpec):
    kind: Literal["project"]
    hash: HashSettings = Field(default_factory=HashSettings)
    roles: RoleSettings = Field(default_factory=RoleSettings)
