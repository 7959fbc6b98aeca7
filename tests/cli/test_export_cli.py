"""``corridors export`` and ``corridors figure`` run in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyogrio
import pytest

from corridors.cli import main
from corridors.data.paths import default_data_dir


def test_main__export_gpkg_to_named_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "atlas.gpkg"
    assert main(["export", "--format", "gpkg", "--out", str(target)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.gpkg"]
    assert "segments" in [name for name, _ in pyogrio.list_layers(target)]
    assert "atlas.gpkg" in capsys.readouterr().out


def test_main__export_csv_into_folder(tmp_path: Path) -> None:
    assert main(["--quiet", "export", "--format", "csv", "--out", str(tmp_path)]) == 0
    trade = (tmp_path / "csv" / "bilateral_trade.csv").read_text(encoding="utf-8")
    assert trade.splitlines()[0].startswith("iso3,period,exports_usd_m")
    assert not (tmp_path / "corridors.gpkg").exists()


def test_main__export_bad_data_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data = tmp_path / "geodata"
    shutil.copytree(default_data_dir(), data)
    (data / "places.geojson").write_text("{", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", "--data", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "places.geojson" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_main__figure_unknown_corridor(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["figure", "--corridor", "silk_road", "--out", str(tmp_path)]) == 1
    assert "unknown corridor 'silk_road' — use one of tapi" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_main__figure_one_corridor_svg(tmp_path: Path) -> None:
    args = ["--quiet", "figure", "--corridor", "casa1000", "--format", "svg"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".corridors-manifest.json",
        "casa1000.svg",
    ]
    svg = (tmp_path / "casa1000.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<dc:date>" not in svg
