"""
Length records for people and scripts, and the ``lengths`` report a build writes.

The record builders here feed both ``corridors lengths`` / ``corridors crossings``
and the build producer :func:`lengths_report`, so the command line and the report
always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from corridors.bilateral.tables import Bilateral
from corridors.data.atlas import Atlas
from corridors.data.placement import undeclared_countries
from corridors.errors import CorridorDataError
from corridors.measure.lengths import (
    corridor_lengths,
    country_split,
    crossings,
    geodesic_length_m,
    segment_lengths,
)
from corridors.measure.stated import stated_vs_measured
from corridors.outputs.tables import render

__all__ = [
    "CORRIDOR_COLUMNS",
    "COUNTRY_COLUMNS",
    "CROSSING_COLUMNS",
    "FILE_COUNTRY_COLUMNS",
    "FILE_CROSSING_COLUMNS",
    "FILE_SEGMENT_COLUMNS",
    "SEGMENT_COLUMNS",
    "boundary_sets",
    "corridor_records",
    "country_records",
    "crossing_records",
    "file_country_records",
    "file_crossing_records",
    "file_segment_records",
    "lengths_report",
    "segment_records",
]

#: Columns the text, Markdown and CSV formats show; JSON keeps every key.
CORRIDOR_COLUMNS = [
    "corridor_id",
    "mode",
    "status",
    "length_km",
    "official_length_km",
    "ratio",
    "official_source",
]
SEGMENT_COLUMNS = [
    "corridor_id",
    "segment_id",
    "mode",
    "status",
    "role",
    "length_km",
    "official_length_km",
    "official_source",
]
COUNTRY_COLUMNS = [
    "corridor_id",
    "segment_id",
    "iso3",
    "length_km",
    "official_length_km",
    "official_source",
]
CROSSING_COLUMNS = [
    "corridor_id",
    "segment_id",
    "from_iso3",
    "to_iso3",
    "km_from_start",
    "lon",
    "lat",
]


def _km(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 3)


def _ratio(official: Any, measured: Any) -> float | None:
    if official is None or pd.isna(official) or not measured:
        return None
    return round(float(official) / float(measured), 3)


def _check_corridor(atlas: Atlas, corridor: str | None) -> None:
    if corridor is not None and corridor not in atlas.catalog:
        raise CorridorDataError(
            f"unknown corridor {corridor!r} — use one of {', '.join(atlas.catalog)}."
        )


def corridor_records(atlas: Atlas, corridor: str | None = None) -> list[dict[str, Any]]:
    """
    Return one record per corridor: its main route beside its first official total.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> record = corridor_records(load_atlas(), "uap_railway")[0]
    >>> record["length_km"], record["official_length_km"], record["official_source"]
    (563.441, 647.0, 'TASS-2025')
    """
    _check_corridor(atlas, corridor)
    table = corridor_lengths(atlas)
    records = []
    for row in table.itertuples(index=False):
        if corridor not in (None, row.corridor_id):
            continue
        records.append(
            {
                "corridor_id": row.corridor_id,
                "name": row.name,
                "mode": row.modes,
                "status": row.status,
                "length_km": _km(row.length_km),
                "parallel_km": _km(row.parallel_km),
                "alternative_km": _km(row.alternative_km),
                "segments": row.segments,
                "official_length_km": _km(row.official_km),
                "official_source": row.official_source or None,
                "ratio": _ratio(row.official_km, row.length_km),
                "official_figures": row.official_figures or None,
            }
        )
    return records


def _official(entries: Sequence[dict[str, Any]]) -> tuple[float | None, str | None]:
    if not entries:
        return None, None
    return float(entries[0]["km"]), ", ".join(entries[0]["sources"])


def segment_records(atlas: Atlas, corridor: str | None = None) -> list[dict[str, Any]]:
    """
    Return one record per shipped segment, with the official figure for that segment alone.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> record = segment_records(load_atlas(), "uap_railway")[1]
    >>> record["segment_id"], record["length_km"], record["official_length_km"]
    ('uap_hairatan_naibabad', 62.61, 75.0)
    """
    _check_corridor(atlas, corridor)
    records = []
    for row in segment_lengths(atlas).itertuples(index=False):
        if corridor not in (None, row.corridor_id):
            continue
        entries = [
            e
            for e in atlas.catalog[str(row.corridor_id)]["official_lengths"]
            if e["segments"] == [row.segment_id] and not e["country"]
        ]
        official, source = _official(entries)
        records.append(
            {
                "corridor_id": row.corridor_id,
                "segment_id": row.segment_id,
                "name": row.name,
                "mode": row.mode,
                "status": row.status,
                "role": row.role,
                "length_km": _km(row.length_km),
                "official_length_km": official,
                "official_source": source,
                "ratio": _ratio(official, row.length_km),
            }
        )
    return records


def country_records(atlas: Atlas, corridor: str | None = None) -> list[dict[str, Any]]:
    """
    Return the km of each corridor's main route in each country, sea and disputed area.

    The official figure beside each is the catalog's first figure for that
    country that covers every main segment reaching into it (a figure for one
    segment's km in a country is not set beside the whole route's km there).

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> [(r["iso3"], r["length_km"]) for r in country_records(load_atlas(), "uap_railway")]
    [('UZB', 9.429), ('AFG', 553.51), ('PAK', 0.502)]
    """
    _check_corridor(atlas, corridor)
    segments = atlas.segments[atlas.segments["role"] == "main"]
    if corridor is not None:
        segments = segments[segments["corridor_id"] == corridor]
    split = country_split(segments, atlas.boundaries)
    totals = split.groupby(["corridor_id", "iso3"], sort=False)["length_km"].sum()
    records = []
    for key, km in totals.items():
        cid, iso3 = str(key[0]), str(key[1])  # type: ignore[index]
        there = set(split[(split["corridor_id"] == cid) & (split["iso3"] == iso3)]["segment_id"])
        entries = [
            e
            for e in atlas.catalog[cid]["official_lengths"]
            if e["country"] == iso3 and not e["from_place"] and there <= set(e["segments"] or there)
        ]
        official, source = _official(entries)
        corridor_facts = atlas.catalog[cid]
        records.append(
            {
                "corridor_id": cid,
                "segment_id": None,
                "name": corridor_facts["name"],
                "mode": ", ".join(corridor_facts["modes"]),
                "status": corridor_facts["status"],
                "iso3": iso3,
                "length_km": _km(km),
                "official_length_km": official,
                "official_source": source,
                "ratio": _ratio(official, km),
            }
        )
    return records


#: Columns of the records of a user's line files (``corridors lengths FILE``).
FILE_COLUMNS = ["source_file", "layer", "segment_id", "corridor_id", "name", "mode", "status"]
FILE_SEGMENT_COLUMNS = [*FILE_COLUMNS[:3], "name", "length_km"]
FILE_COUNTRY_COLUMNS = [*FILE_COLUMNS[:3], "iso3", "length_km", "boundaries"]
FILE_CROSSING_COLUMNS = [*FILE_COLUMNS[:3], "from_iso3", "to_iso3", "km_from_start", "lon", "lat"]


def _file_columns(lines: gpd.GeoDataFrame, columns: Sequence[str] = FILE_COLUMNS) -> pd.DataFrame:
    """Return the identifying columns of users' lines (from ``read_user_lines``), in order."""

    def column(name: str) -> Any:
        if name not in lines:
            return np.full(len(lines), None, dtype=object)
        values = lines[name].to_numpy(dtype=object)
        return np.where(pd.isna(values), None, values)

    return pd.DataFrame({name: column(name) for name in columns})


