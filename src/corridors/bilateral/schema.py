"""Column rules of the bilateral tables, and the checks that turn their raw text into values."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corridors.data.atlas import CORRIDOR_IDS, parse_date
from corridors.data.countries import PARTNERS

__all__ = [
    "PRECISIONS",
    "TABLES",
    "Column",
    "Table",
    "date_precision",
    "parse_csv",
    "table_rows",
    "validate_tables",
]

PRECISIONS = ("day", "month", "year")
_SOURCE_KEY = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
_PERIOD = re.compile(r"^FY(\d{4})-(\d{2})$")
_COUNT = re.compile(r"^\d+$")
_FILL = "fill it in from the source text"
#: Largest plausible trade figure in US$ million: US$ 100 trillion exceeds all world trade.
_MAX_USD_M = 100_000_000


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, the kind of value and whether it may be empty."""

    name: str
    kind: str
    required: bool = False
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table's columns, the columns that name a row in messages, and its date groups."""

    columns: tuple[Column, ...]
    key: tuple[str, ...]
    unique: bool = False
    dates: tuple[tuple[str, str, str], ...] = ()
    row_checks: tuple[Callable[[dict[str, Any]], list[str]], ...] = field(default=())


def date_precision(text: str) -> str:
    """
    Return how precise a partial ISO date is: ``day``, ``month`` or ``year``.

    Examples
    --------
    >>> date_precision("1992-02-24"), date_precision("2018-01"), date_precision("1992")
    ('day', 'month', 'year')
    """
    return PRECISIONS[2 - text.count("-")]


def _many(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(";") if part.strip()]


