"""
Make geodata/boundaries_world.geojson: Natural Earth 1:50m countries outside the region.

Usage::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2    # writes world-atlas-2.0.2.tgz
    pip install pycountry                               # ISO 3166 numeric -> alpha-3
    python scripts/make_world_boundaries.py PATH/TO/world-atlas-2.0.2.tgz

The 1:10m region file (``geodata/boundaries.geojson``, made by ``make_boundaries.py``) splits
the corridors; this one lets a user's lines anywhere on Earth get km per country. What it does:

* Source. ``countries-50m.json`` of world-atlas 2.0.2 (ISC), Natural Earth 4.1.0 Admin 0 at
  1:50m (public domain), checked by SHA-256. Each feature's ISO 3166-1 numeric id is turned
  into alpha-3 with ``pycountry``; features without an id (Kosovo, Northern Cyprus,
  Somaliland, ...) keep Natural Earth's name and get a code from `NO_ID`, marked disputed
  where Natural Earth marks them so.
* Seam. Every polygon is cut by the union of the region file's polygons, so no place is in two
  countries; the cut would leave slivers of "sea" where the 1:50m and 1:10m borders disagree,
  so each country first grows by `SEAM_DEG` toward the region only (the growth is kept only
  within `SEAM_DEG` of the region's polygons).
* Output. Coordinates at `DECIMALS` decimals (about 110 m, finer than the 1:50m quantisation
  of about 400 m), compact RFC 7946 GeoJSON, one feature per line, sorted by ``iso3``, with
  the same properties as the region file. Running it twice writes byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tarfile
from pathlib import Path

import geopandas as gpd
import pycountry
import pyogrio
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_boundaries import PACKAGE, geojson_text, polygons_only, repair

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "geodata" / "boundaries.geojson"
OUTPUT = ROOT / "geodata" / "boundaries_world.geojson"
TOPOLOGY_NAME = "countries-50m.json"
TOPOLOGY_SHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"
SOURCE = f"NE-50m {PACKAGE}"
DECIMALS = 3
SEAM_DEG = 0.02

#: Features without an ISO numeric id: world-atlas name -> (code, disputed).
NO_ID = {
    "Kosovo": ("XKX", True),
    "N. Cyprus": ("CYN", True),
    "Somaliland": ("SOL", True),
    "Siachen Glacier": ("KAS", True),
    "Indian Ocean Ter.": ("IOA", False),
    "Ashmore and Cartier Is.": ("ATC", False),
}


def read_topology(path: Path) -> bytes:
    """Return the bytes of ``countries-50m.json`` from the tarball, its folder or the file."""
    if path.is_dir():
        path = path / TOPOLOGY_NAME
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            member = archive.extractfile(f"package/{TOPOLOGY_NAME}")
            raw = member.read() if member else b""
    else:
        raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != TOPOLOGY_SHA256:
        raise SystemExit(f"{path}: SHA-256 {digest}, expected {TOPOLOGY_SHA256}.")
    return raw


def code_of(numeric: str | None, name: str) -> tuple[str, bool]:
    """Return the ISO alpha-3 and disputed flag of a world-atlas feature."""
    if numeric:
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country is not None:
            return str(country.alpha_3), False
    if name in NO_ID:
        return NO_ID[name]
    raise SystemExit(f"world-atlas feature {numeric!r} {name!r}: no ISO code — add it to NO_ID.")


def snapped(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return `geometry` snapped to the `DECIMALS` grid keeping the polygon valid, rings oriented per RFC 7946."""
    grid = polygons_only(shapely.set_precision(geometry, 10.0**-DECIMALS))
    return shapely.orient_polygons(shapely.normalize(grid), exterior_cw=False)


def world(countries: gpd.GeoDataFrame, region: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the countries not in `region`, cut at the region's polygons with the seam closed."""
    taken = set(region["iso3"])
    inside = shapely.union_all(region.geometry.values)
    near = shapely.buffer(inside, SEAM_DEG)
    rows = []
    for numeric, name, geometry in countries[["id", "name", "geometry"]].values:
        iso3, disputed = code_of(numeric if isinstance(numeric, str) else None, str(name))
        if iso3 in taken:
            continue
        shape = repair(geometry)
        if shapely.intersects(shape, near):
            grown = shapely.intersection(shapely.buffer(shape, SEAM_DEG), near)
            shape = repair(shapely.difference(shapely.union(shape, grown), inside))
        shape = snapped(shape)
        if shape.is_empty:
            continue
        rows.append(
            {
                "iso3": iso3,
                "name": str(name),
                "disputed": disputed,
                "source": SOURCE,
                "geometry": shape,
            }
        )
    rows.sort(key=lambda r: (r["iso3"], r["name"]))
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("topology", type=Path, help="world-atlas-2.0.2.tgz, its package/ or file")
    args = parser.parse_args()
    raw = read_topology(args.topology)
    countries = pyogrio.read_dataframe(raw, layer="countries")
    frame = world(countries, gpd.read_file(REGION))
    OUTPUT.write_text(geojson_text(frame), encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(frame)} features, {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
