"""``corridors export``, ``corridors figure`` and ``corridors report``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from corridors.bilateral import load_bilateral
from corridors.build import write_all
from corridors.data import load_atlas
from corridors.export import FORMATS, export_files
from corridors.figures import FIGURE_FORMATS, figure_files
from corridors.paths import default_output_dir

_SINGLE_FILE = {"gpkg": "corridors.gpkg", "kml": "corridors.kml"}


def register(subparsers: Any) -> None:
    """Add the ``export`` and ``figure`` commands."""
    export = subparsers.add_parser(
        "export",
        help="write the layers and tables as GeoPackage, GeoJSON, CSV, KML or GeoParquet",
        description=(
            "Export the corridors, segments, places, boundaries, published lengths, "
            "milestones, bilateral tables and a data dictionary. Without --format every "
            "format is written into output/exports/."
        ),
    )
    export.add_argument("--format", choices=[*FORMATS, "all"], default="all")
    export.add_argument(
        "--out",
        metavar="PATH",
        help="folder to write into (default: output/exports); for gpkg or kml also a "
        "file name ending in .gpkg or .kml",
    )
    export.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    export.set_defaults(func=run_export)
    figure = subparsers.add_parser(
        "figure",
        help="draw print-quality static maps: the whole atlas and one per corridor",
        description="Draw static maps with matplotlib (no tiles, no network) into output/figures/.",
    )
    figure.add_argument("--corridor", metavar="ID", action="append",
                        help="draw only this corridor (repeatable); default: atlas and all")  # fmt: skip
    figure.add_argument("--format", choices=FIGURE_FORMATS, default="png")
    figure.add_argument("--out", metavar="DIR", help="folder (default: output/figures)")
    figure.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    figure.set_defaults(func=run_figure)


def _report(args: argparse.Namespace, out: Path, written: list[Any]) -> None:
    if not args.quiet:
        print(f"Wrote {len(written)} files to {out}:")
        for item in written:
            print(f"  {item.path}  ({item.size:,} bytes)")


def run_export(args: argparse.Namespace) -> int:
    """Export the chosen formats; nothing is written unless every file was made."""
    formats = FORMATS if args.format == "all" else (args.format,)
    out = Path(args.out) if args.out else default_output_dir() / "exports"
    atlas = load_atlas(args.data)
    files = export_files(atlas, load_bilateral(atlas.data_dir), formats)
    single = _SINGLE_FILE.get(args.format)
    if single and out.suffix == Path(single).suffix:
        files = {out.name: files[single]}
        out = out.parent
    _report(args, out, write_all(files, out))
    return 0


def run_figure(args: argparse.Namespace) -> int:
    """Draw the figures; an unknown corridor id exits 1 with the valid ids."""
    out = Path(args.out) if args.out else default_output_dir() / "figures"
    files = figure_files(load_atlas(args.data), corridor_ids=args.corridor, fmt=args.format)
    _report(args, out, write_all(files, out))
    return 0
