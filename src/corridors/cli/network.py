"""``corridors route``, ``corridors reach`` and ``corridors claims``: questions to the corridor network."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.data.countries import country_name
from corridors.data.cpmm import Parameters, read_claims, read_parameters
from corridors.errors import CorridorDataError
from corridors.network.claims import assess_claims
from corridors.network.graph import (
    MODE_GROUPS,
    STATUSES,
    Route,
    load_network,
    resolve_place,
    shortest_route,
)
from corridors.network.reach import (
    RAIL_ROAD,
    RAIL_ROAD_COLUMNS,
    REACH_COLUMNS,
    REACH_TIME_COLUMNS,
    REACH_TIME_CSV_COLUMNS,
    missing_ports,
    place_or_capital,
    rail_road_table,
    rail_then_road,
    reach_table,
)
from corridors.network.travel import (
    Estimate,
    apply_assumptions,
    estimate_route,
    parse_assumptions,
)
from corridors.outputs.tables import render

FORMATS = ["table", "json", "markdown"]
LEG_COLUMNS = ["from", "to", "km", "mode", "status", "corridor_id", "segment_id", "alternative"]
TIME_LEG_COLUMNS = ["from", "to", "km", "mode", "iso3", "speed_kmh", "hours", "usd", "sources"]
BORDER_COLUMNS = ["bcp", "direction", "hours", "usd", "sources", "fallback"]
TRAVEL_MODES = ("transport", "rail", "road", "ferry", RAIL_ROAD)


_ROUTE = (
    "shortest route between two places by mode, over operating or all links",
    "Find the shortest route between two places or partner capitals (ids or names, any case) "
    "over the corridor network, with its km by country and corridor, border crossings and the "
    "share still unbuilt.",
)
_REACH = (
    "each partner capital's shortest route to Karachi and Gwadar, today and planned",
    "Compare each partner capital's shortest route to Pakistan's ports over operating links and "
    "over all links, and the Trans-Afghan railway with the road from Termez to Peshawar.",
)
_CLAIMS = (
    "sourced claims about travel time and cost beside the model's range, with a verdict",
    "Set each claim of geodata/cpmm/claims.csv (such as the Trans-Afghan railway's 30% saving "
    "against road) beside the model's low / central / high, say whether it falls inside, and "
    "name the parameters that decide it.",
)
TIME_TITLE = (
    "Hours and USD per 20-t load to the ports, central (low–high), today, planned and saved "
    "(planned = shortest km over all links, not the fastest; no seasonal closure applied)"
)
CLAIM_TABLE_COLUMNS = ["claim_id", "claim", "model", "verdict", "source_key"]
_ENDS = (("source", "FROM", "such as termez"), ("target", "TO", "such as Peshawar"))


def register(subparsers: Any) -> None:
    """Add the ``route``, ``reach`` and ``claims`` commands."""
    route = subparsers.add_parser("route", help=_ROUTE[0], description=_ROUTE[1])
    for dest, metavar, example in _ENDS:
        route.add_argument(dest, metavar=metavar, help=f"place id or name, {example}")
    route.add_argument(
        "--mode",
        choices=[*MODE_GROUPS, RAIL_ROAD],
        default="transport",
        help="network to travel on (transport = rail, road and ferry; default); "
        f"{RAIL_ROAD} = rail as far as the rail network goes, a transshipment, then road",
    )
    route.add_argument(
        "--status",
        choices=list(STATUSES),
        default="operating",
        help="operating links only (default) or all links, planned ones too",
    )
    route.add_argument("--date", metavar="YYYY-MM-DD", help="apply seasonal closures on this day")
    _add_assumptions(route)
    _add_common(route)
    route.set_defaults(func=run_route)
    reach = subparsers.add_parser("reach", help=_REACH[0], description=_REACH[1])
    _add_assumptions(reach)
    _add_common(reach, formats=[*FORMATS, "csv"])
    reach.set_defaults(func=run_reach)
    claims = subparsers.add_parser("claims", help=_CLAIMS[0], description=_CLAIMS[1])
    _add_assumptions(claims)
    _add_common(claims)
    claims.set_defaults(func=run_claims)


def _add_assumptions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter of geodata/cpmm/parameters.csv (repeatable)",
    )
    parser.add_argument("--assumptions", metavar="FILE", help="KEY=VALUE lines, # for comments")


def _add_common(parser: argparse.ArgumentParser, formats: list[str] = FORMATS) -> None:
    parser.add_argument("--format", choices=formats, default="table")
    parser.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")


def _route_text(route: Route, fmt: str) -> str:
    record = route.to_dict()
    countries = [
        {
            "country": f"{country_name(iso3)} ({iso3})" if iso3 != country_name(iso3) else iso3,
            "km": km,
        }
        for iso3, km in route.km_by_country.items()
    ]
    corridors = [{"corridor": cid, "km": km} for cid, km in route.km_by_corridor.items()]
    crossings = ", ".join(f"{c['from']}→{c['to']} ({c['leg']})" for c in route.crossings)
    parts = [
        route.summary(),
        "via " + " – ".join(route.names),
        f"border crossings: {crossings or 'none'}",
        f"unbuilt: {route.unbuilt_km:,.1f} km ({route.unbuilt_share:.0%})",
    ]
    if route.alternatives:
        parts.append("uses alternative alignments: " + ", ".join(route.alternatives))
    return (
        "\n".join(parts)
        + "\n\n"
        + render(record["legs"], LEG_COLUMNS, fmt)
        + "\n"
        + render(countries, ["country", "km"], fmt)
        + "\n"
        + render(corridors, ["corridor", "km"], fmt)
    )


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CorridorDataError(
            f"--date {text}: expected a day as YYYY-MM-DD, such as 2025-01-15."
        ) from None


def _file_assumptions(path: str, params: Parameters) -> dict[str, float]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CorridorDataError(
            f"{path}: cannot read ({error}) — give a UTF-8 text file."
        ) from None
    found: dict[str, float] = {}
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        item = line.split("#", 1)[0].strip()
        if item:
            try:
                found.update(parse_assumptions([item], params, where=f"{path}: line {number}:"))
            except CorridorDataError as error:
                problems += error.problems
    if problems:
        raise CorridorDataError(problems)
    return found


def _parameters(args: argparse.Namespace, data_dir: Path) -> Parameters:
    params = read_parameters(data_dir)
    overrides = _file_assumptions(args.assumptions, params) if args.assumptions else {}
    overrides.update(parse_assumptions(args.assume, params))
    return apply_assumptions(params, overrides)


def _range_line(label: str, record: dict[str, Any], key: str, unit: str) -> str:
    low, central, high = (record[f"{key}_{b}"] for b in ("low", "central", "high"))
    return f"{label}: {central:,.1f} {unit} (range {low:,.1f}–{high:,.1f})"


def _travel_text(estimate: Estimate, fmt: str) -> str:
    record = estimate.to_dict()
    legs = [{**leg, "sources": " ".join(leg["sources"])} for leg in record["legs"]]
    borders = [{**b, "sources": " ".join(b["sources"])} for b in record["borders"]]
    lines = [
        _range_line("time, km / SWOD + borders + transshipment", record, "hours", "h")
        + f" = {record['days_central']:.1f} days ({record['days_low']:.1f}–{record['days_high']:.1f})",
        _range_line("check, km / SWD (delays embedded)", record, "swd_hours", "h"),
        _range_line("cost per 20-t truck or wagon", record, "usd", "USD"),
    ]
    lines += [f"transshipment at {t['place']} ({t['reason']}): {t['hours']} h, {t['usd']} USD"
              for t in record["transshipments"]]  # fmt: skip
    lines += [f"wait at {w['place']} on {w['date']}: {w['hours_central']:,.0f} h "
              f"(range {w['hours_low']:,.0f}–{w['hours_high']:,.0f})" for w in record["waits"]]  # fmt: skip
    lines.append("assumptions: " + (", ".join(
        f"{n}={record['parameters'][n]['central']:g}" for n in record["assumptions"]) or "none"))  # fmt: skip
    lines += [f"gap: {gap}" for gap in record["gaps"]]
    return (
        "\n".join(lines) + "\n\n" + render(legs, TIME_LEG_COLUMNS, fmt) + "\n"
        + render(borders, BORDER_COLUMNS, fmt)
    )  # fmt: skip


def run_route(args: argparse.Namespace) -> int:
    """Print the shortest route between two places or partner capitals."""
    atlas = load_atlas(args.data)
    network = load_network(atlas)
    ends = []
    for text in (args.source, args.target):
        try:
            place, note = resolve_place(network, text), ""
        except CorridorDataError:
            partners = load_bilateral(atlas.data_dir).partners
            mode = "transport" if args.mode == RAIL_ROAD else args.mode
            place, note = place_or_capital(network, partners, text, mode=mode)
        if note and not args.quiet:
            print(f"note: {note}", file=sys.stderr)
        ends.append(place)
    day = _date(args.date)
    params = _parameters(args, atlas.data_dir)
    if args.mode == RAIL_ROAD:
        route = rail_then_road(network, *ends, status=args.status)
    else:
        route = shortest_route(network, *ends, mode=args.mode, status=args.status)
    estimate = estimate_route(route, params, date=day) if args.mode in TRAVEL_MODES else None
    if args.format == "json":
        record = route.to_dict()
        record["travel"] = estimate.to_dict() if estimate else None
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(_route_text(route, args.format))
        if estimate:
            sys.stdout.write("\n" + _travel_text(estimate, args.format))
    return 0


def run_reach(args: argparse.Namespace) -> int:
    """Print the reach table and the Termez–Peshawar rail and road comparison."""
    atlas = load_atlas(args.data)
    network = load_network(atlas)
    params = _parameters(args, atlas.data_dir)
    reach = reach_table(network, load_bilateral(atlas.data_dir).partners, params=params)
    rail_road = rail_road_table(network)
    if args.format == "json":
        document = {"reach": reach, "termez_peshawar": rail_road}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        return 0
    if args.format == "csv":
        sys.stdout.write(render(reach, [*REACH_COLUMNS, *REACH_TIME_CSV_COLUMNS, "note"], "csv"))
        return 0
    bullet = "- " if args.format == "markdown" else ""
    notes = [f"{bullet}{r['capital']}: {r['note']}" for r in reach if r["note"]]
    notes += [f"{bullet}{name}: not a place on the network." for name in missing_ports(network)]
    sys.stdout.write(
        render(reach, REACH_COLUMNS, args.format)
        + "\n"
        + "".join(f"{note}\n" for note in notes)
        + f"\n{TIME_TITLE}\n\n"
        + render(reach, REACH_TIME_COLUMNS, args.format)
        + "\nTermez → Peshawar, rail against road\n\n"
        + render(rail_road, RAIL_ROAD_COLUMNS, args.format)
    )
    return 0


def run_claims(args: argparse.Namespace) -> int:
    """Print each sourced claim beside the model's range, its verdict and what decides it."""
    atlas = load_atlas(args.data)
    params = _parameters(args, atlas.data_dir)
    claims = read_claims(atlas.data_dir)
    records = [a.to_dict() for a in assess_claims(load_network(atlas), params, claims)]
    if args.format == "json":
        sys.stdout.write(json.dumps({"claims": records}, ensure_ascii=False, indent=1) + "\n")
        return 0
    bullet = "- " if args.format == "markdown" else ""
    notes = [
        f"{bullet}{r['claim_id']}: {r['compared']}. {r['decided_by']} Source {r['source_key']}: "
        f"\u201c{r['quote']}\u201d"
        for r in records
    ]
    used = [n for r in records for n, p in r["parameters"].items() if "assumption" in p]
    assumed = ", ".join(sorted(set(used))) or "none"
    sys.stdout.write(
        render(records, CLAIM_TABLE_COLUMNS, args.format)
        + "\n" + "\n".join(notes) + f"\n\nassumptions: {assumed}\n"
    )  # fmt: skip
    return 0
