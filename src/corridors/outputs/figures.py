"""
Print-quality static maps of the corridors, drawn with matplotlib (no tiles, no network).

Maps use an equirectangular projection whose aspect is true to shape at the
map's centre latitude on the WGS 84 ellipsoid, so north is up everywhere and
the scale bar, computed from the ellipsoid's radius of the parallel it sits on,
is exact along that parallel. Colour shows the mode, the dash pattern the
status, the line width the role. Output bytes are reproducible: PNG without the
software tag, SVG with a fixed hash salt and no date.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pyproj
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from corridors.bilateral.tables import Bilateral
from corridors.data.atlas import Atlas
from corridors.data.style import MODE_STYLE
from corridors.errors import CorridorDataError
from corridors.outputs.formats import FIGURE_FORMATS

__all__ = [
    "FIGURE_FORMATS",
    "MODE_COLOURS",
    "STATUS_DASHES",
    "corridor_figure",
    "figure_bytes",
    "figure_files",
    "km_per_degree_lon",
    "nice_scale_km",
    "produce_figures",
]

log = logging.getLogger(__name__)


#: Line colour of each mode: the interactive maps' style table (Okabe–Ito palette).
MODE_COLOURS = {mode: style["color"] for mode, style in MODE_STYLE.items()}

#: Status groups, their legend label and dash pattern (None: solid).
STATUS_DASHES: dict[str, tuple[str, Any]] = {
    "operating": ("existing (operating, completed)", None),
    "completed": ("existing (operating, completed)", None),
    "under_construction": ("under construction", (0, (7, 2.5))),
    "planned": ("planned, proposed, feasibility, concept", (0, (2.5, 2))),
    "proposed": ("planned, proposed, feasibility, concept", (0, (2.5, 2))),
    "feasibility": ("planned, proposed, feasibility, concept", (0, (2.5, 2))),
    "concept": ("planned, proposed, feasibility, concept", (0, (2.5, 2))),
    "shelved": ("shelved", (0, (0.8, 1.8))),
}

_WIDTH = {"main": 2.6, "parallel": 1.2, "alternative": 1.3}
_ZORDER = {"alternative": 4, "main": 5, "parallel": 5.5}  # a parallel line shows on its main
_GEOD = pyproj.Geod(ellps="WGS84")
_LAND, _EDGE, _TEXT = "#f3f0ea", "#b5aea4", "#3a3a3a"
_DPI = 200
_SIZE = (11.0, 8.5)
_AXES = (0.065, 0.115, 0.91, 0.805)


def km_per_degree_lon(lat: float) -> float:
    """
    Return the length of one degree of longitude along the parallel at `lat`, in km.

    Uses the radius of the parallel on the WGS 84 ellipsoid, N(φ)·cos φ.

    Examples
    --------
    >>> round(km_per_degree_lon(0), 3)
    111.319
    >>> round(km_per_degree_lon(60), 3)
    55.8
    """
    a, es = _GEOD.a, _GEOD.es
    phi = math.radians(lat)
    n = a / math.sqrt(1 - es * math.sin(phi) ** 2)
    return n * math.cos(phi) * math.pi / 180 / 1000


def _km_per_degree_lat(lat: float) -> float:
    a, es = _GEOD.a, _GEOD.es
    phi = math.radians(lat)
    m = a * (1 - es) / (1 - es * math.sin(phi) ** 2) ** 1.5
    return m * math.pi / 180 / 1000


def nice_scale_km(width_km: float) -> int:
    """
    Return a round scale-bar length of at most a quarter of `width_km`.

    Examples
    --------
    >>> nice_scale_km(3000), nice_scale_km(900), nice_scale_km(150)
    (500, 200, 25)
    """
    steps = (10, 25, 50, 100, 200, 250, 500, 1000, 2000)
    return max([s for s in steps if s <= width_km / 4] or [steps[0]])


def _extent(bounds: Sequence[float], margin: float) -> tuple[float, float, float, float]:
    """Pad `bounds`, then widen them to fill the map frame at a true-to-shape aspect."""
    xmin, ymin, xmax, ymax = bounds
    pad = max(xmax - xmin, ymax - ymin) * margin + 0.3
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    aspect = _aspect((ymin + ymax) / 2)
    frame = (_AXES[3] * _SIZE[1]) / (_AXES[2] * _SIZE[0])
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    dx, dy = xmax - xmin, ymax - ymin
    if dy * aspect / dx < frame:
        dy = dx * frame / aspect
    else:
        dx = dy * aspect / frame
    return cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2


def _aspect(lat: float) -> float:
    """Screen length of a degree of latitude over that of a degree of longitude at `lat`."""
    return _km_per_degree_lat(lat) / km_per_degree_lon(lat)


def _draw_boundaries(ax: Any, boundaries: gpd.GeoDataFrame, extent: Sequence[float]) -> None:
    frame = shapely.box(*extent)
    shown = boundaries[boundaries.intersects(frame)]
    shown.plot(ax=ax, color=_LAND, edgecolor=_EDGE, linewidth=0.5, zorder=1, aspect=None)
    disputed = shown[shown["disputed"]]
    if not disputed.empty:
        disputed.plot(
            ax=ax, facecolor="none", edgecolor=_EDGE, hatch="////", lw=0, zorder=1, aspect=None
        )
    width = extent[2] - extent[0]
    for _, row in shown.iterrows():
        part = row.geometry.intersection(frame)
        if part.is_empty or part.area < width * width * 0.004:
            continue
        point = part.representative_point()
        ax.annotate(
            row["name"].upper(),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=7,
            color="#8c857b",
            style="italic",
            zorder=2,
            annotation_clip=True,
        )


def _segment_style(row: Any, faint: bool) -> tuple[Any, ...]:
    """Colour, width, dashes, alpha and z-order of one segment's line."""
    return (
        MODE_COLOURS[row.mode],
        1.0 if faint else _WIDTH[row.role],
        STATUS_DASHES[row.status][1] or "-",
        0.3 if faint else (0.75 if row.role == "alternative" else 1.0),
        3 if faint else _ZORDER[row.role],
    )


