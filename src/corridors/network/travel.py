"""
Travel time and cost of a route from the CAREC CPMM parameters, as low / central / high ranges.

Time is the moving time of each stretch (km / SWOD of its country and mode), plus the
clearance time of every border crossed, plus a transshipment wherever the mode or the rail
gauge changes, plus the wait for a seasonal closure when a date is given. Cost is km times
the per-km cost (TFI3, USD per 500 km per 20 t, / 500), plus border and transshipment costs,
for one 20-t truck or wagon load. The other CPMM method, km / SWD (speed with delay, which
already embeds border and other stops), is reported beside it as a check.

Every range comes from :mod:`corridors.data.cpmm` (min / median / max of 2019–2023 values);
low goes with low and high with high (the low time uses the highest speed). A crossing with
no figure of its own uses the average of the country entered (then the country left, then
CAREC), a country or mode with no figure the CAREC-wide average, and each says so.
"""

from __future__ import annotations

import datetime as dt
import difflib
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from corridors.data.cpmm import Parameter, Parameters
from corridors.errors import CorridorDataError
from corridors.network.graph import DISPUTED, SEA, Leg, Route

__all__ = [
    "ASSUMED",
    "Estimate",
    "Span",
    "apply_assumptions",
    "estimate_route",
    "parse_assumptions",
]

#: Source key of a parameter set by ``--assume`` or ``--assumptions``.
ASSUMED = "assumption"

_MODES = {"railway": "rail", "road": "road", "ferry": "road"}


@dataclass(frozen=True)
class Span:
    """A low / central / high range; adding two spans adds bound to bound."""

    low: float
    central: float
    high: float

    def __add__(self, other: Span) -> Span:
        return Span(self.low + other.low, self.central + other.central, self.high + other.high)

    def rounded(self, digits: int = 1) -> dict[str, float]:
        """Return ``{"low", "central", "high"}`` rounded to `digits`."""
        return {k: round(getattr(self, k), digits) for k in ("low", "central", "high")}


ZERO = Span(0.0, 0.0, 0.0)


def _span(parameter: Parameter, scale: float = 1.0) -> Span:
    return Span(parameter.low * scale, parameter.central * scale, parameter.high * scale)


def _per_speed(km: float, speed: Parameter) -> Span:
    """
    Hours to cover `km` at a speed range: the highest speed gives the low time.

    Examples
    --------
    >>> _per_speed(250, Parameter("s", "km/h", 20.0, 25.0, 50.0, ("X",)))
    Span(low=5.0, central=10.0, high=12.5)
    """
    return Span(km / speed.high, km / speed.central, km / speed.low)


