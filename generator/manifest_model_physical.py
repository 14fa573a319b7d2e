"""The manifest's physical schema and access sections, as typed models (re-exported by ``manifest_model``).

``physical``: every table and view ``dv apply`` creates (``generator/physical.py``); ``access``: the roles and
the privileges of each on each object (``generator/grants.py``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Part(BaseModel):
    """Every manifest model: frozen, unknown fields are errors."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


# --- physical schema ----------------------------------------------------------------------------------------


class PhysicalColumn(Part):
    name: str
    type: str
    not_null: bool
    comment: str
    role: Literal["key", "meta", "payload"]  # only payload columns may be added to a table holding data
    identity: bool


class PhysicalIndex(Part):
    name: str
    columns: list[str]  # each possibly with " DESC"
    include: list[str]
    unique: bool
    method: str  # btree, brin


class PhysicalTable(Part):
    entity: str  # id of the node that owns it
    columns: list[PhysicalColumn]
    primary_key: list[str]
    indexes: list[PhysicalIndex]
    comment: str

    def column(self, name: str) -> PhysicalColumn | None:
        return next((c for c in self.columns if c.name == name), None)


class PhysicalView(Part):
    entity: str
    sql: str  # the generated file that (re)creates it
    fingerprint: str  # of its definition, kept in the view's comment


class PhysicalSchema(Part):
    tables: dict[str, PhysicalTable]  # by qualified name
    views: dict[str, PhysicalView]


# --- roles and grants ---------------------------------------------------------------------------------------

Privileges = dict[str, list[str]]  # role (owner, loader, reader, auditor, personal) -> privileges


class RoleNames(Part):
    owner: str
    loader: str
    reader: str
    auditor: str
    personal: str


class Roles(Part):
    prefix: str | None
    names: RoleNames


class Access(Part):
    """Roles, owners and the privileges of each role on each object (``generator/grants.py``)."""

    enabled: bool
    roles: Roles
    members: dict[str, list[str]]  # role -> the roles it is granted to
    owners: dict[str, str]  # schema -> owning role
    schemas: dict[str, Privileges]
    objects: dict[str, Privileges]  # qualified table or view -> grants
    other: dict[str, Privileges]  # schema -> grants on its other objects
    sequences: Privileges
    personal: list[str]  # the tables and views of personal data
    personal_columns: dict[str, list[str]]  # stage and landing tables -> their personal columns
