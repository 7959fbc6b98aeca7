"""
Set every official length beside the measured one, and flag the implausible pairs.

A route drawn through its via-points is a lower bound of the built one: the real
line bends between the points. So an official figure should be somewhat *longer*
than the measured km, by a factor that depends on the mode (:data:`MAX_RATIO`). A
measured route longer than the official figure, or an official figure far above
what the mode plausibly adds, is flagged with the reason in plain words.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from corridors.data.atlas import Atlas
from corridors.data.memo import per_build
from corridors.measure.geodesic import distance_m
from corridors.measure.lengths import chainage, country_split, segment_lengths

__all__ = ["MAX_RATIO", "TOLERANCE", "stated_vs_measured"]

#: The largest plausible official / measured ratio per mode: how much longer a
#: built line may be than the geodesics between its via-points.
MAX_RATIO = {
    "gas_pipeline": 1.35,
    "power_line": 1.35,
    "fibre": 1.35,
    "railway": 1.6,
    "road": 1.9,
    "ferry": 1.3,
}
#: Measured may exceed official by this share before it is flagged (rounding, "about").
TOLERANCE = 0.02

_MODE_WORDS = {
    "gas_pipeline": "gas pipeline",
    "power_line": "power line",
    "fibre": "fibre cable",
    "railway": "railway",
    "road": "road through mountains",
    "ferry": "ferry route",
}


def _scope(entry: dict[str, Any]) -> str:
    if entry.get("from_place"):
        return "between"
    if entry.get("country"):
        return "country"
    if entry.get("segments"):
        return "segments"
    return "total"


def _between(
    chain: pd.DataFrame, cid: str, entry: dict[str, Any]
) -> tuple[float | None, list[str], str]:
    """Km between two places along one segment or the corridor's continuous main route."""
    places = (entry["from_place"], entry["to_place"])
    mine = chain[chain["corridor_id"] == cid]
    for segment_id, rows in mine.groupby("segment_id", sort=False):
        at = rows.set_index("place_id")["km_from_start"]
        if all(p in at.index for p in places):
            return abs(float(at[places[1]] - at[places[0]])), [str(segment_id)], ""
    main = mine.dropna(subset=["corridor_km"]).drop_duplicates("place_id")
    at = main.set_index("place_id")["corridor_km"]
    if all(p in at.index for p in places):
        km = abs(float(at[places[1]] - at[places[0]]))
        lo, hi = sorted(float(at[p]) for p in places)
        used = main[(main["corridor_km"] >= lo) & (main["corridor_km"] <= hi)]["segment_id"]
        return km, list(dict.fromkeys(used)), ""
    return None, [], f"{places[0]} and {places[1]} are not on one continuous drawn route"


def _verdict(official: dict[str, Any], measured: float | None, mode: str) -> tuple[bool, str]:
    """Return (flag, reason) for one official figure beside the measured km."""
    if measured is None or not measured > 0:
        return True, "could not be measured"
    low, high = official["km"], official.get("km_max") or official["km"]
    qualifier = official["qualifier"]
    limit = MAX_RATIO.get(mode, 1.5)
    words = _MODE_WORDS.get(mode, mode)
    if measured > high * (1 + TOLERANCE) and qualifier not in {"over", "at_least"}:
        return True, (
            f"measured {measured:,.0f} km is longer than the official {high:,g} km; a line "
            "drawn through via-points should be shorter than the built one, so a via-point "
            "may be off the route or the figure may cover less of it"
        )
    ratio = low / measured
    if ratio > limit and qualifier != "up_to":
        return True, (
            f"official {low:,g} km is {ratio:.2f}× the measured {measured:,.0f} km, more "
            f"than the {limit:g}× a {words} plausibly adds; the figure may cover more than "
            "the drawn segments, or the drawing misses a detour"
        )
    return False, f"plausible for a {words} (official within 1–{limit:g}× the measured route)"


def _straight_km(atlas: Atlas, segment_ids: list[str], between: tuple[str, str] | None) -> float:
    """Geodesic km between the ends of a measured stretch (endpoints or the two places)."""
    if between:
        points = atlas.places.set_index("id").geometry
        a, b = points[between[0]], points[between[1]]
    else:
        lines = atlas.segments.set_index("segment_id").geometry
        first, last = lines[segment_ids[0]], lines[segment_ids[-1]]
        a = _end(first, 0)
        b = _end(last, -1)
    return float(distance_m(a.x, a.y, b.x, b.y)[0]) / 1000


def _end(line: Any, index: int) -> Any:
    return shapely.get_point(shapely.get_parts(line)[index], index)


@per_build
def stated_vs_measured(atlas: Atlas) -> pd.DataFrame:
    """
    Return one row per official length in the catalog, beside the measured km.

    Columns: corridor_id, scope (``total``, ``country``, ``segments`` or
    ``between``), iso3, segments (ids measured), official_km, official_km_max,
    qualifier, official_source, measured_km, ratio (official / measured),
    straight_line_km (geodesic between the measured stretch's ends; empty for a
    country figure, which has no single pair of ends), detour_index (measured /
    straight line), flag and reason.

    A ``total`` is measured on the main route; a ``country`` figure on the main
    route's km in that country (or the named segments' km in it); a ``between``
    figure along the segment, or the continuous main route, holding both places.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> table = stated_vs_measured(load_atlas())
    >>> row = table[table.segments.map(lambda s: s == ["tapi_afg_herat"])].iloc[0]
    >>> round(row.official_km), round(row.measured_km, 1), bool(row.flag)
    (153, 104.2, True)
    >>> print(row.reason)
    official 153 km is 1.47× the measured 104 km, more than the 1.35× a gas pipeline plausibly adds; the figure may cover more than the drawn segments, or the drawing misses a detour
    """
    lengths = segment_lengths(atlas)
    split = country_split(atlas.segments, atlas.boundaries)
    chain = chainage(atlas)
    km_of = lengths.set_index("segment_id")["length_km"]
    mode_of = lengths.set_index("segment_id")["mode"]
    rows = []
    for cid, corridor in atlas.catalog.items():
        main = list(
            lengths[(lengths["corridor_id"] == cid) & (lengths["role"] == "main")]["segment_id"]
        )
        for entry in corridor["official_lengths"]:
            scope = _scope(entry)
            ids = list(entry.get("segments") or main)
            reason = ""
            between = None
            if scope == "between":
                between = (entry["from_place"], entry["to_place"])
                measured, ids, reason = _between(chain, cid, entry)
            elif entry.get("country"):
                mine = split[split["segment_id"].isin(ids) & (split["iso3"] == entry["country"])]
                measured = float(mine["length_km"].sum())
            else:
                measured = float(km_of[ids].sum())
            mode = str(mode_of[max(ids, key=lambda s: km_of[s])]) if ids else corridor["modes"][0]
            flag, verdict = _verdict(entry, measured, mode)
            straight = _straight_km(atlas, ids, between) if ids and scope != "country" else None
            rows.append(
                {
                    "corridor_id": cid,
                    "scope": scope,
                    "iso3": entry.get("country"),
                    "segments": ids,
                    "official_km": float(entry["km"]),
                    "official_km_max": float(entry["km_max"]) if entry.get("km_max") else None,
                    "qualifier": entry["qualifier"],
                    "official_source": ", ".join(entry["sources"]),
                    "measured_km": measured,
                    "ratio": entry["km"] / measured if measured else None,
                    "straight_line_km": straight,
                    "detour_index": measured / straight if measured and straight else None,
                    "flag": flag,
                    "reason": reason or verdict,
                }
            )
    return pd.DataFrame(rows).replace({np.nan: None})
