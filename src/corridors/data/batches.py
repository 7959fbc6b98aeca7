"""
Read a user's line file in batches, so that memory depends on the batch, not on the file.

GeoParquet is read a row group at a time with pyarrow; GeoPackage, Shapefile, FlatGeobuf
and every other format GDAL reads come through pyogrio's Arrow stream. Only the columns a
length needs are read: the ids (``segment_id``, else ``id`` in any case), ``name`` and the
geometry. Each batch is checked with vectorised tests over its coordinate arrays, not a
Python loop per feature, and every problem names the feature's index in its layer.

GeoJSON has no batched reader that keeps this project's strict checks (a key given twice,
``NaN``, a byte-order mark), so it is read whole through :mod:`corridors.data.geojson` and
then cut into batches: for networks larger than memory, give GeoParquet or GeoPackage.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import pyproj
import shapely
from numpy.typing import NDArray

from corridors.data.collector import collector_paused
from corridors.data.geojson import parse_feature_collection
from corridors.data.lines import (
    GEOJSON_SUFFIXES,
    LINE_TYPE_IDS,
    PARQUET_SUFFIXES,
    choose_layer,
    feature_ids,
    id_texts,
    read_user_lines,
    split_layer,
)
from corridors.errors import CorridorDataError

__all__ = [
    "BATCH_FEATURES",
    "LineBatch",
    "LineSource",
    "RawBatch",
    "batch_ids",
    "cannot_read",
    "checked_batch",
    "geoparquet_geometry",
    "id_columns",
    "line_problems",
    "open_lines",
    "parquet_file",
    "read_wkb",
    "to_wgs84",
]

#: Features per batch unless asked otherwise: small batches keep memory low and caches warm.
BATCH_FEATURES = 16_384
_WGS84 = pyproj.CRS.from_epsg(4326)


@dataclass
class LineBatch:
    """
    A run of consecutive features of one layer, checked and in EPSG:4326.

    Attributes
    ----------
    start
        The index in its layer of the batch's first feature.
    segment_id, name
        Text ids (as :func:`corridors.data.lines.read_user_lines` makes them) and names.
    geometry
        Shapely (Multi)LineStrings in EPSG:4326.
    rejected
        ``(feature index, segment_id, reason)`` of the features left out (with ``skip``).
    """

    start: int
    segment_id: NDArray[Any]
    name: NDArray[Any]
    geometry: NDArray[Any]
    feature: NDArray[np.int64]
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def vertices(self) -> int:
        """Number of coordinates in the batch's lines."""
        return int(shapely.get_num_coordinates(self.geometry).sum())


@dataclass
class RawBatch:
    """A batch as read: Arrow columns, geometry still WKB in the file's CRS."""

    start: int
    batch: pa.RecordBatch
    column: str
    crs: Any


