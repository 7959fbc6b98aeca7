"""
Make geodata/boundaries.geojson: Natural Earth 1:10m country polygons of the region.

Usage::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2    # writes world-atlas-2.0.2.tgz
    python scripts/make_boundaries.py PATH/TO/world-atlas-2.0.2.tgz

The argument is the ``.tgz`` that ``npm pack`` downloads, the directory it
unpacks to (``package/``) or its ``countries-10m.json``. Fetch it outside the
repository: npm files are never committed, and running the atlas needs neither
npm nor the network, since the output file is committed. The script checks the
SHA-256 of ``countries-10m.json``, so it only ever turns world-atlas 2.0.2 into
the committed file; running it twice writes byte-identical output.

What it does, and why:

* Source. world-atlas 2.0.2 (ISC licence) is Mike Bostock's TopoJSON of Natural
  Earth 4.1.0 "Admin 0 - Countries" at 1:10m (public domain). Natural Earth
  draws the de facto worldview: who controls the ground, not who claims it.
  The TopoJSON is quantised (about 400 m by 190 m), and neighbours share arcs,
  so common borders have identical vertices and no gaps or overlaps.
* Countries. Those of `COUNTRIES`, which are ``corridors.data.countries.COUNTRY_NAMES``:
  the corridor countries and the neighbours that frame the regional map. Each
  world-atlas id (ISO 3166-1 numeric) is mapped to its alpha-3 code here, and
  its world-atlas name checked, so an upstream change fails loudly.
* Disputed and special areas. Features without an id are matched by name. The
  Siachen Glacier, a separate "indeterminate" feature in Natural Earth between
  India, Pakistan and China, is kept as its own polygon with Natural Earth's
  code ``KAS`` and ``disputed: true``, so routes crossing it are counted rather
  than dropped through a hole. The rest of Kashmir is split de facto: Azad
  Kashmir and Gilgit-Baltistan in Pakistan, Jammu, Kashmir and Ladakh in India,
  Aksai Chin and the Shaksgam valley in China, with no feature of their own.
  The Baikonur lease area (no id in world-atlas) is Kazakh sovereign territory
  leased to Russia, not disputed: it is merged into Kazakhstan to close the hole
  it would leave.
* Geometry. Each feature is repaired with ``make_valid(method="structure")``.
  Russia, China and Mongolia, the big countries mostly outside the region, are
  clipped to `WINDOW` (37-100 E, 5-56 N): the cut lines stay far from every
  corridor country, which the script checks (`UNCLIPPED_WITHIN_WINDOW`), so no
  border a route is split against moves. Nothing is simplified; every feature
  stays at 1:10m. Coordinates are rounded to `DECIMALS` decimals (about 1 m,
  well below the source quantisation), rings oriented counter-clockwise, and
  features sorted by ``iso3``.
* Output. An RFC 7946 FeatureCollection (WGS 84, no ``crs`` member), compact
  JSON with one feature per line, whose properties are exactly ``iso3``,
  ``name``, ``disputed`` and ``source``. The script prints, as a sanity check,
  each feature's geodesic area, the overlaps between features and the holes
  in their union.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "geodata" / "boundaries.geojson"

#: The npm package, the file inside it and that file's SHA-256.
PACKAGE = "world-atlas@2.0.2"
TOPOLOGY_NAME = "countries-10m.json"
TOPOLOGY_SHA256 = "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79"

#: The ``source`` property of every feature.
SOURCE = f"NE-10m {PACKAGE}"

#: world-atlas id (ISO 3166-1 numeric) -> (ISO 3166-1 alpha-3, world-atlas name).
COUNTRIES: dict[str, tuple[str, str]] = {
    "004": ("AFG", "Afghanistan"),
    "031": ("AZE", "Azerbaijan"),
    "050": ("BGD", "Bangladesh"),
    "051": ("ARM", "Armenia"),
    "064": ("BTN", "Bhutan"),
    "156": ("CHN", "China"),
    "268": ("GEO", "Georgia"),
    "356": ("IND", "India"),
    "364": ("IRN", "Iran"),
    "368": ("IRQ", "Iraq"),
    "398": ("KAZ", "Kazakhstan"),
    "417": ("KGZ", "Kyrgyzstan"),
    "496": ("MNG", "Mongolia"),
    "512": ("OMN", "Oman"),
    "524": ("NPL", "Nepal"),
    "586": ("PAK", "Pakistan"),
    "643": ("RUS", "Russia"),
    "762": ("TJK", "Tajikistan"),
    "792": ("TUR", "Turkey"),
    "795": ("TKM", "Turkmenistan"),
    "860": ("UZB", "Uzbekistan"),
}

#: Features without an id, by world-atlas name -> (Natural Earth ADM0_A3, name).
DISPUTED: dict[str, tuple[str, str]] = {
    "Siachen Glacier": ("KAS", "Siachen Glacier"),
}

#: Features without an id merged into their sovereign country, by name -> alpha-3.
MERGED: dict[str, str] = {
    "Baikonur": "KAZ",
}

#: Regional window (min lon, min lat, max lon, max lat) and the countries cut to it.
WINDOW = (37.0, 5.0, 100.0, 56.0)
CLIPPED = frozenset({"CHN", "MNG", "RUS"})

#: Countries whose borders routes are split against: they must lie wholly inside
#: `WINDOW`, so that clipping their neighbours cannot move a shared border.
UNCLIPPED_WITHIN_WINDOW = frozenset(
    {"AFG", "AZE", "IND", "IRN", "KAS", "KAZ", "KGZ", "PAK", "TJK", "TKM", "UZB"}
)

#: Decimals kept in coordinates (1e-5 degree is about 1 m).
DECIMALS = 5

GEOD = Geod(ellps="WGS84")


def read_topology(path: Path) -> bytes:
    """
    Return the bytes of ``countries-10m.json`` from the npm tarball, its directory or the file.

    Parameters
    ----------
    path
        ``world-atlas-2.0.2.tgz``, the ``package/`` directory it unpacks to, or
        ``countries-10m.json`` itself.

    Returns
    -------
    bytes
        The TopoJSON text, checked against `TOPOLOGY_SHA256`.

    Raises
    ------
    SystemExit
        If the file cannot be found or is not the one world-atlas 2.0.2 ships.
    """
    if path.is_dir():
        path = path / TOPOLOGY_NAME
    if not path.is_file():
        raise SystemExit(f"{path}: not found — run `npm pack {PACKAGE}` and pass the .tgz.")
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            member = archive.extractfile(f"package/{TOPOLOGY_NAME}")
            if member is None:
                raise SystemExit(f"{path}: no package/{TOPOLOGY_NAME} in the archive.")
            raw = member.read()
    else:
        raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != TOPOLOGY_SHA256:
        raise SystemExit(
            f"{path}: SHA-256 {digest}, expected {TOPOLOGY_SHA256} ({TOPOLOGY_NAME} of {PACKAGE})."
        )
    return raw


def polygons_only(geometry: BaseGeometry) -> BaseGeometry:
    """
    Return the polygons of `geometry` as a Polygon or MultiPolygon, dropping lines and points.

    Parameters
    ----------
    geometry
        Any geometry, e.g. the GeometryCollection an intersection may return.

    Returns
    -------
    BaseGeometry
        A Polygon if there is one part, otherwise a MultiPolygon (possibly empty).

    Examples
    --------
    >>> from shapely import GeometryCollection, LineString, box
    >>> polygons_only(GeometryCollection([box(0, 0, 1, 1), LineString([(1, 1), (2, 2)])])).geom_type
    'Polygon'
    """
    parts = [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in {"Polygon", "MultiPolygon"}
    ]
    polygons = [p for part in parts for p in shapely.get_parts(part)]
    if len(polygons) == 1:
        return polygons[0]
    return shapely.MultiPolygon(polygons)


def repair(geometry: BaseGeometry) -> BaseGeometry:
    """
    Make `geometry` valid with the "structure" method, keeping only its polygons.

    Parameters
    ----------
    geometry
        A Polygon or MultiPolygon, perhaps with self-intersecting rings.

    Returns
    -------
    BaseGeometry
        A valid Polygon or MultiPolygon.

    Examples
    --------
    >>> from shapely import Polygon
    >>> bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> repair(bowtie).geom_type, repair(bowtie).area
    ('MultiPolygon', 2.0)
    """
    return polygons_only(shapely.make_valid(geometry, method="structure", keep_collapsed=False))


def finish(geometry: BaseGeometry, decimals: int = DECIMALS) -> BaseGeometry:
    """
    Round coordinates, put parts in a canonical order and orient rings per RFC 7946.

    Parameters
    ----------
    geometry
        A valid Polygon or MultiPolygon.
    decimals
        Decimals kept in each coordinate.

    Returns
    -------
    BaseGeometry
        The same shape, with exterior rings counter-clockwise and holes clockwise.

    Raises
    ------
    ValueError
        If rounding made the geometry invalid.

    Examples
    --------
    >>> from shapely import box
    >>> finish(box(0.123456, 0, 1, 1)).wkt
    'POLYGON ((0.12346 0, 1 0, 1 1, 0.12346 1, 0.12346 0))'
    """
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, decimals))
    if not rounded.is_valid:
        raise ValueError(f"rounding to {decimals} decimals: {shapely.is_valid_reason(rounded)}")
    return shapely.orient_polygons(shapely.normalize(rounded), exterior_cw=False)


def region(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """
    Pick, name, repair, merge and clip the features of the region.

    Parameters
    ----------
    countries
        The ``countries`` layer of world-atlas ``countries-10m.json``, with
        columns ``id`` (ISO 3166-1 numeric, missing for some features), ``name``
        and ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, sorted by ``iso3``, with columns ``iso3``, ``name``,
        ``disputed``, ``source`` and ``geometry``, in EPSG:4326.

    Raises
    ------
    SystemExit
        If a feature is missing, or its name is not the one expected.
    """
    records = countries[["id", "name", "geometry"]].values
    by_id = {i: (n, g) for i, n, g in records if isinstance(i, str) and i}
    by_name = {n: g for i, n, g in records if not (isinstance(i, str) and i)}
    problems = [
        f"id {code} ({name}): " + (f"name is {by_id[code][0]!r}" if code in by_id else "missing")
        for code, (_, name) in COUNTRIES.items()
        if by_id.get(code, ("",))[0] != name
    ]
    problems += [f"{name!r}: missing" for name in [*DISPUTED, *MERGED] if name not in by_name]
    if problems:
        raise SystemExit("world-atlas is not what this script expects:\n" + "\n".join(problems))

    rows: dict[str, dict[str, Any]] = {}
    for code, (iso3, name) in COUNTRIES.items():
        rows[iso3] = {"iso3": iso3, "name": name, "disputed": False, "source": SOURCE}
        rows[iso3]["geometry"] = repair(by_id[code][1])
    for ne_name, (iso3, name) in DISPUTED.items():
        rows[iso3] = {"iso3": iso3, "name": name, "disputed": True, "source": SOURCE}
        rows[iso3]["geometry"] = repair(by_name[ne_name])
    for ne_name, iso3 in MERGED.items():
        row = rows[iso3]
        row["geometry"] = repair(shapely.union(row["geometry"], repair(by_name[ne_name])))
        row["source"] = f"{SOURCE}; with {ne_name} (lease area)"

    window = shapely.box(*WINDOW)
    outside = sorted(c for c in UNCLIPPED_WITHIN_WINDOW if not window.covers(rows[c]["geometry"]))
    if outside:
        raise SystemExit(f"{', '.join(outside)} reach outside the window {WINDOW}.")
    west, south, east, north = (f"{v:g}" for v in WINDOW)
    for iso3 in sorted(CLIPPED):
        row = rows[iso3]
        row["geometry"] = repair(shapely.intersection(row["geometry"], window))
        row["source"] = f"{SOURCE}; clipped to lon {west}..{east} lat {south}..{north}"

    for row in rows.values():
        row["geometry"] = finish(row["geometry"])
    frame = gpd.GeoDataFrame(
        [rows[iso3] for iso3 in sorted(rows)], geometry="geometry", crs="EPSG:4326"
    )
    return frame.reset_index(drop=True)


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """
    Serialise `frame` as a compact RFC 7946 FeatureCollection, one feature per line.

    Parameters
    ----------
    frame
        Rows with ``iso3``, ``name``, ``disputed``, ``source`` and ``geometry``.

    Returns
    -------
    str
        The GeoJSON text, ending with a newline.

    Examples
    --------
    >>> from shapely import box
    >>> row = {"iso3": "XXX", "name": "X", "disputed": False, "source": "test"}
    >>> text = geojson_text(gpd.GeoDataFrame([row], geometry=[box(0, 0, 1, 1)]))
    >>> json.loads(text)["features"][0]["properties"]["iso3"]
    'XXX'
    """
    lines = []
    for row in frame.itertuples(index=False):
        feature = {
            "type": "Feature",
            "properties": {
                "iso3": str(row.iso3),
                "name": str(row.name),
                "disputed": bool(row.disputed),
                "source": str(row.source),
            },
            "geometry": shapely.geometry.mapping(row.geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def area_km2(geometry: BaseGeometry) -> float:
    """
    Return the geodesic area of `geometry` on the WGS 84 ellipsoid, in km².

    Parameters
    ----------
    geometry
        A Polygon or MultiPolygon in longitude/latitude degrees.

    Returns
    -------
    float
        Its area, positive whatever the orientation of its rings.

    Examples
    --------
    >>> from shapely import box
    >>> round(area_km2(box(0, 0, 1, 1)))
    12309
    """
    area, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6


def checks(frame: gpd.GeoDataFrame) -> list[str]:
    """
    Describe each feature's area, the overlaps between features and the holes in their union.

    Parameters
    ----------
    frame
        The output of `region`.

    Returns
    -------
    list of str
        Report lines: one per feature, then overlaps and holes larger than 0.01 km².
    """
    lines = [
        f"{row.iso3}  {row.name:<16} disputed={row.disputed!s:<5} valid={row.geometry.is_valid} "
        f"{row.geometry.geom_type:<12} {area_km2(row.geometry):>12,.0f} km²"
        for row in frame.itertuples(index=False)
    ]
    geometries = frame.geometry.values
    tree = shapely.STRtree(geometries)
    for i, j in zip(*tree.query(geometries, predicate="intersects"), strict=True):
        if i < j:
            overlap = area_km2(polygons_only(shapely.intersection(geometries[i], geometries[j])))
            if overlap > 0.01:
                lines.append(f"overlap {frame.iso3[i]}/{frame.iso3[j]}: {overlap:,.2f} km²")
    union = polygons_only(shapely.union_all(geometries))
    for polygon in shapely.get_parts(union):
        for ring in polygon.interiors:
            hole = shapely.Polygon(ring)
            area = area_km2(hole)
            if area > 0.01:
                point = hole.representative_point()
                lines.append(
                    f"hole in the union at {point.x:.3f} E {point.y:.3f} N: {area:,.2f} km²"
                )
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Write geodata/boundaries.geojson from world-atlas 2.0.2 and print the checks."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("topology", type=Path, help="world-atlas-2.0.2.tgz, its package/ or file")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    args = parser.parse_args(argv)
    raw = read_topology(args.topology)
    countries = pyogrio.read_dataframe(raw, layer="countries")
    frame = region(countries)
    text = geojson_text(frame)
    args.output.write_text(text, encoding="utf-8")
    for line in checks(frame):
        print(line)
    print(f"{args.output.name}: {len(frame)} features, {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
