"""
Map, measure and annotate the corridors between Pakistan, Central Asia and the Caucasus.

The main entry points are re-exported here:

>>> import corridors
>>> atlas = corridors.load_atlas()
>>> sorted(atlas.catalog)[:2]
['casa1000', 'ktap_railway']
>>> round(float(corridors.corridor_lengths(atlas).set_index("corridor_id").loc["uap_railway", "length_km"]))
563
"""

from importlib.metadata import version

from corridors.bilateral import country_profile, load_bilateral
from corridors.data import load_atlas, read_lines
from corridors.errors import CorridorDataError, CorridorOutputError
from corridors.measure import (
    corridor_lengths,
    country_split,
    crossings,
    geodesic_length_m,
    segment_lengths,
    stated_vs_measured,
)

__version__ = version("corridors")

__all__ = [
    "CorridorDataError",
    "CorridorOutputError",
    "__version__",
    "corridor_lengths",
    "country_profile",
    "country_split",
    "crossings",
    "geodesic_length_m",
    "load_atlas",
    "load_bilateral",
    "read_lines",
    "segment_lengths",
    "stated_vs_measured",
]