def _parse(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    """Return the value of one cell, or a problem phrase naming what to do."""
    if raw == "":
        if column.required:
            return None, f"must not be empty — {_FILL}"
        return _EMPTY.get(column.kind, ""), None
    return _PARSERS[column.kind](column, raw, codes)


def _text(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    return raw, None


def _choice(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    if raw in column.allowed:
        return raw, None
    return None, f"must be one of {', '.join(column.allowed)}, got {raw!r} — use one of these"


def _flags(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    bad = [token for token in _many(raw) if token not in column.allowed]
    if not bad:
        return "; ".join(_many(raw)), None
    return None, (
        f"must list flags from {', '.join(column.allowed)} separated by '; ', got {raw!r} "
        "— remove or correct the unknown flag"
    )


def _sources(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    keys = _many(raw)
    if keys and all(_SOURCE_KEY.match(key) for key in keys):
        return "; ".join(keys), None
    return None, (
        f"must list source keys such as MOFA-SEED separated by '; ', got {raw!r} "
        "— use keys from geodata/sources.csv"
    )


def _iso3(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    if raw in codes:
        return raw, None
    return None, (
        f"must be one of the partner codes {', '.join(codes)}, got {raw!r} "
        "— use an ISO 3166-1 alpha-3 code listed in partners.csv"
    )


def _number(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isfinite(value) and 0 <= value <= _MAX_USD_M:
        return value + 0.0, None  # "-0" is 0: no "-0.00" downstream
    if math.isfinite(value) and value > _MAX_USD_M:
        return None, (
            f"must be at most {_MAX_USD_M:,.0f} (US$ million, more than the world's yearly trade), "
            f"got {raw!r} — check the unit and the decimal point"
        )
    return None, f"must be a number >= 0, got {raw!r} — fix the value or leave the cell empty"


def _count(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    if _COUNT.match(raw):
        return int(raw), None
    return None, (
        f"must be a whole number >= 0, got {raw!r} — fix the value or leave the cell empty"
    )


def _degrees(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    limit = 180.0 if column.kind == "lon" else 90.0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isfinite(value) and -limit <= value <= limit:
        return value, None
    return None, (
        f"must be decimal degrees in [-{limit:g}, {limit:g}], got {raw!r} "
        "— write WGS 84 longitude and latitude in their own columns"
    )


def _date(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    if parse_date(raw) is not None and 1900 <= int(raw[:4]) <= 2100:
        return raw, None
    return None, (
        f"must be a real calendar date written YYYY-MM-DD, YYYY-MM or YYYY, got {raw!r} "
        "— fix the day, month or year"
    )


def _period(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    match = _PERIOD.match(raw)
    if raw == "unstated" or (match and (int(match[1]) + 1) % 100 == int(match[2])):
        return raw, None
    return None, (
        f"must be a fiscal year such as FY2024-25 (two consecutive years) or 'unstated', "
        f"got {raw!r} — fix the years"
    )


def _corridor(column: Column, raw: str, codes: Sequence[str]) -> tuple[Any, str | None]:
    if raw in CORRIDOR_IDS:
        return raw, None
    return None, (
        f"must be one of the corridor ids {', '.join(CORRIDOR_IDS)}, got {raw!r} "
        "— use an id from geodata/catalog.json"
    )


_PARSERS: dict[str, Callable[[Column, str, Sequence[str]], tuple[Any, str | None]]] = {
    "text": _text,
    "choice": _choice,
    "flags": _flags,
    "sources": _sources,
    "iso3": _iso3,
    "number": _number,
    "count": _count,
    "lon": _degrees,
    "lat": _degrees,
    "date": _date,
    "period": _period,
    "corridor": _corridor,
}
_EMPTY: dict[str, Any] = {"number": math.nan, "count": None, "lon": math.nan, "lat": math.nan}
_DTYPES: dict[str, Any] = {
    "number": "float64",
    "count": "Int64",
    "lon": "float64",
    "lat": "float64",
}


def _date_problems(row: dict[str, Any], start: str, end: str, precision: str) -> list[str]:
    """Check that a date, its optional end and its precision column agree."""
    if not row[start]:
        if row[precision] or (end and row[end]):
            return [
                f"{start} is empty but {precision} or {end} is not — fill in {start} or clear them"
            ]
        return []
    stated = date_precision(row[start])
    if row[precision] != stated:
        return [
            f"{precision} must be {stated!r} to match {start} {row[start]!r}, "
            f"got {row[precision]!r} — make them agree"
        ]
    if end and row[end]:
        if date_precision(row[end]) != stated or row[end] < row[start]:
            return [
                f"{end} must be a {stated} on or after {start} {row[start]!r}, "
                f"got {row[end]!r} — fix the date or leave {end} empty"
            ]
    return []


def _trade_problems(row: dict[str, Any]) -> list[str]:
    """Need one figure; a stated total that differs from its parts must carry the flag."""
    exports, imports, total = row["exports_usd_m"], row["imports_usd_m"], row["total_usd_m"]
    if all(math.isnan(v) for v in (exports, imports, total)):
        return ["exports_usd_m, imports_usd_m and total_usd_m are all empty — fill in one"]
    if any(math.isnan(v) for v in (exports, imports, total)):
        return []
    differs = abs(total - (exports + imports)) > 0.005
    flagged = "total_mismatch" in _many(row["flag"])
    if differs and not flagged:
        return [
            f"total_usd_m {total:g} differs from exports_usd_m + imports_usd_m = "
            f"{exports + imports:.2f} — add total_mismatch to flag if the source says so"
        ]
    if flagged and not differs:
        return [
            f"flag says total_mismatch but {exports:g} + {imports:g} = {total:g} "
            "— remove total_mismatch"
        ]
    return []


def _visit_problems(row: dict[str, Any]) -> list[str]:
    if row["from_country"] in ("PAK", row["iso3"]):
        return []
    return [
        f"from_country must be PAK or the row's partner {row['iso3']}, "
        f"got {row['from_country']!r} — name who travelled"
    ]


def _columns(*specs: tuple[str, str] | tuple[str, str, bool] | Column) -> tuple[Column, ...]:
    return tuple(spec if isinstance(spec, Column) else Column(*spec) for spec in specs)


_ISO3 = ("iso3", "iso3", True)
_SOURCE = ("source", "sources", True)
_QUOTE = ("quote", "text", True)
_PRECISION = Column("precision", "choice", allowed=PRECISIONS)

#: The six tables in ``geodata/bilateral/``; ``README.md`` there documents each column.
TABLES: dict[str, Table] = {
    "partners.csv": Table(
        _columns(
            _ISO3,
            ("name", "text", True),
            ("official_name", "text", True),
            ("capital", "text", True),
            ("capital_lon", "lon", True),
            ("capital_lat", "lat", True),
            ("capital_coord_source", "sources", True),
            ("relations_established", "date", True),
            Column("relations_precision", "choice", True, PRECISIONS),
            ("recognition_notes", "text"),
            ("name_source", "sources", True),
            _SOURCE,
            _QUOTE,
        ),
        key=("iso3",),
        unique=True,
        dates=(("relations_established", "", "relations_precision"),),
    ),
    "trade.csv": Table(
        _columns(
            _ISO3,
            ("period", "period", True),
            ("exports_usd_m", "number"),
            ("imports_usd_m", "number"),
            ("total_usd_m", "number"),
            Column("agency", "choice", True, ("Ministry of Commerce", "FBR", "unstated")),
            Column(
                "basis", "choice", True, ("receipts/payments", "payments", "volume", "unstated")
            ),
            _SOURCE,
            _QUOTE,
            ("notes", "text"),
            Column("flag", "flags", allowed=("total_mismatch", "period_unstated", "wording")),
        ),
        key=("iso3", "period"),
        unique=True,
        row_checks=(_trade_problems,),
    ),
    "mechanisms.csv": Table(
        _columns(
            _ISO3,
            ("name", "text", True),
            Column(
                "kind",
                "choice",
                True,
                (
                    "political_consultations",
                    "intergovernmental_commission",
                    "strategic_council",
                    "military_talks",
                    "working_group",
                    "unnamed",
                ),
            ),
            ("sessions_held", "count"),
            ("latest_session", "count"),
            ("latest_date", "date"),
            ("latest_date_end", "date"),
            Column("latest_precision", "choice", allowed=PRECISIONS),
            ("latest_place", "text"),
            _SOURCE,
            _QUOTE,
            ("notes", "text"),
        ),
        key=("iso3", "name"),
        unique=True,
        dates=(("latest_date", "latest_date_end", "latest_precision"),),
    ),
    "visits.csv": Table(
        _columns(
            _ISO3,
            ("date_start", "date", True),
            ("date_end", "date"),
            Column("precision", "choice", True, PRECISIONS),
            ("visitor", "text", True),
            ("from_country", "text", True),
            ("to_place", "text", True),
            ("purpose", "text"),
            ("signed", "text"),
            ("signed_count", "count"),
            _SOURCE,
            _QUOTE,
            ("notes", "text"),
        ),
        key=("iso3", "date_start"),
        dates=(("date_start", "date_end", "precision"),),
        row_checks=(_visit_problems,),
    ),
    "agreements.csv": Table(
        _columns(
            _ISO3,
            ("date", "date", True),
            ("date_end", "date"),
            Column("precision", "choice", True, PRECISIONS),
            ("title", "text", True),
            ("count", "count"),
            ("field", "text"),
            ("corridor", "corridor"),
            _SOURCE,
            _QUOTE,
            ("notes", "text"),
        ),
        key=("iso3", "date"),
        dates=(("date", "date_end", "precision"),),
    ),
    "connectivity.csv": Table(
        _columns(
            _ISO3,
            ("corridor", "corridor", True),
            Column("role", "choice", True, ("supplier", "origin", "transit", "party", "proposed")),
            _SOURCE,
            _QUOTE,
            ("notes", "text"),
        ),
        key=("iso3", "corridor"),
        unique=True,
    ),
}


def table_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """
    Return the rows of `frame` as dicts keyed by column name, in order.

    Examples
    --------
    >>> table_rows(pd.DataFrame({"iso3": ["KAZ"], "period": ["FY2024-25"]}))
    [{'iso3': 'KAZ', 'period': 'FY2024-25'}]
    """
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _header_problems(name: str, table: Table, header: Sequence[str]) -> list[str]:
    expected = [column.name for column in table.columns]
    problems = [
        f"{name}: missing column {col!r} — add it to the header "
        f"(expected columns: {', '.join(expected)})."
        for col in expected
        if col not in header
    ]
    problems += [
        f"{name}: unexpected column {col!r} — remove it or rename it to one of: "
        f"{', '.join(expected)}."
        for col in header
        if col not in expected
    ]
    return problems


def _check_row(
    table: Table, raw: Mapping[str, str], codes: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """Parse one row; return its values and problem phrases ``'<field> <problem>'``."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for column in table.columns:
        value, problem = _parse(column, raw[column.name], codes)
        values[column.name] = value
        if problem:
            problems.append(f"{column.name} {problem}")
    if problems:
        return values, problems
    for start, end, precision in table.dates:
        problems += _date_problems(values, start, end, precision)
    for check in table.row_checks:
        problems += check(values)
    return values, problems


def check_table(
    name: str, frame: pd.DataFrame, *, codes: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """
    Check one raw table (every cell a string) and convert it to typed columns.

    Parameters
    ----------
    name
        File name used in messages, such as ``"trade.csv"``.
    frame
        The table from :func:`parse_csv`: strings, ``""`` for empty cells,
        indexed by row number.
    codes
        ISO3 codes allowed in the ``iso3`` column.

    Returns
    -------
    table, problems
        Typed table (numbers as float with NaN for empty, counts as Int64) and one
        line per problem, each naming file, row, field, expectation and fix.
    """
    table = TABLES[name]
    problems = _header_problems(name, table, list(frame.columns))
    if problems:
        return frame, problems
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, raw in zip(frame.index, table_rows(frame), strict=True):
        if any(not isinstance(value, str) for value in raw.values()):
            continue  # a row of the wrong length, already reported by parse_csv
        where = f"{name}: row {number} ({', '.join(raw[k] for k in table.key)})"
        values, found = _check_row(table, raw, codes)
        problems += [f"{where}: {problem}." for problem in found]
        rows.append(values)
        numbers.append(int(number))
    columns = [column.name for column in table.columns]
    typed = pd.DataFrame(rows, columns=columns)
    for column in table.columns:
        dtype: Any = _DTYPES.get(column.kind, "str")
        typed[column.name] = typed[column.name].astype(dtype)
    if table.unique:
        problems += _duplicate_problems(name, table, typed, numbers)
    return typed, problems


def _duplicate_problems(
    name: str, table: Table, typed: pd.DataFrame, numbers: list[int]
) -> list[str]:
    key = list(table.key)
    repeated = typed.duplicated(key, keep="first").tolist()
    return [
        f"{name}: row {numbers[position]} ({', '.join(str(row[k]) for k in key)}): repeats the "
        f"{' + '.join(key)} of an earlier row — merge the rows or correct the key."
        for position, row in enumerate(table_rows(typed))
        if repeated[position]
    ]


def parse_csv(name: str, text: str) -> tuple[pd.DataFrame, list[str]]:
    r"""
    Split CSV text into a table of untouched strings, indexed by spreadsheet row number.

    The header is row 1. Blank lines are skipped but still counted. A row with
    the wrong number of cells is reported and kept as a row of None, so that
    the other rows keep their numbers.

    Examples
    --------
    >>> frame, problems = parse_csv("t.csv", "iso3,period\nKAZ,FY2024-25\n\nKGZ\n")
    >>> frame.to_dict("index")
    {2: {'iso3': 'KAZ', 'period': 'FY2024-25'}, 4: {'iso3': None, 'period': None}}
    >>> print(problems[0].split(" — ")[0])
    t.csv: row 4 ('KGZ'): has 1 cell but the header has 2
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as error:
        return pd.DataFrame(), [
            f"{name}: cannot read as CSV ({error}) at line {reader.line_num} — close the quotes "
            f"around cells and keep each cell under {csv.field_size_limit():,} characters."
        ]
    if not records or not records[0]:
        return pd.DataFrame(), [
            f"{name}: has no header row — start the file with the column names."
        ]
    header = records[0]
    problems: list[str] = []
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    for number, record in enumerate(records[1:], start=2):
        if not record:
            continue
        if len(record) != len(header):
            shown = ", ".join(repr(cell) for cell in record[:2])
            problems.append(
                f"{name}: row {number} ({shown}): has {len(record)} "
                f"cell{'s' if len(record) != 1 else ''} but the header has "
                f"{len(header)} — add or remove commas; quote cells that hold a comma."
            )
            rows.append([None] * len(header))
        else:
            rows.append(list(record))
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=header, index=numbers, dtype=object)
    return frame, problems


def validate_tables(
    frames: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """
    Check every bilateral table and their references to ``partners.csv``.

    ``partners.csv`` may hold only the six partners of the source documents; the
    other tables may name only the partners that ``partners.csv`` lists.

    Examples
    --------
    >>> bad = pd.DataFrame({"iso3": ["KAZ"], "corridor": ["silk_road"], "role": ["party"],
    ...                     "source": ["MOFA-SEED"], "quote": ["…"], "notes": [""]}, index=[2])
    >>> _, problems = validate_tables({"connectivity.csv": bad})
    >>> print(problems[0][:65])
    connectivity.csv: row 2 (KAZ, silk_road): corridor must be one of
    """
    typed: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    codes: Sequence[str] = PARTNERS
    if "partners.csv" in frames:
        typed["partners.csv"], problems = check_table(
            "partners.csv", frames["partners.csv"], codes=PARTNERS
        )
        if "iso3" in typed["partners.csv"]:
            codes = sorted(set(typed["partners.csv"]["iso3"].dropna()) & set(PARTNERS))
    for name in TABLES:
        if name in frames and name != "partners.csv":
            typed[name], found = check_table(name, frames[name], codes=codes)
            problems += found
    return typed, problems
