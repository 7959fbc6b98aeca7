"""Read and validate the atlas geodata and users' line files; the only place that parses input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from corridors.data.countries import COUNTRY_NAMES
from corridors.data.geojson import (
    MAX_TEXT_CHARS,
    check_line_geometry,
    decode_json,
    feature_label,
    parse_feature_collection,
)
from corridors.data.paths import default_data_dir
from corridors.data.placement import country_boxes, placement_problem
from corridors.errors import CorridorDataError

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "BOUNDARY_SETS",
    "CORRIDOR_IDS",
    "Atlas",
    "load_atlas",
    "load_catalog",
    "measuring_boundaries",
    "read_boundaries",
    "read_corridors",
    "read_lines",
    "read_places",
]

#: The corridors the shipped atlas holds, in display order.
CORRIDOR_IDS = (
    "tapi",
    "casa1000",
    "uap_railway",
    "qtta",
    "tap_power",
    "ktap_railway",
    "pak_aze_rail",
)

_LINE_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".parquet", ".geoparquet"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Atlas:
    """
    Everything in a geodata folder, loaded and cross-checked.

    Attributes
    ----------
    segments
        One row per corridor segment, EPSG:4326, in file order.
    places
        One Point per place id, EPSG:4326.
    boundaries
        Country polygons with ``iso3``, ``name`` and ``disputed``, EPSG:4326.
    catalog
        Corridor-level facts keyed by corridor id, in catalog order.
    sources
        Source key to reference text.
    data_dir
        The folder it was read from.
    """

    segments: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    boundaries: gpd.GeoDataFrame
    catalog: dict[str, dict[str, Any]]
    sources: dict[str, str]
    data_dir: Path


@cache
def _schema(name: str) -> jsonschema.Draft202012Validator:
    path = default_data_dir() / "schema" / f"{name}.schema.json"
    import jsonschema  # here, not at the top: most runs (lengths of a user's file) need no schema

    return jsonschema.Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def _schema_problems(where: str, instance: Any, schema: str) -> list[str]:
    problems = []
    errors = sorted(_schema(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    for error in errors:
        field = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        if error.validator == "required":
            missing = error.message.split("'")[1]
            problems.append(f"{where}: {missing}: required property is missing — add it.")
        elif error.validator == "enum":
            allowed = ", ".join(str(v) for v in error.validator_value)
            problems.append(f"{where}: {field}: expected one of {allowed}; got {error.instance!r}.")
        elif error.validator == "maxLength":
            problems.append(
                f"{where}: {field}: {len(error.instance):,} characters — at most "
                f"{error.validator_value} are allowed; shorten it."
            )
        elif error.validator == "additionalProperties":
            problems.append(f"{where}: {field}: {error.message} — remove it or fix its spelling.")
        else:
            problems.append(
                f"{where}: {field}: expected {_expectation(error)}; got {error.instance!r}."
            )
    return problems


def _expectation(error: jsonschema.ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "pattern" in schema:
        return schema.get("description") or f"text matching {schema['pattern']}"
    if error.validator in {"minimum", "exclusiveMinimum", "maximum", "minItems", "minLength"}:
        return f"{error.validator} {error.validator_value}"
    if error.validator == "type":
        return f"a value of type {error.validator_value}"
    return error.message


def parse_date(text: str) -> dt.date | None:
    """
    Return the first day a partial ISO date stands for, or None if it is not a real date.

    Examples
    --------
    >>> parse_date("2025-03-31"), parse_date("2018-12"), parse_date("1986")
    (datetime.date(2025, 3, 31), datetime.date(2018, 12, 1), datetime.date(1986, 1, 1))
    >>> parse_date("2025-02-30") is None
    True
    """
    match = _DATE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise CorridorDataError(f"{path}: no such file — check the path.") from error
    except OSError as error:
        raise CorridorDataError(f"{path}: cannot read ({error.strerror}).") from error


def _iso3_problems(where: str, field: str, codes: list[Any]) -> list[str]:
    unknown = [c for c in codes if isinstance(c, str) and len(c) == 3 and c not in COUNTRY_NAMES]
    if not unknown:
        return []
    return [
        f"{where}: {field}: unknown ISO 3166-1 alpha-3 code {', '.join(map(repr, unknown))} "
        f"— use one of {', '.join(sorted(COUNTRY_NAMES))}."
    ]


@cache
def _cached_boundaries(path: str, mtime_ns: int) -> gpd.GeoDataFrame:
    return read_boundaries(path)


def _boundaries_beside(path: Path) -> gpd.GeoDataFrame:
    """Boundaries of the geodata-like folder holding `path`, else the shipped ones."""
    for folder in (path.parent, path.parent.parent, default_data_dir()):
        candidate = folder / "boundaries.geojson"
        if candidate.is_file():
            return _cached_boundaries(str(candidate.resolve()), candidate.stat().st_mtime_ns)
    raise CorridorDataError(f"{path}: no boundaries.geojson beside it or in the shipped data.")


def _segment_problems(path: Path, features: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    boundaries = country_boxes(_boundaries_beside(path))
    seen: set[Any] = set()
    for index, feature in enumerate(features):
        properties = feature.get("properties") or {}
        where = f"{path}: {feature_label(index, properties)}"
        schema = _schema_problems(where, properties, "segment")
        iso3 = _iso3_problems(where, "countries", list(properties.get("countries") or []))
        problems += schema + iso3
        if not (schema or iso3):
            geometry = shapely.geometry.shape(feature["geometry"])
            problem = placement_problem(where, geometry, properties["countries"], boundaries)
            problems += [problem] if problem else []
        segment_id = properties.get("segment_id")
        if segment_id is not None and segment_id in seen:  # a missing id is reported above
            problems.append(
                f"{where}: segment_id: {segment_id!r} is used more than once — ids must be unique."
            )
        seen.add(segment_id)
        in_atlas = path.parent.name == "corridors" and path.suffix == ".geojson"
        if in_atlas and properties.get("corridor_id") not in (None, path.stem):
            problems.append(
                f"{where}: corridor_id: expected {path.stem!r} (the file name), "
                f"got {properties.get('corridor_id')!r} — move the feature or fix the id."
            )
    return problems


def _frame(features: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    rows = [dict(f.get("properties") or {}) for f in features]
    geometry = [shapely.geometry.shape(f["geometry"]) for f in features]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geometry, crs="EPSG:4326")


def read_corridor_file(path: str | Path) -> gpd.GeoDataFrame:
    """
    Read one corridor GeoJSON file, checking structure, geometry and segment schema.

    Raises
    ------
    CorridorDataError
        With every problem in the file, one line each.
    """
    path = Path(path)
    features, problems = parse_feature_collection(path, _read_bytes(path))
    if not problems:
        problems = _segment_problems(path, features)
    if problems:
        raise CorridorDataError(problems)
    return _frame(features)


def _duplicate_problems(where: str, values: pd.Series, field: str) -> list[str]:
    values = values.dropna()  # a missing id is reported by the schema, not as a duplicate
    dup = values[values.duplicated(keep=False)]
    return [
        f"{where}: {field}: {value!r} is used more than once — ids must be unique."
        for value in dict.fromkeys(dup)
    ]


def read_corridors(paths: list[Path] | None = None) -> gpd.GeoDataFrame:
    """
    Read corridor files into one GeoDataFrame of segments.

    Parameters
    ----------
    paths
        Corridor GeoJSON files; by default every file of the shipped
        ``geodata/corridors`` in :data:`CORRIDOR_IDS` order.
    """
    if paths is None:
        folder = default_data_dir() / "corridors"
        paths = [folder / f"{cid}.geojson" for cid in CORRIDOR_IDS]
    frames, problems = [], []
    for path in paths:
        try:
            frames.append(read_corridor_file(path))
        except CorridorDataError as error:
            problems += error.problems
    if problems:
        raise CorridorDataError(problems)
    segments = pd.concat(frames, ignore_index=True)
    dup = _duplicate_problems(str(Path(paths[0]).parent), segments["segment_id"], "segment_id")
    if dup:
        raise CorridorDataError(dup)
    return gpd.GeoDataFrame(segments, geometry="geometry", crs="EPSG:4326")


def _check_point(where: str, geometry: Any) -> list[str]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        got = geometry.get("type") if isinstance(geometry, dict) else geometry
        return [f"{where}: geometry: expected a Point, got {got!r}."]
    coordinates = geometry.get("coordinates")
    line = {"type": "LineString", "coordinates": [coordinates, [0.0, 0.0]]}
    return [p for p in check_line_geometry(where, line) if "distinct" not in p]


def read_places(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Read and check ``places.geojson`` (default: the shipped one)."""
    path = Path(path) if path else default_data_dir() / "places.geojson"
    features, problems = parse_feature_collection(
        path, _read_bytes(path), geometry_check=_check_point
    )
    if not problems:
        boxes = country_boxes(_boundaries_beside(path))
        for index, feature in enumerate(features):
            properties = feature.get("properties") or {}
            where = f"{path}: {feature_label(index, properties)}"
            schema = _schema_problems(where, properties, "place")
            iso3 = _iso3_problems(where, "iso3", [properties.get("iso3")])
            problems += schema + iso3
            if not (schema or iso3):
                point = shapely.geometry.shape(feature["geometry"])
                problem = placement_problem(where, point, [properties["iso3"]], boxes)
                problems += [problem] if problem else []
    if problems:
        raise CorridorDataError(problems)
    places = _frame(features)
    dup = _duplicate_problems(str(path), places["id"], "id")
    if dup:
        raise CorridorDataError(dup)
    return places


