"""``corridors lengths`` and ``corridors crossings``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import geopandas as gpd
import pandas as pd

from corridors.data.allocator import keep_freed_memory
from corridors.data.atlas import load_atlas, measuring_boundaries
from corridors.data.batches import BATCH_FEATURES
from corridors.data.lines import read_user_lines
from corridors.errors import CorridorDataError
from corridors.outputs.lengths_report import (
    CORRIDOR_COLUMNS,
    COUNTRY_COLUMNS,
    CROSSING_COLUMNS,
    FILE_COUNTRY_COLUMNS,
    FILE_CROSSING_COLUMNS,
    FILE_SEGMENT_COLUMNS,
    SEGMENT_COLUMNS,
    corridor_records,
    country_records,
    crossing_records,
    file_country_records,
    file_crossing_records,
    file_segment_records,
    segment_records,
)
from corridors.outputs.stream import measure_file
from corridors.outputs.tables import render

_FORMATS = ["table", "csv", "json", "markdown"]


def register(subparsers: Any) -> None:
    """Add the ``lengths`` and ``crossings`` commands."""
    lengths = subparsers.add_parser(
        "lengths",
        help="geodesic lengths of the corridors, or of your line file, beside official figures",
        description=(
            "Measure lines on the WGS 84 ellipsoid. Without PATH: the shipped corridors, with "
            "official figures and their sources beside the measured km. With PATH: the lines of "
            "your files (GeoJSON, GeoPackage, Shapefile, GeoParquet, FileGDB, KML, any file GDAL "
            "reads), whatever their properties; ids stay as written (segment_id, else id, else "
            "the feature index) and each record names its source_file and layer."
        ),
    )
    lengths.add_argument("paths", nargs="*", metavar="PATH", help="line files to measure")
    _layer_option(lengths)
    lengths.add_argument("--corridor", metavar="ID", help="only this corridor_id")
    lengths.add_argument(
        "--by",
        choices=["corridor", "segment", "country"],
        help="one record per corridor (default without PATH), segment (default with PATH), "
        "or segment/corridor and country",
    )
    lengths.add_argument("--format", choices=_FORMATS, default="table")
    lengths.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    large = lengths.add_argument_group(
        "large files",
        "Stream a file of any size in batches into a result file (see 'Large networks' in "
        "the README).",
    )
    large.add_argument(
        "--out",
        metavar="RESULT",
        help="write the records to RESULT.parquet, .csv or .gpkg as they are measured "
        "(with --engine dask: a folder of Parquet files)",
    )
    large.add_argument(
        "--jobs", type=_positive, metavar="N", help="threads measuring batches (default: cores)"
    )
    large.add_argument(
        "--batch-size",
        type=_positive,
        default=BATCH_FEATURES,
        metavar="N",
        help=f"features per batch (default {BATCH_FEATURES:,})",
    )
    large.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave bad features out and list them in RESULT.rejected.csv instead of stopping",
    )
    large.add_argument(
        "--engine",
        choices=["stream", "dask"],
        default="stream",
        help="stream on this machine (default), or dask: a partitioned GeoParquet dataset "
        "on a Dask cluster (pip install 'corridors[dask]')",
    )
    large.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the Dask scheduler (default: a local cluster)",
    )
    lengths.set_defaults(func=run_lengths)
    crossings = subparsers.add_parser(
        "crossings",
        help="where each corridor segment crosses a border, with km from the segment start",
        description=(
            "List the border crossings of the shipped corridor segments, or of the lines of "
            "your files (PATH)."
        ),
    )
    crossings.add_argument("paths", nargs="*", metavar="PATH", help="line files")
    _layer_option(crossings)
    crossings.add_argument("--corridor", metavar="ID", help="only this corridor_id")
    crossings.add_argument("--format", choices=_FORMATS, default="table")
    crossings.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    crossings.set_defaults(func=run_crossings)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _layer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--layer",
        metavar="NAME",
        help="the layer of a multi-layer file (GeoPackage, FileGDB, KML, ...); also "
        "FILE|layername=NAME; default: the file's only line layer",
    )


def _read_files(paths: list[str], layer: str | None) -> gpd.GeoDataFrame:
    """Read every file's lines, collecting the problems of all the files first."""
    frames, problems = [], []
    for path in paths:
        try:
            frames.append(read_user_lines(path, layer))
        except CorridorDataError as error:
            problems += error.problems
    if problems:
        raise CorridorDataError(problems)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def _for_people(records: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """
    Show ratios with two decimals and coordinates with four in the human formats.

    A corridor with no official total says so, and how many part figures it has,
    where the source would be.
    """
    if fmt == "json":
        return records
    shown = []
    for record in records:
        record = dict(record)
        if record.get("official_length_km") is None and record.get("official_figures"):
            record["official_source"] = record["official_figures"]  # "no total stated; ..."
        if record.get("ratio") is not None:
            record["ratio"] = f"{record['ratio']:.2f}"
        for axis in ("lon", "lat"):
            if record.get(axis) is not None:
                record[axis] = f"{record[axis]:.4f}"
        shown.append(record)
    return shown


def _streamed(args: argparse.Namespace) -> int:
    """``lengths FILE --out RESULT``: measure in batches, write as it goes, one summary line."""
    if args.by not in (None, "segment", "country") or args.corridor is not None:
        raise CorridorDataError("--out: measures --by segment or --by country, without --corridor.")
    by = args.by or "segment"
    if args.engine == "dask":
        for option in ("layer", "jobs", "skip_invalid"):
            if getattr(args, option):
                flag = "--" + option.replace("_", "-")
                raise CorridorDataError(
                    f"{flag}: not with --engine dask (the cluster sets the parallelism, and a "
                    "dataset is GeoParquet, one layer, checked whole) — leave it out."
                )
        if len(args.paths) != 1:
            raise CorridorDataError(
                "--engine dask: give one dataset, a folder or a quoted glob such as "
                "'roads/*.parquet' (the shell expanded it into several paths)."
            )
        from corridors.outputs.dask_lengths import measure_dataset  # the optional extra

        boundaries = measuring_boundaries(args.data) if by == "country" else None
        summary = measure_dataset(
            args.paths[0],
            args.out,
            by=by,
            boundaries=boundaries,
            scheduler=args.scheduler,
            batch_size=args.batch_size,
        )
    else:
        if args.scheduler is not None:
            raise CorridorDataError("--scheduler: only with --engine dask.")
        if len(args.paths) != 1:
            raise CorridorDataError(
                "--out: give exactly one line file (run once per file, or merge them first)."
            )
        boundaries = measuring_boundaries(args.data) if by == "country" else None
        keep_freed_memory()  # this process ends with the run (see corridors.data.allocator)
        summary = measure_file(
            args.paths[0],
            args.out,
            by=by,
            layer=args.layer,
            boundaries=boundaries,
            jobs=args.jobs,
            batch_size=args.batch_size,
            skip_invalid=args.skip_invalid,
        )
    print(summary.line(), file=sys.stderr)
    return 0


def run_lengths(args: argparse.Namespace) -> int:
    """Print lengths of the shipped corridors or of the given files."""
    if args.out is not None:
        if not args.paths:
            raise CorridorDataError(
                "--out: give the line file to measure (corridors lengths FILE --out RESULT)."
            )
        return _streamed(args)
    for option in ("jobs", "skip_invalid", "scheduler"):
        if getattr(args, option):
            flag = "--" + option.replace("_", "-")
            raise CorridorDataError(f"{flag}: only with --out RESULT (a streamed run).")
    if args.engine != "stream":
        raise CorridorDataError("--engine: only with --out RESULT (a streamed run).")
    if args.paths:
        lines = _read_files(args.paths, args.layer)
        if args.by == "country":
            boundaries = measuring_boundaries(args.data)
            records = file_country_records(lines, boundaries, args.corridor)
            columns = FILE_COUNTRY_COLUMNS
        else:
            records, columns = file_segment_records(lines, args.corridor), FILE_SEGMENT_COLUMNS
    else:
        atlas = load_atlas(args.data)
        if args.by == "segment":
            records, columns = segment_records(atlas, args.corridor), SEGMENT_COLUMNS
        elif args.by == "country":
            records = country_records(atlas, args.corridor)
            columns = [c for c in COUNTRY_COLUMNS if c != "segment_id"]
        else:
            records, columns = corridor_records(atlas, args.corridor), CORRIDOR_COLUMNS
    sys.stdout.write(render(_for_people(records, args.format), columns, args.format))
    return 0


def run_crossings(args: argparse.Namespace) -> int:
    """Print the border crossings of the shipped corridors or of the given files."""
    if args.paths:
        lines = _read_files(args.paths, args.layer)
        records = file_crossing_records(lines, measuring_boundaries(args.data), args.corridor)
        columns = FILE_CROSSING_COLUMNS
    else:
        records, columns = crossing_records(load_atlas(args.data), args.corridor), CROSSING_COLUMNS
    sys.stdout.write(render(_for_people(records, args.format), columns, args.format))
    return 0
