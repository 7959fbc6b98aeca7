"""``corridors validate`` on the shipped data and on the bad-input corpus in tests/fixtures/bad/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.cli import main
from corridors.data.atlas import load_atlas
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError
from corridors.validate import validate_paths

BAD = Path(__file__).parents[1] / "fixtures" / "bad"

# One file per rule: the file, and the words its one-line error must contain.
CORPUS = {
    "invalid_json.geojson": "invalid JSON at line 16, column 6",
    "nan_literal.geojson": "NaN is not valid JSON",
    "byte_order_mark.geojson": "starts with a UTF-8 byte-order mark",
    "invalid_utf8.geojson": "is not valid UTF-8",
    "not_a_feature_collection.geojson": "expected a GeoJSON FeatureCollection, got 'Feature'",
    "missing_geometry.geojson": "geometry is missing",
    "empty_geometry.geojson": "geometry is empty",
    "point_geometry.geojson": "expected LineString or MultiLineString, got Point",
    "one_distinct_position.geojson": "fewer than two distinct positions",
    "out_of_range.geojson": "250.0, 34.0 lie outside [-180, 180] x [-90, 90]",
    "swapped_axes.geojson": "coordinates look like (lat, lon)",
    "three_d_coordinates.geojson": "got 3 values",
    "antimeridian.geojson": "crosses the antimeridian",
    "legacy_crs.geojson": "crs: expected WGS 84",
    "missing_property.geojson": "status: required property is missing",
    "unknown_enum.geojson": "mode: expected one of gas_pipeline",
    "unknown_iso3.geojson": "unknown ISO 3166-1 alpha-3 code 'XAF'",
    "duplicate_ids.geojson": "segment_id: 'uap_termez_hairatan' is used more than once",
    "bad_date.catalog.json": "'2025-02-30' is not a real calendar date",
    "milestones_out_of_order.catalog.json": "comes before the milestone above it",
}

# Rules that need the rest of a geodata folder: the file replaces uap_railway.geojson.
IN_FOLDER = {
    "dangling_waypoint.geojson": "waypoints: 'hairatan_port_typo' is not a place id",
    "unknown_source.geojson": "sources: 'NO-SUCH-SOURCE-2025' is not in sources.csv",
}


def test_corpus__has_one_file_per_rule() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CORPUS | IN_FOLDER)


def test_validate__shipped_geodata_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "passed validation" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "message"), sorted(CORPUS.items()))
def test_validate__bad_file_gives_one_line_error(
    name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / name
    before = path.read_bytes()
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "1 problem(s) found."
    assert err[0].startswith(f"error: {path}: ")
    assert message in err[0]
    assert path.read_bytes() == before


@pytest.fixture
def geodata_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "geodata"
    shutil.copytree(default_data_dir(), folder)
    return folder


@pytest.mark.parametrize(("name", "message"), sorted(IN_FOLDER.items()))
def test_validate__bad_reference_in_folder(
    name: str, message: str, geodata_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(BAD / name, geodata_copy / "corridors" / "uap_railway.geojson")
    assert main(["validate", str(geodata_copy)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"error: {geodata_copy / 'corridors' / 'uap_railway.geojson'}: ")
    assert message in err[0]


def test_validate__reports_every_problem_at_once() -> None:
    problems = validate_paths([BAD / "missing_geometry.geojson", BAD / "unknown_enum.geojson"])
    assert len(problems) == 2


def test_load_atlas__raises_data_error_with_all_problems(geodata_copy: Path) -> None:
    shutil.copy(BAD / "unknown_source.geojson", geodata_copy / "corridors" / "uap_railway.geojson")
    places = geodata_copy / "places.geojson"
    places.write_text(places.read_text().replace('"kind": "city"', '"kind": "metropolis"', 1))
    with pytest.raises(CorridorDataError) as caught:
        load_atlas(geodata_copy)
    assert any("kind: expected one of" in p for p in caught.value.problems)


def test_validate__missing_path_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nowhere.geojson")]) == 1
    assert "nowhere.geojson" in capsys.readouterr().err


def test_validate__console_script_exits_1_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "corridors", "validate", str(BAD / "legacy_crs.geojson")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