def read_boundaries(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Read country polygons with ``iso3``, ``name`` and ``disputed`` (default: shipped)."""
    path = Path(path) if path else default_data_dir() / "boundaries.geojson"
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as error:  # pyogrio raises several DataSource errors
        raise CorridorDataError(f"{path}: cannot read boundaries ({error}).") from error
    missing = {"iso3", "name", "disputed"} - set(frame.columns)
    if missing:
        raise CorridorDataError(
            f"{path}: columns {', '.join(sorted(missing))} are missing — regenerate the file "
            "with scripts/make_boundaries.py."
        )
    invalid = frame[~frame.geometry.is_valid]
    if len(invalid):
        reasons = shapely.is_valid_reason(invalid.geometry.values)
        raise CorridorDataError(
            [
                f"{path}: feature {index} ({iso3!r}): geometry is not a valid polygon ({reason}) "
                "— repair it, e.g. with shapely.make_valid, or regenerate the file."
                for index, iso3, reason in zip(invalid.index, invalid["iso3"], reasons, strict=True)
            ]
        )
    return frame.to_crs("EPSG:4326") if frame.crs else frame.set_crs("EPSG:4326")


#: The boundary sets a user's line is split against, and the file of each.
BOUNDARY_SETS = {"ne_10m_region": "boundaries.geojson", "ne_50m_world": "boundaries_world.geojson"}


def measuring_boundaries(data_dir: str | Path | None = None) -> gpd.GeoDataFrame:
    """
    Return the region's 1:10m countries and the rest of the world at 1:50m, for users' lines.

    The region's file comes from `data_dir` (default: the shipped data); the world's is
    always the shipped one, whose polygons stop where the region's begin. A ``boundaries``
    column names the set of each polygon (the keys of :data:`BOUNDARY_SETS`).

    Examples
    --------
    >>> both = measuring_boundaries()
    >>> both.groupby("boundaries").size().to_dict()
    {'ne_10m_region': 22, 'ne_50m_world': 219}
    """
    folder = Path(data_dir) if data_dir else default_data_dir()
    region = read_boundaries(folder / BOUNDARY_SETS["ne_10m_region"])
    world = _shipped_world()
    world = world[~world["iso3"].isin(set(region["iso3"]))]
    frames = [region.assign(boundaries="ne_10m_region"), world.assign(boundaries="ne_50m_world")]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


@cache
def _shipped_world() -> gpd.GeoDataFrame:
    return read_boundaries(default_data_dir() / BOUNDARY_SETS["ne_50m_world"])


def _long_text_problems(where: str, value: Any, field: str = "") -> list[str]:
    """Problems for every string in a JSON document longer than MAX_TEXT_CHARS."""
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        return [
            f"{where}: {field or '(top level)'}: text of {len(value):,} characters exceeds "
            f"{MAX_TEXT_CHARS:,} — shorten it or move it to a document."
        ]
    if not isinstance(value, dict | list):
        return []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    return [
        problem
        for key, item in items
        for problem in _long_text_problems(where, item, f"{field}.{key}".lstrip("."))
    ]


def _catalog_problems(path: Path, catalog: Any) -> list[str]:
    problems = _long_text_problems(str(path), catalog) or _schema_problems(
        str(path), catalog, "catalog"
    )
    if problems:
        return problems
    for index, corridor in enumerate(catalog["corridors"]):
        where = f"{path}: corridor {index} ({corridor['id']!r})"
        problems += _iso3_problems(where, "parties", corridor["parties"])
        problems += _iso3_problems(where, "countries", corridor["countries"])
        previous = None
        for number, milestone in enumerate(corridor["milestones"]):
            date = parse_date(milestone["date"])
            if date is None:
                problems.append(
                    f"{where}: milestones.{number}.date: {milestone['date']!r} is not a real "
                    "calendar date — write YYYY-MM-DD, YYYY-MM or YYYY."
                )
            elif previous and date < previous:
                problems.append(
                    f"{where}: milestones.{number}.date: {milestone['date']} comes before the "
                    "milestone above it — keep milestones in chronological order."
                )
            previous = date or previous
    ids = pd.Series([c["id"] for c in catalog["corridors"]])
    return problems + _duplicate_problems(str(path), ids, "id")


def load_catalog(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Read and check ``catalog.json``; return corridor facts keyed by id, in file order."""
    path = Path(path) if path else default_data_dir() / "catalog.json"
    catalog, problems = decode_json(path, _read_bytes(path), expected="a JSON catalog object")
    problems = problems or _catalog_problems(path, catalog)
    if problems:
        raise CorridorDataError(problems)
    return {c["id"]: c for c in catalog["corridors"]}


def read_sources(path: str | Path | None = None) -> dict[str, str]:
    """Read ``sources.csv``: source key to reference text."""
    path = Path(path) if path else default_data_dir() / "sources.csv"
    try:
        text = _read_bytes(path).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        raise CorridorDataError(
            f"{path}: cannot read the source list ({error}) — save it as UTF-8 CSV."
        ) from error
    header = list(rows[0]) if rows else []
    if "key" not in header or "reference" not in header:
        raise CorridorDataError(
            f"{path}: expected a header with columns key and reference, got "
            f"{', '.join(header) or 'no rows'} — restore the header and the rows."
        )
    sources = {row["key"]: row["reference"] for row in rows}
    dup = _duplicate_problems(str(path), pd.Series([row["key"] for row in rows]), "key")
    if dup:
        raise CorridorDataError(dup)
    return sources


def _reference_problems(
    data_dir: Path,
    segments: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    catalog: dict[str, dict[str, Any]],
    sources: dict[str, str],
) -> list[str]:
    problems: list[str] = []
    place_ids = set(places["id"])
    segment_ids = set(segments["segment_id"])
    for _, row in segments.iterrows():
        where = f"{data_dir / 'corridors' / (row['corridor_id'] + '.geojson')}: segment {row['segment_id']!r}"
        for place in row["waypoints"]:
            if place not in place_ids:
                problems.append(
                    f"{where}: waypoints: {place!r} is not a place id in places.geojson "
                    "— add the place or fix the reference."
                )
        problems += [
            f"{where}: sources: {key!r} is not in sources.csv — add the reference."
            for key in row["sources"]
            if key not in sources
        ]
        if row["corridor_id"] not in catalog:
            problems.append(
                f"{where}: corridor_id: {row['corridor_id']!r} has no entry in catalog.json."
            )
    for cid, corridor in catalog.items():
        where = f"{data_dir / 'catalog.json'}: corridor {cid!r}"
        if cid not in set(segments["corridor_id"]):
            problems.append(
                f"{where}: no corridors/{cid}.geojson holds its segments — add the file."
            )
        for section in ("official_lengths", "capacity", "cost", "milestones"):
            for entry in corridor[section]:
                problems += [
                    f"{where}: {section}: source {key!r} is not in sources.csv — add the reference."
                    for key in entry["sources"]
                    if key not in sources
                ]
        for entry in corridor["official_lengths"]:
            problems += [
                f"{where}: official_lengths: segment {s!r} does not exist — fix the reference."
                for s in entry["segments"]
                if s not in segment_ids
            ]
            problems += [
                f"{where}: official_lengths: place {p!r} is not in places.geojson — fix the reference."
                for p in (entry["from_place"], entry["to_place"])
                if p is not None and p not in place_ids
            ]
    return problems


def load_atlas(data_dir: str | Path | None = None) -> Atlas:
    """
    Load and cross-check a folder laid out like ``geodata/`` (default: the shipped one).

    Examples
    --------
    >>> atlas = load_atlas()
    >>> list(atlas.catalog)[:3]
    ['tapi', 'casa1000', 'uap_railway']
    """
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    if not data_dir.is_dir():
        raise CorridorDataError(
            f"{data_dir}: not a folder — point --data at a folder laid out like geodata/."
        )
    catalog = load_catalog(data_dir / "catalog.json")
    boundaries = read_boundaries(data_dir / "boundaries.geojson")  # once, before its users
    files = sorted((data_dir / "corridors").glob("*.geojson"))
    order = {cid: i for i, cid in enumerate(catalog)}
    files.sort(key=lambda p: (order.get(p.stem, len(order)), p.stem))
    if not files:
        raise CorridorDataError(
            f"{data_dir / 'corridors'}: holds no .geojson files — add the corridors."
        )
    segments = read_corridors(files)
    places = read_places(data_dir / "places.geojson")
    sources = read_sources(data_dir / "sources.csv")
    problems = _reference_problems(data_dir, segments, places, catalog, sources)
    if problems:
        raise CorridorDataError(problems)
    return Atlas(segments, places, boundaries, catalog, sources, data_dir)


def read_lines(path: str | Path) -> gpd.GeoDataFrame:
    """
    Read a user's line file (GeoJSON, GeoPackage, Shapefile, GeoParquet) into EPSG:4326.

    GeoJSON goes through the same strict checks as the shipped corridors
    (segment properties are checked when the features carry ``segment_id`` or
    ``corridor_id``); other formats must have a CRS and only line geometries.
    """
    path = Path(path)
    if path.suffix.lower() in {".geojson", ".json"}:
        features, problems = parse_feature_collection(path, _read_bytes(path))
        if not problems and any(
            {"segment_id", "corridor_id"} & set(f.get("properties") or {}) for f in features
        ):
            problems = _segment_problems(path, features)
        if problems:
            raise CorridorDataError(problems)
        return _frame(features)
    if path.suffix.lower() not in _LINE_SUFFIXES:
        raise CorridorDataError(
            f"{path}: unknown file type {path.suffix!r} — give GeoJSON, GeoPackage, Shapefile or GeoParquet."
        )
    return _read_other_format(path)


def _read_other_format(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise CorridorDataError(f"{path}: no such file — check the path.")
    try:
        if path.suffix.lower() in {".parquet", ".geoparquet"}:
            frame = gpd.read_parquet(path)
        else:
            frame = pyogrio.read_dataframe(path)
    except Exception as error:  # GDAL and Arrow raise many kinds of errors for bad files
        raise CorridorDataError(f"{path}: cannot read ({str(error).splitlines()[0]}).") from error
    if frame.crs is None:
        raise CorridorDataError(
            f"{path}: has no CRS — set one (e.g. EPSG:4326) so lengths can be measured."
        )
    kinds = set(frame.geom_type.dropna())
    bad = kinds - {"LineString", "MultiLineString"}
    if bad or frame.geometry.isna().any() or len(frame) == 0:
        got = ", ".join(sorted(bad)) or "empty or missing geometries"
        raise CorridorDataError(
            f"{path}: geometry: expected LineString or MultiLineString, got {got}."
        )
    return frame.to_crs("EPSG:4326")
