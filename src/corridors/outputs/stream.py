"""
Measure a line file of any size in batches and write each batch's records as they come.

The file is read in batches (:mod:`corridors.data.batches`); each batch is measured on a
thread pool by the same functions as ``corridors lengths FILE`` (shapely 2 and NumPy
release the GIL), and the records are written in input order, whatever the number of
jobs. At most ``jobs + 1`` batches are in memory at once, so peak memory depends on the
batch size, not on the file.

The result appears whole or not at all: records go to a hidden file beside the result
(``.NAME.partial-PID-…``) that replaces the result in one ``os.replace`` when every batch
is written. A run that fails, is interrupted or killed leaves any previous result as it
was; the next run removes a killed run's partial file and says so.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from math import ceil
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pyogrio

from corridors.data.batches import BATCH_FEATURES, LineBatch, RawBatch, open_lines
from corridors.data.collector import older_objects_frozen
from corridors.errors import CorridorOutputError
from corridors.measure.geodesic import Mapper
from corridors.measure.lengths import country_parts, geodesic_length_m
from corridors.outputs.atomic import stop_if_interrupted
from corridors.outputs.lengths_report import boundary_sets
from corridors.outputs.tables import FORMULA_STARTS, csv_cell

__all__ = ["OUT_FORMATS", "RECORD_SCHEMAS", "StreamSummary", "measure_batch", "measure_file"]

log = logging.getLogger(__name__)

#: Result formats by file suffix.
OUT_FORMATS = {".parquet": "parquet", ".geoparquet": "parquet", ".csv": "csv", ".gpkg": "gpkg"}
_TEXT = pa.string()
#: The columns of the records, by ``--by``; km on the WGS 84 ellipsoid, to the millimetre.
RECORD_SCHEMAS = {
    "segment": pa.schema(
        [
            ("source_file", _TEXT),
            ("layer", _TEXT),
            ("feature", pa.int64()),
            ("segment_id", _TEXT),
            ("name", _TEXT),
            ("length_km", pa.float64()),
        ]
    ),
    "country": pa.schema(
        [
            ("source_file", _TEXT),
            ("layer", _TEXT),
            ("feature", pa.int64()),
            ("segment_id", _TEXT),
            ("name", _TEXT),
            ("iso3", _TEXT),
            ("length_km", pa.float64()),
            ("boundaries", _TEXT),
        ]
    ),
}
_PARTIAL = ".partial-"


@dataclass
class StreamSummary:
    """What a streamed run measured and wrote."""

    out: Path
    features: int = 0
    vertices: int = 0
    records: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    rejected_file: Path | None = None
    seconds: float = 0.0
    jobs: int = 1

    def line(self) -> str:
        """One line for the terminal: what was measured, how fast, where it went."""
        rate = self.vertices / self.seconds if self.seconds > 0 else 0.0
        text = (
            f"measured {self.features:,} features ({self.vertices:,} vertices) in "
            f"{self.seconds:.1f} s, {rate / 1e6:.2f}M vertices/s with {self.jobs} job(s); "
            f"wrote {self.records:,} records to {self.out}"
        )
        if self.rejected_file is not None:
            text += f"; {len(self.rejected):,} rejected, listed in {self.rejected_file}"
        return text


def measure_batch(
    batch: LineBatch,
    *,
    source_file: str,
    layer: str | None,
    by: str,
    boundaries: gpd.GeoDataFrame | None,
    mapper: Mapper = map,
) -> pa.Table:
    """
    Return the records of one batch: a pure function of the batch (and the boundaries).

    The same engine as the in-memory ``corridors lengths FILE`` measures it
    (:func:`corridors.measure.lengths.geodesic_length_m` and
    :func:`~corridors.measure.lengths.country_parts`, which
    :func:`corridors.outputs.lengths_report.file_segment_table` and
    :func:`~corridors.outputs.lengths_report.file_country_table` use); km are rounded to
    the mm. The records are an Arrow table with the columns of :data:`RECORD_SCHEMAS`,
    built from the batch's arrays without a row-by-row step. `mapper` (``map``, or a thread
    pool's ``map``) runs the spans and chunks of a long batch; the records are the same.
    """
    if by == "country":
        if boundaries is None:
            raise ValueError("by='country' needs boundaries")
        parts = country_parts(batch.geometry, boundaries, mapper=mapper)
        line, km = parts.line, parts.length_km
        code = pa.array(parts.code.astype(np.int32))  # names by code: no loop over Python text
        extra = {
            "iso3": pa.DictionaryArray.from_arrays(code, pa.array(parts.codes, _TEXT)),
            "boundaries": pa.DictionaryArray.from_arrays(
                code, pa.array(boundary_sets(boundaries, parts.codes), _TEXT)
            ),
        }
    else:
        line = np.arange(len(batch.feature))
        km, extra = geodesic_length_m(batch.geometry, mapper=mapper) / 1000, {}
    feature = batch.feature[line]
    schema = RECORD_SCHEMAS["country" if by == "country" else "segment"]
    columns = {
        "source_file": pa.repeat(pa.scalar(source_file, _TEXT), len(feature)),
        "layer": pa.repeat(pa.scalar(layer, _TEXT), len(feature)),
        "feature": feature,
        "segment_id": batch.segment_id[line],
        "name": batch.name[line],
        "length_km": np.round(km, 6),
        **extra,
    }
    return pa.table(
        [
            pc.cast(columns[n], t) if n in extra else columns[n]
            for n, t in zip(schema.names, schema.types, strict=True)
        ],
        schema=schema,
    )


# --- writers --------------------------------------------------------------------------------


_RISKY = "^[" + "".join("\\" + c if c in "-^]\\" else c for c in FORMULA_STARTS) + "]"


def _formula_safe(table: pa.Table) -> pa.Table:
    """CSV only: text cells a spreadsheet would run get a leading ``'`` (numbers stay)."""
    for i, name in enumerate(table.column_names):
        column = table.column(i)
        if not pa.types.is_string(column.type):
            continue
        risky = pc.fill_null(pc.match_substring_regex(column, _RISKY), False)
        if not pc.any(risky).as_py():
            continue
        values = column.to_pylist()
        for j in np.flatnonzero(risky.to_numpy(zero_copy_only=False)):
            values[j] = csv_cell(values[j])
        table = table.set_column(i, name, pa.array(values, column.type))
    return table


