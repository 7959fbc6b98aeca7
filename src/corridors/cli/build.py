"""``corridors build``."""

from __future__ import annotations

import argparse
from typing import Any

from corridors.build import build
from corridors.paths import default_output_dir


def register(subparsers: Any) -> None:
    """Add the ``build`` command."""
    parser = subparsers.add_parser(
        "build",
        help="validate, measure and write the maps, reports, figures and exports into output/",
        description=(
            "Validate the data, measure the corridors and write every product into one folder. "
            "Nothing is written unless every product was made."
        ),
    )
    parser.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    parser.add_argument("--out", metavar="DIR", help="where to write (default: output/)")
    parser.add_argument(
        "--tiles",
        metavar="NAME",
        help="add an online tile layer to the maps (e.g. osm); the default maps need no network",
    )
    parser.set_defaults(func=run_build)


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def run_build(args: argparse.Namespace) -> int:
    """Build, then print what was written where."""
    out = args.out or default_output_dir()
    written = build(args.data, out, tiles=args.tiles)
    if not args.quiet:
        total = sum(f.size for f in written)
        print(f"Wrote {len(written)} files ({_size(total)}) to {out}:")
        width = max((len(f.path) for f in written), default=0)
        for f in written:
            print(f"  {f.path:<{width}}  {_size(f.size):>10}")
    return 0
