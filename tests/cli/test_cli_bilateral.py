"""Tests of ``corridors profile`` and ``corridors timeline``, run in-process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corridors.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "bilateral", tmp_path / "bilateral")
    return tmp_path


def test_main__profile_json_kazakhstan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "KAZ", "--format", "json"]) == 0
    profile = json.loads(capsys.readouterr().out)
    assert profile["relations_established"]["date"] == "1992-02-24"
    (trade,) = profile["trade"]
    assert (trade["exports_usd_m"], trade["imports_usd_m"], trade["total_usd_m"]) == (
        250.7,
        1.12,
        None,
    )
    assert trade["balance_usd_m"] == 249.58
    assert [c["corridor"] for c in profile["corridors"]] == ["ktap_railway", "qtta"]


def test_main__profile_table_lowercase_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "kgz"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Kyrgyzstan (KGZ) — Kyrgyz Republic\n")
    assert "FY2024-25  4.85           0.33           5.18         5.18" in out
    assert "16 MoUs/Agreements" in out


def test_main__profile_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "TJK", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Tajikistan (TJK) — Republic of Tajikistan\n")
    assert "| FY2024-25 | 26 | 3.16 | 29 | 29.16 | 22.84 | unstated | unstated |" in out
    assert "### Trade notes" in out


def test_main__profile_unknown_code_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "XYZ"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: unknown partner 'XYZ' — use one of AZE, KAZ, KGZ, TJK, TKM, UZB.\n"
    )


def test_main__profile_prints_data_literally(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("table", "markdown", "json"):
        assert main(["profile", "KGZ", "--data", str(data_dir), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "Braces {iso3} {0} and percent signs %s %(name)s are data" in out


def test_main__profile_bad_data_exits_1(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir / "bilateral" / "trade.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",250.7,", ",n/a,"), "utf-8")
    assert main(["profile", "KAZ", "--data", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: {path}: row 2 (KAZ, FY2024-25): exports_usd_m must be a number >= 0, "
        "got 'n/a' — fix the value or leave the cell empty.\n"
    )


def test_main__timeline_fixture_without_catalog(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["timeline", "--data", str(data_dir), "--format", "json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [(e["date"], e["partner"], e["kind"]) for e in events] == [
        ("1992", "KGZ", "relations"),
        ("1992-02-24", "KAZ", "relations"),
        ("1995-03-09", "KAZ; KGZ", "agreement"),
        ("2025-04-14", "KAZ", "mechanism_session"),
        ("2025-12-03", "KGZ", "agreement"),
        ("2025-12-03", "KGZ", "visit"),
    ]


def test_main__timeline_shipped_includes_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| date | precision | partner | corridor | kind | event | source |"
    assert any("| milestone |" in line for line in lines)
    assert any(line.startswith("| 1992-06-09 | day | AZE |") for line in lines)


def test_main__timeline_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["date", "precision", "partner", "corridor", "kind", "event", "source"]
    assert out[1].startswith("----")
