"""
Read and validate the travel time and cost parameters in ``geodata/cpmm/``.

Each parameter is a range made by one rule from its sourced values: **low, central, high =
min, median, max of the values for the data years 2019–2023, or of every value when none
falls in those years.** ``values.csv`` keeps each value with its year, source key and quote,
so :func:`read_parameters` re-derives every range and rejects a table that does not match.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corridors.data.atlas import read_sources
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError

__all__ = [
    "CLAIM_KINDS",
    "CLAIM_MODES",
    "CPMM_DIR",
    "RULE",
    "YEARS",
    "Claim",
    "Closure",
    "Parameter",
    "Parameters",
    "derive_range",
    "read_claims",
    "read_parameters",
]

CPMM_DIR = "cpmm"
YEARS = range(2019, 2024)
RULE = "min / median / max of the sourced values for 2019–2023 (all years when none)"

_PARAM_COLUMNS = ["parameter", "unit", "low", "central", "high", "source_keys"]
_VALUE_COLUMNS = ["parameter", "value", "year", "source_key", "quote"]
_CLAIM_COLUMNS = [
    "claim_id", "source_key", "quote", "kind", "measure", "from", "to", "mode", "status",
    "base_mode", "base_status", "claim_low", "claim_high", "note",
]  # fmt: skip

#: What a claim states: a % saving against a baseline route, days saved, or a duration in days.
CLAIM_KINDS = ("saving_pct", "saving_days", "days")

#: The route modes a claim may name (``corridors route --mode``).
CLAIM_MODES = ("road", "rail", "transport", "rail+road")

_CLOSURE_COLUMNS = ["place", "closed_from", "open_on", "source_key", "quote"]


@dataclass(frozen=True)
class Parameter:
    """One model parameter: its range, unit and the source keys of the values behind it."""

    name: str
    unit: str
    low: float
    central: float
    high: float
    sources: tuple[str, ...]
    assumed: bool = False


@dataclass(frozen=True)
class Closure:
    """One sourced seasonal closure window of a place; empty dates mean open all year."""

    place: str
    closed_from: str
    open_on: str
    source_key: str


@dataclass(frozen=True)
class Claim:
    """
    One sourced quantitative claim about travel time or cost, and the routes it is about.

    `low` to `high` is the claimed figure (`high` is None for "at least `low`"); `base_mode`
    and `base_status` are the baseline route of a saving, empty for a duration.
    """

    claim_id: str
    source_key: str
    quote: str
    kind: str
    measure: str
    source: str
    target: str
    mode: str
    status: str
    base_mode: str
    base_status: str
    low: float
    high: float | None
    note: str


@dataclass(frozen=True)
class Parameters:
    """Every parameter by name, and the seasonal closure windows."""

    values: dict[str, Parameter]
    closures: tuple[Closure, ...]


def derive_range(values: Iterable[tuple[float, int | None]]) -> tuple[float, float, float]:
    """
    Apply the rule to ``(value, year)`` pairs: min, median, max of 2019–2023 (else of all).

    Examples
    --------
    >>> derive_range([(50.0, 2020), (31.6, 2021), (24.2, 2022), (99.0, 2015)])
    (24.2, 31.6, 50.0)
    >>> derive_range([(99.0, 2015), (1.0, None)])
    (1.0, 50.0, 99.0)
    """
    pairs = list(values)
    inside = [v for v, year in pairs if year is not None and year in YEARS]
    used = inside or [v for v, _ in pairs]
    return min(used), float(statistics.median(used)), max(used)


def _rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CorridorDataError(f"{path}: cannot read ({error}) — restore the file.") from error
    header = list(rows[0]) if rows else []
    missing = [c for c in columns if c not in header]
    if missing:
        raise CorridorDataError(
            f"{path}: expected columns {', '.join(columns)}, missing {', '.join(missing)} — "
            "regenerate it with scripts/make_cpmm_parameters.py."
        )
    return rows


def _number(where: str, field: str, text: str, problems: list[str]) -> float:
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        problems.append(f"{where}: {field} must be a number >= 0, got {text!r} — fix the value.")
        return math.nan
    return number


def _year(where: str, text: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    problems.append(f"{where}: year must be a 4-digit year or empty, got {text!r}.")
    return None


def _read_values(
    path: Path, sources: dict[str, str], problems: list[str]
) -> dict[str, list[tuple[float, int | None, str]]]:
    found: dict[str, list[tuple[float, int | None, str]]] = {}
    for line, row in enumerate(_rows(path, _VALUE_COLUMNS), start=2):
        where = f"{path}: row {line} ({row['parameter']})"
        value = _number(where, "value", row["value"], problems)
        if row["source_key"] not in sources:
            problems.append(
                f"{where}: source_key {row['source_key']!r} is not in sources.csv — add it."
            )
        found.setdefault(row["parameter"], []).append(
            (value, _year(where, row["year"], problems), row["source_key"])
        )
    return found


def _parameter(
    where: str,
    row: dict[str, str],
    values: list[tuple[float, int | None, str]],
    problems: list[str],
) -> Parameter | None:
    low, central, high = (_number(where, f, row[f], problems) for f in ("low", "central", "high"))
    if not values:
        problems.append(f"{where}: no rows in values.csv — every range needs its sourced values.")
        return None
    expected = derive_range((v, y) for v, y, _ in values)
    if any(
        not math.isclose(a, b, abs_tol=1e-3)
        for a, b in zip((low, central, high), expected, strict=True)
    ):
        shown = ", ".join(f"{x:g}" for x in expected)
        problems.append(
            f"{where}: low, central, high must follow the rule ({RULE}): expected {shown}, got "
            f"{row['low']}, {row['central']}, {row['high']} — regenerate the table."
        )
    keys = tuple(sorted({k for _, _, k in values}))
    return Parameter(row["parameter"], row["unit"], low, central, high, keys)


def _read_closures(path: Path, sources: dict[str, str], problems: list[str]) -> list[Closure]:
    closures = []
    for line, row in enumerate(_rows(path, _CLOSURE_COLUMNS), start=2):
        where = f"{path}: row {line} ({row['place']})"
        for field in ("closed_from", "open_on"):
            text = row[field]
            if text and not (len(text) == 5 and text[2] == "-" and text.replace("-", "").isdigit()):
                problems.append(f"{where}: {field} must be MM-DD or empty, got {text!r}.")
        if row["source_key"] not in sources:
            problems.append(f"{where}: source_key {row['source_key']!r} is not in sources.csv.")
        closures.append(
            Closure(row["place"], row["closed_from"], row["open_on"], row["source_key"])
        )
    return closures


def read_parameters(data_dir: str | Path | None = None) -> Parameters:
    """
    Read ``cpmm/parameters.csv``, ``values.csv`` and ``closures.csv`` of a data folder.

    Raises
    ------
    CorridorDataError
        With every problem, one line each, naming file, row, field and what was expected.

    Examples
    --------
    >>> params = read_parameters()
    >>> params.values["pak_road_swod_kmh"].central, params.values["pak_road_swod_kmh"].sources
    (26.25, ('CPMM-2022-PAK', 'CPMM-2023-PAK'))
    """
    folder = (Path(data_dir) if data_dir else default_data_dir()) / CPMM_DIR
    sources = read_sources(folder.parent / "sources.csv")
    problems: list[str] = []
    values = _read_values(folder / "values.csv", sources, problems)
    found: dict[str, Parameter] = {}
    for line, row in enumerate(_rows(folder / "parameters.csv", _PARAM_COLUMNS), start=2):
        where = f"{folder / 'parameters.csv'}: row {line} ({row['parameter']})"
        parameter = _parameter(where, row, values.get(row["parameter"], []), problems)
        if parameter is not None:
            found[parameter.name] = parameter
    closures = _read_closures(folder / "closures.csv", sources, problems)
    if problems:
        raise CorridorDataError(problems)
    return Parameters(found, tuple(closures))


def _claim_problems(where: str, row: dict[str, str], sources: dict[str, str]) -> list[str]:
    problems = []
    choices = {
        "kind": CLAIM_KINDS, "measure": ("hours", "usd"), "mode": CLAIM_MODES,
        "status": ("operating", "all"),
    }  # fmt: skip
    if row["kind"] != "days":
        choices |= {"base_mode": CLAIM_MODES, "base_status": ("operating", "all")}
    elif row["base_mode"] or row["base_status"] or row["measure"] != "hours":
        problems.append(f"{where}: a days claim has measure hours and no base_mode/base_status.")
    for field, allowed in choices.items():
        if row[field] not in allowed:
            problems.append(
                f"{where}: {field} must be one of {', '.join(allowed)}, got {row[field]!r}."
            )
    if row["source_key"] not in sources:
        problems.append(
            f"{where}: source_key {row['source_key']!r} is not in sources.csv — add it."
        )
    if not row["quote"].strip() or not row["from"] or not row["to"]:
        problems.append(f"{where}: quote, from and to must not be empty.")
    return problems


def read_claims(data_dir: str | Path | None = None) -> list[Claim]:
    """
    Read ``cpmm/claims.csv``: sourced claims about travel time or cost, in file order.

    Raises
    ------
    CorridorDataError
        With every problem, one line each, naming the row and the field.

    Examples
    --------
    >>> claims = read_claims()
    >>> claims[0].claim_id, claims[0].kind, claims[0].low, claims[0].source_key
    ('tar_30pct_time_peshawar', 'saving_pct', 30.0, 'WADSAM-2021-TAR')
    """
    folder = (Path(data_dir) if data_dir else default_data_dir()) / CPMM_DIR
    sources = read_sources(folder.parent / "sources.csv")
    problems: list[str] = []
    claims: list[Claim] = []
    seen: set[str] = set()
    for line, row in enumerate(_rows(folder / "claims.csv", _CLAIM_COLUMNS), start=2):
        where = f"{folder / 'claims.csv'}: row {line} ({row['claim_id']})"
        if row["claim_id"] in seen or not row["claim_id"]:
            problems.append(f"{where}: claim_id must be present and unique.")
        seen.add(row["claim_id"])
        problems += _claim_problems(where, row, sources)
        low = _number(where, "claim_low", row["claim_low"], problems)
        high = (
            _number(where, "claim_high", row["claim_high"], problems) if row["claim_high"] else None
        )
        if high is not None and high < low:
            problems.append(f"{where}: claim_high {high:g} is below claim_low {low:g}.")
        claims.append(
            Claim(
                row["claim_id"], row["source_key"], row["quote"], row["kind"], row["measure"],
                row["from"], row["to"], row["mode"], row["status"], row["base_mode"],
                row["base_status"], low, high, row["note"],
            )
        )  # fmt: skip
    if problems:
        raise CorridorDataError(problems)
    return claims
