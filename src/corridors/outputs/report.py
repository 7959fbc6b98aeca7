"""
A written report of the atlas, in Markdown or HTML, with every number computed from the data.

The report is built once as a list of blocks (headings, paragraphs, tables,
figures) by :func:`report_blocks` and rendered by :func:`render_markdown` or
:func:`render_html`. HTML is written by hand with every piece of text passed
through :func:`html.escape`; no template engine is involved.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corridors.bilateral.tables import Bilateral, country_profile
from corridors.data.atlas import Atlas
from corridors.data.countries import COUNTRY_NAMES
from corridors.measure.lengths import corridor_lengths, country_split, crossings, segment_lengths
from corridors.measure.stated import MAX_RATIO, TOLERANCE, stated_vs_measured
from corridors.outputs.tables import markdown_text, render

__all__ = [
    "REPORT_FORMATS",
    "Block",
    "produce_report",
    "render_html",
    "render_markdown",
    "report_blocks",
    "report_text",
]

log = logging.getLogger(__name__)

REPORT_FORMATS = ("md", "html")

# Table columns and their titles.
_SEGMENT_COLUMNS = {
    "name": "Segment",
    "mode": "Mode",
    "status": "Status",
    "role": "Role",
    "accuracy": "Route accuracy",
    "km": "km",
}
_STATED_COLUMNS = {
    "corridor": "Corridor",
    "scope": "Scope",
    "official_km": "Published, km",
    "measured_km": "Measured, km",
    "ratio": "Ratio",
    "official_source": "Source",
    "reason": "Why flagged",
}
_TRADE_COLUMNS = {
    "period": "Period",
    "exports_usd_m": "Exports, US$ m",
    "imports_usd_m": "Imports, US$ m",
    "total_usd_m": "Stated total, US$ m",
    "balance_usd_m": "Balance, US$ m",
    "source": "Source",
}


@dataclass(frozen=True)
class Block:
    """
    One piece of the report.

    ``kind`` is ``heading`` (``level`` 1–3), ``text``, ``table`` (``rows`` and
    ``columns``; ``labels`` give the column titles) or ``figure`` (``path`` and
    ``text`` as the caption).
    """

    kind: str
    text: str = ""
    level: int = 2
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    path: str = ""


def _km(value: Any) -> str:
    """Format kilometres with one decimal; missing values stay empty.

    Examples
    --------
    >>> _km(1896.3625), _km(None), _km(float("nan"))
    ('1,896.4', '', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.1f}"


def _ratio(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.2f}"


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> Block:
    rows = [{c: row[c] for c in columns} for _, row in frame.iterrows()]
    return Block("table", rows=rows, columns=list(columns), labels=list(columns.values()))


def _lengths_blocks(atlas: Atlas) -> list[Block]:
    lengths = corridor_lengths(atlas).copy()
    total = lengths["length_km"].sum()
    longest = lengths.iloc[int(lengths["length_km"].to_numpy().argmax())]
    lengths["measured"] = lengths["length_km"].map(_km)
    for column in ("parallel_km", "alternative_km"):
        lengths[column] = lengths[column].map(lambda v: _km(v) if v else "")
    lengths["ratio"] = lengths["ratio"].map(_ratio)
    lengths["status"] = lengths["status"].str.replace("_", " ")
    return [
        Block("heading", "Corridor lengths"),
        Block(
            "text",
            f"The {len(lengths)} corridors' main routes measure {_km(total)} km together on the "
            f"WGS 84 ellipsoid; the longest is {longest['name']} at {_km(longest['length_km'])} "
            "km. Parallel lines (a second mode along a main route) and alternative alignments "
            "are measured separately and never added to a corridor's total. The ratio is the "
            "first published total over the measured main route.",
        ),
        _table(
            lengths,
            {
                "name": "Corridor",
                "status": "Status",
                "measured": "Main route, km",
                "parallel_km": "Parallel, km",
                "alternative_km": "Alternatives, km",
                "official_figures": "Published totals",
                "ratio": "Published / measured",
            },
        ),
    ]


def _country_blocks(atlas: Atlas) -> list[Block]:
    split = country_split(atlas.segments, atlas.boundaries)
    roles = atlas.segments.set_index("segment_id")["role"]
    main = split[split["segment_id"].map(roles) == "main"]
    table = main.pivot_table(
        index="corridor_id", columns="iso3", values="length_km", aggfunc="sum", sort=False
    )
    order = [c for c in atlas.catalog if c in table.index]
    table = table.loc[order]
    countries = [c for c in table.columns if table[c].notna().any()]
    rows = [
        {"corridor": atlas.catalog[cid]["name"], **{c: _km(table.loc[cid, c]) for c in countries}}
        for cid in order
    ]
    share = main.groupby("iso3")["length_km"].sum().sort_values(ascending=False)
    top = share.index[0]
    return [
        Block("heading", "Kilometres per country"),
        Block(
            "text",
            "Main-route kilometres inside each country's Natural Earth polygon; 'sea' is "
            "length in no country's polygon (a ferry, or a line along the coast), 'disputed' "
            f"is length in a territory shown separately. {COUNTRY_NAMES.get(top, top)} holds the "
            f"most: {_km(share.iloc[0])} km of {_km(share.sum())} km.",
        ),
        Block(
            "table", rows=rows, columns=["corridor", *countries], labels=["Corridor", *countries]
        ),
    ]