@dataclass
class LineSource:
    """One layer of a line file, opened for reading in batches (see :func:`open_lines`)."""

    path: Path
    layer: str | None
    features: int | None  # None where the format cannot tell without reading it all
    batch_size: int
    skip_invalid: bool = False

    def __iter__(self) -> Iterator[LineBatch]:
        for raw in self.raw():
            yield self.decode(raw)

    def raw(self) -> Iterator[RawBatch | LineBatch]:
        """
        Yield the batches as read, not yet decoded or checked (see :meth:`decode`).

        Reading is sequential; decoding and checking, the costlier part, can then run on
        several threads, batch by batch.
        """
        suffix = self.path.suffix.lower()
        if suffix in PARQUET_SUFFIXES:
            batches: Iterator[RawBatch | LineBatch] = self._parquet()
        elif suffix in GEOJSON_SUFFIXES and self.layer is None:
            batches = self._whole_geojson()
        else:
            batches = self._ogr()
        read = 0
        for raw in batches:
            read += raw.batch.num_rows if isinstance(raw, RawBatch) else len(raw.feature)
            yield raw
        if read == 0:  # as read_user_lines; GDAL's Arrow stream may also end early, silently
            raise CorridorDataError(f"{self.path}: holds no features — give a file with lines.")

    def decode(self, raw: RawBatch | LineBatch) -> LineBatch:
        """Decode and check one batch from :meth:`raw`."""
        if isinstance(raw, LineBatch):
            return raw
        return self._checked(raw.start, raw.batch, raw.column, raw.crs)

    # --- the readers ---------------------------------------------------------------------

    def _parquet(self) -> Iterator[RawBatch]:
        handle = parquet_file(self.path)
        column, crs = geoparquet_geometry(self.path, handle)
        names = handle.schema_arrow.names
        wanted = [*id_columns(names), *(["name"] if "name" in names else []), column]
        start = 0
        # One row group at a time: over the whole file, Arrow's reader keeps more of what it
        # read the longer the file (156 MiB more for 1M lines of 10 vertices than for 200,000).
        for group in range(handle.metadata.num_row_groups):
            for batch in handle.iter_batches(
                batch_size=self.batch_size, row_groups=[group], columns=wanted
            ):
                yield RawBatch(start, batch, column, crs)
                start += batch.num_rows

    def _ogr(self) -> Iterator[RawBatch]:
        names = list(pyogrio.read_info(self.path, layer=self.layer)["fields"])
        wanted = [*id_columns(names), *(["name"] if "name" in names else [])]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                context = pyogrio.open_arrow(
                    self.path,
                    layer=self.layer,
                    columns=wanted,
                    batch_size=self.batch_size,
                    use_pyarrow=True,
                )
                meta, reader = context.__enter__()
        except Exception as error:  # GDAL raises many kinds of errors for bad files
            raise cannot_read(self.path, error) from error
        try:
            if meta.get("crs") is None:
                raise CorridorDataError(
                    f"{self.path}: has no CRS — set one (e.g. EPSG:4326) so lengths can be measured."
                )
            crs = pyproj.CRS.from_user_input(meta["crs"])
            column = meta.get("geometry_name") or "wkb_geometry"
            start = 0
            for batch in reader:
                yield RawBatch(start, batch, column, crs)
                start += batch.num_rows
        finally:
            context.__exit__(None, None, None)

    def _whole_geojson(self) -> Iterator[LineBatch]:
        if self.skip_invalid:
            yield from self._geojson_skipping()
            return
        frame = read_user_lines(self.path)  # strict parser; checks every feature first
        for start in range(0, len(frame), self.batch_size):
            part = frame.iloc[start : start + self.batch_size]
            names = part["name"] if "name" in part else pd.Series([None] * len(part))
            yield LineBatch(
                start,
                part["segment_id"].to_numpy(dtype=object),
                _texts(names.to_numpy(dtype=object)),
                part.geometry.to_numpy(),
                np.arange(start, start + len(part), dtype=np.int64),
            )

    def _geojson_skipping(self) -> Iterator[LineBatch]:
        """
        Read GeoJSON for ``--skip-invalid``: bad geometries are left out and listed.

        The strict parser checks the text and the properties (a problem there still stops
        the run); the geometries are checked per batch like any format's.
        """
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise CorridorDataError(
                f"{self.path}: cannot read ({error.strerror}) — check the path."
            ) from error
        with collector_paused():  # until the document is freed, as in read_user_lines
            features, problems = parse_feature_collection(
                self.path, raw, geometry_check=lambda where, geometry: []
            )
            if problems:
                raise CorridorDataError(problems)
            properties = [dict(f.get("properties") or {}) for f in features]  # parser-checked
            own = [f.get("id") for f in features]
            geometry = np.asarray([_shape(f.get("geometry")) for f in features], dtype=object)
            del features, raw
            frame = pd.DataFrame(properties)
            del properties
        ids = np.asarray(feature_ids(frame, own), dtype=object)
        names = (
            frame["name"].to_numpy(dtype=object)
            if "name" in frame
            else np.full(len(frame), None, dtype=object)
        )
        for start in range(0, len(geometry), self.batch_size):
            end = start + self.batch_size
            yield checked_batch(
                self.path, start, ids[start:end], names[start:end], geometry[start:end], True
            )

    # --- checks, vectorised over the batch ------------------------------------------------

    def _checked(self, start: int, batch: pa.RecordBatch, column: str, crs: Any) -> LineBatch:
        n = batch.num_rows
        ids = batch_ids(batch, np.arange(start, start + n, dtype=np.int64))
        names = (
            batch.column("name").to_numpy(zero_copy_only=False)
            if "name" in batch.schema.names
            else np.full(n, None, dtype=object)
        )
        geometry, unreadable = read_wkb(batch.column(column).to_numpy(zero_copy_only=False))
        if crs is not None and not pyproj.CRS.from_user_input(crs).equals(_WGS84):
            geometry = to_wgs84(geometry, crs)
        return checked_batch(
            self.path, start, ids, names, geometry, self.skip_invalid, unreadable=unreadable
        )


