"""
The facts the map pages show about a corridor, as JSON-ready text and numbers.

Numbers that are measured come from :mod:`corridors.measure.lengths` through a
:class:`Measures` object; published numbers come from ``catalog.json`` with
their sources. Everything here is plain data: the page's script writes it in as
text, so no escaping happens (or is needed) at this stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corridors.data.atlas import Atlas
from corridors.data.countries import country_name
from corridors.data.cpmm import CPMM_DIR, Parameters, read_parameters
from corridors.data.memo import per_build
from corridors.measure.lengths import (
    chainage,
    corridor_lengths,
    country_split,
    crossings,
    segment_lengths,
)
from corridors.measure.stated import stated_vs_measured
from corridors.network.graph import LINKS_FILE, MODE_GROUPS, load_network, segment_route
from corridors.network.travel import estimate_route

__all__ = [
    "Measures",
    "area_name",
    "cited_sources",
    "corridor_facts",
    "corridor_summary",
    "measure_atlas",
    "quantity",
]


@dataclass(frozen=True)
class Measures:
    """
    Everything measured about the atlas that the maps show.

    Attributes
    ----------
    segment_km
        Geodesic length of each segment, by segment id.
    corridor_km
        Length of each corridor's main route, by corridor id.
    country_km
        Rows of corridor_id, segment_id, iso3, length_km.
    crossings
        Rows of corridor_id, segment_id, from_iso3, to_iso3, km_from_start, lon, lat.
    chainage
        Rows of corridor_id, segment_id, place_id, km_from_start.
    stated
        One row per official length in the catalog, in catalog order, with the
        length measured over the same scope in ``measured_km``.
    segment_travel
        For each rail, road and ferry segment, its hours and USD per 20-t load end to end as
        ``[hours low, central, high, USD low, central, high]`` (see :func:`segment_travel`).
    """

    segment_km: dict[str, float]
    corridor_km: dict[str, float]
    country_km: pd.DataFrame
    crossings: pd.DataFrame
    chainage: pd.DataFrame
    stated: pd.DataFrame
    segment_travel: dict[str, list[float]] = field(default_factory=dict)


_AREAS = {"sea": "At sea", "disputed": "Disputed areas"}


def area_name(code: str) -> str:
    """
    Return the name of a country code, or of the ``sea`` and ``disputed`` areas of a split.

    Examples
    --------
    >>> area_name("AFG"), area_name("sea")
    ('Afghanistan', 'At sea')
    """
    return _AREAS.get(code) or country_name(code)


def measure_atlas(atlas: Atlas) -> Measures:
    """Measure everything the maps show, once, at full precision (see :mod:`corridors.measure.lengths`)."""
    lengths = segment_lengths(atlas)
    corridors = corridor_lengths(atlas)
    return Measures(
        segment_km=dict(zip(lengths["segment_id"], lengths["length_km"], strict=True)),
        corridor_km=dict(zip(corridors["corridor_id"], corridors["length_km"], strict=True)),
        country_km=country_split(atlas.segments, atlas.boundaries),
        crossings=crossings(atlas.segments, atlas.boundaries),
        chainage=chainage(atlas),
        stated=stated_vs_measured(atlas),
        segment_travel=segment_travel(atlas),
    )


def cpmm_parameters(atlas: Atlas) -> Parameters | None:
    """Return the CPMM parameters of the atlas's data folder, or None without ``cpmm/``."""
    return read_parameters(atlas.data_dir) if (atlas.data_dir / CPMM_DIR).is_dir() else None


def segment_travel(atlas: Atlas) -> dict[str, list[float]]:
    """
    Return each transport segment's time and cost end to end, by the CPMM model.

    The segment is taken as a route over its own edges of the network
    (:func:`corridors.network.graph.segment_route`) and estimated with
    :func:`corridors.network.travel.estimate_route`: moving time, the borders it crosses and
    any break of gauge inside it. Empty without the network links or ``cpmm/`` beside the data.
    """
    params = cpmm_parameters(atlas)
    if params is None or not (atlas.data_dir / LINKS_FILE).is_file():
        return {}
    graph = load_network(atlas)
    travel = {}
    for row in atlas.segments.itertuples(index=False):
        if row.mode not in MODE_GROUPS["transport"]:  # pipelines, power lines, fibre: no CPMM
            continue
        route = segment_route(graph, row.segment_id, list(row.waypoints))
        if route is None:
            continue
        estimate = estimate_route(route, params)
        hours, usd = estimate.hours.rounded(), estimate.usd.rounded(0)
        travel[row.segment_id] = [*(hours[k] for k in _BOUNDS), *(usd[k] for k in _BOUNDS)]
    return travel


_BOUNDS = ("low", "central", "high")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


_QUALIFIERS = {"exact": "", "about": "about ", "over": "over ", "at_least": "at least "}


def quantity(value: float, unit: str, *, qualifier: str = "exact", upper: Any = None) -> str:
    """
    Write a published figure as text: qualifier, value or range, unit.

    Examples
    --------
    >>> quantity(1814, "km", qualifier="about")
    'about 1,814 km'
    >>> quantity(1000, "MW", upper=1300), quantity(32.8, "bcm/yr", qualifier="up_to")
    ('1,000–1,300 MW', 'up to 32.8 bcm/yr')
    """
    prefix = "up to " if qualifier == "up_to" else _QUALIFIERS.get(qualifier, "")
    number = _number(value)
    if upper is not None and pd.notna(upper):
        number = f"{number}–{_number(upper)}"
    return f"{prefix}{number} {unit}"


