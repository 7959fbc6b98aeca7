"""Pakistan's bilateral ties with the partner countries, and their join to maps and corridors."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from corridors.bilateral.schema import (
    TABLES,
    date_precision,
    parse_csv,
    table_rows,
    validate_tables,
)
from corridors.data.atlas import CORRIDOR_IDS, parse_date
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError

__all__ = [
    "Bilateral",
    "corridors_for_partner",
    "country_profile",
    "load_bilateral",
    "partners_for_corridor",
    "partners_gdf",
    "timeline",
]

TIMELINE_COLUMNS = ["date", "precision", "partner", "corridor", "kind", "event", "source"]


@dataclass(frozen=True)
class Bilateral:
    """
    The six bilateral tables, checked and typed; one DataFrame per CSV file.

    Numbers are floats (NaN where the source states none), counts are nullable
    integers, dates stay partial ISO text beside a precision column.
    """

    partners: pd.DataFrame
    trade: pd.DataFrame
    mechanisms: pd.DataFrame
    visits: pd.DataFrame
    agreements: pd.DataFrame
    connectivity: pd.DataFrame


def _read_raw(folder: Path, name: str) -> tuple[pd.DataFrame | None, list[str]]:
    """Read one CSV as untouched text; return it with the problems found on the way."""
    path = folder / name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [f"{name}: not found in {folder} — add the file or fix --data."]
    except (OSError, UnicodeDecodeError) as error:
        return None, [f"{name}: cannot read as UTF-8 text ({error}) — save it as UTF-8."]
    frame, problems = parse_csv(name, text)
    return (frame if frame.columns.size else None), problems


def _in_folder(folder: Path, problem: str) -> str:
    """Prefix a problem that starts with a table's file name with its folder."""
    name = problem.partition(":")[0]
    return f"{folder / problem}" if name in TABLES else problem


def load_bilateral(data_dir: str | Path | None = None) -> Bilateral:
    """
    Read and check the tables in ``<data_dir>/bilateral/``.

    Parameters
    ----------
    data_dir
        A folder laid out like ``geodata/``; default: the shipped one.

    Returns
    -------
    bilateral
        The six tables, typed.

    Raises
    ------
    CorridorDataError
        With one line per problem in any of the files.

    Examples
    --------
    >>> bilateral = load_bilateral()
    >>> sorted(bilateral.partners["iso3"])
    ['AZE', 'KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']
    """
    folder = Path(data_dir if data_dir is not None else default_data_dir()) / "bilateral"
    if not folder.is_dir():
        raise CorridorDataError(
            f"{folder}: not a folder — point --data at a folder laid out like geodata/."
        )
    frames: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for name in TABLES:
        frame, found = _read_raw(folder, name)
        problems += found
        if frame is not None:
            frames[name] = frame
    typed, found = validate_tables(frames)
    problems += found
    if problems:
        raise CorridorDataError([_in_folder(folder, problem) for problem in problems])
    return Bilateral(*(typed[name] for name in TABLES))


