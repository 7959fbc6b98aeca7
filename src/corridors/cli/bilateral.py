"""``corridors profile`` and ``corridors timeline``: the bilateral tables on the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from corridors.bilateral.schema import table_rows
from corridors.bilateral.tables import TIMELINE_COLUMNS, country_profile, load_bilateral, timeline
from corridors.data.atlas import load_catalog
from corridors.data.paths import default_data_dir
from corridors.outputs.tables import render

FORMATS = ["table", "json", "markdown"]

_SECTIONS: list[tuple[str, str, list[str]]] = [
    (
        "trade",
        "Trade, US$ million (sum = exports + imports; balance = exports − imports)",
        ["period", "exports_usd_m", "imports_usd_m", "total_usd_m", "sum_usd_m",
         "balance_usd_m", "agency", "basis", "flag", "source"],
    ),
    (
        "mechanisms",
        "Institutional mechanisms",
        ["name", "sessions_held", "latest_session", "latest_date", "latest_date_end",
         "latest_place", "source"],
    ),
    (
        "visits",
        "Visits, latest first",
        ["date_start", "date_end", "visitor", "from_country", "to_place", "signed_count",
         "source"],
    ),
    ("agreements", "Agreements, latest first", ["date", "title", "count", "corridor", "source"]),
    ("corridors", "Corridors serving the partner", ["corridor", "role", "source"]),
]  # fmt: skip


def register(subparsers: Any) -> None:
    """Add the ``profile`` and ``timeline`` commands."""
    profile = subparsers.add_parser(
        "profile",
        help="everything known about one partner: relations, trade, mechanisms, visits",
        description="Show one partner's bilateral profile from geodata/bilateral/.",
    )
    profile.add_argument("iso3", metavar="ISO3", help="partner code, such as KAZ")
    _add_common(profile)
    profile.set_defaults(func=run_profile)
    events = subparsers.add_parser(
        "timeline",
        help="dated events, oldest first: relations, visits, sessions, agreements, milestones",
        description="List bilateral events, with corridor milestones from catalog.json if present.",
    )
    _add_common(events)
    events.set_defaults(func=run_timeline)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")


def _cell(value: Any) -> Any:
    """Show numbers as the source wrote them (0.33, not 0.3); leave other values alone."""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return str(value)
    return value


def _shown(records: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    return [{c: _cell(record.get(c)) for c in columns} for record in records]


def _profile_text(profile: dict[str, Any], fmt: str) -> str:
    capital = profile["capital"]
    relations = profile["relations_established"]
    heading = f"{profile['name']} ({profile['iso3']}) — {profile['official_name']}"
    facts = [
        f"Capital: {capital['name']} (lon {capital['lon']}, lat {capital['lat']}; "
        f"{capital['source']})",
        f"Diplomatic relations established: {relations['date']} ({relations['source']})",
    ]
    if profile["recognition_notes"]:
        facts.append(f"Recognition: {profile['recognition_notes']}")
    if fmt == "markdown":
        parts = [f"## {heading}\n", *(f"- {line}" for line in facts), ""]
    else:
        parts = [heading, *facts, ""]
    for key, title, columns in _SECTIONS:
        records = profile[key]
        parts.append(f"### {title}\n" if fmt == "markdown" else title)
        parts.append(render(_shown(records, columns), columns, fmt) if records else "(none)\n")
    notes = [f"{t['period']}: {t['notes']}" for t in profile["trade"] if t["notes"]]
    if notes:
        parts.append("### Trade notes\n" if fmt == "markdown" else "Trade notes")
        parts += [f"- {line}" for line in notes]
    return "\n".join(parts).rstrip("\n") + "\n"


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data) if args.data else default_data_dir()


def run_profile(args: argparse.Namespace) -> int:
    """Print one partner's profile; an unknown code exits 1 with the valid codes."""
    profile = country_profile(load_bilateral(_data_dir(args)), args.iso3)
    if args.format == "json":
        print(json.dumps(profile, ensure_ascii=False, indent=1))
    else:
        print(_profile_text(profile, args.format), end="")
    return 0


def run_timeline(args: argparse.Namespace) -> int:
    """Print the dated events, with the catalog's corridor milestones when it exists."""
    data_dir = _data_dir(args)
    catalog_path = data_dir / "catalog.json"
    catalog = load_catalog(catalog_path) if catalog_path.is_file() else None
    events = timeline(load_bilateral(data_dir), catalog)
    print(render(table_rows(events), TIMELINE_COLUMNS, args.format), end="")
    return 0