def _draw_segments(ax: Any, segments: gpd.GeoDataFrame, *, faint: bool = False) -> None:
    """
    Draw the segments in file order, one line per run of segments styled alike.

    A run's segments become one ``plot`` call with NaN breaks between their parts, so
    drawing time grows with the vertices (which Matplotlib simplifies to the pixel), not
    with a Python call and a path per segment; the painter's order stays file order.
    """
    rows = list(segments[["mode", "role", "status", "geometry"]].itertuples(index=False))
    styles = [_segment_style(row, faint) for row in rows]
    start = 0
    for end in range(1, len(rows) + 1):
        if end < len(rows) and styles[end] == styles[start]:
            continue
        colour, width, dashes, alpha, zorder = styles[start]
        parts = shapely.get_parts([row.geometry for row in rows[start:end]])
        coords, index = shapely.get_coordinates(parts, return_index=True)
        breaks = np.flatnonzero(np.diff(index)) + 1  # where the next part starts
        xy = np.insert(coords, breaks, np.nan, axis=0)
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            color=colour,
            linewidth=width,
            linestyle=dashes,
            alpha=alpha,
            solid_capstyle="round",
            zorder=zorder,
        )
        start = end


_LABEL_SPOTS = (
    (3, 2, "left"),
    (3, -8, "left"),
    (-3, 2, "right"),
    (-3, -8, "right"),
    (3, 9, "left"),
    (-3, -15, "right"),
)


def _label_box(x: float, y: float, spot: tuple[int, int, str], text: str, size: float) -> Any:
    """Approximate box of a label in display points, for avoiding overlaps."""
    dx, dy, align = spot
    width, height = len(text) * size * 0.56, size
    left = x + dx if align == "left" else x + dx - width
    return shapely.box(left, y + dy, left + width, y + dy + height)


def _draw_places(ax: Any, places: gpd.GeoDataFrame, *, fontsize: float) -> None:
    """Mark the places; put each label on the first side that does not overlap another."""
    ax.scatter(
        places.geometry.x,
        places.geometry.y,
        s=9,
        color="white",
        edgecolor=_TEXT,
        linewidth=0.7,
        zorder=6,
    )
    to_points = ax.transData + mpl.transforms.Affine2D().scale(72 / ax.figure.dpi)
    taken: list[Any] = []
    for _, place in places.sort_values("name").iterrows():
        x, y = to_points.transform((place.geometry.x, place.geometry.y))
        boxes = [(spot, _label_box(x, y, spot, place["name"], fontsize)) for spot in _LABEL_SPOTS]
        spot, box = next(
            ((s, b) for s, b in boxes if not any(b.intersects(t) for t in taken)), boxes[0]
        )
        taken.append(box)
        ax.annotate(
            place["name"],
            (place.geometry.x, place.geometry.y),
            xytext=spot[:2],
            textcoords="offset points",
            ha=spot[2],
            fontsize=fontsize,
            color=_TEXT,
            zorder=7,
            annotation_clip=True,
        )