def _plain(value: Any) -> Any:
    """Turn pandas and numpy scalars into JSON-ready Python values; missing becomes None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame, drop: Iterable[str] = ("iso3",)) -> list[dict[str, Any]]:
    return [
        {c: _plain(v) for c, v in row.items() if c not in set(drop)} for row in table_rows(frame)
    ]


def _partner_row(bilateral: Bilateral, iso3: str) -> pd.Series:
    partners = bilateral.partners
    match = partners[partners["iso3"] == iso3.strip().upper()]
    if match.empty:
        codes = ", ".join(sorted(partners["iso3"]))
        raise CorridorDataError(f"unknown partner {iso3!r} — use one of {codes}.")
    return match.iloc[0]


def _trade_records(trade: pd.DataFrame) -> list[dict[str, Any]]:
    """Trade rows with the sum of the parts and the balance, both rounded to cents of a million."""
    records = _records(trade)
    for record in records:
        exports, imports = record["exports_usd_m"], record["imports_usd_m"]
        both = exports is not None and imports is not None
        record["sum_usd_m"] = round(exports + imports, 2) if both else None
        record["balance_usd_m"] = round(exports - imports, 2) if both else None
    return records


def country_profile(bilateral: Bilateral, iso3: str) -> dict[str, Any]:
    """
    Gather everything known about one partner into a JSON-ready dict.

    Parameters
    ----------
    bilateral
        Tables from :func:`load_bilateral`.
    iso3
        Partner code, case-insensitive.

    Returns
    -------
    profile
        Keys ``iso3``, ``name``, ``official_name``, ``capital``,
        ``relations_established``, ``recognition_notes``, ``trade`` (with
        ``sum_usd_m`` = exports + imports and ``balance_usd_m`` = exports −
        imports beside the stated ``total_usd_m``), ``mechanisms``, ``visits``
        and ``agreements`` (latest first) and ``corridors``.

    Raises
    ------
    CorridorDataError
        If `iso3` is not in ``partners.csv``; the message lists the valid codes.

    Examples
    --------
    >>> profile = country_profile(load_bilateral(), "kgz")
    >>> [(t["exports_usd_m"], t["imports_usd_m"], t["total_usd_m"]) for t in profile["trade"]]
    [(4.85, 0.33, 5.18)]
    """
    row = _partner_row(bilateral, iso3)
    code = row["iso3"]

    def rows(frame: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
        chosen = frame[frame["iso3"] == code]
        return chosen.sort_values(by, ascending=False, kind="stable") if by else chosen

    return {
        "iso3": code,
        "name": row["name"],
        "official_name": row["official_name"],
        "capital": {
            "name": row["capital"],
            "lon": _plain(row["capital_lon"]),
            "lat": _plain(row["capital_lat"]),
            "source": row["capital_coord_source"],
        },
        "relations_established": {
            "date": row["relations_established"],
            "precision": row["relations_precision"],
            "source": row["source"],
            "quote": row["quote"],
        },
        "recognition_notes": row["recognition_notes"],
        "trade": _trade_records(rows(bilateral.trade)),
        "mechanisms": _records(rows(bilateral.mechanisms)),
        "visits": _records(rows(bilateral.visits, ["date_start"])),
        "agreements": _records(rows(bilateral.agreements, ["date"])),
        "corridors": _records(rows(bilateral.connectivity)),
    }


def corridors_for_partner(bilateral: Bilateral, iso3: str) -> list[str]:
    """
    Return the ids of the corridors that serve a partner, in catalog order.

    Examples
    --------
    >>> corridors_for_partner(load_bilateral(), "KGZ")
    ['casa1000', 'qtta']
    """
    code = _partner_row(bilateral, iso3)["iso3"]
    ids = set(bilateral.connectivity.loc[bilateral.connectivity["iso3"] == code, "corridor"])
    return [cid for cid in CORRIDOR_IDS if cid in ids]


def partners_for_corridor(bilateral: Bilateral, corridor_id: str) -> list[str]:
    """
    Return the partner codes linked to a corridor, sorted.

    Examples
    --------
    >>> partners_for_corridor(load_bilateral(), "casa1000")
    ['KGZ', 'TJK']
    >>> partners_for_corridor(load_bilateral(), "silk_road")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridors.errors.CorridorDataError: unknown corridor 'silk_road' — use one of tapi, ...
    """
    if corridor_id not in CORRIDOR_IDS:
        raise CorridorDataError(
            f"unknown corridor {corridor_id!r} — use one of {', '.join(CORRIDOR_IDS)}."
        )
    links = bilateral.connectivity
    return sorted(set(links.loc[links["corridor"] == corridor_id, "iso3"]))


def partners_gdf(bilateral: Bilateral, boundaries_gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """
    Join each boundary polygon of a partner to that partner's row, by ``iso3``.

    Boundary columns that clash with partner columns (``name``, ``source``) are
    kept with a ``boundary_`` prefix. A partner without a polygon is left out
    with a warning; a country with several polygons keeps one row per polygon.

    Parameters
    ----------
    bilateral
        Tables from :func:`load_bilateral`.
    boundaries_gdf
        Country polygons with an ``iso3`` column, in any CRS (kept).

    Returns
    -------
    partners
        One row per partner polygon, in the CRS of `boundaries_gdf`.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame({"iso3": ["KGZ", "CHN"], "name": ["Kyrgyzstan", "China"]},
    ...                           geometry=[box(69, 39, 80, 43), box(73, 18, 135, 53)], crs=4326)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     joined = partners_gdf(load_bilateral(), shapes)
    >>> joined[["iso3", "capital", "boundary_name"]].values.tolist()
    [['KGZ', 'Bishkek', 'Kyrgyzstan']]
    """
    if "iso3" not in boundaries_gdf.columns:
        raise CorridorDataError(
            "boundaries: no 'iso3' column — give each polygon its ISO 3166-1 alpha-3 code."
        )
    partners = bilateral.partners
    shapes = boundaries_gdf[boundaries_gdf["iso3"].isin(partners["iso3"])]
    clashes = {c: f"boundary_{c}" for c in shapes.columns if c in partners and c != "iso3"}
    shapes = shapes.rename(columns=clashes)
    missing = sorted(set(partners["iso3"]) - set(shapes["iso3"]))
    if missing:
        warnings.warn(
            f"boundaries hold no polygon for {', '.join(missing)}; those partners are left out.",
            UserWarning,
            stacklevel=2,
        )
    joined = partners.merge(shapes, on="iso3", how="inner")
    geometry = shapes.geometry.name
    return gpd.GeoDataFrame(joined, geometry=geometry, crs=boundaries_gdf.crs)


def _event(
    date: str, partner: str, corridor: str, kind: str, event: str, source: str
) -> dict[str, str]:
    return {
        "date": date,
        "precision": date_precision(date),
        "partner": partner,
        "corridor": corridor,
        "kind": kind,
        "event": event,
        "source": source,
    }


def _range(start: str, end: str) -> str:
    return f"{start} to {end}" if end else start


def _relations_events(partners: pd.DataFrame) -> list[dict[str, str]]:
    return [
        _event(r["relations_established"], r["iso3"], "", "relations",
               f"Diplomatic relations established with {r['name']}", r["source"])
        for r in table_rows(partners)
    ]  # fmt: skip


def _visit_events(visits: pd.DataFrame, names: Mapping[str, str]) -> list[dict[str, str]]:
    events = []
    for r in table_rows(visits):
        who = names[r["iso3"]] if r["from_country"] == r["iso3"] else "Pakistan"
        text = f"{r['visitor']} ({who}) visits {r['to_place']}, "
        text += _range(r["date_start"], r["date_end"])
        text += f": {r['purpose']}" if r["purpose"] else ""
        text += f"; signed: {r['signed']}" if r["signed"] else ""
        events.append(_event(r["date_start"], r["iso3"], "", "visit", text, r["source"]))
    return events


def _session_events(mechanisms: pd.DataFrame) -> list[dict[str, str]]:
    events = []
    for r in table_rows(mechanisms[mechanisms["latest_date"] != ""]):
        number = (
            "latest session" if pd.isna(r["latest_session"]) else f"session {r['latest_session']}"
        )
        place = f" in {r['latest_place']}" if r["latest_place"] else ""
        text = f"{r['name']}: {number}{place}, {_range(r['latest_date'], r['latest_date_end'])}"
        events.append(
            _event(r["latest_date"], r["iso3"], "", "mechanism_session", text, r["source"])
        )
    return events


def _bilateral_events(bilateral: Bilateral) -> list[dict[str, str]]:
    names = dict(zip(bilateral.partners["iso3"], bilateral.partners["name"], strict=True))
    agreements = [
        _event(r["date"], r["iso3"], r["corridor"], "agreement", r["title"], r["source"])
        for r in table_rows(bilateral.agreements)
    ]
    return [
        *_relations_events(bilateral.partners),
        *_visit_events(bilateral.visits, names),
        *_session_events(bilateral.mechanisms),
        *agreements,
    ]


def _catalog_corridors(catalog: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Accept the raw ``{"corridors": [...]}`` JSON or ``data.load_catalog``'s dict by id."""
    corridors = catalog.get("corridors")
    return list(corridors) if isinstance(corridors, list) else list(catalog.values())


