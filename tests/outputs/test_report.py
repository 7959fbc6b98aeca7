"""The written report: its numbers, its escaping and the files ``corridors report`` writes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pyproj import Geod

from corridors.bilateral.tables import load_bilateral
from corridors.cli import main
from corridors.data.atlas import load_atlas
from corridors.data.paths import default_data_dir
from corridors.measure.stated import stated_vs_measured
from corridors.outputs.report import report_text


@pytest.fixture(scope="module")
def markdown() -> str:
    return report_text(load_atlas(), load_bilateral(), "md")


def test_report_text__tapi_length_is_the_geodesic_sum_of_main_segments(markdown: str) -> None:
    segments = load_atlas().segments
    main = segments[(segments["corridor_id"] == "tapi") & (segments["role"] == "main")]
    geod = Geod(ellps="WGS84")
    km = sum(geod.geometry_length(line) for line in main.geometry) / 1000
    row = next(line for line in markdown.splitlines() if line.startswith("| TAPI gas pipeline |"))
    assert f"| {km:,.1f} |" in row
    assert "about 1,814 km" in row


def test_report_text__has_every_section(markdown: str) -> None:
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    for expected in ("Corridor lengths", "Kilometres per country", "Stated vs measured",
                     "Border crossings",
                     "Corridors one by one", "Partner profiles", "Method and sources"):  # fmt: skip
        assert expected in headings
    assert "### Kazakhstan (KAZ)" in markdown
    assert "![All corridors by mode and status.](figures/atlas.png)" in markdown


def test_report_text__kyrgyz_trade_as_stated(markdown: str) -> None:
    # trade.csv: KGZ FY2024-25 exports 4.85, imports 0.33, stated total 5.18; balance 4.52
    assert "| FY2024-25 | 4.85 | 0.33 | 5.18 | 4.52 | MOFA-SEED |" in markdown


def test_report_text__html_escapes_data(tmp_path: Path) -> None:
    data = tmp_path / "geodata"
    shutil.copytree(default_data_dir(), data)
    path = data / "corridors" / "tapi.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"][0]["properties"]["name"] = "<script>alert(1)</script> & co"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    page = report_text(load_atlas(data), load_bilateral(data), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_report_text__identical_on_rerun(markdown: str) -> None:
    assert report_text(load_atlas(), load_bilateral(), "md") == markdown


def test_main__report_html_with_its_figures(tmp_path: Path) -> None:
    assert main(["--quiet", "report", "--format", "html", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == 1 + len(load_atlas().catalog)
    assert all((tmp_path / image).is_file() for image in images)


def test_report_text__flags_tapi_turkmen_section(markdown: str) -> None:
    # catalog: 214 km in TKM (TREND-2018, ...); the drawn main route has more there
    row = next(line for line in markdown.splitlines() if "| country TKM | 214.0 |" in line)
    assert "measured 236 km is longer than the official 214 km" in row
    flagged = int(stated_vs_measured(load_atlas())["flag"].sum())
    assert f"{flagged} pairs are flagged" in markdown