def _km(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _official_text(entry: dict[str, Any]) -> str:
    return quantity(entry["km"], "km", qualifier=entry["qualifier"], upper=entry.get("km_max"))


@per_build
def _names(frame: pd.DataFrame, key: str) -> dict[str, str]:
    """Return the ``name`` of each row of `frame` by its `key` column (read-only)."""
    return dict(zip(frame[key], frame["name"], strict=True))


def _scope(atlas: Atlas, entry: dict[str, Any]) -> str:
    base = None
    if entry.get("from_place") and entry.get("to_place"):
        places = _names(atlas.places, "id")
        base = f"{places[entry['from_place']]} – {places[entry['to_place']]}"
    elif entry.get("segments"):
        names = _names(atlas.segments, "segment_id")
        base = "; ".join(names[s] for s in entry["segments"])
    country = country_name(entry["country"]) if entry.get("country") else None
    if country and base:
        return f"{country}: {base}"
    return country or base or "Whole corridor"


def corridor_summary(
    atlas: Atlas, measures: Measures, corridor_id: str, page: str
) -> dict[str, Any]:
    """Return the short facts every segment popup of a corridor shows."""
    corridor = atlas.catalog[corridor_id]
    totals = [e for e in corridor["official_lengths"] if _scope(atlas, e) == "Whole corridor"]
    return {
        "name": corridor["name"],
        "page": page,
        "measured_km": _km(measures.corridor_km.get(corridor_id)),
        "official": _official_text(totals[0]) if totals else "",
    }


def _lengths(atlas: Atlas, measures: Measures, corridor_id: str) -> list[dict[str, Any]]:
    corridor = atlas.catalog[corridor_id]
    stated = measures.stated[measures.stated["corridor_id"] == corridor_id]
    measured = stated["measured_km"].tolist()
    reasons = [r if flag else "" for flag, r in zip(stated["flag"], stated["reason"], strict=True)]
    if len(measured) != len(corridor["official_lengths"]):
        raise ValueError(f"stated_vs_measured has {len(measured)} rows for {corridor_id}")
    return [
        {
            "scope": _scope(atlas, entry),
            "official": _official_text(entry),
            "measured_km": _km(km),
            "sources": list(entry["sources"]),
            "note": entry.get("note", ""),
            "flag": reason,
        }
        for entry, km, reason in zip(corridor["official_lengths"], measured, reasons, strict=True)
    ]


def _per_country(atlas: Atlas, measures: Measures, corridor_id: str) -> list[dict[str, Any]]:
    main = set(atlas.segments.loc[atlas.segments["role"] == "main", "segment_id"])
    rows = measures.country_km[
        (measures.country_km["corridor_id"] == corridor_id)
        & measures.country_km["segment_id"].isin(main)
    ]
    km = rows.groupby("iso3", sort=True)["length_km"].sum()
    total = km.sum()
    order = km.sort_values(ascending=False, kind="stable")
    return [
        {
            "iso3": iso3,
            "name": area_name(iso3),
            "km": _km(value),
            "share": f"{value / total:.0%}" if total else "",
        }
        for iso3, value in zip(order.index.tolist(), order.tolist(), strict=True)
    ]


def corridor_facts(atlas: Atlas, measures: Measures, corridor_id: str) -> dict[str, Any]:
    """Return everything the side panel of a corridor's page shows."""
    corridor = atlas.catalog[corridor_id]
    segments = atlas.segments[atlas.segments["corridor_id"] == corridor_id]
    return {
        "name": corridor["name"],
        "long_name": corridor.get("long_name", ""),
        "summary": corridor.get("summary", ""),
        "modes": list(corridor["modes"]),
        "status": corridor["status"],
        "status_note": corridor.get("status_note", ""),
        "parties": [country_name(c) for c in corridor["parties"]],
        "countries": [country_name(c) for c in corridor["countries"]],
        "measured_km": _km(measures.corridor_km.get(corridor_id)),
        "lengths": _lengths(atlas, measures, corridor_id),
        "per_country": _per_country(atlas, measures, corridor_id),
        "segments": [
            {
                "name": row.name,
                "status": row.status,
                "role": row.role,
                "length_km": _km(measures.segment_km.get(row.segment_id)),
            }
            for row in segments.itertuples()
        ],
        "capacity": [
            {
                "text": quantity(
                    c["value"],
                    c["unit"],
                    qualifier=c.get("qualifier", "exact"),
                    upper=c.get("value_max"),
                ),
                "note": c.get("note", ""),
                "sources": list(c["sources"]),
            }
            for c in corridor["capacity"]
        ],
        "cost": [
            {
                "text": quantity(
                    c["amount_m"],
                    f"million {c['currency']}",
                    qualifier=c["qualifier"],
                    upper=c.get("amount_max_m"),
                ),
                "note": c.get("note", ""),
                "sources": list(c["sources"]),
            }
            for c in corridor["cost"]
        ],
        "milestones": [
            {"date": m["date"], "event": m["event"], "sources": list(m["sources"])}
            for m in corridor["milestones"]
        ],
        "conflicts": list(corridor.get("conflicts", [])),
    }


def cited_sources(facts: dict[str, Any]) -> list[str]:
    """
    Return every source key cited in `facts`.

    Examples
    --------
    >>> cited_sources({"cost": [{"sources": ["B", "A"]}], "lengths": [{"sources": ["A"]}]})
    ['A', 'B']
    """
    keys = {
        key
        for section in ("lengths", "capacity", "cost", "milestones")
        for entry in facts.get(section, [])
        for key in entry["sources"]
    }
    return sorted(keys)