def _draw_scale_bar(ax: Any, extent: Sequence[float]) -> None:
    xmin, ymin, xmax, ymax = extent
    lat = ymin + (ymax - ymin) * 0.05
    per_degree = km_per_degree_lon(lat)
    length_km = nice_scale_km((xmax - xmin) * per_degree)
    x0 = xmin + (xmax - xmin) * 0.04
    span = length_km / per_degree
    half = span / 2
    for i, colour in enumerate((_TEXT, "white")):
        ax.add_patch(
            mpl.patches.Rectangle(
                (x0 + i * half, lat),
                half,
                (ymax - ymin) * 0.008,
                facecolor=colour,
                edgecolor=_TEXT,
                lw=0.6,
                zorder=8,
            )
        )
    for x, label in ((x0, "0"), (x0 + half, f"{length_km / 2:g}"), (x0 + span, f"{length_km} km")):
        ax.text(
            x,
            lat + (ymax - ymin) * 0.014,
            label,
            ha="center",
            va="bottom",
            fontsize=6.5,
            color=_TEXT,
            zorder=8,
        )
    ax.text(
        x0,
        lat - (ymax - ymin) * 0.006,
        f"scale true along {abs(lat):.1f}° {'N' if lat >= 0 else 'S'}",
        ha="left",
        va="top",
        fontsize=5.5,
        color="#6b6b6b",
        zorder=8,
    )


def _draw_north_arrow(ax: Any) -> None:
    ax.annotate(
        "",
        xy=(0.955, 0.95),
        xytext=(0.955, 0.87),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": _TEXT, "lw": 1.4},
        zorder=9,
    )
    ax.text(
        0.955,
        0.955,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        color=_TEXT,
        zorder=9,
    )


def _legend(ax: Any, segments: gpd.GeoDataFrame, *, faint: bool) -> None:
    modes = [m for m in MODE_COLOURS if m in set(segments["mode"])]
    handles = [
        Line2D([], [], color=MODE_COLOURS[m], lw=2.6, label=m.replace("_", " ")) for m in modes
    ]
    seen: dict[str, Any] = {}
    for status in STATUS_DASHES:
        if status in set(segments["status"]):
            label, dashes = STATUS_DASHES[status]
            seen.setdefault(label, dashes)
    handles += [
        Line2D([], [], color=_TEXT, lw=1.8, ls=d or "-", label=label) for label, d in seen.items()
    ]
    roles = [r for r in ("alternative", "parallel") if r in set(segments["role"])]
    if roles:
        label = f"thin: {' or '.join(roles)} route"
        handles.append(Line2D([], [], color=_TEXT, lw=_WIDTH["alternative"], label=label))
    if faint:
        handles.append(Line2D([], [], color="#888888", lw=1.0, alpha=0.5, label="other corridors"))
    legend = ax.legend(
        handles=handles,
        loc="lower right",
        fontsize=6.5,
        frameon=True,
        framealpha=0.92,
        edgecolor="#cccccc",
        handlelength=3.2,
        borderpad=0.7,
    )
    legend.set_zorder(10)


def _note(fig: Figure, atlas: Atlas, segments: gpd.GeoDataFrame, lat0: float) -> None:
    keys = sorted({key for keys in segments["sources"] for key in keys})
    accuracy = ", ".join(sorted(set(segments["route_accuracy"])))
    text = (
        f"Method: lines join sourced waypoints ({accuracy}); they are not survey alignments. "
        f"Equirectangular projection, true to shape at {lat0:.1f}° N on the WGS 84 ellipsoid. "
        "Boundaries: Natural Earth 1:10m, for orientation only. "
        f"Sources (keys in geodata/sources.csv): {', '.join(keys)}."
    )
    fig.text(
        _AXES[0],
        0.015,
        "\n".join(textwrap.wrap(text, 190)),
        fontsize=5.5,
        color="#555555",
        ha="left",
        va="bottom",
    )


