"""
Reading and validating: the bottom layer, the only place that parses input.

Holds the atlas loader and the readers of users' line files (:mod:`~corridors.data.atlas`),
the strict GeoJSON parser (:mod:`~corridors.data.geojson`), placement checks against the
boundaries (:mod:`~corridors.data.placement`), country codes and names
(:mod:`~corridors.data.countries`), the style vocabulary of modes, statuses and route
accuracies shared by every product (:mod:`~corridors.data.style`) and where the shipped
data lives (:mod:`~corridors.data.paths`).

May import: :mod:`corridors.errors` only.
"""
