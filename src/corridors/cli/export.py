"""``corridors export``, ``corridors figure`` and ``corridors report``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.data.paths import default_output_dir
from corridors.errors import CorridorOutputError
from corridors.outputs.atomic import WrittenFile, check_writable, write_bytes, write_folder
from corridors.outputs.export import FORMATS, export_files
from corridors.outputs.formats import FIGURE_FORMATS
from corridors.outputs.report import REPORT_FORMATS, report_text

_SINGLE_FILE = {"gpkg": "corridors.gpkg", "kml": "corridors.kml"}


def register(subparsers: Any) -> None:
    """Add the ``export``, ``figure`` and ``report`` commands."""
    export = subparsers.add_parser(
        "export",
        help="write the layers and tables as GeoPackage, GeoJSON, CSV, KML or GeoParquet",
        description=(
            "Export the corridors, segments, places, boundaries, published lengths, "
            "milestones, bilateral tables and a data dictionary. Without --format every "
            "format is written into output/exports/ in the current folder."
        ),
    )
    export.add_argument("--format", choices=[*FORMATS, "all"], default="all")
    export.add_argument(
        "--out",
        metavar="PATH",
        help="folder to write into (default: ./output/exports); for gpkg or kml also a "
        "file name ending in .gpkg or .kml",
    )
    export.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    export.set_defaults(func=run_export)
    figure = subparsers.add_parser(
        "figure",
        help="draw print-quality static maps: the whole atlas and one per corridor",
        description="Draw static maps with matplotlib (no tiles, no network) into "
        "output/figures/ in the current folder.",
    )
    figure.add_argument(
        "--corridor",
        metavar="ID",
        action="append",
        help="draw only this corridor (repeatable); default: atlas and all",
    )
    _add_options(figure, FIGURE_FORMATS, "./output/figures")
    figure.set_defaults(func=run_figure)
    report = subparsers.add_parser(
        "report",
        help="write the report: lengths, country splits, stated vs measured, crossings, partners",
        description="Write report.md or report.html, with the figures it shows in figures/.",
    )
    _add_options(report, REPORT_FORMATS, "./output")
    report.set_defaults(func=run_report)


def _add_options(parser: argparse.ArgumentParser, formats: Sequence[str], out: str) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0])
    parser.add_argument("--out", metavar="DIR", help=f"folder (default: {out})")
    parser.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")


def _report(args: argparse.Namespace, out: Path, written: list[Any]) -> None:
    if not args.quiet:
        print(f"Wrote {len(written)} files to {out}:")
        for item in written:
            print(f"  {item.path}  ({item.size:,} bytes)")


def run_export(args: argparse.Namespace) -> int:
    """Export the chosen formats; nothing is written unless every file was made."""
    formats = FORMATS if args.format == "all" else (args.format,)
    out = Path(args.out) if args.out else default_output_dir() / "exports"
    single = _SINGLE_FILE.get(args.format)
    as_file = out.suffix.lower() in {".gpkg", ".kml"}
    if as_file and (single is None or out.suffix.lower() != Path(single).suffix):
        raise CorridorOutputError(
            f"{out}: a {out.suffix} file name, but --format {args.format} writes "
            f"{'a folder of files' if single is None else 'a ' + Path(single).suffix + ' file'}"
            " — give a folder, or a file name that matches the format."
        )
    check_writable(out.parent if as_file else out)
    atlas = load_atlas(args.data)
    files = export_files(atlas, load_bilateral(atlas.data_dir), formats)
    if single and as_file:
        write_bytes(out, files[single])  # one file, replaced whole; the folder is left alone
        _report(args, out.parent, [WrittenFile(out.name, len(files[single]))])
        return 0
    _report(args, out, write_folder(files, out))
    return 0


def run_figure(args: argparse.Namespace) -> int:
    """Draw the figures; an unknown corridor id exits 1 with the valid ids."""
    out = Path(args.out) if args.out else default_output_dir() / "figures"
    check_writable(out)
    from corridors.outputs.figures import figure_files  # Matplotlib only when drawing

    files = figure_files(load_atlas(args.data), corridor_ids=args.corridor, fmt=args.format)
    _report(args, out, write_folder(files, out))
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Write the report and the figures it shows; nothing is written unless all were made."""
    out = Path(args.out) if args.out else default_output_dir()
    check_writable(out)
    atlas = load_atlas(args.data)
    files = {
        f"report.{args.format}": report_text(
            atlas, load_bilateral(atlas.data_dir), args.format
        ).encode("utf-8")
    }
    from corridors.outputs.figures import figure_files  # Matplotlib only when drawing

    files |= {f"figures/{name}": data for name, data in figure_files(atlas).items()}
    _report(args, out, write_folder(files, out))
    return 0