def corridor_figure(atlas: Atlas, corridor_id: str | None = None) -> Figure:
    """
    Draw the region with every corridor, or one corridor zoomed with the others faint.

    Parameters
    ----------
    atlas
        From :func:`corridors.data.atlas.load_atlas`.
    corridor_id
        A corridor id in the catalog; None draws the whole atlas.

    Returns
    -------
    figure
        A matplotlib Figure not attached to pyplot; save it with :func:`figure_bytes`.
    """
    segments = atlas.segments
    if corridor_id is not None and corridor_id not in set(segments["corridor_id"]):
        raise CorridorDataError(
            f"unknown corridor {corridor_id!r} — use one of {', '.join(atlas.catalog)}."
        )
    chosen = segments if corridor_id is None else segments[segments["corridor_id"] == corridor_id]
    extent = _extent(chosen.total_bounds, 0.06 if corridor_id is None else 0.12)
    lat0 = (extent[1] + extent[3]) / 2
    fig = Figure(figsize=_SIZE, dpi=_DPI)
    ax = fig.add_axes(_AXES)
    ax.set_facecolor("white")
    _draw_boundaries(ax, atlas.boundaries, extent)
    if corridor_id is not None:
        _draw_segments(ax, segments[segments["corridor_id"] != corridor_id], faint=True)
    _draw_segments(ax, chosen)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect(_aspect(lat0), adjustable="box")
    ax.apply_aspect()
    waypoints = {p for ids in chosen["waypoints"] for p in ids}
    places = atlas.places[atlas.places["id"].isin(waypoints)]
    if corridor_id is None:
        places = places[places["kind"] == "capital"]
    _draw_places(ax, places, fontsize=6.5 if corridor_id is None else 6)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=6.5, colors="#6b6b6b")
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}°E"))
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}°N"))
    ax.grid(color="#dddddd", lw=0.4, zorder=0)
    _draw_scale_bar(ax, extent)
    _draw_north_arrow(ax)
    _legend(ax, chosen, faint=corridor_id is not None)
    _title(fig, atlas, corridor_id)
    _note(fig, atlas, chosen, lat0)
    return fig


def _title(fig: Figure, atlas: Atlas, corridor_id: str | None) -> None:
    if corridor_id is None:
        title = "Corridors between Pakistan, Central Asia and the Caucasus"
        subtitle = ", ".join(facts["name"] for facts in atlas.catalog.values())
    else:
        facts = atlas.catalog[corridor_id]
        title = facts["name"]
        subtitle = f"{facts['long_name']} — status: {facts['status'].replace('_', ' ')}"
    fig.text(_AXES[0], 0.965, title, fontsize=14, fontweight="bold", color=_TEXT, va="bottom")
    fig.text(
        _AXES[0], 0.94, textwrap.shorten(subtitle, 170), fontsize=8, color="#555555", va="bottom"
    )


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    r"""
    Render `fig` as PNG or SVG bytes that are identical on every run.

    Examples
    --------
    >>> fig = Figure(figsize=(1, 1))
    >>> figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    True
    >>> figure_bytes(fig, "png")[:4]
    b'\x89PNG'
    """
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; use png or svg")
    out = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "corridors", "svg.fonttype": "path"}):
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None})
        else:
            fig.savefig(out, format="png", dpi=_DPI, metadata={"Software": None})
    return out.getvalue()


def figure_files(
    atlas: Atlas, *, corridor_ids: Iterable[str] | None = None, fmt: str = "png"
) -> dict[str, bytes]:
    """
    Draw the atlas map (``atlas.<fmt>``) and one map per corridor (``<id>.<fmt>``).

    With `corridor_ids`, only those corridors' maps are drawn, without the atlas map.
    """
    ids = list(atlas.catalog) if corridor_ids is None else list(corridor_ids)
    names: list[str | None] = [None, *ids] if corridor_ids is None else list(ids)
    files = {}
    for step, cid in enumerate(names, 1):
        log.info("figure %d/%d: %s", step, len(names), cid or "atlas")
        files[f"{cid or 'atlas'}.{fmt}"] = figure_bytes(corridor_figure(atlas, cid), fmt)
    return files


def produce_figures(
    atlas: Atlas, bilateral: Bilateral, options: Mapping[str, Any]
) -> Iterable[tuple[str, bytes]]:
    """Build producer: ``figures/atlas.png`` and ``figures/<id>.png`` for every corridor."""
    files = figure_files(atlas)
    return [(f"figures/{name}", data) for name, data in files.items()]
