"""What a map layer's payload function receives: :class:`MapInputs`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd

from corridors.data.atlas import Atlas
from corridors.maps.facts import Measures, corridor_facts

__all__ = ["MapInputs"]


@dataclass(frozen=True)
class MapInputs:
    """
    What a layer's payload function receives.

    Attributes
    ----------
    atlas
        The validated data.
    measures
        The measured lengths, splits, crossings and chainage.
    basemap
        The country polygons, simplified for drawing (shared by every page).
    corridor_id
        The corridor of a corridor page; None on the atlas.
    tiles
        The online tile layer's name, or None for the offline basemap only.
    """

    atlas: Atlas
    measures: Measures
    basemap: dict[str, Any]
    corridor_id: str | None = None
    tiles: str | None = None

    @cached_property
    def facts(self) -> dict[str, Any] | None:
        """The corridor's facts (its panel and the sources it cites), made once per page."""
        if self.corridor_id is None:
            return None
        return corridor_facts(self.atlas, self.measures, self.corridor_id)

    @property
    def segments(self) -> gpd.GeoDataFrame:
        """The segments this page draws."""
        segments = self.atlas.segments
        if self.corridor_id is None:
            return segments
        return segments[segments["corridor_id"] == self.corridor_id]
