"""``corridors lengths`` and ``corridors crossings``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from corridors.data.atlas import load_atlas, read_boundaries, read_lines
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError
from corridors.outputs.lengths_report import (
    CORRIDOR_COLUMNS,
    COUNTRY_COLUMNS,
    CROSSING_COLUMNS,
    SEGMENT_COLUMNS,
    corridor_records,
    country_records,
    crossing_records,
    file_country_records,
    file_segment_records,
    segment_records,
)
from corridors.outputs.tables import render
from corridors.validate import validate_paths

_FORMATS = ["table", "csv", "json", "markdown"]


def register(subparsers: Any) -> None:
    """Add the ``lengths`` and ``crossings`` commands."""
    lengths = subparsers.add_parser(
        "lengths",
        help="geodesic lengths of the corridors, or of your line file, beside official figures",
        description=(
            "Measure lines on the WGS 84 ellipsoid. Without PATH: the shipped corridors, with "
            "official figures and their sources beside the measured km. With PATH: your line "
            "files (GeoJSON, GeoPackage, Shapefile, GeoParquet), checked as `corridors validate` "
            "checks them."
        ),
    )
    lengths.add_argument("paths", nargs="*", metavar="PATH", help="line files to measure")
    lengths.add_argument("--corridor", metavar="ID", help="only this corridor_id")
    lengths.add_argument(
        "--by",
        choices=["corridor", "segment", "country"],
        help="one record per corridor (default without PATH), segment (default with PATH), "
        "or segment/corridor and country",
    )
    lengths.add_argument("--format", choices=_FORMATS, default="table")
    lengths.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    lengths.set_defaults(func=run_lengths)
    crossings = subparsers.add_parser(
        "crossings",
        help="where each corridor segment crosses a border, with km from the segment start",
        description="List the border crossings of the shipped corridor segments.",
    )
    crossings.add_argument("--corridor", metavar="ID", help="only this corridor_id")
    crossings.add_argument("--format", choices=_FORMATS, default="table")
    crossings.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    crossings.set_defaults(func=run_crossings)


def _read_files(paths: list[str]) -> gpd.GeoDataFrame:
    """Read every file, collecting all their problems (as validate reports them) first."""
    problems = validate_paths([Path(p) for p in paths])
    if problems:
        raise CorridorDataError(problems)
    frames = [read_lines(path) for path in paths]
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


def run_lengths(args: argparse.Namespace) -> int:
    """Print lengths of the shipped corridors or of the given files."""
    if args.paths:
        lines = _read_files(args.paths)
        if args.by == "country":
            folder = Path(args.data) if args.data else default_data_dir()
            boundaries = read_boundaries(folder / "boundaries.geojson")
            records = file_country_records(lines, boundaries, args.corridor)
            columns = COUNTRY_COLUMNS
        else:
            records = file_segment_records(lines, args.corridor)
            columns = ["corridor_id", "segment_id", "name", "mode", "status", "length_km"]
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
    """Print the border crossings of the shipped corridors."""
    records = crossing_records(load_atlas(args.data), args.corridor)
    sys.stdout.write(render(_for_people(records, args.format), CROSSING_COLUMNS, args.format))
    return 0
