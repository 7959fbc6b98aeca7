"""``corridors lengths FILE`` and ``crossings FILE`` on users' files, as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_cases import geodata_with, target
from third_party import BUBENEC, GEOD, MOMEPY_TESTS, STREETS_SHP

from corridors.bilateral.tables import load_bilateral
from corridors.cli import main
from corridors.data.atlas import load_atlas
from corridors.data.lines import read_user_lines
from corridors.measure.lengths import segment_lengths
from corridors.outputs.export import export_files


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    capsys.readouterr()
    assert main(["lengths", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _features(*lines: tuple[dict, list[list[float]]]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": p,
                    "geometry": {"type": "LineString", "coordinates": c},
                }
                for p, c in lines
            ],
        }
    )


def test_lengths__two_files_keep_string_ids_and_name_their_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.geojson").write_text(_features(({"id": 1}, [[14.4, 50.0], [14.5, 50.0]])))
    (tmp_path / "b.geojson").write_text(
        _features(({"segment_id": "x-1"}, [[14.4, 50.0], [14.4, 50.1]]), ({}, [[0, 0], [1, 0]]))
    )
    records = _json(capsys, str(tmp_path / "a.geojson"), str(tmp_path / "b.geojson"))
    assert [(r["source_file"], r["segment_id"]) for r in records] == [
        (str(tmp_path / "a.geojson"), "1"),
        (str(tmp_path / "b.geojson"), "x-1"),
        (str(tmp_path / "b.geojson"), "1"),
    ]
    assert [r["length_km"] for r in records] == [7.17, 11.123, 111.319]


def test_lengths__a_corridor_like_file_is_measured_not_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "corridor__duplicate_ids.geojson"
    path = geodata_with(name, tmp_path / "geodata") / target(name)
    assert main(["validate", str(path)]) == 1
    ids = [r["segment_id"] for r in _json(capsys, str(path))]
    assert len(ids) > len(set(ids))  # the repeated id is measured twice, as written


def test_lengths__the_exported_segments_measure_as_the_shipped_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    atlas = load_atlas()
    files = export_files(atlas, load_bilateral(atlas.data_dir), ("geojson",))
    exported = tmp_path / "segments.geojson"
    exported.write_bytes(files["geojson/segments.geojson"])
    text = exported.read_text()
    assert '"crs"' not in text  # RFC 7946
    records = _json(capsys, str(exported))
    shipped = segment_lengths(atlas).set_index("segment_id")["length_km"]
    assert len(records) == len(shipped) == 38
    assert max(abs(r["length_km"] - shipped[r["segment_id"]]) for r in records) * 1000 < 1.0


def test_lengths__momepy_geopackage_by_layer_and_country(
    capsys: pytest.CaptureFixture[str],
) -> None:
    records = _json(capsys, str(BUBENEC), "--layer", "streets", "--by", "country")
    assert {(r["layer"], r["iso3"], r["boundaries"]) for r in records} == {
        ("streets", "CZE", "ne_50m_world")
    }
    by_pyproj = sum(GEOD.geometry_length(g) for g in read_user_lines(BUBENEC).geometry) / 1000
    assert sum(r["length_km"] for r in records) == pytest.approx(by_pyproj, abs=0.035)  # 35 x 1 m


def test_lengths__several_line_layers_exit_1_with_the_listing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lengths", str(MOMEPY_TESTS)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "3 line layers (network (MultiLineString)" in err and "--layer NAME" in err


def test_console_script__no_gdal_warning_reaches_the_terminal(tmp_path: Path) -> None:
    script = shutil.which("corridors", path=str(Path(sys.executable).parent))
    assert script is not None
    for args in ([str(BUBENEC)], [str(STREETS_SHP), "--by", "country"], [str(MOMEPY_TESTS)]):
        run = subprocess.run(
            [script, "lengths", *args], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert "Warning" not in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_crossings__of_a_users_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "caspian.geojson"
    path.write_text(_features(({"name": "Baku-Turkmenbashi"}, [[49.867, 40.409], [52.97, 40.02]])))
    capsys.readouterr()
    assert main(["crossings", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["from_iso3"], r["to_iso3"]) for r in rows][-1] == ("sea", "TKM")
    assert all(r["source_file"] == str(path) and r["segment_id"] == "0" for r in rows)
