"""Arguments that would silently mean something else, and cells a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from corridors.cli import main
from corridors.data.paths import default_data_dir
from corridors.outputs.tables import csv_cell, render


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--out", ""],
        ["build", "--out", "   "],
        ["build", "--data", ""],
        ["export", "--out", ""],
        ["report", "--data", " "],
        ["lengths", ""],
    ],
)
def test_cli__empty_paths_are_errors_not_defaults(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is empty — give a path, or leave the option out." in err
    assert list(tmp_path.iterdir()) == []  # nothing written to ./output


def test_export__a_gpkg_name_with_kml_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.gpkg"
    assert main(["export", "--format", "kml", "--out", str(out)]) == 1
    assert "a .gpkg file name, but --format kml writes a .kml file" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_export__a_single_file_replaces_only_that_file(tmp_path: Path) -> None:
    (tmp_path / "other.txt").write_bytes(b"mine\n")
    assert main(["-q", "export", "--format", "gpkg", "--out", str(tmp_path / "c.gpkg")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.gpkg", "other.txt"]


def test_build__a_link_to_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "gone")
    assert main(["build", "--out", str(link)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == f"error: {link}: a link to {tmp_path / 'gone'}, which is not a folder — create it or choose another --out folder.\n"
    )


def test_csv__formula_cells_are_neutralised_numbers_are_not() -> None:
    records = [
        {"name": '=HYPERLINK("http://x","y")', "km": -1.5, "note": "-12.5"},
        {"name": "@SUM(A1)", "km": -0.0, "note": "+1-1"},
        {"name": "\tTab", "km": 2, "note": "plain"},
    ]
    rows = list(csv.reader(io.StringIO(render(records, ["name", "km", "note"], "csv"))))
    assert rows[1:] == [
        ['\'=HYPERLINK("http://x","y")', "-1.5", "-12.5"],
        ["'@SUM(A1)", "0.0", "'+1-1"],
        ["'\tTab", "2", "plain"],
    ]
    assert csv_cell("\rx") == "'\rx" and csv_cell("-0") == "-0"


def test_validate__a_20000_character_name_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "geodata"
    shutil.copytree(default_data_dir(), data)
    path = data / "corridors" / "tapi.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"][0]["properties"]["name"] = "N" * 20_000
    path.write_text(json.dumps(collection), encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    line, summary = capsys.readouterr().err.splitlines()
    assert summary == "1 problem(s) found."
    assert line.endswith("name: 20,000 characters — at most 200 are allowed; shorten it.")
    assert len(line) < 300
