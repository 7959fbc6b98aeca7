"""
Sourced claims about travel time and cost, set beside what the CPMM model gives.

Each claim of ``geodata/cpmm/claims.csv`` names a route (and, for a saving, a baseline route);
both are estimated by :func:`corridors.network.travel.estimate_route`. **Rule for a saving's
range: central against central; low = the new route's high against the baseline's low, high =
the new route's low against the baseline's high** (the bounds cross, since the two routes' figures
come from different sources). A duration's range is the route's own low / central / high.

The claim is *inside* when its figure overlaps the model's range. What decides it is found by
moving one parameter at a time from its low to its high (the rest central) and naming the three
that swing the central value most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from corridors.data.cpmm import Claim, Parameters
from corridors.network.graph import Route, shortest_route
from corridors.network.reach import RAIL_ROAD, rail_then_road
from corridors.network.travel import Estimate, Span, apply_assumptions, estimate_route

__all__ = ["CLAIM_COLUMNS", "Assessment", "assess_claims", "model_span", "verdict"]

#: Columns of the ``corridors claims`` table.
CLAIM_COLUMNS = ["claim_id", "claim", "model", "verdict", "compared", "decided_by", "source_key"]

_UNITS = {"saving_pct": "%", "saving_days": "days", "days": "days"}


@dataclass
class Assessment:
    """A claim, the model's range for it, the verdict and what decides it."""

    claim: Claim
    model: Span
    verdict: str
    compared: str
    decided_by: str
    estimates: dict[str, Estimate]

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready values: claim, model range, verdict, parameters, sources, gaps."""
        c = self.claim
        unit = _UNITS[c.kind]
        used = {n: p for e in self.estimates.values() for n, p in e.used.items()}
        return {
            "claim_id": c.claim_id,
            "claim": _claim_text(c),
            "model": f"{self.model.central:,.1f} {unit} ({self.model.low:,.1f}–{self.model.high:,.1f})",
            **{f"model_{k}": v for k, v in self.model.rounded().items()},
            "unit": unit,
            "measure": c.measure,
            "verdict": self.verdict,
            "compared": self.compared,
            "decided_by": self.decided_by,
            "source_key": c.source_key,
            "quote": c.quote,
            "note": c.note,
            "routes": {
                k: e.to_dict()["hours_central" if c.measure == "hours" else "usd_central"]
                for k, e in self.estimates.items()
            },
            "parameters": {n: sorted(p.sources) for n, p in sorted(used.items())},
            "gaps": list(dict.fromkeys(g for e in self.estimates.values() for g in e.gaps)),
        }


def _claim_text(claim: Claim) -> str:
    unit = _UNITS[claim.kind]
    if claim.high is None:
        return f"at least {claim.low:g} {unit}"
    if claim.high == claim.low:
        return f"{claim.low:g} {unit}"
    return f"{claim.low:g}–{claim.high:g} {unit}"


def verdict(low: float, high: float | None, model: Span) -> str:
    """
    Say where a claimed figure `low`–`high` (None: no upper figure) falls against `model`.

    Examples
    --------
    >>> verdict(30, 30, Span(10.0, 20.0, 40.0)), verdict(50, None, Span(10.0, 20.0, 40.0))
    ('inside the range, central below the claim', 'above the model high')
    >>> verdict(3, 5, Span(6.0, 7.0, 8.0))
    'below the model low'
    """
    if low > model.high:
        return "above the model high"
    if high is not None and high < model.low:
        return "below the model low"
    if model.central < low:
        return "inside the range, central below the claim"
    if high is not None and model.central > high:
        return "inside the range, central above the claim"
    return "inside the range, central within the claim"


def model_span(kind: str, new: Span, base: Span | None) -> Span:
    """
    Return the model's range for a claim of `kind` from the new route's and the baseline's spans.

    Examples
    --------
    >>> model_span("saving_pct", Span(50.0, 100.0, 150.0), Span(100.0, 200.0, 300.0)).rounded()
    {'low': -50.0, 'central': 50.0, 'high': 83.3}
    >>> model_span("days", Span(24.0, 48.0, 72.0), None)
    Span(low=1.0, central=2.0, high=3.0)
    """
    if kind == "days" or base is None:
        return Span(new.low / 24, new.central / 24, new.high / 24)
    pairs = ((base.low, new.high), (base.central, new.central), (base.high, new.low))
    if kind == "saving_days":
        return Span(*((b - n) / 24 for b, n in pairs))
    return Span(*(100 * (b - n) / b if b else 0.0 for b, n in pairs))


def _measure(estimate: Estimate, measure: str) -> Span:
    return estimate.hours if measure == "hours" else estimate.usd


def _route(graph: nx.MultiGraph, claim: Claim, mode: str, status: str) -> Route:
    if mode == RAIL_ROAD:
        return rail_then_road(graph, claim.source, claim.target, status=status)
    return shortest_route(graph, claim.source, claim.target, mode=mode, status=status)


def _central(claim: Claim, routes: dict[str, Route], params: Parameters) -> float:
    spans = {k: _measure(estimate_route(r, params), claim.measure) for k, r in routes.items()}
    return model_span(claim.kind, spans["new"], spans.get("base")).central


def _composition(estimate: Estimate, measure: str) -> str:
    """Say what a route's central time or cost is made of."""
    key = "hours" if measure == "hours" else "usd"
    moving = sum(leg[key] for leg in estimate.legs)
    borders = sum(b[key] for b in estimate.borders)
    shifts = sum(t[key] for t in estimate.transshipments)
    unit = "h" if measure == "hours" else "USD"
    parts = [f"{moving:,.0f} {unit} on the move", f"{borders:,.0f} {unit} at borders"]
    if shifts:
        parts.append(f"{shifts:,.0f} {unit} transshipment")
    return ", ".join(parts)


