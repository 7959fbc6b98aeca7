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

from importlib.metadata import version

from corridors.bilateral.tables import country_profile, load_bilateral, timeline
from corridors.data.atlas import load_atlas, measuring_boundaries, read_lines
from corridors.data.lines import read_user_lines
from corridors.errors import CorridorDataError, CorridorOutputError
from corridors.measure.lengths import (
    chainage,
    corridor_lengths,
    country_split,
    crossings,
    geodesic_length_m,
    segment_lengths,
)
from corridors.measure.stated import stated_vs_measured
from corridors.measure.zones import zones
from corridors.network.graph import load_network, shortest_route
from corridors.validate import validate_paths

__version__ = version("corridors")

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
