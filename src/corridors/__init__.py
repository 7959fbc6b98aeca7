"""
Map, measure and annotate the corridors between Pakistan, Central Asia and the Caucasus.

The main entry points are re-exported here (and only here; each lives in the
subpackage of its layer, see the README's "How the code is laid out"):

>>> import corridors
>>> atlas = corridors.load_atlas()
>>> sorted(atlas.catalog)[:2]
['casa1000', 'ktap_railway']
>>> round(float(corridors.corridor_lengths(atlas).set_index("corridor_id").loc["uap_railway", "length_km"]))
563
"""

from __future__ import annotations

import importlib
from importlib.metadata import version
from typing import Any

from corridors.errors import CorridorDataError, CorridorOutputError

__version__ = version("corridors")

# Where each re-exported name lives. They are imported when first used (PEP 562), so that
# `import corridors` and the command line start at once: the CLI installs its signal
# handlers before geopandas and the rest are loaded.
_WHERE = {
    "country_profile": "corridors.bilateral.tables",
    "load_bilateral": "corridors.bilateral.tables",
    "timeline": "corridors.bilateral.tables",
    "load_atlas": "corridors.data.atlas",
    "measuring_boundaries": "corridors.data.atlas",
    "read_lines": "corridors.data.atlas",
    "read_user_lines": "corridors.data.lines",
    "chainage": "corridors.measure.lengths",
    "corridor_lengths": "corridors.measure.lengths",
    "country_split": "corridors.measure.lengths",
    "crossings": "corridors.measure.lengths",
    "geodesic_length_m": "corridors.measure.lengths",
    "segment_lengths": "corridors.measure.lengths",
    "stated_vs_measured": "corridors.measure.stated",
    "zones": "corridors.measure.zones",
    "load_network": "corridors.network.graph",
    "shortest_route": "corridors.network.graph",
    "validate_paths": "corridors.validate",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'corridors' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "CorridorDataError",
    "CorridorOutputError",
    "__version__",
    "chainage",
    "corridor_lengths",
    "country_profile",
    "country_split",
    "crossings",
    "geodesic_length_m",
    "load_atlas",
    "load_bilateral",
    "load_network",
    "measuring_boundaries",
    "read_lines",
    "read_user_lines",
    "segment_lengths",
    "shortest_route",
    "stated_vs_measured",
    "timeline",
    "validate_paths",
    "zones",
]
