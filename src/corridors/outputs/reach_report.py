"""The reach report of a build: ``reach.md`` and ``reach.csv`` from :mod:`corridors.network.reach`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from corridors.bilateral.tables import Bilateral
from corridors.data.atlas import Atlas
from corridors.data.cpmm import CPMM_DIR, RULE, Parameters, read_claims, read_parameters
from corridors.errors import CorridorDataError
from corridors.network.claims import assess_claims
from corridors.network.graph import load_network
from corridors.network.reach import (
    RAIL_ROAD_COLUMNS,
    REACH_COLUMNS,
    REACH_TIME_COLUMNS,
    REACH_TIME_CSV_COLUMNS,
    missing_ports,
    rail_road_table,
    reach_table,
)
from corridors.outputs.tables import render

__all__ = ["reach_report"]


def _markdown(
    graph: nx.MultiGraph,
    reach: list[dict[str, Any]],
    rail_road: list[dict[str, Any]],
    time: bool = True,
) -> str:
    notes = [f"- {r['capital']}: {r['note']}" for r in reach if r["note"]]
    notes += [
        f"- {name} is not a place in places.geojson and no link reaches it."
        for name in missing_ports(graph)
    ]
    rail, road = (
        next((r for r in rail_road if r["mode"] == m and r["links"] == s and r["km"]), None)
        for m, s in (("rail", "all"), ("road", "operating"))
    )
    lines = [
        "# Reach: partner capitals to Pakistan's ports",
        "",
        "Shortest routes over the corridor network by rail, road and ferry (changing mode only",
        "at shared places), in geodesic km along the mapped lines. *today*: operating links only;",
        "*planned*: every link, including planned, shelved and alternative alignments;",
        "*saved*: today minus planned. Mapped lines are sparse, so km are lower bounds.",
        "",
        render(reach, REACH_COLUMNS, "markdown"),
        *notes,
        "",
        "## Hours and USD to the ports",
        "",
        "Per 20-t truck or wagon load from the CAREC CPMM parameters (`corridors route`), as",
        "central (low–high). *planned* is the shortest route in km over all links, not the",
        "fastest: a planned route with rail legs adds transshipments and can be slower. A saving's",
        "low is today's low minus planned's high; 0 when the route is the same. Seasonal closures",
        "(Khunjerab) are not applied; `corridors route --date` applies them.",
        "",
        render(reach, REACH_TIME_COLUMNS, "markdown") if time else "No cpmm/ folder in this data.",
        "",
        "## Trans-Afghan railway against the road, Termez to Peshawar",
        "",
        render(rail_road, RAIL_ROAD_COLUMNS, "markdown"),
    ]
    if rail and road:
        share = (road["km"] - rail["km"]) / road["km"]
        lines.append(
            f"By distance the railway is {rail['km']:,.1f} km against {road['km']:,.1f} km by "
            f"road, {abs(share):.1%} {'shorter' if share >= 0 else 'longer'}; the ~30% saving the "
            "sources claim is in travel time, which distance alone does not show (see Claims)."
        )
    return "\n".join(lines) + "\n"


def _claims_markdown(atlas: Atlas, graph: nx.MultiGraph, params: Parameters | None) -> str:
    """Return the claims section: each claim beside the model's range; "" without claims."""
    if params is None or not (atlas.data_dir / CPMM_DIR / "claims.csv").is_file():
        return ""
    records = [a.to_dict() for a in assess_claims(graph, params, read_claims(atlas.data_dir))]
    lines = [
        "",
        "## Claims about travel time and cost, against the model",
        "",
        "Each claim of `geodata/cpmm/claims.csv` beside the CPMM model (`corridors claims`): time",
        "= km / SWOD + border clearance + transshipment, cost per 20-t load; every parameter's",
        f"range is the {RULE}. A saving's low pairs the new route's high with the baseline's low,",
        "its high the other way round. *Decided by*: the parameters that, moved from low to high",
        "one at a time, swing the central value most.",
        "",
        render(records, ["claim_id", "claim", "model", "verdict", "source_key"], "markdown"),
        *[f"- {r['claim_id']}: {r['compared']}. {r['decided_by']}" for r in records],
    ]
    return "\n".join(lines) + "\n"


def reach_report(
    atlas: Atlas, bilateral: Bilateral, options: Mapping[str, Any]
) -> list[tuple[str, bytes]]:
    """Build producer: ``reach.md`` (both tables) and ``reach.csv`` (the reach table)."""
    graph = load_network(atlas)
    partners = bilateral.partners
    if partners.empty:
        raise CorridorDataError("partners.csv: no partners — the reach table needs at least one.")
    params = read_parameters(atlas.data_dir) if (atlas.data_dir / CPMM_DIR).is_dir() else None
    time = params is not None
    reach = reach_table(graph, partners, params=params)
    rail_road = rail_road_table(graph)
    times = REACH_TIME_CSV_COLUMNS if time else []
    csv_columns = [*REACH_COLUMNS, *times, "karachi_planned_via", "note"]
    return [
        (
            "reach.md",
            (
                _markdown(graph, reach, rail_road, time) + _claims_markdown(atlas, graph, params)
            ).encode(),
        ),
        ("reach.csv", render(reach, csv_columns, "csv").encode("utf-8")),
    ]