class _Writer:
    def __init__(self, path: Path, fmt: str, schema: pa.Schema) -> None:
        self.path, self.fmt, self.schema = path, fmt, schema
        self._parquet: pq.ParquetWriter | None = None
        self._csv: BinaryIO | None = None
        self._csv_writer: pa_csv.CSVWriter | None = None
        self._first = True

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, self.schema, compression="zstd")
            self._parquet.write_table(table)
        elif self.fmt == "csv":
            self._open_csv().write_table(_formula_safe(table))
        else:
            with _quiet_pyogrio():
                pyogrio.write_arrow(
                    table,
                    self.path,
                    layer="lengths",
                    driver="GPKG",
                    append=not self._first,
                    geometry_name=None,
                    geometry_type=None,
                )
        self._first = False

    def _open_csv(self) -> pa_csv.CSVWriter:
        if self._csv_writer is None:
            self._csv = open(self.path, "wb")
            self._csv_writer = pa_csv.CSVWriter(
                self._csv, self.schema, write_options=pa_csv.WriteOptions(quoting_style="needed")
            )
        return self._csv_writer

    def close(self) -> None:
        if self.fmt == "parquet" and self._parquet is None:  # no records: an empty table
            self._parquet = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        if self.fmt == "csv":
            self._open_csv().close()
        if self.fmt == "gpkg" and self._first:
            self.write(self.schema.empty_table())
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.flush()
            os.fsync(self._csv.fileno())
            self._csv.close()