@dataclass
class Estimate:
    """A route's time and cost ranges, the pieces behind them, and every parameter used."""

    route: Route
    hours: Span = ZERO
    usd: Span = ZERO
    swd_hours: Span = ZERO
    legs: list[dict[str, Any]] = field(default_factory=list)
    borders: list[dict[str, Any]] = field(default_factory=list)
    transshipments: list[dict[str, Any]] = field(default_factory=list)
    waits: list[dict[str, Any]] = field(default_factory=list)
    used: dict[str, Parameter] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready values: hours, days and USD ranges, pieces, parameters, gaps."""
        hours = self.hours.rounded()
        return {
            "km": round(self.route.km, 1),
            **{f"hours_{k}": v for k, v in hours.items()},
            **{f"days_{k}": round(v / 24, 1) for k, v in hours.items()},
            **{f"usd_{k}": round(v) for k, v in self.usd.rounded(0).items()},
            **{f"swd_hours_{k}": v for k, v in self.swd_hours.rounded().items()},
            "legs": self.legs,
            "borders": self.borders,
            "transshipments": self.transshipments,
            "waits": self.waits,
            "parameters": {
                name: {
                    "low": p.low,
                    "central": p.central,
                    "high": p.high,
                    "unit": p.unit,
                    "sources": list(p.sources),
                    "assumed": p.assumed,
                }
                for name, p in sorted(self.used.items())
            },
            "assumptions": sorted(n for n, p in self.used.items() if p.assumed),
            "gaps": list(dict.fromkeys(self.gaps)),
        }


def _pick(estimate: Estimate, params: Parameters, names: Iterable[str]) -> Parameter | None:
    """Return the first of `names` in `params`, recorded as used."""
    for name in names:
        if name in params.values:
            estimate.used[name] = params.values[name]
            return params.values[name]
    return None


def _country_parameter(
    estimate: Estimate, params: Parameters, iso3: str, mode: str, kind: str
) -> tuple[Parameter, bool]:
    own = _pick(estimate, params, [f"{iso3.lower()}_{mode}_{kind}"])
    if own is not None:
        return own, False
    carec = _pick(estimate, params, [f"carec_{mode}_{kind}"])
    if carec is None:
        raise CorridorDataError(
            f"cpmm/parameters.csv: no carec_{mode}_{kind} — the CAREC-wide fallback is missing; "
            "regenerate the table."
        )
    where = "outside any country" if iso3 in (SEA, DISPUTED) else f"for {iso3}"
    estimate.gaps.append(f"no {mode} {kind} {where}: used the CAREC-wide {carec.name}")
    return carec, True


def _add_stretch(estimate: Estimate, params: Parameters, leg: Leg, iso3: str, km: float) -> None:
    mode = _MODES.get(leg.mode)
    if mode is None:
        raise CorridorDataError(
            f"no travel time for {leg.mode} leg {leg.source}–{leg.target}: the CPMM gives "
            "road and rail only — ask for --mode road, rail or transport."
        )
    if leg.mode == "ferry":
        estimate.gaps.append(f"ferry leg {leg.source}–{leg.target}: no ferry figure, road used")
    swod, f1 = _country_parameter(estimate, params, iso3, mode, "swod_kmh")
    swd, f2 = _country_parameter(estimate, params, iso3, mode, "swd_kmh")
    cost, f3 = _country_parameter(estimate, params, iso3, mode, "usd_per_500km")
    hours, usd = _per_speed(km, swod), _span(cost, km / 500.0)
    estimate.hours += hours
    estimate.usd += usd
    estimate.swd_hours += _per_speed(km, swd)
    estimate.legs.append({
        "from": leg.source, "to": leg.target, "km": round(km, 1), "mode": mode, "iso3": iso3,
        "speed_kmh": swod.central, "hours": round(hours.central, 1), "usd": round(usd.central),
        "sources": sorted({*swod.sources, *cost.sources}), "fallback": f1 or f2 or f3,
    })  # fmt: skip


def _crossing_parameter(
    estimate: Estimate, params: Parameters, crossing: dict[str, str], mode: str, kind: str
) -> tuple[Parameter, str, bool]:
    a, b = crossing["from"].lower(), crossing["to"].lower()
    places = crossing["leg"].split("–")
    own = _pick(estimate, params, [f"{p}_{a}_{b}_{mode}_{kind}" for p in reversed(places)])
    if own is not None:
        return own, own.name.split(f"_{a}_{b}_")[0], False
    names = [f"{b}_{mode}_bcp_{kind}", f"{a}_{mode}_bcp_{kind}", f"carec_{mode}_bcp_{kind}"]
    average = _pick(estimate, params, names)
    if average is None:  # pragma: no cover - the shipped table has the CAREC averages
        raise CorridorDataError(f"cpmm/parameters.csv: no {names[-1]} — regenerate the table.")
    estimate.gaps.append(
        f"no {kind} figure for the {crossing['from']}→{crossing['to']} crossing on "
        f"{crossing['leg']}: used the average {average.name}"
    )
    return average, "–".join(places), True


def _add_borders(estimate: Estimate, params: Parameters) -> None:
    modes = {
        f"{leg.source}–{leg.target}": _MODES.get(leg.mode, "road") for leg in estimate.route.legs
    }
    for crossing in estimate.route.crossings:
        mode = modes.get(crossing["leg"], "road")
        hours, bcp, f1 = _crossing_parameter(estimate, params, crossing, mode, "hours")
        usd, _, f2 = _crossing_parameter(estimate, params, crossing, mode, "usd")
        estimate.hours += _span(hours)
        estimate.usd += _span(usd)
        estimate.borders.append({
            "bcp": bcp, "direction": f"{crossing['from']}→{crossing['to']}", "mode": mode,
            "hours": hours.central, "usd": usd.central,
            "sources": sorted({*hours.sources, *usd.sources}), "fallback": f1 or f2,
        })  # fmt: skip


def _breaks(route: Route) -> list[tuple[str, str]]:
    """
    Places where the mode changes or the rail gauge does, with the reason.

    A rail leg with no gauge in the data is taken to continue the gauge before it.
    """
    found = []
    for before, after in zip(route.legs, route.legs[1:], strict=False):
        if before.mode != after.mode:
            found.append((before.target, f"{before.mode} → {after.mode}"))
        elif before.mode == "railway" and before.gauge_mm and after.gauge_mm:
            if before.gauge_mm != after.gauge_mm:
                gauges = f"{before.gauge_mm:,.0f} → {after.gauge_mm:,.0f} mm gauge"
                found.append((before.target, gauges))
    return found


def _add_transshipments(estimate: Estimate, params: Parameters) -> None:
    for place, reason in _breaks(estimate.route):
        hours = _pick(estimate, params, ["transshipment_hours"])
        usd = _pick(estimate, params, ["transshipment_usd"])
        if hours is None or usd is None:
            raise CorridorDataError("cpmm/parameters.csv: transshipment_hours/usd missing.")
        estimate.hours += _span(hours)
        estimate.usd += _span(usd)
        estimate.transshipments.append({
            "place": place, "reason": reason, "hours": hours.central, "usd": usd.central,
            "sources": sorted({*hours.sources, *usd.sources}),
        })  # fmt: skip
    unknown = [
        leg.segment_id for leg in estimate.route.legs if leg.mode == "railway" and not leg.gauge_mm
    ]
    if unknown:
        estimate.gaps.append(
            "no gauge_mm on "
            + ", ".join(dict.fromkeys(unknown))
            + ": no break of gauge assumed there"
        )


def _wait_days(day: dt.date, closed_from: str, open_on: str) -> int:
    """
    Days from `day` until a place closed from MM-DD to MM-DD (exclusive) opens again.

    Examples
    --------
    >>> _wait_days(dt.date(2025, 1, 15), "12-01", "04-01"), _wait_days(dt.date(2025, 6, 1), "12-01", "04-01")
    (76, 0)
    >>> _wait_days(dt.date(2024, 12, 10), "12-01", "04-01"), _wait_days(dt.date(2025, 1, 1), "", "")
    (112, 0)
    """
    if not closed_from:
        return 0
    start = dt.date(day.year, *map(int, closed_from.split("-")))
    end = dt.date(day.year, *map(int, open_on.split("-")))
    if start > end:  # the window runs over New Year
        if day >= start:
            end = end.replace(year=day.year + 1)
        elif day < end:
            start = start.replace(year=day.year - 1)
    return (end - day).days if start <= day < end else 0


def _add_waits(estimate: Estimate, params: Parameters, day: dt.date | None) -> None:
    places = set(estimate.route.places)
    by_place: dict[str, list[Any]] = {}
    for closure in params.closures:
        if closure.place in places:
            by_place.setdefault(closure.place, []).append(closure)
    for place, windows in sorted(by_place.items()):
        if day is None:
            estimate.gaps.append(f"{place} closes seasonally: give --date to apply its closure")
            continue
        days = sorted(_wait_days(day, c.closed_from, c.open_on) for c in windows)
        wait = Span(24.0 * days[0], 24.0 * statistics.median(days), 24.0 * days[-1])
        estimate.hours += wait
        name = f"{place}_closure_wait_hours"
        sources = tuple(sorted({c.source_key for c in windows}))
        estimate.used[name] = Parameter(name, "hours", wait.low, wait.central, wait.high, sources)
        estimate.waits.append({
            "place": place, "date": day.isoformat(), **{f"hours_{k}": v for k, v in wait.rounded().items()},
            "windows": len(windows), "sources": list(sources),
        })  # fmt: skip


def estimate_route(route: Route, params: Parameters, *, date: dt.date | None = None) -> Estimate:
    """
    Estimate a route's hours and USD per 20-t load, as ranges, with the km / SWD check.

    Parameters
    ----------
    route
        From :func:`corridors.network.graph.shortest_route` (road, rail or transport).
    params
        From :func:`corridors.data.cpmm.read_parameters`, perhaps with
        :func:`apply_assumptions`.
    date
        The day the route reaches a seasonally closed place; without one, closures are
        listed as a gap and not applied.

    Raises
    ------
    CorridorDataError
        For a leg of a mode the CPMM does not measure (pipeline, power line, fibre).
    """
    estimate = Estimate(route)
    for leg in route.legs:
        for iso3, km in leg.countries:
            if km > 0:
                _add_stretch(estimate, params, leg, iso3, km)
    _add_borders(estimate, params)
    _add_transshipments(estimate, params)
    _add_waits(estimate, params, date)
    return estimate


def _known(params: Parameters, key: str) -> str:
    close = difflib.get_close_matches(key, list(params.values), n=5, cutoff=0.5)
    shown = ", ".join(close or sorted(params.values)[:5])
    return f"known: {shown}, … ({len(params.values)} in all, see geodata/cpmm/parameters.csv)"


def _matching(params: Parameters, key: str) -> list[str]:
    """
    Return the parameters `key` names: itself, or every direction and mode of a crossing.

    ``torkham_hours`` stands for ``torkham_afg_pak_road_hours`` and
    ``torkham_pak_afg_road_hours``: a short key for "the clearance time at Torkham".
    """
    if key in params.values:
        return [key]
    head, _, unit = key.rpartition("_")
    if not head:
        return []
    return sorted(k for k in params.values if k.startswith(f"{head}_") and k.endswith(f"_{unit}"))


def parse_assumptions(
    items: Iterable[str], params: Parameters, *, where: str = "--assume"
) -> dict[str, float]:
    """
    Parse ``KEY=VALUE`` overrides; every problem is one line naming the item.

    A key names one parameter of ``geodata/cpmm/parameters.csv``, or a crossing's
    parameters of one unit in every direction and mode (``torkham_hours=12``).

    Raises
    ------
    CorridorDataError
        For an item without ``=``, an unknown parameter or a value that is not a number >= 0.
    """
    found: dict[str, float] = {}
    problems = []
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            problems.append(
                f"{where} {item}: expected KEY=VALUE, such as torkham_afg_pak_road_hours=12."
            )
        elif not (keys := _matching(params, key)):
            problems.append(f"{where} {item}: unknown parameter — {_known(params, key)}")
        else:
            try:
                value = float(text)
            except ValueError:
                value = -1.0
            if not value >= 0 or value == float("inf"):
                problems.append(
                    f"{where} {item}: value must be a number >= 0, got {text.strip()!r}."
                )
            else:
                found |= dict.fromkeys(keys, value)
    if problems:
        raise CorridorDataError(problems)
    return found


def apply_assumptions(params: Parameters, overrides: Mapping[str, float]) -> Parameters:
    """
    Return `params` with each override as a fixed range, its source key :data:`ASSUMED`.

    Examples
    --------
    >>> from corridors.data.cpmm import read_parameters
    >>> p = apply_assumptions(read_parameters(), {"torkham_afg_pak_road_hours": 12})
    >>> p.values["torkham_afg_pak_road_hours"].central, p.values["torkham_afg_pak_road_hours"].sources
    (12.0, ('assumption',))
    """
    values = dict(params.values)
    for name, value in overrides.items():
        values[name] = replace(
            values[name], low=float(value), central=float(value), high=float(value),
            sources=(ASSUMED,), assumed=True,
        )  # fmt: skip
    return Parameters(values, params.closures)