def checked_batch(
    path: Path | str,
    start: int,
    ids: NDArray[Any],
    names: NDArray[Any],
    geometry: NDArray[Any],
    skip_invalid: bool = False,
    *,
    unreadable: NDArray[Any] | None = None,
) -> LineBatch:
    """
    Check a run of features from index `start` of `path` (geometry in EPSG:4326).

    The first problem raises :class:`CorridorDataError` naming the feature's index, its
    segment_id and what to do; with `skip_invalid` the bad features are left out and
    listed in ``rejected`` instead. `unreadable` gives the reason of features whose WKB
    could not be read (their geometry is None; see :func:`read_wkb`).
    """
    n = len(geometry)
    feature = np.arange(start, start + n, dtype=np.int64)
    reasons = line_problems(geometry)
    if unreadable is not None:
        reasons = np.where(unreadable != "", unreadable, reasons)
    bad = np.flatnonzero(reasons != "")
    rejected: list[tuple[int, str, str]] = []
    if bad.size:
        if not skip_invalid:
            i = int(bad[0])
            raise CorridorDataError(
                f"{path}: feature {feature[i]} (segment_id {ids[i]!r}): {reasons[i]} — "
                "fix or remove it, or pass --skip-invalid to measure the others "
                f"({bad.size} such feature(s) in features {start}–{start + n - 1})."
            )
        rejected = [(int(feature[i]), str(ids[i]), str(reasons[i])) for i in bad]
        keep = reasons == ""
        feature, ids, names, geometry = feature[keep], ids[keep], names[keep], geometry[keep]
    return LineBatch(start, ids, _texts(names), geometry, feature, rejected)


