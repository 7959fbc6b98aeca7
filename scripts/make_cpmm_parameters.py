"""
Derive geodata/cpmm/ (values, parameters, closures) from the CPMM research dossier's JSON.

Run by hand; the output is committed and the package never reads the dossier::

    python scripts/make_cpmm_parameters.py --facts /path/to/cpmm_facts.json

Every sourced value is kept in ``values.csv`` with its record key, year, source key and quote;
``parameters.csv`` holds one range per parameter made by the one rule of
:mod:`corridors.data.cpmm`: low, central, high = min, median, max of the values for the data
years 2019–2023, or of every value when none falls in those years. New source keys are merged
into ``geodata/sources.csv``. The output is byte-identical on every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata" / "cpmm"
YEARS = range(2019, 2024)

#: CPMM spells China "PRC"; the atlas uses ISO 3166-1 alpha-3.
ISO = {"PRC": "CHN"}

#: CPMM's names for border-crossing points -> (place id of the crossing in places.geojson,
#: the two countries it joins).
BCPS = {
    "Torkham": ("torkham", ("AFG", "PAK")),
    "Torkham (AFG side)": ("torkham", ("AFG", "PAK")),
    "Torkham (Peshawar customs, PAK side)": ("torkham", ("AFG", "PAK")),
    "Chaman": ("chaman", ("AFG", "PAK")),
    "Spin Buldak (Spin Boldak)": ("chaman", ("AFG", "PAK")),
    "Khunjerab/Sost": ("khunjerab", ("CHN", "PAK")),
    "Irkeshtam": ("irkeshtam", ("CHN", "KGZ")),
    "Torugart": ("torugart", ("CHN", "KGZ")),
    "Horgos/Khorgos": ("khorgos", ("CHN", "KAZ")),
    "Panji Poyon/Sherkhan Bandar": ("sher_khan_bandar", ("AFG", "TJK")),
    "Sherkhan Bandar (Shirkhan Bandar)": ("sher_khan_bandar", ("AFG", "TJK")),
}

COUNTRY_MEASURES = {
    "speed without delay (SWOD)": ("swod_kmh", "km/h"),
    "TFI4 speed with delay (SWD)": ("swd_kmh", "km/h"),
    "TFI3 cost to travel a corridor section (per 500 km, per 20-ton cargo)": (
        "usd_per_500km",
        "USD per 500 km per 20 t",
    ),
    "TFI1 time to clear a border-crossing point (average)": ("bcp_hours", "hours"),
    "TFI2 cost incurred at border-crossing clearance (average)": ("bcp_usd", "USD"),
}

#: Transshipment at a break of gauge or change of mode. No source gives hours at
#: Hairatan/Naibabad; the Dostyk/Alashankou break of gauge stands in (stated in the README).
TRANSSHIPMENT = {
    "transshipment_hours": (
        "hours",
        [
            "Dostyk_bigbag_unload_time",
            "Alashankou_rail_time_2021",
            "Alashankou_rail_time_2022",
            "Alashankou_rail_out_2022_railch",
        ],
    ),
    "transshipment_usd": (
        "USD",
        ["Dostyk_gauge_change_cost_2020", "Erenhot_gauge_change_cost_2020"],
    ),
}

#: Khunjerab's sourced closure windows: record key -> (closed from MM-DD, open again on MM-DD);
#: empty strings for "open all year".
CLOSURES = {
    "Khunjerab_closed_months_agreement": ("12-01", "04-01"),
    "KKH_closure_months_NHA": ("12-01", "05-01"),
    "Khunjerab_closed_Nov_Mar": ("11-01", "04-01"),
    "Khunjerab_closed_Nov_Mar_IRU": ("11-01", "04-01"),
    "Khunjerab_altitude_m": ("11-01", "04-01"),
    "Khunjerab_open_window_2024": ("12-01", "04-01"),
    "Khunjerab_CN_open_months": ("12-01", "04-01"),
    "Khunjerab_open_May_Oct_old": ("10-16", "05-01"),
    "Khunjerab_yearround_from": ("", ""),
}


def _iso(code: str | None) -> str:
    return ISO.get(code or "", code or "")


def _value_row(parameter: str, record: dict[str, Any], unit: str) -> dict[str, Any]:
    return {
        "parameter": parameter,
        "value": record["value"],
        "unit": unit,
        "year": record["year"] if record["year"] is not None else "",
        "source_key": record["source_key"],
        "record": record["key"],
        "quote": record["quote"],
    }


def _country_rows(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rows = []
    for r in records:
        if r["bcp"] or r["direction"] or r["inferred"] or r["measure"] not in COUNTRY_MEASURES:
            continue
        if r["mode"] not in ("road", "rail"):
            continue
        name, unit = COUNTRY_MEASURES[r["measure"]]
        if r["corridor"] == "all CAREC":
            area = "carec"
        elif r["country_iso3"] and not r["corridor"]:
            area = _iso(r["country_iso3"]).lower()
        else:
            continue
        meta = {"kind": name, "iso3": area.upper(), "mode": r["mode"], "bcp": "", "unit": unit}
        rows.append(({**meta, "parameter": f"{area}_{r['mode']}_{name}"}, _value_row("", r, unit)))
    return rows


def _bcp_directions(record: dict[str, Any], pair: tuple[str, str]) -> list[tuple[str, str]]:
    """The (from, to) travel directions a BCP record measures."""
    side, direction = _iso(record["country_iso3"]), record["direction"]
    both = [pair, pair[::-1]]
    if not side:
        return both
    other = pair[1] if side == pair[0] else pair[0]
    if direction == "outbound":
        return [(side, other)]
    if direction == "inbound":
        return [(other, side)]
    return both


def _bcp_rows(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rows = []
    for r in records:
        if r["bcp"] not in BCPS or r["unit"] not in ("hours", "USD") or r["inferred"]:
            continue
        if not r["measure"].startswith(("BCP border-crossing", "TFI1", "TFI2")):
            continue
        place, pair = BCPS[r["bcp"]]
        kind = "hours" if r["unit"] == "hours" else "usd"
        for a, b in _bcp_directions(r, pair):
            parameter = f"{place}_{a.lower()}_{b.lower()}_{r['mode']}_{kind}"
            meta = {"kind": f"bcp_{kind}", "iso3": f"{a}-{b}", "mode": r["mode"], "bcp": place}
            rows.append(
                ({**meta, "unit": r["unit"], "parameter": parameter}, _value_row("", r, r["unit"]))
            )
    return rows


def _transshipment_rows(by_key: dict[str, dict[str, Any]]) -> list[tuple[dict, dict]]:
    rows = []
    for parameter, (unit, keys) in TRANSSHIPMENT.items():
        meta = {"parameter": parameter, "kind": parameter, "iso3": "", "mode": "rail"}
        for key in keys:
            rows.append(({**meta, "bcp": "", "unit": unit}, _value_row("", by_key[key], unit)))
    return rows


def _range(values: list[dict[str, Any]]) -> tuple[float, float, float, str]:
    inside = [v for v in values if v["year"] != "" and int(v["year"]) in YEARS]
    used = inside or values
    numbers = [float(v["value"]) for v in used]
    years = sorted({str(v["year"]) for v in used if v["year"] != ""})
    span = f"{years[0]}–{years[-1]}" if years else "undated"
    return min(numbers), statistics.median(numbers), max(numbers), span


def _write(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _parameters(pairs: list[tuple[dict, dict]]) -> tuple[list[dict], list[dict]]:
    grouped: dict[str, tuple[dict, list[dict]]] = {}
    for meta, value in pairs:
        value["parameter"] = meta["parameter"]
        grouped.setdefault(meta["parameter"], (meta, []))[1].append(value)
    params, values = [], []
    for name in sorted(grouped):
        meta, rows = grouped[name]
        rows.sort(key=lambda v: (str(v["year"]), v["source_key"], v["record"]))
        low, central, high, span = _range(rows)
        keys = sorted({v["source_key"] for v in rows})
        params.append(
            {**meta, "low": low, "central": round(central, 3), "high": high,
             "n_values": len(rows), "years": span, "source_keys": " ".join(keys)}
        )  # fmt: skip
        values += rows
    return params, values


def _merge_sources(records: list[dict[str, Any]]) -> None:
    path = ROOT / "geodata" / "sources.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    known = {r["key"] for r in rows}
    for r in records:
        if r["source_key"] not in known:
            known.add(r["source_key"])
            rows.append({"key": r["source_key"], "reference": r["source_title"],
                         "url": r["url"], "reliability": ""})  # fmt: skip
    rows.sort(key=lambda r: r["key"])
    _write(path, rows, ["key", "reference", "url", "reliability"])


def main() -> None:
    """Write geodata/cpmm/values.csv, parameters.csv and closures.csv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--facts", required=True, type=Path, help="cpmm_facts.json")
    records = json.loads(parser.parse_args().facts.read_text(encoding="utf-8"))
    by_key = {r["key"]: r for r in records}
    pairs = _country_rows(records) + _bcp_rows(records) + _transshipment_rows(by_key)
    params, values = _parameters(pairs)
    OUT.mkdir(exist_ok=True)
    columns = ["parameter", "kind", "iso3", "mode", "bcp", "unit", "low", "central", "high",
               "n_values", "years", "source_keys"]  # fmt: skip
    _write(OUT / "parameters.csv", params, columns)
    _write(OUT / "values.csv", values, list(values[0]))
    closures = [
        {"place": "khunjerab", "closed_from": start, "open_on": end, "record": key,
         "source_key": by_key[key]["source_key"], "quote": by_key[key]["quote"]}
        for key, (start, end) in CLOSURES.items()
    ]  # fmt: skip
    _write(OUT / "closures.csv", closures, list(closures[0]))
    used = [r for r in records if r["key"] in {v["record"] for v in values + closures}]
    _merge_sources(used)
    print(f"{len(params)} parameters from {len(values)} values, {len(closures)} closure windows")


if __name__ == "__main__":
    main()
