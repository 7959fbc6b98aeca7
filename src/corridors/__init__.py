"""Map, measure and annotate the corridors between Pakistan, Central Asia and the Caucasus."""

from corridors.errors import CorridorDataError, CorridorOutputError

__all__ = ["CorridorDataError", "CorridorOutputError"]
