"""
Measuring on the WGS 84 ellipsoid: pure functions, no I/O.

Holds the error-bounded geodesic engine (:mod:`~corridors.measure.geodesic`), the split of
lines at borders (:mod:`~corridors.measure.borders`), lengths, per-country splits,
crossings and chainage (:mod:`~corridors.measure.lengths`), official figures set beside
measured ones (:mod:`~corridors.measure.stated`) and corridor zones
(:mod:`~corridors.measure.zones`).

May import: :mod:`corridors.data` and :mod:`corridors.errors`.
"""
