"""Static maps: what they draw, their scale bar and their reproducible bytes."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pytest

from corridors.data.atlas import load_atlas
from corridors.errors import CorridorDataError
from corridors.outputs.figures import (
    MODE_COLOURS,
    corridor_figure,
    figure_bytes,
    km_per_degree_lon,
    nice_scale_km,
)


@pytest.fixture(scope="module")
def atlas():  # type: ignore[no-untyped-def]
    return load_atlas()


def _drawn_lines(figure, colour: str, alpha: float = 1.0) -> list:  # type: ignore[no-untyped-def]
    ax = figure.axes[0]
    return [
        line
        for line in ax.lines
        if mcolors.to_hex(line.get_color()).upper() == colour and (line.get_alpha() or 1) == alpha
    ]


def _parts(lines: list) -> int:  # type: ignore[type-arg]
    """Line parts drawn: one line per run of alike segments, NaN between their parts."""
    return sum(1 + int(np.isnan(np.asarray(line.get_xdata(), dtype=float)).sum()) for line in lines)


def test_km_per_degree_lon__wgs84_parallels() -> None:
    # a·cos φ / sqrt(1 − e² sin² φ) · π/180: 111.319 km at the equator, 96.486 km at 30° N
    assert round(km_per_degree_lon(0.0), 3) == 111.319
    assert round(km_per_degree_lon(30.0), 3) == 96.486


def test_nice_scale_km__at_most_a_quarter_of_the_width() -> None:
    assert [nice_scale_km(w) for w in (40, 99, 100, 2100, 10000)] == [10, 10, 25, 500, 2000]


def test_corridor_figure__draws_each_segment_once(atlas) -> None:  # type: ignore[no-untyped-def]
    figure = corridor_figure(atlas, "casa1000")
    # CASA-1000 has four power-line segments; other corridors are drawn faint (alpha 0.3)
    assert _parts(_drawn_lines(figure, MODE_COLOURS["power_line"])) == 4
    faint = [line for line in figure.axes[0].lines if line.get_alpha() == 0.3]
    assert _parts(faint) == len(atlas.segments) - 4


def test_corridor_figure__solid_existing_dashed_planned(atlas) -> None:  # type: ignore[no-untyped-def]
    figure = corridor_figure(atlas, "uap_railway")
    lines = _drawn_lines(figure, MODE_COLOURS["railway"])
    by_style = {s: _parts([x for x in lines if x.get_linestyle() == s]) for s in ("-", "--")}
    # two operating segments (solid), one at feasibility (dashed)
    assert by_style == {"-": 2, "--": 1}


def test_corridor_figure__scale_bar_spans_its_length(atlas) -> None:  # type: ignore[no-untyped-def]
    figure = corridor_figure(atlas, "tapi")
    ax = figure.axes[0]
    halves = [p for p in ax.patches if p.get_width() > 0 and p.get_zorder() == 8]
    span_deg = sum(p.get_width() for p in halves)
    lat = halves[0].get_y()
    labels = [t.get_text() for t in ax.texts if t.get_text().endswith(" km")]
    (label,) = labels
    length_km = float(label.removesuffix(" km"))
    assert span_deg * km_per_degree_lon(lat) == pytest.approx(length_km, rel=1e-9)


def test_corridor_figure__unknown_id(atlas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CorridorDataError, match="unknown corridor 'x' — use one of tapi"):
        corridor_figure(atlas, "x")


def test_figure_bytes__identical_on_rerun(atlas) -> None:  # type: ignore[no-untyped-def]
    first = figure_bytes(corridor_figure(atlas, "qtta"), "png")
    assert figure_bytes(corridor_figure(atlas, "qtta"), "png") == first
    svg = figure_bytes(corridor_figure(atlas, "qtta"), "svg")
    assert figure_bytes(corridor_figure(atlas, "qtta"), "svg") == svg
    assert b"Software" not in first[:2000]
