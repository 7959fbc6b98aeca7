"""Render lists of records as aligned text tables, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "csv_cell", "markdown_text", "render"]

#: A text cell starting with one of these runs as a formula in a spreadsheet (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """
    Return `text` safe to open in a spreadsheet: a leading formula character gets a ``'``.

    Numbers written as text (``-12.5``) stay as they are; nothing else changes.

    Examples
    --------
    >>> [csv_cell(s) for s in ["=HYPERLINK(1)", "@SUM(A1)", "+1-1", "-12.5", "Kabul"]]
    ["'=HYPERLINK(1)", "'@SUM(A1)", "'+1-1", '-12.5', 'Kabul']
    """
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _text(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    rows = [[_cell(r.get(c)) for c in columns] for r in records]
    widths = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(r.get(c), int | float) or r.get(c) is None for r in records) for c in columns
    ]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(w) if num else cell.ljust(w)
            for cell, w, num in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(columns), rule, *(line(r) for r in rows)]) + "\n"


def markdown_text(text: str) -> str:
    """
    Escape `text` for Markdown: ``&``, ``<`` and ``>`` become entities, so HTML in data shows as text.

    Examples
    --------
    >>> markdown_text("<img src=x onerror=alert(1)> & co")
    '&lt;img src=x onerror=alert(1)&gt; &amp; co'
    """
    return html.escape(text, quote=False)


def _markdown(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    def esc(text: str) -> str:
        return markdown_text(text).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(columns) + " |"
    align = (
        "|"
        + "|".join(
            "---:" if all(isinstance(r.get(c), int | float) for r in records) else "---"
            for c in columns
        )
        + "|"
    )
    body = ["| " + " | ".join(esc(_cell(r.get(c))) for c in columns) + " |" for r in records]
    return "\n".join([head, align, *body]) + "\n"


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return csv_cell("; ".join(map(str, value)))
    if value is None:
        return ""
    if isinstance(value, float) and value == 0:
        return 0.0  # no "-0.0"
    return csv_cell(value) if isinstance(value, str) else value


def _csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_value(record.get(c)) for c in columns])
    return out.getvalue()


def render(records: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    r"""
    Render `records` in `fmt` (``table``, ``markdown``, ``csv`` or ``json``).

    JSON keeps every key of every record; the other formats show `columns`.

    Examples
    --------
    >>> print(render([{"id": "tapi", "km": 1814.0}], ["id", "km"], "table"), end="")
    id         km
    ----  -------
    tapi  1,814.0
    >>> print(render([{"id": "a|b"}], ["id"], "markdown"), end="")
    | id |
    |---|
    | a\|b |
    """
    if fmt == "json":
        return json.dumps(list(records), ensure_ascii=False, indent=1) + "\n"
    if fmt == "markdown":
        return _markdown(records, columns)
    if fmt == "csv":
        return _csv(records, columns)
    return _text(records, columns)
