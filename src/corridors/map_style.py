"""
One style table for the maps: it styles the lines and it writes the legend.

Colour shows the mode, the dash pattern shows how well the route is known
(approximate and schematic routes are dashed so that uncertainty stays visible),
and line width and opacity show how far the project has got. The page's script
(``CorridorsMap.lineStyle`` in ``map_static/core.js``) styles every line from
this table, written into the page as JSON, and the legend is made from the same
table here, so the two cannot disagree.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ACCURACY_STYLE",
    "MODE_STYLE",
    "PLACE_STYLE",
    "STATUS_STYLE",
    "legend",
    "style_table",
]

#: Mode → label and colour (Okabe–Ito palette, distinguishable with colour-vision deficiency).
MODE_STYLE: dict[str, dict[str, str]] = {
    "gas_pipeline": {"label": "Gas pipeline", "color": "#D55E00"},
    "power_line": {"label": "Power line", "color": "#E69F00"},
    "railway": {"label": "Railway", "color": "#0072B2"},
    "road": {"label": "Road", "color": "#009E73"},
    "fibre": {"label": "Fibre-optic cable", "color": "#CC79A7"},
    "ferry": {"label": "Ferry", "color": "#56B4E9"},
}

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

_HIT_WEIGHT = 16.0


def style_table() -> dict[str, Any]:
    """
    Return every style table as one JSON-ready mapping, for the page's script.

    Examples
    --------
    >>> sorted(style_table())
    ['accuracy', 'hit_weight', 'mode', 'place', 'status']
    """
    return {
        "mode": MODE_STYLE,
        "accuracy": ACCURACY_STYLE,
        "status": STATUS_STYLE,
        "place": PLACE_STYLE,
        "hit_weight": _HIT_WEIGHT,
    }


def _merged(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join entries whose swatches would look the same into one, labels joined by ' or '."""
    merged: dict[str, dict[str, Any]] = {}
    for entry in entries:
        look = repr(sorted((k, v) for k, v in entry.items() if k != "label"))
        if look in merged:
            merged[look]["label"] += f" or {entry['label'].lower()}"
        else:
            merged[look] = dict(entry)
    return list(merged.values())


def legend(
    modes: list[str], statuses: list[str], accuracies: list[str], points: list[str]
) -> list[dict[str, Any]]:
    """
    Return the legend's sections for what a map actually shows, in table order.

    Each entry carries the label and the style of its swatch, taken from the
    same tables that style the lines; statuses drawn alike share one entry.

    Examples
    --------
    >>> sections = legend(["road", "railway"], ["operating", "completed"], ["schematic"], ["place"])
    >>> [s["title"] for s in sections]
    ['Mode', 'Route accuracy', 'Status', 'Points']
    >>> [e["label"] for e in sections[0]["entries"]], sections[2]["entries"][0]["label"]
    (['Railway', 'Road'], 'Operating or completed')
    """
    neutral = "#444444"
    mode_entries = [
        {"kind": "line", "label": style["label"], "color": style["color"], "weight": 5.0}
        for mode, style in MODE_STYLE.items()
        if mode in modes
    ]
    accuracy_entries = [
        {"kind": "line", "label": s["label"], "color": neutral, "weight": 3.5, "dash": s["dash"]}
        for name, s in ACCURACY_STYLE.items()
        if name in accuracies
    ]
    status_entries = [
        {
            "kind": "line",
            "label": s["label"],
            "color": neutral,
            "weight": s["weight"],
            "opacity": s["opacity"],
        }
        for name, s in STATUS_STYLE.items()
        if name in statuses
    ]
    point_entries = [{"kind": name, **PLACE_STYLE[name]} for name in PLACE_STYLE if name in points]
    return [
        {"title": "Mode", "entries": mode_entries},
        {"title": "Route accuracy", "entries": accuracy_entries},
        {"title": "Status", "entries": _merged(status_entries)},
        {"title": "Points", "entries": point_entries},
    ]