def _kept(ids: pd.DataFrame, corridor: str | None) -> np.ndarray:
    """Return the positions of the rows to report: all, or those of one ``corridor_id``."""
    if corridor is None:
        return np.arange(len(ids))
    return np.flatnonzero(ids["corridor_id"] == corridor)


def file_segment_table(
    lines: gpd.GeoDataFrame, corridor: str | None = None, *, columns: Sequence[str] = FILE_COLUMNS
) -> pd.DataFrame:
    """Return one row per feature of users' line files, in input order, km unrounded."""
    table = _file_columns(lines, columns)
    table["length_km"] = geodesic_length_m(lines.geometry) / 1000
    return table.iloc[_kept(table, corridor)].reset_index(drop=True)


def file_segment_records(
    lines: gpd.GeoDataFrame, corridor: str | None = None
) -> list[dict[str, Any]]:
    """Return one record per feature of users' line files, in input order."""
    table = file_segment_table(lines, corridor)
    table["length_km"] = [_km(v) for v in table["length_km"]]
    return _plain(table)


def _by_position(lines: gpd.GeoDataFrame, keep: np.ndarray) -> gpd.GeoDataFrame:
    """Return the kept lines with their position as ``segment_id``, for the measuring functions."""
    return gpd.GeoDataFrame(
        {"segment_id": keep}, geometry=lines.geometry.values[keep], crs=lines.crs
    )


