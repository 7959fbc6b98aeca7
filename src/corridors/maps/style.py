"""
The maps' style table: it styles the lines and it writes the legend.

Colour shows the mode, the dash pattern shows how well the route is known
(approximate and schematic routes are dashed so that uncertainty stays visible),
and line width and opacity show how far the project has got. The page's script
(``CorridorsMap.lineStyle`` in ``maps/static/core.js``) styles every line from
this table, written into the page as JSON, and the legend is made from the same
table here, so the two cannot disagree. The tables themselves are
:mod:`corridors.data.style`, which the print figures use too.
"""

from __future__ import annotations

from typing import Any

from corridors.data.style import ACCURACY_STYLE, MODE_STYLE, PLACE_STYLE, STATUS_STYLE

__all__ = ["legend", "style_table"]

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