def _crossing_blocks(atlas: Atlas) -> list[Block]:
    table = crossings(atlas.segments, atlas.boundaries)
    roles = atlas.segments.set_index("segment_id")["role"]
    table = table[table["segment_id"].map(roles) == "main"].copy()
    table["corridor"] = table["corridor_id"].map(lambda c: atlas.catalog[c]["name"])
    table["km"] = table["km_from_start"].map(_km)
    table["where"] = [
        f"{lat:.4f}, {lon:.4f}" for lon, lat in zip(table["lon"], table["lat"], strict=True)
    ]
    countries = table[~table[["from_iso3", "to_iso3"]].isin(["sea", "disputed"]).any(axis=1)]
    return [
        Block("heading", "Border crossings"),
        Block(
            "text",
            f"The main routes pass from one country into another {len(countries)} times; "
            f"{len(table) - len(countries)} further points are where a line leaves or enters "
            "sea or disputed territory (a schematic line cutting a coast, or a ferry). Each "
            "point is where the line meets the boundary polygon; km are counted from the "
            "start of the segment.",
        ),
        _table(
            table,
            {
                "corridor": "Corridor",
                "segment_id": "Segment",
                "from_iso3": "From",
                "to_iso3": "To",
                "km": "km from segment start",
                "where": "Lat, lon",
            },
        ),
    ]


def _stated_blocks(atlas: Atlas) -> list[Block]:
    table = stated_vs_measured(atlas).copy()
    table["corridor"] = table["corridor_id"].map(lambda c: atlas.catalog[c]["name"])
    table["scope"] = [
        f"{scope} {iso3}" if scope == "country" else scope
        for scope, iso3 in zip(table["scope"], table["iso3"], strict=True)
    ]
    for column in ("official_km", "measured_km"):
        table[column] = table[column].map(_km)
    table["ratio"] = table["ratio"].map(_ratio)
    flagged = table[table["flag"]]
    limits = ", ".join(f"{mode.replace('_', ' ')} {ratio:g}×" for mode, ratio in MAX_RATIO.items())
    return [
        Block("heading", "Stated vs measured"),
        Block(
            "text",
            f"Each of the {len(table)} published lengths is set beside the length measured "
            f"over the same scope; {len(flagged)} pairs are flagged. A line drawn through "
            "via-points is shorter than the built route, so a published figure should be "
            "longer than the measured one, but not by more than a mode allows (official / "
            f"measured at most: {limits}). A pair is flagged when the measured length exceeds "
            f"the published one by more than {TOLERANCE:.0%}, or when the published figure "
            "exceeds that limit. The flagged pairs, with the reason for each:",
        ),
        _table(flagged, _STATED_COLUMNS),
    ]


def _corridor_blocks(atlas: Atlas, figures: str) -> list[Block]:
    lengths = segment_lengths(atlas)
    blocks = [Block("heading", "Corridors one by one")]
    for cid, facts in atlas.catalog.items():
        mine = lengths[lengths["corridor_id"] == cid].copy()
        mine["km"] = mine["length_km"].map(_km)
        accuracy = atlas.segments.set_index("segment_id")["route_accuracy"]
        mine["accuracy"] = mine["segment_id"].map(accuracy)
        blocks += [
            Block("heading", facts["name"], level=3),
            Block(
                "text",
                f"{facts['summary']} Status: {facts['status'].replace('_', ' ')}. "
                f"{facts['status_note']}",
            ),
            Block(
                "figure",
                f"{facts['name']}: segments by mode and status.",
                path=f"{figures}/{cid}.png",
            ),
            _table(mine, _SEGMENT_COLUMNS),
        ]
    return blocks


def _partner_blocks(bilateral: Bilateral) -> list[Block]:
    blocks = [Block("heading", "Partner profiles")]
    for iso3 in bilateral.partners["iso3"]:
        profile = country_profile(bilateral, iso3)
        relations = profile["relations_established"]
        served = ", ".join(f"{c['corridor']} ({c['role']})" for c in profile["corridors"])
        blocks += [
            Block("heading", f"{profile['name']} ({iso3})", level=3),
            Block(
                "text",
                f"{profile['official_name']}; capital {profile['capital']['name']}. Diplomatic "
                f"relations established {relations['date']}. Corridors: {served or 'none'}. "
                f"{len(profile['mechanisms'])} standing mechanisms, "
                f"{len(profile['visits'])} recorded visits, "
                f"{len(profile['agreements'])} agreements.",
            ),
        ]
        if profile["trade"]:
            trade = pd.DataFrame(profile["trade"])
            for column in ("exports_usd_m", "imports_usd_m", "total_usd_m", "balance_usd_m"):
                trade[column] = trade[column].map(lambda v: "" if pd.isna(v) else f"{v:,.2f}")
            blocks.append(_table(trade, _TRADE_COLUMNS))
    return blocks


