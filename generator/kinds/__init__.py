"""One module per entity kind: its YAML schema (pydantic), its validation and
the resolved object its templates receive."""

from generator.kinds.base import EntitySpec
from generator.kinds.hub import HubSpec
from generator.kinds.link import LinkSpec
from generator.kinds.project import ProjectSpec
from generator.kinds.satellite import SatelliteSpec
from generator.kinds.source import SourceSpec

SPEC_BY_KIND: dict[str, type[EntitySpec]] = {
    "project": ProjectSpec,
    "source": SourceSpec,
    "hub": HubSpec,
    "link": LinkSpec,
    "satellite": SatelliteSpec,
}

__all__ = ["SPEC_BY_KIND", "HubSpec", "LinkSpec", "ProjectSpec", "SatelliteSpec", "SourceSpec"]
