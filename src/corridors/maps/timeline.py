r"""
The atlas's milestone timeline, and each segment's status as of a chosen year.

The rule for status as of a year
--------------------------------
The catalog dates milestones per corridor, in free text; segments carry only
today's status. A milestone is tied to a segment when its text names both ends
of the segment (the first word of each end place's name, e.g. "Datka–Sughd 500
kV line energised" ties to the Datka–Sughd line), and it moves the segment to a
stage by its words (:data:`STAGE_WORDS`, first match wins): an agreement, MoU or
protocol → planned; opened, energised, recommissioned, a commercial or trial
train → operating; groundbreaking, construction launched, works begun or
resumed → under construction; reconstruction, upgrades and extensions change
nothing. A year means the end of that year. The timeline's *today* is its last
year (that of the latest event). Then, for each segment:

* with milestones of its own: before the corridor's first milestone of any kind
  it is *not yet on record*; from then until its own first milestone, planned
  (or today's stage, if that is earlier in the lifecycle); each own milestone
  sets its stage; from the year of its last own milestone on, today's status;
* without milestones of its own, operating or completed today (or in a corridor
  with no milestones at all): *date unknown* before today, today's status from
  today on. No source says when it was built, so no earlier year draws it as
  built (nor as not built): the page draws it thin, grey and dotted, with its
  own entry in the timeline's key, and its popup says so;
* without milestones of its own, not built: *not yet on record* before the
  corridor's first milestone, today's status after it, marked *kept*.

So the latest year always shows today's statuses, no year before it shows a
segment as built unless a milestone dates that, and every step of every
segment carries the reason for it, which the page shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from corridors.bilateral.schema import table_rows
from corridors.bilateral.tables import timeline
from corridors.data.atlas import Atlas
from corridors.maps.bilateral import cached_bilateral
from corridors.maps.features import source_entries
from corridors.maps.inputs import MapInputs

__all__ = [
    "NOT_YET",
    "STAGE_WORDS",
    "UNKNOWN",
    "atlas_timeline",
    "milestone_stage",
    "names_segment",
    "status_steps",
]

#: Status of a segment before anything about it is on record.
NOT_YET = "not_yet"
#: Status of a segment in the years before today when no source dates its start.
UNKNOWN = "unknown"

#: (stage, pattern) in the order they are tried on a milestone's text; None changes nothing.
STAGE_WORDS: tuple[tuple[str | None, re.Pattern[str]], ...] = (
    (None, re.compile(r"\b(reconstruction|rehabilitation|upgrade|extension)\b", re.I)),
    ("planned", re.compile(r"\b(signed|agreement|mou|protocol|memorandum)\b", re.I)),
    (
        "operating",
        re.compile(
            r"\b(opened|reopens?|energi[sz]ed|recommissioned|operational|"
            r"commercial train|trial train)\b",
            re.I,
        ),
    ),
    (
        "under_construction",
        re.compile(r"\b(groundbreaking|construction|works? (begins?|resumed?))\b", re.I),
    ),
)

_BUILT = {"operating", "completed"}
#: Lifecycle rank, so that a corridor-wide milestone never moves a segment past today's stage.
_RANK = {
    "concept": 0, "proposed": 1, "feasibility": 2, "planned": 3,
    "under_construction": 4, "completed": 5, "operating": 5,
}  # fmt: skip


def milestone_stage(event: str) -> str | None:
    """
    Return the stage a milestone's text moves a segment to, or None.

    Examples
    --------
    >>> milestone_stage("Datka–Sughd 500 kV line energised")
    'operating'
    >>> milestone_stage("Rasht–Astara construction agreement signed")
    'planned'
    >>> milestone_stage("Construction of the 153 km Serhetabat–Herat section launched")
    'under_construction'
    >>> milestone_stage("Reconstruction of Hairatan–Naibabad launched") is None
    True
    """
    for stage, pattern in STAGE_WORDS:
        if pattern.search(event):
            return stage
    return None


def _short(name: str) -> str:
    """Return a place name's first word, without an alias: 'Serhetabat (Kushka)' → 'Serhetabat'."""
    return name.split("(")[0].split()[0] if name.strip() else ""