def _drivers(claim: Claim, routes: dict[str, Route], estimates: dict[str, Estimate],
             params: Parameters) -> str:  # fmt: skip
    used = {n: p for e in estimates.values() for n, p in e.used.items() if n in params.values}
    swings = []
    for name, p in sorted(used.items()):
        if p.low == p.high:
            continue
        at = [
            _central(claim, routes, apply_assumptions(params, {name: v})) for v in (p.low, p.high)
        ]
        swings.append((-abs(at[1] - at[0]), name, p, at))
    swings.sort()
    unit = _UNITS[claim.kind]
    named = [
        f"{name} from {p.low:g} to {p.high:g} {p.unit} moves it {at[0]:,.1f} → {at[1]:,.1f} {unit}"
        for _, name, p, at in swings[:3]
    ]
    pieces = [f"{label}: {_composition(e, claim.measure)}" for label, e in estimates.items()]
    return "; ".join(pieces) + ". Decided by " + ("; ".join(named) or "no ranged parameter") + "."


def assess_claims(
    graph: nx.MultiGraph, params: Parameters, claims: Sequence[Claim]
) -> list[Assessment]:
    """
    Set each claim beside the model: its range, the verdict and the assumptions that decide it.

    Raises
    ------
    CorridorDataError
        For a claim whose places or routes are not on the network.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> from corridors.data.cpmm import read_claims, read_parameters
    >>> from corridors.network.graph import load_network
    >>> network, claims = load_network(load_atlas()), read_claims()[:1]
    >>> [a.verdict for a in assess_claims(network, read_parameters(), claims)]
    ['inside the range, central above the claim']
    """
    found = []
    for claim in claims:
        routes = {"new": _route(graph, claim, claim.mode, claim.status)}
        if claim.kind != "days":
            routes["base"] = _route(graph, claim, claim.base_mode, claim.base_status)
        estimates = {k: estimate_route(r, params) for k, r in routes.items()}
        base = estimates.get("base")
        model = model_span(
            claim.kind,
            _measure(estimates["new"], claim.measure),
            _measure(base, claim.measure) if base else None,
        )
        labels = {"new": f"{claim.mode} ({claim.status} links)"}
        if base:
            labels["base"] = f"{claim.base_mode} ({claim.base_status} links)"
        compared = f"{routes['new'].names[0]} → {routes['new'].names[-1]}: " + " vs ".join(
            labels[k] for k in routes
        )
        named = {labels[k]: e for k, e in estimates.items()}
        found.append(
            Assessment(
                claim, model, verdict(claim.low, claim.high, model), compared,
                _drivers(claim, routes, named, params), named,
            )
        )  # fmt: skip
    return found