def read_wkb(wkb: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """
    Return the geometries of `wkb` and, for each, why it cannot be read ('' where it can).

    A batch is read in one call; only a batch with WKB that GEOS or shapely refuse (a
    one-point line, a curve) is read again feature by feature, to name the bad ones.
    """
    reasons = np.full(len(wkb), "", dtype=object)
    try:
        with np.errstate(invalid="ignore"):  # NaN coordinates: line_problems names them
            return shapely.from_wkb(wkb), reasons
    except (shapely.errors.GEOSException, NotImplementedError):
        pass
    geometry = np.full(len(wkb), None, dtype=object)
    for i, value in enumerate(wkb):
        try:
            with np.errstate(invalid="ignore"):
                geometry[i] = shapely.from_wkb(value)
        except shapely.errors.GEOSException as error:
            message = str(error).splitlines()[0]
            reasons[i] = (
                "geometry: a line needs at least two points"
                if "must contain 0 or >1 elements" in message
                else f"geometry: unreadable WKB ({message})"
            )
        except NotImplementedError:
            reasons[i] = (
                "geometry: expected LineString or MultiLineString, got a curve (convert it "
                "with ogr2ogr -nlt CONVERT_TO_LINEAR, or measure the file without --out)"
            )
    return geometry, reasons


def _shape(geometry: Any) -> Any:
    """Return a GeoJSON geometry object as shapely, or None where it is missing or malformed."""
    try:
        return shapely.geometry.shape(geometry) if geometry else None
    except Exception:  # malformed members raise many kinds of errors; the check names it
        return None


def _texts(values: NDArray[Any]) -> NDArray[Any]:
    """Return `values` as text, None where missing (NaN too); no loop when they are text."""
    values = np.asarray(values, dtype=object)
    missing = pd.isna(values)
    if set(map(type, values[~missing])) <= {str}:  # all text already: no loop per value
        out = values.copy()
        out[missing] = None
        return out
    texts = [None if m else str(v) for v, m in zip(values, missing, strict=True)]
    return np.asarray(texts, dtype=object)


def line_problems(geometry: NDArray[Any]) -> NDArray[Any]:
    """
    Return, for each geometry, what is wrong with it as a line in EPSG:4326 ('' where nothing).

    One pass of array operations over all the geometries and their coordinates: missing
    geometry, a type other than (Multi)LineString, a part of fewer than two points,
    coordinates that are not finite numbers, or outside [-180, 180] x [-90, 90].

    Examples
    --------
    >>> lines = shapely.from_wkt(["LINESTRING (0 0, 1 1)", "POINT (0 0)", "LINESTRING (0 0, 0 95)"])
    >>> line_problems(np.array([*lines, None])).tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['', 'geometry: expected LineString or MultiLineString, got Point',
     'coordinates: latitude 95 outside [-90, 90] — write [lon, lat] in degrees',
     'geometry: expected LineString or MultiLineString, got no geometry']
    """
    n = len(geometry)
    reasons = np.full(n, "", dtype=object)
    kind = shapely.get_type_id(geometry)
    missing = kind < 0
    reasons[missing] = "geometry: expected LineString or MultiLineString, got no geometry"
    other = ~missing & ~np.isin(kind, LINE_TYPE_IDS)
    for i in np.flatnonzero(other):
        reasons[i] = (
            f"geometry: expected LineString or MultiLineString, got {geometry[i].geom_type}"
        )
    lines = np.flatnonzero(~missing & ~other)
    # A LineString is its one part; only MultiLineStrings are taken apart.
    short = shapely.get_num_coordinates(geometry[lines]) < 2
    multi = np.flatnonzero(kind[lines] == 5)
    if multi.size:
        parts, owner = shapely.get_parts(geometry[lines[multi]], return_index=True)
        few = np.bincount(owner[shapely.get_num_coordinates(parts) < 2], minlength=multi.size)
        short[multi] = few > 0
    empty = shapely.is_empty(geometry[lines])
    for i in lines[short | empty]:
        reasons[i] = "geometry: a line needs at least two points"
    coords, at = shapely.get_coordinates(geometry[lines], return_index=True)
    finite = np.isfinite(coords).all(axis=1)
    for where in np.unique(at[~finite]):
        reasons[lines[where]] = "coordinates: expected finite numbers, got NaN or infinity"
    lon_bad = finite & (np.abs(coords[:, 0]) > 180)
    lat_bad = finite & (np.abs(coords[:, 1]) > 90)
    for flags, axis, limit in ((lat_bad, 1, 90), (lon_bad, 0, 180)):
        first: dict[int, float] = {}
        for j in np.flatnonzero(flags):
            first.setdefault(int(at[j]), float(coords[j, axis]))
        for where, value in first.items():
            if reasons[lines[where]] == "":
                what = "latitude" if axis else "longitude"
                reasons[lines[where]] = (
                    f"coordinates: {what} {value:g} outside [-{limit}, {limit}] — "
                    "write [lon, lat] in degrees"
                )
    return reasons


def to_wgs84(geometry: NDArray[Any], crs: Any) -> NDArray[Any]:
    """Return `geometry` transformed from `crs` to EPSG:4326 (lon, lat)."""
    transformer = pyproj.Transformer.from_crs(crs, _WGS84, always_xy=True)
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def id_columns(names: list[str]) -> list[str]:
    """Return the id columns: ``segment_id``, then ``id`` in any case (the first of each)."""
    by_name = {n.lower(): n for n in reversed(names)}
    return [by_name[c] for c in ("segment_id", "id") if c in by_name]


def batch_ids(batch: pa.RecordBatch, feature: NDArray[np.int64]) -> NDArray[Any]:
    """Ids as :func:`corridors.data.lines.read_user_lines` gives them, for one batch."""
    ids = np.full(batch.num_rows, None, dtype=object)
    for column in reversed(id_columns(batch.schema.names)):  # segment_id wins over id
        values = _id_texts(batch.column(column))
        given = ~pd.isna(values)
        ids[given] = values[given]
    missing = pd.isna(ids)
    ids[missing] = feature[missing].astype(str)
    return ids


def _id_texts(values: pa.Array) -> NDArray[Any]:
    """Return a column's values as id text, None where missing (vectorised for common types)."""
    kind = values.type
    if pa.types.is_integer(kind) or pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.asarray(values.cast(pa.string()).to_numpy(zero_copy_only=False), dtype=object)
    return id_texts(values.to_pylist())


def cannot_read(path: Path, error: Exception) -> CorridorDataError:
    """Return the one-line error for a file its reader refused, with the reader's first line."""
    return CorridorDataError(f"{path}: cannot read ({str(error).splitlines()[0]}).")


def parquet_file(path: Path) -> pq.ParquetFile:
    """Open a Parquet file, or fail with one line naming it."""
    try:
        return pq.ParquetFile(path)
    except Exception as error:  # Arrow raises many kinds of errors for bad files
        raise cannot_read(path, error) from error


def geoparquet_geometry(path: Path, handle: pq.ParquetFile) -> tuple[str, Any]:
    """Return the primary geometry column of a GeoParquet file and its CRS (WKB only)."""
    metadata = handle.schema_arrow.metadata or {}
    if b"geo" not in metadata:
        raise CorridorDataError(
            f"{path}: is Parquet but not GeoParquet (no 'geo' metadata) — write it with "
            "GeoDataFrame.to_parquet or ogr2ogr."
        )
    geo = json.loads(metadata[b"geo"])
    column = geo.get("primary_column", "geometry")
    spec = geo.get("columns", {}).get(column, {})
    if spec.get("encoding", "WKB").upper() != "WKB":
        raise CorridorDataError(
            f"{path}: geometry column {column!r} is encoded as {spec['encoding']!r} — "
            "write it as WKB (GeoDataFrame.to_parquet(geometry_encoding='WKB'))."
        )
    crs = spec.get("crs", "OGC:CRS84")  # GeoParquet: a missing crs means OGC:CRS84
    return column, None if crs is None else pyproj.CRS.from_user_input(crs)


def open_lines(
    spec: str | Path,
    layer: str | None = None,
    *,
    batch_size: int = BATCH_FEATURES,
    skip_invalid: bool = False,
) -> LineSource:
    """
    Open one layer of a line file for reading in batches of `batch_size` features.

    Iterating over the result yields :class:`LineBatch` objects in file order. Problems
    raise :class:`CorridorDataError` naming the file and the feature's index, unless
    `skip_invalid`, which leaves the feature out and lists it in the batch's ``rejected``.
    """
    path, named = split_layer(str(spec))
    layer = layer if layer is not None else named
    if not path.exists():
        raise CorridorDataError(f"{path}: no such file — check the path.")
    if batch_size < 1:
        raise CorridorDataError(f"batch size: expected at least 1, got {batch_size}.")
    suffix = path.suffix.lower()
    features: int | None = None
    if suffix in PARQUET_SUFFIXES:
        features = parquet_file(path).metadata.num_rows
        layer = None
    elif not (suffix in GEOJSON_SUFFIXES and layer is None):
        layer = choose_layer(path, layer)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                count = pyogrio.read_info(path, layer=layer).get("features")
        except Exception as error:  # GDAL raises many kinds of errors for bad files
            raise cannot_read(path, error) from error
        features = int(count) if count is not None and count >= 0 else None
    return LineSource(path, layer, features, batch_size, skip_invalid)
