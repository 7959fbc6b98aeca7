"""``corridors list`` and ``corridors --help``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import corridors
from corridors.cli import main
from corridors.data.atlas import CORRIDOR_IDS


def test_list__json_has_the_seven_corridors_with_sourced_lengths(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["list", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == list(CORRIDOR_IDS)
    by_id = {r["id"]: r for r in records}
    assert by_id["casa1000"]["modes"] == ["power_line"]
    assert by_id["tapi"]["countries"] == ["TKM", "AFG", "PAK", "IND"]
    for record in records:
        assert record["status"]
        for entry in record["official_lengths"]:
            assert entry["km"] > 0 and entry["sources"], record["id"]


def test_list__uap_keeps_conflicting_totals_side_by_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["list", "--format", "json"])
    uap = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == "uap_railway")
    totals = {
        (e["km"], e["sources"][0])
        for e in uap["official_lengths"]
        if e["country"] is None and not e["segments"] and e["from_place"] is None
    }
    assert {(647, "TASS-2025"), (640, "INDIANAWAAZ-2025"), (760, "MOFA-SEED")} <= totals


def test_list__table_is_aligned_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["id", "name", "modes"]
    name_at = lines[0].index("name")
    for line in lines[2:]:
        assert len(line.rstrip()) <= len(lines[1])
        assert line[name_at - 2 : name_at] == "  " and line[name_at] != " "
    assert any(line.startswith("pak_aze_rail") for line in lines)


def test_list__bad_data_folder_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--data", str(tmp_path)]) == 1
    assert "catalog.json" in capsys.readouterr().err


def test_help__lists_every_command_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "list", "build", "profile", "timeline"):
        assert f"    {command} " in out


def test_version__prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"corridors {corridors.__version__}"
