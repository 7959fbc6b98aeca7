"""``corridors validate`` and ``corridors list``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from corridors.data.atlas import load_catalog
from corridors.data.paths import default_data_dir
from corridors.outputs.tables import render
from corridors.validate import validate_paths


def register(subparsers: Any) -> None:
    """Add the ``validate`` and ``list`` commands."""
    validate = subparsers.add_parser(
        "validate",
        help="check geodata folders or corridor files; one line per problem",
        description="Check files, or folders laid out like geodata/ (default: the shipped geodata).",
    )
    validate.add_argument("paths", nargs="*", metavar="PATH")
    validate.set_defaults(func=run_validate)
    listing = subparsers.add_parser(
        "list",
        help="list the corridors with modes, status, countries and official lengths",
        description="List the corridor catalog.",
    )
    listing.add_argument("--format", choices=["table", "json", "markdown", "csv"], default="table")
    listing.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")
    listing.set_defaults(func=run_list)


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem in the given paths; exit 1 if there are any."""
    paths = args.paths or [default_data_dir()]
    problems = validate_paths(paths)
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"ok: {', '.join(map(str, paths))} passed validation.")
    return 0


def catalog_records(catalog: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one record per corridor with its total official lengths and their sources."""
    records = []
    for cid, corridor in catalog.items():
        totals = [
            entry
            for entry in corridor["official_lengths"]
            if not (entry["country"] or entry["segments"] or entry["from_place"])
        ]
        records.append(
            {
                "id": cid,
                "name": corridor["name"],
                "modes": corridor["modes"],
                "status": corridor["status"],
                "countries": corridor["countries"],
                "parties": corridor["parties"],
                "official_km": totals[0]["km"] if totals else None,
                "official_source": ", ".join(totals[0]["sources"]) if totals else "",
                "other_total_figures": [f"{e['km']:,g} ({e['sources'][0]})" for e in totals[1:]],
                "official_lengths": corridor["official_lengths"],
            }
        )
    return records


def run_list(args: argparse.Namespace) -> int:
    """Print the catalog."""
    catalog = load_catalog(f"{args.data}/catalog.json" if args.data else None)
    columns = ["id", "name", "modes", "status", "countries", "official_km", "official_source"]
    sys.stdout.write(render(catalog_records(catalog), columns, args.format))
    return 0
