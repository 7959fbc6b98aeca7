"""``corridors lengths`` and ``corridors crossings``, run in-process, and the lengths report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import LineString

from corridors.bilateral.tables import load_bilateral
from corridors.build import BuildContext, collect
from corridors.cli import main
from corridors.data.atlas import load_atlas
from corridors.validate import validate_paths

DATA = Path(__file__).parents[1] / "fixtures" / "measure"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    assert main(["lengths", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_main__lengths_table_puts_official_figures_beside(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lengths"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = "corridor_id   mode               status              length_km  official_length_km"
    assert lines[0].startswith(header + "  ratio  official_source")
    tapi = next(line for line in lines if line.startswith("tapi "))
    assert "1,896.4" in tapi and "1,814.0" in tapi and "0.96" in tapi and "TREND-2018" in tapi
    assert len(lines) == 2 + 7


def test_main__lengths_by_country_json_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    by_country = _json(capsys, "--by", "country")
    corridors = {r["corridor_id"]: r["length_km"] for r in _json(capsys)}
    assert {
        "corridor_id",
        "name",
        "mode",
        "status",
        "length_km",
        "iso3",
        "official_length_km",
        "official_source",
    } <= set(by_country[0])
    for cid, total in corridors.items():
        parts = sum(r["length_km"] for r in by_country if r["corridor_id"] == cid)
        assert abs(parts - total) < 0.002  # km, rounded to metres per record
    sea = [r for r in by_country if r["iso3"] == "sea"]
    assert {r["corridor_id"] for r in sea} == {"ktap_railway", "pak_aze_rail"}
    tkm = next(r for r in by_country if (r["corridor_id"], r["iso3"]) == ("tapi", "TKM"))
    assert (tkm["official_length_km"], tkm["official_source"]) == (
        214.0,
        "TREND-2018, AFINTL-2025, NGW-2018",
    )


def test_main__lengths_by_segment_for_one_corridor(capsys: pytest.CaptureFixture[str]) -> None:
    records = _json(capsys, "--by", "segment", "--corridor", "uap_railway")
    assert [r["segment_id"] for r in records] == [
        "uap_termez_hairatan",
        "uap_hairatan_naibabad",
        "uap_naibabad_kharlachi",
        "uap_alt_torkham",
    ]
    assert (records[1]["official_length_km"], records[1]["official_source"]) == (
        75.0,
        "CAREC-2011, CENTRALASIANLIGHT-2024",
    )


def test_main__lengths_of_a_user_file_in_input_order(capsys: pytest.CaptureFixture[str]) -> None:
    records = _json(capsys, str(DATA / "lines.geojson"))
    assert [(r["segment_id"], r["length_km"]) for r in records] == [
        ("equator", 111.319),
        ("1", 221.151),  # no id: the feature's index, as text; 110.574 + 110.576 km of meridian
        ("chaman_quetta", 106.721),
    ]


def test_main__lengths_of_a_user_file_by_country(capsys: pytest.CaptureFixture[str]) -> None:
    records = _json(capsys, str(DATA / "lines.geojson"), "--by", "country")
    assert [(r["segment_id"], r["iso3"]) for r in records] == [
        ("equator", "sea"),
        ("1", "sea"),
        ("chaman_quetta", "AFG"),
        ("chaman_quetta", "PAK"),
    ]


def test_main__lengths_of_a_geopackage_in_metres_crs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lines.gpkg"
    gpd.GeoDataFrame({"id": ["eq"]}, geometry=[LineString([(0, 0), (1, 0)])], crs=4326).to_crs(
        3857
    ).to_file(path)
    assert [r["length_km"] for r in _json(capsys, str(path))] == [111.319]


def _no_crs_shapefile(tmp_path: Path) -> Path:
    path = tmp_path / "nocrs.shp"
    frame = gpd.GeoDataFrame({"id": [1]}, geometry=[LineString([(0, 0), (1, 0)])], crs=4326)
    frame.to_file(path)
    path.with_suffix(".prj").unlink()  # a Shapefile without its .prj has no CRS
    return path


@pytest.mark.parametrize("name", ["points.geojson", "polygons.geojson", "empty.geojson", "nocrs"])
def test_main__lengths_bad_input_gets_validate_errors(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _no_crs_shapefile(tmp_path) if name == "nocrs" else DATA / name
    assert main(["lengths", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    expected = "".join(f"error: {p}\n" for p in validate_paths([path]))
    assert expected and captured.err == expected


def test_main__lengths_unknown_corridor_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lengths", "--corridor", "nope"]) == 1
    assert capsys.readouterr().err.startswith("error: unknown corridor 'nope' — use one of tapi,")


def test_main__crossings_lists_borders_with_chainage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crossings", "--corridor", "uap_railway", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "corridor_id,segment_id,from_iso3,to_iso3,km_from_start,lon,lat"
    assert rows[1].startswith("uap_railway,uap_termez_hairatan,UZB,AFG,9.429,")
    assert len(rows) == 4


def test_lengths_report__writes_markdown_and_csv_deterministically(tmp_path: Path) -> None:
    shutil.copytree(load_atlas().data_dir, tmp_path / "geodata")
    atlas = load_atlas(tmp_path / "geodata")
    context = BuildContext(atlas, load_bilateral(atlas.data_dir))
    first = collect(context, ["corridors.outputs.lengths_report:lengths_report"])
    assert first == collect(context, ["corridors.outputs.lengths_report:lengths_report"])
    assert sorted(first) == [
        "crossings.csv",
        "lengths.csv",
        "lengths.md",
        "lengths_by_country.csv",
        "stated_vs_measured.csv",
    ]
    markdown = first["lengths.md"].decode()
    assert "| tapi | gas_pipeline | under_construction | 1,896.4 | 1,814.0 | 0.96 |" in markdown
    assert (
        first["lengths.csv"]
        .decode()
        .splitlines()[2]
        .startswith(
            "tapi,tapi_afg_herat,TAPI Serhetabat–Herat,gas_pipeline,under_construction,main,104.204,153.000,"
        )
    )