def file_country_table(
    lines: gpd.GeoDataFrame,
    boundaries: gpd.GeoDataFrame,
    corridor: str | None = None,
    *,
    columns: Sequence[str] = FILE_COLUMNS,
) -> pd.DataFrame:
    """
    Return the km of each feature of users' files in each country, in input order, unrounded.

    `boundaries` may carry a ``boundaries`` column naming the set each polygon comes from
    (see :func:`corridors.data.atlas.measuring_boundaries`); km in no polygon are ``sea``,
    measured by every set together.
    """
    ids = _file_columns(lines, columns)
    split = country_split(_by_position(lines, _kept(ids, corridor)), boundaries)
    rows = ids.iloc[split["segment_id"].to_numpy(dtype=int)].reset_index(drop=True)
    rows["iso3"] = split["iso3"].to_numpy()
    rows["length_km"] = split["length_km"].to_numpy()
    rows["boundaries"] = boundary_sets(boundaries, rows["iso3"].to_numpy())
    return rows


def boundary_sets(boundaries: gpd.GeoDataFrame, iso3: np.ndarray) -> np.ndarray:
    """
    Return, for each area code in `iso3`, the boundary set it was measured by.

    The set is the ``boundaries`` column of the polygon with that code; areas in no
    polygon (``sea``) were measured by every set together (``"a+b"``). None for all
    when `boundaries` has no such column.
    """
    if "boundaries" not in boundaries:
        return np.full(len(iso3), None, dtype=object)
    sets = boundaries["boundaries"]
    owner = dict(zip(boundaries["iso3"], sets, strict=True))
    every = "+".join(dict.fromkeys(sets))
    codes, where = np.unique(np.asarray(iso3, dtype=object), return_inverse=True)
    return np.array([owner.get(code, every) for code in codes], dtype=object)[where]


def file_country_records(
    lines: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame, corridor: str | None = None
) -> list[dict[str, Any]]:
    """Return the km of each feature of users' files in each country; see :func:`file_country_table`."""
    rows = file_country_table(lines, boundaries, corridor)
    rows["length_km"] = [_km(v) for v in rows["length_km"]]
    return _plain(rows)


def file_crossing_records(
    lines: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame, corridor: str | None = None
) -> list[dict[str, Any]]:
    """Return every border crossing of users' lines, with km from the line's start."""
    ids = _file_columns(lines)
    table = crossings(_by_position(lines, _kept(ids, corridor)), boundaries)
    rows = ids.iloc[table["segment_id"].to_numpy(dtype=int)].reset_index(drop=True)
    for column in ("from_iso3", "to_iso3"):
        rows[column] = table[column].to_numpy()
    rows["km_from_start"] = table["km_from_start"].round(3).to_numpy()
    rows["lon"] = table["lon"].round(5).to_numpy()
    rows["lat"] = table["lat"].round(5).to_numpy()
    return _plain(rows)


