"""The hostile-input corpus in tests/fixtures/hostile/: each file, its expected error and helpers."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from corridors.data.paths import default_data_dir

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"

# Every hostile file: the words of its error and how many one-line problems it gives. The
# part of the name before "__" says which file of a geodata folder it stands in for.
CASES: dict[str, tuple[str, int]] = {
    "corridor__empty.geojson": ("file is empty — expected a GeoJSON FeatureCollection", 1),
    "corridor__whitespace_only.geojson": ("file is empty", 1),
    "corridor__truncated.geojson": ("invalid JSON at line 92, column 5: Unterminated string", 1),
    "corridor__invalid_utf8.geojson": ("byte 186 is not valid UTF-8 — save the file as UTF-8", 1),
    "corridor__byte_order_mark.geojson": ("byte-order mark — save it as UTF-8 without BOM", 1),
    "corridor__nan_literal.geojson": ("invalid JSON: NaN is not valid JSON", 1),
    "corridor__infinity_literal.geojson": ("invalid JSON: -Infinity is not valid JSON", 1),
    "corridor__overflowing_number.geojson": ("expected finite numbers, got [68.01551, inf]", 1),
    "corridor__bare_geometry.geojson": (
        "expected a GeoJSON FeatureCollection, got 'LineString' — wrap the features",
        1,
    ),
    "corridor__bare_feature.geojson": ("expected a GeoJSON FeatureCollection, got 'Feature'", 1),
    "corridor__mixed_geometry_types.geojson": (
        "feature 1 ('Hairatan–Naibabad railway'): geometry: expected LineString or "
        "MultiLineString, got GeometryCollection",
        1,
    ),
    "corridor__polygon_among_lines.geojson": ("feature 3 ('Trans-Afghan 2021 framing", 1),
    "corridor__three_d.geojson": ("got 3 values [67.11087, 36.70904, 412.0] — drop altitude", 1),
    "corridor__four_d.geojson": ("got 4 values [67.11087, 36.70904, 412.0, 0.0]", 1),
    "corridor__one_point_line.geojson": (
        "feature 1 ('Hairatan–Naibabad railway'): line has fewer than two distinct positions",
        1,
    ),
    "corridor__coordinates_as_text.geojson": ("expected [lon, lat] numbers, got ['67.41694'", 1),
    "corridor__out_of_range.geojson": ("1000.0, 36.9 lie outside [-180, 180] x [-90, 90]", 1),
    "corridor__swapped_axes.geojson": ("coordinates look like (lat, lon)", 4),
    "corridor__legacy_crs_utm.geojson": (
        "crs: expected WGS 84 longitude/latitude (RFC 7946 has no crs member), got "
        "'urn:ogc:def:crs:EPSG::32642' — reproject to EPSG:4326",
        1,
    ),
    "corridor__antimeridian.geojson": ("crosses the antimeridian", 1),
    "corridor__duplicate_ids.geojson": (
        "segment_id: 'uap_hairatan_naibabad' is used more than once",
        1,
    ),
    "corridor__duplicate_json_keys.geojson": ("key 'mode' appears twice in one object", 1),
    "corridor__nested_property.geojson": ("notes: expected text, a number or a list of them", 1),
    "corridor__no_features.geojson": ("features: the collection is empty", 1),
    "corridor__huge_string.geojson": (
        "notes: text of 1,048,576 characters exceeds 20,000 — shorten it",
        1,
    ),
    "corridor__deep_nesting.geojson": ("nested too deeply to read", 1),
    "links__truncated.geojson": ("invalid JSON at line", 1),
    "links__three_d.geojson": ("feature 0 ('Termez–Hairatan–Mazar-i-Sharif road", 1),
    "links__unknown_place.geojson": ("waypoints: 'hairatan_typo' is not a place id", 1),
    "links__planned_link.geojson": ("status: expected operating or completed", 1),
    "places__duplicate_ids.geojson": ("id: 'abbottabad' is used more than once", 1),
    "places__line_geometry.geojson": (
        "feature 0 ('Abbottabad'): geometry: expected a Point, got 'LineString'",
        1,
    ),
    "places__three_d.geojson": ("feature 0 ('Abbottabad'): coordinates: expected [lon, lat]", 1),
    "boundaries__self_intersecting_ring.geojson": (
        "feature 0 ('UZB'): geometry is not a valid polygon (Self-intersection[64.5 41.5])",
        1,
    ),
    "boundaries__missing_iso3.geojson": ("columns iso3 are missing — regenerate the file", 1),
    "boundaries__truncated.geojson": ("cannot read boundaries", 1),
    "catalog__empty.json": ("file is empty — expected a JSON catalog object", 1),
    "catalog__byte_order_mark.json": ("byte-order mark", 1),
    "catalog__nan_literal.json": ("NaN is not valid JSON", 1),
    "catalog__bare_list.json": ("(top level): expected a value of type object", 1),
    "catalog__impossible_date.json": ("'2025-02-30' is not a real calendar date", 1),
    "catalog__negative_km.json": ("official_lengths.0.km: expected exclusiveMinimum 0", 1),
    "catalog__absurd_km.json": ("official_lengths.0.km: expected maximum 40075", 1),
    "catalog__huge_string.json": ("corridors.0.summary: text of 1,048,576 characters", 1),
    "catalog__deep_nesting.json": ("nested too deeply to read", 1),
    "sources__empty.csv": ("expected a header with columns key and reference, got no rows", 1),
    "sources__missing_column.csv": ("expected a header with columns key and reference", 1),
    "sources__duplicate_keys.csv": ("key: 'ABCAZ-2018' is used more than once", 1),
    "sources__invalid_utf8.csv": ("cannot read the source list ('utf-8' codec", 1),
    "trade__empty.csv": ("trade.csv: has no header row", 1),
    "trade__missing_column.csv": ("trade.csv: missing column 'imports_usd_m' — add it", 1),
    "trade__extra_column.csv": ("trade.csv: unexpected column 'exports_usd_bn'", 1),
    "trade__text_for_number.csv": ("row 3 (KAZ, FY2024-25): exports_usd_m must be a number", 1),
    "trade__negative_number.csv": ("exports_usd_m must be a number >= 0, got '-250.7'", 1),
    "trade__absurd_number.csv": ("exports_usd_m must be at most 100,000,000", 1),
    "trade__overflowing_number.csv": ("must be a number >= 0, got '1e400'", 1),
    "trade__nan_text.csv": ("imports_usd_m must be a number >= 0, got 'NaN'", 1),
    "trade__invalid_utf8.csv": ("trade.csv: cannot read as UTF-8 text", 1),
    "trade__unterminated_quote.csv": ("trade.csv: row 7 ('UZB', 'unstated'): has 10 cells", 1),
    "trade__huge_cell.csv": (
        "trade.csv: cannot read as CSV (field larger than field limit (131072)) at line 3",
        1,
    ),
    "partners__latitude_out_of_range.csv": ("capital_lat must be decimal degrees in [-90, 90]", 1),
    "partners__duplicate_ids.csv": ("partners.csv: row 8 (KAZ): repeats the iso3", 1),
    "partners__impossible_date.csv": ("got '1992-02-30' — fix the day, month or year", 1),
    "visits__impossible_date.csv": ("visits.csv: row 2 (AZE, 2025-02-30): date_start", 1),
    "mechanisms__fractional_count.csv": ("latest_session must be a whole number >= 0", 1),
    "mechanisms__negative_count.csv": ("latest_session must be a whole number >= 0, got '-4'", 1),
}

# Hostile-looking inputs that are legitimate and must load: see tests/fixtures/README.md.
ACCEPTED = (
    "corridor__self_crossing_line.geojson",
    "corridor__multilinestring.geojson",
    "trade__byte_order_mark.csv",
)

_TARGETS = {
    "corridor": "corridors/uap_railway.geojson",
    "places": "places.geojson",
    "boundaries": "boundaries.geojson",
    "catalog": "catalog.json",
    "sources": "sources.csv",
    "links": "network_links.geojson",
}


def _huge_string_corridor() -> bytes:
    doc = json.loads((default_data_dir() / "corridors" / "uap_railway.geojson").read_bytes())
    doc["features"][1]["properties"]["notes"] = "x" * 1_048_576
    return json.dumps(doc, ensure_ascii=False).encode()


def _huge_string_catalog() -> bytes:
    doc = json.loads((default_data_dir() / "catalog.json").read_bytes())
    doc["corridors"][0]["summary"] = "x" * 1_048_576
    return json.dumps(doc, ensure_ascii=False).encode()


def _deep(prefix: str, suffix: str) -> bytes:
    return (prefix + "[" * 100_000 + "]" * 100_000 + suffix).encode()


def _huge_cell_trade() -> bytes:
    lines = (default_data_dir() / "bilateral" / "trade.csv").read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Total not stated.", b"x" * 1_048_576, 1)
    return b"\n".join(lines)


# Cases too large to keep in git, made on the fly from the shipped data.
GENERATED: dict[str, Callable[[], bytes]] = {
    "corridor__huge_string.geojson": _huge_string_corridor,
    "corridor__deep_nesting.geojson": lambda: _deep(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"notes": ',
        '}, "geometry": null}]}',
    ),
    "catalog__huge_string.json": _huge_string_catalog,
    "catalog__deep_nesting.json": lambda: _deep('{"corridors": ', "}"),
    "trade__huge_cell.csv": _huge_cell_trade,
}


def target(name: str) -> str:
    """The file of a geodata folder that the hostile file `name` stands in for."""
    kind = name.split("__")[0]
    return _TARGETS.get(kind, f"bilateral/{kind}.csv")


def hostile_bytes(name: str) -> bytes:
    """The bytes of one hostile case, from the corpus or made on the fly."""
    return GENERATED[name]() if name in GENERATED else (HOSTILE / name).read_bytes()


def geodata_with(name: str, folder: Path) -> Path:
    """Copy the shipped geodata to `folder` with the hostile file `name` in its place."""
    shutil.copytree(default_data_dir(), folder)
    (folder / target(name)).write_bytes(hostile_bytes(name))
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
