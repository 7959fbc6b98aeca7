"""
Measure a partitioned GeoParquet dataset on a Dask cluster (``lengths DATASET --engine dask``).

The dataset is a folder of GeoParquet files (WKB geometry) or a glob of them, read in file
order (natural order: ``part.2`` before ``part.10``). Each Dask partition is a run of
consecutive row groups of one file, read with pyarrow and measured by the same pure
functions as the streamed engine (:func:`corridors.data.batches.checked_batch` and
:func:`corridors.outputs.stream.measure_batch`), so both engines give the same records.
Feature indices count across the whole dataset in file order, as if the files were one:
the offset of each partition comes from the row counts in the Parquet footers, before any
data is read. Files may differ in their columns (``segment_id``, ``id`` in any case,
``name``) and in their CRS.

Reading, measuring and writing a partition are one chain of ``map_partitions`` that Dask
fuses into one task, so no lines or records travel between workers: each worker writes its
partitions' records (``part.N.parquet``, N in dataset order, the columns of
:data:`corridors.outputs.stream.RECORD_SCHEMAS`) into a hidden folder beside the result
folder, which replaces the result in one step when every partition is written
(:func:`corridors.outputs.atomic.replaced_folder`): a run that fails leaves any previous
result as it was. (``DataFrame.to_parquet`` writes the same files, but it cannot also
return each partition's counts for the summary without a second consumer of the records,
which stops the fusion: about a third slower here.) The country boundaries reach each worker
once.

Without a scheduler address the run starts a local cluster of two worker processes with
one thread each. With one, the workers must see the dataset and the result folder at the
same paths as this process (a shared file system), and have corridors installed.

Dask and distributed are an optional extra (``pip install 'corridors[dask]'``), imported
only when a run starts.
"""

from __future__ import annotations

import glob
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj

from corridors.data.batches import (
    BATCH_FEATURES,
    batch_ids,
    cannot_read,
    checked_batch,
    geoparquet_geometry,
    id_columns,
    parquet_file,
    read_wkb,
    to_wgs84,
)
from corridors.errors import CorridorDataError
from corridors.outputs.atomic import replaced_folder
from corridors.outputs.stream import RECORD_SCHEMAS, StreamSummary, measure_batch

__all__ = [
    "LOCAL_WORKERS",
    "MISSING_EXTRA",
    "DatasetPart",
    "dataset_files",
    "dataset_parts",
    "local_cluster",
    "measure_dataset",
    "measure_part",
    "read_part",
    "write_part",
]

#: The one line a run without the optional extra stops with.
MISSING_EXTRA = "--engine dask needs the optional extra: pip install 'corridors[dask]'"
#: Worker processes of the local cluster started when no scheduler is given (one thread each).
LOCAL_WORKERS = 2
_SUFFIXES = (".parquet", ".geoparquet")
_WGS84 = pyproj.CRS.from_epsg(4326)
#: The columns of a partition as read, before it is checked and measured.
_LINE_COLUMNS = {
    "source_file": "object",
    "feature": "int64",
    "segment_id": "object",
    "name": "object",
    "geometry": "object",
    "unreadable": "object",
}
#: What :func:`write_part` returns for each partition.
_COUNTS = pd.DataFrame({"records": pd.Series(dtype="int64"), "vertices": pd.Series(dtype="int64")})


@dataclass(frozen=True)
class DatasetPart:
    """
    Consecutive row groups of one file of the dataset: one Dask partition.

    Attributes
    ----------
    path
        The file, as found from the dataset argument.
    row_groups
        The row groups of the file this partition reads.
    start
        The dataset index of the partition's first feature.
    rows
        The number of features, from the Parquet footer.
    geometry
        The file's primary geometry column (WKB).
    crs
        The file's CRS as WKT, or None where it is WGS 84 (no reprojection).
    ids
        The id columns to read (``segment_id``, then ``id`` in any case).
    names
        Whether the file has a ``name`` column.
    """

    path: str
    row_groups: tuple[int, ...]
    start: int
    rows: int
    geometry: str
    crs: str | None
    ids: tuple[str, ...]
    names: bool


# --- the dataset ------------------------------------------------------------------------------


def _natural_key(path: Path) -> list[Any]:
    """
    Sort key putting numbered files in number order.

    Examples
    --------
    >>> names = ["part.10.parquet", "part.2.parquet", "part.1.parquet"]
    >>> sorted(names, key=lambda n: _natural_key(Path(n)))
    ['part.1.parquet', 'part.2.parquet', 'part.10.parquet']
    """
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(path))]