def _plain(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Return records of plain Python values (None for missing), for every output format."""
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    return [
        {str(k): (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
        for r in records
    ]


def crossing_records(atlas: Atlas, corridor: str | None = None) -> list[dict[str, Any]]:
    """
    Return every border crossing of the shipped segments, with its km from the segment start.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> [(r["from_iso3"], r["to_iso3"], r["km_from_start"]) for r in crossing_records(load_atlas(), "tapi")][:2]
    [('TKM', 'AFG', 11.286), ('AFG', 'PAK', 6.982)]
    """
    _check_corridor(atlas, corridor)
    segments = atlas.segments
    if corridor is not None:
        segments = segments[segments["corridor_id"] == corridor]
    table = crossings(segments, atlas.boundaries)
    table["km_from_start"] = table["km_from_start"].round(3)
    table["lon"] = table["lon"].round(5)
    table["lat"] = table["lat"].round(5)
    return _plain(table)


def _csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """Render CSV with every float at three decimals, so reruns are byte-identical."""
    fixed = [
        {c: f"{v:.3f}" if isinstance(v := record.get(c), float) else v for c in columns}
        for record in records
    ]
    return render(fixed, columns, "csv").encode("utf-8")


def _stated_records(atlas: Atlas) -> list[dict[str, Any]]:
    table = stated_vs_measured(atlas)
    table["segments"] = table["segments"].map(lambda s: "; ".join(s))
    for column in ("measured_km", "ratio", "straight_line_km", "detour_index"):
        table[column] = table[column].map(_km)
    return _plain(table)


STATED_COLUMNS = [
    "corridor_id",
    "scope",
    "iso3",
    "segments",
    "official_km",
    "official_km_max",
    "qualifier",
    "official_source",
    "measured_km",
    "ratio",
    "straight_line_km",
    "detour_index",
    "flag",
    "reason",
]


def _markdown(
    corridors: list[dict[str, Any]],
    countries: list[dict[str, Any]],
    stated: list[dict[str, Any]],
    crossings_: list[dict[str, Any]],
    undeclared: list[dict[str, Any]],
) -> str:
    flagged = [r for r in stated if r["flag"]]
    shown = [
        {
            **r,
            "ratio": f"{r['ratio']:.2f}" if r["ratio"] is not None else None,
            "official_source": r["official_source"] or r["official_figures"],
        }
        for r in corridors
    ]
    stated_shown = [
        {
            **r,
            "ratio": f"{r['ratio']:.2f}" if r["ratio"] is not None else None,
            "flag": "yes" if r["flag"] else "",
        }
        for r in stated
    ]
    parts = [
        "# Corridor lengths\n\n",
        "Measured on the WGS 84 ellipsoid (geodesics through each segment's via-points), "
        "split by country against the Natural Earth 1:10m boundaries. A corridor's length is "
        "its main route: parallel segments (a second mode along it) and alternatives are "
        "listed apart and not added. A drawn route is shorter than the built line, so "
        "official figures are expected to be somewhat longer.\n",
        "\n## Corridors\n\n",
        render(
            shown,
            [*CORRIDOR_COLUMNS[:5], "ratio", "official_source", "parallel_km", "alternative_km"],
            "markdown",
        ),
        "\nEvery official total, with its sources:\n\n",
        *(
            f"- `{r['corridor_id']}`: {r['official_figures']}\n"
            for r in corridors
            if r["official_figures"]
        ),
        "\n## Main route by country\n\n",
        render(
            countries,
            ["corridor_id", "iso3", "length_km", "official_length_km", "official_source"],
            "markdown",
        ),
        f"\n## Stated vs measured\n\n{len(flagged)} of {len(stated)} official figures are flagged.\n\n",
        render(
            stated_shown,
            [
                "corridor_id",
                "scope",
                "iso3",
                "official_km",
                "measured_km",
                "ratio",
                "flag",
                "reason",
                "official_source",
            ],
            "markdown",
        ),
        "\n## Border crossings\n\n",
        render(
            [{**r, "lon": f"{r['lon']:.4f}", "lat": f"{r['lat']:.4f}"} for r in crossings_],
            CROSSING_COLUMNS,
            "markdown",
        ),
        "\n## Drawn lines in countries their segment does not list\n\n",
        "These km are measured and counted above, but the segment's own `countries` do not name "
        "the country: a straight schematic leg cuts a corner the real route goes around (a few "
        "km), or a segment starts at a crossing point drawn on the far side of the border. Read "
        "the per-country km of these segments with that in mind.\n\n",
        render(
            [{**r, "length_km": round(r["length_km"], 1)} for r in undeclared],
            ["corridor_id", "segment_id", "iso3", "length_km", "listed"],
            "markdown",
        )
        if undeclared
        else "None.\n",
    ]
    return "".join(parts)


def lengths_report(
    atlas: Atlas, bilateral: Bilateral, options: Mapping[str, Any]
) -> list[tuple[str, bytes]]:
    """
    Build producer: ``lengths.md`` and the CSV tables behind it.

    Files: ``lengths.md`` (for people), ``lengths.csv`` (one row per segment),
    ``lengths_by_country.csv``, ``crossings.csv``, ``stated_vs_measured.csv``.
    Floats in CSV have three decimals; the text is byte-identical on rerun.
    """
    corridors = corridor_records(atlas)
    countries = country_records(atlas)
    stated = _stated_records(atlas)
    crossings_ = crossing_records(atlas)
    split = country_split(atlas.segments, atlas.boundaries)
    undeclared = _plain(undeclared_countries(atlas.segments, split))
    segment_columns = [*SEGMENT_COLUMNS[:2], "name", *SEGMENT_COLUMNS[2:], "ratio"]
    country_columns = [
        "corridor_id",
        "iso3",
        "length_km",
        "official_length_km",
        "official_source",
        "ratio",
    ]
    return [
        (
            "lengths.md",
            _markdown(corridors, countries, stated, crossings_, undeclared).encode("utf-8"),
        ),
        ("lengths.csv", _csv(segment_records(atlas), segment_columns)),
        ("lengths_by_country.csv", _csv(countries, country_columns)),
        ("crossings.csv", _csv(crossings_, CROSSING_COLUMNS)),
        ("stated_vs_measured.csv", _csv(stated, STATED_COLUMNS)),
    ]
