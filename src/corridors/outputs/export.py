"""
Export the atlas for GIS desktops, Google Earth and data pipelines.

Every format holds the same layers (:func:`export_layers`): the corridors and
their segments with geodesic lengths, places, boundaries, the published lengths
and milestones, the km of each segment in each country, the border crossings,
the bilateral tables, and a ``data_dictionary`` table naming each field's type
and meaning.

List-valued properties (``countries``, ``waypoints``, ``sources``, ...) are
written as text joined with :data:`LIST_SEPARATOR` (``"; "``), the convention of
the bilateral CSV files, so that every format holds the same values.

Files are made in memory (:func:`export_files`) and written with
:func:`corridors.build.write_all`, which stages them and moves each into place,
so a failed export never leaves half a file. GeoPackage bytes are made
reproducible by fixing GDAL's ``OGR_CURRENT_DATE`` while writing.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from corridors.bilateral.tables import Bilateral
from corridors.data.atlas import Atlas
from corridors.data.style import MODE_STYLE
from corridors.measure.lengths import corridor_lengths, country_split, crossings, segment_lengths
from corridors.measure.stated import stated_vs_measured
from corridors.outputs.fields import describe_field
from corridors.outputs.tables import csv_cell

__all__ = [
    "FORMATS",
    "LIST_SEPARATOR",
    "data_dictionary",
    "encode_list",
    "export_files",
    "export_layers",
    "kml_document",
    "produce_exports",
]

MODE_COLOURS = {mode: style["color"] for mode, style in MODE_STYLE.items()}

log = logging.getLogger(__name__)

#: Export formats, in the order ``--format all`` writes them.
FORMATS = ("gpkg", "geojson", "csv", "kml", "parquet")

#: How list-valued properties are written as text.
LIST_SEPARATOR = "; "

#: GeoPackages record when they were written; fixing the date makes rebuilds byte-identical.
GPKG_DATE = "2000-01-01T00:00:00.000Z"

_KML_LAYERS = ("segments", "places", "crossings")
_STATED_NUMBERS = (
    "official_km",
    "official_km_max",
    "measured_km",
    "ratio",
    "straight_line_km",
    "detour_index",
)
_LIST_COLUMNS = ("sources", "countries", "waypoints", "modes", "parties", "segments")


def encode_list(values: Sequence[Any]) -> str:
    """
    Join a list-valued property into text with :data:`LIST_SEPARATOR`.

    Examples
    --------
    >>> encode_list(["TKM", "AFG", "PAK"])
    'TKM; AFG; PAK'
    >>> encode_list([])
    ''
    >>> encode_list(["a; b"])
    Traceback (most recent call last):
    ...
    ValueError: list item 'a; b' contains the separator '; ' and would not read back as one item
    """
    for value in values:
        if LIST_SEPARATOR in str(value):
            raise ValueError(
                f"list item {value!r} contains the separator {LIST_SEPARATOR!r} "
                "and would not read back as one item"
            )
    return LIST_SEPARATOR.join(str(v) for v in values)


def _encode_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """Encode list-valued columns as text; put a geometry column last, as GIS files hold it."""
    out = frame.copy()
    if isinstance(out, gpd.GeoDataFrame):
        name = out.geometry.name
        out = out[[*(c for c in out.columns if c != name), name]]
    for column in _LIST_COLUMNS:
        if column in out and out[column].map(lambda v: isinstance(v, list | tuple)).any():
            out[column] = out[column].map(
                lambda v: encode_list(v) if isinstance(v, list | tuple) else v
            )
    return out


def _corridors_layer(atlas: Atlas) -> gpd.GeoDataFrame:
    main = atlas.segments[atlas.segments["role"] == "main"]
    rows, shapes = [], []
    for cid, facts in atlas.catalog.items():
        parts = main[main["corridor_id"] == cid]
        if parts.empty:
            continue
        rows.append(
            {
                "corridor_id": cid,
                **{k: facts[k] for k in ("name", "long_name", "modes", "status", "status_note")},
                **{k: facts[k] for k in ("parties", "countries", "summary")},
                "segments": list(parts["segment_id"]),
            }
        )
        shapes.append(shapely.multilinestrings(list(parts.geometry)))
    return gpd.GeoDataFrame(rows, geometry=shapes, crs=atlas.segments.crs)


def _catalog_table(atlas: Atlas, section: str, columns: Sequence[str]) -> pd.DataFrame:
    rows = [
        {"corridor_id": cid, **{c: entry.get(c) for c in columns}}
        for cid, facts in atlas.catalog.items()
        for entry in facts[section]
    ]
    frame = pd.DataFrame(rows, columns=["corridor_id", *columns])
    for column in columns:
        if column in {"km", "km_max"}:
            frame[column] = frame[column].astype("float64")
        elif column not in _LIST_COLUMNS:
            frame[column] = frame[column].astype("str").where(frame[column].notna(), "")
    return frame


def _boundaries_layer(atlas: Atlas) -> gpd.GeoDataFrame:
    """Boundaries with every polygon as a MultiPolygon, so the layer has one geometry type."""
    multi = [
        shapely.multipolygons([g]) if g.geom_type == "Polygon" else g
        for g in atlas.boundaries.geometry
    ]
    return atlas.boundaries.set_geometry(gpd.GeoSeries(multi, crs=atlas.boundaries.crs))


def _with_lengths(atlas: Atlas, corridors: gpd.GeoDataFrame) -> tuple[Any, Any]:
    """Corridors and segments with their geodesic lengths from :mod:`corridors.measure.lengths`."""
    per_segment = segment_lengths(atlas).set_index("segment_id")["length_km"]
    segments = atlas.segments.assign(length_km=atlas.segments["segment_id"].map(per_segment))
    columns = ["corridor_id", "length_km", "parallel_km", "alternative_km"]
    lengths = corridor_lengths(atlas)[columns]
    return corridors.merge(lengths, on="corridor_id", how="left"), segments


def _stated_table(atlas: Atlas) -> pd.DataFrame:
    """Stated vs measured, with its number columns typed as floats (missing: NaN)."""
    table = stated_vs_measured(atlas).copy()
    for column in _STATED_NUMBERS:
        table[column] = pd.to_numeric(table[column]).astype("float64")
    table["iso3"] = table["iso3"].fillna("").astype("str")
    return table


def _crossings_layer(atlas: Atlas) -> gpd.GeoDataFrame:
    table = crossings(atlas.segments, atlas.boundaries)
    points = gpd.points_from_xy(table["lon"], table["lat"], crs=atlas.segments.crs)
    return gpd.GeoDataFrame(table.drop(columns=["lon", "lat"]), geometry=points)


def export_layers(atlas: Atlas, bilateral: Bilateral) -> dict[str, pd.DataFrame]:
    """
    Return every exported layer by name, in export order, list properties encoded.

    Spatial layers are GeoDataFrames in EPSG:4326; tables are DataFrames. The
    last layer is the ``data_dictionary``.

    Examples
    --------
    >>> from corridors.bilateral.tables import load_bilateral
    >>> from corridors.data.atlas import load_atlas
    >>> layers = export_layers(load_atlas(), load_bilateral())
    >>> layers["segments"].loc[0, ["segment_id", "countries"]].tolist()
    ['tapi_tkm', 'TKM']
    >>> layers["corridors"].loc[0, ["corridor_id", "countries"]].tolist()
    ['tapi', 'TKM; AFG; PAK; IND']
    """
    stated = ["km", "km_max", "qualifier", "country", "segments", "from_place", "to_place"]
    corridors, segments = _with_lengths(atlas, _corridors_layer(atlas))
    layers: dict[str, pd.DataFrame] = {
        "corridors": corridors,
        "segments": segments,
        "places": atlas.places,
        "boundaries": _boundaries_layer(atlas),
        "official_lengths": _catalog_table(atlas, "official_lengths", [*stated, "sources", "note"]),
        "milestones": _catalog_table(atlas, "milestones", ["date", "event", "sources"]),
        "country_lengths": country_split(atlas.segments, atlas.boundaries),
        "crossings": _crossings_layer(atlas),
        "stated_vs_measured": _stated_table(atlas),
    }
    for name in ("partners", "trade", "mechanisms", "visits", "agreements", "connectivity"):
        layers[f"bilateral_{name}"] = getattr(bilateral, name)
    layers = {name: _encode_lists(frame) for name, frame in layers.items()}
    layers["data_dictionary"] = data_dictionary(layers)
    return layers


def _field_type(series: pd.Series) -> str:
    if isinstance(series, gpd.GeoSeries):
        kinds = sorted(set(series.geom_type.dropna()))
        return " or ".join(kinds) if kinds else "geometry"
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "real"
    return "text"


def data_dictionary(layers: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """
    Describe every field of every layer: columns ``layer``, ``field``, ``type``, ``description``.

    The dictionary describes itself too, as layer ``data_dictionary``.

    Examples
    --------
    >>> table = pd.DataFrame({"iso3": ["KAZ"], "km": [1.5]})
    >>> data_dictionary({"country_lengths": table})[["layer", "field", "type"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['country_lengths', 'iso3', 'text'], ['country_lengths', 'km', 'real'],
     ['data_dictionary', 'layer', 'text'], ['data_dictionary', 'field', 'text'],
     ['data_dictionary', 'type', 'text'], ['data_dictionary', 'description', 'text']]
    """
    rows = [
        (name, field, _field_type(frame[field]), describe_field(name, field))
        for name, frame in layers.items()
        for field in frame.columns
    ]
    rows += [
        ("data_dictionary", field, "text", describe_field("data_dictionary", field))
        for field in ("layer", "field", "type", "description")
    ]
    return pd.DataFrame(rows, columns=["layer", "field", "type", "description"], dtype="str")


def _is_spatial(frame: pd.DataFrame) -> bool:
    return isinstance(frame, gpd.GeoDataFrame)


@contextmanager
def _gdal_writing() -> Iterator[None]:
    """Fix GDAL's idea of "now" and hush pyogrio's per-layer "Created N records" lines."""
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio_log = logging.getLogger("pyogrio")
    level = pyogrio_log.level
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    pyogrio_log.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
        pyogrio_log.setLevel(level)


def _with_gdal(write: Callable[[Path], None], suffix: str) -> bytes:
    """Let GDAL write a file in a private temporary folder; return its bytes."""
    with tempfile.TemporaryDirectory(prefix="corridors-export-") as folder, _gdal_writing():
        path = Path(folder) / f"export{suffix}"
        write(path)
        return path.read_bytes()


def _gpkg(layers: dict[str, pd.DataFrame]) -> bytes:
    def write(path: Path) -> None:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=True)

    return _with_gdal(write, ".gpkg")


#: GDAL's GeoJSON options for RFC 7946: no ``crs`` member, WGS 84, coordinates to 1e-6 degrees
#: (about 0.1 m; the data has at most 1e-5).
GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": "6", "WRITE_BBOX": "NO"}


def _geojson(frame: gpd.GeoDataFrame, name: str) -> bytes:
    return _with_gdal(
        lambda path: pyogrio.write_dataframe(
            frame, path, layer=name, driver="GeoJSON", layer_options=GEOJSON_OPTIONS
        ),
        ".geojson",
    )


def _csv_value(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value + 0.0)  # -0.0 + 0.0 is 0.0: no sign on zero
    return csv_cell(str(value)) if isinstance(value, str) else str(value)


_CSVT = {"text": "String", "integer": "Integer", "real": "Real", "boolean": "Integer(Boolean)"}


def _csv_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the geometry; points keep their position as ``lon`` and ``lat``."""
    if not _is_spatial(frame):
        return frame
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if set(frame.geom_type) == {"Point"}:
        table["lon"], table["lat"] = frame.geometry.x, frame.geometry.y
    return table


def _csv(frame: pd.DataFrame) -> tuple[bytes, bytes]:
    """Return the CSV text and its ``.csvt`` sidecar (column types for GDAL and QGIS)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_value(v) for v in row])
    types = ",".join(f'"{_CSVT[_field_type(frame[c])]}"' for c in frame.columns)
    return out.getvalue().encode("utf-8"), (types + "\n").encode("ascii")


def _parquet(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    if _is_spatial(frame):
        frame.to_parquet(out, index=False, schema_version="1.1.0", write_covering_bbox=True)
    else:
        frame.to_parquet(out, index=False)
    return out.getvalue()


def _kml_colour(hex_rgb: str) -> str:
    """KML writes colours as aabbggrr."""
    red, green, blue = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"ff{blue}{green}{red}".lower()


def _kml_coordinates(geometry: Any) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in shapely.get_coordinates(geometry).tolist())


def _kml_geometry(parent: ET.Element, geometry: Any) -> None:
    if geometry.geom_type == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _kml_coordinates(
            geometry
        )
        return
    line = ET.SubElement(parent, "LineString")
    ET.SubElement(line, "tessellate").text = "1"
    ET.SubElement(line, "coordinates").text = _kml_coordinates(geometry)


_KML_TYPES = {"text": "string", "integer": "int", "real": "double", "boolean": "bool"}


_KML_ELEMENTS = {"id", "name", "description"}


def _kml_name(row: pd.Series) -> str:
    if "name" in row:
        return str(row["name"])
    if "from_iso3" in row:
        return f"{row['from_iso3']} → {row['to_iso3']} ({row['segment_id']})"
    return str(row.get("segment_id", ""))


def _kml_folder(document: ET.Element, name: str, frame: gpd.GeoDataFrame) -> None:
    fields = [c for c in frame.columns if c not in {frame.geometry.name, *_KML_ELEMENTS}]
    schema = ET.SubElement(document, "Schema", name=name, id=f"{name}_schema")
    for field in fields:
        kind = _KML_TYPES[_field_type(frame[field])]
        ET.SubElement(schema, "SimpleField", name=field, type=kind)
    folder = ET.SubElement(document, "Folder")
    ET.SubElement(folder, "name").text = name
    for _, row in frame.iterrows():
        placemark = ET.SubElement(folder, "Placemark")
        if "id" in row:
            placemark.set("id", str(row["id"]))
        ET.SubElement(placemark, "name").text = _kml_name(row)
        if row.get("description"):
            ET.SubElement(placemark, "description").text = str(row["description"])
        if "mode" in row:
            ET.SubElement(placemark, "styleUrl").text = f"#{row['mode']}"
        data = ET.SubElement(ET.SubElement(placemark, "ExtendedData"), "SchemaData")
        data.set("schemaUrl", f"#{name}_schema")
        for field in fields:
            text = _csv_value(row[field])
            if text:
                ET.SubElement(data, "SimpleData", name=field).text = text
        _kml_geometry(placemark, row.geometry)


def kml_document(layers: dict[str, pd.DataFrame], *, title: str = "Corridors atlas") -> bytes:
    """
    Write the line and point layers as one KML document for Google Earth.

    Each layer becomes a ``Folder`` (read by GDAL as a layer of that name); each
    feature a ``Placemark`` with the feature's ``id``, ``name`` and ``description``
    as KML's own elements, its other fields as ``SchemaData`` (empty values left
    out) and segments coloured by mode. Text is escaped by the XML writer.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoDataFrame({"name": ["A & B"]}, geometry=[Point(69.5, 30.25)], crs=4326)
    >>> text = kml_document({"places": points}).decode()
    >>> "<name>A &amp; B</name>" in text, "<coordinates>69.5,30.25</coordinates>" in text
    (True, True)
    """
    ET.register_namespace("", "http://www.opengis.net/kml/2.2")
    root = ET.Element("kml", xmlns="http://www.opengis.net/kml/2.2")
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = title
    for mode, colour in MODE_COLOURS.items():
        style = ET.SubElement(ET.SubElement(document, "Style", id=mode), "LineStyle")
        ET.SubElement(style, "color").text = _kml_colour(colour)
        ET.SubElement(style, "width").text = "3"
    for name in _KML_LAYERS:
        if name in layers:
            _kml_folder(document, name, layers[name])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def export_files(
    atlas: Atlas, bilateral: Bilateral, formats: Iterable[str] = FORMATS
) -> dict[str, bytes]:
    """
    Make the export files in memory: relative path to bytes.

    Paths are ``corridors.gpkg``, ``corridors.kml``, ``geojson/<layer>.geojson``
    (spatial layers), ``csv/<layer>.csv`` with a ``.csvt`` type sidecar (every
    layer but the boundaries; points keep ``lon`` and ``lat``) and
    ``parquet/<layer>.parquet`` (GeoParquet for spatial layers).
    """
    layers = export_layers(atlas, bilateral)
    files: dict[str, bytes] = {}
    for fmt in formats:
        log.info("exporting %s", fmt)
        if fmt == "gpkg":
            files["corridors.gpkg"] = _gpkg(layers)
        elif fmt == "kml":
            files["corridors.kml"] = kml_document(layers)
        for name, frame in layers.items():
            if fmt == "geojson" and _is_spatial(frame):
                files[f"geojson/{name}.geojson"] = _geojson(frame, name)
            elif fmt == "csv" and name != "boundaries":
                text, types = _csv(_csv_table(frame))
                files[f"csv/{name}.csv"], files[f"csv/{name}.csvt"] = text, types
            elif fmt == "parquet":
                files[f"parquet/{name}.parquet"] = _parquet(frame)
    return files


def produce_exports(
    atlas: Atlas, bilateral: Bilateral, options: Mapping[str, Any]
) -> Iterable[tuple[str, bytes]]:
    """Build producer: every export format under ``exports/``."""
    files = export_files(atlas, bilateral)
    return [(f"exports/{path}", data) for path, data in sorted(files.items())]
