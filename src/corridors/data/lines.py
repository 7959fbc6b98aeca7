"""
Read a user's line file of any format and layer, whatever its properties, for measuring.

The corridor schema is for the shipped data and ``--data`` folders (``corridors validate``);
a user's lines are only lines. Every record keeps where it came from (``source_file`` and
``layer``) and an id that stays a string as written: ``segment_id``, else ``id``, else the
feature's index in its layer.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from numpy.typing import NDArray

from corridors.data.collector import collector_paused
from corridors.data.geojson import parse_line_collection
from corridors.errors import CorridorDataError

__all__ = [
    "GEOJSON_SUFFIXES",
    "LINE_TYPES",
    "PARQUET_SUFFIXES",
    "choose_layer",
    "feature_ids",
    "id_texts",
    "read_user_lines",
    "split_layer",
]

log = logging.getLogger(__name__)

#: Geometry types a line layer may declare (GDAL names; "Unknown" layers are looked at).
LINE_TYPES = {"LineString", "MultiLineString", "LineString Z", "MultiLineString Z"}
GEOJSON_SUFFIXES = {".geojson", ".json"}
PARQUET_SUFFIXES = {".parquet", ".geoparquet"}


def split_layer(spec: str) -> tuple[Path, str | None]:
    """
    Split ``FILE|layername=NAME`` (as QGIS writes it) or ``FILE:NAME`` into the file and layer.

    Examples
    --------
    >>> split_layer("streets.gpkg|layername=roads")
    (PosixPath('streets.gpkg'), 'roads')
    >>> split_layer("lines.geojson")
    (PosixPath('lines.geojson'), None)
    """
    if "|layername=" in spec:
        head, _, layer = spec.partition("|layername=")
        return Path(head), layer.split("|")[0]
    if not Path(spec).exists() and ":" in spec:
        head, _, layer = spec.rpartition(":")
        if Path(head).is_file() and layer:
            return Path(head), layer
    return Path(spec), None


def _layers(path: Path) -> list[tuple[str, str]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            listed = pyogrio.list_layers(path)
    except Exception as error:  # GDAL raises many kinds of errors for bad files
        raise CorridorDataError(f"{path}: cannot read ({str(error).splitlines()[0]}).") from error
    return [(str(name), str(kind)) for name, kind in listed]


def choose_layer(path: Path, layer: str | None) -> str | None:
    """Return the layer to read: the one asked for, else the only line layer; fail otherwise."""
    layers = _layers(path)
    names = [name for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise CorridorDataError(
                f"{path}: no layer {layer!r} — it has {_listing(layers)}; "
                "give one of them with --layer NAME."
            )
        return layer
    if len(layers) <= 1:
        return None
    lines = [name for name, kind in layers if kind in LINE_TYPES]
    if len(lines) == 1:
        log.info("%s: reading layer %r, its only line layer of %d", path, lines[0], len(layers))
        return lines[0]
    if not lines:
        raise CorridorDataError(
            f"{path}: no line layer — it has {_listing(layers)}; give a file with lines."
        )
    chosen = [(n, k) for n, k in layers if n in lines]
    raise CorridorDataError(
        f"{path}: {len(lines)} line layers ({_listing(chosen)}) — choose one with --layer NAME."
    )


#: shapely's type ids of LineString and MultiLineString.
LINE_TYPE_IDS = (1, 5)


def _listing(layers: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{name} ({kind})" for name, kind in layers)


def _read_geojson(path: Path) -> tuple[gpd.GeoDataFrame, list[Any]]:
    """Read GeoJSON through the strict parser; return the frame and each feature's own id."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorridorDataError(
            f"{path}: cannot read ({error.strerror}) — check the path."
        ) from error
    # The parsed document is millions of objects, none of them garbage: the collector sleeps
    # until they are freed, or its first pass after waking would walk every one of them.
    with collector_paused():
        features, problems, geometry = parse_line_collection(path, raw)
        if problems:
            raise CorridorDataError(problems)
        if geometry is None:  # sound, though not by the array test: build each line alone
            geometry = [shapely.geometry.shape(f["geometry"]) for f in features]
        rows = [dict(f.get("properties") or {}) for f in features]
        own = [f.get("id") for f in features]
        del features, raw
        frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geometry, crs="EPSG:4326")
        del rows
    return frame, own