def _milestone_events(catalog: Mapping[str, Any]) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    problems: list[str] = []
    for corridor in _catalog_corridors(catalog):
        for number, milestone in enumerate(corridor.get("milestones", [])):
            date = milestone.get("date")
            if not isinstance(date, str) or parse_date(date) is None:
                problems.append(
                    f"catalog.json: corridor {corridor.get('id')!r}: milestones.{number}.date: "
                    f"{date!r} is not a real calendar date — write YYYY-MM-DD, YYYY-MM or YYYY."
                )
                continue
            source = "; ".join(milestone.get("sources", []))
            events.append(_event(date, "", corridor["id"], "milestone", milestone["event"], source))
    if problems:
        raise CorridorDataError(problems)
    return events


def timeline(bilateral: Bilateral, catalog: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """
    List dated events, oldest first: relations, visits, mechanism sessions, agreements.

    Rows that tell the same event for several partners (the QTTA, signed with
    Kazakhstan and the Kyrgyz Republic) become one row whose ``partner`` joins
    the codes with ``"; "``. Partial dates sort before the full dates they
    contain ("1992" before "1992-02-24").

    Parameters
    ----------
    bilateral
        Tables from :func:`load_bilateral`.
    catalog
        Optional corridor catalog, as ``{"corridors": [{"id", "milestones": [...]}]}``
        or keyed by id; its milestones join the list with kind ``milestone``.

    Returns
    -------
    events
        Columns ``date``, ``precision``, ``partner``, ``corridor``, ``kind``,
        ``event``, ``source``.

    Examples
    --------
    >>> events = timeline(load_bilateral())
    >>> events.loc[events["corridor"] == "qtta", ["date", "partner"]].values.tolist()
    [['1995-03-09', 'KAZ; KGZ']]
    """
    events = _bilateral_events(bilateral)
    if catalog is not None:
        events += _milestone_events(catalog)
    frame = pd.DataFrame(events, columns=TIMELINE_COLUMNS)
    shared = [c for c in TIMELINE_COLUMNS if c != "partner"]
    frame = (
        frame.groupby(shared, sort=False, as_index=False)
        .agg(partner=("partner", lambda codes: "; ".join(sorted(set(codes)))))
        .loc[:, TIMELINE_COLUMNS]
    )
    order = frame.sort_values(["date", "partner", "kind", "event"], kind="stable")
    return order.reset_index(drop=True)