def _method_blocks(atlas: Atlas) -> list[Block]:
    used = sorted({k for keys in atlas.segments["sources"] for k in keys})
    rows = [{"key": k, "reference": atlas.sources.get(k, "")} for k in used]
    return [
        Block("heading", "Method and sources"),
        Block(
            "text",
            "Lengths are geodesics on the WGS 84 ellipsoid, summed vertex to vertex along "
            "each line. Lines join sourced waypoints and are approximate or schematic, not "
            "survey alignments, so a measured length is a lower bound for the built route. "
            "Country splits use Natural Earth 1:10m boundaries, for orientation only.",
        ),
        Block("table", rows=rows, columns=["key", "reference"], labels=["Key", "Reference"]),
    ]


def report_blocks(atlas: Atlas, bilateral: Bilateral, *, figures: str = "figures") -> list[Block]:
    """
    Build the report: lengths, country splits, stated vs measured, crossings, corridors, partners.

    Parameters
    ----------
    atlas, bilateral
        The loaded data.
    figures
        Folder, relative to the report, holding ``atlas.png`` and ``<id>.png``.
    """
    segments = atlas.segments
    intro = (
        f"{len(atlas.catalog)} corridors in {len(segments)} segments "
        f"({int((segments['role'] == 'main').sum())} on main routes) link Pakistan, Central "
        "Asia and the Caucasus. Every number below is computed from the atlas data when the "
        "report is built."
    )
    return [
        Block("heading", "Corridors between Pakistan, Central Asia and the Caucasus", level=1),
        Block("text", intro),
        Block("figure", "All corridors by mode and status.", path=f"{figures}/atlas.png"),
        *_lengths_blocks(atlas),
        *_country_blocks(atlas),
        *_stated_blocks(atlas),
        *_crossing_blocks(atlas),
        *_corridor_blocks(atlas, figures),
        *_partner_blocks(bilateral),
        *_method_blocks(atlas),
    ]


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def render_markdown(blocks: Iterable[Block]) -> str:
    """
    Render blocks as Markdown; ``&``, ``<`` and ``>`` become entities, table cells escape ``|``.

    Examples
    --------
    >>> print(render_markdown([Block("heading", "Lengths"), Block("text", "a|b <i>")]), end="")
    ## Lengths
    <BLANKLINE>
    a|b &lt;i&gt;
    """
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"{'#' * block.level} {markdown_text(block.text)}")
        elif block.kind == "text":
            parts.append(markdown_text(block.text))
        elif block.kind == "figure":
            parts.append(f"![{markdown_text(block.text)}]({block.path})")
        else:
            rows = [
                {label: _cell(r[c]) for c, label in zip(block.columns, block.labels, strict=True)}
                for r in block.rows
            ]
            parts.append(render(rows, block.labels, "markdown").rstrip("\n"))
    return "\n\n".join(parts) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;"
    "color:#222;line-height:1.45}table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f0ea}img{max-width:100%}figcaption{color:#555;font-size:.9rem}"
)


def _html_table(block: Block) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label in block.labels)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r[c]))}</td>" for c in block.columns) + "</tr>"
        for r in block.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(blocks: Sequence[Block]) -> str:
    """
    Render blocks as one HTML page; every piece of text is escaped.

    Examples
    --------
    >>> page = render_html([Block("heading", "<b>TAPI</b>", level=1), Block("text", "a & b")])
    >>> "<h1>&lt;b&gt;TAPI&lt;/b&gt;</h1>" in page, "<p>a &amp; b</p>" in page
    (True, True)
    """
    title = next((b.text for b in blocks if b.kind == "heading"), "Report")
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif block.kind == "text":
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif block.kind == "figure":
            src, caption = html.escape(block.path, quote=True), html.escape(block.text)
            parts.append(
                f'<figure><img src="{src}" alt="{html.escape(block.text, quote=True)}">'
                f"<figcaption>{caption}</figcaption></figure>"
            )
        else:
            parts.append(_html_table(block))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def report_text(atlas: Atlas, bilateral: Bilateral, fmt: str = "md") -> str:
    """Return the whole report as Markdown (``md``) or HTML (``html``)."""
    blocks = report_blocks(atlas, bilateral)
    return render_html(blocks) if fmt == "html" else render_markdown(blocks)


def produce_report(
    atlas: Atlas, bilateral: Bilateral, options: Mapping[str, Any]
) -> Iterable[tuple[str, bytes]]:
    """Build producer: ``report.md`` and ``report.html``, beside ``figures/``."""
    blocks = report_blocks(atlas, bilateral)
    return [
        ("report.md", render_markdown(blocks).encode("utf-8")),
        ("report.html", render_html(blocks).encode("utf-8")),
    ]