def _read_ogr(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """Read one layer with pyogrio; GDAL's warnings become one-line log notes."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if path.suffix.lower() in PARQUET_SUFFIXES:
                frame = gpd.read_parquet(path)
            else:
                frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as error:  # GDAL and Arrow raise many kinds of errors for bad files
        raise CorridorDataError(f"{path}: cannot read ({str(error).splitlines()[0]}).") from error
    for warning in caught:
        log.warning("%s: note: %s", path, str(warning.message).splitlines()[0])
    return frame


def _text_id(value: Any) -> str | None:
    """Return an id as text: integers without a decimal point, strings as written, None for missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TEXT_IDS = np.frompyfunc(_text_id, 1, 1)


def id_texts(values: Any) -> NDArray[Any]:
    """
    Return each id as text (as :func:`_text_id`), None where missing; no loop for integers or text.

    Examples
    --------
    >>> id_texts([7.0, "A-1", None, float("nan"), 2.5]).tolist()
    ['7', 'A-1', None, None, '2.5']
    >>> id_texts(np.array([3, 40])).tolist()
    ['3', '40']
    """
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(str).astype(object)
    array = np.asarray(values, dtype=object)
    if set(map(type, array)) <= {str}:
        return array.copy()
    with np.errstate(invalid="ignore"):  # NaN != NaN raises the flag the ufunc then reports
        return np.asarray(_TEXT_IDS(array), dtype=object).reshape(array.shape)


def feature_ids(frame: gpd.GeoDataFrame, own: Sequence[Any]) -> list[str]:
    """Return ids: ``segment_id``, else ``id`` (any case; a property or the feature's own), else the index."""
    by_name = {str(c).lower(): c for c in reversed(frame.columns)}  # the first of ID, id, Id
    ids = np.full(len(frame), None, dtype=object)
    columns = [frame[by_name[c]].to_numpy() for c in ("segment_id", "id") if c in by_name]
    for values in reversed([*columns, own]):  # the first that is given wins
        texts = id_texts(values)
        given = pd.notna(texts)
        ids[given] = texts[given]
    missing = pd.isna(ids)
    ids[missing] = np.flatnonzero(missing).astype(str)
    return list(ids.tolist())


def read_user_lines(spec: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """
    Read every line of one layer of a user's file into EPSG:4326, whatever its properties.

    Parameters
    ----------
    spec
        A GeoJSON, GeoPackage, Shapefile, GeoParquet, FileGDB, KML or any file GDAL reads;
        ``FILE|layername=NAME`` and ``FILE:NAME`` name a layer too.
    layer
        The layer to read. Without it, a file with one layer or one line layer uses that
        layer; a file with several line layers is an error that lists them.

    Returns
    -------
    lines
        The file's columns, its geometry in EPSG:4326, and ``segment_id`` (text),
        ``source_file`` and ``layer`` (None for single-layer formats), in file order.

    Raises
    ------
    CorridorDataError
        With one line per problem: the file, the feature or layer, what was expected.
    """
    path, named = split_layer(str(spec))
    layer = layer if layer is not None else named
    if not path.exists():
        raise CorridorDataError(f"{path}: no such file — check the path.")
    own: Sequence[Any]
    if path.suffix.lower() in GEOJSON_SUFFIXES and layer is None:
        frame, own = _read_geojson(path)
    else:
        layer = None if path.suffix.lower() in PARQUET_SUFFIXES else choose_layer(path, layer)
        frame = _read_ogr(path, layer)
        own = [None] * len(frame)
    frame = _checked(path, frame)
    frame["segment_id"] = feature_ids(frame, own)
    frame["source_file"] = str(path)
    frame["layer"] = layer
    return frame


def _checked(path: Path, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check for lines only, with a CRS, at least one; return them in EPSG:4326."""
    if frame.crs is None:
        raise CorridorDataError(
            f"{path}: has no CRS — set one (e.g. EPSG:4326) so lengths can be measured."
        )
    kinds = shapely.get_type_id(frame.geometry.to_numpy())
    other = np.flatnonzero(~np.isin(kinds, LINE_TYPE_IDS))
    if other.size:
        index = int(other[0])
        geometry = frame.geometry.iloc[index]
        got = "no geometry" if geometry is None else geometry.geom_type
        raise CorridorDataError(
            f"{path}: feature {index}: geometry: expected LineString or MultiLineString, "
            f"got {got} — give a line layer (--layer NAME) or remove the feature."
        )
    if len(frame) == 0:
        raise CorridorDataError(f"{path}: holds no features — give a file with lines.")
    return frame.to_crs("EPSG:4326")