def _visible(path: Path) -> bool:
    """Whether a file is part of a dataset: not hidden, nor a ``_metadata``-style side file."""
    return path.is_file() and not path.name.startswith((".", "_"))


def dataset_files(dataset: str | Path) -> list[Path]:
    """
    Return the files of a dataset in file order: a folder's GeoParquet files, or a glob's.

    Raises :class:`CorridorDataError` when the dataset is missing or holds no file.
    """
    text = str(dataset)
    path = Path(text)
    if path.is_dir():
        files = [p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and _visible(p)]
        if not files:
            raise CorridorDataError(
                f"{path}: no .parquet files in this folder — give a folder of GeoParquet "
                "files or a glob such as 'data/*.parquet'."
            )
    elif glob.has_magic(text):
        files = [Path(p) for p in glob.glob(text) if _visible(Path(p))]
        if not files:
            raise CorridorDataError(
                f"{text}: no file matches — check the pattern (quote it, so that the shell "
                "does not expand it)."
            )
    elif path.is_file():
        files = [path]
    else:
        raise CorridorDataError(
            f"{path}: no such folder or file — give a folder of GeoParquet files or a glob "
            "such as 'data/*.parquet'."
        )
    return sorted(files, key=_natural_key)


def _file_parts(path: Path, start: int, batch_size: int) -> list[DatasetPart]:
    """Cut one file into partitions of whole row groups, about `batch_size` rows each."""
    with parquet_file(path) as handle:
        column, crs = geoparquet_geometry(path, handle)
        names = handle.schema_arrow.names
        counts = [handle.metadata.row_group(g).num_rows for g in range(handle.num_row_groups)]
    wkt = None if crs is None or crs.equals(_WGS84) else crs.to_wkt()
    ids, has_names = tuple(id_columns(names)), "name" in names

    def part(groups: list[int], rows: int, first: int) -> DatasetPart:
        return DatasetPart(str(path), tuple(groups), first, rows, column, wkt, ids, has_names)

    parts: list[DatasetPart] = []
    groups: list[int] = []
    rows = 0
    for group, count in enumerate(counts):
        if count == 0:
            continue
        if groups and rows + count > batch_size:
            parts.append(part(groups, rows, start))
            start, groups, rows = start + rows, [], 0
        groups.append(group)
        rows += count
    if groups:
        parts.append(part(groups, rows, start))
    return parts


def dataset_parts(files: Sequence[Path], batch_size: int = BATCH_FEATURES) -> list[DatasetPart]:
    """
    Return the partitions of the dataset's files, with dataset-wide feature offsets.

    Only the Parquet footers are read: the row counts of the row groups give each
    partition's first feature. A file that is not GeoParquet with WKB geometry raises
    :class:`CorridorDataError` naming it.
    """
    parts: list[DatasetPart] = []
    start = 0
    for path in files:
        found = _file_parts(path, start, batch_size)
        parts += found
        start += sum(p.rows for p in found)
    return parts


# --- one partition: the pure functions run on the workers -------------------------------------


def read_part(part: DatasetPart) -> pd.DataFrame:
    """
    Read one partition: its ids as text, names, and geometry in EPSG:4326 (not yet checked).

    Ids follow the streamed engine's rules (``segment_id``, else ``id`` in any case, else
    the feature's dataset index). Features whose WKB cannot be read have no geometry and
    the reason in ``unreadable`` ('' for the others), for :func:`measure_part` to report.
    """
    columns = [*part.ids, *(["name"] if part.names else []), part.geometry]
    try:
        with pq.ParquetFile(part.path) as handle:
            table = handle.read_row_groups(list(part.row_groups), columns=columns)
    except (OSError, pa.ArrowException) as error:
        raise cannot_read(Path(part.path), error) from error
    if table.num_rows != part.rows:
        raise CorridorDataError(
            f"{part.path}: changed while it was measured ({table.num_rows} features in row "
            f"groups that held {part.rows}) — run again once it is written."
        )
    batch = table.combine_chunks().to_batches()[0]
    n = batch.num_rows
    feature = np.arange(part.start, part.start + n, dtype=np.int64)
    names = (
        batch.column("name").to_numpy(zero_copy_only=False)
        if part.names
        else np.full(n, None, dtype=object)
    )
    geometry, unreadable = read_wkb(batch.column(part.geometry).to_numpy(zero_copy_only=False))
    if part.crs is not None:
        geometry = to_wgs84(geometry, part.crs)
    return pd.DataFrame(
        {
            "source_file": np.full(n, part.path, dtype=object),
            "feature": feature,
            "segment_id": batch_ids(batch, feature),
            "name": names,
            "geometry": geometry,
            "unreadable": unreadable,
        }
    )