@contextmanager
def _quiet_pyogrio() -> Iterator[None]:
    """Hush pyogrio's "Created N records" line per batch (the summary line says it once)."""
    pyogrio_log = logging.getLogger("pyogrio")
    level = pyogrio_log.level
    pyogrio_log.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        pyogrio_log.setLevel(level)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_leftovers(out: Path) -> None:
    """Remove partial results of killed runs (their process is gone), with one line."""
    prefix = f".{out.name}{_PARTIAL}"
    for leftover in sorted(out.parent.glob(f"{prefix}*")):
        pid = leftover.name[len(prefix) :].partition("-")[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
            log.warning("removed the partial result of an interrupted run: %s", leftover.name)


@contextmanager
def _staged(out: Path) -> Iterator[Path]:
    """Yield a hidden path beside `out` that replaces it on success and is removed otherwise."""
    try:
        fd, name = tempfile.mkstemp(  # the suffix too: GDAL warns of a .gpkg without it
            prefix=f".{out.name}{_PARTIAL}{os.getpid()}-", suffix=out.suffix, dir=out.parent
        )
        os.close(fd)
        os.unlink(name)  # the writers create it (GDAL will not write into an empty file)
    except OSError as error:
        raise CorridorOutputError(
            f"{out}: cannot write here ({error.strerror}); choose another --out path."
        ) from error
    partial = Path(name)
    try:
        yield partial
        stop_if_interrupted()
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _check_out(out: Path) -> str:
    if out.is_dir():
        raise CorridorOutputError(f"{out}: is a folder — give a file name for --out.")
    fmt = OUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise CorridorOutputError(
            f"{out}: unknown result format {out.suffix or '(no suffix)'!r} — end --out with "
            f"{', '.join(OUT_FORMATS)}."
        )
    if not out.parent.is_dir():
        raise CorridorOutputError(f"{out.parent}: no such folder — create it or fix --out.")
    return fmt


# --- the run --------------------------------------------------------------------------------


class Progress:
    """A progress line on a terminal: features and vertices done, rate, time left."""

    def __init__(self, total: int | None, stream: TextIO, every: float = 0.25) -> None:
        self.total, self.stream, self.every = total, stream, every
        self.start = self.last = time.monotonic()
        self.features = self.vertices = 0

    def update(self, features: int, vertices: int) -> None:
        self.features += features
        self.vertices += vertices
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.start
        rate = self.vertices / elapsed if elapsed else 0.0
        done = f"{self.features:,}"
        left = ""
        if self.total:
            share = self.features / self.total
            done += f"/{self.total:,} features ({share:.0%})"
            if 0 < share < 1:
                left = f" · {elapsed * (1 - share) / share:.0f} s left"
        else:
            done += " features"
        self.stream.write(
            f"\r{done} · {self.vertices:,} vertices · {rate / 1e6:.2f}M vertices/s{left}\x1b[K"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _stoppable(mapper: Mapper) -> Mapper:
    """Return `mapper` with each item first checking for a signal: a long batch stops soon."""

    def stoppable(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterable[Any]:
        def call(item: Any) -> Any:
            stop_if_interrupted()
            return function(item)

        return mapper(call, items)

    return stoppable


def measure_file(
    spec: str | Path,
    out: str | Path,
    *,
    by: str = "segment",
    layer: str | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    jobs: int | None = None,
    batch_size: int = BATCH_FEATURES,
    skip_invalid: bool = False,
    progress: bool | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> StreamSummary:
    """
    Measure every line of `spec` in batches and write the records to `out`.

    Parameters
    ----------
    spec
        A line file (GeoParquet, GeoPackage, any format GDAL reads; GeoJSON is read whole).
    out
        The result: ``.parquet``, ``.csv`` or ``.gpkg``; written whole or not at all.
    by
        ``segment`` (one record per feature) or ``country`` (one per feature and country).
    boundaries
        Country polygons for ``by="country"``.
    jobs
        Threads measuring batches; default: the number of cores.
    batch_size
        Features per batch.
    skip_invalid
        Leave bad features out and list them in ``NAME.rejected.csv`` beside `out`,
        instead of stopping at the first.
    progress
        A progress line on stderr; default: when stderr is a terminal.
    on_batch
        Called with each batch's index once it is written (for tests and hooks).
    """
    started = time.monotonic()
    target = Path(out)
    fmt = _check_out(target)
    source = open_lines(spec, layer, batch_size=batch_size, skip_invalid=skip_invalid)
    if target.exists() and os.path.samefile(target, source.path):
        raise CorridorOutputError(
            f"{target}: is the line file being measured — give another --out path."
        )
    jobs = max(1, jobs or os.cpu_count() or 1)
    schema = RECORD_SCHEMAS["country" if by == "country" else "segment"]
    summary = StreamSummary(target, jobs=jobs)
    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(source.features, sys.stderr) if show else None
    rejected_path = target.with_name(f"{target.stem}.rejected.csv") if skip_invalid else None
    _remove_leftovers(target)
    if rejected_path is not None:
        _remove_leftovers(rejected_path)

    def measure(raw: RawBatch | LineBatch) -> tuple[LineBatch, pa.Table]:
        batch = source.decode(raw)
        table = measure_batch(
            batch,
            source_file=str(source.path),
            layer=source.layer,
            by=by,
            boundaries=boundaries,
            mapper=mapper,
        )
        return batch, table

    with older_objects_frozen(), _staged(target) as partial, ExitStack() as stack:
        # A file of fewer batches than jobs (one huge line is one batch) would leave jobs
        # idle: these threads share out each batch's spans of pairs and chunks of cut
        # instead. They never submit work themselves. Files of more batches keep them
        # apart: a thread of each pool would hold its own copy of the border pieces.
        spans = (
            stack.enter_context(ThreadPoolExecutor(jobs, thread_name_prefix="corridors-span"))
            if jobs > 1
            and source.features is not None
            and ceil(source.features / batch_size) < jobs
            else None
        )
        mapper = _stoppable(spans.map if spans is not None else map)
        writer = _Writer(partial, fmt, schema)
        try:
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="corridors") as pool:
                pending: deque[Future[tuple[LineBatch, pa.Table]]] = deque()
                written = 0

                def drain(keep: int) -> None:
                    nonlocal written
                    while len(pending) > keep:
                        batch, table = pending.popleft().result()
                        writer.write(table)
                        summary.features += len(batch.feature) + len(batch.rejected)
                        vertices = batch.vertices
                        summary.vertices += vertices
                        summary.records += len(table)
                        summary.rejected += batch.rejected
                        if bar is not None:
                            bar.update(len(batch.feature) + len(batch.rejected), vertices)
                        if on_batch is not None:
                            on_batch(written)
                        written += 1

                try:
                    for raw in source.raw():
                        pending.append(pool.submit(measure, raw))
                        drain(jobs)
                    drain(0)
                except BaseException:
                    for future in pending:
                        future.cancel()
                    raise
        finally:
            writer.close()
            if bar is not None:
                bar.close()
        if rejected_path is not None:  # replaced just before the result
            summary.rejected_file = rejected_path
            rejected = pa.table(
                {
                    name: pa.array([row[i] for row in summary.rejected], kind)
                    for i, (name, kind) in enumerate(
                        [("feature", pa.int64()), ("segment_id", _TEXT), ("reason", _TEXT)]
                    )
                }
            )
            with _staged(rejected_path) as staged:
                writer = _Writer(staged, "csv", rejected.schema)
                writer.write(rejected)
                writer.close()
    summary.seconds = time.monotonic() - started
    return summary
