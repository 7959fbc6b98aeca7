"""``corridors build``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from corridors.build import build
from corridors.data.paths import default_output_dir
from corridors.outputs.atomic import WrittenFile


def register(subparsers: Any) -> None:
    """Add the ``build`` command."""
    parser = subparsers.add_parser(
        "build",
        help="validate, measure and write the maps, reports, figures and exports into ./output",
        description=(
            "Validate the data, measure the corridors and write every product into one folder. "
            "Nothing is written unless every product was made. Without --out the products go "
            "into output/ in the current folder."
        ),
    )
    parser.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    parser.add_argument(
        "--out", metavar="DIR", help="where to write (default: ./output in the current folder)"
    )
    parser.add_argument(
        "--tiles",
        metavar="NAME",
        help="add an online tile layer to the maps (e.g. osm); the default maps need no network",
    )
    parser.set_defaults(func=run_build)


def _size(n: int) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def summary(written: list[WrittenFile]) -> list[tuple[str, str]]:
    """
    Summarise a build: every HTML page and top-level file with its size; other folders in one line.

    Examples
    --------
    >>> files = [WrittenFile("index.html", 2048), WrittenFile("figures/a.png", 1024),
    ...          WrittenFile("figures/b.png", 1024)]
    >>> summary(files)
    [('index.html', '2.0 KB'), ('figures/', '2 files, 2.0 KB')]
    """
    rows: list[tuple[str, str]] = []
    folders: dict[str, list[int]] = {}
    for f in written:
        folder, _, rest = f.path.partition("/")
        if not rest or f.path.endswith(".html"):
            rows.append((f.path, _size(f.size)))
        else:
            folders.setdefault(folder + "/", []).append(f.size)
    rows += [(k, f"{len(v)} files, {_size(sum(v))}") for k, v in sorted(folders.items())]
    return rows


def run_build(args: argparse.Namespace) -> int:
    """Build, then print what was written where."""
    out = args.out or default_output_dir()
    written = build(args.data, out, tiles=args.tiles)
    if not args.quiet:
        total = sum(f.size for f in written)
        print(f"Wrote {len(written)} files ({_size(total)}) to {out}:")
        rows = summary(written)
        width = max((len(path) for path, _ in rows), default=0)
        for path, size in rows:
            print(f"  {path:<{width}}  {size}")
        print(f"Open {Path(out) / 'index.html'} in a browser; no network is needed.")
    return 0
