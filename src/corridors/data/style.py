"""
How every product draws the data's vocabulary: modes, route accuracies, statuses, places.

Colour shows the mode, the dash pattern shows how well the route is known
(approximate and schematic routes are dashed so that uncertainty stays visible),
and line width and opacity show how far the project has got. The maps
(:mod:`corridors.maps.style`) and the print figures (:mod:`corridors.outputs.figures`)
both draw from these tables, so a mode has one colour everywhere.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ACCURACY_STYLE", "LAND_FILLS", "MODE_STYLE", "PLACE_STYLE", "STATUS_STYLE"]

#: Mode → label and colour: the Okabe–Ito hues, darkened so that every line has at least
#: 3:1 contrast (WCAG 2.1 non-text contrast) against both land fills of the maps
#: (:data:`LAND_FILLS`), also when drawn at 0.85 opacity over its white casing; the six stay
#: apart (CIELAB ΔE ≥ 14) in normal vision and simulated deutan, protan and tritan vision.
#: The mode is also named in every tooltip, popup and the panel's list, not told by colour alone.
MODE_STYLE: dict[str, dict[str, str]] = {
    "gas_pipeline": {"label": "Gas pipeline", "color": "#A0301A"},
    "power_line": {"label": "Power line", "color": "#9A6600"},
    "railway": {"label": "Railway", "color": "#0072B2"},
    "road": {"label": "Road", "color": "#00795A"},
    "fibre": {"label": "Fibre-optic cable", "color": "#B1397F"},
    "ferry": {"label": "Ferry", "color": "#4B3C9E"},
}

#: The maps' land fills (layers.js): countries a route crosses, and the others.
LAND_FILLS: dict[str, str] = {"on_route": "#fbf8ef", "other": "#eceae4"}

#: Route accuracy → dash pattern (SVG ``stroke-dasharray``; empty is solid).
ACCURACY_STYLE: dict[str, dict[str, str]] = {
    "surveyed": {"label": "Surveyed route", "dash": ""},
    "approximate": {"label": "Approximate route (via sourced towns)", "dash": "12 6"},
    "schematic": {"label": "Schematic route (straight legs)", "dash": "4 6"},
}

#: Status → line width in pixels and opacity, in lifecycle order.
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "operating": {"label": "Operating", "weight": 5.0, "opacity": 1.0},
    "completed": {"label": "Completed", "weight": 5.0, "opacity": 1.0},
    "under_construction": {"label": "Under construction", "weight": 4.5, "opacity": 0.95},
    "planned": {"label": "Planned", "weight": 3.5, "opacity": 0.9},
    "feasibility": {"label": "Feasibility study", "weight": 3.5, "opacity": 0.9},
    "proposed": {"label": "Proposed", "weight": 3.0, "opacity": 0.85},
    "concept": {"label": "Concept", "weight": 3.0, "opacity": 0.85},
    "shelved": {"label": "Shelved", "weight": 2.5, "opacity": 0.55},
}

#: Marker styles for points: place kinds drawn larger, and computed border crossings.
PLACE_STYLE: dict[str, dict[str, Any]] = {
    "capital": {"label": "Capital", "radius": 5.0, "fill": "#222222"},
    "place": {"label": "Place on a route", "radius": 3.5, "fill": "#ffffff"},
    "crossing": {"label": "Border crossing of a route", "radius": 6.0, "fill": "#1a1a1a"},
}