def names_segment(event: str, start: str, end: str) -> bool:
    """
    Tell whether a milestone's text names both ends of a segment.

    Examples
    --------
    >>> names_segment("Trial train on the Hairatan–Naibabad line",
    ...               "Hairatan (Friendship Bridge)", "Naibabad station")
    True
    >>> names_segment("Herat–Kandahar design contracts signed", "Herat", "Spin Boldak")
    False
    """
    words = [_short(start), _short(end)]
    return all(w and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", event) for w in words)


def _year(date: str) -> int:
    return int(date[:4])


def _step(year: int | None, status: str, basis: str, why: str) -> dict[str, Any]:
    return {"from": year, "status": status, "basis": basis, "why": why}


def _stage_status(stage: str, current: str) -> str:
    if stage == "operating":
        return current if current in _BUILT else "operating"
    return _capped(stage, current) if stage == "planned" else stage


def _capped(stage: str, current: str) -> str:
    """`stage`, or today's status if that is earlier in the lifecycle (or shelved)."""
    if current not in _RANK or _RANK[current] < _RANK[stage]:
        return current
    return stage


def _own_steps(own: list[dict[str, Any]], current: str, start: int | None) -> list[dict[str, Any]]:
    first, last = own[0], own[-1]
    steps = [_step(None, NOT_YET, "not_yet", "No milestone of its corridor yet.")]
    if start is not None and start < _year(first["date"]):
        steps.append(
            _step(start, _capped("planned", current), "corridor",
                  f"Its corridor is on record from {start}; its own first milestone is "
                  f"{first['date']}.")
        )  # fmt: skip
    for m in own[:-1]:
        status = _stage_status(m["stage"], current)
        steps.append(_step(_year(m["date"]), status, "milestone", f"{m['date']}: {m['event']}"))
    steps.append(
        _step(_year(last["date"]), current, "milestone",
              f"{last['date']}: {last['event']} (today's status from then on)")
    )  # fmt: skip
    return steps


def status_steps(
    current: str,
    start: str,
    end: str,
    milestones: list[dict[str, Any]],
    *,
    today: int,
    corridor_wide: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """
    Return a segment's status over time as steps, each valid from its year (None: always).

    Parameters
    ----------
    current
        The segment's status today.
    start, end
        Names of its first and last waypoints.
    milestones
        Its corridor's milestones (``date``, ``event``), in any order.
    today
        The timeline's last year, from which every segment shows today's status.
    corridor_wide
        Those of `milestones` that name no segment of the corridor; they move
        a segment without milestones of its own, never past today's stage.

    Examples
    --------
    >>> steps = status_steps("operating", "Datka 500 kV substation", "Sughd 500 kV substation",
    ...     [{"date": "2014-03-27", "event": "World Bank Board approves IDA financing"},
    ...      {"date": "2025-03-31", "event": "Datka–Sughd 500 kV line energised"}], today=2026)
    >>> [(s["from"], s["status"]) for s in steps]
    [(None, 'not_yet'), (2014, 'planned'), (2025, 'operating')]
    >>> wide = [{"date": "2016-05-12", "event": "Groundbreaking at Tursunzade"}]
    >>> steps = status_steps("under_construction", "Sangtuda", "Sher Khan Bandar",
    ...     [{"date": "2014-03-27", "event": "World Bank Board approves IDA financing"}, *wide],
    ...     today=2026, corridor_wide=wide)
    >>> [(s["from"], s["status"]) for s in steps]
    [(None, 'not_yet'), (2014, 'planned'), (2016, 'under_construction')]
    >>> steps = status_steps("operating", "A", "B", [], today=2026)
    >>> [(s["from"], s["status"], s["basis"]) for s in steps]
    [(None, 'unknown', 'unknown'), (2026, 'operating', 'kept')]
    """
    dated = sorted(milestones, key=lambda m: m["date"])
    corridor_start = _year(dated[0]["date"]) if dated else None
    own = [
        {**m, "stage": milestone_stage(m["event"])}
        for m in dated
        if names_segment(m["event"], start, end)
    ]
    own = [m for m in own if m["stage"] is not None]
    if own:
        steps = _own_steps(own, current, corridor_start)
    elif current in _BUILT or corridor_start is None:
        steps = _undated_steps(current, today)
    else:
        steps = _corridor_steps(current, corridor_start, corridor_wide or [])
    return _collapsed(steps)


def _undated_steps(current: str, today: int) -> list[dict[str, Any]]:
    """Return the steps of a segment no milestone dates: date unknown, then today's status."""
    return [
        _step(None, UNKNOWN, "unknown",
              f"No source dates when it began; today's status is shown from {today} only."),
        _step(today, current, "kept", "Today's status: no milestone says when it began."),
    ]  # fmt: skip


def _corridor_steps(current: str, start: int, wide: list[dict[str, Any]]) -> list[dict[str, Any]]:
    steps = [
        _step(None, NOT_YET, "not_yet", "No milestone of its corridor yet."),
        _step(start, _capped("planned", current), "corridor",
              f"Its corridor is on record from {start}; no milestone names this segment."),
    ]  # fmt: skip
    for m in sorted(wide, key=lambda m: m["date"]):
        stage = milestone_stage(m["event"])
        if stage is not None:
            why = f"{m['date']}: {m['event']} (a milestone of the whole corridor)"
            steps.append(_step(_year(m["date"]), _capped(stage, current), "corridor", why))
    if _collapsed(steps)[-1]["status"] != current:
        steps[1:] = [
            _step(start, current, "kept",
                  f"Today's status, kept from {start}: no milestone dates its stage.")
        ]  # fmt: skip
    return steps


def _collapsed(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop steps that change nothing, and earlier steps of the same year."""
    out: list[dict[str, Any]] = []
    for step in steps:
        if out and out[-1]["from"] == step["from"]:
            out.pop()
        if not out or out[-1]["status"] != step["status"]:
            out.append(step)
    return out


def _segment_steps(atlas: Atlas, today: int) -> dict[str, list[dict[str, Any]]]:
    names = dict(zip(atlas.places["id"], atlas.places["name"], strict=True))
    ends = {
        row.segment_id: (names[row.waypoints[0]], names[row.waypoints[-1]])
        for row in atlas.segments.itertuples(index=False)
    }
    wide: dict[str, list[dict[str, Any]]] = {}  # per corridor, once: linear in the segments
    for corridor, group in atlas.segments.groupby("corridor_id", sort=False):
        milestones = atlas.catalog[str(corridor)].get("milestones", [])
        wide[str(corridor)] = [
            m for m in milestones
            if not any(names_segment(m["event"], *ends[s]) for s in group["segment_id"])
        ]  # fmt: skip
    steps = {}
    for row in atlas.segments.itertuples(index=False):
        milestones = atlas.catalog[row.corridor_id].get("milestones", [])
        steps[row.segment_id] = status_steps(
            row.status, *ends[row.segment_id], milestones, today=today,
            corridor_wide=wide[row.corridor_id],
        )  # fmt: skip
    return steps


def _event(row: Mapping[str, Any], names: Mapping[str, str], catalog: Mapping[str, Any]) -> dict:
    date, corridor = str(row["date"]), str(row["corridor"])
    return {
        "date": date,
        "year": int(date[:4]),
        "kind": row["kind"],
        "partners": [names.get(code, code) for code in str(row["partner"]).split("; ") if code],
        "corridor": corridor,
        "corridor_name": catalog[corridor]["name"] if corridor in catalog else "",
        "event": row["event"],
        "sources": [key for key in str(row["source"]).split("; ") if key],
    }


def atlas_timeline(inputs: MapInputs) -> dict[str, Any] | None:
    """
    Payload of the ``timeline`` layer, atlas only: events oldest first and status steps.

    Events come from :func:`corridors.bilateral.tables.timeline` with the catalog's
    milestones; the slider runs from the first event's year to the last's.
    """
    if inputs.corridor_id is not None:
        return None
    bilateral = cached_bilateral(inputs.atlas)
    frame = timeline(bilateral, inputs.atlas.catalog)
    names = dict(zip(bilateral.partners["iso3"], bilateral.partners["name"], strict=True))
    events = [_event(row, names, inputs.atlas.catalog) for row in table_rows(frame)]
    years = [e["year"] for e in events]
    keys = [k for e in events for k in e["sources"]]
    return {
        "events": events,
        "first_year": min(years),
        "last_year": max(years),
        "steps": _segment_steps(inputs.atlas, max(years)),
        "sources": source_entries(inputs.atlas.sources, keys),
    }