def measure_part(
    lines: pd.DataFrame, *, by: str, boundaries: gpd.GeoDataFrame | None
) -> pd.DataFrame:
    """
    Check and measure one partition read by :func:`read_part`; return its records.

    The records are those of :func:`corridors.outputs.stream.measure_batch`, plus a
    ``vertices`` column that carries the partition's vertex count on its first record (0
    on the others) for the run's summary; it is not written. A bad feature raises
    :class:`CorridorDataError` naming its file and dataset index.
    """
    if lines.empty:
        return _records_meta(by)
    path = str(lines["source_file"].iloc[0])
    batch = checked_batch(
        path,
        int(lines["feature"].iloc[0]),
        lines["segment_id"].to_numpy(dtype=object),
        lines["name"].to_numpy(dtype=object),
        lines["geometry"].to_numpy(dtype=object),
        unreadable=lines["unreadable"].to_numpy(dtype=object),
    )
    table = measure_batch(batch, source_file=path, layer=None, by=by, boundaries=boundaries)
    vertices = np.zeros(len(table), dtype=np.int64)
    if len(table):
        vertices[0] = batch.vertices
    columns = {n: table.column(n).to_numpy(zero_copy_only=False) for n in table.column_names}
    return pd.DataFrame({**columns, "vertices": vertices})  # text as object, as the meta says


def _records_meta(by: str) -> pd.DataFrame:
    """Return the empty records of a partition: the record columns and ``vertices``."""
    schema = RECORD_SCHEMAS[by]
    kinds = {"int64": "int64", "double": "float64"}
    columns = {
        n: pd.Series(dtype=kinds.get(str(t), "object"))
        for n, t in zip(schema.names, schema.types, strict=True)
    }
    return pd.DataFrame({**columns, "vertices": pd.Series(dtype="int64")})


def write_part(
    records: pd.DataFrame, *, folder: str, by: str, partition_info: dict[str, Any] | None = None
) -> pd.DataFrame:
    """
    Write one partition's records to ``FOLDER/part.N.parquet``; return its counts.

    N is the partition's number (Dask passes `partition_info`), so the files sort in
    dataset order. Returns one row: the records written and the partition's vertices.
    """
    number = 0 if partition_info is None else int(partition_info["number"])
    schema = RECORD_SCHEMAS[by]
    table = pa.Table.from_pandas(records[schema.names], schema=schema, preserve_index=False)
    pq.write_table(table, Path(folder) / f"part.{number}.parquet", compression="zstd")
    return pd.DataFrame(
        {"records": [len(records)], "vertices": [int(records["vertices"].sum())]}, dtype="int64"
    )


# --- the run ----------------------------------------------------------------------------------


def _dask() -> tuple[ModuleType, ModuleType, ModuleType]:
    """Import dask, dask.dataframe and distributed, or stop with one line naming the extra."""
    try:
        import dask
        import dask.dataframe as dd
        import distributed
    except ImportError as error:
        raise CorridorDataError(MISSING_EXTRA) from error
    return dask, dd, distributed


def local_cluster(workers: int = LOCAL_WORKERS) -> Any:
    """
    Return a new local Dask cluster: `workers` processes of one thread, on 127.0.0.1 only.

    Use it as a context manager (it stops its workers on exit). No dashboard is served;
    the scheduler's HTTP endpoint takes a free port on 127.0.0.1, not 8787. Two Dask
    defaults are turned off for its workers, which made them measure about 1.5 times
    slower than the same functions in one process: the statistical profiler (it samples
    the task thread's stack every 10 ms) and ``MALLOC_TRIM_THRESHOLD_=65536`` (memory
    handed back to the OS after every large free, then asked for again).
    """
    dask, _, distributed = _dask()
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    faster = {
        "distributed.worker.profile.enabled": False,
        "distributed.nanny.pre-spawn-environ": environ,
    }
    with dask.config.set(faster):  # read as the workers start, in the constructor
        return distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )


@contextmanager
def _client(distributed: ModuleType, scheduler: str | None) -> Iterator[Any]:
    """Yield a client of the cluster at `scheduler`, or of a local cluster started for the run."""
    if scheduler:
        try:
            client = distributed.Client(scheduler, set_as_default=False)
        except (OSError, ValueError, TypeError) as error:
            raise CorridorDataError(
                f"--scheduler {scheduler}: cannot connect ({str(error).splitlines()[0]}) — "
                "check the address, or leave --scheduler out to use a local cluster."
            ) from error
        with client:
            yield client
        return
    with local_cluster() as cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client


def _compute(
    dask: ModuleType,
    dd: ModuleType,
    client: Any,
    parts: list[DatasetPart],
    folder: Path,
    *,
    by: str,
    boundaries: gpd.GeoDataFrame | None,
) -> tuple[int, int]:
    """
    Measure every partition on the cluster into `folder`; return (vertices, records).

    Read, measure and write form one chain per partition, which Dask fuses into one task:
    no partition's lines or records travel between workers, only the counts come back.
    """
    # Object columns stay objects (decoded geometries, text), not Arrow strings.
    with dask.config.set({"dataframe.convert-string": False}):
        meta = pd.DataFrame({n: pd.Series(dtype=t) for n, t in _LINE_COLUMNS.items()})
        lines = dd.from_map(read_part, parts, meta=meta, enforce_metadata=False, label="read")
        # One task holds the boundaries; each worker fetches it once, when its first
        # partition needs it (scatter's broadcast=True would be undone by the active
        # memory manager, which drops the extra copies).
        shared = None if boundaries is None else dask.delayed(boundaries, pure=True)
        records = lines.map_partitions(
            measure_part, by=by, boundaries=shared, meta=_records_meta(by)
        )
        counts = records.map_partitions(write_part, folder=str(folder), by=by, meta=_COUNTS)
        (written,) = dask.compute(counts, scheduler=client)
    return int(written["vertices"].sum()), int(written["records"].sum())


def measure_dataset(
    dataset: str | Path,
    out: str | Path,
    *,
    by: str = "segment",
    boundaries: gpd.GeoDataFrame | None = None,
    scheduler: str | None = None,
    batch_size: int = BATCH_FEATURES,
) -> StreamSummary:
    """
    Measure every line of a partitioned GeoParquet dataset on Dask; write the records to `out`.

    Parameters
    ----------
    dataset
        A folder of GeoParquet files (WKB geometry), or a glob of them.
    out
        The result folder: one Parquet file per partition (``part.N.parquet``, in dataset
        order), with the columns of :data:`corridors.outputs.stream.RECORD_SCHEMAS`;
        written whole or not at all. An existing folder is replaced if it is empty or holds
        an earlier result only.
    by
        ``segment`` (one record per feature) or ``country`` (one per feature and country).
    boundaries
        Country polygons for ``by="country"``, sent once to each worker.
    scheduler
        The address of a Dask scheduler (``tcp://host:8786``); default: a local cluster of
        :data:`LOCAL_WORKERS` worker processes, started and stopped by the run.
    batch_size
        Features per partition, about: a partition is one or more whole row groups of one
        file, so a row group larger than this is one partition.

    Raises
    ------
    CorridorDataError
        Dask is not installed, the dataset is missing, unreadable or empty, a feature is not
        a line in range (naming its file and dataset index), or the scheduler cannot be
        reached.
    CorridorOutputError
        `out` cannot be written or holds files corridors did not write.
    """
    started = time.monotonic()
    dask, dd, distributed = _dask()
    if by not in RECORD_SCHEMAS:
        raise ValueError(f"by: expected 'segment' or 'country', got {by!r}")
    if by == "country" and boundaries is None:
        raise ValueError("by='country' needs boundaries")
    if batch_size < 1:
        raise CorridorDataError(f"batch size: expected at least 1, got {batch_size}.")
    parts = dataset_parts(dataset_files(dataset), batch_size)
    if not parts:  # as the streamed engine says of an empty file
        raise CorridorDataError(f"{dataset}: holds no features — give a dataset with lines.")
    summary = StreamSummary(Path(out), features=sum(p.rows for p in parts))
    with replaced_folder(out) as folder, _client(distributed, scheduler) as client:
        summary.jobs = sum(client.nthreads().values())
        summary.vertices, summary.records = _compute(
            dask, dd, client, parts, folder, by=by, boundaries=boundaries
        )
    summary.seconds = time.monotonic() - started
    return summary
